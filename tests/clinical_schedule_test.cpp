// Schedule grammar, windows and expansion across DST changes (DESIGN §3).
// Every instant is built explicitly in UTC: nothing here depends on TZ or the clock.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "support.hpp"

using namespace solace;
using namespace solace::clinical;
using std::chrono::hours;
using std::chrono::minutes;

using solace::test::count_rows;
using solace::test::utc;

namespace {

Medication medication(std::string_view schedule, Instant start, bool time_critical = false) {
    Medication m;
    m.id = 5;
    m.patient_id = 1;
    m.key = "med";
    m.name = "Medicine";
    m.schedule_text = std::string(schedule);
    m.schedule = parse_schedule(schedule);
    m.time_critical = time_critical;
    m.start = start;
    return m;
}

// "2026-03-08 03:30 EDT" for each dose, in the patient's zone.
std::vector<std::string> local_times(const std::vector<ScheduledDose>& doses,
                                     const date::time_zone* zone) {
    std::vector<std::string> out;
    for (const auto& d : doses) {
        const auto info = zone->get_info(d.due);
        out.push_back(date::format("%Y-%m-%d %H:%M ", d.due + info.offset) + info.abbrev);
    }
    return out;
}

std::vector<std::string> local_times(const std::vector<ScheduledDose>& doses,
                                     std::string_view zone) {
    return local_times(doses, date::locate_zone(zone));
}

std::vector<Instant> dues(const std::vector<ScheduledDose>& doses) {
    std::vector<Instant> out;
    for (const auto& d : doses)
        out.push_back(d.due);
    return out;
}

std::vector<minutes> clock_of(const Schedule& s) {
    return std::get<ClockSchedule>(s).times;
}

std::string error_of(std::string_view text) {
    try {
        parse_schedule(text);
    } catch (const ValidationError& e) {
        return e.what();
    }
    return "(accepted)";
}

const Thresholds defaults{};

} // namespace

TEST_CASE("Clock times are read as local times, sorted and without repeats", "[clinical]") {
    CHECK(clock_of(parse_schedule("08:00,20:00")) == std::vector<minutes>{hours{8}, hours{20}});
    CHECK(clock_of(parse_schedule(" 20:00 , 08:00,08:00 ")) ==
          std::vector<minutes>{hours{8}, hours{20}});
    CHECK(clock_of(parse_schedule("00:00,23:59")) ==
          std::vector<minutes>{minutes{0}, hours{23} + minutes{59}});
    CHECK(clock_of(parse_schedule("06:30")) == std::vector<minutes>{hours{6} + minutes{30}});
}

TEST_CASE("daily, bid, tid and qid are the usual clock times in any case", "[clinical]") {
    CHECK(clock_of(parse_schedule("daily")) == std::vector<minutes>{hours{8}});
    CHECK(clock_of(parse_schedule("BID")) == std::vector<minutes>{hours{8}, hours{20}});
    CHECK(clock_of(parse_schedule(" tid ")) ==
          std::vector<minutes>{hours{8}, hours{14}, hours{20}});
    CHECK(clock_of(parse_schedule("Qid")) ==
          std::vector<minutes>{hours{8}, hours{12}, hours{16}, hours{20}});
}

