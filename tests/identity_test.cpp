// Schema 6 (DESIGN §4, §7): every row that can leave the laptop has a UUID, the device that
// wrote it and that device's gapless counter; accounts and patients are append-only versions;
// and the audit log vouches for every row by its hash, so an edit made behind Solace's back
// breaks the chain.
#include <catch2/catch.hpp>

#include <set>

#include "app/clinic.hpp"
#include "domain/error.hpp"
#include "reliability_support.hpp"
#include "store/audit_repository.hpp"
#include "store/identity.hpp"
#include "store/migrations.hpp"
#include "store/patient_repository.hpp"

using namespace solace;
using namespace solace::reliability;
using solace::store::Database;

namespace {

const char* const identity_tables[] = {"account",        "account_version",     "account_patient",
                                       "patient",        "patient_version",     "visit",
                                       "observation",    "comfort_goal",        "medication",
                                       "administration", "flag_acknowledgement"};

// Every stamped row's counter, across all tables, sorted.
std::vector<std::int64_t> counters(const RawDb& raw) {
    std::vector<std::int64_t> out;
    for (const auto* t : identity_tables) {
        const auto n = raw.scalar(std::string("SELECT count(*) FROM ") + t);
        for (std::int64_t i = 0; i < n; ++i)
            out.push_back(raw.scalar(std::string("SELECT counter FROM ") + t +
                                     " ORDER BY counter LIMIT 1 OFFSET " + std::to_string(i)));
    }
    std::sort(out.begin(), out.end());
    return out;
}

void check_gapless(const RawDb& raw) {
    const auto c = counters(raw);
    REQUIRE_FALSE(c.empty());
    for (std::size_t i = 0; i < c.size(); ++i)
        REQUIRE(c[i] == static_cast<std::int64_t>(i + 1));
    CHECK(raw.scalar("SELECT next_counter FROM local_device") ==
          static_cast<std::int64_t>(c.size() + 1));
}

store::AuditVerification verify(const std::filesystem::path& path) {
    Database db(path, Database::Mode::open_existing);
    return store::AuditRepository(db).verify();
}

} // namespace

TEST_CASE("A new UUID is a lower-case UUIDv7 and later ones sort later", "[identity]") {
    const auto a = store::new_uuid();
    CHECK(store::is_uuid(a));
    CHECK(a[14] == '7');
    std::set<std::string> seen;
    std::string previous;
    for (int i = 0; i < 1000; ++i) {
        const auto u = store::new_uuid();
        CHECK(seen.insert(u).second);
        CHECK(u.substr(0, 8) >= previous.substr(0, std::min<std::size_t>(8, previous.size())));
        previous = u;
    }
    CHECK_FALSE(store::is_uuid("not-a-uuid"));
    CHECK_FALSE(store::is_uuid("0190f3c2-7a1b-7c3d-8e4f-50617283940g"));
    CHECK(store::is_uuid("0190F3C2-7A1B-7C3D-8E4F-506172839405"));
}

TEST_CASE("Rows written through Solace carry a UUID, this device and counters with no gap",
          "[identity]") {
    Clinic c;
    test::record_visit(*c.ann, core_visit("P1", at_utc(2026, 3, 2, 10), 4, "settled"));
    test::record_dose(*c.ann, {"P1", "oxy-ir", at_utc(2026, 3, 2, 11), DoseStatus::given, "", ""});
    {
        // A transaction that is rolled back uses no counter.
        store::Transaction tx(*c.db);
        (void)c.db->next_identity();
        (void)c.db->next_identity();
    }
    app::set_comfort_goal(*c.ann, "P1", Symptom::pain, 3, at_utc(2026, 3, 2, 12));
    const auto device = c.db->device_uuid();
    c.close();
    RawDb raw(c.path);
    for (const auto* t : identity_tables) {
        INFO(t);
        CHECK(raw.scalar(std::string("SELECT count(*) FROM ") + t + " WHERE uuid IS NULL") == 0);
        CHECK(raw.scalar(std::string("SELECT count(*) FROM ") + t + " WHERE device <> '" + device +
                         "'") == 0);
    }
    CHECK(raw.scalar("SELECT count(*) FROM observation") == 5);
    check_gapless(raw);
    CHECK(verify(c.path).ok());
}

