#include "app/snapshot.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>

#include "app/clinic.hpp"
#include "app/flag_ids.hpp"
#include "store/flag_repository.hpp"
#include "store/medication_repository.hpp"
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

void clear_open_flags(PatientRow& row) {
    row.open_flags = 0;
    row.escalated = 0;
    std::fill(std::begin(row.open_by_severity), std::end(row.open_by_severity), 0);
    row.worst.reset();
    row.oldest_open.reset();
}

void count_open_flag(PatientRow& row, const Flag& f, bool escalated) {
    if (f.acknowledged) return;
    ++row.open_flags;
    if (escalated) ++row.escalated;
    ++row.open_by_severity[static_cast<int>(f.severity)];
    if (!row.worst || f.severity > *row.worst) row.worst = f.severity;
    if (!row.oldest_open || f.at < *row.oldest_open) row.oldest_open = f.at;
}
} // namespace

void count_open_flags(PatientRow& row, const std::vector<Flag>& flags) {
    clear_open_flags(row);
    for (const auto& f : flags)
        count_open_flag(row, f, f.escalated);
}

PatientList patient_list(const Session& s, Instant now, int days, FlagCache* cache,
                         bool count_older) {
    PatientList out;
    out.taken_at = now;
    out.flags_from = now - date::days{days};
    out.older_counted = count_older;
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
            if (cache && count_older) {
                clear_open_flags(row); // a year of open flags counted where the cache keeps them
                cache->visit_shown(s, p, out.flags_from, now, [&](const Flag& f, bool escalated) {
                    count_open_flag(row, f, escalated);
                });
            } else if (cache) {
                count_open_flags(row, cache->flags(s, p, out.flags_from, now));
            } else if (count_older) {
                count_open_flags(row, shown_flags(s, p, out.flags_from, now));
            } else {
                count_open_flags(row, patient_flags(s, p, out.flags_from, now));
            }
        } catch (const std::exception& e) {
            row.problem = e.what();
        }
        out.patients.push_back(std::move(row));
    }
    return out;
}

