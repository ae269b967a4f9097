// What guards a session in the window, driven headless: the lock after minutes without input
// (a lock screen with no patient data, wrong passwords refused and delayed, the typed visit
// still there after unlocking), Lock now, the audit log for admins only, and the daily backup a
// nurse admin's window makes.
#include <cstdlib>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <imgui.h>
#include <sqlite3.h>

#include "app/audit.hpp"
#include "app/clinic.hpp"
#include "app/drafts.hpp"
#include "app/session.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;
using namespace std::chrono_literals;

namespace {

// A database with a nurse admin (ann), a nurse (bob), a family member (fay) of P1, and P1
// (Mary Test). The window is signed in as `who` with P1's visit open, or on the patient list
// (where the session bar is) when `patient` is false.
struct Laptop {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::unique_ptr<ui::Shell> shell;
    ui::Headless imgui;

    explicit Laptop(const std::string& who = "ann", std::optional<int> lock_minutes = {},
                    std::optional<std::filesystem::path> backups = {}, bool patient = true) {
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            const auto now = to_epoch(now_utc());
            accounts.add(
                {0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}}, now);
            accounts.add(
                {0, "bob", Role::nurse, false, false, test::password_hash("bob-secret"), {}}, now);
            accounts.add(
                {0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {}}, now);
            const app::Session nurse(db, *accounts.find("ann"));
            const auto pid =
                app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                                "Europe/London", "pancreatic cancer"});
            accounts.link(accounts.find("fay")->id, pid);
            nurse.audit("family.link", pid, "fay"); // vouches for the link row, as Solace does
            if (lock_minutes) app::set_lock_after(nurse, std::chrono::minutes{*lock_minutes});
        }
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        if (backups) shell->set_daily_backup(*backups, app::interactive_kdf());
        REQUIRE(shell->sign_in(who, who + "-secret"));
        if (patient) REQUIRE(shell->open_patient("P1"));
        imgui.frame();
        imgui.frame();
    }

    ui::VisitView& visit() { return shell->patient_view().visit(); }

    // Audit events of `action`, as the database has them now.
    std::size_t audited(const std::string& action) {
        store::Database db(path, store::Database::Mode::open_existing);
        const app::Session admin(db, *store::AccountRepository(db).find("ann"));
        std::size_t n = 0;
        for (const auto& e : app::audit_entries(admin, {}))
            n += e.action == action;
        return n;
    }

    std::optional<app::VisitDraft> stored_draft() {
        store::Database db(path, store::Database::Mode::open_existing);
        const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
        return app::find_visit_draft(nurse, nurse.patient("P1"));
    }

    // Types `password` into the lock screen's field and presses Enter.
    void unlock_with(const std::string& password) {
        imgui.type(password);
        imgui.press(ui::keys::enter);
        imgui.frame();
    }
};

int score_of(const app::VisitEntry& v, Symptom s) {
    for (const auto& e : v.scores)
        if (e.symptom == s) return e.value;
    return -1;
}

} // namespace

TEST_CASE("After ten minutes without input the window locks and shows no patient data") {
    Laptop laptop;
    auto& k = laptop.imgui;
    k.type("7");
    k.press(ui::keys::tab);
    k.type("3");
    const auto before = test::drawn_text(k);
    REQUIRE_THAT(
        before, Catch::Contains(test::squeeze("Mary Test"))); // the capture sees the patient's name
    CHECK_FALSE(laptop.shell->locked());

    k.wait(9 * 60.0);
    k.frame();
    CHECK_FALSE(laptop.shell->locked()); // nine minutes: not yet

    k.wait(61.0);
    k.frame();
    k.frame();
    REQUIRE(laptop.shell->locked());
    const auto locked = test::drawn_text(k);
    CHECK_THAT(locked, Catch::Contains(test::squeeze("Solace is locked")));
    CHECK_THAT(locked, Catch::Contains(test::squeeze("Password")));
    CHECK_THAT(locked, !Catch::Contains(test::squeeze("Mary Test")));
    CHECK_THAT(locked, !Catch::Contains(test::squeeze("P1")));
    CHECK_THAT(locked, !Catch::Contains(test::squeeze("pancreatic")));
    CHECK_THAT(locked, !Catch::Contains(test::squeeze("Patients")));
    CHECK(laptop.audited("session.lock") == 1);
    // The visit being typed was kept as a draft before the screen locked.
    const auto draft = laptop.stored_draft();
    REQUIRE(draft);
    CHECK(score_of(draft->visit, Symptom::pain) == 7);

    SECTION("a wrong password is refused and the screen stays locked") {
        laptop.unlock_with("not-the-password");
        CHECK(laptop.shell->locked());
        CHECK_THAT(laptop.shell->lock_view().error(), Catch::Contains("Wrong"));
        CHECK_THAT(test::drawn_text(k), !Catch::Contains(test::squeeze("Mary Test")));
        CHECK(laptop.audited("session.unlock_failed") == 1);

        SECTION("and the right one then unlocks with the typed visit still there") {
            laptop.unlock_with("ann-secret");
            CHECK_FALSE(laptop.shell->locked());
            const auto typed = laptop.visit().entry();
            CHECK(score_of(typed, Symptom::pain) == 7);
            CHECK(score_of(typed, Symptom::appetite) == 3);
            CHECK_THAT(test::drawn_text(k), Catch::Contains(test::squeeze("Mary Test")));
            CHECK(laptop.audited("session.unlock") == 1);
        }
    }
    SECTION("the right password unlocks with the typed visit still there") {
        laptop.unlock_with("ann-secret");
        REQUIRE_FALSE(laptop.shell->locked());
        const auto typed = laptop.visit().entry();
        REQUIRE(typed.scores.size() == 2);
        CHECK(score_of(typed, Symptom::pain) == 7);
        CHECK(score_of(typed, Symptom::appetite) == 3);
        CHECK_FALSE(laptop.visit().offering_draft()); // the form itself, not an offer
    }
}

