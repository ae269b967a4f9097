// Where Solace keeps its files (issue 7 item 6): the XDG base directories, folders 0700 and
// the database 0600, and nothing in the working directory.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "app/paths.hpp"
#include "support.hpp"

using solace::test::run_solace;
using solace::test::TempDir;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// Sets environment variables for one test and puts the old values back.
struct Env {
    std::vector<std::pair<std::string, std::optional<std::string>>> saved;
    void set(const std::string& name, const char* value) {
        const char* old = std::getenv(name.c_str());
        saved.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
        if (value)
            ::setenv(name.c_str(), value, 1);
        else
            ::unsetenv(name.c_str());
    }
    ~Env() {
        for (auto it = saved.rbegin(); it != saved.rend(); ++it)
            if (it->second)
                ::setenv(it->first.c_str(), it->second->c_str(), 1);
            else
                ::unsetenv(it->first.c_str());
    }
};

solace::test::CommandResult init_default(const std::vector<std::string>& env) {
    auto all = env;
    all.push_back("SOLACE_NEW_PASSWORD=xdg-pw-1");
    return run_solace({"init", "--user", "ann"}, all);
}

} // namespace

TEST_CASE("init without --db creates the database under XDG_DATA_HOME, private to its owner",
          "[paths]") {
    TempDir t;
    const auto data = t / "data";
    // The audit log's head goes to XDG_STATE_HOME (else under HOME, as the spec says).
    const auto r =
        init_default({"XDG_DATA_HOME=" + data.string(), "XDG_STATE_HOME=" + (t / "state").string(),
                      "HOME=" + (t / "home").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto db = data / "solace" / "solace.db";
    REQUIRE(std::filesystem::exists(db));
    CHECK(mode_of(data) == 0700);
    CHECK(mode_of(data / "solace") == 0700);
    CHECK(mode_of(db) == 0600);
    CHECK_FALSE(std::filesystem::exists(t / "home"));
    // The WAL and shared-memory files, when there, are as private as the database.
    for (const char* suffix : {"-wal", "-shm"})
        if (std::filesystem::exists(db.string() + suffix))
            CHECK(mode_of(db.string() + suffix) == 0600);
}

TEST_CASE("Without XDG_DATA_HOME, or with a relative one, the database goes under "
          "~/.local/share",
          "[paths]") {
    TempDir t;
    const auto home = t / "home";
    std::filesystem::create_directories(home);
    const auto cwd_before = std::filesystem::current_path();
    SECTION("Unset (empty)") {
        REQUIRE(init_default({"XDG_DATA_HOME=", "HOME=" + home.string()}).exit_code == 0);
    }
    SECTION("Relative, which the specification says to ignore") {
        REQUIRE(init_default({"XDG_DATA_HOME=relative-data", "HOME=" + home.string()}).exit_code ==
                0);
        CHECK_FALSE(std::filesystem::exists(cwd_before / "relative-data"));
    }
    CHECK(std::filesystem::exists(home / ".local" / "share" / "solace" / "solace.db"));
    CHECK(mode_of(home / ".local") == 0700);
    CHECK(mode_of(home / ".local" / "share" / "solace") == 0700);
    CHECK_FALSE(std::filesystem::exists(cwd_before / "solace.db"));
}

TEST_CASE("Data, settings, logs, drafts and backups each have their XDG place", "[paths]") {
    Env env;
    env.set("HOME", "/home/nurse");
    SECTION("From the XDG variables") {
        env.set("XDG_DATA_HOME", "/x/data");
        env.set("XDG_CONFIG_HOME", "/x/config");
        env.set("XDG_STATE_HOME", "/x/state");
        CHECK(solace::app::default_database_path() == "/x/data/solace/solace.db");
        CHECK(solace::app::drafts_dir() == "/x/data/solace/drafts");
        CHECK(solace::app::backups_dir() == "/x/data/solace/backups");
        CHECK(solace::app::settings_path() == "/x/config/solace/settings.json");
        CHECK(solace::app::log_dir() == "/x/state/solace");
    }
    SECTION("From HOME when they are unset") {
        env.set("XDG_DATA_HOME", nullptr);
        env.set("XDG_CONFIG_HOME", nullptr);
        env.set("XDG_STATE_HOME", nullptr);
        CHECK(solace::app::data_dir() == "/home/nurse/.local/share/solace");
        CHECK(solace::app::config_dir() == "/home/nurse/.config/solace");
        CHECK(solace::app::state_dir() == "/home/nurse/.local/state/solace");
    }
}

TEST_CASE("A private folder is made 0700 and a private file 0600 whatever the umask", "[paths]") {
    TempDir t;
    const auto old = ::umask(0);
    const auto dir = t / "a" / "b";
    solace::app::ensure_private_dir(dir);
    solace::app::write_private_file(dir / "f.json", "{}\n");
    solace::app::write_private_file(dir / "f.json", "{\"again\": true}\n"); // replaced whole
    ::umask(old);
    CHECK(mode_of(t / "a") == 0700);
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(dir / "f.json") == 0600);
    CHECK(solace::test::read_file(dir / "f.json") == "{\"again\": true}\n");
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == 1); // no temporary left
    solace::test::write_file(t / "plain", "x");
    CHECK_THROWS_WITH(solace::app::ensure_private_dir(t / "plain"),
                      Catch::Contains("not a folder"));
}
