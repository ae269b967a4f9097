#include "domain/time.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace {

namespace {

bool read_int(std::string_view text, std::size_t& pos, std::size_t digits, int& out) {
    if (pos + digits > text.size()) return false;
    for (std::size_t i = pos; i < pos + digits; ++i)
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    std::from_chars(text.data() + pos, text.data() + pos + digits, out);
    pos += digits;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::optional<date::year_month_day> read_date(std::string_view t, std::size_t& pos) {
    int y = 0, m = 0, d = 0;
    if (!read_int(t, pos, 4, y) || pos >= t.size() || t[pos++] != '-' || !read_int(t, pos, 2, m) ||
        pos >= t.size() || t[pos++] != '-' || !read_int(t, pos, 2, d))
        return std::nullopt;
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                             date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

} // namespace

const date::time_zone* find_zone(std::string_view name, std::string_view field) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        throw ValidationError(
            fmt::format("{} \"{}\" is not a time zone Solace knows; use an IANA name such as "
                        "\"Europe/London\" or \"America/New_York\".",
                        field, name));
    }
}

Instant resolve_local(const date::time_zone* zone, date::local_seconds local) {
    const auto info = zone->get_info(local);
    // Nonexistent: read with the offset before the gap, which moves it forward by the gap.
    // Ambiguous: the first occurrence also uses the earlier offset.
    return Instant{local.time_since_epoch() - info.first.offset};
}

Instant TimeInput::at(const date::time_zone* zone) const {
    return absolute ? *absolute : resolve_local(zone, local);
}

Instant TimeInput::end_at(const date::time_zone* zone) const {
    if (absolute) return *absolute;
    if (!date_only) return resolve_local(zone, local);
    const auto next_day = date::local_days{date::floor<date::days>(local)} + date::days{1};
    return resolve_local(zone, date::local_seconds{next_day}) - std::chrono::seconds{1};
}

TimeInput parse_time(std::string_view raw, std::string_view field, bool allow_date_only) {
    const std::string_view text = trim(raw);
    auto fail = [&]() -> TimeInput {
        throw ValidationError(fmt::format(
            "{} \"{}\" is not a time Solace can read; write it as 2026-03-08T14:30 (local time "
            "of the patient), or with an offset such as 2026-03-08T14:30:00Z or "
            "2026-03-08T14:30+01:00{}.",
            field, raw, allow_date_only ? ", or a date alone as 2026-03-08" : ""));
    };
    std::size_t pos = 0;
    auto ymd = read_date(text, pos);
    if (!ymd) return fail();
    TimeInput out;
    const date::local_days day{*ymd};
    if (pos == text.size()) {
        if (!allow_date_only) return fail();
        out.local = date::local_seconds{day};
        out.date_only = true;
        return out;
    }
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return fail();
    ++pos;
    int hh = 0, mm = 0, ss = 0;
    if (!read_int(text, pos, 2, hh) || pos >= text.size() || text[pos++] != ':' ||
        !read_int(text, pos, 2, mm))
        return fail();
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!read_int(text, pos, 2, ss)) return fail();
        if (pos < text.size() && text[pos] == '.') { // fractional seconds are dropped
            ++pos;
            while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
                ++pos;
        }
    }
    if (hh > 23 || mm > 59 || ss > 59) return fail();
    out.local = date::local_seconds{day} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
                std::chrono::seconds{ss};
    if (pos == text.size()) return out;
    std::chrono::seconds offset{0};
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int oh = 0, om = 0;
        if (!read_int(text, pos, 2, oh)) return fail();
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!read_int(text, pos, 2, om) || oh > 18 || om > 59) return fail();
        offset = sign * (std::chrono::hours{oh} + std::chrono::minutes{om});
    } else {
        return fail();
    }
    if (pos != text.size()) return fail();
    out.absolute = Instant{out.local.time_since_epoch() - offset};
    return out;
}

date::year_month_day parse_date(std::string_view raw, std::string_view field) {
    const std::string_view text = trim(raw);
    std::size_t pos = 0;
    auto ymd = read_date(text, pos);
    if (!ymd || pos != text.size())
        throw ValidationError(fmt::format(
            "{} \"{}\" is not a date; write it as YYYY-MM-DD, e.g. 1948-05-17.", field, raw));
    return *ymd;
}

std::string format_utc(Instant t) {
    return date::format("%Y-%m-%dT%H:%M:%SZ", t);
}

std::string format_local(Instant t, const date::time_zone* zone) {
    const auto info = zone->get_info(t);
    const auto local = t + info.offset;
    const auto off = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
    const auto a = off < 0 ? -off : off;
    return fmt::format("{}{}{:02}:{:02}", date::format("%Y-%m-%dT%H:%M:%S", local),
                       off < 0 ? '-' : '+', a / 60, a % 60);
}

std::string format_local_short(Instant t, const date::time_zone* zone) {
    const auto info = zone->get_info(t);
    return fmt::format("{} {}", date::format("%Y-%m-%d %H:%M", t + info.offset), info.abbrev);
}

std::string format_date(date::year_month_day d) {
    return date::format("%Y-%m-%d", d);
}

Instant now_utc() {
    return date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace solace
