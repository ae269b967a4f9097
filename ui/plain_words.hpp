#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "domain/flag.hpp"
#include "domain/medication.hpp"
#include "domain/symptom.hpp"
#include "domain/time.hpp"

namespace solace::ui {

// Words for a family member: no scales to decode, no clock arithmetic, no clinician's terms.
//
// Every phrase a family member reads that the nurse does not is in one table (plain_words.cpp),
// by name, so that it can be read over or translated in one place. A phrase's {} fields are
// filled in order with fmt.
enum class Phrase {
    // Parts of the day and when something happened.
    morning,
    afternoon,
    evening,
    night,
    tonight,
    this_part,      // "this {morning}"
    last_night,     //
    yesterday_part, // "yesterday {morning}"
    on_weekday,     // "on {Tuesday} {evening}"
    on_date_night,  // "on {Tuesday 3 March} at night"
    on_date_part,   // "on {Tuesday 3 March} in the {evening}"
    sunday,         // ... to saturday, in order
    monday,
    tuesday,
    wednesday,
    thursday,
    friday,
    saturday,
    january, // ... to december, in order
    february,
    march,
    april,
    may,
    june,
    july,
    august,
    september,
    october,
    november,
    december,
    // How a symptom was.
    wellbeing_best, // "Wellbeing was at its best ({0} of 10)"
    wellbeing_poor, // "Wellbeing was {mildly} poor ({5} of 10)"
    mildly,
    moderately,
    severely,
    no_symptom,  // "No {nausea} ({0} of 10)"
    symptom_was, // "{Pain} was {severe} ({8} of 10)"
    sentence,    // "{how} {when}."
    // The nurses' number and what to do after a severe score.
    on_call,         // "Nurse on call, day and night: {phone}"
    on_call_unknown, //
    severe_now,      // "{Pain} is severe ({8} of 10). "
    call_now,        // "Call the nurse now: {phone}, day or night."
    call_now_unknown,
    // What the nurse is to look at (flags, in the nurses' words).
    nurse_nothing,      // the patient list: no open flags
    nurse_one_thing,    //
    nurse_things,       // "{2} things for the nurse to look at"
    nurse_column,       // the patient list's column
    nurse_tab,          // the tab: "For the nurse ({2})"
    nurse_open_heading, // "Things for the nurse to look at ({2})"
    nurse_seen_heading, // "Seen by the nurse ({3})"
    nurse_all_seen,     //
    nurse_about,        // under the heading: "Not yet seen: from the last year. ..."
    nurse_when_column,
    nurse_what_column,
    nurse_seen_column,
    nurse_seen_by,       // "{ann}, {this morning}"
    nurse_open_more,     // under a page of them: "{120} more, older ones."
    nurse_show_more,     // "Show {50} more"
    visit_narrow_column, // Record a score, in a narrow window: one column for all but the name
    flag_severe,         // "{Pain} was scored severe."
    flag_worse,          // "{Pain} is worse than before."
    flag_above_goal,     // "{Pain} is above the comfort goal the nurse set."
    flag_dose_missed,    // "No one recorded the dose of {Morphine SR} due {this morning}."
    flag_dose_late,      // "The dose of {Morphine SR} due {this morning} was given late."
    flag_dose_early,     // "... given early."
    flag_dose_twice,     // "{Morphine SR} may have been given twice for the same dose."
    flag_prn_too_soon,   // "An as-needed dose of {Morphine IR} came sooner than prescribed."
    flag_prn_over_max,   // "More as-needed doses of {Morphine IR} in a day than prescribed."
    flag_breakthrough,   // "Several as-needed doses for pain in a day: ..."
    flag_no_follow_up,   // "No score was recorded after an as-needed dose of {Morphine IR}."
    flag_bowels,         // "No bowel movement recorded for some days."
    flag_no_laxative,    // "{Morphine SR} usually needs a laxative beside it."
    flag_other,          // a rule this table does not know yet: "The nurse will look at {x}."
    // Today's doses.
    dose_due_at,       // "Due at {08:00}"
    dose_due_now,      // "Due now, by {10:00}"
    dose_not_recorded, // its time passed with nothing recorded
    dose_given_at,     // "Given at {08:00}"
    dose_held,         // "Not given: {asleep}"
    dose_refused,      // "Refused: {nausea}"
    dose_between,      // "The nurse records this dose, due between {06:00} and {10:00}."
    as_needed_heading,
    // The day chooser and a past day's record of doses (the nurses read these too).
    day_previous,      // "Previous day"
    day_next,          //
    day_today,         //
    day_keys,          // how the keys move between days
    doses_today,       // "Today's doses · {Tuesday 1 December}"
    doses_on_day,      // "Doses on {Monday 30 November}"
    past_day_about,    // "What was recorded on this day, in the patient's own clock ({zone})."
    no_doses_that_day, //
    prn_given_heading, // "As-needed doses given that day ({2})"
    prn_given_none,    //
    prn_given_line,    // "{08:40} {Morphine IR 5 mg oral}, given by {fay}"
    // History.
    history_about,    // "Times are the patient's own clock ({zone}). ..."
    correct_own_hint, // under the table: a score of one's own can be corrected for an hour
    count_            // not a phrase: how many there are
};

// The phrase as written in the table.
std::string_view phrase(Phrase p);

// The phrase with its {} fields filled: say(Phrase::nurse_things, 2).
template <typename... Args> std::string say(Phrase p, Args&&... args) {
    return fmt::format(fmt::runtime(phrase(p)), std::forward<Args>(args)...);
}

// Morning 05:00-11:59, afternoon 12:00-16:59, evening 17:00-20:59, night 21:00-04:59.
enum class DayPart { morning, afternoon, evening, night };
DayPart day_part(int hour);
std::string_view words(DayPart p);

// When something happened, in the patient's zone, as seen from `now`: "this morning",
// "tonight", "yesterday evening", "last night", "on Tuesday evening" (within the week),
// "on Tuesday 3 March in the evening" (longer ago; with the year when it is not this year).
// The small hours belong to the night before, as people say it: 02:00 on a Wednesday is
// "Tuesday night".
std::string when_words(Instant at, Instant now, const std::string& zone);

// How the symptom was, without the time: "Pain was severe (8 of 10)", "No nausea (0 of 10)",
// "Wellbeing was moderately poor (5 of 10)" (ESAS-r: 0 is the best wellbeing).
std::string how_words(Symptom s, int value);

// The agency's 24-hour number, always in sight of a family member: "Nurse on call, day and
// night: 0800 123 456" (or, with none on file, where to get it).
std::string on_call_words(const std::string& phone);

// After a family member recorded a severe score: what it means and what to do now,
// "Pain is severe (8 of 10). Call the nurse now: 0800 123 456, day or night."
std::string call_now_words(const std::vector<std::pair<Symptom, int>>& severe,
                           const std::string& phone);

// "Pain was severe (8 of 10) on Tuesday evening."
std::string plain_sentence(Symptom s, int value, Instant at, Instant now, const std::string& zone);

// A patient's open flags as a count of things for the nurse: "nothing for the nurse",
// "1 thing for the nurse to look at", "13 things for the nurse to look at".
std::string nurse_count_words(int open_flags);

// What a flag is about in a family member's words, the medication by its name (from
// `medications`, the patient's, any version): "No one recorded the dose of Morphine SR due
// this morning." Never the rule's thresholds or windows.
std::string flag_words(const Flag& f, const std::vector<Medication>& medications, Instant now,
                       const std::string& zone);
// A day on the calendar in words: "Monday 30 November", with the year when it is not the year
// of `today` ("Monday 30 November 2025").
std::string date_words(date::local_days day, date::local_days today);
// The medication's name for its key ("morphine-sr" -> "Morphine SR"); the key when unknown.
std::string medication_name(const std::string& key, const std::vector<Medication>& medications);

} // namespace solace::ui
