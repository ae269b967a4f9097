// Correcting and voiding doses (DESIGN §5 `dose correct`): amend, never delete. The rules see
// the corrected record only; the original stays, and the change is listed with its reason.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "app/doses.hpp"
#include "app/session.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"
#include "store/medication_repository.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;
using solace::store::Database;
using solace::test::utc;

namespace {

constexpr const char* password = "ann-password";

// Nurse ann, family rosa, patient P1 in London with senna daily at 08:00 (120 minutes either
// side) and oxycodone as needed.
struct Clinic {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    Database db{path, Database::Mode::create_new};
    app::Session nurse = account("ann", Role::nurse, {});
    std::optional<app::Session> family;
    const Instant now = utc(2026, 7, 2, 20);

    Clinic() {
        Patient p;
        p.mrn = "P1";
        p.name = "Margaret Okafor";
        p.date_of_birth = date::year{1944} / 5 / 17;
        p.time_zone = "Europe/London";
        const auto id = app::add_patient(nurse, p);
        Medication m;
        m.key = "senna";
        m.name = "Senna";
        m.schedule_text = "daily";
        m.start = utc(2026, 1, 1);
        app::add_medication(nurse, "P1", m);
        family.emplace(account("rosa", Role::family, {id}));
    }

    app::Session account(const std::string& name, Role role, std::vector<std::int64_t> patients) {
        store::AccountRepository accounts(db);
        accounts.add({0, name, role, role == Role::nurse, false,
                      solace::test::password_hash(password), std::move(patients)},
                     0);
        return app::Session(db, *accounts.find(name));
    }

    // Records senna given at `at` and returns its uuid.
    std::string give(Instant at) {
        app::DoseEntry d{"P1", "senna", at, DoseStatus::given, "", ""};
        d.uuid = store::new_uuid();
        app::record_dose(nurse, d, now);
        return d.uuid;
    }

    std::vector<std::string> dose_rules(Instant from, Instant to) {
        std::vector<std::string> out;
        for (const auto& f : app::patient_flags(nurse, nurse.patient("P1"), from, to))
            if (f.rule.rfind("dose.", 0) == 0) out.push_back(f.rule);
        return out;
    }

    std::int64_t rows(const std::string& table) {
        store::Statement s(db, "SELECT count(*) FROM " + table);
        REQUIRE(s.step());
        return s.int64(0);
    }
};

} // namespace

TEST_CASE("A dose recorded at the wrong time is corrected, and the late flag goes",
          "[dose-correct]") {
    Clinic c;
    // Due 08:00 BST, 06:00 to 10:00; recorded as given at 12:00 BST: late.
    const auto late_id = c.give(utc(2026, 7, 1, 11));
    CHECK(c.dose_rules(utc(2026, 6, 30, 23), utc(2026, 7, 1, 19)) ==
          std::vector<std::string>{"dose.late"});
    const auto fixed = app::correct_dose(
        c.nurse, {late_id, "given at 08:00, typed 12:00", {}, false, utc(2026, 7, 1, 7)}, c.now);
    CHECK(store::is_uuid(fixed));
    CHECK(c.dose_rules(utc(2026, 6, 30, 23), utc(2026, 7, 1, 19)).empty());
    CHECK(c.rows("administration") == 2); // the original stays

    const auto changes = store::MedicationRepository(c.db).dose_changes(
        c.nurse.patient("P1").id, utc(2026, 6, 30), utc(2026, 7, 3));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].med_key == "senna");
    CHECK(changes[0].was_given_at == utc(2026, 7, 1, 11));
    CHECK(changes[0].now_given_at == utc(2026, 7, 1, 7));
    CHECK(changes[0].reason == "given at 08:00, typed 12:00");
    CHECK(changes[0].author == "ann");

    SECTION("the replaced record cannot be corrected again; its correction can") {
        CHECK_THROWS_WITH(app::correct_dose(c.nurse, {late_id, "again", DoseStatus::held}, c.now),
                          Catch::Contains("already corrected"));
        CHECK_NOTHROW(app::correct_dose(
            c.nurse, {fixed, "was held: asleep", DoseStatus::held, false, {}}, c.now));
    }
}

