#pragma once
#include <filesystem>
#include <string>
#include <vector>

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
};

// Runs the solace executable with `args` and environment `env` ("NAME=value"), no stdin.
CommandResult run_solace(const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {});

void write_file(const std::filesystem::path& p, const std::string& text);
std::string read_file(const std::filesystem::path& p);

} // namespace solace::test
