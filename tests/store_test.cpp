// The SQLite store: the migrator, refusing files that are not ours, transactions and the
// tables' own checks (DESIGN §4). No test here depends on TZ or the clock.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <functional>
#include <span>
#include <string>

#include "domain/error.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support.hpp"

using namespace solace;
using solace::store::Database;
using solace::store::Migration;
using solace::store::Statement;
using solace::test::read_file;
using solace::test::TempDir;
using solace::test::write_file;

using solace::test::count_rows;
using solace::test::utc;

namespace {

std::int64_t pragma(Database& db, const std::string& name) {
    Statement s(db, "PRAGMA " + name);
    REQUIRE(s.step());
    return s.int64(0);
}

std::string pragma_text(Database& db, const std::string& name) {
    Statement s(db, "PRAGMA " + name);
    REQUIRE(s.step());
    return s.text(0);
}

bool has_table(Database& db, const std::string& table) {
    Statement s(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    s.bind(1, table);
    REQUIRE(s.step());
    return s.int64(0) == 1;
}

int latest_version() {
    const auto all = store::shipped_migrations();
    REQUIRE_FALSE(all.empty());
    return all.back().version;
}

// Writes a SQLite file the way another program would: no application_id, its own tables.
void make_foreign_sqlite(const std::filesystem::path& p) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(p.c_str(), &db) == SQLITE_OK);
    const int rc = sqlite3_exec(db,
                                "CREATE TABLE recipe (name TEXT, minutes INTEGER);"
                                "INSERT INTO recipe VALUES ('soup', 40), ('bread', 180);",
                                nullptr, nullptr, nullptr);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

// The StoreError's message, or a failed test when none is thrown.
std::string store_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.what();
    }
    FAIL("expected a StoreError, but nothing was thrown");
    return {};
}

// Two tiny migrations for migrator tests that must not depend on the shipped schema.
constexpr Migration first_migration{
    1, "0001_first.sql", "CREATE TABLE diary (id INTEGER PRIMARY KEY, line TEXT NOT NULL) STRICT;"};
constexpr Migration good_second{2, "0002_second.sql",
                                "CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT;"
                                "INSERT INTO diary (line) VALUES ('added by 2');"};
// Creates a table, then fails halfway: nothing of it may stay.
constexpr Migration broken_second{2, "0002_broken.sql",
                                  "CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT;"
                                  "INSERT INTO diary (line) VALUES ('should vanish');"
                                  "INSERT INTO no_such_table VALUES (1);"};

} // namespace

TEST_CASE("A fresh database is migrated to the latest schema and marked as Solace's", "[store]") {
    TempDir dir;
    Database db(dir / "new.db", Database::Mode::create_new);
    CHECK(db.schema_version() == latest_version());
    CHECK(pragma(db, "user_version") == latest_version());
    CHECK(pragma(db, "application_id") == 0x534F4C43);
    CHECK(pragma_text(db, "journal_mode") == "wal");
    CHECK(pragma(db, "foreign_keys") == 1);
    CHECK(pragma(db, "synchronous") == 2); // FULL
    CHECK(has_table(db, "patient"));
    CHECK(has_table(db, "observation"));
    CHECK(has_table(db, "audit_log"));
    CHECK_FALSE(db.quick_check().has_value());
}

TEST_CASE("The shipped migrations are numbered 1, 2, 3 ... with no gap", "[store]") {
    const auto all = store::shipped_migrations();
    REQUIRE_FALSE(all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].version == static_cast<int>(i + 1));
        CHECK_FALSE(all[i].sql.empty());
    }
}

TEST_CASE("Reopening an up-to-date database changes nothing", "[store]") {
    TempDir dir;
    const auto path = dir / "solace.db";
    std::int64_t settings = 0;
    {
        Database db(path, Database::Mode::create_new);
        settings = count_rows(db, "setting");
        REQUIRE(settings > 0);
    }
    for (int i = 0; i < 2; ++i) {
        Database db(path, Database::Mode::open_existing);
        CHECK(db.schema_version() == latest_version());
        // Re-running 0001 would fail on its tables, or double its seed rows.
        CHECK(count_rows(db, "setting") == settings);
    }
}

TEST_CASE("An older database is brought up to date by the pending migrations only", "[store]") {
    TempDir dir;
    const auto path = dir / "old.db";
    const Migration v1[] = {first_migration};
    const Migration v2[] = {first_migration, good_second};
    {
        Database db(path, Database::Mode::create_new, v1);
        CHECK(db.schema_version() == 1);
        db.exec("INSERT INTO diary (line) VALUES ('written by version 1')");
    }
    Database db(path, Database::Mode::open_existing, v2);
    CHECK(db.schema_version() == 2);
    CHECK(has_table(db, "extra"));
    CHECK(count_rows(db, "diary") == 2);
    CHECK(pragma(db, "application_id") == store::application_id);
}

TEST_CASE("A failing migration leaves the database as it was", "[store]") {
    TempDir dir;
    const auto path = dir / "solace.db";
    const Migration v1[] = {first_migration};
    const Migration broken[] = {first_migration, broken_second};
    {
        Database db(path, Database::Mode::create_new, v1);
        db.exec("INSERT INTO diary (line) VALUES ('precious')");
    }

    const auto msg = store_error([&] { Database db(path, Database::Mode::open_existing, broken); });
    CHECK_THAT(msg, Catch::Contains("0002_broken.sql"));
    CHECK_THAT(msg, Catch::Contains("left as it was"));

    Database db(path, Database::Mode::open_existing, v1);
    CHECK(db.schema_version() == 1);
    CHECK_FALSE(has_table(db, "half_done"));
    CHECK(count_rows(db, "diary") == 1);
    Statement s(db, "SELECT line FROM diary");
    REQUIRE(s.step());
    CHECK(s.text(0) == "precious");
}

