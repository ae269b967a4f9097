#include "domain/medication.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "domain/flag.hpp"

namespace solace {

std::string_view code(DoseStatus s) {
    switch (s) {
    case DoseStatus::given:
        return "given";
    case DoseStatus::held:
        return "held";
    case DoseStatus::refused:
        return "refused";
    }
    return "given";
}

std::optional<DoseStatus> parse_dose_status(std::string_view text) {
    for (auto s : {DoseStatus::given, DoseStatus::held, DoseStatus::refused})
        if (code(s) == text) return s;
    return std::nullopt;
}

bool names_opioid(std::string_view name) {
    static constexpr std::array<std::string_view, 10> opioids{
        "morphine",      "oxycodone",   "hydromorphone", "fentanyl", "methadone",
        "buprenorphine", "oxymorphone", "tapentadol",    "tramadol", "codeine"};
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::any_of(opioids.begin(), opioids.end(),
                       [&](std::string_view o) { return lower.find(o) != std::string::npos; });
}

std::string_view code(Severity s) {
    switch (s) {
    case Severity::info:
        return "info";
    case Severity::warning:
        return "warning";
    case Severity::urgent:
        return "urgent";
    }
    return "info";
}

} // namespace solace