TEST_CASE("A database made by the previous release upgrades in place", "[identity]") {
    test::TempDir dir;
    const auto path = dir / "old.db";
    const auto all = store::shipped_migrations();
    REQUIRE(all.size() >= 6);
    {
        Database old(path, Database::Mode::create_new, all.first(5));
        REQUIRE(old.schema_version() == 5);
        old.exec("INSERT INTO account (id, name, role, is_admin, password_hash, created_at) VALUES "
                 "(1, 'ann', 'nurse', 1, '" +
                 cached_hash(admin_password) +
                 "', 0), (2, 'maria', 'family', 0, '$argon2id$x', 0);"
                 "INSERT INTO patient (id, mrn, name, date_of_birth, time_zone, created_at, "
                 "author_id) VALUES (1, 'P1', 'Ada Lovelace', '1944-06-02', 'Europe/London', 0, 1);"
                 "INSERT INTO account_patient VALUES (2, 1);"
                 "INSERT INTO visit (id, patient_id, at, note, author_id, recorded_at) VALUES "
                 "(1, 1, 1772445600, 'slept well', 1, 1772445600);"
                 "INSERT INTO observation (patient_id, visit_id, item, value, reporter, "
                 "observed_at, author_id, recorded_at) VALUES "
                 "(1, 1, 'pain', 6, 'patient', 1772445600, 1, 1772445600),"
                 "(1, 1, 'nausea', 2, 'patient', 1772445600, 1, 1772445600);"
                 "INSERT INTO medication (id, patient_id, med_key, name, schedule, time_critical, "
                 "start_at, author_id, recorded_at) VALUES "
                 "(1, 1, 'oxy-ir', 'Oxycodone IR', 'prn q1h max 6', 0, 0, 1, 0);"
                 "INSERT INTO administration (patient_id, medication_id, given_at, status, "
                 "reporter, author_id, recorded_at) VALUES (1, 1, 1772449200, 'given', 'nurse', 1, "
                 "1772449200);"
                 "INSERT INTO comfort_goal (patient_id, symptom, goal, set_at, author_id) VALUES "
                 "(1, 'pain', 3, 0, 1);"
                 "INSERT INTO flag_acknowledgement VALUES ('symptom.severe/P1/s1', 1, 5, 1, 'ok');"
                 "UPDATE account SET failed_logins = 3 WHERE id = 1;");
    }
    {
        Database db(path, Database::Mode::open_existing);
        CHECK(db.schema_version() == all.back().version);
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        REQUIRE(p);
        CHECK(p->name == "Ada Lovelace");
        CHECK(p->time_zone == "Europe/London");
        CHECK(store::is_uuid(p->uuid));
        const auto ann = store::AccountRepository(db).find("ann");
        REQUIRE(ann);
        CHECK(ann->is_admin);
        const auto maria = store::AccountRepository(db).find("maria");
        REQUIRE(maria);
        CHECK(maria->role == Role::family);
        CHECK(maria->patient_ids == std::vector<std::int64_t>{1});
        // The account still signs in, and the old wrong-password count is not carried over.
        CHECK_NOTHROW(app::Session::login(db, "ann", admin_password));
    }
    RawDb raw(path);
    for (const auto* t : identity_tables) {
        INFO(t);
        CHECK(raw.scalar(std::string("SELECT count(*) FROM ") + t + " WHERE uuid IS NULL") == 0);
        CHECK(raw.scalar(std::string("SELECT count(DISTINCT uuid) = count(*) FROM ") + t) == 1);
    }
    CHECK(raw.scalar("SELECT count(*) FROM account_version") == 2);
    CHECK(raw.scalar("SELECT count(*) FROM patient_version") == 1);
    CHECK(raw.scalar("SELECT count(*) FROM flag_acknowledgement") == 1);
    CHECK(raw.scalar("SELECT recorded_at FROM comfort_goal") == 0);
    check_gapless(raw);
    CHECK(verify(path).ok());
}

