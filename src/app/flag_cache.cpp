#include "app/flag_cache.hpp"

#include <algorithm>
#include <exception>
#include <functional>

#include "app/clinic.hpp"

namespace solace::app {

void FlagCache::look_for_changes(store::Database& db) {
    store::ChangeRepository changes(db);
    if (db_ != &db) {
        entries_.clear();
        older_.clear();
        db_ = &db;
        version_.reset();
    }
    // The version first: a commit landing after it is seen at the next look.
    const auto version = changes.version();
    if (version_ == version) return;
    auto marks = changes.marks();
    if (version_) {
        std::optional<std::map<std::int64_t, std::int64_t>> changed;
        try {
            changed = changes.changed(marks_, marks);
        } catch (const std::exception&) {
            changed.reset(); // a table it cannot read by row id: judge everyone again
        }
        if (!changed) {
            entries_.clear();
            older_.clear();
        } else {
            for (const auto& [id, earliest] : *changed) {
                entries_.erase(id);
                // The year before keeps flags up to a day before it was judged; rows after that
                // moment change no flag more than a day before their time (a score saved now).
                const auto o = older_.find(id);
                if (o != older_.end() && earliest <= to_epoch(o->second.judged_at)) older_.erase(o);
            }
        }
    } else {
        entries_.clear();
        older_.clear();
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

const FlagCache::Older& FlagCache::older(const Session& s, const Patient& p, Instant from,
                                         Instant to) {
    const Instant oldest = std::min(from, to - open_flag_horizon);
    auto it = older_.find(p.id);
    if (it != older_.end()) {
        const auto& o = it->second;
        if (o.account_id != s.account().id || !(o.patient == p) || to < o.judged_at ||
            to >= o.judged_at + older_kept || from > o.judged_at - older_kept ||
            oldest < o.judged_at - open_flag_horizon)
            it = older_.end();
    }
    if (it == older_.end()) {
        Older o{s.account().id, p, to, {}, {}};
        const auto in = flag_inputs(s, p, oldest, to);
        o.thresholds = in.thresholds;
        for (auto& f : judge_flags(in, oldest, to))
            if (!f.acknowledged && f.at <= to - older_kept) o.open.push_back(std::move(f));
        ++counts_.older_evaluated;
        it = older_.insert_or_assign(p.id, std::move(o)).first;
    }
    return it->second;
}

std::vector<Flag> FlagCache::shown_flags(const Session& s, const Patient& p, Instant from,
                                         Instant to) {
    to = std::min(to, now_utc());
    auto out = flags(s, p, from, to); // looks for changes first
    if (from > to) return out;
    const Instant oldest = std::min(from, to - open_flag_horizon);
    const Older& o = older(s, p, from, to);
    std::vector<Flag> older;
    for (const auto& f : o.open)
        if (f.at >= oldest && f.at < from) older.push_back(f);
    clinical::mark_escalated(older, to, o.thresholds);
    out.insert(out.end(), older.begin(), older.end());
    return out;
}

void FlagCache::visit_shown(const Session& s, const Patient& p, Instant from, Instant to,
                            const std::function<void(const Flag&, bool escalated)>& visit) {
    to = std::min(to, now_utc());
    for (const auto& f : flags(s, p, from, to))
        visit(f, f.escalated);
    if (from > to) return;
    const Instant oldest = std::min(from, to - open_flag_horizon);
    const Older& o = older(s, p, from, to);
    for (const auto& f : o.open)
        if (f.at >= oldest && f.at < from) visit(f, clinical::is_escalated(f, to, o.thresholds));
}

} // namespace solace::app
