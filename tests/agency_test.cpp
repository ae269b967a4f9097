// The agency server (issue 10, DESIGN §7) against a real PostgreSQL cluster that ctest starts
// (tests/pg_server.sh; SOLACE_PG_SERVER names its folder). Each test uses a database and role
// names of its own.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <set>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "agency.hpp"
#include "domain/error.hpp"
#include "support.hpp"
#include "sync/rows.hpp"
#include "sync/server.hpp"
#include "sync/sync.hpp"

using solace::test::run_solace;
using solace::test::TempDir;
using namespace solace::test;

namespace {

// Runs `sql` with the trigger `guard` lifted, then puts it back byte for byte.
void behind_solace(solace::store::Database& db, const std::string& guard, const std::string& sql) {
    solace::store::Statement q(db, "SELECT sql FROM sqlite_schema WHERE name = ?1");
    q.bind(1, guard);
    REQUIRE(q.step());
    const auto trigger = q.text(0);
    q.reset();
    db.exec("DROP TRIGGER " + guard);
    db.exec(sql);
    db.exec(trigger);
}

// Starts the solace executable without waiting for it (its output discarded).
pid_t start_solace(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        for (const auto& e : env)
            putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> argv{const_cast<char*>(SOLACE_EXE)};
        for (const auto& x : args)
            argv.push_back(const_cast<char*>(x.c_str()));
        argv.push_back(nullptr);
        execv(SOLACE_EXE, argv.data());
        _exit(127);
    }
    return pid;
}

