// Rows per second of `solace import observations` on a 200,000-row CSV made from demo data,
// beside the sqlite3 shell's `.import` of the same file into a bare WAL table with the same
// indexes and synchronous=FULL. Goal: ratio >= 0.8.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "app/session.hpp"
#include "interop/csv.hpp"
#include "interop/export_csv.hpp"
#include "interop/import.hpp"
#include "store/patient_repository.hpp"
#include "workload.hpp"

namespace {

namespace fs = std::filesystem;
constexpr std::size_t rows_wanted = 200'000;

struct Files {
    fs::path dir, patients, observations;
    std::size_t rows = 0;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const Files& files() {
    static Files f = [] {
        Files out;
        out.dir = fs::path(SOLACE_BENCH_DATA) / "import";
        const auto demo = solace::bench::demo_database(50, 800);
        if (!fs::exists(out.dir / "observations-200k.csv")) {
            solace::store::Database db(demo, solace::store::Database::Mode::open_existing);
            auto s = solace::app::Session::login(db, "nurse", "solace-nurse");
            solace::interop::export_csv(s, out.dir);
            // Keep the header and the first 200,000 rows.
            std::ifstream in(out.dir / "observations.csv", std::ios::binary);
            std::ofstream cut(out.dir / "observations-200k.csv", std::ios::binary);
            std::string line;
            for (std::size_t i = 0; i <= rows_wanted && std::getline(in, line); ++i)
                cut << line << "\n";
        }
        out.patients = out.dir / "patients.csv";
        out.observations = out.dir / "observations-200k.csv";
        std::ifstream in(out.observations);
        std::string line;
        while (std::getline(in, line))
            ++out.rows;
        out.rows -= 1;
        return out;
    }();
    return f;
}

double solace_seconds = 0, sqlite_seconds = 0;

void BM_SolaceImportObservations(benchmark::State& state) {
    const auto& f = files();
    const auto text = slurp(f.observations);
    const auto patients = slurp(f.patients);
    for (auto _ : state) {
        state.PauseTiming();
        const auto path = f.dir / "target.db";
        fs::remove(path);
        fs::remove(fs::path(path.string() + "-wal"));
        fs::remove(fs::path(path.string() + "-shm"));
        solace::store::Database db(path, solace::store::Database::Mode::create_new);
        solace::store::AccountRepository accounts(db);
        accounts.add({0,
                      "bench",
                      solace::Role::nurse,
                      true,
                      false,
                      solace::app::hash_password("bench-password"),
                      {}},
                     solace::to_epoch(solace::now_utc()));
        solace::app::Session s(db, *accounts.find("bench"));
        solace::interop::import_csv(s, solace::interop::CsvKind::patients, patients);
        state.ResumeTiming();
        const auto secs = solace::bench::seconds(
            [&] { solace::interop::import_csv(s, solace::interop::CsvKind::observations, text); });
        solace_seconds = solace_seconds == 0 ? secs : std::min(solace_seconds, secs);
    }
    state.counters["rows"] = static_cast<double>(f.rows);
    state.counters["rows_per_s"] = f.rows / solace_seconds;
}

void BM_Sqlite3ShellImport(benchmark::State& state) {
    const auto& f = files();
    const auto script = f.dir / "import.sql";
    std::ofstream(script) << "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n"
                             "CREATE TABLE observation (patient TEXT, observed_at TEXT, symptom "
                             "TEXT, score INTEGER, reporter TEXT, note TEXT);\n"
                             "CREATE INDEX observation_by_patient ON observation (patient, "
                             "observed_at);\n"
                             "CREATE INDEX observation_by_series ON observation (patient, symptom, "
                             "reporter, observed_at);\n"
                          << ".import --csv --skip 1 " << f.observations.string()
                          << " observation\n";
    for (auto _ : state) {
        state.PauseTiming();
        const auto path = f.dir / "bare.db";
        fs::remove(path);
        fs::remove(fs::path(path.string() + "-wal"));
        fs::remove(fs::path(path.string() + "-shm"));
        state.ResumeTiming();
        // The shell ignores the file's columns past the sixth (id, replaces, reason, visit)
        // and says so on stderr for every row: away with it, so that 200,000 warnings on a
        // terminal do not slow the baseline.
        const auto secs = solace::bench::seconds([&] {
            const auto cmd =
                fmt::format("sqlite3 {} < {} > /dev/null 2>&1", path.string(), script.string());
            if (std::system(cmd.c_str()) != 0) state.SkipWithError("sqlite3 shell failed");
        });
        sqlite_seconds = sqlite_seconds == 0 ? secs : std::min(sqlite_seconds, secs);
    }
    state.counters["rows_per_s"] = f.rows / sqlite_seconds;
}

BENCHMARK(BM_SolaceImportObservations)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Sqlite3ShellImport)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    if (solace_seconds > 0 && sqlite_seconds > 0) {
        const auto rows = static_cast<double>(files().rows);
        std::printf("\nimport observations, %zu rows (best of 3):\n", files().rows);
        std::printf("  solace import : %8.0f rows/s (%.3f s)\n", rows / solace_seconds,
                    solace_seconds);
        std::printf("  sqlite3 .import: %8.0f rows/s (%.3f s)\n", rows / sqlite_seconds,
                    sqlite_seconds);
        std::printf("  ratio solace/sqlite3 = %.2f (goal >= 0.80)\n",
                    sqlite_seconds / solace_seconds);
    }
    benchmark::Shutdown();
}
namespace {
void BM_ParseOnly(benchmark::State& state) {
    const auto text = slurp(files().observations);
    const auto* zone = solace::find_zone("America/New_York");
    for (auto _ : state) {
        std::int64_t sum = 0;
        solace::interop::CsvReader reader(text);
        for (solace::interop::CsvRow r; reader.next(r);)
            if (r.line > 1) sum += solace::to_epoch(solace::parse_time(r.fields[1], "t").at(zone));
        benchmark::DoNotOptimize(sum);
    }
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond)->Iterations(2);
} // namespace
