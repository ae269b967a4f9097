#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/session.hpp"
#include "clinical/rules.hpp"
#include "domain/flag.hpp"
#include "domain/medication.hpp"
#include "store/medication_repository.hpp"

namespace solace::app {

// ---- Use cases: a medication changes by new versions; rows are never updated. ----

// A new version of `key` from `from` on, with the fields of `fields` (its key, patient, start
// and id are ignored): it supersedes the version in force (its effective end becomes the
// second before `from`) and keeps the administrations recorded against the old one. `from`
// must come after the start of the latest version. Nurses only; the reason is required.
std::int64_t change_medication(const Session& s, const std::string& mrn, const std::string& key,
                               Medication fields, Instant from, std::string_view reason);

// Stops `key` at `at`: a new version, a copy of the latest, whose start and end are both `at`
// (ends are inclusive, as in the CSV import: a dose due exactly at `at` is still due). The
// earlier version keeps its start and its administrations and now ends the second before `at`;
// nothing is updated or deleted. Nurses only; the reason is required.
std::int64_t stop_medication(const Session& s, const std::string& mrn, const std::string& key,
                             Instant at, std::string_view reason);

// ---- The Medications view's snapshot: one day's doses in the patient's local time. ----

// What happened to a scheduled dose, as of a moment.
enum class DoseState {
    upcoming,      // its window has not opened yet
    due_now,       // its window is open and nothing is recorded
    missed,        // its window closed with nothing recorded
    given_on_time, // given within its window
    given_late,
    given_early,
    held,
    refused,
};

struct DoseRow {
    std::string key;
    std::string name;
    std::string dose;  // "30 mg"
    std::string route; // "oral"
    bool time_critical = false;
    ScheduledDose scheduled;
    std::optional<Administration> record; // the one that covers this dose
};

// One medication as the list shows it: its latest version.
struct MedicationLine {
    Medication latest;
    int versions = 1;
    bool stopped = false; // the latest version has ended by the time of the snapshot
};

// How far back the day chooser reaches at least, whatever the medications' starts.
inline constexpr date::days mar_days_back{30};

struct MedicationsPicture {
    Instant taken_at{};
    Patient patient;
    date::local_days day{};       // the day shown, on the patient's own calendar
    bool is_today = true;         // `day` holds taken_at; else a past day, read-only
    date::local_days first_day{}; // the earliest day to offer: the first medication's start day,
                                  // or mar_days_back before today if that is earlier
    Instant day_start{};          // the patient's local midnight that began the day (23 or 25 h on
    Instant day_end{};            // the days the clocks change); the last second of the day
    // The doses' states are judged as of this: taken_at for today; for a past day the close
    // of the last window a dose of that day can have (day_end + the widest window, so that a
    // dose due at 23:00 is judged once its window closed after midnight), or taken_at if earlier.
    Instant judged_at{};
    Thresholds thresholds;
    // Every medication version, and the administrations from two days before the day up to
    // judged_at: enough for the dose matching of the day and every PRN rule (prn_flags,
    // previews, prn_standing today).
    clinical::PatientRecord record;
    std::vector<DoseRow> doses;           // scheduled doses due on the day, by due time then name
    std::vector<MedicationLine> lines;    // every medication key, scheduled first, then PRN
    std::vector<Administration> recorded; // every record given on the day, newest first
    // Corrections and voids: today, of doses given in the last three days; a past day, of the
    // doses given on that day; oldest first.
    std::vector<store::MedicationRepository::DoseChange> changes;
};

// The patient's local day that holds `t`.
date::local_days patient_day(const Patient& p, Instant t);

// The Medications view's snapshot of `day` (default: the day that holds `now`, in the
// patient's zone). A day after today is refused. Read-only: any account that may read the
// patient (a family account its own).
MedicationsPicture medications_picture(const Session& s, std::string_view mrn, Instant now,
                                       std::optional<date::local_days> day = std::nullopt);

DoseState dose_state(const DoseRow& row, Instant now);
// When the picture's doses are judged, drawn at `now`: now for today (a dose turns due and
// missed while the view is open), judged_at for a past day.
Instant judging_time(const MedicationsPicture& p, Instant now);

// The version of `key` in force at `at` (or the nearest earlier one), among `record`'s.
const Medication* version_at(const clinical::PatientRecord& record, std::string_view key,
                             Instant at);

// How an as-needed medication stands at `now`: its doses given in the last 24 hours.
struct PrnStanding {
    std::optional<Instant> last_given;
    int in_last_24h = 0;
    std::optional<Instant> next_allowed; // when the minimum interval allows the next dose
};
PrnStanding prn_standing(const MedicationsPicture& p, std::string_view key, Instant now);

// What recording a dose of `key` at `at` would do, worked out on the snapshot before saving.
struct DosePreview {
    // Scheduled: the dose the record would cover (the nearest it can), if any.
    std::optional<ScheduledDose> covers;
    // PRN: prn.too_soon / prn.over_max / prn.breakthrough flags this dose would raise.
    // Scheduled: dose.late / dose.early for the dose it covers.
    std::vector<Flag> flags;
};
DosePreview preview_dose(const MedicationsPicture& p, std::string_view key, Instant at,
                         DoseStatus status);

} // namespace solace::app
