#pragma once
// Shared by the rule files in src/clinical; not part of the engine's interface.
#include <chrono>
#include <string>
#include <string_view>

#include "clinical/rules.hpp"

namespace solace::clinical::support {

// A flag about the patient with the fields every rule fills; `subject` makes the id stable
// ("s12" for a score, "a7" for an administration, "m3@1772956800" for a scheduled dose).
Flag make_flag(const PatientRecord& r, std::string_view rule, Severity severity, Instant at,
               std::string_view subject);

// By time, then rule, then id: the order evaluate() promises.
void sort_flags(std::vector<Flag>& flags);

std::string local_clock(Instant t, const date::time_zone* zone); // 08:00
std::string local_date(Instant t, const date::time_zone* zone);  // 2026-03-08

// "47 min", "2 h", "2 h 5 min"; whole minutes, rounded down.
std::string duration_text(std::chrono::seconds d);

std::string lower_trimmed(std::string_view s);

} // namespace solace::clinical::support
