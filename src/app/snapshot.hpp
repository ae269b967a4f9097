#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/clinic.hpp"
#include "app/flag_cache.hpp"
#include "app/session.hpp"
#include "clinical/rules.hpp"
#include "domain/flag.hpp"
#include "domain/medication.hpp"
#include "domain/score.hpp"
#include "domain/time.hpp"

namespace solace::app {

// Read-only pictures of the data for the window. Views draw from these plain structs and never
// touch the database while drawing; the window takes a new snapshot after a change.

struct PatientRow {
    std::string mrn;
    std::string name;
    std::string date_of_birth; // 1948-05-02
    int age = 0;               // whole years, on today's date in the patient's zone
    std::string time_zone;
    std::string diagnosis;
    int open_flags = 0;            // not yet acknowledged, back to open_flag_horizon
    int open_by_severity[3] = {};  // of those, by Severity (info, warning, urgent)
    std::optional<Severity> worst; // of those open flags
    int escalated = 0;             // urgent flags open past escalate_after_minutes
    std::string problem;           // why the flags could not be worked out, if they could not
    // The time of the oldest open flag, if any.
    std::optional<Instant> oldest_open;
};

// Sets the row's open-flag fields from the patient's shown flags (shown_flags).
void count_open_flags(PatientRow& row, const std::vector<Flag>& flags);

struct PatientList {
    Instant taken_at{};
    Instant flags_from{};             // the recent window; open flags are counted back to
                                      // open_flag_horizon
    std::vector<PatientRow> patients; // by name, only those the account may see
    // False while the counts cover only the recent window: the older open flags are still
    // being worked out (the window's first list, so that it shows at once).
    bool older_counted = true;
};

// The patients this account may see, each with its open flags: those over [now - days, now]
// and older ones back to open_flag_horizon (shown_flags). With a cache (kept by the caller between
// refreshes), only patients whose flags may differ are worked out again; the list is the same
// either way.
// With `count_older` false, only the recent window is counted (older_counted is false).
PatientList patient_list(const Session& s, Instant now, int days = 7, FlagCache* cache = nullptr,
                         bool count_older = true);

// One patient, as the Visit and Flags views need it.
struct PatientPicture {
    Instant taken_at{};
    std::uint64_t serial = 0; // differs for every picture taken: a view sees the data changed
    Instant flags_from{};
    Patient patient;
    int age = 0;
    // shown_flags: [flags_from, taken_at], and older open ones back to open_flag_horizon. Open
    // ones first, escalated first among them, by severity, then time
    std::vector<Flag> flags;
    Thresholds thresholds;               // the agency's, for previews
    clinical::PatientRecord record;      // the recent scores and goals the symptom rules look at
    std::vector<Medication> medications; // every version: the names flags are told by
};

PatientPicture patient_picture(const Session& s, std::string_view mrn, Instant now, int days = 7);

// The latest score of a symptom by this kind of reporter, if any.
const Score* previous_score(const PatientPicture& p, Symptom symptom, Reporter reporter);
// The comfort goal in force now for a symptom, if one is set.
std::optional<int> comfort_goal(const PatientPicture& p, Symptom symptom);

// The flag each score of a visit not yet saved would raise, by the same rules and thresholds
// as a saved one (computed from the picture, no database).
std::vector<Flag> preview_flags(const PatientPicture& p, const VisitEntry& visit);

// The History view: one range of a patient's scores, with what corrections replaced and the
// flags the scores raised. Taken when the range or the data changes, never while drawing.
enum class HistoryRange { week, month, quarter, all };
// 7, 30 or 90 days; nullopt for all.
std::optional<int> range_days(HistoryRange r);

struct HistoryEntry {
    Score score;                  // the current value (a correction, when `replaced` is not empty)
    std::vector<Score> replaced;  // what it replaced, the value just before it first
    std::optional<Severity> flag; // the flag this score raised, if any
    std::string flag_rule;        // e.g. "symptom.severe"
    std::string flag_detail;
    bool flag_acknowledged = false;
    // When this score followed an as-needed dose for its symptom (15..90 min after): that
    // dose's effect, "pain 8 → 4, 40 min after morphine-ir" ("; " between two doses).
    std::string prn_effect;
    // Whether the signed-in account may correct it as of the history's taken_at (a family
    // member: its own score within the hour, correction_refusal).
    bool correctable = false;
};

// A point of a chart: one score, or (when the range holds too many to draw) the highest score
// of a stretch of time, so a bad day never disappears from the chart.
struct ChartPoint {
    Instant at{};
    int value = 0;
    Reporter reporter = Reporter::patient;
    std::uint32_t entry = 0; // index into PatientHistory::entries
    std::optional<Severity> flag;
};

struct SymptomChart {
    Symptom symptom = Symptom::pain;
    std::vector<ChartPoint> points;      // oldest first, each reporter kind thinned on its own
    std::vector<ComfortGoal> goals;      // in force during the range: the last set before it, then
                                         // each change in it, by set_at
    std::size_t scores = 0;              // scores in the range (points may be fewer)
    std::optional<std::uint32_t> latest; // index into entries of the newest score
};

// A dose recorded near a visit, as the visit timeline lists it.
struct VisitDose {
    Instant given_at{};
    std::string medication; // its name and dose: "Morphine sulfate IR 5 mg"
    bool as_needed = false;
    DoseStatus status = DoseStatus::given;
    std::string reason;      // why held or refused
    std::string recorded_by; // who gave it, as written
};

// Doses recorded this close to a visit's time, before or after, are listed with it: those the
// nurse gave at the visit, or the family just before.
inline constexpr std::chrono::hours visit_doses_within{2};

// A visit of the History's timeline: when, who, its scores, PPS and note, the doses around it.
struct VisitLine {
    Visit visit;                       // at, author, pps, note
    Instant recorded_at{};             // when it was written
    bool documented_late = false;      // written more than EntryTiming::late_documentation after
    std::vector<std::uint32_t> scores; // indices into PatientHistory::entries, ESAS-r order
    std::vector<VisitDose> doses;      // within visit_doses_within of the visit, by time
};

struct PatientHistory {
    Instant taken_at{};
    Instant from{}; // the range shown: [from, to]; for `all`, from the first score
    Instant to{};
    HistoryRange range = HistoryRange::week;
    Patient patient;
    std::vector<HistoryEntry> entries; // current scores in the range, newest first
    std::vector<SymptomChart> charts;  // core symptoms always, the others when scored; ESAS-r order
    bool thinned = false;              // some chart shows fewer points than scores
    EntryTiming timing;                // when an entry counts as documented late
    std::vector<VisitLine> visits;     // in the range, newest first
    std::vector<PpsScore> pps;         // every current PPS in the range, oldest first
};

// At most this many points per reporter kind in one chart: a chart is a few hundred pixels
// wide, and more markers would only overlap (and cost frame time).
inline constexpr std::size_t max_chart_points = 120;

PatientHistory patient_history(const Session& s, std::string_view mrn, Instant now,
                               HistoryRange range);

// The visits (indices into history.visits, newest first) whose note, or a note of one of their
// scores, holds every word of `words` (case does not matter; blank words: every visit).
std::vector<std::uint32_t> visits_matching(const PatientHistory& history, std::string_view words);

} // namespace solace::app