PatientPicture patient_picture(const Session& s, std::string_view mrn, Instant now, int days) {
    static std::atomic<std::uint64_t> pictures_taken{0};
    PatientPicture out;
    out.taken_at = now;
    out.serial = ++pictures_taken;
    out.flags_from = now - date::days{days};
    out.patient = s.patient(mrn);
    const auto& p = out.patient;
    out.age = age_on(p.date_of_birth, today_in(p.time_zone, now));
    out.flags = shown_flags(s, p, out.flags_from, now);
    std::stable_sort(out.flags.begin(), out.flags.end(), [](const Flag& a, const Flag& b) {
        if (a.acknowledged != b.acknowledged) return !a.acknowledged;
        if (a.escalated != b.escalated) return a.escalated;
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
    out.medications = store::MedicationRepository(s.db()).list(p.id);
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

std::optional<int> range_days(HistoryRange r) {
    switch (r) {
    case HistoryRange::week:
        return 7;
    case HistoryRange::month:
        return 30;
    case HistoryRange::quarter:
        return 90;
    case HistoryRange::all:
        return std::nullopt;
    }
    return std::nullopt;
}

namespace {
// The score id a symptom flag is about, as the rules name it: "…/s<score id>".
std::optional<std::int64_t> flagged_score(const Flag& f) {
    const auto slash = f.id.rfind('/');
    if (slash == std::string::npos || slash + 2 > f.id.size() || f.id[slash + 1] != 's')
        return std::nullopt;
    std::int64_t id = 0;
    for (std::size_t i = slash + 2; i < f.id.size(); ++i) {
        if (f.id[i] < '0' || f.id[i] > '9') return std::nullopt;
        id = id * 10 + (f.id[i] - '0');
    }
    return id;
}

// Keeps at most max_chart_points of one reporter's series: the highest score of each equal
// stretch of [from, to] (a flagged one first on a tie, then the later one).
void thin(std::vector<ChartPoint>& series, Instant from, Instant to) {
    if (series.size() <= max_chart_points) return;
    const auto span = std::max<std::int64_t>(1, (to - from).count() + 1);
    std::vector<ChartPoint> kept;
    std::int64_t bucket = -1;
    for (const auto& pt : series) {
        const auto b = std::clamp<std::int64_t>((pt.at - from).count(), 0, span - 1) *
                       std::int64_t(max_chart_points) / span;
        if (b != bucket || kept.empty()) {
            kept.push_back(pt);
            bucket = b;
            continue;
        }
        auto& k = kept.back();
        if (pt.value > k.value || (pt.value == k.value && (pt.flag || !k.flag))) k = pt;
    }
    series = std::move(kept);
}

// The timeline, newest first: each visit with its current scores (from `entries`) and the
// doses (oldest first) recorded within visit_doses_within of it.
std::vector<VisitLine> visit_lines(std::vector<store::ObservationRepository::WrittenVisit> visits,
                                   const std::vector<HistoryEntry>& entries,
                                   const std::vector<Administration>& doses,
                                   const std::vector<Medication>& medications,
                                   const EntryTiming& timing) {
    std::map<std::int64_t, std::vector<std::uint32_t>> scores_of; // by visit id
    for (std::uint32_t i = 0; i < entries.size(); ++i)
        if (const auto v = entries[i].score.visit_id) scores_of[*v].push_back(i);
    std::map<std::int64_t, const Medication*> medication_of;
    for (const auto& m : medications)
        medication_of[m.id] = &m;

    std::vector<VisitLine> out;
    out.reserve(visits.size());
    for (auto v = visits.rbegin(); v != visits.rend(); ++v) {
        VisitLine line;
        line.recorded_at = v->recorded_at;
        line.documented_late = documented_late(timing, v->visit.at, v->recorded_at);
        if (auto it = scores_of.find(v->visit.id); it != scores_of.end()) {
            line.scores = std::move(it->second);
            std::stable_sort(line.scores.begin(), line.scores.end(), [&](auto a, auto b) {
                return entries[a].score.symptom < entries[b].score.symptom;
            });
        }
        const auto at = v->visit.at;
        auto d =
            std::lower_bound(doses.begin(), doses.end(), at - visit_doses_within,
                             [](const Administration& a, Instant t) { return a.given_at < t; });
        for (; d != doses.end() && d->given_at <= at + visit_doses_within; ++d) {
            VisitDose dose;
            dose.given_at = d->given_at;
            dose.status = d->status;
            dose.reason = d->reason;
            dose.recorded_by = d->recorded_by;
            if (const auto m = medication_of.find(d->medication_id); m != medication_of.end()) {
                dose.medication = m->second->dose.empty() ? m->second->name
                                                          : m->second->name + " " + m->second->dose;
                dose.as_needed = is_prn(m->second->schedule);
            }
            line.doses.push_back(std::move(dose));
        }
        line.visit = std::move(v->visit);
        out.push_back(std::move(line));
    }
    return out;
}

// ASCII letters folded to lower case; other bytes (UTF-8 included) as they are.
std::string folded(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}
} // namespace

PatientHistory patient_history(const Session& s, std::string_view mrn, Instant now,
                               HistoryRange range) {
    PatientHistory out;
    out.taken_at = now;
    out.to = now;
    out.range = range;
    out.patient = s.patient(mrn); // only a patient this account may read
    out.timing = entry_timing(s.db());
    const auto& p = out.patient;
    const auto days = range_days(range);
    const auto thresholds = store::FlagRepository(s.db()).thresholds();
    const auto lookback = clinical::score_lookback(thresholds);
    store::ObservationRepository obs(s.db());

    // One query for the range and the history the rules look back on; "all" reads every
    // current score once (the view keeps it until the data changes).
    const Instant wanted_from = days ? now - date::days{*days} : from_epoch(0);
    clinical::PatientRecord r;
    r.patient = p;
    r.scores = obs.scores(p.id, days ? wanted_from - lookback : from_epoch(0), now);
    out.from = wanted_from;
    // All: from the first score, visit or PPS.
    auto visits = obs.written_visits(p.id, days ? wanted_from : from_epoch(0), now);
    out.pps = obs.pps(p.id, days ? wanted_from : from_epoch(0), now);
    if (!days) {
        out.from = r.scores.empty() ? now - date::days{7} : r.scores.front().observed_at;
        if (!visits.empty()) out.from = std::min(out.from, visits.front().visit.at);
        if (!out.pps.empty()) out.from = std::min(out.from, out.pps.front().observed_at);
        if (now - out.from < date::days{1}) out.from = now - date::days{1};
    }
    // The run rule counts back a fixed number of scores, however old.
    if (days)
        for (const auto& sym : all_symptoms())
            for (auto rep : {Reporter::patient, Reporter::caregiver, Reporter::nurse}) {
                auto older = obs.scores_before(p.id, sym.symptom, rep, wanted_from - lookback,
                                               thresholds.sustained_run + 1);
                r.scores.insert(r.scores.end(), older.begin(), older.end());
            }
    std::stable_sort(r.scores.begin(), r.scores.end(),
                     [](const Score& a, const Score& b) { return a.observed_at < b.observed_at; });
    r.goals = obs.goals(p.id);

    auto flags = clinical::symptom_flags(r, out.from, now, thresholds);
    std::map<std::int64_t, const Flag*> flag_of;
    for (const auto& f : flags)
        if (auto id = flagged_score(f)) flag_of[*id] = &f;
    const auto origins = correction_origins(s.db(), p.id);
    use_travelling_flag_ids(flags, r, origins);
    const auto acks = travelling_acknowledgements(
        store::FlagRepository(s.db()).acknowledgements(p.id), r, origins);

    // Each PRN dose's effect, on the score that tells it.
    std::map<std::int64_t, std::string> effect_of;
    std::vector<Administration> doses; // oldest first
    {
        store::MedicationRepository meds(s.db());
        r.medications = meds.list(p.id);
        doses = meds.administrations(
            p.id,
            out.from - std::max<std::chrono::hours>(std::chrono::hours{2}, visit_doses_within),
            now);
        for (const auto& a : doses)
            for (const auto& m : r.medications) {
                if (m.id != a.medication_id || !is_prn(m.schedule)) continue;
                const auto e = clinical::prn_follow_up(r, m, a, thresholds, now);
                if (!e.after || e.after->observed_at < out.from) continue;
                auto& text = effect_of[e.after->id];
                text += (text.empty() ? "" : "; ") + e.text;
            }
    }

    std::map<std::int64_t, Score> replaced;
    // Corrections of one score that another correction of it outranks (made on two laptops
    // offline), by the score they correct: shown beside the one in force.
    std::multimap<std::int64_t, const Score*> outranked;
    for (auto& old : obs.replaced_scores(p.id, out.from, now))
        replaced.emplace(old.id, std::move(old));
    for (const auto& [id, old] : replaced)
        if (old.supersedes) outranked.emplace(*old.supersedes, &old);

    // Newest first.
    for (auto it = r.scores.rbegin(); it != r.scores.rend(); ++it) {
        if (it->observed_at < out.from) break;
        HistoryEntry e;
        e.score = *it;
        for (auto prev = e.score.supersedes; prev;) {
            const auto [first, last] = outranked.equal_range(*prev);
            for (auto o = first; o != last; ++o)
                if (o->second->id != e.score.id &&
                    std::none_of(e.replaced.begin(), e.replaced.end(),
                                 [&](const Score& r) { return r.id == o->second->id; }))
                    e.replaced.push_back(*o->second);
            const auto old = replaced.find(*prev);
            if (old == replaced.end()) break;
            e.replaced.push_back(old->second);
            prev = old->second.supersedes;
            if (e.replaced.size() > replaced.size()) break; // a loop in bad data
        }
        if (const auto f = flag_of.find(e.score.id); f != flag_of.end()) {
            e.flag = f->second->severity;
            e.flag_rule = f->second->rule;
            e.flag_detail = f->second->detail;
            e.flag_acknowledged = acks.find(f->second->id) != acks.end();
        }
        if (const auto it = effect_of.find(e.score.id); it != effect_of.end())
            e.prn_effect = it->second;
        e.correctable = correction_refusal(s.account(), e.score,
                                           e.replaced.empty() ? e.score : e.replaced.back(), now)
                            .empty();
        out.entries.push_back(std::move(e));
    }

    out.visits = visit_lines(std::move(visits), out.entries, doses, r.medications, out.timing);

    for (const auto& sym : all_symptoms()) {
        SymptomChart c;
        c.symptom = sym.symptom;
        std::vector<ChartPoint> by_reporter[3];
        for (std::size_t i = out.entries.size(); i-- > 0;) { // oldest first
            const auto& e = out.entries[i];
            if (e.score.symptom != sym.symptom) continue;
            ++c.scores;
            c.latest = std::uint32_t(i); // the last one seen here is the newest
            by_reporter[static_cast<int>(e.score.reporter)].push_back(
                {e.score.observed_at, e.score.value, e.score.reporter, std::uint32_t(i), e.flag});
        }
        if (c.scores == 0 && !sym.core) continue;
        for (auto& series : by_reporter) {
            if (series.size() > max_chart_points) out.thinned = true;
            thin(series, out.from, out.to);
            c.points.insert(c.points.end(), series.begin(), series.end());
        }
        std::stable_sort(c.points.begin(), c.points.end(),
                         [](const ChartPoint& a, const ChartPoint& b) { return a.at < b.at; });
        for (const auto& g : r.goals) {
            if (g.symptom != sym.symptom || g.set_at > out.to) continue;
            if (g.set_at <= out.from && !c.goals.empty() && c.goals.back().set_at <= out.from)
                c.goals.back() = g; // a later goal set before the range replaces the earlier
            else
                c.goals.push_back(g);
        }
        out.charts.push_back(std::move(c));
    }
    return out;
}

std::vector<std::uint32_t> visits_matching(const PatientHistory& history, std::string_view words) {
    std::vector<std::string> wanted;
    const auto text = folded(words);
    for (std::size_t at = 0; at < text.size();) {
        const auto start = text.find_first_not_of(" \t\n", at);
        if (start == std::string::npos) break;
        const auto end = std::min(text.find_first_of(" \t\n", start), text.size());
        wanted.push_back(text.substr(start, end - start));
        at = end;
    }
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < history.visits.size(); ++i) {
        const auto& line = history.visits[i];
        std::string notes = folded(line.visit.note);
        for (auto e : line.scores)
            notes += "\n" + folded(history.entries[e].score.note);
        if (std::all_of(wanted.begin(), wanted.end(),
                        [&](const std::string& w) { return notes.find(w) != std::string::npos; }))
            out.push_back(i);
    }
    return out;
}

} // namespace solace::app
