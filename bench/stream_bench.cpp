// Agency-sized data (issue 14), each figure beside a baseline measured in the same run, on the
// demo database of 100 patients over 5 years. Every Solace figure is the `solace` verb run as a
// child process, so peak memory is that process's own (getrusage ru_maxrss):
//  - export fhir of every patient: MB/s of JSON beside `sqlite3 -json` of the same rows (goal
//    >= 0.5 of it), and peak memory;
//  - import of a 1,000,000-row observations CSV: peak memory above an import of its header
//    alone (goal <= 64 MB) and time beside the sqlite3 shell's .import (goal >= 0.8);
//  - backup: MB/s beside cp of the file, and peak memory above a backup of a small database
//    (the key derivation alone takes 256 MiB: libsodium's MODERATE);
//  - the weekly summary with a 20,000-character note beside the same week without (goal <= 2x);
//  - `flags` while that import holds the write lock, beside `flags` with no import (goal < 1 s).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/session.hpp"
#include "report/pdf.hpp"
#include "report/weekly_summary.hpp"
#include "store/patient_repository.hpp"
#include "workload.hpp"

namespace {

namespace fs = std::filesystem;
using namespace solace;

struct Run {
    double seconds = 0;
    long max_rss_kb = 0;
    int exit_code = 0;
};

// Runs `argv` (stdout to `out`, or /dev/null) with the nurse's password; waits for it.
pid_t start(const std::vector<std::string>& argv, const std::string& out = "/dev/null") {
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 1);
        ::setenv("SOLACE_PASSWORD", "solace-nurse", 1);
        ::setenv("SOLACE_BACKUP_PASSPHRASE", "bench passphrase words", 1);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    return pid;
}

Run finish(pid_t pid, std::chrono::steady_clock::time_point t0) {
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    Run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.max_rss_kb = usage.ru_maxrss;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return r;
}

Run run(const std::vector<std::string>& argv, const std::string& out = "/dev/null") {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = finish(start(argv, out), t0);
    if (r.exit_code != 0) std::fprintf(stderr, "  (%s exited %d)\n", argv[0].c_str(), r.exit_code);
    return r;
}

std::uintmax_t bytes_in(const fs::path& p) {
    if (fs::is_regular_file(p)) return fs::file_size(p);
    std::uintmax_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file()) n += e.file_size();
    return n;
}

double mb(std::uintmax_t bytes) {
    return static_cast<double>(bytes) / 1e6;
}

void fresh(const fs::path& db) {
    for (const auto* suffix : {"", "-wal", "-shm", ".audit-queue"})
        fs::remove(db.string() + suffix);
}

const std::string solace_exe = SOLACE_EXE;

} // namespace

