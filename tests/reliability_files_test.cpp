// Bad database files (issue 6 item 3): an empty file, random bytes, a cut-short Solace database,
// another program's SQLite file, a read-only file, a folder, a file in a missing folder, a
// damaged page. Each gets a plain message and an exit code of 1..127 on the command line, and
// the file is never modified: same bytes, same modification time, no -wal or -shm left beside it.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <functional>
#include <random>

#include "app/integrity.hpp"
#include "domain/error.hpp"
#include "reliability_support.hpp"

using namespace solace;
using namespace solace::reliability;
using solace::store::Database;
using solace::test::run_solace;
using solace::test::write_file;

namespace {

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& ch : s)
        ch = static_cast<char>(rng() & 0xff);
    return s;
}

// A Solace database with a few hundred rows, checkpointed and closed: several pages long.
std::string solace_database_bytes(const std::filesystem::path& dir) {
    const auto path = dir / "whole.db";
    {
        Database db(path, Database::Mode::create_new);
        app::Session ann(db, add_account(db, "ann", Role::nurse, true));
        app::add_patient(ann, make_patient("P1"));
        for (int i = 0; i < 60; ++i)
            test::record_visit(ann, core_visit("P1", at_utc(2026, 1, 1) + std::chrono::hours{6 * i},
                                               i % 11, std::string(300, 'n')));
    }
    auto bytes = test::read_file(path);
    std::filesystem::remove(path);
    return bytes;
}

std::string store_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.what();
    }
    FAIL("expected a StoreError, but nothing was thrown");
    return {};
}

// The command line refuses `path` in words, with an exit code of 1..127, and leaves it as it was.
void refused_untouched(const std::filesystem::path& path, const std::string& words) {
    const bool existed = std::filesystem::exists(path);
    const auto before = existed ? fingerprint(path) : Fingerprint{};
    const std::vector<std::string> env{std::string("SOLACE_PASSWORD=") + admin_password};
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"check", "--db", path.string()},
             {"flags", "--db", path.string(), "--user", "ann"},
             {"import", "patients", "/dev/null", "--db", path.string(), "--user", "ann"},
             {"audit", "verify", "--db", path.string(), "--user", "ann"}}) {
        INFO(args[0]);
        const auto r = run_solace(args, env);
        CHECK(r.exit_code >= 1);
        CHECK(r.exit_code <= 127);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::StartsWith("solace: "));
        CHECK_THAT(r.err, Catch::Contains(words));
        // One sentence or two a nurse can act on, not a dump.
        CHECK(r.err.size() < 400);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    CHECK_THROWS_AS(app::open_checked(path, Database::Mode::open_existing), StoreError);
    if (existed) {
        CHECK(fingerprint(path) == before);
    } else {
        CHECK_FALSE(std::filesystem::exists(path));
    }
    CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
    CHECK_FALSE(std::filesystem::exists(path.string() + "-shm"));
    CHECK_FALSE(std::filesystem::exists(path.string() + "-journal"));
}

} // namespace

TEST_CASE("A bad database file gets a plain message, an exit code of 1 to 127 and stays as it was",
          "[reliability][files][cli]") {
    test::TempDir dir;
    const auto path = dir / "solace.db";

    SECTION("an empty file") {
        write_file(path, "");
        refused_untouched(path, "empty");
    }
    SECTION("random bytes") {
        write_file(path, random_bytes(16384, 7));
        refused_untouched(path, "not a Solace database");
    }
    SECTION("random bytes behind a SQLite header") {
        write_file(path, std::string("SQLite format 3\0", 16) + random_bytes(8192 - 16, 8));
        refused_untouched(path, path.string());
    }
    SECTION("a Solace database cut in half") {
        auto bytes = solace_database_bytes(dir.path);
        REQUIRE(bytes.size() >= 8 * 4096);
        bytes.resize(bytes.size() / 2);
        write_file(path, bytes);
        refused_untouched(path, "cut off");
    }
    SECTION("a Solace database cut mid-page") {
        auto bytes = solace_database_bytes(dir.path);
        bytes.resize(bytes.size() - 1000);
        write_file(path, bytes);
        refused_untouched(path, "damaged");
    }
    SECTION("another program's SQLite database") {
        {
            RawDb other(path);
            REQUIRE(other.exec("CREATE TABLE recipe (name TEXT); INSERT INTO recipe VALUES "
                               "('soup');") == SQLITE_OK);
        }
        refused_untouched(path, "not a Solace database");
    }
    SECTION("a read-only Solace database") {
        write_file(path, solace_database_bytes(dir.path));
        std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                               std::filesystem::perms::group_read);
        refused_untouched(path, "read-only");
    }
    SECTION("a folder") {
        std::filesystem::create_directory(path);
        refused_untouched(path, "folder");
    }
    SECTION("a file in a folder that does not exist") {
        refused_untouched(dir / "no-such-folder" / "solace.db", "no database");
    }
}

TEST_CASE("A damaged page is found by the startup check and by solace check, and not worked on",
          "[reliability][files][cli]") {
    test::TempDir dir;
    const auto path = dir / "solace.db";
    auto bytes = solace_database_bytes(dir.path);
    const std::size_t page = 4096, pages = bytes.size() / page;
    REQUIRE(pages >= 8);
    // Scribble over a page in the middle: the header and the schema still read.
    const auto junk = random_bytes(page, 11);
    bytes.replace((pages / 2) * page, page, junk);
    write_file(path, bytes);
    const auto before = fingerprint(path);

    const auto msg = store_error([&] { app::open_checked(path, Database::Mode::open_existing); });
    CHECK_THAT(msg, Catch::Contains("damaged"));
    CHECK_THAT(msg, Catch::Contains("backup"));
    const auto r = run_solace({"check", "--db", path.string()});
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("damaged"));
    CHECK(fingerprint(path) == before);
    CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST_CASE("A sound database passes solace check and new databases are private to their owner",
          "[reliability][files][cli]") {
    test::TempDir dir;
    const auto path = dir / "clinic.db";
    auto init = run_solace({"init", "--db", path.string(), "--user", "ann"},
                           {std::string("SOLACE_NEW_PASSWORD=") + admin_password});
    REQUIRE(init.exit_code == 0);
    CHECK(file_mode(path) == 0600);
    {
        Database db(path, Database::Mode::open_existing);
        CHECK(file_mode(path.string() + "-wal") == 0600);
        CHECK(file_mode(path.string() + "-shm") == 0600);
        CHECK_FALSE(app::check_database(db).has_value());
    }
    const auto r = run_solace({"check", "--db", path.string()});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("no damage"));
    CHECK_NOTHROW(app::open_checked(path, Database::Mode::open_existing));

    auto again = run_solace({"init", "--db", path.string(), "--user", "ann"},
                            {std::string("SOLACE_NEW_PASSWORD=") + admin_password});
    CHECK(again.exit_code == 4);
    CHECK_THAT(again.err, Catch::Contains("already exists"));
    auto nowhere =
        run_solace({"init", "--db", (dir / "missing" / "x.db").string(), "--user", "ann"},
                   {std::string("SOLACE_NEW_PASSWORD=") + admin_password});
    CHECK(nowhere.exit_code == 4);
    CHECK_THAT(nowhere.err, Catch::Contains("does not exist"));
}
