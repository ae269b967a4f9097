// The patient list refreshes off the draw path (issue 16): while a refresh is worked out on its
// own thread, every frame still draws the list as it was; the new one shows in the first frame
// after it is ready, and the window's loop is woken for it.
#include <atomic>

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

TEST_CASE("A frame drawn during a patient list refresh shows the list as it was") {
    test::TempDir dir;
    const auto path = dir / "solace.db";
    {
        store::Database db(path, store::Database::Mode::create_new);
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                     to_epoch(now_utc()));
        const app::Session nurse(db, *accounts.find("ann"));
        app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                        "Europe/London", "pancreatic cancer"});
    }
    ui::Headless k;
    ui::Shell shell(path);
    k.draw = [&] { shell.draw(); };
    k.after_draw = [&] { shell.apply_pending(); };
    std::atomic<int> wakes{0};
    shell.set_wake([&] { ++wakes; });
    REQUIRE(shell.sign_in("ann", "ann-secret"));
    REQUIRE(shell.screen() == ui::Shell::Screen::patients);
    const auto before = test::drawn_text(k);
    CHECK_THAT(before, Catch::Contains(test::squeeze("Mary Test")));
    CHECK_THAT(before, !Catch::Contains(test::squeeze("1 urgent")));

    // Severe pain recorded on another laptop; the refresh is asked for and cannot finish yet.
    {
        store::Database other(path, store::Database::Mode::open_existing);
        const app::Session nurse(other, *store::AccountRepository(other).find("ann"));
        app::VisitEntry visit;
        visit.mrn = "P1";
        visit.at = now_utc();
        visit.scores.push_back({Symptom::pain, 9, ""});
        app::record_visit(nurse, visit);
    }
    REQUIRE(shell.list_worker());
    shell.list_worker()->hold(true);
    const int wakes_before = wakes;
    REQUIRE(k.click("Refresh"));
    for (int frame = 0; frame < 5; ++frame) {
        const auto during = test::drawn_text(k);
        CHECK_THAT(during, Catch::Contains(test::squeeze("Mary Test")));
        CHECK_THAT(during, !Catch::Contains(test::squeeze("1 urgent")));
    }
    CHECK(shell.patient_list().patients.at(0).open_flags == 0);

    // Once it is ready the loop is woken, and the next frame shows the new list.
    shell.list_worker()->hold(false);
    shell.list_worker()->wait();
    CHECK(wakes > wakes_before);
    k.frame(); // takes the finished list between frames
    const auto after = test::drawn_text(k);
    CHECK_THAT(after, Catch::Contains(test::squeeze("1 urgent")));
    CHECK(shell.patient_list().patients.at(0).open_flags == 1);
}

TEST_CASE("Saving a visit refreshes the list without waiting for it") {
    test::TempDir dir;
    const auto path = dir / "solace.db";
    {
        store::Database db(path, store::Database::Mode::create_new);
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                     to_epoch(now_utc()));
        const app::Session nurse(db, *accounts.find("ann"));
        app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                        "Europe/London", "pancreatic cancer"});
    }
    ui::Headless k;
    ui::Shell shell(path);
    k.draw = [&] { shell.draw(); };
    k.after_draw = [&] { shell.apply_pending(); };
    REQUIRE(shell.sign_in("ann", "ann-secret"));
    REQUIRE(shell.list_worker());
    // Held: a save that waited for the list would never return.
    shell.list_worker()->hold(true);
    REQUIRE(shell.open_patient("P1"));
    k.frame();
    k.type("8");
    k.press(ui::keys::s, /*ctrl=*/true);
    CHECK(shell.patient_picture()->flags.size() == 1); // the patient's own view is up to date
    CHECK(shell.patient_list().patients.at(0).open_flags == 0);
    shell.list_worker()->hold(false);
    shell.finish_list_refresh();
    CHECK(shell.patient_list().patients.at(0).open_flags == 1);
}
