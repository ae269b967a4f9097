#pragma once
// The weekly summary for the oncologist (DESIGN §1, issue 5): one patient, one ISO week in the
// patient's time zone, as plain data. pdf.hpp draws it; the window previews the same drawing.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/session.hpp"
#include "domain/flag.hpp"
#include "domain/patient.hpp"
#include "domain/score.hpp"
#include "domain/time.hpp"

namespace solace::report {

// An ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday.
struct IsoWeek {
    int year = 1970;
    unsigned week = 1; // 1..52 or 53

    friend bool operator==(const IsoWeek&, const IsoWeek&) = default;
};

// `2026-W10` (also `2026W10`, lower case w), `this` or `last`: the week holding `now`, or the
// one before, in `zone`. Throws ValidationError with an example.
IsoWeek parse_week(std::string_view text, Instant now, const date::time_zone* zone);
std::string format_week(IsoWeek w); // 2026-W10
date::local_days monday_of(IsoWeek w);
IsoWeek week_of(date::local_days day);

// "Mon 2 Mar – Sun 8 Mar 2026"; the years of both ends when they differ.
std::string week_dates(IsoWeek w);

struct SymptomPoint {
    Instant at{};
    int value = 0; // 0..10
    Reporter reporter = Reporter::patient;
};

struct SymptomSummary {
    Symptom symptom = Symptom::pain;
    std::vector<SymptomPoint> points; // oldest first; every reporter kind
    std::optional<int> goal;          // comfort goal in effect at the end of the week
    int last = 0, lowest = 0, highest = 0;
    Reporter last_reporter = Reporter::patient;
    Band band = Band::none; // of the last score

    // The change against the previous week compares one reporter kind only (proxies rate
    // differently): the kind with most scores this week, the patient's own on a tie.
    Reporter compared = Reporter::patient;
    double mean = 0;                     // this week, `compared` only
    std::optional<double> previous_mean; // the week before, `compared` only
    std::optional<double> change;        // mean - previous_mean
    // +1 worse, -1 better, 0 within the minimal clinically important difference (1 point).
    int trend = 0;
};

struct FlagLine {
    Flag flag;
    std::string rule_words; // "Severe score", "Dose missed", ...
};

struct Adherence {
    std::string key, name, dose, route, schedule;
    bool time_critical = false;
    // Doses due in the week whose window had closed when the summary was made.
    int due = 0, on_time = 0, late = 0, early = 0, missed = 0, held = 0, refused = 0;
    std::optional<int> given_percent; // (on time + late + early) / due, rounded
};

struct PrnUse {
    std::string key, name, dose, indication;
    std::array<int, 7> per_day{}; // given doses, Monday first (local days)
    int total = 0;
    bool counts_for_breakthrough = false; // indication pain
    // Each dose given this week whose symptom was scored 15..90 min after, by time:
    // "Tue 10:00: pain 8 → 4, 40 min after morphine-ir".
    std::vector<std::string> effects;
};

struct PpsLine {
    Instant at{};
    int value = 0; // 0..100 in steps of 10
    std::string author;
};

struct NoteLine {
    Instant at{};
    std::string author;
    std::string about; // empty for a visit note; "Anxiety 5, caregiver" for a score's note
    std::string text;
};

// When the week holds a daylight-saving change, so times can be read right.
struct ClockChange {
    Instant at{};
    std::string before, after; // "EST", "EDT"
    bool forward = true;       // clocks went forward (spring) or back (autumn)
};

struct WeeklySummary {
    Patient patient;
    IsoWeek week;
    Instant start{}, end{}; // local Monday 00:00 to the next Monday 00:00, as instants
    Instant made_at{};      // when the summary was made: later data is not in it
    std::string made_by;    // the account
    std::string audit_head; // the audit log's last row when made (app::head_words), or empty
    std::optional<ClockChange> clock_change;

    int visits = 0;
    std::array<int, 3> scores_by_reporter{}; // indexed by Reporter
    int doses_recorded = 0;                  // given, held or refused, scheduled and PRN

    std::vector<SymptomSummary> symptoms; // ESAS-r order, only those scored this week
    std::vector<FlagLine> flags;          // most severe first, then by time
    std::vector<Adherence> adherence;     // scheduled medications in effect this week
    std::vector<PrnUse> prn;              // as-needed medications in effect this week
    int prn_effect_from_minutes = 15, prn_effect_to_minutes = 90; // the settings of the week
    std::array<bool, 7> breakthrough_day{}; // a prn.breakthrough flag fell on that local day
    std::vector<PpsLine> pps;
    std::vector<NoteLine> notes; // by time

    int scores() const {
        return scores_by_reporter[0] + scores_by_reporter[1] + scores_by_reporter[2];
    }
    // No visit, score or PPS at all: the summary says so instead of drawing empty charts.
    bool empty() const { return visits == 0 && scores() == 0 && pps.empty(); }
    // Scores exist but all by family caregivers.
    bool caregiver_only() const {
        return scores() > 0 &&
               scores() == scores_by_reporter[static_cast<int>(Reporter::caregiver)];
    }
};

// Builds the summary as of `now`: flags and doses are judged up to a day after the week ends
// (so Sunday night's doses are judged) but never after `now`. The session must be allowed to
// read the patient.
WeeklySummary build_weekly_summary(const app::Session& s, const Patient& p, IsoWeek week,
                                   Instant now);

// "Severe score" for "symptom.severe"; the rule name itself when unknown.
std::string_view rule_in_words(std::string_view rule);

// Local time as a nurse reads it: "Tue 3 Mar 14:05".
std::string local_when(Instant t, const date::time_zone* zone);

} // namespace solace::report
