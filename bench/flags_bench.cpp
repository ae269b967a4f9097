// Flags on a demo database of 100 patients over 5 years (about a million scores): one patient
// now, one patient-week, and all patients now; beside a plain SQLite scan of the same rows.
// Targets: one patient < 5 ms, all 100 < 200 ms.
#include <benchmark/benchmark.h>

#include "app/clinic.hpp"
#include "clinical/rules.hpp"
#include "store/flag_repository.hpp"
#include "workload.hpp"

namespace {

using namespace solace;

struct World {
    store::Database db;
    app::Session session;
    std::vector<Patient> patients;
    Instant now = now_utc();
    World()
        : db(bench::demo_database(100, 1825), store::Database::Mode::open_existing),
          session(app::Session::login(db, "nurse", "solace-nurse")), patients(session.patients()) {}
};

World& world() {
    static World w;
    return w;
}

// The rows the flag computation reads for one patient, scanned without any rule work.
std::int64_t raw_scan(World& w, const Patient& p, Instant from, Instant to) {
    const auto t = store::FlagRepository(w.db).thresholds();
    store::Statement s(w.db, "SELECT count(*), sum(value) FROM observation WHERE patient_id = ? "
                             "AND observed_at BETWEEN ? AND ?");
    s.bind(1, p.id).bind(2, to_epoch(from - clinical::score_lookback(t))).bind(3, to_epoch(to));
    s.step();
    std::int64_t n = s.int64(0);
    store::Statement d(w.db, "SELECT count(*), sum(given_at) FROM administration WHERE "
                             "patient_id = ? AND given_at BETWEEN ? AND ?");
    d.bind(1, p.id).bind(2, to_epoch(from - clinical::dose_lookback(t))).bind(3, to_epoch(to));
    d.step();
    return n + d.int64(0);
}

void BM_FlagsOnePatientNow(benchmark::State& state) {
    auto& w = world();
    const auto& p = w.patients.front();
    std::size_t n = 0;
    for (auto _ : state)
        n = app::patient_flags(w.session, p, w.now - date::days{7}, w.now).size();
    state.counters["flags"] = static_cast<double>(n);
}

void BM_FlagsOnePatientWeek(benchmark::State& state) {
    auto& w = world();
    const auto& p = w.patients.front();
    const auto to = w.now - date::days{900};
    for (auto _ : state)
        benchmark::DoNotOptimize(app::patient_flags(w.session, p, to - date::days{7}, to));
}

void BM_FlagsAllPatientsNow(benchmark::State& state) {
    auto& w = world();
    std::size_t n = 0;
    for (auto _ : state) {
        n = 0;
        for (const auto& p : w.patients)
            n += app::patient_flags(w.session, p, w.now - date::days{7}, w.now).size();
    }
    state.counters["flags"] = static_cast<double>(n);
    state.counters["patients"] = static_cast<double>(w.patients.size());
}

void BM_SqliteScanOnePatientNow(benchmark::State& state) {
    auto& w = world();
    for (auto _ : state)
        benchmark::DoNotOptimize(raw_scan(w, w.patients.front(), w.now - date::days{7}, w.now));
}

void BM_SqliteScanAllPatientsNow(benchmark::State& state) {
    auto& w = world();
    for (auto _ : state)
        for (const auto& p : w.patients)
            benchmark::DoNotOptimize(raw_scan(w, p, w.now - date::days{7}, w.now));
}

BENCHMARK(BM_FlagsOnePatientNow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteScanOnePatientNow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlagsOnePatientWeek)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlagsAllPatientsNow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteScanAllPatientsNow)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
