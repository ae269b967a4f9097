// Role enforcement in the application layer (issue 2 item 6, DESIGN §5): a family account reads
// only its own patients and writes nothing but caregiver-reported scores and PRN doses. The same
// rules hold through the command line. Instants are explicit: nothing depends on TZ or clock.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "domain/time.hpp"
#include "entries.hpp"
#include "interop/export_csv.hpp"
#include "interop/import.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"

using namespace solace;
using solace::interop::CsvKind;
using solace::store::Database;
using solace::test::run_solace;
using solace::test::TempDir;
using solace::test::write_file;

using solace::test::count_rows;
using solace::test::utc;

namespace {

constexpr const char* password = "roles-password";

// A nurse "ann" (admin), patients P1 and P2, and a family account "rosa" linked to P1 only.
struct Clinic {
    TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    Database db{path, Database::Mode::create_new};
    app::Session nurse = account("ann", Role::nurse, {});
    std::int64_t p1 = 0, p2 = 0;
    std::optional<app::Session> family_session;

    Clinic() {
        p1 = app::add_patient(nurse, patient("P1", "Margaret Okafor"));
        p2 = app::add_patient(nurse, patient("P2", "Walter Moreau"));
        for (const char* mrn : {"P1", "P2"}) {
            medication(mrn, "morphine-sr", "Morphine sulfate SR", "bid");
            medication(mrn, "oxy-ir", "Oxycodone IR", "prn q1h max 6");
        }
        family_session.emplace(account("rosa", Role::family, {p1}));
    }

    const app::Session& family() const { return *family_session; }

    app::Session account(const std::string& name, Role role, std::vector<std::int64_t> patients) {
        store::AccountRepository accounts(db);
        accounts.add({0, name, role, role == Role::nurse, false,
                      solace::test::password_hash(password), std::move(patients)},
                     0);
        return app::Session(db, *accounts.find(name));
    }

    static Patient patient(const std::string& mrn, const std::string& name) {
        Patient p;
        p.mrn = mrn;
        p.name = name;
        p.date_of_birth = date::year{1940} / 3 / 1;
        p.time_zone = "Europe/London";
        return p;
    }

    void medication(const std::string& mrn, const std::string& key, const std::string& name,
                    const std::string& schedule) {
        Medication m;
        m.key = key;
        m.name = name;
        m.schedule_text = schedule;
        m.indication = "pain";
        m.start = utc(2026, 1, 1);
        app::add_medication(nurse, mrn, m);
    }

    std::int64_t writes() {
        return count_rows(db, "observation") + count_rows(db, "administration") +
               count_rows(db, "medication") + count_rows(db, "patient") + count_rows(db, "visit") +
               count_rows(db, "flag_acknowledgement") + count_rows(db, "account");
    }
};

app::VisitEntry visit(const std::string& mrn, Reporter r, int pain = 5) {
    app::VisitEntry v;
    v.mrn = mrn;
    v.at = utc(2026, 7, 1, 18);
    v.reporter = r;
    v.scores.push_back({Symptom::pain, pain, ""});
    return v;
}

app::DoseEntry dose(const std::string& mrn, const std::string& med) {
    return {mrn, med, utc(2026, 7, 1, 19), DoseStatus::given, "", ""};
}

template <class E> std::string message(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    FAIL("expected the action to be refused");
    return {};
}

} // namespace

TEST_CASE("A family account cannot record a nurse or patient-reported score", "[roles]") {
    Clinic c;
    const auto before = c.writes();
    for (auto r : {Reporter::nurse, Reporter::patient}) {
        const auto msg =
            message<PermissionError>([&] { test::record_visit(c.family(), visit("P1", r)); });
        CHECK_THAT(msg, Catch::Contains("caregiver"));
        CHECK_THAT(msg, Catch::Contains(std::string(code(r))));
    }
    CHECK(c.writes() == before);
}

TEST_CASE("A family account can record a caregiver score for its own patient", "[roles]") {
    Clinic c;
    test::record_visit(c.family(), visit("P1", Reporter::caregiver, 6));
    const auto scores =
        store::ObservationRepository(c.db).scores(c.p1, utc(2026, 1, 1), utc(2027, 1, 1));
    REQUIRE(scores.size() == 1);
    CHECK(scores[0].reporter == Reporter::caregiver);
    CHECK(scores[0].value == 6);
    CHECK(scores[0].author == "rosa");
}

TEST_CASE("A family account cannot record the PPS", "[roles]") {
    Clinic c;
    auto v = visit("P1", Reporter::caregiver);
    v.pps = 50;
    CHECK_THROWS_AS(test::record_visit(c.family(), v), PermissionError);
    CHECK(count_rows(c.db, "observation") == 0);
}

