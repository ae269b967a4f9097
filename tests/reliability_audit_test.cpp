// Tamper-evident audit log (issue 6 item 6): every row carries a SHA-256 link to the row before,
// written with the row; `solace audit verify` names the first row an attacker changed, removed or
// slipped in, even one who drops the append-only triggers with a raw SQLite connection.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/audit.hpp"
#include "domain/error.hpp"
#include "reliability_support.hpp"
#include "store/audit_repository.hpp"
#include "store/migrations.hpp"

using namespace solace;
using namespace solace::reliability;
using solace::store::Database;
using solace::test::run_solace;

namespace {

// A sign-in, visits and a dose: audit events of several kinds, about P1 and about no patient.
void busy_day(Clinic& c) {
    app::Session::login(*c.db, "ann", admin_password);
    for (int i = 0; i < 4; ++i)
        test::record_visit(*c.ann, core_visit("P1", at_utc(2026, 3, 2 + i, 10), 3 + i));
    test::record_dose(*c.ann, {"P1", "oxy-ir", at_utc(2026, 3, 4, 11), DoseStatus::given, "", ""});
}

// Drops the append-only triggers, runs `sql` and puts the triggers back as they were, as
// someone with the file and sqlite3 would (a guard left out is reported on open).
void tamper(const std::filesystem::path& path, const std::string& sql) {
    RawDb raw(path);
    const auto guards = raw.text("SELECT sql FROM sqlite_schema WHERE name IN "
                                 "('audit_log_no_update', 'audit_log_no_delete')");
    REQUIRE(raw.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;") ==
            SQLITE_OK);
    REQUIRE(raw.exec(sql) == SQLITE_OK);
    REQUIRE(raw.exec(guards) == SQLITE_OK);
}

store::AuditVerification verify(const std::filesystem::path& path) {
    Database db(path, Database::Mode::open_existing);
    return store::AuditRepository(db).verify();
}

} // namespace

TEST_CASE("Every audit event is chained to the one before it and the chain verifies",
          "[reliability][audit]") {
    Clinic c;
    busy_day(c);
    store::AuditRepository audit(*c.db);
    const auto v = audit.verify();
    CHECK(v.ok());
    CHECK(v.rows >= 8);
    RawDb raw(c.path);
    CHECK(raw.scalar("SELECT count(*) FROM audit_log WHERE length(hash) = 32") == v.rows);
    // Ids run 1, 2, 3 ... so a removed row leaves a gap.
    CHECK(raw.scalar("SELECT max(id) - min(id) + 1 FROM audit_log") == v.rows);
    CHECK(raw.scalar("SELECT count(DISTINCT hash) FROM audit_log") == v.rows);
}

TEST_CASE("The append-only triggers refuse changing or deleting an audit row",
          "[reliability][audit]") {
    Clinic c;
    busy_day(c);
    CHECK_THROWS_AS(c.db->exec("UPDATE audit_log SET detail = 'nothing happened' WHERE id = 2"),
                    ValidationError);
    CHECK_THROWS_AS(c.db->exec("DELETE FROM audit_log WHERE id = 2"), ValidationError);
    c.close();
    RawDb raw(c.path);
    CHECK(raw.exec("UPDATE audit_log SET detail = 'x' WHERE id = 2") == SQLITE_CONSTRAINT);
    CHECK(raw.exec("DELETE FROM audit_log") == SQLITE_CONSTRAINT);
    CHECK(verify(c.path).ok());
}

TEST_CASE("Verify names the first audit row an attacker altered with the triggers dropped",
          "[reliability][audit]") {
    Clinic c;
    busy_day(c);
    const auto rows = store::AuditRepository(*c.db).verify().rows;
    REQUIRE(rows >= 8);
    c.close();

    SECTION("a changed detail") {
        tamper(c.path, "UPDATE audit_log SET detail = 'visit with 0 scores' WHERE id = 5");
        const auto v = verify(c.path);
        REQUIRE_FALSE(v.ok());
        CHECK(*v.first_broken == 5);
        CHECK_THAT(v.problem, Catch::Contains("audit row 5"));
    }
    SECTION("a changed account and time") {
        tamper(c.path, "UPDATE audit_log SET account = 'bob', at = at + 3600 WHERE id = 3");
        CHECK(verify(c.path).first_broken == 3);
    }
    SECTION("a changed row whose own hash was recomputed breaks the next link") {
        // The attacker knows the formula and rewrites row 4's hash; row 5 still names the old.
        Database db(c.path, Database::Mode::open_existing);
        // An event that vouches for no rows, so the formula of solace_audit_hash is all it has.
        store::Statement pick(db, "SELECT min(id) FROM audit_log WHERE id >= 4 AND row_table IS "
                                  "NULL AND id < (SELECT max(id) FROM audit_log)");
        REQUIRE(pick.step());
        const auto target = pick.int64(0);
        const std::string fields = "id, at, account, action, patient_id, detail";
        db.exec("DROP TRIGGER audit_log_no_update");
        db.exec(fmt::format("UPDATE audit_log SET detail = 'nothing' WHERE id = {}", target));
        // solace_audit_hash is a direct-only function: a top-level UPDATE may use it.
        db.exec(fmt::format("UPDATE audit_log SET hash = solace_audit_hash((SELECT hash FROM "
                            "audit_log WHERE id = {}), {}) WHERE id = {}",
                            target - 1, fields, target));
        const auto v = store::AuditRepository(db).verify();
        REQUIRE_FALSE(v.ok());
        CHECK(*v.first_broken == target + 1);
    }
    SECTION("a removed row") {
        tamper(c.path, "DELETE FROM audit_log WHERE id = 6");
        const auto v = verify(c.path);
        CHECK(v.first_broken == 7);
        CHECK_THAT(v.problem, Catch::Contains("removed"));
    }
    SECTION("a row slipped in without a hash") {
        tamper(c.path, "INSERT INTO audit_log (at, account, action, detail) VALUES "
                       "(1767225600, 'ann', 'export', 'nothing to see')");
        const auto v = verify(c.path);
        CHECK(v.first_broken == rows + 1);
        CHECK_THAT(v.problem, Catch::Contains("outside Solace"));
    }
    SECTION("a hash wiped to NULL") {
        tamper(c.path, "UPDATE audit_log SET hash = NULL WHERE id = 2");
        CHECK(verify(c.path).first_broken == 2);
    }
}

