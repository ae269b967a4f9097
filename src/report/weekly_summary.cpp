#include "report/weekly_summary.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <tuple>

#include <date/iso_week.h>
#include <fmt/format.h>

#include "app/anchor.hpp"
#include "app/clinic.hpp"
#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "store/flag_repository.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"

namespace solace::report {

namespace {

using std::chrono::seconds;

constexpr std::string_view weekday_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::string_view month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Doses and flags of Sunday night are judged this long after the week ends (a window closes
// at most a few hours after its dose; a record is matched at most 24 h away).
constexpr date::days judging_grace{1};

std::string day_text(date::local_days d, bool with_year) {
    const date::year_month_day ymd{d};
    const date::weekday wd{d};
    auto out =
        fmt::format("{} {} {}", weekday_names[wd.c_encoding()], static_cast<unsigned>(ymd.day()),
                    month_names[static_cast<unsigned>(ymd.month()) - 1]);
    if (with_year) out += fmt::format(" {}", static_cast<int>(ymd.year()));
    return out;
}

std::string lower_trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

[[noreturn]] void bad_week(std::string_view raw, std::string_view why = {}) {
    throw ValidationError(fmt::format(
        "--week \"{}\" is not a week{}; write an ISO week such as 2026-W10 (Monday 2 to Sunday 8 "
        "March 2026), or this or last.",
        raw, why));
}

double mean_of(const std::vector<int>& values) {
    double sum = 0;
    for (int v : values)
        sum += v;
    return sum / static_cast<double>(values.size());
}

// The reporter kind with most scores this week; the patient's own, then the nurse's, on a tie.
Reporter compared_reporter(const std::vector<SymptomPoint>& points) {
    std::array<int, 3> n{};
    for (const auto& p : points)
        ++n[static_cast<int>(p.reporter)];
    Reporter best = Reporter::patient;
    for (auto r : {Reporter::nurse, Reporter::caregiver})
        if (n[static_cast<int>(r)] > n[static_cast<int>(best)]) best = r;
    return best;
}

std::optional<int> goal_at(const std::vector<ComfortGoal>& goals, Symptom s, Instant at) {
    std::optional<int> out;
    for (const auto& g : goals) // sorted by set_at
        if (g.symptom == s && g.set_at < at) out = g.goal;
    return out;
}

SymptomSummary summarize_symptom(Symptom sym, const std::vector<Score>& week,
                                 const std::vector<Score>& previous,
                                 const std::vector<ComfortGoal>& goals, Instant end) {
    SymptomSummary out;
    out.symptom = sym;
    for (const auto& s : week)
        if (s.symptom == sym) out.points.push_back({s.observed_at, s.value, s.reporter});
    if (out.points.empty()) return out;
    out.goal = goal_at(goals, sym, end);
    const auto& last = out.points.back();
    out.last = last.value;
    out.last_reporter = last.reporter;
    out.band = band_of(last.value);
    const auto [lo, hi] = std::minmax_element(
        out.points.begin(), out.points.end(),
        [](const SymptomPoint& a, const SymptomPoint& b) { return a.value < b.value; });
    out.lowest = lo->value;
    out.highest = hi->value;

    out.compared = compared_reporter(out.points);
    std::vector<int> now_values, before_values;
    for (const auto& p : out.points)
        if (p.reporter == out.compared) now_values.push_back(p.value);
    for (const auto& s : previous)
        if (s.symptom == sym && s.reporter == out.compared) before_values.push_back(s.value);
    out.mean = mean_of(now_values);
    if (!before_values.empty()) {
        out.previous_mean = mean_of(before_values);
        out.change = out.mean - *out.previous_mean;
        // 1 point is the minimal clinically important difference; means are exact to 1e-9.
        constexpr double mcid = 1.0 - 1e-9;
        out.trend = *out.change >= mcid ? 1 : *out.change <= -mcid ? -1 : 0;
    }
    return out;
}

std::vector<FlagLine> week_flags(std::vector<Flag> flags, Instant end) {
    std::erase_if(flags, [&](const Flag& f) { return f.at >= end; });
    std::stable_sort(flags.begin(), flags.end(), [](const Flag& a, const Flag& b) {
        // Escalated first (DESIGN §3), then the most severe.
        return std::tuple(b.escalated, b.severity, a.at, a.rule) <
               std::tuple(a.escalated, a.severity, b.at, b.rule);
    });
    std::vector<FlagLine> out;
    for (auto& f : flags) {
        const auto words = rule_in_words(f.rule);
        out.push_back({std::move(f), std::string(words)});
    }
    return out;
}

int count_flags(const std::vector<FlagLine>& flags, std::string_view key, std::string_view rule) {
    return static_cast<int>(std::count_if(flags.begin(), flags.end(), [&](const FlagLine& l) {
        return l.flag.med == key && l.flag.rule == rule;
    }));
}

bool overlaps(const Medication& m, Instant start, Instant end) {
    return m.start < end && (!m.end || *m.end >= start);
}

// Counts come from the dose flags (late, early, missed: the engine's matching) and from the
// records (held, refused); on time is what remains of the doses due.
Adherence scheduled_adherence(const std::vector<const Medication*>& versions,
                              const std::vector<Administration>& records,
                              const std::vector<FlagLine>& flags, const WeeklySummary& w,
                              Instant judged, const date::time_zone* zone, const Thresholds& t) {
    const auto& latest = *versions.back();
    Adherence a;
    a.key = latest.key;
    a.name = latest.name;
    a.dose = latest.dose;
    a.route = latest.route;
    a.schedule = latest.schedule_text;
    a.time_critical = latest.time_critical;
    for (const auto* m : versions)
        for (const auto& d : clinical::expand(*m, zone, w.start, w.end - seconds{1}, t))
            if (d.due + d.window < judged) ++a.due;
    for (const auto& r : records) {
        const bool mine = std::any_of(versions.begin(), versions.end(), [&](const Medication* m) {
            return m->id == r.medication_id;
        });
        if (!mine) continue;
        if (r.status == DoseStatus::held) ++a.held;
        if (r.status == DoseStatus::refused) ++a.refused;
    }
    a.late = count_flags(flags, a.key, "dose.late");
    a.early = count_flags(flags, a.key, "dose.early");
    a.missed = count_flags(flags, a.key, "dose.missed");
    a.on_time = std::max(0, a.due - a.late - a.early - a.missed - a.held - a.refused);
    if (a.due > 0)
        a.given_percent = static_cast<int>(
            std::lround(100.0 * std::min(a.due, a.on_time + a.late + a.early) / a.due));
    return a;
}

int day_index(Instant t, const WeeklySummary& w, const date::time_zone* zone) {
    const auto day = date::floor<date::days>(zone->to_local(t));
    return static_cast<int>((day - monday_of(w.week)).count());
}

PrnUse prn_use(const std::vector<const Medication*>& versions,
               const std::vector<Administration>& records, const WeeklySummary& w,
               const date::time_zone* zone, const clinical::PatientRecord& scored,
               const Thresholds& t, Instant judged) {
    const auto& latest = *versions.back();
    PrnUse u;
    u.key = latest.key;
    u.name = latest.name;
    u.dose = latest.dose;
    u.indication = latest.indication;
    u.counts_for_breakthrough = lower_trimmed(latest.indication) == "pain";
    for (const auto& r : records) {
        if (r.status != DoseStatus::given) continue;
        const bool mine = std::any_of(versions.begin(), versions.end(), [&](const Medication* m) {
            return m->id == r.medication_id;
        });
        const int day = day_index(r.given_at, w, zone);
        if (!mine || day < 0 || day > 6) continue;
        ++u.per_day[static_cast<std::size_t>(day)];
        ++u.total;
        const auto* m = *std::find_if(versions.begin(), versions.end(), [&](const Medication* v) {
            return v->id == r.medication_id;
        });
        if (const auto effect = clinical::prn_effect(scored, *m, r, t, judged); !effect.empty())
            u.effects.push_back(fmt::format(
                "{}: {}",
                date::format("%a %H:%M",
                             date::floor<std::chrono::minutes>(zone->to_local(r.given_at))),
                effect));
    }
    return u;
}

void add_medications(WeeklySummary& w, const app::Session& s, Instant judged,
                     const date::time_zone* zone) {
    const auto t = store::FlagRepository(s.db()).thresholds();
    w.prn_effect_from_minutes = t.prn_follow_up_from_minutes;
    w.prn_effect_to_minutes = t.prn_follow_up_to_minutes;
    store::MedicationRepository meds(s.db());
    const auto all = meds.list(w.patient.id); // by key, then start
    auto records = meds.administrations(w.patient.id, w.start, w.end - seconds{1});
    std::erase_if(records, [&](const Administration& a) { return a.given_at > w.made_at; });
    w.doses_recorded = static_cast<int>(records.size());

    std::map<std::string, std::vector<const Medication*>> by_key;
    for (const auto& m : all)
        if (overlaps(m, w.start, w.end)) by_key[m.key].push_back(&m);
    // The scores that tell the PRN doses' effects: the last before a dose, the first after.
    clinical::PatientRecord scored;
    scored.scores = store::ObservationRepository(s.db()).scores(
        w.patient.id, w.start - clinical::score_lookback(t), judged);
    for (const auto& [key, versions] : by_key) {
        if (is_prn(versions.back()->schedule))
            w.prn.push_back(prn_use(versions, records, w, zone, scored, t, judged));
        else
            w.adherence.push_back(
                scheduled_adherence(versions, records, w.flags, w, judged, zone, t));
    }
    for (const auto& f : w.flags)
        if (f.flag.rule == "prn.breakthrough")
            if (const int day = day_index(f.flag.at, w, zone); day >= 0 && day <= 6)
                w.breakthrough_day[static_cast<std::size_t>(day)] = true;
}

void add_observations(WeeklySummary& w, const app::Session& s) {
    store::ObservationRepository obs(s.db());
    const auto last_second = std::min(w.end - seconds{1}, w.made_at);
    const auto scores = obs.scores(w.patient.id, w.start, last_second);
    const auto* zone = find_zone(w.patient.time_zone);
    const auto previous_start =
        resolve_local(zone, date::local_seconds{monday_of(w.week) - date::days{7}});
    const auto previous = obs.scores(w.patient.id, previous_start, w.start - seconds{1});
    const auto goals = obs.goals(w.patient.id);
    for (const auto& sc : scores)
        ++w.scores_by_reporter[static_cast<std::size_t>(sc.reporter)];
    for (const auto& info : all_symptoms()) {
        auto sum = summarize_symptom(info.symptom, scores, previous, goals, w.end);
        if (!sum.points.empty()) w.symptoms.push_back(std::move(sum));
    }

    for (const auto& p : obs.pps(w.patient.id, w.start, last_second))
        w.pps.push_back({p.observed_at, p.value, p.author});
    const auto visits = obs.visits(w.patient.id, w.start, last_second);
    w.visits = static_cast<int>(visits.size());
    for (const auto& v : visits)
        if (!v.note.empty()) w.notes.push_back({v.at, v.author, {}, v.note});
    for (const auto& sc : scores)
        if (!sc.note.empty())
            w.notes.push_back(
                {sc.observed_at, sc.author,
                 fmt::format("{} {}, {}", info(sc.symptom).label, sc.value, code(sc.reporter)),
                 sc.note});
    std::stable_sort(w.notes.begin(), w.notes.end(),
                     [](const NoteLine& a, const NoteLine& b) { return a.at < b.at; });
}

std::optional<ClockChange> clock_change(const date::time_zone* zone, Instant start, Instant end) {
    const auto info = zone->get_info(start);
    if (info.end >= end) return std::nullopt;
    const auto after = zone->get_info(info.end);
    return ClockChange{info.end, info.abbrev, after.abbrev, after.offset > info.offset};
}

} // namespace

IsoWeek parse_week(std::string_view raw, Instant now, const date::time_zone* zone) {
    const auto text = lower_trimmed(raw);
    const auto today = date::floor<date::days>(zone->to_local(now));
    if (text == "this") return week_of(today);
    if (text == "last") return week_of(today - date::days{7});
    // YYYY-Www or YYYYWww
    std::size_t pos = 4;
    if (text.size() < 7 || !std::all_of(text.begin(), text.begin() + 4,
                                        [](unsigned char c) { return std::isdigit(c); }))
        bad_week(raw);
    if (text[pos] == '-') ++pos;
    if (pos >= text.size() || text[pos] != 'w') bad_week(raw);
    ++pos;
    const auto digits = text.substr(pos);
    if (digits.size() != 2 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
        bad_week(raw);
    int year = 0;
    unsigned week = 0;
    std::from_chars(text.data(), text.data() + 4, year);
    std::from_chars(digits.data(), digits.data() + 2, week);
    const iso_week::year_weeknum_weekday ywd{iso_week::year{year}, iso_week::weeknum{week},
                                             iso_week::weekday{date::Monday}};
    if (week < 1 || !ywd.ok()) {
        const iso_week::year_lastweek_weekday last{iso_week::year{year},
                                                   iso_week::weekday{date::Monday}};
        bad_week(raw, week > 52 ? fmt::format(" ({} has {} ISO weeks)", year,
                                              static_cast<unsigned>(last.weeknum()))
                                : std::string{});
    }
    return {year, week};
}

std::string format_week(IsoWeek w) {
    return fmt::format("{:04}-W{:02}", w.year, w.week);
}

date::local_days monday_of(IsoWeek w) {
    const date::sys_days d{iso_week::year{w.year} / iso_week::weeknum{w.week} /
                           iso_week::weekday{date::Monday}};
    return date::local_days{d.time_since_epoch()};
}

IsoWeek week_of(date::local_days day) {
    const iso_week::year_weeknum_weekday ywd{day};
    return {static_cast<int>(ywd.year()), static_cast<unsigned>(ywd.weeknum())};
}

std::string week_dates(IsoWeek w) {
    const auto monday = monday_of(w);
    const auto sunday = monday + date::days{6};
    const bool years_differ =
        date::year_month_day{monday}.year() != date::year_month_day{sunday}.year();
    return fmt::format("{} – {}", day_text(monday, years_differ), day_text(sunday, true));
}

std::string local_when(Instant t, const date::time_zone* zone) {
    const auto local = zone->to_local(t);
    const auto day = date::floor<date::days>(local);
    return fmt::format("{} {}", day_text(day, false), date::format("%H:%M", local));
}

std::string_view rule_in_words(std::string_view rule) {
    static const std::map<std::string_view, std::string_view> words{
        {"symptom.severe", "Severe score"},
        {"symptom.rise", "Rise of 2 or more points"},
        {"symptom.band_up", "Moved up a band"},
        {"symptom.above_goal", "Above comfort goal"},
        {"symptom.sustained_rise", "Sustained rise"},
        {"dose.late", "Dose given late"},
        {"dose.early", "Dose given early"},
        {"dose.missed", "Dose missed"},
        {"prn.breakthrough", "Breakthrough pain medication"},
        {"prn.too_soon", "As-needed dose too soon"},
        {"prn.over_max", "As-needed doses over the maximum"},
        {"prn.no_follow_up", "No score after an as-needed dose"},
        {"dose.duplicate", "Possible double dose"},
        {"med.no_laxative", "Strong opioid without a laxative"},
        {"bowel.none", "No bowel movement for 72 hours"},
    };
    const auto it = words.find(rule);
    return it == words.end() ? rule : it->second;
}

WeeklySummary build_weekly_summary(const app::Session& s, const Patient& p, IsoWeek week,
                                   Instant now) {
    s.require_read(p);
    const auto* zone = find_zone(p.time_zone);
    WeeklySummary w;
    w.patient = p;
    w.week = week;
    const auto monday = monday_of(week);
    w.start = resolve_local(zone, date::local_seconds{monday});
    w.end = resolve_local(zone, date::local_seconds{monday + date::days{7}});
    if (w.start > now)
        throw ValidationError(fmt::format("Week {} ({}) has not started yet in {}; choose this "
                                          "week or an earlier one.",
                                          format_week(week), week_dates(week), p.time_zone));
    w.made_at = now;
    w.made_by = s.account().name;
    // Printed in the footer: a later look at the log can tell if rows after it were cut.
    if (const auto head = app::audit_head(s.db())) w.audit_head = app::head_words(*head);
    w.clock_change = clock_change(zone, w.start, w.end);

    const auto judged = std::min(w.end + judging_grace, now);
    w.flags = week_flags(app::patient_flags(s, p, w.start, judged), w.end);
    add_observations(w, s);
    add_medications(w, s, judged, zone);
    return w;
}

} // namespace solace::report
