#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "domain/time.hpp"

#include <date/date.h>

namespace solace {

struct Patient {
    std::int64_t id = 0;
    std::string mrn;
    std::string name;
    date::year_month_day date_of_birth{};
    std::string time_zone; // IANA name, e.g. "Europe/London"
    std::string diagnosis;
    std::string on_call_phone{};            // the agency's 24-hour number for this patient
    std::optional<Instant> discharged_at{}; // care ended (died, transferred, other)
    std::string discharge_reason{};         // died, transferred or other; empty while in care
    std::string uuid{}; // made where it was written (DESIGN §7); empty before it is stored

    bool operator==(const Patient&) const = default;
};

} // namespace solace