TEST_CASE("Appending after a good chain keeps it whole across connections",
          "[reliability][audit]") {
    Clinic c;
    busy_day(c);
    c.close();
    {
        Database db(c.path, Database::Mode::open_existing);
        auto s = app::Session::login(db, "ann", admin_password);
        test::record_visit(s, core_visit("P1", at_utc(2026, 3, 9, 9), 2));
    }
    CHECK(verify(c.path).ok());
}

TEST_CASE("Migrating to schema 2 seals the audit rows written before it", "[reliability][audit]") {
    test::TempDir dir;
    const auto path = dir / "old.db";
    const auto shipped = store::shipped_migrations();
    REQUIRE(shipped.size() >= 2);
    {
        Database v1(path, Database::Mode::create_new, shipped.subspan(0, 1));
        REQUIRE(v1.schema_version() == 1);
        v1.exec("INSERT INTO audit_log (at, account, action, detail) VALUES "
                "(1767225600, 'ann', 'login', ''), (1767225660, 'ann', 'visit.add', 'visit 1'), "
                "(1767225720, 'bob', 'login_failed', 'wrong password')");
    }
    Database db(path, Database::Mode::open_existing);
    CHECK(db.schema_version() == shipped.back().version);
    const auto v = store::AuditRepository(db).verify();
    CHECK(v.ok());
    CHECK(v.rows == 3);
    store::AuditRepository(db).append({0, at_utc(2026, 1, 2), "ann", "login", std::nullopt, ""});
    CHECK(store::AuditRepository(db).verify().rows == 4);
    CHECK(store::AuditRepository(db).verify().ok());
}

TEST_CASE("Only an admin reads or verifies the audit log", "[reliability][audit]") {
    Clinic c;
    busy_day(c);
    const auto p1 = c.ann->patient("P1").id;
    app::Session nurse(*c.db, add_account(*c.db, "bea", Role::nurse, false));
    app::Session family(*c.db, add_account(*c.db, "rosa", Role::family, false, {p1}));
    CHECK_THROWS_AS(app::audit_entries(nurse, {}), PermissionError);
    CHECK_THROWS_AS(app::audit_entries(family, {}), PermissionError);
    CHECK_THROWS_AS(app::verify_audit(family), PermissionError);
    const auto all = app::audit_entries(*c.ann, {});
    REQUIRE_FALSE(all.empty());
    app::AuditFilter only_p1;
    only_p1.mrn = "P1";
    const auto mine = app::audit_entries(*c.ann, only_p1);
    REQUIRE_FALSE(mine.empty());
    for (const auto& e : mine)
        CHECK(e.patient == "P1");
    CHECK(mine.size() < all.size());
}

TEST_CASE("solace audit verify exits 0 on an intact log and names the broken link otherwise",
          "[reliability][audit][cli]") {
    Clinic c;
    busy_day(c);
    const auto p1 = c.ann->patient("P1").id;
    add_account(*c.db, "rosa", Role::family, false, {p1});
    c.close();
    const std::string db = c.path.string();
    const std::vector<std::string> env{std::string("SOLACE_PASSWORD=") + admin_password};

    auto ok = run_solace({"audit", "verify", "--db", db, "--user", "ann"}, env);
    CHECK(ok.exit_code == 0);
    CHECK_THAT(ok.out, Catch::Contains("intact"));

    auto list = run_solace(
        {"audit", "list", "--json", "--patient", "P1", "--db", db, "--user", "ann"}, env);
    REQUIRE(list.exit_code == 0);
    const auto events = nlohmann::json::parse(list.out);
    REQUIRE(events.is_array());
    REQUIRE(events.size() >= 5);
    for (const auto& e : events) {
        CHECK(e["patient"] == "P1");
        CHECK(e.contains("at"));
        CHECK(e.contains("action"));
    }
    auto text =
        run_solace({"audit", "list", "--from", "2000-01-01", "--db", db, "--user", "ann"}, env);
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("visit.add"));

    auto family = run_solace({"audit", "list", "--db", db, "--user", "rosa"}, env);
    CHECK(family.exit_code == 3);
    CHECK_THAT(family.err, Catch::Contains("admin"));
    CHECK(family.out.empty());

    tamper(c.path, "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 4");
    auto broken = run_solace({"audit", "verify", "--db", db, "--user", "ann"}, env);
    CHECK(broken.exit_code != 0);
    CHECK(broken.exit_code < 128);
    CHECK_THAT(broken.out, Catch::Contains("event 4"));
    CHECK_THAT(broken.err, Catch::Contains("event 4"));
}
