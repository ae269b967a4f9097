#pragma once
#include <filesystem>
#include <string>

namespace solace::bench {

// A demo database made by the demo generator, cached under build/bench-data so runs reuse it.
// Returns its path; accounts as printed by `solace demo` (nurse / solace-nurse).
std::filesystem::path demo_database(int patients, int days);

// A copy of `database` named `name` beside it, for benchmarks that write (the demo database
// itself stays as generated); replaced on each call.
std::filesystem::path writable_copy(const std::filesystem::path& database, const std::string& name);

// Wall-clock seconds of `f()`.
template <class F> double seconds(F&& f);

} // namespace solace::bench

#include <chrono>
template <class F> double solace::bench::seconds(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
