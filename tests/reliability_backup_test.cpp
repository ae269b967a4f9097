// Backups (issue 6 item 8): an online copy through SQLite's backup API, encrypted with
// libsodium's secretstream under an Argon2id key from a passphrase; restore checks it and
// writes a new database, never over an existing one; files are 0600; the window's daily
// backup keeps the last 7.
#include <catch2/catch.hpp>

#include <thread>

#include "app/backup.hpp"
#include "domain/error.hpp"
#include "reliability_support.hpp"
#include "store/audit_repository.hpp"

using namespace solace;
using namespace solace::reliability;
using solace::store::Database;
using solace::test::read_file;
using solace::test::run_solace;
using solace::test::write_file;

namespace {

constexpr const char* passphrase = "correct horse battery staple";

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    FAIL("expected an error, but nothing was thrown");
    return {};
}

// A clinic with some history worth keeping.
struct Busy : Clinic {
    Busy() {
        for (int i = 0; i < 20; ++i)
            test::record_visit(*ann, core_visit("P1", at_utc(2026, 3, 1, 8) + std::chrono::hours{i},
                                                i % 11, "Margaret slept well"));
    }
};

} // namespace

TEST_CASE("A backup is encrypted, private, and restores into an identical new database",
          "[reliability][backup]") {
    Busy c;
    const auto out = c.dir / "clinic.solace-backup";
    app::backup_database(*c.ann, out, passphrase, app::interactive_kdf());
    CHECK(file_mode(out) == 0600);
    const auto bytes = read_file(out);
    CHECK(bytes.substr(0, 6) == "SOLBAK");
    // Nothing readable inside: not the SQLite header, not a note.
    CHECK(bytes.find("SQLite format 3") == std::string::npos);
    CHECK(bytes.find("Margaret slept well") == std::string::npos);
    CHECK(bytes.find("Patient P1") == std::string::npos);
    // No unencrypted copy was left beside it.
    for (const auto& e : std::filesystem::directory_iterator(c.dir.path))
        CHECK(e.path().filename().string().find("partial") == std::string::npos);

    const auto restored = c.dir / "restored.db";
    app::restore_database(out, restored, passphrase);
    CHECK(file_mode(restored) == 0600);
    {
        Database db(restored, Database::Mode::open_existing);
        CHECK_FALSE(db.integrity_check().has_value());
        CHECK(test::count_rows(db, "visit") == 20);
        CHECK(test::count_rows(db, "observation") == 100);
        const auto chain = store::AuditRepository(db).verify();
        CHECK(chain.ok());
        store::Statement last(db, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1");
        REQUIRE(last.step());
        CHECK(last.text(0) == "restore");
        auto s = app::Session::login(db, "ann", admin_password);
        CHECK(s.patient("P1").name == "Patient P1");
    }

    SECTION("restore never overwrites a database") {
        const auto before = fingerprint(restored);
        const auto msg = message_of([&] { app::restore_database(out, restored, passphrase); });
        CHECK_THAT(msg, Catch::Contains("already exists"));
        CHECK(fingerprint(restored) == before);
        CHECK_THROWS_AS(app::restore_database(out, c.path, passphrase), StoreError);
    }
    SECTION("a wrong passphrase restores nothing") {
        const auto target = c.dir / "wrong.db";
        const auto msg = message_of(
            [&] { app::restore_database(out, target, "correct horse battery stapler"); });
        CHECK_THAT(msg, Catch::Contains("passphrase"));
        CHECK_FALSE(std::filesystem::exists(target));
    }
    SECTION("a changed byte is caught") {
        auto changed = bytes;
        changed[changed.size() / 2] = static_cast<char>(changed[changed.size() / 2] ^ 0x01);
        write_file(c.dir / "changed.solace-backup", changed);
        const auto msg = message_of([&] {
            app::restore_database(c.dir / "changed.solace-backup", c.dir / "x.db", passphrase);
        });
        CHECK_THAT(msg, Catch::Contains("damaged"));
        CHECK_FALSE(std::filesystem::exists(c.dir / "x.db"));
    }
    SECTION("a cut-short backup is caught") {
        write_file(c.dir / "short.solace-backup", bytes.substr(0, bytes.size() - 100));
        const auto msg = message_of([&] {
            app::restore_database(c.dir / "short.solace-backup", c.dir / "x.db", passphrase);
        });
        CHECK_THAT(msg, Catch::Contains("cut short") || Catch::Contains("damaged"));
        CHECK_FALSE(std::filesystem::exists(c.dir / "x.db"));
    }
    SECTION("a file that is not a backup is refused") {
        const auto msg =
            message_of([&] { app::restore_database(c.path, c.dir / "x.db", passphrase); });
        CHECK_THAT(msg, Catch::Contains("not a Solace backup"));
        CHECK_FALSE(std::filesystem::exists(c.dir / "x.db"));
    }
    SECTION("backups are not written over either") {
        CHECK_THROWS_AS(app::backup_database(*c.ann, out, passphrase, app::interactive_kdf()),
                        StoreError);
        CHECK(read_file(out) == bytes);
    }
}

TEST_CASE("A backup needs an admin and a passphrase of at least 10 characters",
          "[reliability][backup]") {
    Clinic c;
    app::Session bea(*c.db, add_account(*c.db, "bea", Role::nurse, false));
    CHECK_THROWS_AS(app::backup_database(bea, c.dir / "b", passphrase, app::interactive_kdf()),
                    PermissionError);
    CHECK_THROWS_AS(app::backup_database(*c.ann, c.dir / "b", "short", app::interactive_kdf()),
                    ValidationError);
    CHECK_FALSE(std::filesystem::exists(c.dir / "b"));
}

TEST_CASE("A backup taken while another connection is writing holds only committed data",
          "[reliability][backup]") {
    Busy c;
    RawDb other(c.path);
    REQUIRE(other.exec("BEGIN IMMEDIATE") == SQLITE_OK);
    REQUIRE(other.exec("INSERT INTO visit (patient_id, at, author_id, recorded_at) VALUES (1, 0, "
                       "1, 0)") == SQLITE_OK);
    const auto out = c.dir / "online.solace-backup";
    // The copy is taken while the writer holds its lock, without waiting for it; only the audit
    // event that records the backup waits its turn, and the writer commits a second later.
    std::thread writer([&] {
        std::this_thread::sleep_for(std::chrono::seconds{1});
        other.exec("COMMIT");
    });
    const auto start = std::chrono::steady_clock::now();
    app::backup_database(*c.ann, out, passphrase, app::interactive_kdf());
    writer.join();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{4});
    app::restore_database(out, c.dir / "online.db", passphrase);
    Database db(c.dir / "online.db", Database::Mode::open_existing);
    CHECK(test::count_rows(db, "visit") == 20);
}

