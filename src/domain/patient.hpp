#pragma once
#include <cstdint>
#include <string>

#include <date/date.h>

namespace solace {

struct Patient {
    std::int64_t id = 0;
    std::string mrn;
    std::string name;
    date::year_month_day date_of_birth{};
    std::string time_zone; // IANA name, e.g. "Europe/London"
    std::string diagnosis;

    bool operator==(const Patient&) const = default;
};

} // namespace solace