TEST_CASE("An interval schedule has N hours from 1 to 24 and an anchor time", "[clinical]") {
    SECTION("q4h@06:00") {
        const auto s = std::get<IntervalSchedule>(parse_schedule("q4h@06:00"));
        CHECK(s.every == hours{4});
        CHECK(s.anchor == hours{6});
    }
    SECTION("the bounds q1h and q24h, upper case and spaces") {
        CHECK(std::get<IntervalSchedule>(parse_schedule("q1h@00:00")).every == hours{1});
        const auto s = std::get<IntervalSchedule>(parse_schedule(" Q24H @ 21:15 "));
        CHECK(s.every == hours{24});
        CHECK(s.anchor == hours{21} + minutes{15});
    }
    SECTION("q0h and q25h are refused, naming the value and showing examples") {
        CHECK(error_of("q0h@06:00").find("schedule \"q0h@06:00\" is not understood") !=
              std::string::npos);
        const auto e = error_of("q25h@06:00");
        CHECK(e.find("schedule \"q25h@06:00\" is not understood: ") == 0);
        CHECK(e.find("1 to 24 hours") != std::string::npos);
        CHECK(e.find("Write it as a nurse would, e.g. \"08:00,20:00\", \"bid\", \"q4h@06:00\" or "
                     "\"prn q30m max 6\".") != std::string::npos);
    }
    SECTION("an interval without its first dose time is refused") {
        CHECK(error_of("q4h").find("q4h@06:00") != std::string::npos);
        CHECK_THROWS_AS(parse_schedule("q4h@"), ValidationError);
        CHECK_THROWS_AS(parse_schedule("q4h@25:00"), ValidationError);
        CHECK_THROWS_AS(parse_schedule("q4m@06:00"), ValidationError);
    }
}

TEST_CASE("A PRN schedule has an optional interval and an optional maximum", "[clinical]") {
    SECTION("prn q30m max 6") {
        const auto s = std::get<PrnSchedule>(parse_schedule("prn q30m max 6"));
        CHECK(s.min_interval == minutes{30});
        CHECK(s.max_per_24h == 6);
    }
    SECTION("prn alone") {
        const auto s = std::get<PrnSchedule>(parse_schedule("prn"));
        CHECK(s.min_interval == minutes{0});
        CHECK_FALSE(s.max_per_24h);
    }
    SECTION("prn q2h") {
        const auto s = std::get<PrnSchedule>(parse_schedule("prn q2h"));
        CHECK(s.min_interval == hours{2});
        CHECK_FALSE(s.max_per_24h);
    }
    SECTION("prn max 4") {
        const auto s = std::get<PrnSchedule>(parse_schedule("prn max 4"));
        CHECK(s.min_interval == minutes{0});
        CHECK(s.max_per_24h == 4);
    }
    SECTION("upper case and extra whitespace") {
        const auto s = std::get<PrnSchedule>(parse_schedule("  PRN   Q45M    MAX   8 "));
        CHECK(s.min_interval == minutes{45});
        CHECK(s.max_per_24h == 8);
    }
    SECTION("malformed PRN schedules are refused") {
        for (const char* bad : {"prn q30 max 6", "prn max", "prn q0m", "prn q25h", "prn max 0",
                                "prn q30m max 6 please", "prn every 2 hours", "prn qm"}) {
            INFO(bad);
            CHECK(error_of(bad).find(fmt::format("schedule \"{}\" is not understood", bad)) == 0);
        }
    }
}

TEST_CASE("Schedules a nurse would not write are refused with a sentence", "[clinical]") {
    for (const char* bad : {"", "   ", "08:60", "24:00", "8", "08:00,,20:00", "08:00,", "0800",
                            "twice a day", "bd", "08:00 20:00", "-1:00"}) {
        INFO(bad);
        const auto e = error_of(bad);
        CHECK(e.find(fmt::format("schedule \"{}\" is not understood: ", bad)) == 0);
        CHECK(e.find("Write it as a nurse would") != std::string::npos);
    }
}

TEST_CASE("Scheduled opioids are time-critical by default, PRN ones are not", "[clinical]") {
    CHECK(default_time_critical("Morphine SR 30 mg", parse_schedule("bid")));
    CHECK(default_time_critical("OxyCODONE", parse_schedule("q4h@06:00")));
    CHECK(default_time_critical("Fentanyl patch", parse_schedule("08:00")));
    CHECK_FALSE(default_time_critical("Morphine oral solution", parse_schedule("prn q1h")));
    CHECK_FALSE(default_time_critical("Senna", parse_schedule("bid")));
    CHECK_FALSE(default_time_critical("Dexamethasone", parse_schedule("daily")));
}

