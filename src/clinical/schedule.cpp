#include "clinical/schedule.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::clinical {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr minutes one_day{24 * 60};

[[noreturn]] void not_understood(std::string_view text, std::string_view why) {
    throw ValidationError(fmt::format(
        "schedule \"{}\" is not understood: {}. Write it as a nurse would, e.g. \"08:00,20:00\", "
        "\"bid\", \"q4h@06:00\" or \"prn q30m max 6\".",
        text, why));
}

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// A left-to-right reader over the lower-cased text; whitespace between tokens is skipped.
struct Cursor {
    std::string_view s;
    std::size_t pos = 0;

    void skip_space() {
        while (pos < s.size() && is_space(s[pos]))
            ++pos;
    }
    bool done() {
        skip_space();
        return pos == s.size();
    }
    bool eat(std::string_view word) {
        skip_space();
        if (s.substr(pos, word.size()) != word) return false;
        pos += word.size();
        return true;
    }
    // A unit letter that does not run into a word: "q30 max" is not thirty minutes.
    bool eat_unit(char unit) {
        skip_space();
        if (pos >= s.size() || s[pos] != unit) return false;
        if (pos + 1 < s.size() && std::isalpha(static_cast<unsigned char>(s[pos + 1])))
            return false;
        ++pos;
        return true;
    }
    // Up to 4 digits, so the value cannot overflow; nullopt when there are none.
    std::optional<int> number() {
        skip_space();
        std::size_t end = pos;
        while (end < s.size() && is_digit(s[end]) && end - pos < 4)
            ++end;
        if (end == pos || (end < s.size() && is_digit(s[end]))) return std::nullopt;
        int value = 0;
        std::from_chars(s.data() + pos, s.data() + end, value);
        pos = end;
        return value;
    }
};

// "HH:MM" (an hour of one digit is tolerated) as minutes since local midnight.
std::optional<minutes> clock_time(std::string_view t) {
    t = trim(t);
    const auto colon = t.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || t.size() - colon != 3)
        return std::nullopt;
    const auto hh = t.substr(0, colon);
    const auto mm = t.substr(colon + 1);
    if (!std::all_of(hh.begin(), hh.end(), is_digit) ||
        !std::all_of(mm.begin(), mm.end(), is_digit))
        return std::nullopt;
    int h = 0, m = 0;
    std::from_chars(hh.data(), hh.data() + hh.size(), h);
    std::from_chars(mm.data(), mm.data() + mm.size(), m);
    if (h > 23 || m > 59) return std::nullopt;
    return hours{h} + minutes{m};
}

ClockSchedule clock_times(std::string_view text, std::string_view body) {
    ClockSchedule out;
    std::size_t start = 0;
    while (true) {
        const auto comma = body.find(',', start);
        const auto item =
            trim(body.substr(start, comma == std::string_view::npos ? body.npos : comma - start));
        if (item.empty()) not_understood(text, "a clock time is missing between the commas");
        const auto t = clock_time(item);
        if (!t)
            not_understood(text, fmt::format("\"{}\" is not a clock time (00:00 to 23:59)", item));
        out.times.push_back(*t);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    std::sort(out.times.begin(), out.times.end());
    out.times.erase(std::unique(out.times.begin(), out.times.end()), out.times.end());
    return out;
}

IntervalSchedule interval(std::string_view text, const std::string& body) {
    Cursor c{body};
    c.eat("q");
    const auto n = c.number();
    if (!n || !c.eat_unit('h')) not_understood(text, "an interval is written qNh, e.g. q4h@06:00");
    if (*n < 1 || *n > 24) not_understood(text, "the interval must be 1 to 24 hours");
    if (!c.eat("@"))
        not_understood(text, "an interval needs the time of its first dose, e.g. q4h@06:00");
    c.skip_space();
    const auto anchor = clock_time(body.substr(c.pos));
    if (!anchor) not_understood(text, "the time after @ must be a clock time from 00:00 to 23:59");
    return IntervalSchedule{hours{*n}, *anchor};
}

PrnSchedule prn(std::string_view text, const std::string& body) {
    Cursor c{body};
    c.eat("prn");
    PrnSchedule out;
    // "prn", "prn q2h", "prn max 4", "prn q30m max 6": each part optional, in this order.
    if (c.eat("q")) {
        const auto n = c.number();
        if (!n) not_understood(text, "the minimum interval is written q30m or q2h");
        if (c.eat_unit('m')) {
            if (*n < 1 || *n > 24 * 60)
                not_understood(text, "the minimum interval must be 1 minute to 24 hours");
            out.min_interval = minutes{*n};
        } else if (c.eat_unit('h')) {
            if (*n < 1 || *n > 24)
                not_understood(text, "the minimum interval must be 1 minute to 24 hours");
            out.min_interval = hours{*n};
        } else {
            not_understood(text, "the minimum interval needs a unit: m for minutes, h for hours");
        }
    }
    if (c.eat("max")) {
        const auto n = c.number();
        if (!n) not_understood(text, "max needs a number of doses, e.g. max 6");
        if (*n < 1 || *n > 100) not_understood(text, "max must be 1 to 100 doses in 24 hours");
        out.max_per_24h = *n;
    }
    if (!c.done())
        not_understood(text,
                       fmt::format("\"{}\" was not expected after prn", trim(body.substr(c.pos))));
    return out;
}

ClockSchedule named(std::initializer_list<int> hours_of_day) {
    ClockSchedule out;
    for (int h : hours_of_day)
        out.times.push_back(hours{h});
    return out;
}

// The shortest time from one dose to the next, counting the wrap to the next day.
minutes smallest_gap(const ClockSchedule& s) {
    if (s.times.size() < 2) return one_day;
    minutes gap = s.times.front() + one_day - s.times.back();
    for (std::size_t i = 1; i < s.times.size(); ++i)
        gap = std::min(gap, s.times[i] - s.times[i - 1]);
    return gap;
}

date::local_days local_day(const date::time_zone* zone, Instant t) {
    return date::floor<date::days>(zone->to_local(t));
}

} // namespace