TEST_CASE("A family account cannot record a scheduled dose but can record a PRN dose", "[roles]") {
    Clinic c;
    const auto msg =
        message<PermissionError>([&] { test::record_dose(c.family(), dose("P1", "morphine-sr")); });
    CHECK_THAT(msg, Catch::Contains("morphine-sr"));
    CHECK(count_rows(c.db, "administration") == 0);

    test::record_dose(c.family(), dose("P1", "oxy-ir"));
    store::Statement s(c.db, "SELECT reporter, recorded_by FROM administration");
    REQUIRE(s.step());
    CHECK(s.text(0) == "caregiver");
    CHECK(s.text(1) == "rosa");
}

TEST_CASE("A family account cannot add a medication, a patient or a correction", "[roles]") {
    Clinic c;
    const auto before = c.writes();
    Medication m;
    m.key = "lorazepam";
    m.name = "Lorazepam";
    m.schedule_text = "prn q4h max 3";
    m.start = utc(2026, 7, 1);
    CHECK_THAT(message<PermissionError>([&] { app::add_medication(c.family(), "P1", m); }),
               Catch::Contains("nurse"));
    CHECK_THAT(message<PermissionError>(
                   [&] { app::add_patient(c.family(), Clinic::patient("P3", "New Person")); }),
               Catch::Contains("nurse"));

    const auto visit_id = test::record_visit(c.nurse, visit("P1", Reporter::patient));
    (void)visit_id;
    store::Statement s(c.db, "SELECT id FROM observation");
    REQUIRE(s.step());
    const auto score_id = s.int64(0);
    const auto after_nurse = c.writes();
    CHECK(after_nurse > before);
    CHECK_THROWS_AS(app::correct_score(c.family(), score_id, 2, "looked better"), PermissionError);
    CHECK_THROWS_AS(app::set_comfort_goal(c.family(), "P1", Symptom::pain, 3, utc(2026, 7, 1)),
                    PermissionError);
    CHECK_THROWS_AS(app::acknowledge_flag(c.family(), "symptom.severe/P1/s1", "", utc(2026, 7, 2)),
                    PermissionError);
    CHECK(c.writes() == after_nurse);
}

TEST_CASE("A family account cannot see another patient, not even that it exists", "[roles]") {
    Clinic c;
    const auto msg = message<NotFoundError>([&] { c.family().patient("P2"); });
    const auto missing = message<NotFoundError>([&] { c.family().patient("P99"); });
    CHECK_THAT(msg, Catch::Contains("P2"));
    // The refusal for P2 reads like the one for a patient that does not exist.
    CHECK(msg.substr(0, msg.find("P2")) == missing.substr(0, missing.find("P99")));

    const auto visible = c.family().patients();
    REQUIRE(visible.size() == 1);
    CHECK(visible[0].mrn == "P1");

    CHECK_THROWS_AS(test::record_visit(c.family(), visit("P2", Reporter::caregiver)),
                    NotFoundError);
    CHECK_THROWS_AS(test::record_dose(c.family(), dose("P2", "oxy-ir")), NotFoundError);
    const auto p2 = *store::PatientRepository(c.db).find_by_mrn("P2");
    CHECK_THROWS_AS(app::patient_flags(c.family(), p2, utc(2026, 6, 1), utc(2026, 7, 1)),
                    PermissionError);
    CHECK(count_rows(c.db, "observation") == 0);
    CHECK(count_rows(c.db, "administration") == 0);
}

TEST_CASE("A nurse sees every patient", "[roles]") {
    Clinic c;
    CHECK(c.nurse.patients().size() == 2);
    CHECK(c.nurse.patient("P2").name == "Walter Moreau");
}

TEST_CASE("A family account cannot import patients or medications", "[roles]") {
    Clinic c;
    const auto before = c.writes();
    CHECK_THROWS_AS(interop::import_csv(c.family(), CsvKind::patients,
                                        "mrn,name,date_of_birth,time_zone,diagnosis\n"
                                        "P3,New Person,1950-01-01,UTC,\n"),
                    PermissionError);
    CHECK_THROWS_AS(
        interop::import_csv(c.family(), CsvKind::medications,
                            "patient,med,name,dose,route,schedule,time_critical,indication,start,"
                            "end\nP1,senna,Senna,,,daily,,,2026-07-01,\n"),
        PermissionError);
    CHECK(c.writes() == before);
}