// Waits until `done` holds, checking every few milliseconds; false after a minute.
template <class F> bool wait_until(F done) {
    for (int i = 0; i < 12000; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

// `days` days of pain scores for P1 from `first`, one every 3 minutes (480 a day).
std::string backlog(date::sys_days first, int days) {
    std::string csv = "patient,observed_at,symptom,score,reporter,note\n";
    for (int d = 0; d < days; ++d)
        for (int m = 0; m < 24 * 60; m += 3)
            csv += fmt::format("P1,{}T{:02}:{:02}:00Z,pain,{},nurse,\n",
                               solace::format_date(date::year_month_day{first + date::days{d}}),
                               m / 60, m % 60, (d + m) % 11);
    return csv;
}

} // namespace

TEST_CASE("A visit logged on laptop A while both were offline is on laptop B after one sync",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    const auto laptop_b = a.enroll(t, "bea");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    CHECK(counts(a.sync(laptop_a, "ann"))["pushed"].get<int>() >= 4);
    CHECK(counts(a.sync(laptop_b, "bea"))["pulled"].get<int>() >= 4);

    a.server_ctl("stop -m immediate");
    import(a, t, laptop_a, "ann", "observations",
           "patient,observed_at,symptom,score,reporter,note\n" +
               scores("P1", 20, 9, 8, "slept badly"));
    const auto offline = a.sync(laptop_a, "ann");
    CHECK(offline.exit_code == 6);
    CHECK(offline.err.find("cannot be reached") != std::string::npos);
    CHECK(nlohmann::json::parse(offline.out)["waiting"].get<int>() >= 1);
    a.server_ctl("start");

    const auto pushed = counts(a.sync(laptop_a, "ann"));
    CHECK(pushed["pushed"].get<int>() >= 1);
    CHECK(pushed["waiting"] == 0);
    CHECK(counts(a.sync(laptop_b, "bea"))["pulled"].get<int>() >= 1);
    solace::store::Database b(laptop_b, solace::store::Database::Mode::open_existing);
    solace::store::Statement s(b, "SELECT o.value, o.note, p.mrn, acc.name FROM observation o "
                                  "JOIN patient p ON p.id = o.patient_id "
                                  "JOIN account acc ON acc.id = o.author_id");
    REQUIRE(s.step());
    CHECK(s.integer(0) == 8);
    CHECK(s.text(1) == "slept badly");
    CHECK(s.text(2) == "P1");
    CHECK(s.text(3) == a.name("ann"));
    // Syncing again changes nothing on either side.
    CHECK(counts(a.sync(laptop_b, "bea")) ==
          nlohmann::json{{"pushed", 0}, {"pulled", 0}, {"waiting", 0}});
    CHECK(counts(a.sync(laptop_a, "ann"))["pulled"] == 0);
    // Laptop B's own offline sign-in works with the server stopped.
    a.server_ctl("stop -m immediate");
    CHECK(run_solace({"flags", "--db", laptop_b, "--user", a.name("bea"), "--json"}, a.env("bea"))
              .exit_code == 0);
    a.server_ctl("start");
}

TEST_CASE("Two laptops offline, synced in either order twice, hold the same rows and flags",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    const auto laptop_b = a.enroll(t, "bea");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    counts(a.sync(laptop_a, "ann"));
    counts(a.sync(laptop_b, "bea"));
    // Offline: each records its own scores for P1 (a rise on A, a severe score on B).
    const std::string header = "patient,observed_at,symptom,score,reporter,note\n";
    import(a, t, laptop_a, "ann", "observations",
           header + scores("P1", 25, 8, 2, "a") + scores("P1", 26, 8, 5, "a"));
    import(a, t, laptop_b, "bea", "observations",
           header + scores("P1", 25, 20, 3, "b") + scores("P1", 27, 8, 9, "b"));
    const bool b_first = GENERATE(false, true);
    for (int round = 0; round < 2; ++round) {
        if (b_first) counts(a.sync(laptop_b, "bea"));
        counts(a.sync(laptop_a, "ann"));
        if (!b_first) counts(a.sync(laptop_b, "bea"));
    }
    counts(a.sync(laptop_a, "ann"));
    auto flags = [&](const std::string& db, const std::string& who) {
        const auto r = run_solace({"flags", "--db", db, "--user", a.name(who), "--json", "--from",
                                   "2026-11-20T00:00:00Z", "--to", "2026-11-30T00:00:00Z"},
                                  a.env(who));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return nlohmann::json::parse(r.out);
    };
    // Flag ids name rows by UUID: the same on both laptops.
    const auto on_a = flags(laptop_a, "ann");
    CHECK(on_a == flags(laptop_b, "bea"));
    CHECK(on_a.size() >= 2);
    // A laptop holding the same scores, imported anew, has other UUIDs: compared without ids.
    auto without_ids = [](nlohmann::json f) {
        for (auto& x : f)
            x.erase("id");
        return f;
    };
    // The same as one laptop that holds every row.
    const auto single = (t / "single.db").string();
    REQUIRE(run_solace({"init", "--db", single, "--user", a.name("ann")},
                       {"SOLACE_NEW_PASSWORD=pw-ann"})
                .exit_code == 0);
    import(a, t, single, "ann", "patients", patients_csv);
    import(a, t, single, "ann", "observations",
           header + scores("P1", 25, 8, 2, "a") + scores("P1", 26, 8, 5, "a") +
               scores("P1", 25, 20, 3, "b") + scores("P1", 27, 8, 9, "b"));
    CHECK(without_ids(on_a) == without_ids(flags(single, "ann")));

    // An acknowledgement made on A is on B after both sync.
    const std::string id = on_a.at(0).at("id");
    const auto ack = run_solace(
        {"ack", id, "--note", "called the GP", "--db", laptop_a, "--user", a.name("ann")},
        a.env("ann"));
    INFO(ack.err);
    REQUIRE(ack.exit_code == 0);
    counts(a.sync(laptop_a, "ann"));
    counts(a.sync(laptop_b, "bea"));
    const auto acked = flags(laptop_b, "bea");
    REQUIRE(acked.size() == on_a.size());
    const auto it = std::find_if(acked.begin(), acked.end(),
                                 [&](const nlohmann::json& f) { return f.at("id") == id; });
    REQUIRE(it != acked.end());
    CHECK(it->at("acknowledged") == true);
    CHECK(acked == flags(laptop_a, "ann"));
    solace::store::Database da(laptop_a, solace::store::Database::Mode::open_existing);
    solace::store::Database db(laptop_b, solace::store::Database::Mode::open_existing);
    for (const auto* table : {"patient", "patient_version", "observation"}) {
        INFO(table);
        CHECK(solace::test::count_rows(da, table) == solace::test::count_rows(db, table));
    }
    CHECK(solace::test::count_rows(da, "observation") == 4);
}

TEST_CASE("Row-level security: a family role sees only its patient and writes only "
          "caregiver-reported scores, as raw SQL",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    import(a, t, laptop_a, "ann", "observations",
           "patient,observed_at,symptom,score,reporter,note\n" + scores("P1", 20, 9, 4, "p1 note") +
               scores("P2", 20, 9, 6, "secret p2 note"));
    import(a, t, laptop_a, "ann", "medications",
           "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
           "P1,dex,Dexamethasone,4 mg,oral,daily,no,appetite,2026-11-01,\n"
           "P1,oxy-ir,Oxycodone IR,5 mg,oral,prn q4h max 6,,pain,2026-11-01,\n");
    counts(a.sync(laptop_a, "ann"));
    a.add("fay", "family", {"--patient", "P1"});
    a.add("bea", "nurse");

    auto fay = a.as("fay");
    const auto seen = fay.exec("SELECT row::text FROM solace.synced_row");
    REQUIRE(seen.rows() > 0);
    for (int i = 0; i < seen.rows(); ++i) {
        CHECK(seen.text(i, 0).find("P2") == std::string::npos);
        CHECK(seen.text(i, 0).find("Bo Two") == std::string::npos);
        CHECK(seen.text(i, 0).find("secret") == std::string::npos);
    }
    // Every table and view the role can reach: none shows P2.
    const auto reachable =
        fay.exec("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                 "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                 "AND has_table_privilege(table_schema || '.' || table_name, 'SELECT')");
    for (int i = 0; i < reachable.rows(); ++i) {
        INFO(reachable.text(i, 0));
        const auto all = fay.exec("SELECT t::text FROM " + reachable.text(i, 0) + " t");
        for (int j = 0; j < all.rows(); ++j)
            CHECK(all.text(j, 0).find("Bo Two") == std::string::npos);
    }
    CHECK_THROWS_AS(fay.exec("SELECT * FROM solace.account"), solace::ServerRefused);
    CHECK_THROWS_AS(fay.exec("SELECT * FROM solace.account_patient"), solace::ServerRefused);

    const auto p1 = fay.exec("SELECT DISTINCT patient::text FROM solace.synced_row").text(0, 0);
    auto score = [&](const std::string& reporter, const std::string& uuid) {
        return fmt::format(R"([{{"uuid":"{}","counter":1,"tbl":"observation","row":{{"uuid":"{}",
            "patient_id":"{}","reporter":"{}","author_id":"{}","item":"pain","value":3,
            "observed_at":1795000000,"recorded_at":1795000000,"note":""}}}}])",
                           uuid, uuid, p1, reporter, a.name("fay"));
    };
    const std::string device = "01890000-0000-7000-8000-000000000001";
    CHECK_THROWS_WITH(fay.exec("SELECT solace.ingest($1, $2, '[]')",
                               {device, score("nurse", "01890000-0000-7000-8000-0000000000aa")}),
                      Catch::Contains("row-level security"));
    CHECK(fay.exec("SELECT solace.ingest($1, $2, '[]')",
                   {device, score("caregiver", "01890000-0000-7000-8000-0000000000ab")})
              .int64(0, 0) == 1);
    // Doses: an as-needed one the caregiver gave, never the scheduled one (the nurse's).
    auto med = [&](const std::string& key) {
        return fay
            .exec("SELECT uuid::text FROM solace.synced_row WHERE tbl = 'medication' AND "
                  "row ->> 'med_key' = $1",
                  {key})
            .text(0, 0);
    };
    auto dose = [&](const std::string& med_uuid, int counter, const std::string& uuid) {
        return fmt::format(
            R"([{{"uuid":"{}","counter":{},"tbl":"administration","row":{{"uuid":"{}",
            "patient_id":"{}","medication_id":"{}","given_at":1795000000,"status":"given",
            "reason":"","recorded_by":"","reporter":"caregiver","author_id":"{}",
            "recorded_at":1795000000,"supersedes":null,"correction_reason":null}}}}])",
            uuid, counter, uuid, p1, med_uuid, a.name("fay"));
    };
    CHECK_THROWS_WITH(
        fay.exec("SELECT solace.ingest($1, $2, '[]')",
                 {device, dose(med("dex"), 2, "01890000-0000-7000-8000-0000000000ac")}),
        Catch::Contains("row-level security"));
    CHECK(fay.exec("SELECT solace.ingest($1, $2, '[]')",
                   {device, dose(med("oxy-ir"), 3, "01890000-0000-7000-8000-0000000000ad")})
              .int64(0, 0) == 1);
    CHECK_THROWS_WITH(fay.exec("INSERT INTO solace.synced_row (uuid, server_seq, device, counter, "
                               "tbl, row) VALUES (gen_random_uuid(), 999999, $1, 2, 'visit', "
                               "jsonb_build_object('patient_id', $2::text, 'author_id', "
                               "session_user))",
                               {device, p1}),
                      Catch::Contains("row-level security"));

    // A nurse reads every patient, and no one changes or deletes a synced row.
    auto bea = a.as("bea");
    CHECK(bea.exec("SELECT DISTINCT patient FROM solace.synced_row").rows() == 2);
    CHECK_THROWS_AS(bea.exec("UPDATE solace.synced_row SET row = '{}'"), solace::ServerRefused);
    CHECK_THROWS_AS(bea.exec("DELETE FROM solace.synced_row"), solace::ServerRefused);
    solace::sync::Server dba(a.url(), "solace_dba", a.dba_password);
    CHECK_THROWS_WITH(dba.exec("DELETE FROM solace.synced_row"), Catch::Contains("never changed"));
    CHECK_THROWS_WITH(dba.exec("UPDATE solace.synced_row SET counter = counter + 1"),
                      Catch::Contains("never changed"));

    // Through Solace, the family laptop holds P1 only.
    const auto laptop_f = a.enroll(t, "fay");
    solace::store::Database f(laptop_f, solace::store::Database::Mode::open_existing);
    CHECK(solace::test::count_rows(f, "patient") == 1);
    CHECK(solace::test::count_rows(f, "observation") == 2); // the nurse's and fay's own
    CHECK(solace::test::count_rows(f, "administration") == 1);
    const auto r = run_solace(
        {"flags", "--db", laptop_f, "--user", a.name("fay"), "--json", "--patient", "P1"},
        a.env("fay"));
    CHECK(r.exit_code == 0);
}

