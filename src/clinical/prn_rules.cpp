// The as-needed (PRN) rules of DESIGN §3: prn.too_soon, prn.over_max, prn.breakthrough,
// prn.no_follow_up; and a PRN dose's effect.
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

std::string effect_sentence(const PatientRecord& r, const PrnDose& d, const Thresholds& t,
                            Instant to) {
    const auto effect = prn_effect(r, *d.med, *d.record, t, to);
    return effect.empty() ? std::string{} : fmt::format(" Effect: {}.", effect);
}

// too_soon and over_max of one medication; both on one dose make one over_max flag, since
// they say the same thing (too much of this drug) and over_max is the more severe.
void per_medication(const PatientRecord& r, const Medication& med,
                    const std::vector<PrnDose>& doses, Instant from, Instant to,
                    const Thresholds& t, const date::time_zone* zone, std::vector<Flag>& out) {
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
            f.detail += effect_sentence(r, d, t, to);
            out.push_back(std::move(f));
        } else {
            Flag f = prn_flag(r, d, "prn.too_soon", Severity::warning);
            f.detail = fmt::format("{} as-needed dose {}.", med.name, soon_text) +
                       effect_sentence(r, d, t, to);
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
                               count, format_local_short(doses[first].at(), zone)) +
                   effect_sentence(r, doses[i], t, to);
        out.push_back(std::move(f));
    }
}

// The first score of `symptom`, by anyone, in [at + from, at + to] minutes and not after
// `as_of`: a score taken later is not seen yet.
const Score* follow_up_score(const PatientRecord& r, Symptom symptom, Instant at,
                             const Thresholds& t, Instant as_of) {
    const Instant first = at + std::chrono::minutes{t.prn_follow_up_from_minutes};
    const Instant last = std::min(at + std::chrono::minutes{t.prn_follow_up_to_minutes}, as_of);
    const Score* found = nullptr;
    for (const auto& s : r.scores)
        if (s.symptom == symptom && s.observed_at >= first && s.observed_at <= last &&
            (!found || s.observed_at < found->observed_at))
            found = &s;
    return found;
}

// Judged only once the follow-up time is over as of `to`: until then a score may still come.
void no_follow_up(const PatientRecord& r, const std::vector<PrnDose>& doses, Instant from,
                  Instant to, const Thresholds& t, const date::time_zone* zone,
                  std::vector<Flag>& out) {
    const std::chrono::minutes last{t.prn_follow_up_to_minutes};
    for (const auto& d : doses) {
        const auto symptom = indication_symptom(d.med->indication);
        if (!symptom || d.at() < from || d.at() > to || to < d.at() + last) continue;
        if (follow_up_score(r, *symptom, d.at(), t, to)) continue;
        Flag f = prn_flag(r, d, "prn.no_follow_up", Severity::info);
        f.symptom = *symptom;
        f.detail =
            fmt::format("No {} score {} to {} min after the {} {} as-needed dose: was it "
                        "effective?",
                        code(*symptom), t.prn_follow_up_from_minutes, t.prn_follow_up_to_minutes,
                        support::local_clock(d.at(), zone), d.med->name);
        out.push_back(std::move(f));
    }
}

} // namespace

std::optional<Symptom> indication_symptom(std::string_view indication) {
    const auto text = support::lower_trimmed(indication);
    if (auto s = parse_symptom(text); s && (*s == Symptom::pain || *s == Symptom::breathing ||
                                            *s == Symptom::nausea || *s == Symptom::anxiety))
        return s;
    if (text == "breathlessness" || text == "shortness of breath" || text == "dyspnoea" ||
        text == "dyspnea")
        return Symptom::breathing;
    return std::nullopt;
}

std::string prn_effect(const PatientRecord& r, const Medication& med, const Administration& dose,
                       const Thresholds& t, Instant as_of) {
    return prn_follow_up(r, med, dose, t, as_of).text;
}

PrnEffect prn_follow_up(const PatientRecord& r, const Medication& med, const Administration& dose,
                        const Thresholds& t, Instant as_of) {
    const auto symptom = indication_symptom(med.indication);
    if (!symptom || dose.status != DoseStatus::given) return {};
    const Score* after = follow_up_score(r, *symptom, dose.given_at, t, as_of);
    if (!after) return {};
    const Score* before = nullptr;
    for (const auto& s : r.scores)
        if (s.symptom == *symptom && s.observed_at <= dose.given_at &&
            (!before || s.observed_at >= before->observed_at))
            before = &s;
    const auto minutes = support::duration_text(after->observed_at - dose.given_at);
    if (!before)
        return {after,
                fmt::format("{} {}, {} after {}", code(*symptom), after->value, minutes, med.key)};
    return {after, fmt::format("{} {} → {}, {} after {}", code(*symptom), before->value,
                               after->value, minutes, med.key)};
}

std::vector<Flag> prn_flags(const PatientRecord& r, Instant from, Instant to, const Thresholds& t) {
    std::vector<Flag> out;
    to = in_care_until(r.patient, to);
    if (from > to) return out;
    const auto* zone = find_zone(r.patient.time_zone);
    const auto all = given_doses(r, to, [](const Medication&) { return true; });
    for (const auto& med : r.medications) {
        if (!is_prn(med.schedule)) continue;
        std::vector<PrnDose> mine;
        std::copy_if(all.begin(), all.end(), std::back_inserter(mine),
                     [&](const PrnDose& d) { return d.med == &med; });
        per_medication(r, med, mine, from, to, t, zone, out);
    }
    breakthrough(r,
                 given_doses(r, to,
                             [](const Medication& m) {
                                 return support::lower_trimmed(m.indication) == "pain";
                             }),
                 from, to, t, zone, out);
    no_follow_up(r, all, from, to, t, zone, out);
    support::sort_flags(out);
    return out;
}

} // namespace solace::clinical
