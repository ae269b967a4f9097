// What a family member sees: the nurses' 24-hour number always, and after a severe score, what
// to do now.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;

namespace {

// Fay, the family member of P1, with P1's record of scores open; P1's agency number is
// `phone` (empty: none on file).
struct Home {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    ui::Headless imgui;
    std::unique_ptr<ui::Shell> shell;

    explicit Home(const std::string& phone) {
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            const auto now = to_epoch(now_utc());
            accounts.add(
                {0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}}, now);
            accounts.add(
                {0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {}}, now);
            const app::Session nurse(db, *accounts.find("ann"));
            Patient p{0,
                      "P1",
                      "Mary Test",
                      date::year{1950} / 3 / 14,
                      "Europe/London",
                      "pancreatic cancer"};
            p.on_call_phone = phone;
            const auto id = app::add_patient(nurse, p);
            accounts.link(accounts.find("fay")->id, id);
            nurse.audit("family.link", id, "fay"); // vouches for the link row, as Solace does
        }
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        REQUIRE(shell->sign_in("fay", "fay-secret"));
        REQUIRE(shell->open_patient("P1", ui::PatientView::Tab::visit));
        imgui.frame();
    }

    void save_pain(char digit) {
        imgui.type(std::string(1, digit));
        imgui.press(ui::keys::s, true);
        imgui.frame();
    }
};

} // namespace

TEST_CASE("A family member always sees the nurses' 24-hour number, and after a severe score is "
          "told to call it now") {
    Home home("0800 123 456");
    const auto& visit = home.shell->patient_view().visit();
    CHECK_THAT(test::drawn_text(home.imgui),
               Catch::Contains(test::squeeze("Nurse on call, day and night: 0800 123 456")));

    SECTION("a severe score: call now, with the number") {
        home.save_pain('8');
        CHECK(visit.call_now_text() ==
              "Pain is severe (8 of 10). Call the nurse now: 0800 123 456, day or night.");
        CHECK_THAT(test::drawn_text(home.imgui),
                   Catch::Contains(test::squeeze("Call the nurse now: 0800 123 456")));
        SECTION("and the next, milder score takes the advice away") {
            home.save_pain('3');
            CHECK(visit.call_now_text().empty());
        }
    }
    SECTION("a moderate score: no alarm") {
        home.save_pain('5');
        CHECK(visit.call_now_text().empty());
    }
}

TEST_CASE("With no number on file the family is told to call and where to get the number") {
    Home home("");
    CHECK_THAT(test::drawn_text(home.imgui),
               Catch::Contains(test::squeeze("The nurses' 24-hour number is not on file here")));
    home.save_pain('9');
    CHECK(home.shell->patient_view().visit().call_now_text() ==
          "Pain is severe (9 of 10). Call the nurse now, day or night (the number is not on file "
          "here).");
}