TEST_CASE("An account disabled on the server cannot sign in on a laptop after its next sync",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_b = a.enroll(t, "bea");
    // Ann's laptop, shared: bea enrolled there too.
    const auto laptop_a = a.enroll(t, "ann");
    const auto shared = run_solace(
        {"enroll", "--server", a.url(), "--user", a.name("bea"), "--db", laptop_a}, a.env("bea"));
    INFO(shared.err);
    REQUIRE(shared.exit_code == 0);
    auto signs_in = [&](const std::string& db, const std::string& who) {
        return run_solace({"flags", "--db", db, "--user", a.name(who)}, a.env(who)).exit_code;
    };
    REQUIRE(signs_in(laptop_a, "bea") == 0);
    REQUIRE(run_solace({"server", "user", "disable", a.name("bea"), "--server", a.url(), "--user",
                        a.name("ann")},
                       a.env("ann"))
                .exit_code == 0);
    // The laptops work offline: until they sync, they do not know.
    CHECK(signs_in(laptop_a, "bea") == 0);
    counts(a.sync(laptop_a, "ann"));
    CHECK(signs_in(laptop_a, "bea") == 3);
    CHECK(signs_in(laptop_a, "ann") == 0);
    // Bea's own laptop learns it as the server turns her away.
    const auto r = a.sync(laptop_b, "bea");
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("disabled") != std::string::npos);
    CHECK(signs_in(laptop_b, "bea") == 3);
    // Enabled again: ann's laptop follows at its next sync.
    REQUIRE(run_solace({"server", "user", "enable", a.name("bea"), "--server", a.url(), "--user",
                        a.name("ann")},
                       a.env("ann"))
                .exit_code == 0);
    counts(a.sync(laptop_a, "ann"));
    CHECK(signs_in(laptop_a, "bea") == 0);
}

