#pragma once
// Crash safety (issue 6 item 1): a writer process records visits and doses through the
// application layer and prints one acknowledgement line per write, only after its commit
// returned; the harness kills it with SIGKILL at a random moment, reopens the database and
// checks it: PRAGMA integrity_check is ok, every acknowledged write is there and whole, no
// visit has fewer than its five scores, and the audit chain verifies. Used by the Catch2 test
// (50 rounds in CI) and by `solace_crash_writer rounds 1000` (the benchmark).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "store/account_repository.hpp"
#include "store/audit_repository.hpp"
#include "store/database.hpp"

namespace solace::crash {

inline constexpr const char* account = "ann";
inline constexpr const char* mrn = "P1";
inline constexpr const char* prn_med = "oxy-ir";

// When the n-th write of round r is dated: distinct times, so a write is known by its time too.
inline Instant write_time(int round, int n) {
    return Instant{std::chrono::seconds{1767225600}} + std::chrono::minutes{round * 10000 + n};
}
inline std::string visit_note(int round, int n) {
    return fmt::format("crash round {} write {}", round, n);
}

// The database every round writes into: one nurse, one patient, one PRN medication.
inline void create_database(const std::filesystem::path& path) {
    store::Database db(path, store::Database::Mode::create_new);
    store::AccountRepository accounts(db);
    accounts.add({0, account, Role::nurse, true, false, app::hash_password("crash-harness"), {}},
                 0);
    app::Session s(db, *accounts.find(account));
    Patient p;
    p.mrn = mrn;
    p.name = "Crash Test";
    p.date_of_birth = date::year{1940} / 1 / 1;
    p.time_zone = "UTC";
    app::add_patient(s, p);
    Medication m;
    m.key = prn_med;
    m.name = "Oxycodone IR";
    m.schedule_text = "prn q30m max 6";
    m.indication = "pain";
    m.start = write_time(0, 0) - std::chrono::hours{24};
    app::add_medication(s, mrn, m);
}

// The writer's loop (never returns): alternately a five-score visit and a PRN dose, each
// acknowledged on stdout only after its transaction committed.
[[noreturn]] inline void write_forever(const std::filesystem::path& path, int round) {
    store::Database db(path, store::Database::Mode::open_existing);
    app::Session s(db, *store::AccountRepository(db).find(account));
    std::mt19937 rng(static_cast<unsigned>(round));
    // The harness's random delay starts here, so a slow start (a sanitizer build) still writes.
    std::printf("ready\n");
    std::fflush(stdout);
    for (int n = 0;; ++n) {
        const auto at = write_time(round, n);
        if (rng() % 3 != 0) {
            app::VisitEntry v;
            v.mrn = mrn;
            v.at = at;
            v.reporter = Reporter::patient;
            for (auto sym : {Symptom::pain, Symptom::appetite, Symptom::nausea, Symptom::anxiety,
                             Symptom::breathing})
                v.scores.push_back({sym, static_cast<int>(rng() % 11), {}});
            v.note = visit_note(round, n);
            const auto id = app::record_visit(s, v, at); // written as it happened
            std::printf("visit %lld %d\n", static_cast<long long>(id), n);
        } else {
            const auto id =
                app::record_dose(s, {mrn, prn_med, at, DoseStatus::given, "", "crash harness"}, at);
            std::printf("dose %lld %d\n", static_cast<long long>(id), n);
        }
        std::fflush(stdout);
    }
}

struct Ack {
    std::string kind; // visit or dose
    std::int64_t id = 0;
    int n = 0;
};

struct Totals {
    int rounds = 0;
    int killed = 0;        // rounds whose writer died by SIGKILL (not by an error)
    long long acked = 0;   // acknowledged writes, all found whole
    long long visits = 0;  // visits in the database at the end
    long long doses = 0;   // doses in the database at the end
    long long unacked = 0; // writes committed but killed before their acknowledgement
};

// The problems found after one round, in words; empty when all is well.
inline std::vector<std::string> check_round(const std::filesystem::path& path, int round,
                                            const std::vector<Ack>& acks, Totals& totals) {
    std::vector<std::string> problems;
    store::Database db(path, store::Database::Mode::open_existing);
    if (auto p = db.integrity_check()) problems.push_back("integrity_check: " + *p);
    for (const auto& a : acks) {
        if (a.kind == "visit") {
            store::Statement v(db, "SELECT note, at, (SELECT count(*) FROM observation o WHERE "
                                   "o.visit_id = visit.id) FROM visit WHERE id = ?");
            v.bind(1, a.id);
            if (!v.step()) {
                problems.push_back(fmt::format("acknowledged visit {} is missing", a.id));
                continue;
            }
            if (v.text(0) != visit_note(round, a.n) ||
                v.int64(1) != to_epoch(write_time(round, a.n)))
                problems.push_back(fmt::format("visit {} is not the one acknowledged", a.id));
            if (v.int64(2) != 5)
                problems.push_back(fmt::format("visit {} has {} scores, not 5", a.id, v.int64(2)));
        } else {
            store::Statement d(db, "SELECT given_at FROM administration WHERE id = ?");
            d.bind(1, a.id);
            if (!d.step() || d.int64(0) != to_epoch(write_time(round, a.n)))
                problems.push_back(fmt::format("acknowledged dose {} is missing", a.id));
        }
    }
    store::Statement half(db, "SELECT count(*) FROM visit WHERE (SELECT count(*) FROM observation "
                              "o WHERE o.visit_id = visit.id) <> 5");
    half.step();
    if (half.int64(0) != 0)
        problems.push_back(
            fmt::format("{} visits have fewer or more than 5 scores", half.int64(0)));
    // A committed visit or dose always has its audit row: they share one transaction.
    store::Statement orphans(db, "SELECT (SELECT count(*) FROM visit) + (SELECT count(*) FROM "
                                 "administration) - (SELECT count(*) FROM audit_log WHERE action "
                                 "IN ('visit.add', 'dose.add'))");
    orphans.step();
    if (orphans.int64(0) != 0)
        problems.push_back(fmt::format("{} writes lack their audit row", orphans.int64(0)));
    const auto chain = store::AuditRepository(db).verify();
    if (!chain.ok()) problems.push_back("audit chain: " + chain.problem);
    store::Statement n(db, "SELECT (SELECT count(*) FROM visit), (SELECT count(*) FROM "
                           "administration), (SELECT count(*) FROM visit WHERE note LIKE ?) + "
                           "(SELECT count(*) FROM administration WHERE given_at BETWEEN ? AND ?)");
    n.bind(1, fmt::format("crash round {} write %", round));
    n.bind(2, to_epoch(write_time(round, 0))).bind(3, to_epoch(write_time(round, 9999)));
    n.step();
    totals.visits = n.int64(0);
    totals.doses = n.int64(1);
    const auto in_db = n.int64(2);
    if (in_db < static_cast<long long>(acks.size()))
        problems.push_back("fewer writes of this round than acknowledged");
    else
        totals.unacked += in_db - static_cast<long long>(acks.size());
    return problems;
}

// Reads the writer's output until its "ready" line (it has opened the database and signed in);
// returns what came after it. Throws when the writer ends first.
inline std::string wait_until_ready(int fd) {
    std::string text;
    char buf[256];
    for (;;) {
        const auto nl = text.find("ready\n");
        if (nl != std::string::npos) return text.substr(nl + 6);
        const ssize_t got = ::read(fd, buf, sizeof buf);
        if (got <= 0) throw std::runtime_error("the writer ended before it was ready to write");
        text.append(buf, static_cast<std::size_t>(got));
    }
}

// Runs `rounds` rounds of start-write-SIGKILL-check against a database in `dir`. Throws
// std::runtime_error naming the first round that went wrong.
inline Totals run_rounds(const std::filesystem::path& writer, const std::filesystem::path& dir,
                         int rounds, unsigned seed, int max_delay_ms = 300) {
    const auto path = dir / "crash.db";
    create_database(path);
    std::mt19937 rng(seed);
    Totals totals;
    for (int round = 1; round <= rounds; ++round) {
        int out[2];
        if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error("fork failed");
        if (pid == 0) {
            ::dup2(out[1], STDOUT_FILENO);
            ::close(out[0]);
            ::close(out[1]);
            const auto r = std::to_string(round);
            ::execl(writer.c_str(), writer.c_str(), "write", path.c_str(), r.c_str(),
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(out[1]);
        std::string text = wait_until_ready(out[0]);
        const int delay = static_cast<int>(rng() % static_cast<unsigned>(max_delay_ms + 1));
        std::this_thread::sleep_for(std::chrono::milliseconds{delay});
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        char buf[4096];
        ssize_t got;
        while ((got = ::read(out[0], buf, sizeof buf)) > 0)
            text.append(buf, static_cast<std::size_t>(got));
        ::close(out[0]);
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            ++totals.killed;
        else
            throw std::runtime_error(fmt::format("round {}: the writer ended on its own (status "
                                                 "{}) instead of being killed",
                                                 round, status));
        // Only whole lines are acknowledgements: a half-printed one was not yet promised.
        std::vector<Ack> acks;
        std::istringstream lines(text.substr(0, text.rfind('\n') + 1));
        for (std::string line; std::getline(lines, line);) {
            std::istringstream f(line);
            Ack a;
            f >> a.kind >> a.id >> a.n;
            if (a.kind == "visit" || a.kind == "dose") acks.push_back(a);
        }
        const auto problems = check_round(path, round, acks, totals);
        if (!problems.empty())
            throw std::runtime_error(fmt::format("round {} (killed after {} ms, {} acknowledged): "
                                                 "{}",
                                                 round, delay, acks.size(), problems.front()));
        totals.acked += static_cast<long long>(acks.size());
        ++totals.rounds;
    }
    return totals;
}

inline std::string summary(const Totals& t) {
    return fmt::format("crash rounds: {} (SIGKILL {}), acknowledged writes: {} all present and "
                       "whole, committed but unacknowledged: {}, visits {} and doses {} in the "
                       "database, integrity_check ok, no half-written visit, audit chain intact",
                       t.rounds, t.killed, t.acked, t.unacked, t.visits, t.doses);
}

} // namespace solace::crash