TEST_CASE("A dose entered in error counts for nothing, and stays on file", "[dose-correct]") {
    Clinic c;
    const auto id = c.give(utc(2026, 7, 2, 7)); // 08:00 BST, on time
    const auto from = utc(2026, 7, 1, 23);
    const auto to = utc(2026, 7, 2, 19);
    CHECK(c.dose_rules(from, to).empty());
    app::correct_dose(c.nurse, {id, "wrong patient's chart", {}, true, {}}, c.now);
    CHECK(c.dose_rules(from, to) == std::vector<std::string>{"dose.missed"});
    CHECK(c.rows("administration") == 1);
    CHECK(c.rows("administration_void") == 1);
    CHECK_THROWS_WITH(app::correct_dose(c.nurse, {id, "again", {}, true, {}}, c.now),
                      Catch::Contains("already marked entered in error"));
    const auto changes = store::MedicationRepository(c.db).dose_changes(
        c.nurse.patient("P1").id, utc(2026, 7, 1), utc(2026, 7, 3));
    REQUIRE(changes.size() == 1);
    CHECK_FALSE(changes[0].now_given_at);
    CHECK(changes[0].reason == "wrong patient's chart");
    // A void is a clinical row: never changed, never deleted.
    CHECK_THROWS(store::Statement(c.db, "DELETE FROM administration_void").run());
}

TEST_CASE("A correction needs a reason, something to change, a nurse and a known id",
          "[dose-correct]") {
    Clinic c;
    const auto id = c.give(utc(2026, 7, 2, 7));
    CHECK_THROWS_WITH(app::correct_dose(c.nurse, {id, "  ", DoseStatus::held}, c.now),
                      Catch::Contains("needs a reason"));
    CHECK_THROWS_WITH(app::correct_dose(c.nurse, {id, "why"}, c.now),
                      Catch::Contains("Say what to correct"));
    CHECK_THROWS_WITH(app::correct_dose(c.nurse, {id, "why", DoseStatus::held, true}, c.now),
                      Catch::Contains("only marked so"));
    CHECK_THROWS_AS(app::correct_dose(*c.family, {id, "why", DoseStatus::held}, c.now),
                    PermissionError);
    CHECK_THROWS_WITH(app::correct_dose(c.nurse, {"not-a-uuid", "why", DoseStatus::held}, c.now),
                      Catch::Contains("There is no dose with id not-a-uuid"));
    CHECK_THROWS_WITH(app::correct_dose(c.nurse, {id, "why", {}, false, c.now - 80h}, c.now),
                      Catch::Contains("more than 72 hours ago"));
    CHECK(c.rows("administration") == 1);
    CHECK(c.rows("administration_void") == 0);
}

TEST_CASE("dose correct on the command line", "[dose-correct]") {
    test::TempDir dir;
    const auto path = dir / "solace.db";
    {
        Clinic c;
        store::Statement(c.db, "PRAGMA wal_checkpoint(TRUNCATE)").step();
        std::filesystem::copy_file(c.path, path);
    }
    const std::vector<std::string> as_ann{"--db", path.string(), "--user", "ann"};
    const std::vector<std::string> env{std::string("SOLACE_PASSWORD=") + password};
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.end(), as_ann.begin(), as_ann.end());
        return test::run_solace(args, env);
    };
    auto r = run({"dose", "record", "P1", "--med", "senna", "--status", "given"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto id = nlohmann::json::parse(r.out).at("id").get<std::string>();
    r = run({"dose", "correct", id, "--reason", "it was held", "--status", "held"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto fixed = nlohmann::json::parse(r.out).at("id").get<std::string>();
    CHECK(fixed != id);
    r = run({"dose", "correct", fixed, "--reason", "wrong chart", "--status", "entered-in-error"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    r = run({"dose", "correct", fixed, "--reason", "x", "--status", "lost"});
    CHECK(r.exit_code != 0);
    r = run({"dose", "correct", "0193aaaa-0000-7000-8000-000000000000", "--reason", "x", "--status",
             "held"});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("There is no dose with id"));
}
