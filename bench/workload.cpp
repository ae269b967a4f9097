#include "workload.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "app/demo.hpp"
#include "store/database.hpp"

namespace solace::bench {

std::filesystem::path demo_database(int patients, int days) {
    const auto dir = std::filesystem::path(SOLACE_BENCH_DATA);
    std::filesystem::create_directories(dir);
    const auto path = dir / fmt::format("demo-{}p-{}d.db", patients, days);
    if (!std::filesystem::exists(path)) {
        std::fprintf(stderr, "Generating %s (once) ...\n", path.c_str());
        const auto s = seconds([&] { app::create_demo(path, {patients, days, 7}); });
        std::fprintf(stderr, "  done in %.1f s\n", s);
    }
    return path;
}

std::filesystem::path writable_copy(const std::filesystem::path& database,
                                    const std::string& name) {
    const auto path = database.parent_path() / name;
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path.string() + suffix);
    {
        store::Database source(database, store::Database::Mode::open_existing);
        source.exec("PRAGMA wal_checkpoint(TRUNCATE)"); // everything in the main file
    }
    std::filesystem::copy_file(database, path);
    return path;
}

} // namespace solace::bench
