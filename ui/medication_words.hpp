#pragma once
#include <string>
#include <string_view>

#include "domain/medication.hpp"

namespace solace::ui {

// Words the Medications view's parts share.

// True for text with nothing but spaces.
bool blank(std::string_view s);
// The schedule as a nurse would read it back: "twice a day at 08:00 and 20:00".
std::string schedule_words(const Schedule& s);
// "Morphine IR 5 mg, oral"
std::string medication_words(std::string_view name, std::string_view dose, std::string_view route);

} // namespace solace::ui
