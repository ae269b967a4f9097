#include "domain/symptom.hpp"

#include <array>

namespace solace {

namespace {
constexpr std::array<SymptomInfo, 9> symptoms{{
    {Symptom::pain, "pain", "Pain", true, "112494-0", "22253000"},
    {Symptom::appetite, "appetite", "Lack of appetite", true, "112498-1", "79890006"},
    {Symptom::nausea, "nausea", "Nausea", true, "112497-3", "422587007"},
    {Symptom::anxiety, "anxiety", "Anxiety", true, "112501-2", "48694002"},
    {Symptom::breathing, "breathing", "Shortness of breath", true, "112499-9", "267036007"},
    {Symptom::tiredness, "tiredness", "Tiredness", false, "112495-7", ""},
    {Symptom::drowsiness, "drowsiness", "Drowsiness", false, "112496-5", ""},
    {Symptom::depression, "depression", "Depression", false, "112500-4", ""},
    {Symptom::wellbeing, "wellbeing", "Wellbeing", false, "112502-0", ""},
}};
} // namespace

std::span<const SymptomInfo> all_symptoms() {
    return symptoms;
}
const SymptomInfo& info(Symptom s) {
    return symptoms[static_cast<std::size_t>(s)];
}
std::string_view code(Symptom s) {
    return info(s).code;
}

std::optional<Symptom> parse_symptom(std::string_view text) {
    for (const auto& s : symptoms)
        if (s.code == text) return s.symptom;
    return std::nullopt;
}

std::string_view code(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return "patient";
    case Reporter::caregiver:
        return "caregiver";
    case Reporter::nurse:
        return "nurse";
    }
    return "patient";
}

std::optional<Reporter> parse_reporter(std::string_view text) {
    for (auto r : {Reporter::patient, Reporter::caregiver, Reporter::nurse})
        if (code(r) == text) return r;
    return std::nullopt;
}

Band band_of(int score) {
    if (score <= 0) return Band::none;
    if (score <= 3) return Band::mild;
    if (score <= 6) return Band::moderate;
    return Band::severe;
}

std::string_view label(Band b) {
    switch (b) {
    case Band::none:
        return "none";
    case Band::mild:
        return "mild";
    case Band::moderate:
        return "moderate";
    case Band::severe:
        return "severe";
    }
    return "none";
}

} // namespace solace
