#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/tz.h>

namespace solace {

// Instants are UTC seconds, stored as integers in the database.
using Instant = std::chrono::sys_seconds;

inline std::int64_t to_epoch(Instant t) {
    return t.time_since_epoch().count();
}
inline Instant from_epoch(std::int64_t s) {
    return Instant{std::chrono::seconds{s}};
}

// The IANA zone, or ValidationError naming `field` when the tz database does not know it.
const date::time_zone* find_zone(std::string_view name, std::string_view field = "time_zone");

// Local wall-clock time to an instant, DESIGN §3: a time that does not exist moves
// forward by the gap; an ambiguous time is its first occurrence.
Instant resolve_local(const date::time_zone* zone, date::local_seconds local);

// What an input time means before the patient's zone is known: an instant when it had an
// offset or `Z`, otherwise a local time (with a flag telling whether only a date was given).
struct TimeInput {
    std::optional<Instant> absolute;
    date::local_seconds local{};
    bool date_only = false;

    // The instant in `zone`; a date alone is the start of that day.
    Instant at(const date::time_zone* zone) const;
    // As `at`, but a date alone is the last second of that day (inclusive ends).
    Instant end_at(const date::time_zone* zone) const;
};

// ISO 8601: `2026-03-08`, `2026-03-08T14:30`, `2026-03-08 14:30:15`, with an optional `Z` or
// `+01:00`/`-0500` offset. Throws ValidationError naming `field` and the text.
TimeInput parse_time(std::string_view text, std::string_view field, bool allow_date_only = false);

date::year_month_day parse_date(std::string_view text, std::string_view field);

std::string format_utc(Instant t);                                      // 2026-03-08T14:30:00Z
std::string format_local(Instant t, const date::time_zone* zone);       // 2026-03-08T09:30:00-05:00
std::string format_local_short(Instant t, const date::time_zone* zone); // 2026-03-08 09:30 EST
std::string format_date(date::year_month_day d);                        // 2026-03-08

Instant now_utc();

} // namespace solace