TEST_CASE("A family account's import may hold only caregiver scores and PRN doses of its patient",
          "[roles]") {
    Clinic c;
    const std::string header = "patient,observed_at,symptom,score,reporter,note\n";
    SECTION("a patient-reported score refuses the whole file") {
        try {
            interop::import_csv(c.family(), CsvKind::observations,
                                header + "P1,2026-07-01T10:00,pain,3,caregiver,\n"
                                         "P1,2026-07-01T10:00,pain,3,patient,\n");
            FAIL("the import should be refused");
        } catch (const interop::ImportError& e) {
            REQUIRE(e.problems.size() == 1);
            CHECK_THAT(e.problems[0],
                       Catch::StartsWith("line 3: ") && Catch::Contains("caregiver"));
        }
        CHECK(count_rows(c.db, "observation") == 0);
    }
    SECTION("another patient's MRN reads as unknown") {
        try {
            interop::import_csv(c.family(), CsvKind::observations,
                                header + "P2,2026-07-01T10:00,pain,3,caregiver,\n");
            FAIL("the import should be refused");
        } catch (const interop::ImportError& e) {
            REQUIRE(e.problems.size() == 1);
            CHECK_THAT(e.problems[0], Catch::Contains("\"P2\""));
        }
        CHECK(count_rows(c.db, "observation") == 0);
    }
    SECTION("a scheduled dose refuses the whole file") {
        CHECK_THROWS_AS(interop::import_csv(c.family(), CsvKind::administrations,
                                            "patient,med,given_at,status,reason,recorded_by\n"
                                            "P1,oxy-ir,2026-07-01T10:00,given,,\n"
                                            "P1,morphine-sr,2026-07-01T10:00,given,,\n"),
                        interop::ImportError);
        CHECK(count_rows(c.db, "administration") == 0);
    }
    SECTION("caregiver scores and PRN doses are imported, marked as caregiver") {
        CHECK(interop::import_csv(c.family(), CsvKind::observations,
                                  header + "P1,2026-07-01T10:00,pain,3,caregiver,\n") == 1);
        CHECK(interop::import_csv(c.family(), CsvKind::administrations,
                                  "patient,med,given_at,status,reason,recorded_by\n"
                                  "P1,oxy-ir,2026-07-01T10:00,given,,\n") == 1);
        store::Statement s(c.db, "SELECT reporter FROM administration");
        REQUIRE(s.step());
        CHECK(s.text(0) == "caregiver");
    }
}

TEST_CASE("A family account's CSV export holds only its own patient", "[roles]") {
    Clinic c;
    test::record_visit(c.nurse, visit("P2", Reporter::patient));
    interop::export_csv(c.family(), c.dir / "out");
    const auto patients = test::read_file(c.dir / "out" / "patients.csv");
    CHECK_THAT(patients, Catch::Contains("P1,"));
    CHECK_THAT(patients, !Catch::Contains("P2"));
    CHECK_THAT(test::read_file(c.dir / "out" / "observations.csv"), !Catch::Contains("P2"));
    CHECK_THAT(test::read_file(c.dir / "out" / "medications.csv"), !Catch::Contains("P2"));
}

TEST_CASE("A wrong password is refused and the attempt audited", "[roles]") {
    Clinic c;
    CHECK_THAT(message<PermissionError>([&] { app::Session::login(c.db, "ann", "not-it"); }),
               Catch::Contains("Wrong account name or password"));
    CHECK_THROWS_AS(app::Session::login(c.db, "nobody", password), PermissionError);
    store::Statement s(c.db, "SELECT count(*) FROM audit_log WHERE action = 'login_failed'");
    REQUIRE(s.step());
    CHECK(s.int64(0) == 2);
    CHECK(app::Session::login(c.db, "rosa", password).account().role == Role::family);
}

TEST_CASE("The command line refuses a family account's writes the same way", "[roles][cli]") {
    Clinic c;
    const std::vector<std::string> as_rosa{"--db", c.path.string(), "--user", "rosa"};
    const std::vector<std::string> env{std::string("SOLACE_PASSWORD=") + password};
    auto args = [&](std::vector<std::string> a) {
        a.insert(a.end(), as_rosa.begin(), as_rosa.end());
        return a;
    };
    const auto before = c.writes();

    SECTION("a patient-reported score in an import") {
        const auto csv = c.dir / "scores.csv";
        write_file(csv, "patient,observed_at,symptom,score,reporter,note\n"
                        "P1,2026-07-01T10:00,pain,3,caregiver,\n"
                        "P1,2026-07-01T10:00,nausea,3,patient,\n");
        const auto r = run_solace(args({"import", "observations", csv.string()}), env);
        CHECK(r.exit_code != 0);
        CHECK_THAT(r.err, Catch::Contains("nothing was imported"));
        CHECK_THAT(r.err, Catch::Contains("line 3") && Catch::Contains("caregiver"));
        CHECK(c.writes() == before);
    }
    SECTION("a patients import") {
        const auto csv = c.dir / "patients.csv";
        write_file(csv, "mrn,name,date_of_birth,time_zone,diagnosis\nP3,X Y,1950-01-01,UTC,\n");
        const auto r = run_solace(args({"import", "patients", csv.string()}), env);
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("Only a nurse may import patients"));
        CHECK(c.writes() == before);
    }
    SECTION("another patient's flags") {
        const auto r = run_solace(args({"flags", "--patient", "P2", "--from", "2026-06-01", "--to",
                                        "2026-07-01", "--json"}),
                                  env);
        CHECK(r.exit_code != 0);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::Contains("\"P2\""));
    }
    SECTION("adding an account") {
        const auto r = run_solace(args({"user", "add", "mallory", "--role", "nurse"}),
                                  {env[0], "SOLACE_NEW_PASSWORD=mallory-pw"});
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("admin"));
        CHECK(c.writes() == before);
    }
}
