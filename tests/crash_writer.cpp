// solace_crash_writer: the process the crash test kills.
//   solace_crash_writer write DB ROUND    write visits and doses to DB until killed
//   solace_crash_writer rounds N [DIR]    run N kill-and-check rounds (the benchmark), print counts
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include <unistd.h>

#include "crash_harness.hpp"

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "write" && argc == 4) solace::crash::write_forever(argv[2], std::atoi(argv[3]));
        if (mode == "rounds" && (argc == 3 || argc == 4)) {
            const int rounds = std::atoi(argv[2]);
            const auto dir = argc == 4 ? std::filesystem::path(argv[3])
                                       : std::filesystem::temp_directory_path() /
                                             ("solace-crash-" + std::to_string(::getpid()));
            std::filesystem::create_directories(dir);
            const auto start = std::chrono::steady_clock::now();
            const auto totals = solace::crash::run_rounds(
                std::filesystem::canonical("/proc/self/exe"), dir, rounds, 20260301u);
            const auto secs =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
            std::cout << solace::crash::summary(totals)
                      << fmt::format(" ({:.1f} s)\n", secs.count());
            if (argc == 3) std::filesystem::remove_all(dir);
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "solace_crash_writer: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: solace_crash_writer write DB ROUND | rounds N [DIR]\n";
    return 2;
}