TEST_CASE("The dose window follows how often and how critical the medication is", "[clinical]") {
    const Instant start = utc(2026, 3, 1);
    SECTION("time-critical is 30 minutes whatever the schedule") {
        CHECK(dose_window(medication("daily", start, true), defaults) == minutes{30});
        CHECK(dose_window(medication("bid", start, true), defaults) == minutes{30});
        CHECK(dose_window(medication("q24h@08:00", start, true), defaults) == minutes{30});
    }
    SECTION("intervals: under 4 hours 30, up to 23 hours 60, 24 hours 120") {
        CHECK(dose_window(medication("q1h@00:00", start), defaults) == minutes{30});
        CHECK(dose_window(medication("q3h@00:00", start), defaults) == minutes{30});
        CHECK(dose_window(medication("q4h@06:00", start), defaults) == minutes{60});
        CHECK(dose_window(medication("q12h@06:00", start), defaults) == minutes{60});
        CHECK(dose_window(medication("q23h@06:00", start), defaults) == minutes{60});
        CHECK(dose_window(medication("q24h@06:00", start), defaults) == minutes{120});
    }
    SECTION("clock times: once a day 120, several a day 60, closer than 4 hours 30") {
        CHECK(dose_window(medication("daily", start), defaults) == minutes{120});
        CHECK(dose_window(medication("21:00", start), defaults) == minutes{120});
        CHECK(dose_window(medication("bid", start), defaults) == minutes{60});
        CHECK(dose_window(medication("tid", start), defaults) == minutes{60});
        CHECK(dose_window(medication("qid", start), defaults) == minutes{60}); // exactly 4 h
        CHECK(dose_window(medication("08:00,11:59", start), defaults) == minutes{30});
        CHECK(dose_window(medication("08:00,12:00", start), defaults) == minutes{60});
    }
    SECTION("the gap across midnight counts") {
        CHECK(dose_window(medication("01:00,22:00", start), defaults) == minutes{30});
        CHECK(dose_window(medication("02:00,22:00", start), defaults) == minutes{60});
    }
    SECTION("the thresholds are the agency's") {
        Thresholds t;
        t.critical_window_minutes = 15;
        t.multi_daily_window_minutes = 45;
        t.daily_window_minutes = 90;
        CHECK(dose_window(medication("bid", start, true), t) == minutes{15});
        CHECK(dose_window(medication("bid", start), t) == minutes{45});
        CHECK(dose_window(medication("daily", start), t) == minutes{90});
    }
}

TEST_CASE("Clock doses fall on each local day and carry their window", "[clinical]") {
    const auto* london = date::locate_zone("Europe/London");
    const auto med = medication("bid", utc(2026, 1, 1));
    const auto doses = expand(med, london, utc(2026, 2, 2), utc(2026, 2, 4), defaults);
    CHECK(dues(doses) == std::vector<Instant>{utc(2026, 2, 2, 8), utc(2026, 2, 2, 20),
                                              utc(2026, 2, 3, 8), utc(2026, 2, 3, 20)});
    for (const auto& d : doses) {
        CHECK(d.medication_id == 5);
        CHECK(d.window == minutes{60});
    }
}

TEST_CASE("Expansion keeps doses between from and to and within the medication's dates",
          "[clinical]") {
    const auto* utc_zone = date::locate_zone("UTC");
    SECTION("from and to are inclusive") {
        const auto med = medication("bid", utc(2026, 1, 1));
        CHECK(dues(expand(med, utc_zone, utc(2026, 2, 2, 8), utc(2026, 2, 2, 20), defaults)) ==
              std::vector<Instant>{utc(2026, 2, 2, 8), utc(2026, 2, 2, 20)});
        CHECK(dues(expand(med, utc_zone, utc(2026, 2, 2, 8, 1), utc(2026, 2, 2, 19, 59), defaults))
                  .empty());
    }
    SECTION("no dose before the start, the end is inclusive") {
        auto med = medication("bid", utc(2026, 2, 2, 9));
        med.end = utc(2026, 2, 3, 20);
        CHECK(dues(expand(med, utc_zone, utc(2026, 2, 1), utc(2026, 2, 10), defaults)) ==
              std::vector<Instant>{utc(2026, 2, 2, 20), utc(2026, 2, 3, 8), utc(2026, 2, 3, 20)});
        med.end = utc(2026, 2, 3, 19, 59);
        CHECK(dues(expand(med, utc_zone, utc(2026, 2, 1), utc(2026, 2, 10), defaults)).size() == 2);
    }
    SECTION("an ended medication or an empty range has no doses") {
        auto med = medication("bid", utc(2026, 1, 1));
        med.end = utc(2026, 1, 31);
        CHECK(expand(med, utc_zone, utc(2026, 2, 1), utc(2026, 2, 10), defaults).empty());
        CHECK(expand(medication("bid", utc(2026, 1, 1)), utc_zone, utc(2026, 2, 2), utc(2026, 2, 1),
                     defaults)
                  .empty());
    }
    SECTION("PRN medications have no scheduled doses") {
        CHECK(expand(medication("prn q1h max 6", utc(2026, 1, 1)), utc_zone, utc(2026, 2, 1),
                     utc(2026, 2, 10), defaults)
                  .empty());
    }
}

