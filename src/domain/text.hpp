#pragma once
#include <cstddef>
#include <string_view>

namespace solace {

// The most bytes each kind of text holds (the database's CHECKs allow as much or more).
inline constexpr std::size_t max_code_bytes = 64;       // MRNs, medication keys, account names
inline constexpr std::size_t max_name_bytes = 200;      // names, schedules, indications
inline constexpr std::size_t max_reason_bytes = 500;    // reasons, diagnoses
inline constexpr std::size_t max_ack_note_bytes = 2000; // a flag acknowledgement's note
inline constexpr std::size_t max_phone_bytes = 40;      // the on-call number
inline constexpr std::size_t max_dose_bytes = 100;      // "5 mg in 2.5 mL"
inline constexpr std::size_t max_route_bytes = 50;      // "subcutaneous"

// Refuses text that is not UTF-8, holds NUL or other control characters (tab and line breaks
// only when `multiline`, as in notes), or is longer than `max_bytes`, with a ValidationError
// naming `field`; `utf8_hint` ends the message about bad UTF-8 (e.g. how to save a file).
void check_text(std::string_view field, std::string_view v, bool multiline, std::size_t max_bytes,
                std::string_view utf8_hint = {});

} // namespace solace