Schedule parse_schedule(std::string_view text) {
    const std::string body = lower(trim(text));
    if (body.empty()) not_understood(text, "it is empty");
    if (body.rfind("prn", 0) == 0) return prn(text, body);
    if (body == "daily") return named({8});
    if (body == "bid") return named({8, 20});
    if (body == "tid") return named({8, 14, 20});
    if (body == "qid") return named({8, 12, 16, 20});
    if (body.front() == 'q') return interval(text, body);
    if (is_digit(body.front())) return clock_times(text, body);
    not_understood(text, "it is neither clock times, daily/bid/tid/qid, an interval nor prn");
}

bool default_time_critical(std::string_view name, const Schedule& schedule) {
    return !is_prn(schedule) && names_opioid(name);
}

std::chrono::minutes dose_window(const Medication& med, const Thresholds& t) {
    const minutes critical{t.critical_window_minutes};
    const minutes multi_daily{t.multi_daily_window_minutes};
    const minutes daily{t.daily_window_minutes};
    const hours frequent{t.frequent_interval_hours};
    if (med.time_critical) return critical;
    if (const auto* every = std::get_if<IntervalSchedule>(&med.schedule)) {
        if (every->every < frequent) return critical;
        return every->every < hours{24} ? multi_daily : daily;
    }
    if (const auto* clock = std::get_if<ClockSchedule>(&med.schedule)) {
        if (clock->times.size() < 2) return daily;
        return smallest_gap(*clock) < frequent ? critical : multi_daily;
    }
    // PRN doses have no schedule to be on time for; this is only a fallback.
    return multi_daily;
}

std::vector<ScheduledDose> expand(const Medication& med, const date::time_zone* zone, Instant from,
                                  Instant to, const Thresholds& t) {
    std::vector<ScheduledDose> out;
    if (is_prn(med.schedule)) return out;
    const Instant lo = std::max(from, med.start);
    const Instant hi = med.end ? std::min(to, *med.end) : to;
    if (lo > hi) return out;
    const auto window = dose_window(med, t);
    auto add = [&](Instant due) {
        if (due >= lo && due <= hi) out.push_back(ScheduledDose{med.id, due, window});
    };

    if (const auto* clock = std::get_if<ClockSchedule>(&med.schedule)) {
        // A day either side: a local day's doses can fall outside its UTC span.
        const auto last = local_day(zone, hi) + date::days{1};
        for (auto day = local_day(zone, lo) - date::days{1}; day <= last; day += date::days{1})
            for (const auto tod : clock->times)
                add(resolve_local(zone, date::local_seconds{day} + tod));
        // Resolving can reorder times inside a DST gap (02:30 -> 03:30 comes after 03:00).
        std::sort(out.begin(), out.end(),
                  [](const ScheduledDose& a, const ScheduledDose& b) { return a.due < b.due; });
        // Spring-forward can move a dose onto the next one (02:30 -> 03:30): due once, never
        // twice at the same moment.
        out.erase(std::unique(out.begin(), out.end(),
                              [](const ScheduledDose& a, const ScheduledDose& b) {
                                  return a.due == b.due;
                              }),
                  out.end());
        return out;
    }

    const auto& every = std::get<IntervalSchedule>(med.schedule);
    const Instant first =
        resolve_local(zone, date::local_seconds{local_day(zone, med.start)} + every.anchor);
    const std::chrono::seconds step = every.every;
    Instant due = first;
    if (lo > first) due += ((lo - first) / step) * step; // skip ahead without looping
    for (; due <= hi; due += step)
        add(due);
    return out;
}

} // namespace solace::clinical