TEST_CASE("An interval counts from the anchor on the start day", "[clinical]") {
    const auto* utc_zone = date::locate_zone("UTC");
    SECTION("a dose before the start is skipped, the rest keep the phase") {
        const auto med = medication("q4h@06:00", utc(2026, 2, 2, 7));
        CHECK(dues(expand(med, utc_zone, utc(2026, 2, 1), utc(2026, 2, 2, 18), defaults)) ==
              std::vector<Instant>{utc(2026, 2, 2, 10), utc(2026, 2, 2, 14), utc(2026, 2, 2, 18)});
    }
    SECTION("a range long after the start keeps the same phase") {
        const auto med = medication("q8h@05:00", utc(2025, 1, 1));
        CHECK(dues(expand(med, utc_zone, utc(2026, 2, 2), utc(2026, 2, 2, 23, 59), defaults)) ==
              std::vector<Instant>{utc(2026, 2, 2, 5), utc(2026, 2, 2, 13), utc(2026, 2, 2, 21)});
    }
    SECTION("q24h is once a day with the daily window") {
        const auto med = medication("q24h@21:00", utc(2026, 2, 1));
        const auto doses = expand(med, utc_zone, utc(2026, 2, 1), utc(2026, 2, 3), defaults);
        CHECK(dues(doses) == std::vector<Instant>{utc(2026, 2, 1, 21), utc(2026, 2, 2, 21)});
        CHECK(doses.front().window == minutes{120});
    }
}

TEST_CASE("A clock dose in the spring-forward gap moves forward by the gap", "[clinical]") {
    SECTION("America/New_York on 2026-03-08: 02:30 is due at 03:30 EDT") {
        const auto med = medication("02:30", utc(2026, 3, 1));
        const auto doses = expand(med, date::locate_zone("America/New_York"), utc(2026, 3, 7),
                                  utc(2026, 3, 10), defaults);
        CHECK(local_times(doses, "America/New_York") ==
              std::vector<std::string>{"2026-03-07 02:30 EST", "2026-03-08 03:30 EDT",
                                       "2026-03-09 02:30 EDT"});
        CHECK(doses[1].due == utc(2026, 3, 8, 7, 30));
    }
    SECTION("Europe/London on 2026-03-29: 01:30 is due at 02:30 BST") {
        const auto med = medication("01:30,09:00", utc(2026, 3, 1));
        const auto doses = expand(med, date::locate_zone("Europe/London"), utc(2026, 3, 29),
                                  utc(2026, 3, 29, 23), defaults);
        CHECK(local_times(doses, "Europe/London") ==
              std::vector<std::string>{"2026-03-29 02:30 BST", "2026-03-29 09:00 BST"});
        CHECK(dues(doses) == std::vector<Instant>{utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 8)});
    }
    SECTION("Australia/Lord_Howe on 2026-10-04: the gap is 30 minutes, 02:15 is due at 02:45") {
        const auto med = medication("02:15", utc(2026, 9, 1));
        const auto doses = expand(med, date::locate_zone("Australia/Lord_Howe"), utc(2026, 10, 2),
                                  utc(2026, 10, 5), defaults);
        const auto local = local_times(doses, "Australia/Lord_Howe");
        REQUIRE(local.size() == 3);
        CHECK(local[0].substr(0, 16) == "2026-10-03 02:15");
        CHECK(local[1].substr(0, 16) == "2026-10-04 02:45");
        CHECK(local[2].substr(0, 16) == "2026-10-05 02:15");
        CHECK(doses[1].due == utc(2026, 10, 3, 15, 45)); // 02:15 read at +10:30
    }
    SECTION("a dose moved onto another dose time is due once") {
        const auto med = medication("02:30,03:30", utc(2026, 3, 1));
        const auto doses = expand(med, date::locate_zone("America/New_York"), utc(2026, 3, 8),
                                  utc(2026, 3, 8, 12), defaults);
        CHECK(local_times(doses, "America/New_York") ==
              std::vector<std::string>{"2026-03-08 03:30 EDT"});
    }
    SECTION("doses inside the gap stay in time order") {
        const auto med = medication("02:30,03:00", utc(2026, 3, 1));
        const auto doses = expand(med, date::locate_zone("America/New_York"), utc(2026, 3, 8),
                                  utc(2026, 3, 8, 12), defaults);
        CHECK(local_times(doses, "America/New_York") ==
              std::vector<std::string>{"2026-03-08 03:00 EDT", "2026-03-08 03:30 EDT"});
    }
}

