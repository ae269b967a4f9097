#pragma once
#include <string_view>
#include <vector>

#include "domain/flag.hpp"
#include "domain/medication.hpp"

namespace solace::clinical {

// Parses the schedule grammar of DESIGN §3. Throws ValidationError whose message names the
// text and shows examples of what is accepted.
Schedule parse_schedule(std::string_view text);

// True when the medication is time-critical: explicitly, or by default a scheduled opioid.
bool default_time_critical(std::string_view name, const Schedule& schedule);

// The window either side of each scheduled dose (DESIGN §3, ISMP).
std::chrono::minutes dose_window(const Medication& med, const Thresholds& t);

// The medication's scheduled doses with `from <= due <= to`, in the patient's zone.
// PRN medications have none.
std::vector<ScheduledDose> expand(const Medication& med, const date::time_zone* zone, Instant from,
                                  Instant to, const Thresholds& t);

} // namespace solace::clinical
