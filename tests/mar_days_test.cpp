// The medication administration record of past days (issue 11, item 4): app::medications_picture
// for a chosen local day, its boundaries at the patient's midnights (23 and 25 hours on the days
// the clocks change), and each dose judged once its window closed.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/medications.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;
using test::utc;

namespace {

// A nurse (ann) and a family member (fay) of patient P1, who lives in London.
struct Home {
    test::TempDir dir;
    store::Database db{dir / "solace.db", store::Database::Mode::create_new};

    Home() {
        store::AccountRepository accounts(db);
        const auto t = to_epoch(utc(2026, 1, 1));
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                     t);
        accounts.add({0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {}},
                     t);
        const auto pid =
            app::add_patient(nurse(), Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                              "Europe/London", "pancreatic cancer"});
        accounts.link(accounts.find("fay")->id, pid);
    }

    app::Session as(const std::string& name) {
        return app::Session(db, *store::AccountRepository(db).find(name));
    }
    app::Session nurse() { return as("ann"); }

    void add(const std::string& key, const std::string& schedule, Instant start) {
        Medication m;
        m.key = key;
        m.name = key;
        m.dose = "1 tablet";
        m.route = "oral";
        m.schedule_text = schedule;
        m.start = start;
        app::add_medication(nurse(), "P1", m);
    }

    // Recorded a minute after it happened, as the nurse at the bedside does.
    void record(const std::string& key, Instant at, DoseStatus status = DoseStatus::given,
                const std::string& reason = "") {
        app::record_dose(nurse(), {"P1", key, at, status, reason, "", ""}, at + 1min);
    }
};

date::local_days day(int y, unsigned m, unsigned d) {
    return date::local_days{date::year{y} / m / d};
}

std::vector<app::DoseState> states(const app::MedicationsPicture& p) {
    std::vector<app::DoseState> out;
    for (const auto& row : p.doses)
        out.push_back(app::dose_state(row, app::judging_time(p, p.taken_at)));
    return out;
}

std::vector<std::string> due_times(const app::MedicationsPicture& p) {
    std::vector<std::string> out;
    for (const auto& row : p.doses)
        out.push_back(format_utc(row.scheduled.due));
    return out;
}

} // namespace

TEST_CASE("Yesterday's page shows its missed dose as missed and its late dose as given late") {
    Home home;
    // Senna at 08:00 and 20:00 (window 60 min either side); London is on GMT in November.
    home.add("senna", "08:00,20:00", utc(2026, 11, 20));
    home.record("senna", utc(2026, 11, 24, 10, 30)); // the 08:00 dose, 90 minutes after it
    const Instant now = utc(2026, 11, 25, 10, 0);

    const auto yesterday = app::medications_picture(home.nurse(), "P1", now, day(2026, 11, 24));
    CHECK_FALSE(yesterday.is_today);
    CHECK(yesterday.day_start == utc(2026, 11, 24));
    CHECK(yesterday.day_end == utc(2026, 11, 24, 23, 59, 59));
    REQUIRE(due_times(yesterday) ==
            std::vector<std::string>{"2026-11-24T08:00:00Z", "2026-11-24T20:00:00Z"});
    CHECK(states(yesterday) == std::vector{app::DoseState::given_late, app::DoseState::missed});
    REQUIRE(yesterday.recorded.size() == 1);
    CHECK(yesterday.recorded[0].given_at == utc(2026, 11, 24, 10, 30));

    // Today's page is today's: its 08:00 dose is missed by now, its 20:00 one still to come,
    // and yesterday's record is not listed as today's.
    const auto today = app::medications_picture(home.nurse(), "P1", now);
    CHECK(today.is_today);
    CHECK(today.day == day(2026, 11, 25));
    CHECK(states(today) == std::vector{app::DoseState::missed, app::DoseState::upcoming});
    CHECK(today.recorded.empty());
}

TEST_CASE("A past day's dose is judged once its window closed, after midnight") {
    Home home;
    home.add("melatonin", "23:30", utc(2026, 11, 1)); // once a day: 120 min either side
    const auto d = day(2026, 11, 24);

    SECTION("nothing recorded: due until 01:30, then missed") {
        auto p = app::medications_picture(home.nurse(), "P1", utc(2026, 11, 25, 0, 15), d);
        CHECK(states(p) == std::vector{app::DoseState::due_now});
        p = app::medications_picture(home.nurse(), "P1", utc(2026, 11, 25, 9, 0), d);
        CHECK(p.judged_at == utc(2026, 11, 25, 1, 59, 59));
        CHECK(states(p) == std::vector{app::DoseState::missed});
    }
    SECTION("given at 00:45 the next day: on time, on the day it was due") {
        home.record("melatonin", utc(2026, 11, 25, 0, 45));
        const auto p = app::medications_picture(home.nurse(), "P1", utc(2026, 11, 25, 9, 0), d);
        CHECK(states(p) == std::vector{app::DoseState::given_on_time});
        CHECK(p.recorded.empty()); // it was given on the 25th
        const auto next = app::medications_picture(home.nurse(), "P1", utc(2026, 11, 25, 9, 0));
        CHECK(next.recorded.size() == 1);
        CHECK(next.doses.size() == 1); // the 25th's own 23:30 dose, not covered by it
        CHECK_FALSE(next.doses[0].record);
    }
}