TEST_CASE("Five wrong passwords at the lock screen make the next try wait, counted down") {
    Laptop laptop;
    auto& k = laptop.imgui;
    laptop.shell->lock_now();
    k.frame();
    REQUIRE(laptop.shell->locked());
    for (int i = 0; i < app::free_login_attempts; ++i)
        laptop.unlock_with("wrong-" + std::to_string(i));
    CHECK(laptop.shell->lock_view().wait_left() > 0);
    CHECK_THAT(test::drawn_text(k), Catch::Contains(test::squeeze("try again in")));
    CHECK(laptop.shell->session_wake_in() > 0.0); // the window wakes to count down

    CHECK(laptop.audited("session.unlock_failed") == std::size_t(app::free_login_attempts));

    // The field is disabled while the wait lasts: even the right password is not sent.
    laptop.unlock_with("ann-secret");
    CHECK(laptop.shell->locked());
    CHECK(laptop.audited("session.unlock") == 0);
}

TEST_CASE("Lock now locks at once and the setting of the minutes is followed") {
    for (const bool patient : {true, false}) {
        DYNAMIC_SECTION("Lock now " << (patient ? "beside the patient's tabs" : "under the list")) {
            Laptop laptop("ann", {}, {}, patient);
            REQUIRE(laptop.imgui.click("Lock now"));
            laptop.imgui.frame();
            CHECK(laptop.shell->locked());
            CHECK_THAT(test::drawn_text(laptop.imgui), !Catch::Contains("MaryTest"));
            CHECK(laptop.audited("session.lock") == 1);
        }
    }
    SECTION("a setting of 2 minutes locks after 2 minutes") {
        Laptop laptop("ann", 2, {}, false);
        CHECK_THAT(test::drawn_text(laptop.imgui),
                   Catch::Contains(test::squeeze("Locks after 2 minutes")));
        laptop.imgui.wait(119.0);
        laptop.imgui.frame();
        CHECK_FALSE(laptop.shell->locked());
        laptop.imgui.wait(2.0);
        laptop.imgui.frame();
        CHECK(laptop.shell->locked());
    }
    SECTION("input keeps the window open") {
        Laptop laptop;
        for (int i = 0; i < 3; ++i) {
            laptop.imgui.wait(8 * 60.0);
            laptop.imgui.type("5"); // a key every eight minutes
        }
        CHECK_FALSE(laptop.shell->locked());
        CHECK(laptop.shell->session_wake_in() > 8 * 60.0);
    }
    SECTION("signing out from the lock screen keeps the visit as a draft") {
        Laptop laptop;
        laptop.imgui.type("6");
        laptop.shell->lock_now();
        laptop.imgui.frame();
        REQUIRE(laptop.imgui.click("Sign out"));
        laptop.imgui.frame();
        CHECK_FALSE(laptop.shell->locked());
        CHECK(laptop.shell->screen() == ui::Shell::Screen::login);
        const auto draft = laptop.stored_draft();
        REQUIRE(draft);
        CHECK(score_of(draft->visit, Symptom::pain) == 6);
    }
}

TEST_CASE("The audit log is shown to admins only, with its chain verified") {
    SECTION("an admin opens it from the patient list and verifies the chain") {
        Laptop laptop("ann", {}, {}, false);
        auto& k = laptop.imgui;
        REQUIRE(k.shows("Audit log"));
        REQUIRE(k.click("Audit log"));
        k.frame();
        auto& view = laptop.shell->audit_view();
        CHECK(view.rows() >= 2); // at least the patient added and the login
        const auto text = test::drawn_text(k);
        CHECK_THAT(text, Catch::Contains("login"));
        CHECK_THAT(text, Catch::Contains("ann"));
        CHECK_THAT(text, !Catch::Contains("MaryTest")); // the list is not drawn under it
        REQUIRE(k.click("Verify chain"));
        k.frame();
        CHECK(view.chain_ok());
        CHECK_THAT(view.verification(), Catch::Contains("whole"));
        REQUIRE(k.click("< Back"));
        k.frame();
        CHECK_THAT(test::drawn_text(k), Catch::Contains("MaryTest"));
    }
    for (const std::string who : {"bob", "fay"}) {
        DYNAMIC_SECTION(who << ", who is not an admin, does not see it") {
            Laptop laptop(who, {}, {}, false);
            CHECK(laptop.imgui.shows("Lock now"));
            CHECK_FALSE(laptop.imgui.shows("Audit log"));
            laptop.shell->open_audit_log(); // asked for anyway: nothing opens
            CHECK_THAT(test::drawn_text(laptop.imgui), !Catch::Contains("Verifychain"));
            REQUIRE(laptop.shell->open_patient("P1"));
            laptop.imgui.frame();
            laptop.imgui.frame(); // a new tab bar lays its tabs out in its second frame
            CHECK(laptop.imgui.shows("Lock now"));
            CHECK_FALSE(laptop.imgui.shows("Audit log"));
        }
    }
}