TEST_CASE("A database written by a newer Solace is refused, not opened", "[store]") {
    TempDir dir;
    const auto path = dir / "future.db";
    {
        Database db(path, Database::Mode::create_new);
        db.exec("PRAGMA user_version=" + std::to_string(latest_version() + 1));
    }
    const auto before = read_file(path);
    const auto msg = store_error([&] { Database db(path, Database::Mode::open_existing); });
    CHECK_THAT(msg, Catch::Contains("newer"));
    CHECK_THAT(msg, Catch::Contains(std::to_string(latest_version() + 1)));
    CHECK(read_file(path) == before);
}

TEST_CASE("Another program's SQLite file is refused and left untouched", "[store]") {
    TempDir dir;
    const auto path = dir / "recipes.sqlite";
    make_foreign_sqlite(path);
    const auto before = read_file(path);
    REQUIRE_FALSE(before.empty());

    const auto msg = store_error([&] { Database db(path, Database::Mode::open_existing); });
    CHECK_THAT(msg, Catch::Contains("not a Solace database"));
    CHECK_THAT(msg, Catch::Contains(path.string()));
    CHECK(read_file(path) == before);
    CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST_CASE("An empty file is refused and stays empty", "[store]") {
    TempDir dir;
    const auto path = dir / "empty.db";
    write_file(path, "");
    const auto msg = store_error([&] { Database db(path, Database::Mode::open_existing); });
    CHECK_THAT(msg, Catch::Contains("not a Solace database"));
    CHECK(std::filesystem::file_size(path) == 0);
}

TEST_CASE("A text file given as the database is refused and left untouched", "[store]") {
    TempDir dir;
    const auto path = dir / "notes.txt";
    const std::string text = "Shopping: bread, milk, more bread.\n";
    write_file(path, text);
    const auto msg = store_error([&] { Database db(path, Database::Mode::open_existing); });
    CHECK_THAT(msg, Catch::Contains("not a Solace database"));
    CHECK(read_file(path) == text);
}

TEST_CASE("Opening a database that does not exist says how to create one", "[store]") {
    TempDir dir;
    const auto path = dir / "missing.db";
    const auto msg = store_error([&] { Database db(path, Database::Mode::open_existing); });
    CHECK_THAT(msg, Catch::Contains("solace init"));
    CHECK_THAT(msg, Catch::Contains(path.string()));
    CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("Creating a database over an existing file is refused", "[store]") {
    TempDir dir;
    const auto path = dir / "solace.db";
    { Database db(path, Database::Mode::create_new); }
    const auto before = read_file(path);
    const auto msg = store_error([&] { Database db(path, Database::Mode::create_new); });
    CHECK_THAT(msg, Catch::Contains("already exists"));
    CHECK(read_file(path) == before);
}

TEST_CASE("A transaction that is not committed is rolled back", "[store]") {
    TempDir dir;
    Database db(dir / "solace.db", Database::Mode::create_new);
    const auto before = count_rows(db, "audit_log");
    {
        store::Transaction tx(db);
        db.exec("INSERT INTO audit_log (at, action) VALUES (1, 'test')");
        CHECK(count_rows(db, "audit_log") == before + 1);
    }
    CHECK(count_rows(db, "audit_log") == before);
    {
        store::Transaction tx(db);
        db.exec("INSERT INTO audit_log (at, action) VALUES (1, 'test')");
        tx.commit();
    }
    CHECK(count_rows(db, "audit_log") == before + 1);
}

TEST_CASE("The tables refuse out-of-range values even when the code lets them through", "[store]") {
    TempDir dir;
    Database db(dir / "solace.db", Database::Mode::create_new);
    db.exec("INSERT INTO account (name, role, password_hash, created_at) "
            "VALUES ('ann', 'nurse', '$argon2id$fake', 0)");
    db.exec("INSERT INTO patient (mrn, name, date_of_birth, time_zone, created_at, author_id) "
            "VALUES ('P1', 'Test Patient', '1950-01-01', 'UTC', 0, 1)");
    const std::string score = "INSERT INTO observation (patient_id, item, value, reporter, "
                              "observed_at, author_id, recorded_at) VALUES ";

    SECTION("a score of 11") {
        CHECK_THROWS_AS(db.exec(score + "(1, 'pain', 11, 'patient', 0, 1, 0)"), ValidationError);
    }
    SECTION("an unknown reporter") {
        CHECK_THROWS_AS(db.exec(score + "(1, 'pain', 3, 'doctor', 0, 1, 0)"), ValidationError);
    }
    SECTION("a PPS of 55") {
        CHECK_THROWS_AS(db.exec(score + "(1, 'pps', 55, 'nurse', 0, 1, 0)"), ValidationError);
    }
    SECTION("a score for a patient that does not exist") {
        CHECK_THROWS_AS(db.exec(score + "(99, 'pain', 3, 'patient', 0, 1, 0)"), ValidationError);
    }
    SECTION("a held dose without a reason") {
        db.exec("INSERT INTO medication (patient_id, med_key, name, schedule, time_critical, "
                "start_at, author_id, recorded_at) VALUES (1, 'm', 'M', 'bid', 0, 0, 1, 0)");
        CHECK_THROWS_AS(db.exec("INSERT INTO administration (patient_id, medication_id, given_at, "
                                "status, reason, reporter, author_id, recorded_at) VALUES "
                                "(1, 1, 0, 'held', '  ', 'nurse', 1, 0)"),
                        ValidationError);
    }
    CHECK(count_rows(db, "observation") == 0);
}
