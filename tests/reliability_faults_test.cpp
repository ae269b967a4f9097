// I/O faults (issue 6 item 2): through a VFS that fails the Nth write, sync or truncate with
// SQLITE_IOERR or SQLITE_FULL, swept over N for a visit save, a CSV import and a migration:
// the operation reports a plain StoreError, no half-written visit or import is left, and the
// database passes PRAGMA integrity_check when reopened with the normal VFS.
#include <catch2/catch.hpp>

#include <functional>
#include <iostream>

#include <fmt/format.h>

#include "domain/error.hpp"
#include "faulty_vfs.hpp"
#include "interop/import.hpp"
#include "reliability_support.hpp"
#include "store/audit_repository.hpp"
#include "store/migrations.hpp"

using namespace solace;
using namespace solace::reliability;
using solace::store::Database;

namespace {

struct SweepTotals {
    int points = 0;    // fault positions tried
    int refused = 0;   // the operation threw a StoreError and left nothing behind
    int partial = 0;   // migrations only: a later step failed, the earlier ones stayed whole
    int completed = 0; // the fault hit after the data was safe (e.g. while closing)
    int uncertain = 0; // a failed sync after the commit was written: whole, but reported failed
};

// What a scenario counts after reopening.
struct State {
    std::int64_t visits = 0, observations = 0, audit = 0;
    int version = 0;
    bool operator==(const State&) const = default;
};

State state_of(const std::filesystem::path& path) {
    RawDb raw(path);
    return {raw.scalar("SELECT count(*) FROM visit"),
            raw.scalar("SELECT count(*) FROM observation"),
            raw.scalar("SELECT count(*) FROM audit_log"),
            static_cast<int>(raw.scalar("PRAGMA user_version"))};
}

void copy_fresh(const std::filesystem::path& from, const std::filesystem::path& to) {
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(to.string() + suffix);
    std::filesystem::copy_file(from, to);
}

// A whole stage the file may be in after a fault (0 = as before; `last` = the operation done),
// or -1 for anything half-done.
using Stage = std::function<int(const std::filesystem::path&)>;

// Runs `op` on a fresh copy of `tmpl` for N = 1, 2, ... failing the Nth counted call, until
// the operation meets no fault at all. `op` opens the copy through the faulty VFS and calls
// `arm` when the faults should start counting.
SweepTotals sweep(
    const std::filesystem::path& tmpl, const std::filesystem::path& work, const Stage& stage,
    int last,
    const std::function<void(const std::filesystem::path&, const std::function<void()>& arm)>& op) {
    SweepTotals t;
    for (const auto kind : {faulty::Kind::ioerr, faulty::Kind::full})
        for (const auto ops : {faulty::write, faulty::sync, faulty::truncate})
            for (const bool persistent : {true, false})
                for (int n = 1;; ++n) {
                    INFO(fmt::format("{} on {} call {} ({})",
                                     kind == faulty::Kind::full ? "SQLITE_FULL" : "SQLITE_IOERR",
                                     ops == faulty::write  ? "xWrite"
                                     : ops == faulty::sync ? "xSync"
                                                           : "xTruncate",
                                     n, persistent ? "from then on" : "once"));
                    REQUIRE(n < 2000);
                    copy_fresh(tmpl, work);
                    std::string error;
                    try {
                        op(work, [&] { faulty::arm(n, ops, kind, persistent); });
                    } catch (const StoreError& e) {
                        error = e.what();
                    }
                    const bool fired = faulty::plan().failures > 0;
                    faulty::disarm();
                    if (!fired) {
                        // Past the last write: the operation simply worked.
                        CHECK(error.empty());
                        CHECK(stage(work) == last);
                        break;
                    }
                    ++t.points;
                    {
                        RawDb raw(work);
                        CHECK(raw.text("PRAGMA integrity_check") == "ok");
                    }
                    const int now = stage(work);
                    CHECK(now >= 0); // whole, never half
                    if (!error.empty()) {
                        CHECK_THAT(error, Catch::Contains("disk"));
                        CHECK(error.size() < 600);
                    }
                    if (now == 0) {
                        CHECK_FALSE(error.empty()); // a lost write is never reported as saved
                        ++t.refused;
                    } else if (now > 0 && now < last) {
                        CHECK_FALSE(error.empty());
                        ++t.partial;
                    } else if (now == last) {
                        if (error.empty())
                            ++t.completed;
                        else {
                            // Only a sync that failed after the commit frame was written may
                            // leave the change in place; the message says it may be there.
                            CHECK(ops == faulty::sync);
                            CHECK_THAT(error, Catch::Contains("may or may not"));
                            ++t.uncertain;
                        }
                    }
                    // Reopened by Solace, the audit chain still holds.
                    Database db(work, Database::Mode::open_existing);
                    CHECK(store::AuditRepository(db).verify().ok());
                }
    return t;
}

// 0 when `path` is as `before`, 1 when as `after`, -1 otherwise.
Stage before_or_after(const State& before, const State& after) {
    return [=](const std::filesystem::path& path) {
        const auto now = state_of(path);
        return now == before ? 0 : now == after ? 1 : -1;
    };
}

std::string report(const char* what, const SweepTotals& t) {
    return fmt::format("I/O faults, {}: {} fault points, {} refused with nothing written, {}{} "
                       "completed, {} reported failed but whole (failed sync after commit)",
                       what, t.points, t.refused,
                       t.partial ? fmt::format("{} stopped after a whole earlier step, ", t.partial)
                                 : "",
                       t.completed, t.uncertain);
}

} // namespace

