// Crash safety (issue 6 item 1): SIGKILL at random moments while visits and doses are written;
// after each kill the database is whole and holds every acknowledged write. 50 rounds by
// default; SOLACE_CRASH_ROUNDS overrides (`solace_crash_writer rounds 1000` is the benchmark).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>

#include "crash_harness.hpp"
#include "reliability_support.hpp"

TEST_CASE("A writer killed at random moments never loses an acknowledged write or leaves half a "
          "visit",
          "[reliability][crash]") {
    int rounds = 50;
    if (const char* r = std::getenv("SOLACE_CRASH_ROUNDS")) rounds = std::max(1, std::atoi(r));
    solace::test::TempDir dir;
    solace::crash::Totals totals;
    try {
        totals = solace::crash::run_rounds(SOLACE_CRASH_WRITER, dir.path, rounds,
                                           static_cast<unsigned>(std::random_device{}()));
    } catch (const std::exception& e) {
        FAIL(e.what());
    }
    solace::reliability::report_count(solace::crash::summary(totals));
    CHECK(totals.rounds == rounds);
    CHECK(totals.killed == rounds);
    CHECK(totals.acked > 0);
}
