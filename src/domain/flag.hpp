#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/symptom.hpp"
#include "domain/time.hpp"

namespace solace {

enum class Severity { info, warning, urgent }; // ordered: urgent is the most severe
std::string_view code(Severity s);

// A flag raised by a clinical rule. `id` is stable across recomputation:
// rule + patient + the score, scheduled dose or PRN dose it is about.
struct Flag {
    std::string id;
    std::int64_t patient_id = 0;
    std::string mrn;
    std::string rule; // e.g. "symptom.rise"
    Severity severity = Severity::info;
    Instant at{};
    std::optional<Symptom> symptom;
    std::string med; // medication key, for dose and PRN rules
    std::vector<std::string> reasons;
    std::string detail;

    bool acknowledged = false;
    bool escalated = false; // urgent, unacknowledged escalate_after_minutes after `at`
    std::string acknowledged_by;
    std::optional<Instant> acknowledged_at;
    std::string acknowledgement_note;

    bool operator==(const Flag&) const = default;
};

// The rule thresholds (DESIGN §3). Stored in the settings table so an agency can tune them;
// these defaults are DESIGN's values.
struct Thresholds {
    int severe_score = 7;             // symptom.severe: score >= this
    int rise_points = 2;              // symptom.rise: >= this above the previous score
    int rise_lookback_days = 14;      // ... that previous score at most this old
    int sustained_run = 3;            // symptom.sustained_rise: this many rises in a row
    int sustained_window_days = 7;    // ... or the mean of this many days
    int sustained_mean_points = 2;    // ... at least this above the window before
    int sustained_min_scores = 2;     // ... each window needing this many scores
    int critical_window_minutes = 30; // time-critical, or dosed more often than every 4 h
    int frequent_interval_hours = 4;
    int multi_daily_window_minutes = 60; // dosed more than once a day
    int daily_window_minutes = 120;      // once a day or less
    int breakthrough_doses = 3;          // prn.breakthrough: pain PRN doses in 24 h
    int sustained_span_days = 14;        // sustained_rise run: all within this of the newest
    int bowel_none_hours = 72;           // bowel.none: latest bowel movement this long ago
    int prn_follow_up_from_minutes = 15; // prn.no_follow_up and PRN effect: a score in
    int prn_follow_up_to_minutes = 90;   // ... [from, to] minutes after the dose
    int escalate_after_minutes = 240;    // urgent and unacknowledged this long: escalated
};

} // namespace solace
