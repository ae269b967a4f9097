#include "plain_words.hpp"

#include <algorithm>
#include <cctype>
#include <exception>

namespace solace::ui {

namespace {

struct Entry {
    Phrase name;
    std::string_view text;
};

// The table: every phrase a family member reads, in the order of the Phrase enum.
constexpr Entry table[] = {
    {Phrase::morning, "morning"},
    {Phrase::afternoon, "afternoon"},
    {Phrase::evening, "evening"},
    {Phrase::night, "night"},
    {Phrase::tonight, "tonight"},
    {Phrase::this_part, "this {}"},
    {Phrase::last_night, "last night"},
    {Phrase::yesterday_part, "yesterday {}"},
    {Phrase::on_weekday, "on {} {}"},
    {Phrase::on_date_night, "on {} at night"},
    {Phrase::on_date_part, "on {} in the {}"},
    {Phrase::sunday, "Sunday"},
    {Phrase::monday, "Monday"},
    {Phrase::tuesday, "Tuesday"},
    {Phrase::wednesday, "Wednesday"},
    {Phrase::thursday, "Thursday"},
    {Phrase::friday, "Friday"},
    {Phrase::saturday, "Saturday"},
    {Phrase::january, "January"},
    {Phrase::february, "February"},
    {Phrase::march, "March"},
    {Phrase::april, "April"},
    {Phrase::may, "May"},
    {Phrase::june, "June"},
    {Phrase::july, "July"},
    {Phrase::august, "August"},
    {Phrase::september, "September"},
    {Phrase::october, "October"},
    {Phrase::november, "November"},
    {Phrase::december, "December"},
    {Phrase::wellbeing_best, "Wellbeing was at its best ({} of 10)"},
    {Phrase::wellbeing_poor, "Wellbeing was {} poor ({} of 10)"},
    {Phrase::mildly, "mildly"},
    {Phrase::moderately, "moderately"},
    {Phrase::severely, "severely"},
    {Phrase::no_symptom, "No {} ({} of 10)"},
    {Phrase::symptom_was, "{} was {} ({} of 10)"},
    {Phrase::sentence, "{} {}."},
    {Phrase::on_call, "Nurse on call, day and night: {}"},
    {Phrase::on_call_unknown,
     "The nurses' 24-hour number is not on file here: ask the nurse for it at the next visit."},
    {Phrase::severe_now, "{} is severe ({} of 10). "},
    {Phrase::call_now, "Call the nurse now: {}, day or night."},
    {Phrase::call_now_unknown,
     "Call the nurse now, day or night (the number is not on file here)."},
    {Phrase::nurse_nothing, "nothing for the nurse"},
    {Phrase::nurse_one_thing, "1 thing for the nurse to look at"},
    {Phrase::nurse_things, "{} things for the nurse to look at"},
    {Phrase::nurse_column, "For the nurse"},
    {Phrase::nurse_tab, "For the nurse ({})"},
    {Phrase::nurse_open_heading, "Things for the nurse to look at ({})"},
    {Phrase::nurse_seen_heading, "Seen by the nurse ({})"},
    {Phrase::nurse_all_seen, "Nothing new: the nurse has seen everything."},
    {Phrase::nurse_about, "Not yet seen: from the last year. Seen: the last {} days. The nurses "
                          "see these too. If you are worried, call the nurse, day or "
                          "night."},
    {Phrase::nurse_when_column, "When"},
    {Phrase::nurse_what_column, "What the nurse will look at"},
    {Phrase::nurse_seen_column, "Seen by"},
    {Phrase::nurse_seen_by, "{}, {}"},
    {Phrase::nurse_open_more, "{} more, older ones."},
    {Phrase::nurse_show_more, "Show {} more"},
    {Phrase::visit_narrow_column, "Score (0 none, 10 worst), before, for the nurse"},
    {Phrase::flag_severe, "{} was scored severe."},
    {Phrase::flag_worse, "{} is worse than before."},
    {Phrase::flag_above_goal, "{} is above the comfort goal the nurse set."},
    {Phrase::flag_dose_missed, "No one recorded the dose of {} due {}."},
    {Phrase::flag_dose_late, "The dose of {} due {} was given late."},
    {Phrase::flag_dose_early, "The dose of {} due {} was given early."},
    {Phrase::flag_dose_twice, "{} may have been given twice for the same dose."},
    {Phrase::flag_prn_too_soon, "An as-needed dose of {} came sooner than prescribed."},
    {Phrase::flag_prn_over_max, "More as-needed doses of {} in a day than prescribed."},
    {Phrase::flag_breakthrough,
     "Several as-needed doses for pain in a day: the nurse may change the regular pain "
     "medication."},
    {Phrase::flag_no_follow_up,
     "No score after an as-needed dose of {}: record how the patient feels within an hour or so "
     "of a dose."},
    {Phrase::flag_bowels, "No bowel movement recorded for some days."},
    {Phrase::flag_no_laxative, "{} usually needs a laxative beside it."},
    {Phrase::flag_other, "The nurse will look at {}."},
    {Phrase::dose_due_at, "Due at {}"},
    {Phrase::dose_due_now, "Due now, by {}"},
    {Phrase::dose_not_recorded, "Not recorded"},
    {Phrase::dose_given_at, "Given at {}"},
    {Phrase::dose_held, "Not given: {}"},
    {Phrase::dose_refused, "Refused: {}"},
    {Phrase::dose_between, "The nurse records this dose, due between {} and {}."},
    {Phrase::as_needed_heading, "As needed"},
    {Phrase::day_previous, "Previous day"},
    {Phrase::day_next, "Next day"},
    {Phrase::day_today, "Today"},
    {Phrase::day_keys, "Page Up and Page Down show the day before and after; Home shows today."},
    {Phrase::doses_today, "Today's doses \xC2\xB7 {}"},
    {Phrase::doses_on_day, "Doses on {}"},
    {Phrase::past_day_about, "What was recorded on this day, in the patient's own clock ({})."},
    {Phrase::no_doses_that_day, "No regular doses were due on this day."},
    {Phrase::prn_given_heading, "As-needed doses given that day ({})"},
    {Phrase::prn_given_none, "No as-needed dose was given on this day."},
    {Phrase::prn_given_line, "{} {}, given by {}"},
    {Phrase::history_about,
     "Times are the patient's own clock ({}). A ring marks a score the nurse will look at."},
    {Phrase::correct_own_hint,
     "Typed a wrong score? For an hour after you record it, Correct changes it (the nurse sees "
     "both)."},
};

constexpr bool in_order() {
    if (std::size(table) != std::size_t(Phrase::count_)) return false;
    for (std::size_t i = 0; i < std::size(table); ++i)
        if (table[i].name != Phrase(i)) return false;
    return true;
}
static_assert(in_order(), "plain_words.cpp: the table lists every Phrase once, in enum order");

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

std::string lower_first(std::string_view s) {
    std::string out(s);
    if (!out.empty()) out[0] = char(std::tolower(static_cast<unsigned char>(out[0])));
    return out;
}
} // namespace

std::string_view phrase(Phrase p) {
    return table[std::size_t(p)].text;
}

DayPart day_part(int hour) {
    if (hour >= night_ends_hour && hour < 12) return DayPart::morning;
    if (hour >= 12 && hour < 17) return DayPart::afternoon;
    if (hour >= 17 && hour < 21) return DayPart::evening;
    return DayPart::night;
}

std::string_view words(DayPart p) {
    switch (p) {
    case DayPart::morning:
        return phrase(Phrase::morning);
    case DayPart::afternoon:
        return phrase(Phrase::afternoon);
    case DayPart::evening:
        return phrase(Phrase::evening);
    case DayPart::night:
        return phrase(Phrase::night);
    }
    return "";
}

std::string when_words(Instant at, Instant now, const std::string& zone_name) {
    const auto* zone = zone_or_utc(zone_name);
    const auto then = moment(at, zone);
    const auto today = moment(now, zone).day;
    const auto part = day_part(then.hour);
    const auto days_ago = (today - then.day).count();
    const auto weekday_name =
        phrase(Phrase(int(Phrase::sunday) + int(date::weekday{then.day}.c_encoding())));
    if (days_ago == 0)
        return part == DayPart::night ? std::string(phrase(Phrase::tonight))
                                      : say(Phrase::this_part, words(part));
    if (days_ago == 1)
        return part == DayPart::night ? std::string(phrase(Phrase::last_night))
                                      : say(Phrase::yesterday_part, words(part));
    if (days_ago > 1 && days_ago < 7) return say(Phrase::on_weekday, weekday_name, words(part));

    const auto day = date_words(then.day, today);
    if (part == DayPart::night) return say(Phrase::on_date_night, day);
    return say(Phrase::on_date_part, day, words(part));
}

std::string date_words(date::local_days day, date::local_days today) {
    const date::year_month_day ymd{day};
    auto out = fmt::format(
        "{} {} {}", phrase(Phrase(int(Phrase::sunday) + int(date::weekday{day}.c_encoding()))),
        unsigned(ymd.day()), phrase(Phrase(int(Phrase::january) + int(unsigned(ymd.month())) - 1)));
    if (ymd.year() != date::year_month_day{today}.year())
        out += fmt::format(" {}", int(ymd.year()));
    return out;
}

std::string how_words(Symptom s, int value) {
    const auto band = band_of(value);
    const auto label = info(s).label;
    if (s == Symptom::wellbeing) {
        if (band == Band::none) return say(Phrase::wellbeing_best, value);
        const auto how = phrase(band == Band::mild       ? Phrase::mildly
                                : band == Band::moderate ? Phrase::moderately
                                                         : Phrase::severely);
        return say(Phrase::wellbeing_poor, how, value);
    }
    if (band == Band::none) return say(Phrase::no_symptom, lower_first(label), value);
    return say(Phrase::symptom_was, label, solace::label(band), value);
}

std::string plain_sentence(Symptom s, int value, Instant at, Instant now, const std::string& zone) {
    return say(Phrase::sentence, how_words(s, value), when_words(at, now, zone));
}

std::string on_call_words(const std::string& phone) {
    if (phone.empty()) return std::string(phrase(Phrase::on_call_unknown));
    return say(Phrase::on_call, phone);
}

std::string call_now_words(const std::vector<std::pair<Symptom, int>>& severe,
                           const std::string& phone) {
    std::string out;
    for (const auto& [symptom, value] : severe)
        out += say(Phrase::severe_now, info(symptom).label, value);
    if (phone.empty()) return out + std::string(phrase(Phrase::call_now_unknown));
    return out + say(Phrase::call_now, phone);
}

std::string nurse_count_words(int open_flags) {
    if (open_flags <= 0) return std::string(phrase(Phrase::nurse_nothing));
    if (open_flags == 1) return std::string(phrase(Phrase::nurse_one_thing));
    return say(Phrase::nurse_things, open_flags);
}

std::string medication_name(const std::string& key, const std::vector<Medication>& medications) {
    const auto m = std::find_if(medications.begin(), medications.end(),
                                [&](const Medication& m) { return m.key == key; });
    return m == medications.end() ? key : m->name;
}

std::string flag_words(const Flag& f, const std::vector<Medication>& medications, Instant now,
                       const std::string& zone) {
    const std::string symptom = f.symptom ? std::string(info(*f.symptom).label) : std::string();
    const std::string med = medication_name(f.med, medications);
    const auto& r = f.rule;
    if (r == "symptom.severe") return say(Phrase::flag_severe, symptom);
    if (r == "symptom.rise" || r == "symptom.band_up" || r == "symptom.sustained_rise")
        return say(Phrase::flag_worse, symptom);
    if (r == "symptom.above_goal") return say(Phrase::flag_above_goal, symptom);
    if (r == "dose.missed") return say(Phrase::flag_dose_missed, med, when_words(f.at, now, zone));
    if (r == "dose.late") return say(Phrase::flag_dose_late, med, when_words(f.at, now, zone));
    if (r == "dose.early") return say(Phrase::flag_dose_early, med, when_words(f.at, now, zone));
    if (r == "dose.duplicate") return say(Phrase::flag_dose_twice, med);
    if (r == "prn.too_soon") return say(Phrase::flag_prn_too_soon, med);
    if (r == "prn.over_max") return say(Phrase::flag_prn_over_max, med);
    if (r == "prn.breakthrough") return std::string(phrase(Phrase::flag_breakthrough));
    if (r == "prn.no_follow_up") return say(Phrase::flag_no_follow_up, med);
    if (r == "bowel.none") return std::string(phrase(Phrase::flag_bowels));
    if (r == "med.no_laxative") return say(Phrase::flag_no_laxative, med);
    return say(Phrase::flag_other, !symptom.empty() ? symptom : med);
}

} // namespace solace::ui
