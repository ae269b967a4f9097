#include "medication_words.hpp"

#include <fmt/format.h>

#include "wording.hpp"

namespace solace::ui {

namespace {
std::string clock_of(std::chrono::minutes since_midnight) {
    return fmt::format("{:02}:{:02}", since_midnight.count() / 60, since_midnight.count() % 60);
}
} // namespace

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string schedule_words(const Schedule& s) {
    if (const auto* c = std::get_if<ClockSchedule>(&s)) {
        std::string times;
        for (std::size_t i = 0; i < c->times.size(); ++i)
            times += (i == 0                     ? ""
                      : i + 1 == c->times.size() ? " and "
                                                 : ", ") +
                     clock_of(c->times[i]);
        const auto n = c->times.size();
        const std::string often = n == 1   ? "once a day"
                                  : n == 2 ? "twice a day"
                                  : n == 3 ? "three times a day"
                                           : fmt::format("{} times a day", n);
        return fmt::format("{} at {}", often, times);
    }
    if (const auto* i = std::get_if<IntervalSchedule>(&s))
        return fmt::format("every {} h, counting from {} on the start day", i->every.count(),
                           clock_of(i->anchor));
    const auto& p = std::get<PrnSchedule>(s);
    std::string out = "as needed";
    if (p.min_interval.count() > 0) out += ", at least " + span_words(p.min_interval) + " apart";
    if (p.max_per_24h) out += fmt::format(", at most {} in 24 h", *p.max_per_24h);
    return out;
}

std::string medication_words(std::string_view name, std::string_view dose, std::string_view route) {
    std::string out(name);
    if (!dose.empty()) out += fmt::format(" {}", dose);
    if (!route.empty()) out += fmt::format(", {}", route);
    return out;
}

} // namespace solace::ui
