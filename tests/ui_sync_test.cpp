// The window's sync status line (issue 10 item 8): how many entries wait while the server
// cannot be reached, "Synced" once it went through, nothing for a database that works alone;
// what another laptop wrote shows once it arrives; an admin sees each device's last sync.
#include <catch2/catch.hpp>

#include "agency.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "appearance.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"
#include "sync/sync.hpp"
#include "ui_drawn_text.hpp"
#include "wording.hpp"

using namespace solace;

namespace {

// A nurse admin (ann) and P1; `server`, when given, is the agency server it is enrolled with.
std::filesystem::path laptop(const test::TempDir& t, const std::string& server) {
    const auto path = t / "solace.db";
    store::Database db(path, store::Database::Mode::create_new);
    store::AccountRepository accounts(db);
    accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                 to_epoch(now_utc()));
    const app::Session nurse(db, *accounts.find("ann"));
    app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                    "Europe/London", "pancreatic cancer"});
    if (!server.empty()) {
        store::Statement link(db, "INSERT INTO sync_state (one, server) VALUES (1, ?1)");
        link.bind(1, server).run();
    }
    return path;
}

std::int64_t waiting(const std::filesystem::path& path) {
    store::Database db(path, store::Database::Mode::open_existing);
    return sync::waiting(db);
}

// "Offline: 3 entries waiting", squeezed as drawn_text gives it.
std::string offline_words(std::int64_t waiting) {
    sync::SyncStatus s;
    s.state = sync::SyncStatus::State::offline;
    s.waiting = waiting;
    return test::squeeze(ui::sync_words(s, now_utc()));
}

// The frame after the background sync finished.
std::string after_sync(ui::Headless& k, ui::Shell& shell) {
    REQUIRE(shell.background_sync());
    shell.background_sync()->wait();
    k.frame(); // takes the status between frames
    shell.finish_list_refresh();
    k.frame();
    return test::drawn_text(k);
}

} // namespace

TEST_CASE("Offline at 800 by 600 with Larger text: the status line counts the entries waiting, "
          "also after a save") {
    test::TempDir t;
    const auto path = laptop(t, "postgresql:///agency?host=" + (t / "no-server").string());
    ui::Headless k;
    ImGui::GetIO().DisplaySize = ImVec2(800, 600);
    ui::apply_appearance({false, 1.5f});
    ui::Shell shell(path);
    k.draw = [&] { shell.draw(); };
    k.after_draw = [&] { shell.apply_pending(); };
    REQUIRE(shell.sign_in("ann", "ann-secret"));
    auto text = after_sync(k, shell);
    const auto before = waiting(path);
    CHECK(before > 0);
    CHECK_THAT(text, Catch::Contains(offline_words(before)));
    CHECK(k.shows("Lock now"));
    CHECK(k.shows("Audit log"));
    CHECK(k.shows("Refresh"));

    REQUIRE(shell.open_patient("P1"));
    k.frame();
    k.type("7");
    k.press(ui::keys::s, true); // Ctrl+S: saved, and a sync is asked for
    text = after_sync(k, shell);
    const auto after = waiting(path);
    CHECK(after > before);
    CHECK_THAT(text, Catch::Contains(offline_words(after)));
    CHECK(k.shows("Sign out"));
    ui::apply_appearance({false, 1.0f});
}

TEST_CASE("A database that works alone shows no sync status") {
    test::TempDir t;
    const auto path = laptop(t, "");
    ui::Headless k;
    ui::Shell shell(path);
    k.draw = [&] { shell.draw(); };
    k.after_draw = [&] { shell.apply_pending(); };
    REQUIRE(shell.sign_in("ann", "ann-secret"));
    const auto text = after_sync(k, shell);
    CHECK_THAT(text, Catch::Contains("MaryTest"));
    CHECK_THAT(text, !Catch::Contains("Offline") && !Catch::Contains("Synced") &&
                         !Catch::Contains("Syncing") && !Catch::Contains("Notsynced"));
}