TEST_CASE("A laptop whose audit log was rewritten after its last sync is refused, naming the "
          "device",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    TempDir t;
    const auto laptop = a.enroll(t, "ann");
    import(a, t, laptop, "ann", "patients", patients_csv);
    counts(a.sync(laptop, "ann"));
    std::string device;
    {
        solace::store::Database db(laptop, solace::store::Database::Mode::open_existing);
        device = db.device_uuid();
        // Behind Solace's back: rewrite the acknowledged entry, and put the guard back as it
        // was (Solace writes to no file whose schema differs from its own).
        behind_solace(db, "audit_log_no_update",
                      "UPDATE audit_log SET hash = zeroblob(32) WHERE id = (SELECT "
                      "audit_acked_id FROM sync_state)");
    }
    const auto r = a.sync(laptop, "ann");
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(device) != std::string::npos);
    CHECK(r.err.find("audit event") != std::string::npos);
}

TEST_CASE("20 laptops pushing and pulling at once: every row once on the server and everywhere",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    TempDir t;
    const auto first = a.enroll(t, "ann");
    import(a, t, first, "ann", "patients", patients_csv);
    counts(a.sync(first, "ann"));
    // Twenty in the other builds; five under AddressSanitizer, where each laptop's sign-ins
    // (Argon2id) cost ten times as much and the suite runs there for memory errors, not scale.
#ifdef __SANITIZE_ADDRESS__
    constexpr int laptops = 5;
#else
    constexpr int laptops = 20;
#endif
    constexpr int rows_each = 200;
    std::vector<std::string> dbs;
    for (int i = 0; i < laptops; ++i) {
        const auto n = fmt::format("nurse{}", i);
        a.add(n, "nurse");
        dbs.push_back(a.enroll(t, n));
        std::string csv = "patient,observed_at,symptom,score,reporter,note\n";
        for (int k = 0; k < rows_each; ++k)
            csv += fmt::format("P{},2026-11-{:02}T{:02}:{:02}:00Z,pain,{},nurse,laptop {}\n",
                               1 + k % 2, 1 + k / 24, k % 24, i, k % 11, i);
        import(a, t, dbs.back(), n, "observations", csv);
    }
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < laptops; ++i)
        threads.emplace_back([&, i] {
            for (int round = 0; round < 2; ++round)
                if (a.sync(dbs[i], fmt::format("nurse{}", i)).exit_code != 0) ++failures;
        });
    for (auto& th : threads)
        th.join();
    CHECK(failures == 0);
    for (int i = 0; i < laptops; ++i)
        counts(a.sync(dbs[i], fmt::format("nurse{}", i)));
    auto bea = a.as("ann");
    CHECK(
        bea.exec("SELECT count(*) FROM solace.synced_row WHERE tbl = 'observation'").int64(0, 0) ==
        laptops * rows_each);
    CHECK(bea.exec("SELECT count(*) = count(DISTINCT server_seq) FROM solace.synced_row")
              .text(0, 0) == "t");
    for (const auto& db_path : dbs) {
        solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
        CHECK(solace::test::count_rows(db, "observation") == laptops * rows_each);
    }
}

