// Sessions (issue 6 item 7): five wrong passwords in a row delay the next try, progressively;
// passwords are Argon2id; an admin disables and enables accounts and a disabled account cannot
// sign in anywhere; the window's inactivity lock is a setting of 1..30 minutes, default 10.
#include <catch2/catch.hpp>

#include "domain/error.hpp"
#include "reliability_support.hpp"
#include "store/audit_repository.hpp"

using namespace solace;
using namespace solace::reliability;
using namespace std::chrono_literals;
using solace::store::Database;
using solace::test::run_solace;

namespace {

constexpr const char* wrong = "not-the-password";

// Tries a wrong password and expects a plain refusal.
void fail_login(Database& db, const std::string& name, Instant now) {
    CHECK_THROWS_AS(app::Session::login(db, name, wrong, now), PermissionError);
}

std::int64_t audit_count(Database& db, const std::string& action) {
    store::Statement s(db, "SELECT count(*) FROM audit_log WHERE action = ?");
    s.bind(1, action);
    s.step();
    return s.int64(0);
}

} // namespace

TEST_CASE("The login delay starts at the fifth wrong password and doubles up to 15 minutes",
          "[reliability][session]") {
    for (int f = 0; f < app::free_login_attempts; ++f)
        CHECK(app::login_delay(f) == 0s);
    CHECK(app::login_delay(5) == 30s);
    CHECK(app::login_delay(6) == 60s);
    CHECK(app::login_delay(7) == 120s);
    CHECK(app::login_delay(9) == 480s);
    CHECK(app::login_delay(10) == 900s);
    CHECK(app::login_delay(1000) == 900s);

    const auto t = at_utc(2026, 3, 1, 9);
    CHECK(app::login_wait(4, t, t) == 0s);
    CHECK(app::login_wait(5, t, t) == 30s);
    CHECK(app::login_wait(5, t, t + 10s) == 20s);
    CHECK(app::login_wait(5, t, t + 30s) == 0s);
    CHECK(app::login_wait(6, t, t + 59s) == 1s);
    CHECK(app::login_wait(5, std::nullopt, t) == 0s);
    // A clock set back never makes the wait longer than the delay.
    CHECK(app::login_wait(5, t, t - 1h) == 30s);
}

TEST_CASE("Five wrong passwords in a row delay the next try, even with the right password",
          "[reliability][session]") {
    Clinic c;
    auto& db = *c.db;
    const auto t = at_utc(2026, 3, 1, 9);
    for (int i = 0; i < 4; ++i)
        fail_login(db, "ann", t + std::chrono::seconds{i});
    CHECK(app::login_wait(db, "ann", t + 4s) == 0s);
    // The fifth wrong one says how long to wait.
    try {
        app::Session::login(db, "ann", wrong, t + 4s);
        FAIL("a wrong password was accepted");
    } catch (const app::LoginDelayed& e) {
        CHECK(e.wait == 30s);
        CHECK_THAT(e.what(), Catch::Contains("try again in 30 s"));
    }
    CHECK(app::login_wait(db, "ann", t + 14s) == 20s);
    SECTION("the right password within the delay is refused unchecked") {
        try {
            app::Session::login(db, "ann", admin_password, t + 14s);
            FAIL("signed in during the delay");
        } catch (const app::LoginDelayed& e) {
            CHECK(e.wait == 20s);
            CHECK_THAT(e.what(), Catch::Contains("try again in 20 s"));
        }
        CHECK(audit_count(db, "login_delayed") == 1);
        // Refused tries do not lengthen the wait.
        CHECK(app::login_wait(db, "ann", t + 14s) == 20s);
    }
    SECTION("after the delay the right password works and clears the count") {
        auto s = app::Session::login(db, "ann", admin_password, t + 34s);
        CHECK(s.account().name == "ann");
        CHECK(app::login_wait(db, "ann", t + 35s) == 0s);
        for (int i = 0; i < 4; ++i)
            fail_login(db, "ann", t + 40s);
        CHECK(app::login_wait(db, "ann", t + 40s) == 0s);
    }
    SECTION("each further wrong password doubles the delay") {
        fail_login(db, "ann", t + 40s);
        CHECK(app::login_wait(db, "ann", t + 40s) == 60s);
        fail_login(db, "ann", t + 101s);
        CHECK(app::login_wait(db, "ann", t + 101s) == 120s);
    }
    SECTION("an admin enabling the account lets it try again at once") {
        app::Session bea(db, add_account(db, "bea", Role::nurse, true));
        app::set_account_disabled(bea, "ann", false);
        CHECK(app::login_wait(db, "ann", t + 5s) == 0s);
        CHECK_NOTHROW(app::Session::login(db, "ann", admin_password, t + 5s));
    }
    CHECK(audit_count(db, "login_failed") >= 5);
}