TEST_CASE("Verify chain names the first broken link of an altered audit log") {
    Laptop laptop("ann", {}, {}, false);
    {
        // Someone edits the file behind Solace's back (its triggers dropped first).
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(laptop.path.c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw,
                             "DROP TRIGGER audit_log_no_update; "
                             "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 1;",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
    }
    auto& k = laptop.imgui;
    REQUIRE(k.click("Audit log"));
    REQUIRE(k.click("Verify chain"));
    k.frame();
    auto& view = laptop.shell->audit_view();
    CHECK_FALSE(view.chain_ok());
    CHECK_THAT(view.verification(), Catch::Contains("broken at event 1"));
    CHECK_THAT(test::drawn_text(k), Catch::Contains("Broken."));
}

TEST_CASE("A nurse admin's window makes today's backup once, asking for the passphrase") {
    ::unsetenv("SOLACE_BACKUP_PASSPHRASE");
    test::TempDir backups;
    // Eight older backups: one is removed once today's is made (seven are kept).
    for (int day = 1; day <= 8; ++day)
        test::write_file(backups / fmt::format("solace-2020-01-0{}.solace-backup", day), "old");
    Laptop laptop("ann", {}, backups.path, false);
    auto& k = laptop.imgui;
    auto count = [&] {
        return std::distance(std::filesystem::directory_iterator(backups.path),
                             std::filesystem::directory_iterator{});
    };
    k.frame();
    k.frame();
    REQUIRE(k.shows("Make today's backup"));
    CHECK(count() == 8); // nothing is made before the passphrase is given

    SECTION("a passphrase typed twice makes it") {
        k.type("correct horse battery");
        k.press(ui::keys::tab);
        k.type("correct horse battery");
        REQUIRE(k.click("Make today's backup"));
        for (int i = 0; i < 4; ++i)
            k.frame();
        CHECK(count() == 7);
        CHECK_THAT(laptop.shell->guard().backup_words, Catch::Contains("made"));
        CHECK_FALSE(laptop.shell->guard().backup_is_error);
        CHECK(laptop.audited("backup.daily") == 1);
        // Not asked again today.
        k.frame();
        CHECK_FALSE(k.shows("Make today's backup"));
    }
    SECTION("two different passphrases are refused") {
        k.type("correct horse battery");
        k.press(ui::keys::tab);
        k.type("correct horse batter");
        REQUIRE(k.click("Make today's backup"));
        k.frame();
        CHECK(k.shows("Make today's backup"));
        CHECK_THAT(test::drawn_text(k), Catch::Contains(test::squeeze("differ")));
        CHECK(count() == 8);
    }
    SECTION("Not today skips it with a note and a way to make it later") {
        REQUIRE(k.click("Not today"));
        k.frame();
        CHECK(count() == 8);
        CHECK_THAT(test::drawn_text(k), Catch::Contains(test::squeeze("skipped")));
        REQUIRE(k.click("Back up now"));
        k.frame();
        CHECK(k.shows("Make today's backup"));
    }
}

TEST_CASE("The daily backup uses SOLACE_BACKUP_PASSPHRASE and only for nurse admins") {
    test::TempDir backups;
    ::setenv("SOLACE_BACKUP_PASSPHRASE", "correct horse battery", 1);
    auto count = [&] {
        return std::distance(std::filesystem::directory_iterator(backups.path),
                             std::filesystem::directory_iterator{});
    };
    SECTION("a nurse admin's window makes it without asking, not on the first frame") {
        Laptop laptop("ann", {}, backups.path, false); // two frames drawn
        CHECK(count() == 0);
        CHECK_THAT(test::drawn_text(laptop.imgui),
                   Catch::Contains(test::squeeze("Making today's backup")));
        for (int i = 0; i < 3; ++i)
            laptop.imgui.frame();
        CHECK_FALSE(laptop.imgui.shows("Make today's backup"));
        CHECK(count() == 1);
        CHECK_THAT(test::drawn_text(laptop.imgui),
                   Catch::Contains(test::squeeze("Today's backup made")));
    }
    SECTION("a nurse who is not an admin makes none") {
        Laptop laptop("bob", {}, backups.path, false);
        for (int i = 0; i < 5; ++i)
            laptop.imgui.frame();
        CHECK(count() == 0);
    }
    ::unsetenv("SOLACE_BACKUP_PASSPHRASE");
}
