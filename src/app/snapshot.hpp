#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "clinical/rules.hpp"
#include "domain/flag.hpp"
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
    int open_flags = 0;            // not yet acknowledged, in the recent window
    int open_by_severity[3] = {};  // of those, by Severity (info, warning, urgent)
    std::optional<Severity> worst; // of those open flags
    std::string problem;           // why the flags could not be worked out, if they could not
};

struct PatientList {
    Instant taken_at{};
    Instant flags_from{};             // the window the flag counts cover
    std::vector<PatientRow> patients; // by name, only those the account may see
};

// The patients this account may see, each with its open flags over [now - days, now].
PatientList patient_list(const Session& s, Instant now, int days = 7);

// One patient, as the Visit and Flags views need it.
struct PatientPicture {
    Instant taken_at{};
    Instant flags_from{};
    Patient patient;
    int age = 0;
    std::vector<Flag> flags; // [flags_from, taken_at]: open ones first, by severity, then time
    Thresholds thresholds;   // the agency's, for previews
    clinical::PatientRecord record; // the recent scores and goals the symptom rules look at
};

PatientPicture patient_picture(const Session& s, std::string_view mrn, Instant now, int days = 7);

// The latest score of a symptom by this kind of reporter, if any.
const Score* previous_score(const PatientPicture& p, Symptom symptom, Reporter reporter);
// The comfort goal in force now for a symptom, if one is set.
std::optional<int> comfort_goal(const PatientPicture& p, Symptom symptom);

// The flag each score of a visit not yet saved would raise, by the same rules and thresholds
// as a saved one (computed from the picture, no database).
std::vector<Flag> preview_flags(const PatientPicture& p, const VisitEntry& visit);

} // namespace solace::app
