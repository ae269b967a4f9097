#include "app/snapshot.hpp"

#include <algorithm>
#include <exception>

#include "app/clinic.hpp"
#include "store/flag_repository.hpp"
#include "store/observation_repository.hpp"

namespace solace::app {

namespace {
int age_on(date::year_month_day born, date::year_month_day today) {
    int years = int(today.year()) - int(born.year());
    if (date::month_day{today.month(), today.day()} < date::month_day{born.month(), born.day()})
        --years;
    return std::max(years, 0);
}

date::year_month_day today_in(const std::string& zone_name, Instant now) {
    try {
        const auto local = date::zoned_seconds{find_zone(zone_name), now}.get_local_time();
        return date::year_month_day{date::floor<date::days>(local)};
    } catch (const std::exception&) {
        return date::year_month_day{date::floor<date::days>(now)}; // unknown zone: UTC's date
    }
}
} // namespace

PatientList patient_list(const Session& s, Instant now, int days) {
    PatientList out;
    out.taken_at = now;
    out.flags_from = now - date::days{days};
    for (const auto& p : s.patients()) {
        PatientRow row;
        row.mrn = p.mrn;
        row.name = p.name;
        row.date_of_birth = format_date(p.date_of_birth);
        row.age = age_on(p.date_of_birth, today_in(p.time_zone, now));
        row.time_zone = p.time_zone;
        row.diagnosis = p.diagnosis;
        // One patient's bad data must not hide the whole list.
        try {
            for (const auto& f : patient_flags(s, p, out.flags_from, now)) {
                if (f.acknowledged) continue;
                ++row.open_flags;
                ++row.open_by_severity[static_cast<int>(f.severity)];
                if (!row.worst || f.severity > *row.worst) row.worst = f.severity;
            }
        } catch (const std::exception& e) {
            row.problem = e.what();
        }
        out.patients.push_back(std::move(row));
    }
    return out;
}

PatientPicture patient_picture(const Session& s, std::string_view mrn, Instant now, int days) {
    PatientPicture out;
    out.taken_at = now;
    out.flags_from = now - date::days{days};
    out.patient = s.patient(mrn);
    const auto& p = out.patient;
    out.age = age_on(p.date_of_birth, today_in(p.time_zone, now));
    out.flags = patient_flags(s, p, out.flags_from, now);
    std::stable_sort(out.flags.begin(), out.flags.end(), [](const Flag& a, const Flag& b) {
        if (a.acknowledged != b.acknowledged) return !a.acknowledged;
        if (!a.acknowledged && a.severity != b.severity) return a.severity > b.severity;
        return a.at > b.at; // newest first
    });

    // The same history the symptom rules read for a new score: enough for every rule.
    out.thresholds = store::FlagRepository(s.db()).thresholds();
    store::ObservationRepository obs(s.db());
    const auto from = now - clinical::score_lookback(out.thresholds);
    auto& r = out.record;
    r.patient = p;
    for (const auto& sym : all_symptoms())
        for (auto rep : {Reporter::patient, Reporter::caregiver, Reporter::nurse}) {
            auto older =
                obs.scores_before(p.id, sym.symptom, rep, from, out.thresholds.sustained_run + 1);
            r.scores.insert(r.scores.end(), older.begin(), older.end());
        }
    auto recent = obs.scores(p.id, from, now);
    r.scores.insert(r.scores.end(), recent.begin(), recent.end());
    std::stable_sort(r.scores.begin(), r.scores.end(),
                     [](const Score& a, const Score& b) { return a.observed_at < b.observed_at; });
    r.goals = obs.goals(p.id);
    return out;
}

const Score* previous_score(const PatientPicture& p, Symptom symptom, Reporter reporter) {
    const auto& scores = p.record.scores;
    for (auto it = scores.rbegin(); it != scores.rend(); ++it)
        if (it->symptom == symptom && it->reporter == reporter) return &*it;
    return nullptr;
}

std::optional<int> comfort_goal(const PatientPicture& p, Symptom symptom) {
    std::optional<int> goal;
    for (const auto& g : p.record.goals) // sorted by set_at: the last one set wins
        if (g.symptom == symptom && g.set_at <= p.taken_at) goal = g.goal;
    return goal;
}

std::vector<Flag> preview_flags(const PatientPicture& p, const VisitEntry& visit) {
    if (visit.scores.empty()) return {};
    clinical::PatientRecord r;
    r.patient = p.record.patient;
    r.goals = p.record.goals;
    r.scores = p.record.scores;
    std::int64_t id = -1; // not saved: ids no stored score has
    for (const auto& e : visit.scores) {
        if (e.value < min_score || e.value > max_score) continue;
        Score sc;
        sc.id = id--;
        sc.patient_id = p.patient.id;
        sc.symptom = e.symptom;
        sc.value = e.value;
        sc.reporter = visit.reporter;
        sc.observed_at = visit.at;
        r.scores.push_back(sc);
    }
    std::stable_sort(r.scores.begin(), r.scores.end(),
                     [](const Score& a, const Score& b) { return a.observed_at < b.observed_at; });
    return clinical::symptom_flags(r, visit.at, visit.at, p.thresholds);
}

} // namespace solace::app