TEST_CASE("Rows sent again, or pulled again, change nothing on the server or on the laptop",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    const auto laptop_b = a.enroll(t, "bea");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    import(a, t, laptop_a, "ann", "observations",
           "patient,observed_at,symptom,score,reporter,note\n" + scores("P1", 20, 9, 8, "a") +
               scores("P2", 20, 9, 3, "b"));
    counts(a.sync(laptop_a, "ann"));
    counts(a.sync(laptop_b, "bea"));
    const auto device_a = device_of(laptop_a);
    const auto on_server = a.rows_from(device_a);
    REQUIRE(on_server == own_rows(laptop_a));
    const auto on_b = synced_rows(laptop_b);
    REQUIRE(on_b.at("observation") == 2);

    // As if laptop A had been killed after the server committed its push and before it
    // cleared its outbox: everything goes again, and the server keeps each row once.
    {
        solace::store::Database db(laptop_a, solace::store::Database::Mode::open_existing);
        db.exec("UPDATE sync_state SET last_pushed_counter = 0");
    }
    CHECK(own_rows(laptop_a) == on_server);
    const auto again = counts(a.sync(laptop_a, "ann"));
    CHECK(again["pushed"] == 0);
    CHECK(again["waiting"] == 0);
    CHECK(a.rows_from(device_a) == on_server);

    // Laptop B asks for everything from the start: it already has it all.
    {
        solace::store::Database db(laptop_b, solace::store::Database::Mode::open_existing);
        db.exec("UPDATE sync_state SET last_server_seq = 0");
    }
    CHECK(counts(a.sync(laptop_b, "bea"))["pulled"] == 0);
    CHECK(synced_rows(laptop_b) == on_b);
    CHECK(synced_rows(laptop_a) == on_b);
}

