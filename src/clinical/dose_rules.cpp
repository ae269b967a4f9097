// The scheduled-dose rules of DESIGN §3: dose.late, dose.early, dose.missed, dose.duplicate.
#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

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

namespace {

bool inside_window(const ScheduledDose& d, const Administration& a) {
    return a.given_at >= d.due - d.window && a.given_at <= d.due + d.window;
}

// A `given` record inside the window of a dose that an earlier `given` record covers is a
// possible double dose, never the next dose given early. Earlier records that cover another
// dose whose window holds them belong to that dose. Each duplicate with the dose it repeats.
std::vector<std::pair<std::size_t, std::size_t>>
find_duplicates(const std::vector<ScheduledDose>& doses,
                const std::vector<const Administration*>& records,
                const std::vector<std::optional<std::size_t>>& match) {
    std::vector<std::optional<std::size_t>> covers(records.size());
    for (std::size_t d = 0; d < doses.size(); ++d)
        if (match[d]) covers[*match[d]] = d;
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::vector<bool> duplicate(records.size(), false);
    for (std::size_t d = 0; d < doses.size(); ++d) {
        std::vector<std::size_t> given;
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto& a = *records[i];
            if (a.status != DoseStatus::given || duplicate[i] || !inside_window(doses[d], a))
                continue;
            if (covers[i] && *covers[i] != d && inside_window(doses[*covers[i]], a)) continue;
            given.push_back(i);
        }
        std::sort(given.begin(), given.end(), [&](std::size_t x, std::size_t y) {
            return std::tie(records[x]->given_at, records[x]->id) <
                   std::tie(records[y]->given_at, records[y]->id);
        });
        for (std::size_t k = 1; k < given.size(); ++k) {
            duplicate[given[k]] = true;
            out.emplace_back(given[k], d);
        }
    }
    return out;
}

struct MedicationDoses {
    std::vector<ScheduledDose> doses;
    std::vector<const Administration*> records; // duplicates left out
    std::vector<std::optional<std::size_t>> match;
    std::vector<std::pair<const Administration*, std::size_t>> duplicates; // record, dose
};

MedicationDoses match_medication(const PatientRecord& r, const Medication& med,
                                 const date::time_zone* zone, Instant from, Instant to,
                                 const Thresholds& t) {
    MedicationDoses out;
    // Doses before `from` and after `to` are expanded too, so that a record is not taken
    // for an in-range dose when it belongs to an earlier one, or is an early later one.
    out.doses = expand(med, zone, from - dose_lookback(t), to + max_match_distance, t);
    for (const auto& a : r.administrations)
        if (a.medication_id == med.id && a.given_at <= to) out.records.push_back(&a);
    out.match = match_records(out.doses, out.records);
    const auto duplicates = find_duplicates(out.doses, out.records, out.match);
    if (duplicates.empty()) return out;
    std::vector<bool> drop(out.records.size(), false);
    for (const auto& [record, dose] : duplicates) {
        drop[record] = true;
        out.duplicates.emplace_back(out.records[record], dose);
    }
    std::vector<const Administration*> kept;
    for (std::size_t i = 0; i < out.records.size(); ++i)
        if (!drop[i]) kept.push_back(out.records[i]);
    out.records = std::move(kept);
    out.match = match_records(out.doses, out.records);
    return out;
}

Flag duplicate_flag(const PatientRecord& r, const Medication& med, const ScheduledDose& d,
                    const Administration& again, const Administration* first,
                    const date::time_zone* zone) {
    Flag f = support::make_flag(r, "dose.duplicate",
                                med.time_critical ? Severity::urgent : Severity::warning,
                                again.given_at, fmt::format("a{}", again.id));
    f.med = med.key;
    const auto who = [](const Administration& a) {
        return fmt::format("{} ({})", a.recorded_by.empty() ? a.author : a.recorded_by,
                           code(a.reporter));
    };
    f.detail =
        fmt::format("{} {} dose recorded given again at {} by {}{}: a possible double "
                    "dose; check with whoever gave it.",
                    med.name, support::local_clock(d.due, zone),
                    support::local_clock(again.given_at, zone), who(again),
                    first ? fmt::format(", already given at {} by {}",
                                        support::local_clock(first->given_at, zone), who(*first))
                          : std::string{});
    return f;
}

} // namespace

std::vector<DoseOutcome> dose_outcomes(const PatientRecord& r, Instant from, Instant to,
                                       const Thresholds& t) {
    std::vector<DoseOutcome> out;
    to = in_care_until(r.patient, to);
    if (from > to) return out;
    const auto* zone = find_zone(r.patient.time_zone);
    for (const auto& med : r.medications) {
        if (is_prn(med.schedule)) continue;
        const auto m = match_medication(r, med, zone, from, to, t);
        for (std::size_t i = 0; i < m.doses.size(); ++i) {
            const auto& d = m.doses[i];
            if (d.due < from || d.due > to) continue;
            out.push_back({&med, d, m.match[i] ? m.records[*m.match[i]] : nullptr});
        }
    }
    return out;
}

std::vector<Flag> dose_flags(const PatientRecord& r, Instant from, Instant to,
                             const Thresholds& t) {
    std::vector<Flag> out;
    to = in_care_until(r.patient, to);
    if (from > to) return out;
    const auto* zone = find_zone(r.patient.time_zone);
    for (const auto& med : r.medications) {
        if (is_prn(med.schedule)) continue;
        const auto m = match_medication(r, med, zone, from, to, t);
        for (std::size_t i = 0; i < m.doses.size(); ++i) {
            const auto& d = m.doses[i];
            if (d.due < from || d.due > to) continue;
            auto flag = m.match[i] ? given_off_window(r, med, d, *m.records[*m.match[i]], zone)
                                   : missed(r, med, d, to, zone);
            if (flag) out.push_back(std::move(*flag));
        }
        for (const auto& [again, dose] : m.duplicates) {
            if (again->given_at < from || again->given_at > to) continue;
            const auto& covered = m.match[dose];
            out.push_back(duplicate_flag(r, med, m.doses[dose], *again,
                                         covered ? m.records[*covered] : nullptr, zone));
        }
    }
    support::sort_flags(out);
    return out;
}

} // namespace solace::clinical
