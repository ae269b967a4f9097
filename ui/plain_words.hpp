#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/symptom.hpp"
#include "domain/time.hpp"

namespace solace::ui {

// Words for a family member: no scales to decode, no clock arithmetic.

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

} // namespace solace::ui