TEST_CASE("Days the clocks change are 23 and 25 hours long and list their own doses") {
    Home home;
    // 00:30, 01:30 and 23:30 local; and every hour of elapsed time from midnight on 1 March.
    home.add("clock", "00:30,01:30,23:30", utc(2026, 3, 1));
    home.add("hourly", "q1h@00:00", utc(2026, 3, 1));
    const Instant now = utc(2026, 11, 1, 12);
    const auto count = [](const app::MedicationsPicture& p, const std::string& key) {
        return std::count_if(p.doses.begin(), p.doses.end(),
                             [&](const app::DoseRow& r) { return r.key == key; });
    };
    const auto clock_times = [](const app::MedicationsPicture& p) {
        std::vector<std::string> out;
        for (const auto& r : p.doses)
            if (r.key == "clock") out.push_back(format_utc(r.scheduled.due));
        return out;
    };

    SECTION("29 March 2026: spring forward, 01:30 does not exist and moves to 02:30") {
        const auto p = app::medications_picture(home.nurse(), "P1", now, day(2026, 3, 29));
        CHECK(p.day_start == utc(2026, 3, 29, 0, 0));
        CHECK(p.day_end == utc(2026, 3, 29, 22, 59, 59)); // 23:59:59 BST
        CHECK(clock_times(p) == std::vector<std::string>{"2026-03-29T00:30:00Z",
                                                         "2026-03-29T01:30:00Z",
                                                         "2026-03-29T22:30:00Z"});
        CHECK(count(p, "hourly") == 23);
        // The day before keeps its own 23:30 and not the 29th's 00:30.
        const auto before = app::medications_picture(home.nurse(), "P1", now, day(2026, 3, 28));
        CHECK(clock_times(before) == std::vector<std::string>{"2026-03-28T00:30:00Z",
                                                              "2026-03-28T01:30:00Z",
                                                              "2026-03-28T23:30:00Z"});
        CHECK(count(before, "hourly") == 24);
    }
    SECTION("25 October 2026: fall back, 01:30 comes twice and is due once") {
        const auto p = app::medications_picture(home.nurse(), "P1", now, day(2026, 10, 25));
        CHECK(p.day_start == utc(2026, 10, 24, 23, 0)); // 00:00 BST
        CHECK(p.day_end == utc(2026, 10, 25, 23, 59, 59));
        CHECK(clock_times(p) == std::vector<std::string>{"2026-10-24T23:30:00Z",
                                                         "2026-10-25T00:30:00Z",
                                                         "2026-10-25T23:30:00Z"});
        CHECK(count(p, "hourly") == 25);
        const auto after = app::medications_picture(home.nurse(), "P1", now, day(2026, 10, 26));
        CHECK(after.day_start == utc(2026, 10, 26, 0, 0));
        CHECK(count(after, "hourly") == 24);
    }
}

TEST_CASE("The record reaches back to the first medication, at least 30 days, never ahead") {
    Home home;
    const Instant now = utc(2026, 11, 25, 10, 0);
    home.add("senna", "08:00", utc(2026, 11, 20));
    auto p = app::medications_picture(home.nurse(), "P1", now);
    CHECK(p.first_day == day(2026, 10, 26)); // 30 days before the 25th

    home.add("oxycodone", "08:00,20:00", utc(2026, 6, 2, 9));
    p = app::medications_picture(home.nurse(), "P1", now);
    CHECK(p.first_day == day(2026, 6, 2));

    CHECK_THROWS_AS(app::medications_picture(home.nurse(), "P1", now, day(2026, 11, 26)),
                    ValidationError);
}

TEST_CASE("A family member reads the past days of their own patient") {
    Home home;
    home.add("senna", "08:00,20:00", utc(2026, 11, 20));
    home.record("senna", utc(2026, 11, 24, 8, 10));
    const auto fay = home.as("fay");
    const auto p = app::medications_picture(fay, "P1", utc(2026, 11, 25, 10, 0), day(2026, 11, 24));
    CHECK(states(p) == std::vector{app::DoseState::given_on_time, app::DoseState::missed});
}
