// Flags on a demo database of 100 patients over 5 years (about a million scores): one patient
// now, one patient-week, and all patients now; beside a plain SQLite scan of the same rows.
// Goals (issue 16): a full evaluation of all patients at most 10x the raw scan of the same
// rows; all 100 patients' flags after one new score, through the FlagCache, under 5 ms.
// The window's first patient list (issue 14: within 300 ms of the password hash) counts open
// flags back to app::open_flag_horizon: shown beside the week alone, as the list was before.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "app/clinic.hpp"
#include "app/flag_cache.hpp"
#include "app/snapshot.hpp"
#include "clinical/rules.hpp"
#include "store/flag_repository.hpp"
#include "store/observation_repository.hpp"
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

// A copy of the demo database that the benchmark may write to: one new score per iteration
// (the copy is left in the bench-data folder and replaced each run).
struct Ward {
    std::filesystem::path path;
    std::unique_ptr<store::Database> db;
    std::optional<app::Session> session;
    std::vector<Patient> patients;
    Ward() {
        path = bench::writable_copy(bench::demo_database(100, 1825), "flags-bench-copy.db");
        db = std::make_unique<store::Database>(path, store::Database::Mode::open_existing);
        session.emplace(app::Session::login(*db, "nurse", "solace-nurse"));
        patients = session->patients();
    }
};

Ward& ward() {
    static Ward w;
    return w;
}

void BM_FlagsAllPatientsAfterOneScore(benchmark::State& state) {
    auto& w = ward();
    app::FlagCache cache;
    for (const auto& p : w.patients) // the list as it stood before the save
        cache.flags(*w.session, p, now_utc() - date::days{7}, now_utc());
    std::mt19937 rng(16);
    store::ObservationRepository obs(*w.db);
    std::size_t n = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const auto now = now_utc();
        Score s;
        s.patient_id = w.patients[rng() % w.patients.size()].id;
        s.symptom = Symptom::pain;
        s.value = int(rng() % 11);
        s.observed_at = now;
        s.author_id = w.session->account().id;
        obs.add_score(s, now);
        state.ResumeTiming();
        n = 0;
        for (const auto& p : w.patients)
            n += cache.flags(*w.session, p, now - date::days{7}, now).size();
    }
    state.counters["flags"] = static_cast<double>(n);
    state.counters["evaluated"] = static_cast<double>(cache.counts().evaluated);
    state.counters["reused"] = static_cast<double>(cache.counts().reused);
}

// The list at sign-in: an empty cache, every patient's week and older open flags.
void BM_FirstPatientList(benchmark::State& state) {
    auto& w = world();
    std::size_t open = 0;
    for (auto _ : state) {
        app::FlagCache cache;
        open = 0;
        for (const auto& row : app::patient_list(w.session, now_utc(), 7, &cache).patients)
            open += std::size_t(row.open_flags);
    }
    state.counters["open"] = static_cast<double>(open);
}

// The same with the week's flags alone, as the first list was before open_flag_horizon.
void BM_FirstPatientListWeekOnly(benchmark::State& state) {
    auto& w = world();
    std::size_t open = 0;
    for (auto _ : state) {
        app::FlagCache cache;
        open = 0;
        const auto now = now_utc();
        for (const auto& p : w.patients)
            for (const auto& f : cache.flags(w.session, p, now - date::days{7}, now))
                open += f.acknowledged ? 0 : 1;
    }
    state.counters["open"] = static_cast<double>(open);
}

// The list's refresh after a save, older open flags included (the list worker's cache).
void BM_PatientListAfterOneScore(benchmark::State& state) {
    auto& w = ward();
    app::FlagCache cache;
    app::patient_list(*w.session, now_utc(), 7, &cache); // the list as it stood before the save
    std::mt19937 rng(14);
    store::ObservationRepository obs(*w.db);
    for (auto _ : state) {
        state.PauseTiming();
        const auto now = now_utc();
        Score s;
        s.patient_id = w.patients[rng() % w.patients.size()].id;
        s.symptom = Symptom::pain;
        s.value = int(rng() % 11);
        s.observed_at = now;
        s.author_id = w.session->account().id;
        obs.add_score(s, now);
        state.ResumeTiming();
        benchmark::DoNotOptimize(app::patient_list(*w.session, now, 7, &cache));
    }
    state.counters["older_evaluated"] = static_cast<double>(cache.counts().older_evaluated);
}

BENCHMARK(BM_FirstPatientList)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FirstPatientListWeekOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlagsOnePatientNow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteScanOnePatientNow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlagsOnePatientWeek)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlagsAllPatientsNow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteScanAllPatientsNow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlagsAllPatientsAfterOneScore)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PatientListAfterOneScore)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
