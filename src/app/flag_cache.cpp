#include "app/flag_cache.hpp"

#include <algorithm>
#include <exception>

#include "app/clinic.hpp"

namespace solace::app {

void FlagCache::look_for_changes(store::Database& db) {
    store::ChangeRepository changes(db);
    if (db_ != &db) {
        entries_.clear();
        db_ = &db;
        version_.reset();
    }
    // The version first: a commit landing after it is seen at the next look.
    const auto version = changes.version();
    if (version_ == version) return;
    auto marks = changes.marks();
    if (version_) {
        std::optional<std::set<std::int64_t>> changed;
        try {
            changed = changes.changed(marks_, marks);
        } catch (const std::exception&) {
            changed.reset(); // a table it cannot read by row id: judge everyone again
        }
        if (!changed)
            entries_.clear();
        else
            for (auto id : *changed)
                entries_.erase(id);
    } else {
        entries_.clear();
    }
    marks_ = std::move(marks);
    version_ = version;
}

std::vector<Flag> FlagCache::flags(const Session& s, const Patient& p, Instant from, Instant to) {
    to = std::min(to, now_utc()); // as patient_flags: never judged later than now
    if (from > to) return {};
    look_for_changes(s.db());
    const auto window = std::chrono::duration_cast<std::chrono::seconds>(to - from);
    if (const auto it = entries_.find(p.id); it != entries_.end()) {
        const auto& e = it->second;
        if (e.account_id == s.account().id && e.patient == p && e.window == window &&
            e.judged_at <= to && to <= e.same_until) {
            s.require_read(p);
            ++counts_.reused;
            return e.flags;
        }
    }
    const Instant ahead = to + look_ahead;
    const auto in = flag_inputs(s, p, from, ahead);
    Entry e{s.account().id, p, window, to, ahead, judge_flags(in, from, to)};
    const auto same_at = [&](Instant t) { return judge_flags(in, t - window, t) == e.flags; };
    if (!same_at(ahead)) {
        Instant same = to, differs = ahead; // the first second that differs is in (same, differs]
        while (differs - same > std::chrono::seconds{1}) {
            const Instant mid = same + (differs - same) / 2;
            (same_at(mid) ? same : differs) = mid;
        }
        e.same_until = same;
    }
    ++counts_.evaluated;
    auto out = e.flags;
    entries_[p.id] = std::move(e);
    return out;
}

} // namespace solace::app