TEST_CASE("A laptop whose audit log was cut short after its last sync is refused, naming the "
          "device and event, and audit verify says so",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    TempDir t, state;
    // The heads Solace keeps beside the database stay on this computer; a copy of the file
    // taken elsewhere has only what the server acknowledged.
    auto env = a.env("ann");
    env.push_back("XDG_STATE_HOME=" + state.path.string());
    const auto laptop = a.enroll(t, "ann");
    import(a, t, laptop, "ann", "patients", patients_csv);
    counts(a.sync(laptop, "ann"));
    REQUIRE(run_solace({"flags", "--db", laptop, "--user", a.name("ann")}, env).exit_code == 0);
    counts(run_solace({"sync", "--db", laptop, "--user", a.name("ann")}, env));
    std::int64_t acked = 0;
    {
        solace::store::Database db(laptop, solace::store::Database::Mode::open_existing);
        solace::store::Statement q(db, "SELECT audit_acked_id FROM sync_state");
        REQUIRE(q.step());
        acked = q.int64(0);
        q.reset();
        REQUIRE(acked > 2);
        // The last two events (sign-ins and reads, no rows) cut from the end.
        behind_solace(db, "audit_log_no_delete",
                      fmt::format("DELETE FROM audit_log WHERE id >= {}", acked - 1));
    }
    std::filesystem::remove_all(state.path / "solace");

    const auto r = run_solace({"sync", "--db", laptop, "--user", a.name("ann")}, env);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(device_of(laptop)) != std::string::npos);
    CHECK(r.err.find(fmt::format("audit event {} the server acknowledged is missing", acked)) !=
          std::string::npos);

    std::filesystem::remove_all(state.path / "solace");
    const auto v = run_solace({"audit", "verify", "--db", laptop, "--user", a.name("ann")}, env);
    CHECK(v.exit_code == 4);
    CHECK(v.out.find(fmt::format("BROKEN at event {}", acked)) != std::string::npos);
    CHECK(v.out.find("agency server acknowledged") != std::string::npos);
}

TEST_CASE("psql as a family account: no table or view it can reach shows another patient",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    TempDir t;
    const auto laptop = a.enroll(t, "ann");
    import(a, t, laptop, "ann", "patients",
           "mrn,name,date_of_birth,time_zone,diagnosis\n"
           "P1,Ada One,1940-01-01,Europe/London,lung\n"
           "MRNSECRET2,Zebedee Hiddenname,1950-02-02,Europe/London,hiddendiagnosis\n");
    import(a, t, laptop, "ann", "observations",
           "patient,observed_at,symptom,score,reporter,note\n" +
               scores("P1", 20, 9, 4, "visible-note") +
               scores("MRNSECRET2", 20, 9, 7, "hidden-note"));
    import(a, t, laptop, "ann", "medications",
           "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
           "MRNSECRET2,hiddenmed,Hiddenmedicine,5 mg,oral,daily,no,pain,2026-11-01,\n");
    import(a, t, laptop, "ann", "administrations",
           "patient,med,given_at,status,reason,recorded_by\n"
           "MRNSECRET2,hiddenmed,2026-11-20T09:00Z,held,hidden-reason,\n");
    counts(a.sync(laptop, "ann"));
    a.add("fay", "family", {"--patient", "P1"});
    const auto hidden_uuid =
        a.dba()
            .exec("SELECT uuid::text FROM solace.synced_row WHERE tbl = 'patient' AND "
                  "row ->> 'mrn' = 'MRNSECRET2'")
            .text(0, 0);

    // Every relation in every schema fay may SELECT from, each row as text, then the
    // functions granted to her.
    const auto script = t / "everything.sql";
    solace::test::write_file(
        script, "SELECT format('SELECT %L AS relation, t::text FROM %s AS t', c.oid::regclass, "
                "c.oid::regclass) FROM pg_class c WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') "
                "AND has_table_privilege(c.oid, 'SELECT') ORDER BY 1 \\gexec\n"
                "SELECT * FROM solace.my_patients();\n"
                "SELECT * FROM solace.directory();\n");
    const auto out = t / "psql.out";
    const auto cmd = fmt::format(
        "PGPASSWORD=pw-fay psql -X -A -t -d 'host={}/sock dbname={} user={}' -f {} > {} 2>&1",
        a.dir, a.db, a.name("fay"), script.string(), out.string());
    REQUIRE(std::system(cmd.c_str()) == 0);
    const auto seen = solace::test::read_file(out);
    INFO(seen.substr(0, 2000));
    // It reads: its own patient's rows are there.
    CHECK(seen.find("solace.synced_row") != std::string::npos);
    CHECK(seen.find("Ada One") != std::string::npos);
    CHECK(seen.find("visible-note") != std::string::npos);
    for (const auto* secret : {"MRNSECRET2", "Zebedee", "Hiddenname", "hiddendiagnosis",
                               "hidden-note", "Hiddenmedicine", "hidden-reason"}) {
        INFO(secret);
        CHECK(seen.find(secret) == std::string::npos);
    }
    CHECK(seen.find(hidden_uuid) == std::string::npos);
    // The accounts table itself is out of reach.
    CHECK(seen.find("pw-") == std::string::npos);
    CHECK(seen.find("SCRAM-SHA-256$") == std::string::npos);
}

