// Two at once (issue 6 item 4): writers and readers on one database, each thread with its own
// connection (WAL, BEGIN IMMEDIATE, busy timeout): 10,000 operations with no unhandled
// SQLITE_BUSY and no lost write; and a writer that cannot get in says plainly that the
// database is busy. SOLACE_STRESS_OPS overrides the number of operations.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "domain/error.hpp"
#include "reliability_support.hpp"
#include "store/audit_repository.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"

using namespace solace;
using namespace solace::reliability;
using solace::store::Database;

TEST_CASE("Two writers and three readers share a database for 10,000 operations without a busy "
          "error or a lost write",
          "[reliability][stress]") {
    int total = 10000;
    if (const char* n = std::getenv("SOLACE_STRESS_OPS")) total = std::max(100, std::atoi(n));
    constexpr int writers = 2, readers = 3;
    const int writes_each = total / 4 / writers;
    const int reads_each = (total - writes_each * writers) / readers;

    Clinic c;
    const auto p1 = c.ann->patient("P1");
    c.close();

    std::mutex m;
    std::vector<std::string> errors;
    std::vector<std::pair<std::string, std::int64_t>> acked; // kind, id
    std::atomic<long long> reads{0}, busy{0};
    std::atomic<int> writers_done{0};
    const auto note = [&](const std::exception& e) {
        std::lock_guard lock(m);
        if (std::string(e.what()).find("busy") != std::string::npos) ++busy;
        errors.emplace_back(e.what());
    };

    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            try {
                Database db(c.path, Database::Mode::open_existing);
                app::Session s(db, *store::AccountRepository(db).find("ann"));
                std::vector<std::pair<std::string, std::int64_t>> mine;
                for (int i = 0; i < writes_each; ++i) {
                    const auto at = at_utc(2026, 3, 1) + std::chrono::minutes{w * 100000 + i};
                    if (i % 2 == 0)
                        mine.emplace_back("visit",
                                          test::record_visit(s, core_visit("P1", at, i % 11)));
                    else
                        mine.emplace_back(
                            "dose",
                            test::record_dose(s, {"P1", "oxy-ir", at, DoseStatus::given, "", ""}));
                }
                std::lock_guard lock(m);
                acked.insert(acked.end(), mine.begin(), mine.end());
            } catch (const std::exception& e) {
                note(e);
            }
            ++writers_done;
        });
    for (int r = 0; r < readers; ++r)
        threads.emplace_back([&, r] {
            try {
                Database db(c.path, Database::Mode::open_existing);
                app::Session s(db, *store::AccountRepository(db).find("ann"));
                store::ObservationRepository obs(db);
                store::MedicationRepository meds(db);
                std::size_t last_seen = 0;
                for (int i = 0; i < reads_each; ++i) {
                    // A two-hour window somewhere in the writers' days, as a view would show.
                    const auto from = at_utc(2026, 3, 1) + std::chrono::minutes{(i * 7) % 1400};
                    const auto to = from + std::chrono::hours{2};
                    switch ((i + r) % 4) {
                    case 0: {
                        // The first two hours only grow: a reader never sees rows vanish.
                        const auto n =
                            obs.scores(p1.id, at_utc(2026, 3, 1), at_utc(2026, 3, 1, 2)).size();
                        if (n < last_seen) throw std::runtime_error("scores went missing");
                        last_seen = n;
                        obs.scores(p1.id, from, to);
                        break;
                    }
                    case 1:
                        meds.administrations(p1.id, from, to);
                        break;
                    case 2:
                        store::AuditRepository(db).list(p1.id, from, to);
                        break;
                    default:
                        if (i % 40 == 3)
                            app::patient_flags(s, p1, from, to);
                        else
                            obs.visits(p1.id, from, to);
                    }
                    ++reads;
                }
            } catch (const std::exception& e) {
                note(e);
            }
        });
    for (auto& t : threads)
        t.join();

    INFO((errors.empty() ? std::string() : errors.front()));
    CHECK(errors.empty());
    CHECK(busy == 0);
    CHECK(static_cast<int>(acked.size()) == writes_each * writers);
    CHECK(reads == static_cast<long long>(reads_each) * readers);

    Database db(c.path, Database::Mode::open_existing);
    std::int64_t missing = 0;
    for (const auto& [kind, id] : acked) {
        store::Statement s(db, kind == "visit"
                                   ? "SELECT (SELECT count(*) FROM observation WHERE visit_id = "
                                     "?1) = 5 AND EXISTS (SELECT 1 FROM visit WHERE id = ?1)"
                                   : "SELECT EXISTS (SELECT 1 FROM administration WHERE id = ?1)");
        s.bind(1, id);
        s.step();
        if (s.int64(0) != 1) ++missing;
    }
    CHECK(missing == 0);
    CHECK(test::count_rows(db, "visit") == writes_each); // half of each writer's are visits
    CHECK_FALSE(db.integrity_check().has_value());
    CHECK(store::AuditRepository(db).verify().ok());
    report_count(fmt::format("stress: {} operations ({} writes by {} writers, {} reads by {} "
                             "readers), {} busy errors, {} lost writes, audit chain intact",
                             acked.size() + static_cast<std::size_t>(reads.load()), acked.size(),
                             writers, reads.load(), readers, busy.load(), missing));
}

TEST_CASE("A writer that cannot get in within the busy timeout says plainly that the database is "
          "busy",
          "[reliability][stress]") {
    Clinic c;
    c.close();
    Database db(c.path, Database::Mode::open_existing);
    app::Session s(db, *store::AccountRepository(db).find("ann"));
    RawDb other(c.path); // another program holding the write lock
    REQUIRE(other.exec("BEGIN IMMEDIATE") == SQLITE_OK);
    const auto start = std::chrono::steady_clock::now();
    try {
        test::record_visit(s, core_visit("P1", at_utc(2026, 3, 3, 9), 5));
        FAIL("wrote while another connection held the write lock");
    } catch (const StoreError& e) {
        CHECK_THAT(e.what(), Catch::Contains("busy"));
        CHECK_THAT(e.what(), Catch::Contains("Try again"));
    }
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::seconds{4});
    // Reading goes on meanwhile (WAL), and the write works once the lock is let go.
    CHECK(test::count_rows(db, "visit") == 0);
    REQUIRE(other.exec("COMMIT") == SQLITE_OK);
    CHECK_NOTHROW(test::record_visit(s, core_visit("P1", at_utc(2026, 3, 3, 9), 5)));
    CHECK(test::count_rows(db, "visit") == 1);
}
