#include "clinical/rule_support.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include <fmt/format.h>

namespace solace::clinical::support {

Flag make_flag(const PatientRecord& r, std::string_view rule, Severity severity, Instant at,
               std::string_view subject) {
    Flag f;
    f.id = fmt::format("{}/{}/{}", rule, r.patient.mrn, subject);
    f.patient_id = r.patient.id;
    f.mrn = r.patient.mrn;
    f.rule = std::string(rule);
    f.severity = severity;
    f.at = at;
    return f;
}

void sort_flags(std::vector<Flag>& flags) {
    std::sort(flags.begin(), flags.end(), [](const Flag& a, const Flag& b) {
        return std::tie(a.at, a.rule, a.id) < std::tie(b.at, b.rule, b.id);
    });
}

std::string local_clock(Instant t, const date::time_zone* zone) {
    return date::format("%H:%M", zone->to_local(t));
}

std::string local_date(Instant t, const date::time_zone* zone) {
    return date::format("%Y-%m-%d", zone->to_local(t));
}

std::string duration_text(std::chrono::seconds d) {
    const auto total = std::chrono::duration_cast<std::chrono::minutes>(d).count();
    if (total < 1) return "less than a minute";
    const auto h = total / 60;
    const auto m = total % 60;
    if (h == 0) return fmt::format("{} min", m);
    if (m == 0) return fmt::format("{} h", h);
    return fmt::format("{} h {} min", h, m);
}

std::string lower_trimmed(std::string_view s) {
    auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    while (!s.empty() && space(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && space(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace solace::clinical::support
