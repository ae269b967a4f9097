// Opioid bowel care, DESIGN §3 after NICE CG140: med.no_laxative and bowel.none.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "clinical/rule_support.hpp"
#include "clinical/rules.hpp"

namespace solace::clinical {

namespace {

using std::chrono::hours;
using std::chrono::seconds;

bool active_at(const Medication& m, Instant t) {
    return m.start <= t && (!m.end || t <= *m.end);
}

bool scheduled_strong_opioid(const Medication& m) {
    return !is_prn(m.schedule) && names_strong_opioid(m.name);
}

// The scheduled strong opioid active at `t`, if any.
const Medication* opioid_at(const PatientRecord& r, Instant t) {
    for (const auto& m : r.medications)
        if (scheduled_strong_opioid(m) && active_at(m, t)) return &m;
    return nullptr;
}

bool laxative_at(const PatientRecord& r, Instant t) {
    return std::any_of(r.medications.begin(), r.medications.end(), [&](const Medication& m) {
        return names_laxative(m.name) && active_at(m, t);
    });
}

bool uncovered(const PatientRecord& r, Instant t) {
    return opioid_at(r, t) && !laxative_at(r, t);
}

// One flag per gap, at the moment it began: an opioid starting without a laxative, or the
// last laxative ending (the second after its inclusive end) while an opioid goes on.
void no_laxative(const PatientRecord& r, Instant from, Instant to, const date::time_zone* zone,
                 std::vector<Flag>& out) {
    std::vector<Instant> starts;
    for (const auto& m : r.medications) {
        if (scheduled_strong_opioid(m)) starts.push_back(m.start);
        if (names_laxative(m.name) && m.end) starts.push_back(*m.end + seconds{1});
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    for (const Instant at : starts) {
        if (at < from || at > to || !uncovered(r, at) || uncovered(r, at - seconds{1})) continue;
        const Medication* opioid = opioid_at(r, at);
        Flag f = support::make_flag(r, "med.no_laxative", Severity::warning, at,
                                    fmt::format("m{}@{}", opioid->id, to_epoch(at)));
        f.med = opioid->key;
        f.detail = fmt::format("{} is a scheduled strong opioid with no laxative beside it since "
                               "{} {}: nearly everyone on one becomes constipated; prescribe a "
                               "laxative (NICE CG140).",
                               opioid->name, support::local_date(at, zone),
                               support::local_clock(at, zone));
        out.push_back(std::move(f));
    }
}

// No flag without any recorded bowel movement: nothing is known to judge from. The flag is
// at the first moment the 72 h had run out while a scheduled strong opioid was in force, so
// that more time only ever adds it, never takes it away.
void bowel_none(const PatientRecord& r, Instant from, Instant to, const Thresholds& t,
                const date::time_zone* zone, std::vector<Flag>& out) {
    const BowelMovement* latest = nullptr;
    for (const auto& b : r.bowel_movements)
        if (b.occurred_at <= to && (!latest || b.occurred_at >= latest->occurred_at)) latest = &b;
    if (!latest) return;
    const Instant ran_out = latest->occurred_at + hours{t.bowel_none_hours};
    const Medication* opioid = nullptr;
    Instant at{};
    for (const auto& m : r.medications) {
        if (!scheduled_strong_opioid(m)) continue;
        const Instant begin = std::max(ran_out, m.start);
        if ((m.end && begin > *m.end) || (opioid && begin >= at)) continue;
        opioid = &m;
        at = begin;
    }
    if (!opioid || at > to || at < from) return;
    Flag f =
        support::make_flag(r, "bowel.none", Severity::warning, at, fmt::format("b{}", latest->id));
    f.med = opioid->key;
    f.detail = fmt::format("No bowel movement for {} h or more (the last on {} {}, Bristol type "
                           "{}), on {}.",
                           t.bowel_none_hours, support::local_date(latest->occurred_at, zone),
                           support::local_clock(latest->occurred_at, zone), latest->bristol_type,
                           opioid->name);
    out.push_back(std::move(f));
}

} // namespace

std::vector<Flag> bowel_flags(const PatientRecord& r, Instant from, Instant to,
                              const Thresholds& t) {
    std::vector<Flag> out;
    to = in_care_until(r.patient, to);
    if (from > to) return out;
    const auto* zone = find_zone(r.patient.time_zone);
    no_laxative(r, from, to, zone, out);
    bowel_none(r, from, to, t, zone, out);
    support::sort_flags(out);
    return out;
}

} // namespace solace::clinical
