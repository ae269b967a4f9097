#pragma once
#include <string>
#include <string_view>

#include "domain/flag.hpp"
#include "domain/time.hpp"
#include "sync/background.hpp"

namespace solace::ui {

// The few phrases several views share, in the nurse's words.

// "Tue 3 Mar 09:30" in the patient's zone (the zone's own clock, as the family sees it);
// "Tue 3 Mar 2025 09:30" for a time in another year than this one.
std::string short_time(Instant t, const std::string& zone);
// "09:30" in the patient's zone.
std::string clock_time(Instant t, const std::string& zone);
// "Tue 3 Mar 09:30 EST" (with the year when not this year): with the zone's abbreviation, where
// times from two zones may meet.
std::string time_with_zone(Instant t, const std::string& zone);
// "moderate (5 of 10)"
std::string band_words(int score);
// "↑ 1", "↓ 2", "= same"
std::string change_words(int change);
// "symptom.sustained_rise" -> "sustained rise"
std::string rule_words(std::string_view rule);
// "30 min", "1 h", "1 h 30 min"
std::string span_words(std::chrono::minutes m);
// The sync status line: "Synced 2 min ago", "Syncing…", "Offline: 3 entries waiting", or why
// the server refused; empty for a database that works alone.
std::string sync_words(const sync::SyncStatus& s, Instant now);
// What a flag is about: "Pain", "morphine-sr"
std::string subject_words(const Flag& f);

} // namespace solace::ui