TEST_CASE("A visit save hit by disk errors at every write and sync is all or nothing",
          "[reliability][faults]") {
    faulty::install();
    Clinic c;
    c.close();
    const auto tmpl = c.dir / "template.db";
    std::filesystem::copy_file(c.path, tmpl);
    const auto before = state_of(tmpl);
    // The visit.add event and one entry each vouching for the new visit and observation rows.
    const State after{before.visits + 1, before.observations + 5, before.audit + 3, before.version};
    const auto t = sweep(tmpl, c.dir / "work.db", before_or_after(before, after), 1,
                         [](const std::filesystem::path& work, const std::function<void()>& arm) {
                             Database db(work, Database::Mode::open_existing,
                                         store::shipped_migrations(), faulty::name);
                             app::Session s(db, *store::AccountRepository(db).find("ann"));
                             arm();
                             test::record_visit(s, core_visit("P1", at_utc(2026, 3, 3, 9), 6));
                         });
    report_count(report("visit save", t));
    CHECK(t.points > 10);
    CHECK(t.refused > 0);
}

TEST_CASE("A CSV import hit by disk errors at every write and sync is all or nothing",
          "[reliability][faults]") {
    faulty::install();
    Clinic c;
    c.close();
    const auto tmpl = c.dir / "template.db";
    std::filesystem::copy_file(c.path, tmpl);
    std::string csv = "patient,observed_at,symptom,score,reporter,note\n";
    const char* symptoms[] = {"pain", "nausea", "breathing", "anxiety", "appetite"};
    for (int i = 0; i < 200; ++i)
        csv +=
            fmt::format("P1,2026-02-{:02}T{:02}:00:00Z,{},{},patient,imported row {} {}\n",
                        1 + i / 10, i % 10 + 8, symptoms[i % 5], i % 11, i, std::string(200, 'x'));
    const auto before = state_of(tmpl);
    // The import event and the entry vouching for the 200 new observation rows.
    const State after{before.visits, before.observations + 200, before.audit + 2, before.version};
    const auto t = sweep(tmpl, c.dir / "work.db", before_or_after(before, after), 1,
                         [&](const std::filesystem::path& work, const std::function<void()>& arm) {
                             Database db(work, Database::Mode::open_existing,
                                         store::shipped_migrations(), faulty::name);
                             app::Session s(db, *store::AccountRepository(db).find("ann"));
                             arm();
                             interop::import_csv(s, interop::CsvKind::observations, csv);
                         });
    report_count(report("CSV import of 200 rows", t));
    CHECK(t.points > 10);
    CHECK(t.refused > 0);
}

TEST_CASE("Migrations hit by disk errors at every write and sync leave each schema step whole, "
          "never half",
          "[reliability][faults]") {
    faulty::install();
    test::TempDir dir;
    const auto tmpl = dir / "v1.db";
    const auto shipped = store::shipped_migrations();
    {
        // Schema 1 as an older Solace left it, with audit rows for 0002 to seal.
        Database v1(tmpl, Database::Mode::create_new, shipped.subspan(0, 1));
        v1.exec("INSERT INTO account (name, role, is_admin, password_hash, created_at) VALUES "
                "('ann', 'nurse', 1, '$argon2id$x', 0)");
        v1.exec("INSERT INTO patient (mrn, name, date_of_birth, time_zone, created_at, author_id) "
                "VALUES ('P1', 'Old Patient', '1940-01-01', 'UTC', 0, 1)");
        for (int i = 0; i < 300; ++i)
            v1.exec(fmt::format("INSERT INTO audit_log (at, account, action, patient_id, detail) "
                                "VALUES ({}, 'ann', 'visit.add', 1, 'visit {} {}')",
                                1767225600 + i * 60, i, std::string(100, 'd')));
    }
    const auto before = state_of(tmpl);
    REQUIRE(before.version == 1);
    // The schema each version should have, from clean migrations: a file after a fault must
    // match one of them exactly (each migration is one transaction), with its data intact.
    std::vector<std::string> schemas(shipped.size() + 1);
    // From schema 6 on an upgrade adds entries vouching for the rows it found: the audit rows
    // each version should hold, from clean upgrades of the same file.
    std::vector<std::int64_t> audits(shipped.size() + 1, before.audit);
    for (std::size_t v = 1; v <= shipped.size(); ++v) {
        const auto ref = dir / fmt::format("ref{}.db", v);
        { Database db(ref, Database::Mode::create_new, shipped.subspan(0, v)); }
        const auto upgraded = dir / fmt::format("upgraded{}.db", v);
        std::filesystem::copy_file(tmpl, upgraded);
        { Database db(upgraded, Database::Mode::open_existing, shipped.subspan(0, v)); }
        audits[v] = state_of(upgraded).audit;
        schemas[v] = RawDb(ref).text("SELECT group_concat(type || ' ' || name || ': ' || "
                                     "coalesce(sql, ''), char(10)) FROM (SELECT * FROM "
                                     "sqlite_master ORDER BY type, name)");
    }
    const int last = static_cast<int>(shipped.size());
    const Stage stage = [&](const std::filesystem::path& path) {
        const auto now = state_of(path);
        const auto schema = RawDb(path).text(
            "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10)) FROM "
            "(SELECT * FROM sqlite_master ORDER BY type, name)");
        if (now.version < 1 || now.version > last || schema != schemas[now.version]) return -1;
        if (now.audit != audits[static_cast<std::size_t>(now.version)] ||
            now.observations != before.observations)
            return -1;
        // Version 1 is where it started: stage 0.
        return now.version == 1 ? 0 : now.version;
    };
    const auto t =
        sweep(tmpl, dir / "work.db", stage, last,
              [&](const std::filesystem::path& work, const std::function<void()>& arm) {
                  arm();
                  Database db(work, Database::Mode::open_existing, shipped, faulty::name);
              });
    report_count(report("migration 1 -> latest", t));
    CHECK(t.points > 10);
    CHECK(t.refused > 0);
}