TEST_CASE("Doses given on two laptops for one scheduled dose are dose.duplicate on both, and "
          "PRN doses from both count",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    const auto laptop_b = a.enroll(t, "bea");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    import(a, t, laptop_a, "ann", "medications",
           "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
           "P1,dex,Dexamethasone,4 mg,oral,daily,no,appetite,2026-11-01,\n"
           "P1,oxy-ir,Oxycodone IR,5 mg,oral,prn q4h max 6,,pain,2026-11-01,\n");
    counts(a.sync(laptop_a, "ann"));
    counts(a.sync(laptop_b, "bea"));
    // Offline, each nurse gives the 08:00 dose and an as-needed one an hour apart.
    const std::string header = "patient,med,given_at,status,reason,recorded_by\n";
    import(a, t, laptop_a, "ann", "administrations",
           header + "P1,dex,2026-11-20T08:05Z,given,,\nP1,oxy-ir,2026-11-20T10:00Z,given,,\n");
    import(a, t, laptop_b, "bea", "administrations",
           header + "P1,dex,2026-11-20T08:20Z,given,,\nP1,oxy-ir,2026-11-20T11:00Z,given,,\n");
    auto rules = [&](const std::string& db, const std::string& who) {
        const auto r = run_solace({"flags", "--db", db, "--user", a.name(who), "--json", "--from",
                                   "2026-11-20T00:00:00Z", "--to", "2026-11-20T23:00:00Z"},
                                  a.env(who));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        std::multiset<std::string> out;
        for (const auto& f : nlohmann::json::parse(r.out))
            out.insert(f["rule"].get<std::string>() + "@" + f["at"].get<std::string>());
        return out;
    };
    CHECK(rules(laptop_a, "ann").count("dose.duplicate@2026-11-20T08:00:00Z") == 0);
    CHECK(rules(laptop_b, "bea").count("prn.too_soon@2026-11-20T11:00:00Z") == 0);
    counts(a.sync(laptop_a, "ann"));
    counts(a.sync(laptop_b, "bea"));
    counts(a.sync(laptop_a, "ann"));
    const auto on_a = rules(laptop_a, "ann");
    INFO(fmt::format("{}", fmt::join(on_a, ", ")));
    CHECK(on_a == rules(laptop_b, "bea"));
    CHECK(std::any_of(on_a.begin(), on_a.end(),
                      [](const std::string& r) { return r.rfind("dose.duplicate@", 0) == 0; }));
    CHECK(std::any_of(on_a.begin(), on_a.end(),
                      [](const std::string& r) { return r.rfind("prn.too_soon@", 0) == 0; }));
}

TEST_CASE("A 30-day backlog survives the server stopping mid-push and the laptop killed "
          "mid-push: nothing lost, nothing doubled",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop = a.enroll(t, "ann");
    const auto other = a.enroll(t, "bea");
    import(a, t, laptop, "ann", "patients", patients_csv);
    counts(a.sync(laptop, "ann"));
    const auto device = device_of(laptop);
    // 30 days offline: 14,400 scores, three pushes' worth.
    import(a, t, laptop, "ann", "observations",
           backlog(date::sys_days{date::year{2026} / 10 / 1}, 30));
    const auto before = a.rows_from(device);

    SECTION("The server stops at once in the middle of the push") {
        solace::test::CommandResult first;
        std::thread push([&] { first = a.sync(laptop, "ann"); });
        const bool mid = wait_until([&] { return a.rows_from(device) > before; });
        a.server_ctl("stop -m immediate");
        push.join();
        a.server_ctl("start");
        if (mid && first.exit_code == 0)
            WARN("the push finished before the server stopped");
        else
            CHECK(first.exit_code == 6);
    }
    SECTION("The laptop is killed in the middle of the push") {
        const pid_t pid =
            start_solace({"sync", "--db", laptop, "--user", a.name("ann")}, a.env("ann"));
        wait_until([&] { return a.rows_from(device) > before; });
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status)) WARN("the push finished before the laptop was killed");
    }
    const auto retry = counts(a.sync(laptop, "ann"));
    CHECK(retry["waiting"] == 0);
    CHECK(a.rows_from(device) == own_rows(laptop));
    CHECK(counts(a.sync(other, "bea"))["pulled"].get<int>() >= 14400);
    CHECK(synced_rows(other) == synced_rows(laptop));
}