TEST_CASE("An ambiguous clock dose on the fall-back day is due once, at its first occurrence",
          "[clinical]") {
    SECTION("America/New_York on 2026-11-01: 01:30 EDT, not 01:30 EST") {
        const auto med = medication("01:30", utc(2026, 10, 1));
        const auto doses = expand(med, date::locate_zone("America/New_York"), utc(2026, 10, 31),
                                  utc(2026, 11, 3), defaults);
        CHECK(local_times(doses, "America/New_York") ==
              std::vector<std::string>{"2026-10-31 01:30 EDT", "2026-11-01 01:30 EDT",
                                       "2026-11-02 01:30 EST"});
        CHECK(doses[1].due == utc(2026, 11, 1, 5, 30));
    }
    SECTION("Europe/London on 2026-10-25: 01:30 BST") {
        const auto med = medication("01:30", utc(2026, 10, 1));
        const auto doses = expand(med, date::locate_zone("Europe/London"), utc(2026, 10, 25),
                                  utc(2026, 10, 25, 23), defaults);
        CHECK(dues(doses) == std::vector<Instant>{utc(2026, 10, 25, 0, 30)});
        CHECK(local_times(doses, "Europe/London") ==
              std::vector<std::string>{"2026-10-25 01:30 BST"});
    }
    SECTION("Australia/Lord_Howe on 2026-04-05: 01:45 at +11:00") {
        const auto med = medication("01:45", utc(2026, 3, 1));
        const auto doses = expand(med, date::locate_zone("Australia/Lord_Howe"), utc(2026, 4, 4),
                                  utc(2026, 4, 5, 12), defaults);
        CHECK(dues(doses) == std::vector<Instant>{utc(2026, 4, 4, 14, 45)});
        const auto* zone = date::locate_zone("Australia/Lord_Howe");
        CHECK(zone->get_info(doses[0].due).offset == hours{11});
    }
}

