#include "wording.hpp"

#include <exception>

#include <fmt/format.h>

#include "domain/symptom.hpp"

namespace solace::ui {

namespace {
std::string local(Instant t, const std::string& zone, const char* format) {
    try {
        return date::format(format, date::zoned_seconds{find_zone(zone), t});
    } catch (const std::exception&) {
        return format_utc(t); // a zone the tz database does not know: UTC, said so
    }
}
// "%a %d %b" with the year after it when `t` is not in this year (in the patient's zone).
std::string day_format(Instant t, const std::string& zone) {
    return local(t, zone, "%Y") == local(now_utc(), zone, "%Y") ? "%a %d %b" : "%a %d %b %Y";
}
} // namespace

std::string short_time(Instant t, const std::string& zone) {
    auto s = local(t, zone, (day_format(t, zone) + " %H:%M").c_str());
    if (s.size() > 5 && s[4] == '0') s.erase(4, 1); // "Tue 03 Mar" -> "Tue 3 Mar"
    return s;
}

std::string clock_time(Instant t, const std::string& zone) {
    return local(t, zone, "%H:%M");
}

std::string time_with_zone(Instant t, const std::string& zone) {
    auto s = local(t, zone, (day_format(t, zone) + " %H:%M %Z").c_str());
    if (s.size() > 5 && s[4] == '0') s.erase(4, 1);
    return s;
}

std::string band_words(int score) {
    return fmt::format("{} ({} of 10)", label(band_of(score)), score);
}

std::string change_words(int change) {
    if (change == 0) return "= same";
    // U+2191 / U+2193: the font carries the arrows.
    return fmt::format("{} {}", change > 0 ? "\xE2\x86\x91" : "\xE2\x86\x93",
                       change > 0 ? change : -change);
}

std::string rule_words(std::string_view rule) {
    const auto dot = rule.find('.');
    std::string out(dot == std::string_view::npos ? rule : rule.substr(dot + 1));
    for (auto& c : out)
        if (c == '_') c = ' ';
    return out;
}

std::string subject_words(const Flag& f) {
    if (f.symptom) return std::string(info(*f.symptom).label);
    return f.med;
}

std::string span_words(std::chrono::minutes m) {
    if (m.count() < 60) return fmt::format("{} min", m.count());
    if (m.count() % 60 == 0) return fmt::format("{} h", m.count() / 60);
    return fmt::format("{} h {} min", m.count() / 60, m.count() % 60);
}

std::string sync_words(const sync::SyncStatus& s, Instant now) {
    using State = sync::SyncStatus::State;
    switch (s.state) {
    case State::alone:
        return {};
    case State::syncing:
        return "Syncing…";
    case State::synced: {
        if (!s.last_sync) return "Synced";
        const auto m = std::chrono::duration_cast<std::chrono::minutes>(now - *s.last_sync);
        if (m.count() < 1) return "Synced just now";
        if (m.count() < 60) return fmt::format("Synced {} min ago", m.count());
        if (m.count() < 48 * 60) return fmt::format("Synced {} h ago", m.count() / 60);
        return fmt::format("Synced {} days ago", m.count() / (24 * 60));
    }
    case State::offline:
        if (s.waiting == 0) return "Offline: nothing waiting";
        return fmt::format("Offline: {} {} waiting", s.waiting,
                           s.waiting == 1 ? "entry" : "entries");
    case State::refused:
        return "Not synced: " + s.problem;
    }
    return {};
}

} // namespace solace::ui