TEST_CASE("Passwords are stored as Argon2id hashes, never as typed", "[reliability][session]") {
    Clinic c;
    store::Statement s(*c.db, "SELECT password_hash FROM account WHERE name = 'ann'");
    REQUIRE(s.step());
    const auto hash = s.text(0);
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(hash.find(admin_password) == std::string::npos);
    CHECK(app::verify_password(hash, admin_password));
    CHECK_FALSE(app::verify_password(hash, wrong));
}

TEST_CASE("A disabled account cannot sign in or unlock, and only an admin disables",
          "[reliability][session]") {
    Clinic c;
    auto& db = *c.db;
    const auto p1 = c.ann->patient("P1").id;
    add_account(db, "bea", Role::nurse, false);
    add_account(db, "rosa", Role::family, false, {p1});
    app::Session bea(db, *store::AccountRepository(db).find("bea"));
    CHECK_THROWS_AS(app::set_account_disabled(bea, "rosa", true), PermissionError);
    CHECK_THROWS_AS(app::set_account_disabled(*c.ann, "ann", true), ValidationError);
    CHECK_THROWS_AS(app::set_account_disabled(*c.ann, "nobody", true), NotFoundError);

    auto rosa = app::Session::login(db, "rosa", admin_password);
    app::set_account_disabled(*c.ann, "rosa", true);
    try {
        app::Session::login(db, "rosa", admin_password);
        FAIL("a disabled account signed in");
    } catch (const PermissionError& e) {
        CHECK_THAT(e.what(), Catch::Contains("disabled"));
    }
    // One answer for a disabled account, a wrong password and an unknown name.
    const auto refusal = [&](const std::string& name, const std::string& password) {
        try {
            app::Session::login(db, name, password);
        } catch (const PermissionError& e) {
            std::string words = e.what();
            return words.replace(words.find(name), name.size(), "NAME");
        }
        return std::string("signed in");
    };
    CHECK(refusal("rosa", wrong) == refusal("rosa", admin_password));
    CHECK(refusal("nobody", wrong) == refusal("rosa", admin_password));
    // Disabled while the window was locked: the lock screen does not let it back in.
    CHECK_THROWS_AS(rosa.unlock(admin_password), PermissionError);
    app::set_account_disabled(*c.ann, "rosa", false);
    CHECK_NOTHROW(rosa.unlock(admin_password));
    CHECK(audit_count(db, "account.disable") == 1);
    CHECK(audit_count(db, "account.enable") == 1);
}

TEST_CASE("The lock screen counts wrong passwords like the login and audits lock and unlock",
          "[reliability][session]") {
    Clinic c;
    auto& db = *c.db;
    auto s = app::Session::login(db, "ann", admin_password);
    const auto t = at_utc(2026, 3, 1, 9);
    s.lock();
    for (int i = 0; i < 4; ++i)
        CHECK_THROWS_AS(s.unlock(wrong, t), PermissionError);
    CHECK_THROWS_AS(s.unlock(wrong, t), app::LoginDelayed);
    CHECK_THROWS_AS(s.unlock(admin_password, t + 10s), app::LoginDelayed);
    CHECK_NOTHROW(s.unlock(admin_password, t + 31s));
    CHECK(audit_count(db, "session.lock") == 1);
    CHECK(audit_count(db, "session.unlock_failed") == 5);
    CHECK(audit_count(db, "session.unlock_delayed") == 1);
    CHECK(audit_count(db, "session.unlock") == 1);
}

