// ui/ reaches the data only through src/app (issue 11): no view or shell file names a
// repository, a transaction or SQL, so every write passes the use cases' role checks and audit.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <string>

#include "support.hpp"

TEST_CASE("No file in ui/ opens a repository, a transaction or a statement itself") {
    const std::regex store_use(
        R"(store::(\w*Repository|Transaction|Statement)\b|#include\s*[<"]sqlite3\.h[>"])");
    int files = 0;
    for (const auto& e :
         std::filesystem::directory_iterator(std::filesystem::path(SOLACE_SOURCE_DIR) / "ui")) {
        const auto ext = e.path().extension();
        if (ext != ".cpp" && ext != ".hpp") continue;
        ++files;
        const auto text = solace::test::read_file(e.path());
        std::smatch m;
        INFO(e.path().filename().string());
        CHECK_FALSE(std::regex_search(text, m, store_use));
    }
    CHECK(files > 20);
}
