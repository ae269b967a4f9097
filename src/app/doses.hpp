#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "app/session.hpp"
#include "domain/medication.hpp"

namespace solace::app {

// True when the name holds a benzodiazepine given in palliative care (midazolam, lorazepam...).
bool names_benzodiazepine(std::string_view medication_name);
// An opioid or a benzodiazepine: giving one asks for a confirmation first.
bool names_controlled(std::string_view medication_name);

// A correction of one dose record (DESIGN §5 `dose correct`): amend, never delete.
struct DoseCorrection {
    std::string dose_id; // the record's uuid
    std::string reason;  // required: why it is corrected
    std::optional<DoseStatus> status{};
    bool entered_in_error = false; // the record counts for nothing (it stays, marked)
    std::optional<Instant> at{};   // when it was really given
};

// Supersedes the record with a new one (its status or time changed), or marks it entered in
// error; nurses only. Returns the uuid of the row written. The record must be the latest of its
// chain; a new time obeys the same limits as a new entry (check_entry_time).
std::string correct_dose(const Session& s, const DoseCorrection& c, Instant now = now_utc());

} // namespace solace::app