TEST_CASE("The window locks after 10 minutes by default, and the setting stays within 1 to 30",
          "[reliability][session]") {
    Clinic c;
    auto& db = *c.db;
    CHECK(app::lock_after(db) == 10min);
    const auto t = at_utc(2026, 3, 1, 9);
    CHECK_FALSE(app::should_lock(t, t + 9min + 59s, app::lock_after(db)));
    CHECK(app::should_lock(t, t + 10min, app::lock_after(db)));

    app::set_lock_after(*c.ann, 30min);
    CHECK(app::lock_after(db) == 30min);
    CHECK_THROWS_AS(app::set_lock_after(*c.ann, 31min), ValidationError);
    CHECK_THROWS_AS(app::set_lock_after(*c.ann, 0min), ValidationError);
    app::Session bea(db, add_account(db, "bea", Role::nurse, false));
    CHECK_THROWS_AS(app::set_lock_after(bea, 5min), PermissionError);
    // The table refuses it too, whatever the code does.
    CHECK_THROWS_AS(db.exec("UPDATE setting SET value = 45 WHERE key = 'lock_after_minutes'"),
                    ValidationError);
    CHECK_THROWS_AS(db.exec("UPDATE setting SET value = 0 WHERE key = 'lock_after_minutes'"),
                    ValidationError);
    CHECK(app::lock_after(db) == 30min);
}

TEST_CASE("Through the command line: wrong passwords are delayed and a disabled account is refused",
          "[reliability][session][cli]") {
    Clinic c;
    const auto p1 = c.ann->patient("P1").id;
    add_account(*c.db, "rosa", Role::family, false, {p1}, "rosa-password");
    c.close();
    const std::string db = c.path.string();
    const std::string good = std::string("SOLACE_PASSWORD=") + admin_password;
    const std::string bad = std::string("SOLACE_PASSWORD=") + wrong;

    for (int i = 0; i < 4; ++i) {
        auto r = run_solace({"flags", "--db", db, "--user", "ann"}, {bad});
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("Wrong account name or password"));
    }
    auto fifth = run_solace({"flags", "--db", db, "--user", "ann"}, {bad});
    CHECK(fifth.exit_code == 3);
    CHECK_THAT(fifth.err, Catch::Contains("try again in"));
    auto sixth = run_solace({"flags", "--db", db, "--user", "ann"}, {good});
    CHECK(sixth.exit_code == 3);
    CHECK_THAT(sixth.err, Catch::Contains("try again in"));
    CHECK(sixth.out.empty());

    // Another admin clears it by enabling the account.
    {
        Database d(c.path, Database::Mode::open_existing);
        add_account(d, "bea", Role::nurse, true);
    }
    auto enable = run_solace({"user", "enable", "ann", "--db", db, "--user", "bea"}, {good});
    CHECK(enable.exit_code == 0);
    CHECK(run_solace({"flags", "--db", db, "--user", "ann"}, {good}).exit_code == 0);

    const std::string rosa_pw = "SOLACE_PASSWORD=rosa-password";
    CHECK(run_solace({"flags", "--db", db, "--user", "rosa"}, {rosa_pw}).exit_code == 0);
    auto refused = run_solace({"user", "disable", "ann", "--db", db, "--user", "rosa"}, {rosa_pw});
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.err, Catch::Contains("admin"));

    auto disable = run_solace({"user", "disable", "rosa", "--db", db, "--user", "ann"}, {good});
    CHECK(disable.exit_code == 0);
    auto locked_out = run_solace({"flags", "--db", db, "--user", "rosa"}, {rosa_pw});
    CHECK(locked_out.exit_code == 3);
    CHECK_THAT(locked_out.err, Catch::Contains("disabled"));
    CHECK(locked_out.out.empty());

    CHECK(run_solace({"user", "enable", "rosa", "--db", db, "--user", "ann"}, {good}).exit_code ==
          0);
    CHECK(run_solace({"flags", "--db", db, "--user", "rosa"}, {rosa_pw}).exit_code == 0);
}
