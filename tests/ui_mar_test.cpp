// The Medications view's past days (issue 11, item 4): the day chooser by key and by click,
// yesterday's record read back (a dose given late, a dose missed, the as-needed doses given),
// nothing recordable on a past day, the family's plain words, at 800 by 600 and Larger text.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/medications.hpp"
#include "app/session.hpp"
#include "appearance.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "store/medication_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;
using namespace std::chrono_literals;

namespace {

constexpr const char* zone = "Europe/London";

// Today in London, and an instant at a local clock time `back` days before it.
date::local_days london_today() {
    return date::floor<date::days>(find_zone(zone)->to_local(now_utc()));
}
Instant london(date::days back, std::chrono::minutes clock) {
    return resolve_local(find_zone(zone), date::local_seconds{london_today() - back} + clock);
}

// P1's senna is due at 06:00 and 18:00 (window 60 min). Yesterday the 06:00 dose was given at
// 07:30, late, and nothing was recorded for the 18:00 one; morphine IR (as needed) was given at
// 10:00. The window (800 by 600 at `text_scale`) is signed in as `who` on P1's medications.
struct Yesterday {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    ui::Headless imgui{800, 600};
    std::unique_ptr<ui::Shell> shell;

    explicit Yesterday(const std::string& who = "ann", float text_scale = 1.0f) {
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            const auto t = to_epoch(now_utc());
            accounts.add(
                {0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}}, t);
            accounts.add(
                {0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {}}, t);
            const app::Session nurse(db, *accounts.find("ann"));
            const auto pid =
                app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                                zone, "pancreatic cancer"});
            accounts.link(accounts.find("fay")->id, pid);
            Medication senna;
            senna.key = "senna";
            senna.name = "Senna";
            senna.dose = "15 mg";
            senna.route = "oral";
            senna.schedule_text = "06:00,18:00";
            senna.start = london(date::days{3}, 0min);
            app::add_medication(nurse, "P1", senna);
            Medication prn;
            prn.key = "morphine-ir";
            prn.name = "Morphine IR";
            prn.dose = "5 mg";
            prn.schedule_text = "prn q1h max 6";
            prn.indication = "pain";
            prn.start = senna.start;
            app::add_medication(nurse, "P1", prn);
            app::record_dose(nurse, {"P1", "senna", london(date::days{1}, 7h + 30min),
                                     DoseStatus::given, "", "", ""});
            app::record_dose(nurse, {"P1", "morphine-ir", london(date::days{1}, 10h),
                                     DoseStatus::given, "", "", ""});
        }
        ImGui::GetIO().DisplaySize = ImVec2(800, 600);
        ui::apply_appearance({false, text_scale});
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        REQUIRE(shell->sign_in(who, who + "-secret"));
        REQUIRE(shell->open_patient("P1", ui::PatientView::Tab::medications));
        imgui.frame();
        imgui.frame();
    }
    ~Yesterday() { ui::apply_appearance({false, 1.0f}); }

    const app::MedicationsPicture& picture() {
        const auto* p = shell->patient_view().medications().picture();
        REQUIRE(p);
        return *p;
    }
    std::vector<app::DoseState> states() {
        std::vector<app::DoseState> out;
        for (const auto& row : picture().doses)
            out.push_back(app::dose_state(row, app::judging_time(picture(), now_utc())));
        return out;
    }
    std::size_t records() {
        store::Database db(path, store::Database::Mode::open_existing);
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        return store::MedicationRepository(db)
            .administrations(p->id, from_epoch(0), now_utc() + 1h)
            .size();
    }
};

} // namespace

