#include "plain_words.hpp"

#include <cctype>
#include <exception>

#include <fmt/format.h>

namespace solace::ui {

namespace {
constexpr int night_ends_hour = 5;

const date::time_zone* zone_or_utc(const std::string& name) {
    try {
        return find_zone(name);
    } catch (const std::exception&) {
        return date::locate_zone("UTC"); // an unknown zone: UTC rather than nothing
    }
}

// The local day a time belongs to (the small hours count with the evening before) and its hour.
struct LocalMoment {
    date::local_days day;
    int hour = 0;
    date::local_days calendar_day; // the date on the clock, for "3 March"
};

LocalMoment moment(Instant t, const date::time_zone* zone) {
    const auto local = date::zoned_seconds{zone, t}.get_local_time();
    LocalMoment m;
    m.calendar_day = date::floor<date::days>(local);
    m.hour = int(date::floor<std::chrono::hours>(local - m.calendar_day).count());
    m.day = m.hour < night_ends_hour ? m.calendar_day - date::days{1} : m.calendar_day;
    return m;
}

constexpr const char* weekday_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};
constexpr const char* month_names[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

std::string lower_first(std::string_view s) {
    std::string out(s);
    if (!out.empty()) out[0] = char(std::tolower(static_cast<unsigned char>(out[0])));
    return out;
}
} // namespace

DayPart day_part(int hour) {
    if (hour >= night_ends_hour && hour < 12) return DayPart::morning;
    if (hour >= 12 && hour < 17) return DayPart::afternoon;
    if (hour >= 17 && hour < 21) return DayPart::evening;
    return DayPart::night;
}

std::string_view words(DayPart p) {
    switch (p) {
    case DayPart::morning:
        return "morning";
    case DayPart::afternoon:
        return "afternoon";
    case DayPart::evening:
        return "evening";
    case DayPart::night:
        return "night";
    }
    return "";
}

std::string when_words(Instant at, Instant now, const std::string& zone_name) {
    const auto* zone = zone_or_utc(zone_name);
    const auto then = moment(at, zone);
    const auto today = moment(now, zone).day;
    const auto part = day_part(then.hour);
    const auto days_ago = (today - then.day).count();
    const auto* weekday_name = weekday_names[date::weekday{then.day}.c_encoding()];

    if (days_ago == 0)
        return part == DayPart::night ? "tonight" : fmt::format("this {}", words(part));
    if (days_ago == 1)
        return part == DayPart::night ? "last night" : fmt::format("yesterday {}", words(part));
    if (days_ago > 1 && days_ago < 7) return fmt::format("on {} {}", weekday_name, words(part));

    const date::year_month_day ymd{then.day};
    const date::year_month_day this_year{today};
    auto date_words = fmt::format("{} {} {}", weekday_name, unsigned(ymd.day()),
                                  month_names[unsigned(ymd.month()) - 1]);
    if (ymd.year() != this_year.year()) date_words += fmt::format(" {}", int(ymd.year()));
    if (part == DayPart::night) return fmt::format("on {} at night", date_words);
    return fmt::format("on {} in the {}", date_words, words(part));
}

std::string how_words(Symptom s, int value) {
    const auto band = band_of(value);
    const auto label = info(s).label;
    if (s == Symptom::wellbeing) {
        if (band == Band::none) return fmt::format("Wellbeing was at its best ({} of 10)", value);
        const char* how = band == Band::mild       ? "mildly"
                          : band == Band::moderate ? "moderately"
                                                   : "severely";
        return fmt::format("Wellbeing was {} poor ({} of 10)", how, value);
    }
    if (band == Band::none) return fmt::format("No {} ({} of 10)", lower_first(label), value);
    return fmt::format("{} was {} ({} of 10)", label, solace::label(band), value);
}

std::string plain_sentence(Symptom s, int value, Instant at, Instant now, const std::string& zone) {
    return fmt::format("{} {}.", how_words(s, value), when_words(at, now, zone));
}

std::string on_call_words(const std::string& phone) {
    if (phone.empty())
        return "The nurses' 24-hour number is not on file here: ask the nurse for it at the next "
               "visit.";
    return fmt::format("Nurse on call, day and night: {}", phone);
}

std::string call_now_words(const std::vector<std::pair<Symptom, int>>& severe,
                           const std::string& phone) {
    std::string out;
    for (const auto& [symptom, value] : severe)
        out += fmt::format("{} is severe ({} of 10). ", info(symptom).label, value);
    if (phone.empty())
        return out + "Call the nurse now, day or night (the number is not on file here).";
    return out + fmt::format("Call the nurse now: {}, day or night.", phone);
}

} // namespace solace::ui