TEST_CASE("Schedule q4h keeps elapsed time across the DST change", "[clinical]") {
    SECTION("America/New_York spring forward: local times shift an hour later") {
        const auto med = medication("q4h@06:00", utc(2026, 3, 7, 5)); // 00:00 EST
        const auto doses = expand(med, date::locate_zone("America/New_York"), utc(2026, 3, 7),
                                  utc(2026, 3, 8, 20), defaults);
        CHECK(local_times(doses, "America/New_York") ==
              std::vector<std::string>{
                  "2026-03-07 06:00 EST", "2026-03-07 10:00 EST", "2026-03-07 14:00 EST",
                  "2026-03-07 18:00 EST", "2026-03-07 22:00 EST", "2026-03-08 03:00 EDT",
                  "2026-03-08 07:00 EDT", "2026-03-08 11:00 EDT", "2026-03-08 15:00 EDT"});
        for (std::size_t i = 1; i < doses.size(); ++i)
            CHECK(doses[i].due - doses[i - 1].due == hours{4});
    }
    SECTION("America/New_York fall back: local times shift an hour earlier") {
        const auto med = medication("q4h@06:00", utc(2026, 10, 31, 4)); // 00:00 EDT
        const auto doses = expand(med, date::locate_zone("America/New_York"), utc(2026, 10, 31, 20),
                                  utc(2026, 11, 1, 16), defaults);
        CHECK(local_times(doses, "America/New_York") ==
              std::vector<std::string>{"2026-10-31 18:00 EDT", "2026-10-31 22:00 EDT",
                                       "2026-11-01 01:00 EST", "2026-11-01 05:00 EST",
                                       "2026-11-01 09:00 EST"});
        for (std::size_t i = 1; i < doses.size(); ++i)
            CHECK(doses[i].due - doses[i - 1].due == hours{4});
    }
    SECTION("Europe/London both changes") {
        const auto* london = date::locate_zone("Europe/London");
        const auto spring = expand(medication("q6h@00:00", utc(2026, 3, 28)), london,
                                   utc(2026, 3, 28, 12), utc(2026, 3, 29, 12), defaults);
        CHECK(local_times(spring, london) ==
              std::vector<std::string>{"2026-03-28 12:00 GMT", "2026-03-28 18:00 GMT",
                                       "2026-03-29 00:00 GMT", "2026-03-29 07:00 BST",
                                       "2026-03-29 13:00 BST"});
        const auto autumn = expand(medication("q6h@00:00", utc(2026, 10, 23, 23)), london,
                                   utc(2026, 10, 24, 11), utc(2026, 10, 25, 12), defaults);
        CHECK(local_times(autumn, london) ==
              std::vector<std::string>{"2026-10-24 12:00 BST", "2026-10-24 18:00 BST",
                                       "2026-10-25 00:00 BST", "2026-10-25 05:00 GMT",
                                       "2026-10-25 11:00 GMT"});
    }
    SECTION("Australia/Lord_Howe shifts by half an hour") {
        const auto* zone = date::locate_zone("Australia/Lord_Howe");
        // 2026-10-03 00:00 local at +10:30 is 2026-10-02 13:30 UTC.
        const auto med = medication("q4h@00:00", utc(2026, 10, 2, 13, 30));
        const auto doses = expand(med, zone, utc(2026, 10, 3, 4), utc(2026, 10, 4, 4), defaults);
        std::vector<std::string> clock;
        for (const auto& s : local_times(doses, zone))
            clock.push_back(s.substr(0, 16));
        CHECK(clock == std::vector<std::string>{"2026-10-03 16:00", "2026-10-03 20:00",
                                                "2026-10-04 00:00", "2026-10-04 04:30",
                                                "2026-10-04 08:30", "2026-10-04 12:30"});
    }
}

TEST_CASE("Expansion uses the patient's zone, never the machine's", "[clinical]") {
    const char* saved = std::getenv("TZ");
    const std::optional<std::string> previous =
        saved ? std::optional<std::string>{saved} : std::nullopt;
    auto run = [] {
        const auto med = medication("08:00,20:00", utc(2026, 1, 1));
        return dues(expand(med, date::locate_zone("Asia/Kathmandu"), utc(2026, 2, 2),
                           utc(2026, 2, 3), defaults));
    };
    // Kathmandu is +05:45 all year: 08:00 local is 02:15 UTC.
    const std::vector<Instant> expected{utc(2026, 2, 2, 2, 15), utc(2026, 2, 2, 14, 15)};
    CHECK(run() == expected);
    ::setenv("TZ", "Pacific/Kiritimati", 1);
    ::tzset();
    CHECK(run() == expected);
    if (previous)
        ::setenv("TZ", previous->c_str(), 1);
    else
        ::unsetenv("TZ");
    ::tzset();
}