TEST_CASE("The window says Synced, shows what another laptop wrote, and an admin sees each "
          "device's last sync",
          "[pgserver]") {
    test::Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    test::TempDir t;
    const auto path_a = a.enroll(t, "ann");
    const auto path_b = a.enroll(t, "bea");
    test::import(a, t, path_b, "bea", "patients", test::patients_csv);
    REQUIRE(a.sync(path_b, "bea").exit_code == 0);

    ui::Headless k;
    ui::Shell shell(path_a);
    k.draw = [&] { shell.draw(); };
    k.after_draw = [&] { shell.apply_pending(); };
    REQUIRE(shell.sign_in(a.name("ann"), "pw-ann"));
    const auto text = after_sync(k, shell);
    CHECK_THAT(text, Catch::Contains("Syncedjustnow"));
    // Laptop B's patients, pulled in the background, are in the list without a click.
    CHECK_THAT(text, Catch::Contains("AdaOne") && Catch::Contains("BoTwo"));

    shell.open_audit_log();
    k.frame();
    const auto audit = test::drawn_text(k);
    CHECK_THAT(audit, Catch::Contains("Devicesthatsyncwiththeagencyserver(2)"));
    store::Database b(path_b, store::Database::Mode::open_existing);
    CHECK_THAT(audit, Catch::Contains(b.device_uuid()) && Catch::Contains(a.name("bea")));
}

TEST_CASE("The status line's words") {
    using State = sync::SyncStatus::State;
    const auto now = now_utc();
    sync::SyncStatus s;
    CHECK(ui::sync_words(s, now).empty()); // works alone
    s.state = State::syncing;
    CHECK(ui::sync_words(s, now) == "Syncing…");
    s.state = State::synced;
    s.last_sync = now - std::chrono::seconds(59);
    CHECK(ui::sync_words(s, now) == "Synced just now");
    s.last_sync = now - std::chrono::seconds(2 * 60 + 59);
    CHECK(ui::sync_words(s, now) == "Synced 2 min ago");
    s.last_sync = now - std::chrono::hours(5);
    CHECK(ui::sync_words(s, now) == "Synced 5 h ago");
    s.last_sync = now - std::chrono::hours(24 * 3);
    CHECK(ui::sync_words(s, now) == "Synced 3 days ago");
    s.state = State::offline;
    s.waiting = 1;
    CHECK(ui::sync_words(s, now) == "Offline: 1 entry waiting");
    s.waiting = 3;
    CHECK(ui::sync_words(s, now) == "Offline: 3 entries waiting");
    s.state = State::refused;
    s.problem = "The agency server refused the name ann or its password; check both.";
    CHECK(ui::sync_words(s, now) ==
          "Not synced: The agency server refused the name ann or its password; check both.");
}

TEST_CASE("A refusal at 800 by 600 with Larger text is said in full and leaves the bar's buttons "
          "in sight",
          "[pgserver]") {
    test::Agency a;
    if (!a.ready()) return;
    test::TempDir t;
    const auto path = a.enroll(t, "ann");
    // The password was changed on the server since this laptop last synced.
    a.dba().exec("ALTER ROLE " + a.name("ann") + " PASSWORD 'changed-elsewhere'");

    ui::Headless k;
    ImGui::GetIO().DisplaySize = ImVec2(800, 600);
    ui::apply_appearance({false, 1.5f});
    ui::Shell shell(path);
    k.draw = [&] { shell.draw(); };
    k.after_draw = [&] { shell.apply_pending(); };
    REQUIRE(shell.sign_in(a.name("ann"), "pw-ann"));
    const auto text = after_sync(k, shell);
    CHECK(shell.sync_status().state == sync::SyncStatus::State::refused);
    CHECK_THAT(text,
               Catch::Contains(test::squeeze("Not synced: The agency server refused the name " +
                                             a.name("ann") + " or its password; check both.")));
    CHECK(k.shows("Lock now"));
    CHECK(k.shows("Audit log"));
    CHECK(k.shows("Refresh"));
    ui::apply_appearance({false, 1.0f});
}