TEST_CASE("The daily backup writes one file a day and keeps the last 7", "[reliability][backup]") {
    Clinic c;
    const auto dir = c.dir / "backups";
    write_file(c.dir / "keep-me.txt", "not a backup");
    std::vector<std::filesystem::path> written;
    for (int day = 1; day <= 9; ++day) {
        const auto now = at_utc(2026, 4, static_cast<unsigned>(day), 12);
        auto first = app::daily_backup(*c.ann, dir, passphrase, now, 7, app::interactive_kdf());
        REQUIRE(first);
        written.push_back(*first);
        CHECK(file_mode(*first) == 0600);
        // The window may call it at every sign-in: once a day is enough.
        CHECK_FALSE(app::daily_backup(*c.ann, dir, passphrase, now + std::chrono::minutes{5}, 7,
                                      app::interactive_kdf()));
    }
    CHECK(file_mode(dir) == 0700);
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names.size() == 7);
    CHECK_FALSE(std::filesystem::exists(written[0]));
    CHECK_FALSE(std::filesystem::exists(written[1]));
    CHECK(std::filesystem::exists(written[8]));
    CHECK(std::filesystem::exists(c.dir / "keep-me.txt"));
    // The newest restores.
    app::restore_database(written[8], c.dir / "from-daily.db", passphrase);
    Database db(c.dir / "from-daily.db", Database::Mode::open_existing);
    CHECK(test::count_rows(db, "patient") == 1);
}

TEST_CASE("solace backup and solace restore on the command line", "[reliability][backup][cli]") {
    Busy c;
    add_account(*c.db, "bea", Role::nurse, false);
    c.close();
    const std::string db = c.path.string();
    const auto out = (c.dir / "cli.solace-backup").string();
    const std::string login = std::string("SOLACE_PASSWORD=") + admin_password;
    const std::string phrase = std::string("SOLACE_BACKUP_PASSPHRASE=") + passphrase;

    auto nurse = run_solace({"backup", "--out", out, "--db", db, "--user", "bea"}, {login, phrase});
    CHECK(nurse.exit_code == 3);
    auto no_phrase = run_solace({"backup", "--out", out, "--db", db, "--user", "ann"}, {login});
    CHECK(no_phrase.exit_code == 1);
    CHECK_THAT(no_phrase.err, Catch::Contains("SOLACE_BACKUP_PASSPHRASE"));
    CHECK_FALSE(std::filesystem::exists(out));

    auto made = run_solace({"backup", "--out", out, "--db", db, "--user", "ann"}, {login, phrase});
    REQUIRE(made.exit_code == 0);
    CHECK(file_mode(out) == 0600);

    const auto restored = (c.dir / "restored.db").string();
    auto wrong = run_solace({"restore", out, "--db", restored},
                            {"SOLACE_BACKUP_PASSPHRASE=not the passphrase"});
    CHECK(wrong.exit_code == 1);
    CHECK_THAT(wrong.err, Catch::Contains("passphrase"));
    CHECK_FALSE(std::filesystem::exists(restored));

    auto back = run_solace({"restore", out, "--db", restored}, {phrase});
    REQUIRE(back.exit_code == 0);
    CHECK(file_mode(restored) == 0600);
    auto flags = run_solace({"flags", "--db", restored, "--user", "ann", "--from", "2026-03-01",
                             "--to", "2026-03-02", "--json"},
                            {login});
    CHECK(flags.exit_code == 0);
    CHECK_THAT(flags.out, Catch::Contains("P1"));

    auto again = run_solace({"restore", out, "--db", restored}, {phrase});
    CHECK(again.exit_code == 4);
    CHECK_THAT(again.err, Catch::Contains("already exists"));
    auto no_db = run_solace({"restore", out}, {phrase});
    CHECK(no_db.exit_code == 1);
    CHECK_THAT(no_db.err, Catch::Contains("--db"));
}
