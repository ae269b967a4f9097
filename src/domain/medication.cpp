#include "domain/medication.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
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

namespace {

bool names_any(std::string_view name, std::span<const std::string_view> words) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::any_of(words.begin(), words.end(),
                       [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

constexpr std::array<std::string_view, 8> strong_opioids{
    "morphine",  "oxycodone",     "hydromorphone", "fentanyl",
    "methadone", "buprenorphine", "oxymorphone",   "tapentadol"};
constexpr std::array<std::string_view, 2> weak_opioids{"tramadol", "codeine"};
constexpr std::array<std::string_view, 12> laxatives{"senna",
                                                     "sennosides",
                                                     "docusate",
                                                     "bisacodyl",
                                                     "lactulose",
                                                     "macrogol",
                                                     "polyethylene glycol",
                                                     "sodium picosulfate",
                                                     "magnesium hydroxide",
                                                     "methylnaltrexone",
                                                     "naloxegol",
                                                     "naldemedine"};

} // namespace

bool names_opioid(std::string_view name) {
    return names_any(name, strong_opioids) || names_any(name, weak_opioids);
}

bool names_strong_opioid(std::string_view name) {
    return names_any(name, strong_opioids);
}

bool names_laxative(std::string_view name) {
    return names_any(name, laxatives);
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
