#include "workload.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "app/demo.hpp"

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

} // namespace solace::bench