TEST_CASE("Server numbers follow commit order: a push that commits late is never skipped by a "
          "pull made meanwhile",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop = a.enroll(t, "ann");
    import(a, t, laptop, "ann", "patients", patients_csv);
    counts(a.sync(laptop, "ann"));
    auto reader = a.as("bea");
    const auto p1 = reader
                        .exec("SELECT uuid::text FROM solace.synced_row WHERE tbl = 'patient' "
                              "AND row ->> 'mrn' = 'P1'")
                        .text(0, 0);
    auto score = [&](const std::string& who, const std::string& uuid) {
        return fmt::format(R"([{{"uuid":"{}","counter":1,"tbl":"observation","row":{{"uuid":"{}",
            "patient_id":"{}","reporter":"nurse","author_id":"{}","item":"pain","value":3,
            "observed_at":1795000000,"recorded_at":1795000000,"note":""}}}}])",
                           uuid, uuid, p1, a.name(who));
    };
    auto after = [&](std::int64_t seq) {
        const auto r = reader.exec(
            "SELECT uuid::text FROM solace.synced_row WHERE server_seq > $1 ORDER BY server_seq",
            {std::to_string(seq)});
        std::vector<std::string> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back(r.text(i, 0));
        return out;
    };
    const auto last = reader.exec("SELECT max(server_seq) FROM solace.synced_row").int64(0, 0);
    const std::string early = "01890000-0000-7000-8000-0000000000e1";
    const std::string late = "01890000-0000-7000-8000-0000000000e2";

    // Ann's push takes its numbers and has not committed; bea's push comes meanwhile.
    auto ann = a.as("ann");
    ann.exec("BEGIN");
    ann.exec("SELECT solace.ingest($1, $2, '[]')",
             {"01890000-0000-7000-8000-0000000000d1", score("ann", early)});
    std::atomic<bool> bea_done{false};
    std::thread bea([&] {
        auto s = a.as("bea");
        s.exec("SELECT solace.ingest($1, $2, '[]')",
               {"01890000-0000-7000-8000-0000000000d2", score("bea", late)});
        bea_done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // Bea's push waits for ann's: a reader now sees neither, so it cannot move past ann's.
    CHECK_FALSE(bea_done);
    CHECK(after(last).empty());
    ann.exec("COMMIT");
    bea.join();
    CHECK(after(last) == std::vector<std::string>{early, late});
}

TEST_CASE("server init run again after Solace is updated brings an older server up to date and "
          "keeps its admin",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    // A server made by the release before solace.devices() (server migration 2).
    {
        solace::sync::Server dba(a.url(), "solace_dba", a.dba_password);
        dba.exec("DROP FUNCTION solace.devices()");
        dba.exec("DELETE FROM solace.migration WHERE version = 2");
    }
    const auto r =
        run_solace({"server", "init", "--server", a.dba_url(), "--user", a.name("ann")},
                   {"SOLACE_NEW_PASSWORD=another-password", "PGPASSWORD=" + a.dba_password});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("up to date"));
    solace::sync::Server dba(a.url(), "solace_dba", a.dba_password);
    CHECK(dba.exec("SELECT 1 FROM solace.migration WHERE version = 2").rows() == 1);
    // The admin's password is the one it had: ann still enrolls a laptop with it.
    TempDir t;
    const auto laptop = a.enroll(t, "ann");
    const auto sync = a.sync(laptop, "ann");
    CHECK(sync.exit_code == 0);
}

TEST_CASE("A sync with nothing new from others moves the laptop's place past its own pushed "
          "rows, and a row another laptop pushes next is still pulled",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    const auto laptop_b = a.enroll(t, "bea");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    counts(a.sync(laptop_a, "ann"));
    auto place = [](const std::string& laptop) {
        solace::store::Database db(laptop, solace::store::Database::Mode::open_existing);
        return solace::sync::sync_link(db)->last_server_seq;
    };
    auto newest = [&] {
        return a.as("bea").exec("SELECT max(server_seq) FROM solace.synced_row").int64(0, 0);
    };
    // Its own rows were never pulled back, and the next pull starts after them.
    CHECK(place(laptop_a) == newest());
    CHECK(synced_rows(laptop_b).at("patient") == 0);
    CHECK(counts(a.sync(laptop_b, "bea"))["pulled"].get<int>() >= 4);
    CHECK(place(laptop_b) == newest());

    import(a, t, laptop_b, "bea", "observations",
           "patient,observed_at,symptom,score,reporter,note\n" + scores("P2", 20, 9, 6, "bea's"));
    counts(a.sync(laptop_b, "bea"));
    CHECK(counts(a.sync(laptop_a, "ann"))["pulled"].get<int>() >= 1);
    CHECK(synced_rows(laptop_a).at("observation") == 1);
    CHECK(place(laptop_a) == newest());
}
