// The window and bad database files (issue 6 item 3): an empty file, random bytes, another
// program's SQLite file, a read-only file, a file in a missing folder, a damaged page. The
// window stays up on its open-database screen with a plain message, and the file is left as
// it was.
#include <sys/stat.h>

#include <random>
#include <thread>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <sqlite3.h>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "entries.hpp"
#include "headless.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;

namespace {

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& ch : s)
        ch = static_cast<char>(rng() & 0xff);
    return s;
}

// A Solace database several pages long, closed.
std::string solace_bytes(const std::filesystem::path& dir) {
    const auto path = dir / "whole.db";
    {
        store::Database db(path, store::Database::Mode::create_new);
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                     0);
        const app::Session ann(db, *accounts.find("ann"));
        app::add_patient(ann, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14, "UTC", ""});
        for (int i = 0; i < 60; ++i)
            test::record_visit(ann, {"P1",
                                     test::utc(2026, 1, 1) + std::chrono::hours{6 * i},
                                     Reporter::patient,
                                     {{Symptom::pain, i % 11, ""}},
                                     {},
                                     std::string(300, 'n')});
    }
    auto bytes = test::read_file(path);
    std::filesystem::remove(path);
    return bytes;
}

// The window opened on `path` shows the open-database screen with `words` in its message,
// and the file is as it was, with nothing beside it.
// `signs_in`: someone signs in at once, before the background file check has ended; the
// sign-in waits for it and is refused.
void window_refuses(const std::filesystem::path& path, const std::string& words,
                    bool signs_in = false) {
    const bool existed = std::filesystem::exists(path);
    const auto before = existed ? test::read_file(path) : std::string();
    struct stat st_before {};
    if (existed) ::stat(path.c_str(), &st_before);
    {
        ui::Headless imgui;
        ui::Shell shell(path);
        imgui.draw = [&] { shell.draw(); };
        imgui.after_draw = [&] { shell.apply_pending(); };
        if (signs_in) CHECK_FALSE(shell.sign_in("ann", "ann-secret"));
        imgui.frame();
        // The file check runs beside the sign-in screen: give it a moment, as a person would.
        for (int i = 0; i < 500 && shell.screen() != ui::Shell::Screen::open_database; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
            imgui.frame();
        }
        imgui.frame();
        CHECK(shell.screen() == ui::Shell::Screen::open_database);
        const auto text = test::drawn_text(imgui);
        CHECK_THAT(text, Catch::Contains(test::squeeze("Solace could not open the database")));
        CHECK_THAT(text, Catch::Contains(test::squeeze(words)));
        CHECK_THAT(text, !Catch::Contains(test::squeeze("SQLITE_"))); // words, not codes
        CHECK(shell.session() == nullptr);
    }
    if (existed) {
        CHECK(test::read_file(path) == before);
        struct stat st {};
        ::stat(path.c_str(), &st);
        CHECK(st.st_mtim.tv_sec == st_before.st_mtim.tv_sec);
        CHECK(st.st_mtim.tv_nsec == st_before.st_mtim.tv_nsec);
    } else {
        CHECK_FALSE(std::filesystem::exists(path));
    }
    CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
    CHECK_FALSE(std::filesystem::exists(path.string() + "-shm"));
    CHECK_FALSE(std::filesystem::exists(path.string() + "-journal"));
}

} // namespace

TEST_CASE(
    "The window stays up on its open-database screen for a bad file and leaves it as it was") {
    test::TempDir dir;
    const auto path = dir / "solace.db";
    SECTION("an empty file") {
        test::write_file(path, "");
        window_refuses(path, "empty");
    }
    SECTION("random bytes") {
        test::write_file(path, random_bytes(16384, 3));
        window_refuses(path, "not a Solace database");
    }
    SECTION("another program's SQLite database") {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw,
                             "CREATE TABLE recipe (name TEXT); INSERT INTO recipe VALUES "
                             "('soup');",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
        window_refuses(path, "not a Solace database");
    }
    SECTION("a read-only Solace database") {
        test::write_file(path, solace_bytes(dir.path));
        std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                               std::filesystem::perms::group_read);
        window_refuses(path, "read-only");
    }
    SECTION("a file in a folder that does not exist") {
        window_refuses(dir / "no-such-folder" / "solace.db", "does not exist");
    }
    SECTION("a damaged page, found by the startup check") {
        auto bytes = solace_bytes(dir.path);
        const std::size_t page = 4096, pages = bytes.size() / page;
        REQUIRE(pages >= 8);
        bytes.replace((pages / 2) * page, page, random_bytes(page, 11));
        test::write_file(path, bytes);
        window_refuses(path, "damaged");
    }
    SECTION("a damaged page, and a nurse signs in before the check has ended") {
        auto bytes = solace_bytes(dir.path);
        const std::size_t page = 4096, pages = bytes.size() / page;
        bytes.replace((pages / 2) * page, page, random_bytes(page, 11));
        test::write_file(path, bytes);
        window_refuses(path, "damaged", true);
    }
}
