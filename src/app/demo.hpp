#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace solace::app {

struct DemoOptions {
    int patients = 8; // 1..1000
    int days = 30;    // 1..3650, ending now
    std::uint64_t seed = 1;
};

struct DemoAccount {
    std::string name;
    std::string password;
    std::string role; // "nurse (admin)", "family of P0001"
};

// Creates a new database at `path` with demo accounts and synthetic patients whose scores
// follow believable trajectories. Returns the accounts so they can be printed.
std::vector<DemoAccount> create_demo(const std::filesystem::path& path, const DemoOptions& o);

} // namespace solace::app
