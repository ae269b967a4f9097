// Agency server figures (issue 10) on a throwaway PostgreSQL cluster of its own
// (tests/pg_server.sh), with the demo database of 100 patients over 5 years:
//  - push: `solace enroll` of that database pushes every row; rows/s beside psql's \copy of the
//    same rows into the same table (solace.synced_row) on the same server (goal ratio >= 0.5);
//  - first pull of that agency into a new laptop (`solace enroll` as a second nurse): seconds
//    (goal < 30) and the child's peak memory (goal < 200 MB);
//  - one visit (about 30 rows) saved on laptop A, pushed, and pulled by laptop B (goal < 200 ms).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "app/process.hpp"
#include "app/session.hpp"
#include "cli/cli.hpp"
#include "store/medication_repository.hpp"
#include "sync/server.hpp"
#include "sync/sync.hpp"
#include "workload.hpp"

namespace {

namespace fs = std::filesystem;
using namespace solace;

// The solace command line, run in a child process of this one (see run()).
const std::string solace_exe = "solace";

struct Run {
    double seconds = 0;
    double cpu_seconds = 0; // user + system
    long max_rss_kb = 0;
    int exit_code = 0;
};

double cpu_seconds(const struct rusage& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Runs `argv` with `env` added ("NAME=value"), its output on ours; waits for it. `solace ...`
// runs the command line in a forked child, as the executable would, without the window.
Run run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
    // Nothing of ours waits in a buffer the child would write out again.
    std::fflush(nullptr);
    std::cout.flush();
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        for (const auto& e : env)
            putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        if (argv[0] == solace_exe) {
            // What `solace VERB ...` runs, without building the window.
            app::harden_process();
            const int code = cli::run(static_cast<int>(argv.size()), args.data());
            std::fflush(nullptr);
            std::cout.flush();
            _exit(code);
        }
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    Run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.cpu_seconds = cpu_seconds(usage);
    r.max_rss_kb = usage.ru_maxrss;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    if (r.exit_code != 0) std::fprintf(stderr, "  (%s exited %d)\n", argv[0].c_str(), r.exit_code);
    return r;
}

const std::string pg_server = std::string(SOLACE_SOURCE_DIR) + "/tests/pg_server.sh";

// The throwaway cluster, stopped and removed when this goes.
struct Cluster {
    std::string dir = fmt::format("/tmp/solace-bench-pg-{}", getpid());
    std::string password;
    bool up = false;
    Cluster() {
        if (run({pg_server, "start", dir}).exit_code != 0 || fs::exists(dir + "/unavailable"))
            return;
        std::ifstream(dir + "/password") >> password;
        setenv("PGPASSWORD", password.c_str(), 1);
        up = true;
    }
    ~Cluster() { run({pg_server, "stop", dir}); }
    std::string url(const std::string& db) const {
        return fmt::format("postgresql:///{}?host={}/sock", db, dir);
    }
    std::string dba_url(const std::string& db) const {
        return fmt::format("postgresql://solace_dba@/{}?host={}/sock", db, dir);
    }
    sync::Server dba(const std::string& db) const { return sync::Server(dba_url(db), "", ""); }
    // CPU seconds of the server's ended sessions (the postmaster's reaped children): a
    // connection's share is counted once it closes.
    double cpu_seconds() const {
        std::ifstream pid_file(dir + "/data/postmaster.pid");
        std::string pid;
        pid_file >> pid;
        std::ifstream stat("/proc/" + pid + "/stat");
        std::string line;
        std::getline(stat, line);
        const auto after_name = line.rfind(')');
        if (after_name == std::string::npos) return 0;
        std::istringstream fields(line.substr(after_name + 2));
        std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
        // fields from the state (3rd) on: cutime is the 16th, cstime the 17th
        if (f.size() < 15) return 0;
        return static_cast<double>(std::stoll(f[13]) + std::stoll(f[14])) /
               static_cast<double>(sysconf(_SC_CLK_TCK));
    }
};

void fresh(const fs::path& db) {
    for (const auto* suffix : {"", "-wal", "-shm", ".audit-queue"})
        fs::remove(db.string() + suffix);
}

// Records one visit on the first patient: the nurse's scores of every symptom, the PPS and a
// bowel movement, the caregiver's scores, and a dose of each of the patient's medications.
void record_visit(const app::Session& s, Instant at) {
    const auto p = s.patients().front();
    for (const auto reporter : {Reporter::patient, Reporter::caregiver}) {
        app::VisitEntry v;
        v.mrn = p.mrn;
        v.at = at;
        v.reporter = reporter;
        for (const auto& info : all_symptoms())
            v.scores.push_back({info.symptom, 3, ""});
        if (reporter == Reporter::patient) {
            v.pps = 50;
            v.bowel_movement = app::BowelMovementEntry{at, 4};
        }
        app::record_visit(s, v, at);
    }
    for (const auto& m : store::MedicationRepository(s.db()).list(p.id)) {
        app::DoseEntry d;
        d.mrn = p.mrn;
        d.med = m.key;
        d.at = at;
        app::record_dose(s, d, at);
    }
}

void run_all(const Cluster& pg) {
    const auto demo = bench::demo_database(100, 1825);
    const auto dir = fs::path(SOLACE_BENCH_DATA) / "sync";
    fs::remove_all(dir);
    fs::create_directories(dir);
    pg.dba("solace").exec("CREATE DATABASE copy_target");
    sync::init_server(pg.dba_url("solace"), "nurse", "solace-nurse");
    sync::add_server_account(pg.url("solace"), "nurse", "solace-nurse", "nurse2", Role::nurse, {},
                             "solace-nurse2");
    pg.dba("copy_target").migrate();
    std::printf("Agency server on PostgreSQL (%s), demo database %s\n\n", pg.dir.c_str(),
                demo.filename().c_str());

    // ---- push ----
    const auto laptop_a = bench::writable_copy(demo, "sync/laptop-a.db");
    const double push_server_cpu0 = pg.cpu_seconds();
    const auto push = run({solace_exe, "enroll", "--server", pg.url("solace"), "--user", "nurse",
                           "--db", laptop_a.string()},
                          {"SOLACE_PASSWORD=solace-nurse"});
    const auto rows = pg.dba("solace").exec("SELECT count(*) FROM solace.synced_row").int64(0, 0);
    const double push_server_cpu = pg.cpu_seconds() - push_server_cpu0;
    const auto copy_file = dir / "rows.copy";
    const std::string columns = "uuid, server_seq, device, counter, tbl, patient, row, pushed_by, "
                                "pushed_at";
    run({"psql", "-q", pg.dba_url("solace"), "-c",
         fmt::format("\\copy (SELECT {} FROM solace.synced_row) TO '{}'", columns,
                     copy_file.string())});
    const double copy_server_cpu0 = pg.cpu_seconds();
    const auto copy =
        run({"psql", "-q", pg.dba_url("copy_target"), "-c",
             fmt::format("\\copy solace.synced_row ({}) FROM '{}'", columns, copy_file.string())});
    const auto copied =
        pg.dba("copy_target").exec("SELECT count(*) FROM solace.synced_row").int64(0, 0);
    const double copy_server_cpu = pg.cpu_seconds() - copy_server_cpu0;
    const double push_rate = rows / push.seconds, copy_rate = copied / copy.seconds;
    std::printf("push of every row (solace enroll of the demo database):\n");
    std::printf("  solace push        : %8lld rows in %6.2f s = %8.0f rows/s, peak %5.0f MB; "
                "CPU s: solace %.1f, server %.1f\n",
                static_cast<long long>(rows), push.seconds, push_rate, push.max_rss_kb / 1024.0,
                push.cpu_seconds, push_server_cpu);
    std::printf("  psql \\copy         : %8lld rows in %6.2f s = %8.0f rows/s; "
                "CPU s: psql %.1f, server %.1f\n",
                static_cast<long long>(copied), copy.seconds, copy_rate, copy.cpu_seconds,
                copy_server_cpu);
    std::printf("  ratio of rows/s = %.2f (goal >= 0.50)\n\n", push_rate / copy_rate);
    fs::remove(copy_file);

    // ---- first pull ----
    const auto laptop_b = dir / "laptop-b.db";
    fresh(laptop_b);
    const double pull_server_cpu0 = pg.cpu_seconds();
    const auto pull = run({solace_exe, "enroll", "--server", pg.url("solace"), "--user", "nurse2",
                           "--db", laptop_b.string()},
                          {"SOLACE_PASSWORD=solace-nurse2"});
    std::printf("first pull into a new laptop (solace enroll):\n");
    std::printf("  %lld rows in %.2f s (goal < 30 s), peak %.0f MB (goal < 200 MB); "
                "CPU s: solace %.1f, server %.1f\n\n",
                static_cast<long long>(rows), pull.seconds, pull.max_rss_kb / 1024.0,
                pull.cpu_seconds, pg.cpu_seconds() - pull_server_cpu0);

    // ---- one visit, laptop A to laptop B ----
    {
        store::Database a(laptop_a, store::Database::Mode::open_existing);
        store::Database b(laptop_b, store::Database::Mode::open_existing);
        auto on_a = app::Session::login(a, "nurse", "solace-nurse");
        auto on_b = app::Session::login(b, "nurse2", "solace-nurse2");
        std::vector<double> ms;
        sync::SyncCounts sent, got;
        struct rusage self0 {
        }, self1{};
        getrusage(RUSAGE_SELF, &self0);
        const double server_cpu0 = pg.cpu_seconds();
        for (int i = 0; i < 5; ++i) {
            const auto s = bench::seconds([&] {
                record_visit(on_a, now_utc() - std::chrono::minutes(10 * (5 - i)));
                sent = sync::sync(on_a, "solace-nurse");
                got = sync::sync(on_b, "solace-nurse2");
            });
            ms.push_back(s * 1000);
        }
        getrusage(RUSAGE_SELF, &self1);
        const double server_cpu = pg.cpu_seconds() - server_cpu0;
        std::sort(ms.begin(), ms.end());
        std::printf("one visit saved on laptop A, pushed, and pulled by laptop B (5 runs):\n");
        std::printf("  %lld rows pushed, %lld pulled: median %.0f ms, best %.0f ms, worst %.0f ms "
                    "(goal < 200 ms)\n",
                    static_cast<long long>(sent.pushed), static_cast<long long>(got.pulled), ms[2],
                    ms[0], ms[4]);
        std::printf("  CPU per run: laptops %.0f ms, server %.0f ms\n",
                    (cpu_seconds(self1) - cpu_seconds(self0)) * 1000 / 5, server_cpu * 1000 / 5);
    }
    fresh(laptop_a);
    fresh(laptop_b);
}

} // namespace

int main() {
    Cluster pg;
    if (!pg.up) {
        std::printf("SKIPPED: no PostgreSQL for the agency server figures\n");
        return 0;
    }
    try {
        run_all(pg);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sync bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