TEST_CASE("Disabling an account and discharging a patient add versions and keep the old ones",
          "[identity]") {
    Clinic c;
    add_account(*c.db, "ben", Role::nurse, false);
    app::set_account_disabled(*c.ann, "ben", true);
    auto ben = store::AccountRepository(*c.db).find("ben");
    REQUIRE(ben);
    CHECK(ben->disabled);
    CHECK_THROWS_AS(app::Session::login(*c.db, "ben", admin_password), PermissionError);
    app::set_account_disabled(*c.ann, "ben", false);
    CHECK_FALSE(store::AccountRepository(*c.db).find("ben")->disabled);

    store::PatientRepository patients(*c.db);
    auto p = *patients.find_by_mrn("P1");
    p.discharged_at = at_utc(2026, 3, 9, 4);
    p.discharge_reason = "died";
    {
        store::Transaction tx(*c.db);
        patients.add_version(p, c.ann->account().id, now_utc(), "died at home, peacefully");
        c.ann->audit("patient.discharge", p.id, "died");
        tx.commit();
    }
    const auto now = *patients.find_by_mrn("P1");
    CHECK(now.discharge_reason == "died");
    CHECK(now.discharged_at == at_utc(2026, 3, 9, 4));
    c.close();
    RawDb raw(c.path);
    CHECK(raw.scalar("SELECT count(*) FROM account_version WHERE account_id = "
                     "(SELECT id FROM account WHERE name = 'ben')") == 3);
    CHECK(raw.scalar("SELECT count(*) FROM patient_version") == 2);
    CHECK(raw.exec("UPDATE account_version SET disabled = 0") != SQLITE_OK);
    CHECK(raw.exec("DELETE FROM patient_version") != SQLITE_OK);
    CHECK(raw.exec("UPDATE account SET name = 'eve' WHERE name = 'ben'") != SQLITE_OK);
    CHECK(verify(c.path).ok());
}

TEST_CASE("An edit of a row behind Solace's back is found by audit verify", "[identity][audit]") {
    Clinic c;
    test::record_visit(*c.ann, core_visit("P1", at_utc(2026, 3, 2, 10), 8));
    add_account(*c.db, "maria", Role::family, false, {1}, "maria-password");
    test::record_dose(*c.ann, {"P1", "oxy-ir", at_utc(2026, 3, 2, 11), DoseStatus::given, "", ""});
    c.close();
    REQUIRE(verify(c.path).ok());

    SECTION("a score rewritten with the triggers dropped") {
        RawDb raw(c.path);
        REQUIRE(raw.exec("DROP TRIGGER observation_no_update;"
                         "UPDATE observation SET value = 2 WHERE item = 'pain'") == SQLITE_OK);
        const auto v = verify(c.path);
        CHECK_FALSE(v.ok());
        CHECK_THAT(v.problem, Catch::Contains("observation"));
    }
    SECTION("a family account made an admin nurse") {
        RawDb raw(c.path);
        REQUIRE(raw.exec("DROP TRIGGER account_version_no_update;"
                         "UPDATE account_version SET role = 'nurse' WHERE account_id = "
                         "(SELECT id FROM account WHERE name = 'maria')") == SQLITE_OK);
        const auto v = verify(c.path);
        CHECK_FALSE(v.ok());
        CHECK_THAT(v.problem, Catch::Contains("account_version"));
    }
    SECTION("a dose slipped in with another client") {
        RawDb raw(c.path);
        REQUIRE(raw.exec("INSERT INTO administration (patient_id, medication_id, given_at, status, "
                         "reporter, author_id, recorded_at, uuid, device, counter) SELECT "
                         "patient_id, medication_id, given_at + 60, 'given', 'nurse', author_id, "
                         "recorded_at, '0190f3c2-7a1b-7c3d-8e4f-506172839405', device, 999 FROM "
                         "administration LIMIT 1") == SQLITE_OK);
        const auto v = verify(c.path);
        CHECK_FALSE(v.ok());
        CHECK_THAT(v.problem, Catch::Contains("administration") && Catch::Contains("outside"));
    }
    SECTION("a dose refused replaced by one held, as INSERT OR REPLACE would") {
        RawDb raw(c.path);
        // Refused by the guard (schema 7); with the guard dropped it is found.
        const std::string replace =
            "PRAGMA recursive_triggers = OFF; INSERT OR REPLACE INTO administration "
            "(id, patient_id, medication_id, given_at, status, reason, reporter, "
            "author_id, recorded_at, uuid, device, counter) SELECT id, patient_id, "
            "medication_id, given_at, 'held', 'asleep', reporter, author_id, "
            "recorded_at, uuid, device, counter FROM administration LIMIT 1";
        CHECK(raw.exec(replace) == SQLITE_CONSTRAINT);
        REQUIRE(verify(c.path).ok());
        REQUIRE(raw.exec("DROP TRIGGER administration_no_replace;" + replace) == SQLITE_OK);
        CHECK_FALSE(verify(c.path).ok());
    }
}
