#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "domain/time.hpp"
#include "store/database.hpp"

namespace solace::test {

// A fresh folder under the system temp dir, removed when the object goes.
struct TempDir {
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path path;
    std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

struct CommandResult {
    int exit_code = 0;
    std::string out;
    std::string err;
    long max_rss_kb = 0; // the child's peak resident memory
};

// Runs the solace executable with `args` and environment `env` ("NAME=value"), no stdin.
CommandResult run_solace(const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {});

// Writes `csv` as DIR/KIND.csv and imports it with `solace import` as `user` into `db`.
CommandResult import_csv(const std::filesystem::path& dir, const std::string& db,
                         const std::string& kind, const std::string& csv,
                         const std::vector<std::string>& env, const std::string& user = "ann");

void write_file(const std::filesystem::path& p, const std::string& text);
std::string read_file(const std::filesystem::path& p);

// An instant given in UTC, so no test depends on the machine's zone.
Instant utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0);

// Argon2id is slow on purpose: each distinct password is hashed once per test run.
const std::string& password_hash(const std::string& password);

std::int64_t count_rows(store::Database& db, const std::string& table);

} // namespace solace::test
