// Fuzzing (issue 6 item 9): the libFuzzer targets' bodies, run here over the seed corpus and
// every input that ever crashed one (fuzz/regressions/), so a fixed crash stays fixed in the
// normal and sanitizer builds without clang.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "../fuzz/targets.hpp"

namespace {

std::vector<std::filesystem::path> inputs(const std::string& target) {
    std::vector<std::filesystem::path> out;
    for (const char* dir : {"corpus", "regressions"}) {
        const auto d = std::filesystem::path(SOLACE_SOURCE_DIR) / "fuzz" / dir / target;
        if (!std::filesystem::is_directory(d)) continue;
        for (const auto& e : std::filesystem::directory_iterator(d))
            if (e.is_regular_file() && e.path().filename().string().front() != '.')
                out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string bytes_of(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const std::uint8_t* data_of(const std::string& s) {
    return reinterpret_cast<const std::uint8_t*>(s.data());
}

} // namespace

TEST_CASE("The schedule parser survives its fuzz corpus and past crashes", "[reliability][fuzz]") {
    const auto files = inputs("schedule");
    REQUIRE(files.size() >= 10);
    for (const auto& f : files) {
        INFO(f.string());
        const auto text = bytes_of(f);
        CHECK_NOTHROW(solace::fuzz::schedule_one(data_of(text), text.size()));
    }
}

TEST_CASE("The CSV reader and importer survive their fuzz corpus and past crashes",
          "[reliability][fuzz]") {
    const auto files = inputs("csv_import");
    REQUIRE(files.size() >= 10);
    solace::fuzz::ImportBench bench;
    for (const auto& f : files) {
        INFO(f.string());
        const auto text = bytes_of(f);
        CHECK_NOTHROW(solace::fuzz::csv_import_one(bench, data_of(text), text.size()));
    }
}
