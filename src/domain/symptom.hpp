#pragma once
#include <optional>
#include <span>
#include <string_view>

namespace solace {

// The ESAS-r items (DESIGN §3). The first five are the core symptoms shown on every visit.
enum class Symptom {
    pain,
    appetite,
    nausea,
    anxiety,
    breathing,
    tiredness,
    drowsiness,
    depression,
    wellbeing
};

struct SymptomInfo {
    Symptom symptom;
    std::string_view code;  // as in CSV and JSON: "pain"
    std::string_view label; // as the ESAS-r form says it: "Lack of appetite"
    bool core;
    std::string_view loinc;
    std::string_view snomed; // empty where DESIGN gives none
};

std::span<const SymptomInfo> all_symptoms();
const SymptomInfo& info(Symptom s);
std::string_view code(Symptom s);
std::optional<Symptom> parse_symptom(std::string_view code);

// Who answered: proxies rate differently, so scores are compared only within one kind.
enum class Reporter { patient, caregiver, nurse };
std::string_view code(Reporter r);
std::optional<Reporter> parse_reporter(std::string_view code);

// 0 none, 1-3 mild, 4-6 moderate, 7-10 severe.
enum class Band { none, mild, moderate, severe };
Band band_of(int score);
std::string_view label(Band b);

inline constexpr int min_score = 0;
inline constexpr int max_score = 10;
inline constexpr std::string_view esas_panel_loinc = "112503-8";

} // namespace solace