int main() {
    const auto big = bench::demo_database(100, 1825);
    const auto dir = fs::path(SOLACE_BENCH_DATA) / "stream";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::vector<std::string> as_nurse{"--db", big.string(), "--user", "nurse"};
    const auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };

    std::printf("Agency-sized data on %s (%.0f MB)\n\n", big.filename().c_str(),
                mb(fs::file_size(big)));

    // ---- export fhir ----
    {
        const auto out = dir / "fhir";
        const auto r = run(with({solace_exe, "export", "fhir", "--out", out.string()}, as_nurse));
        const auto bytes = bytes_in(out);
        const auto json = dir / "sqlite.json";
        const auto base = run({"sqlite3", "-json", big.string(),
                               "SELECT * FROM patient; SELECT * FROM medication; SELECT * FROM "
                               "observation; SELECT * FROM administration;"},
                              json.string());
        const double ours = mb(bytes) / r.seconds, theirs = mb(bytes_in(json)) / base.seconds;
        std::printf("export fhir, every patient:\n");
        std::printf("  solace export fhir : %7.1f MB in %6.2f s = %6.1f MB/s, peak %5.0f MB\n",
                    mb(bytes), r.seconds, ours, r.max_rss_kb / 1024.0);
        std::printf("  sqlite3 -json      : %7.1f MB in %6.2f s = %6.1f MB/s, peak %5.0f MB\n",
                    mb(bytes_in(json)), base.seconds, theirs, base.max_rss_kb / 1024.0);
        std::printf("  ratio of MB/s = %.2f (goal >= 0.50)\n\n", ours / theirs);
        fs::remove_all(out);
        fs::remove(json);
    }

    // ---- import of 1M rows, and flags while it runs ----
    {
        const auto csv_dir = dir / "csv";
        run(with({solace_exe, "export", "csv", "--out", csv_dir.string()}, as_nurse));
        const auto all = csv_dir / "observations.csv";
        const auto million = dir / "observations-1m.csv", header = dir / "observations-0.csv";
        {
            std::ifstream in(all, std::ios::binary);
            std::ofstream cut(million, std::ios::binary), head(header, std::ios::binary);
            std::string line;
            for (int i = 0; i <= 1'000'000 && std::getline(in, line); ++i) {
                cut << line << "\n";
                if (i == 0) head << line << "\n";
            }
        }
        const auto target = dir / "import.db";
        const auto prepare = [&] {
            fresh(target);
            run({solace_exe, "init", "--db", target.string(), "--user", "nurse"});
            run({solace_exe, "import", "patients", (csv_dir / "patients.csv").string(), "--db",
                 target.string(), "--user", "nurse"});
        };
        const std::vector<std::string> on_target{"--db", target.string(), "--user", "nurse"};
        ::setenv("SOLACE_NEW_PASSWORD", "solace-nurse", 1);
        prepare();
        const auto empty =
            run(with({solace_exe, "import", "observations", header.string()}, on_target));
        const auto flags_args =
            with({solace_exe, "flags", "--from", "2000-01-01", "--to", "2000-01-08"}, on_target);
        const auto idle_flags = run(flags_args);
        prepare();
        const auto t0 = std::chrono::steady_clock::now();
        const pid_t import =
            start(with({solace_exe, "import", "observations", million.string()}, on_target));
        ::usleep(1'500'000); // the import is well under way, holding the write lock
        const auto busy_flags = run(flags_args);
        const auto imported = finish(import, t0);

        const auto bare = dir / "bare.db";
        fresh(bare);
        const auto script = dir / "import.sql";
        std::ofstream(script) << "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n"
                                 "CREATE TABLE observation (patient TEXT, observed_at TEXT, "
                                 "symptom TEXT, score INTEGER, reporter TEXT, note TEXT);\n"
                                 "CREATE INDEX observation_by_patient ON observation (patient, "
                                 "observed_at);\nCREATE INDEX observation_by_series ON observation "
                                 "(patient, symptom, reporter, observed_at);\n"
                              << ".import --csv --skip 1 " << million.string() << " observation\n";
        const auto shell_t0 = std::chrono::steady_clock::now();
        const pid_t shell =
            start({"sh", "-c", fmt::format("sqlite3 {} < {}", bare.string(), script.string())});
        const auto sqlite = finish(shell, shell_t0);
        const auto csv_mb = mb(fs::file_size(million));
        std::printf("import observations, 1,000,000 rows (%.0f MB of CSV):\n", csv_mb);
        std::printf("  solace import      : %6.2f s, peak %5.0f MB (header only: %5.0f MB) -> "
                    "%.0f MB above (goal <= 64)\n",
                    imported.seconds, imported.max_rss_kb / 1024.0, empty.max_rss_kb / 1024.0,
                    (imported.max_rss_kb - empty.max_rss_kb) / 1024.0);
        std::printf("  sqlite3 .import    : %6.2f s, peak %5.0f MB\n", sqlite.seconds,
                    sqlite.max_rss_kb / 1024.0);
        std::printf("  ratio of speed = %.2f (goal >= 0.80)\n\n",
                    sqlite.seconds / imported.seconds);
        std::printf("flags while that import holds the write lock:\n");
        std::printf("  during the import  : %6.3f s (exit %d) (goal < 1 s)\n", busy_flags.seconds,
                    busy_flags.exit_code);
        std::printf("  with no import     : %6.3f s (exit %d)\n\n", idle_flags.seconds,
                    idle_flags.exit_code);
        fs::remove_all(csv_dir);
        fs::remove(million);
        fresh(target);
        fresh(bare);
    }

    // ---- backup ----
    {
        const auto small = dir / "small.db";
        fresh(small);
        ::setenv("SOLACE_NEW_PASSWORD", "solace-nurse", 1);
        run({solace_exe, "init", "--db", small.string(), "--user", "nurse"});
        const auto r =
            run(with({solace_exe, "backup", "--out", (dir / "big.backup").string()}, as_nurse));
        const auto s = run({solace_exe, "backup", "--out", (dir / "small.backup").string(), "--db",
                            small.string(), "--user", "nurse"});
        const auto cp = run({"cp", big.string(), (dir / "copy.db").string()});
        const auto size = mb(fs::file_size(big));
        std::printf("backup of %.0f MB:\n", size);
        std::printf("  solace backup      : %6.2f s = %6.1f MB/s, peak %5.0f MB (small database: "
                    "%.2f s, %5.0f MB) -> %.0f MB above (goal <= 64)\n",
                    r.seconds, size / r.seconds, r.max_rss_kb / 1024.0, s.seconds,
                    s.max_rss_kb / 1024.0, (r.max_rss_kb - s.max_rss_kb) / 1024.0);
        std::printf("  without the key derivation: %6.1f MB/s\n", size / (r.seconds - s.seconds));
        std::printf("  cp                 : %6.2f s = %6.1f MB/s\n\n", cp.seconds,
                    size / cp.seconds);
        for (const auto* f : {"big.backup", "small.backup", "copy.db"})
            fs::remove(dir / f);
        fresh(small);
    }

    // ---- the weekly summary with a note at the length limit ----
    {
        store::Database db(big, store::Database::Mode::open_existing);
        const auto session = app::Session::login(db, "nurse", "solace-nurse");
        const auto patient = session.patients().front();
        const auto now = now_utc();
        const auto week = report::parse_week("last", now, find_zone(patient.time_zone));
        auto summary = report::build_weekly_summary(session, patient, week, now);
        const auto best_of = [](int n, auto f) {
            double best = 1e9;
            for (int i = 0; i < n; ++i)
                best = std::min(best, bench::seconds(f));
            return best;
        };
        int pages_without = 0, pages_with = 0;
        const auto without = best_of(5, [&] { pages_without = report::render_pdf(summary).pages; });
        std::string note;
        for (int i = 0; note.size() + 9 <= max_note_chars; ++i)
            note += fmt::format("word{:04} ", i % 10000);
        summary.notes.push_back({summary.start, "nurse", {}, note});
        const auto with_note = best_of(5, [&] { pages_with = report::render_pdf(summary).pages; });
        std::printf("weekly summary PDF (best of 5):\n");
        std::printf("  without a long note: %6.3f s (%d pages)\n", without, pages_without);
        std::printf("  with a 20,000-character note: %6.3f s (%d pages)\n", with_note, pages_with);
        std::printf("  ratio = %.2f (goal <= 2)\n", with_note / without);
    }
    return 0;
}