TEST_CASE("Page Up shows yesterday: the late dose given late, the missed dose missed") {
    const float scale = GENERATE(1.0f, 1.5f); // Standard and Larger text
    Yesterday home("ann", scale);
    CHECK(home.picture().is_today);

    home.imgui.press(ui::keys::page_up);
    home.imgui.frame();
    REQUIRE_FALSE(home.picture().is_today);
    CHECK(home.picture().day == london_today() - date::days{1});
    CHECK(home.states() == std::vector{app::DoseState::given_late, app::DoseState::missed});
    const auto text = test::drawn_text(home.imgui);
    CHECK_THAT(text, Catch::Contains("Doseson") && Catch::Contains("07:30") &&
                         Catch::Contains("late") && Catch::Contains("Missed") &&
                         Catch::Contains("As-neededdosesgiventhatday(1)"));
    // The chooser and a recorded dose's correction are in sight, whole, at 800 by 600.
    CHECK(home.imgui.shows("Previous day"));
    CHECK(home.imgui.shows("Next day"));
    CHECK(home.imgui.shows("Today"));

    SECTION("nothing records a dose of that day: no buttons, and G, H, R do nothing") {
        CHECK_FALSE(home.imgui.draws("Given"));
        CHECK_FALSE(home.imgui.draws("Held\xE2\x80\xA6"));
        CHECK_FALSE(home.imgui.draws("Give now"));
        home.imgui.press(ui::keys::down); // to the missed 18:00 dose, if anything could be chosen
        home.imgui.type("h");
        CHECK_FALSE(home.shell->patient_view().medications().entering_reason());
        home.imgui.press(ui::keys::escape);
        home.imgui.type("gr");
        home.imgui.press(ui::keys::enter); // would answer a question, were one asked
        home.imgui.frame();
        CHECK(home.records() == 2);
        CHECK(home.states() == std::vector{app::DoseState::given_late, app::DoseState::missed});
    }
    SECTION("a recorded dose can still be corrected from that day") {
        CHECK(home.imgui.draws("Correct\xE2\x80\xA6"));
    }
    SECTION("Page Down comes back to today, where doses are recorded again") {
        home.imgui.press(ui::keys::page_down);
        home.imgui.frame();
        CHECK(home.picture().is_today);
        CHECK(home.imgui.draws("Given"));
    }
    SECTION("two days back, Home and the Today button come back to today") {
        REQUIRE(home.imgui.click("Previous day"));
        home.imgui.frame();
        CHECK(home.picture().day == london_today() - date::days{2});
        if (GENERATE(0, 1) == 0)
            home.imgui.press(ui::keys::home);
        else
            REQUIRE(home.imgui.click("Today"));
        home.imgui.frame();
        CHECK(home.picture().is_today);
    }
}

TEST_CASE("The day chooser goes back 30 days for a medication started 3 days ago, no further") {
    Yesterday home;
    for (int i = 0; i < 35; ++i)
        home.imgui.press(ui::keys::page_up);
    home.imgui.frame();
    CHECK(home.picture().day == london_today() - app::mar_days_back);
    CHECK(home.picture().doses.empty());
    home.imgui.click("Previous day"); // drawn greyed out: nothing before it
    home.imgui.frame();
    CHECK(home.picture().day == london_today() - app::mar_days_back);
}

TEST_CASE("A family member reads yesterday in plain words") {
    const float scale = GENERATE(1.0f, 1.5f);
    Yesterday home("fay", scale);
    home.imgui.press(ui::keys::page_up);
    home.imgui.frame();
    REQUIRE_FALSE(home.picture().is_today);
    const auto text = test::drawn_text(home.imgui);
    CHECK_THAT(text, Catch::Contains("Doseson") && Catch::Contains("Givenat07:30") &&
                         Catch::Contains("Notrecorded") &&
                         Catch::Contains("As-neededdosesgiventhatday(1)") &&
                         Catch::Contains("givenbyann"));
    CHECK_THAT(text, !Catch::Contains("Missed") && !Catch::Contains("window"));
    CHECK_FALSE(home.imgui.draws("Give now"));
    CHECK(home.imgui.shows("Next day"));
}

TEST_CASE("A nurse corrects a dose from yesterday's page and stays on yesterday") {
    Yesterday home;
    ImGui::GetIO().DisplaySize = ImVec2(800, 1600); // the record table in sight
    home.imgui.press(ui::keys::page_up);
    home.imgui.frame();
    REQUIRE_FALSE(home.picture().is_today);
    REQUIRE(home.picture().recorded.size() == 2);
    REQUIRE(home.imgui.click("Correct\xE2\x80\xA6")); // the newest: morphine IR at 10:00
    REQUIRE(home.shell->patient_view().medications().correcting());
    REQUIRE(home.imgui.click("entered in error"));
    home.imgui.frame();
    home.imgui.type("wrong patient's chart");
    home.imgui.press(ui::keys::enter);
    home.imgui.frame();
    CHECK_FALSE(home.shell->patient_view().medications().correcting());
    CHECK(home.records() == 1);
    CHECK_FALSE(home.picture().is_today);
    CHECK(home.picture().day == london_today() - date::days{1});
    CHECK(home.picture().recorded.size() == 1);
    const auto text = test::drawn_text(home.imgui);
    CHECK_THAT(text, Catch::Contains("Correctionsofthisday'sdoses") &&
                         Catch::Contains("As-neededdosesgiventhatday(0)"));
}
