#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/session.hpp"
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

} // namespace solace::app
