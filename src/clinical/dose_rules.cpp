// The scheduled-dose rules of DESIGN §3: dose.late, dose.early, dose.missed.
#include <algorithm>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "clinical/rule_support.hpp"
#include "clinical/rules.hpp"
#include "clinical/schedule.hpp"

namespace solace::clinical {

namespace {

using std::chrono::hours;
using std::chrono::seconds;

// A record is never matched to a dose further away than this.
constexpr hours max_match_distance{24};

// For each scheduled dose, the index of the record that covers it. Each record covers the
// nearest dose it can, one record one dose: closest (record, dose) pairs are assigned first,
// ties going to the earlier dose.
std::vector<std::optional<std::size_t>>
match_records(const std::vector<ScheduledDose>& doses,
              const std::vector<const Administration*>& records) {
    struct Pair {
        seconds distance;
        Instant due;
        Instant given;
        std::int64_t record_id;
        std::size_t record;
        std::size_t dose;
    };
    std::vector<Pair> pairs;
    for (std::size_t ri = 0; ri < records.size(); ++ri) {
        const Instant given = records[ri]->given_at;
        auto it = std::lower_bound(doses.begin(), doses.end(), given - max_match_distance,
                                   [](const ScheduledDose& d, Instant t) { return d.due < t; });
        for (; it != doses.end() && it->due <= given + max_match_distance; ++it) {
            const seconds distance = given > it->due ? given - it->due : it->due - given;
            pairs.push_back({distance, it->due, given, records[ri]->id, ri,
                             static_cast<std::size_t>(it - doses.begin())});
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
        return std::tie(a.distance, a.due, a.given, a.record_id) <
               std::tie(b.distance, b.due, b.given, b.record_id);
    });
    std::vector<std::optional<std::size_t>> match(doses.size());
    std::vector<bool> used(records.size(), false);
    for (const auto& p : pairs) {
        if (used[p.record] || match[p.dose]) continue;
        used[p.record] = true;
        match[p.dose] = p.record;
    }
    return match;
}

Flag dose_flag(const PatientRecord& r, const Medication& med, const ScheduledDose& d,
               std::string_view rule, Severity severity) {
    Flag f = support::make_flag(r, rule, severity, d.due,
                                fmt::format("m{}@{}", med.id, to_epoch(d.due)));
    f.med = med.key;
    return f;
}

// Late and early only judge doses actually given: held and refused doses carry a reason.
std::optional<Flag> given_off_window(const PatientRecord& r, const Medication& med,
                                     const ScheduledDose& d, const Administration& a,
                                     const date::time_zone* zone) {
    if (a.status != DoseStatus::given) return std::nullopt;
    const auto window = support::duration_text(d.window);
    const auto due = support::local_clock(d.due, zone);
    if (a.given_at > d.due + d.window) {
        Flag f = dose_flag(r, med, d, "dose.late", Severity::warning);
        f.detail = fmt::format("{} {} dose was given {} late (window ±{}).", med.name, due,
                               support::duration_text(a.given_at - d.due), window);
        return f;
    }
    if (a.given_at < d.due - d.window) {
        Flag f = dose_flag(r, med, d, "dose.early", Severity::info);
        f.detail = fmt::format("{} {} dose was given {} early (window ±{}).", med.name, due,
                               support::duration_text(d.due - a.given_at), window);
        return f;
    }
    return std::nullopt;
}

// Missed only once the window has closed as of `to`: until then it can still be given.
std::optional<Flag> missed(const PatientRecord& r, const Medication& med, const ScheduledDose& d,
                           Instant to, const date::time_zone* zone) {
    if (to <= d.due + d.window) return std::nullopt;
    Flag f = dose_flag(r, med, d, "dose.missed",
                       med.time_critical ? Severity::urgent : Severity::warning);
    f.detail = fmt::format(
        "Nothing was recorded for the {} {} dose (given, held or refused); its window closed "
        "at {}.",
        med.name, support::local_clock(d.due, zone), support::local_clock(d.due + d.window, zone));
    return f;
}

} // namespace

std::chrono::seconds dose_lookback(const Thresholds&) {
    return hours{48};
}

std::vector<DoseOutcome> dose_outcomes(const PatientRecord& r, Instant from, Instant to,
                                       const Thresholds& t) {
    std::vector<DoseOutcome> out;
    if (from > to) return out;
    const auto* zone = find_zone(r.patient.time_zone);
    for (const auto& med : r.medications) {
        if (is_prn(med.schedule)) continue;
        // Doses before `from` and after `to` are expanded too, so that a record is not taken
        // for an in-range dose when it belongs to an earlier one, or is an early later one.
        const auto doses = expand(med, zone, from - dose_lookback(t), to + max_match_distance, t);
        std::vector<const Administration*> records;
        for (const auto& a : r.administrations)
            if (a.medication_id == med.id && a.given_at <= to) records.push_back(&a);
        const auto match = match_records(doses, records);
        for (std::size_t i = 0; i < doses.size(); ++i) {
            const auto& d = doses[i];
            if (d.due < from || d.due > to) continue;
            out.push_back({&med, d, match[i] ? records[*match[i]] : nullptr});
        }
    }
    return out;
}

std::vector<Flag> dose_flags(const PatientRecord& r, Instant from, Instant to,
                             const Thresholds& t) {
    std::vector<Flag> out;
    if (from > to) return out;
    const auto* zone = find_zone(r.patient.time_zone);
    for (const auto& o : dose_outcomes(r, from, to, t)) {
        auto flag = o.record ? given_off_window(r, *o.med, o.dose, *o.record, zone)
                             : missed(r, *o.med, o.dose, to, zone);
        if (flag) out.push_back(std::move(*flag));
    }
    support::sort_flags(out);
    return out;
}

} // namespace solace::clinical
