// The as-needed (PRN) rules of DESIGN §3: prn.too_soon, prn.over_max, prn.breakthrough.
#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "clinical/rule_support.hpp"
#include "clinical/rules.hpp"

namespace solace::clinical {

namespace {

using std::chrono::hours;

// "Any 24 hours" is the half-open window (t - 24h, t] ending at each dose.
constexpr hours rolling_window{24};

struct PrnDose {
    const Administration* record;
    const Medication* med;
    Instant at() const { return record->given_at; }
};

// Given doses only: a held or refused PRN dose was not taken.
std::vector<PrnDose> given_doses(const PatientRecord& r, Instant to, auto&& include) {
    std::map<std::int64_t, const Medication*> prn_meds;
    for (const auto& m : r.medications)
        if (is_prn(m.schedule) && include(m)) prn_meds[m.id] = &m;
    std::vector<PrnDose> out;
    for (const auto& a : r.administrations) {
        const auto it = prn_meds.find(a.medication_id);
        if (it != prn_meds.end() && a.status == DoseStatus::given && a.given_at <= to)
            out.push_back({&a, it->second});
    }
    std::stable_sort(out.begin(), out.end(), [](const PrnDose& a, const PrnDose& b) {
        return std::tie(a.record->given_at, a.record->id) <
               std::tie(b.record->given_at, b.record->id);
    });
    return out;
}

// Doses in (doses[i] - 24h, doses[i]], counting any given at the same moment as it.
std::pair<std::size_t, std::size_t> in_window(const std::vector<PrnDose>& doses, std::size_t i) {
    const Instant at = doses[i].at();
    const auto first = std::upper_bound(doses.begin(), doses.end(), at - rolling_window,
                                        [](Instant t, const PrnDose& d) { return t < d.at(); });
    const auto last = std::upper_bound(doses.begin(), doses.end(), at,
                                       [](Instant t, const PrnDose& d) { return t < d.at(); });
    return {static_cast<std::size_t>(first - doses.begin()),
            static_cast<std::size_t>(last - doses.begin())};
}

Flag prn_flag(const PatientRecord& r, const PrnDose& d, std::string_view rule, Severity s) {
    Flag f = support::make_flag(r, rule, s, d.at(), fmt::format("a{}", d.record->id));
    f.med = d.med->key;
    return f;
}

// too_soon and over_max of one medication; both on one dose make one over_max flag, since
// they say the same thing (too much of this drug) and over_max is the more severe.
void per_medication(const PatientRecord& r, const Medication& med,
                    const std::vector<PrnDose>& doses, Instant from, Instant to,
                    const date::time_zone* zone, std::vector<Flag>& out) {
    const auto& prn = std::get<PrnSchedule>(med.schedule);
    for (std::size_t i = 0; i < doses.size(); ++i) {
        const auto& d = doses[i];
        if (d.at() < from || d.at() > to) continue;
        const bool too_soon =
            i > 0 && prn.min_interval.count() > 0 && d.at() - doses[i - 1].at() < prn.min_interval;
        const auto [first, last] = in_window(doses, i);
        const auto count = static_cast<int>(last - first);
        const bool over_max = prn.max_per_24h && count > *prn.max_per_24h;
        if (!too_soon && !over_max) continue;

        const std::string soon_text =
            too_soon ? fmt::format("given {} after the previous dose at {} (at least {} apart)",
                                   support::duration_text(d.at() - doses[i - 1].at()),
                                   support::local_clock(doses[i - 1].at(), zone),
                                   support::duration_text(prn.min_interval))
                     : std::string{};
        if (over_max) {
            Flag f = prn_flag(r, d, "prn.over_max", Severity::urgent);
            if (too_soon) f.reasons.emplace_back("prn.too_soon");
            f.detail = fmt::format("{}: {} as-needed doses within 24 hours, more than the "
                                   "maximum of {}{}.",
                                   med.name, count, *prn.max_per_24h,
                                   too_soon ? "; this one " + soon_text : std::string{});
            out.push_back(std::move(f));
        } else {
            Flag f = prn_flag(r, d, "prn.too_soon", Severity::warning);
            f.detail = fmt::format("{} as-needed dose {}.", med.name, soon_text);
            out.push_back(std::move(f));
        }
    }
}

// One flag per episode: at the dose that brings the count of pain PRN doses in 24 hours up
// to the threshold, not at every dose while it stays there.
void breakthrough(const PatientRecord& r, const std::vector<PrnDose>& doses, Instant from,
                  Instant to, const Thresholds& t, const date::time_zone* zone,
                  std::vector<Flag>& out) {
    int previous_count = 0;
    for (std::size_t i = 0; i < doses.size(); ++i) {
        const auto [first, last] = in_window(doses, i);
        const auto count = static_cast<int>(last - first);
        const bool reached = count >= t.breakthrough_doses && previous_count < t.breakthrough_doses;
        previous_count = count;
        if (!reached || doses[i].at() < from || doses[i].at() > to) continue;
        Flag f = prn_flag(r, doses[i], "prn.breakthrough", Severity::warning);
        f.detail = fmt::format("{} as-needed doses for pain within 24 hours (the first at {}): "
                               "review the baseline pain medication.",
                               count, format_local_short(doses[first].at(), zone));
        out.push_back(std::move(f));
    }
}

} // namespace

std::vector<Flag> prn_flags(const PatientRecord& r, Instant from, Instant to, const Thresholds& t) {
    std::vector<Flag> out;
    if (from > to) return out;
    const auto* zone = find_zone(r.patient.time_zone);
    const auto all = given_doses(r, to, [](const Medication&) { return true; });
    for (const auto& med : r.medications) {
        if (!is_prn(med.schedule)) continue;
        std::vector<PrnDose> mine;
        std::copy_if(all.begin(), all.end(), std::back_inserter(mine),
                     [&](const PrnDose& d) { return d.med == &med; });
        per_medication(r, med, mine, from, to, zone, out);
    }
    breakthrough(r,
                 given_doses(r, to,
                             [](const Medication& m) {
                                 return support::lower_trimmed(m.indication) == "pain";
                             }),
                 from, to, t, zone, out);
    support::sort_flags(out);
    return out;
}

} // namespace solace::clinical
