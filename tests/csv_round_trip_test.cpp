// Export csv then import of every file into a new database reproduces it row for row (DESIGN
// §5, issue 12 item 7): ids, corrections and what they replace, medication versions, comfort
// goals and bowel movements; and a row already present is skipped and counted, never stored
// twice (a second import would otherwise raise false prn.over_max and prn.too_soon flags).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "app/doses.hpp"
#include "app/medications.hpp"
#include "app/session.hpp"
#include "interop/csv.hpp"
#include "interop/export_csv.hpp"
#include "interop/import.hpp"
#include "store/database.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"

using namespace solace;
using solace::interop::CsvKind;
using solace::test::read_file;
using solace::test::run_solace;
using solace::test::TempDir;
using solace::test::utc;
using solace::test::write_file;

namespace {

const std::string p2_visit = "019a0000-0000-7000-8000-00000000b151";
const std::vector<std::string> env{"SOLACE_PASSWORD=bedside-1", "SOLACE_NEW_PASSWORD=bedside-1"};
// In the order an import needs them: patients before their rows, visits before their scores,
// medications before doses.
const std::vector<CsvKind> kinds{CsvKind::patients,        CsvKind::visits,
                                 CsvKind::medications,     CsvKind::observations,
                                 CsvKind::administrations, CsvKind::goals};

std::string init(const std::filesystem::path& path) {
    const auto r = run_solace({"init", "--db", path.string(), "--user", "ann"}, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return path.string();
}

// A new database, signed in as its first nurse, ann.
struct Signed {
    TempDir dir;
    std::string path = init(dir / "a.db");
    store::Database db{path, store::Database::Mode::open_existing};
    app::Session session = app::Session::login(db, "ann", "bedside-1");
};

interop::ImportCounts import_file(const app::Session& s, CsvKind kind,
                                  const std::filesystem::path& file) {
    const auto text = read_file(file);
    interop::CsvReader reader(text);
    return interop::import_rows(s, kind, reader);
}

// Every row of each table a round trip must keep, in words that do not depend on local ids.
std::vector<std::string> rows_of(store::Database& db, const std::string& sql) {
    store::Statement s(db, sql);
    std::vector<std::string> out;
    while (s.step()) {
        std::string line;
        for (int i = 0; i < s.column_count(); ++i)
            line += (s.is_null(i) ? std::string("NULL") : s.text(i)) + "|";
        out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
}

const std::vector<std::pair<std::string, std::string>> tables{
    {"patients as they are now",
     "SELECT p.mrn, p.uuid, v.name, v.date_of_birth, v.time_zone, v.diagnosis, v.on_call_phone, "
     "v.discharged_at, v.discharge_reason FROM patient p JOIN patient_version v ON v.id = "
     "(SELECT max(id) FROM patient_version WHERE patient_id = p.id)"},
    {"visits and their notes", "SELECT p.mrn, v.at, v.note, v.uuid FROM visit v JOIN patient p "
                               "ON p.id = v.patient_id"},
    {"scores and PPS, with their visits",
     "SELECT p.mrn, o.item, o.value, o.reporter, o.observed_at, o.note, o.uuid, r.uuid, "
     "o.correction_reason, v.uuid FROM observation o JOIN patient p ON p.id = o.patient_id LEFT "
     "JOIN observation r ON r.id = o.supersedes LEFT JOIN visit v ON v.id = o.visit_id"},
    {"bowel movements, with their visits",
     "SELECT p.mrn, b.occurred_at, b.bristol_type, b.reporter, b.note, b.uuid, r.uuid, "
     "b.correction_reason, v.uuid FROM bowel_movement b JOIN patient p ON p.id = b.patient_id "
     "LEFT JOIN bowel_movement r ON r.id = b.supersedes LEFT JOIN visit v ON v.id = b.visit_id"},
    {"medication versions",
     "SELECT p.mrn, m.med_key, m.name, m.dose, m.route, m.schedule, m.time_critical, "
     "m.indication, m.start_at, m.end_at, m.uuid, r.uuid FROM medication m JOIN patient p ON "
     "p.id = m.patient_id LEFT JOIN medication r ON r.id = m.supersedes"},
    {"doses and corrections",
     "SELECT p.mrn, m.med_key, d.given_at, d.status, d.reason, d.recorded_by, d.reporter, "
     "d.uuid, r.uuid, d.correction_reason FROM administration d JOIN patient p ON p.id = "
     "d.patient_id JOIN medication m ON m.id = d.medication_id LEFT JOIN administration r ON "
     "r.id = d.supersedes"},
    {"comfort goals", "SELECT p.mrn, g.symptom, g.goal, g.set_at, g.uuid FROM comfort_goal g "
                      "JOIN patient p ON p.id = g.patient_id"},
    {"doses entered in error",
     "SELECT d.uuid, v.reason, a.name, v.uuid FROM administration_void v JOIN administration d "
     "ON d.id = v.administration_id JOIN account a ON a.id = v.author_id"},
};

// A clinic with what a round trip must carry: two zones, a DST change, visits and their notes,
// scores, a corrected score, PPS, bowel movements, doses held and given, a corrected dose,
// medication versions (a dose change and a stop) and comfort goals changed over time.
void fill(const app::Session& s, const TempDir& dir) {
    const auto source = dir / "source";
    std::filesystem::create_directories(source);
    write_file(source / "patients.csv",
               "mrn,name,date_of_birth,time_zone,diagnosis\n"
               "P1,\"O'Brien, Margaret\",1941-02-03,America/New_York,pancreatic cancer\n"
               "P2,Aiko Nakamura,1950-12-31,Pacific/Auckland,\n");
    write_file(source / "visits.csv", "patient,visited_at,note,id\n"
                                      "P2,2026-06-02T10:00,\"Zoë visited, brought soup\"," +
                                          p2_visit + "\n");
    write_file(source / "medications.csv",
               "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
               "P1,morphine-sr,Morphine sulfate SR,30 mg,oral,bid,,pain,2026-03-01,\n"
               "P1,morphine-ir,Morphine IR,5 mg,oral,prn q1h max 6,,pain,2026-03-01,\n"
               "P1,senna,Senna,15 mg,oral,daily,no,constipation,2026-03-01,2026-03-20\n"
               "P2,ondansetron,Ondansetron,4 mg,oral,tid,no,nausea,2026-06-01T08:00,\n");
    write_file(source / "observations.csv",
               "patient,observed_at,symptom,score,reporter,note,visit\n"
               "P1,2026-03-08T02:30,pain,8,patient,\"woke at night,\nsettled later\",\n"
               "P1,2026-03-08T03:10,pain,4,caregiver,,\n"
               "P1,2026-03-08T09:00,pps,50,nurse,,\n"
               "P1,2026-03-08T09:00,bowel_movement,2,caregiver,hard,\n"
               "P1,2026-03-11T09:00,bowel_movement,4,nurse,,\n"
               "P2,2026-06-02T10:00,nausea,6,patient,Zoë visited," +
                   p2_visit + "\n");
    write_file(source / "administrations.csv",
               "patient,med,given_at,status,reason,recorded_by\n"
               "P1,morphine-sr,2026-03-08T08:05,given,,\n"
               "P1,morphine-sr,2026-03-08T20:00,held,\"asleep, family asked\",Bea\n"
               "P1,morphine-ir,2026-03-08T02:40,given,,daughter\n"
               "P2,ondansetron,2026-06-02T14:10,refused,nausea gone,\n");
    write_file(source / "goals.csv", "patient,symptom,goal,set_at\n"
                                     "P1,pain,3,2026-03-01T09:00\n"
                                     "P1,pain,2,2026-03-10T09:00\n"
                                     "P2,nausea,4,2026-06-01\n");
    for (auto kind : kinds) {
        const auto n = import_file(s, kind, source / (std::string(interop::code(kind)) + ".csv"));
        REQUIRE(n.skipped == 0);
    }
    // A score corrected; the dose at 20:00 was really given at 20:30 (a correction of a held
    // dose keeps its reason); the morphine dose changed on 15 March and the senna stopped.
    store::Database& db = s.db();
    {
        store::Statement id(db, "SELECT id FROM observation WHERE value = 8");
        REQUIRE(id.step());
        app::correct_score(s, id.int64(0), 7, "typed 8, meant 7");
    }
    {
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        store::MedicationRepository meds(db);
        const auto held = meds.administrations(p->id, utc(2026, 3, 9), utc(2026, 3, 9));
        REQUIRE(held.size() == 1);
        auto again = held[0];
        again.uuid.clear(); // a new row
        again.given_at = utc(2026, 3, 9, 0, 30);
        again.supersedes = held[0].id;
        again.correction_reason = "held at 20:30, not 20:00";
        store::Transaction tx(db);
        meds.add_administration(again, s.account().id, utc(2026, 3, 9, 2));
        s.audit("dose.correct", p->id, "test");
        tx.commit();
    }
    // A visit logged in the window: two scores, the PPS, a bowel movement and its note; and a
    // visit with only a note.
    app::VisitEntry visit;
    visit.mrn = "P1";
    visit.at = now_utc() - std::chrono::hours{3};
    visit.reporter = Reporter::patient;
    visit.scores = {{Symptom::pain, 5, "after the walk"}, {Symptom::breathing, 3, ""}};
    visit.pps = 40;
    visit.bowel_movement = app::BowelMovementEntry{visit.at - std::chrono::hours{2}, 5};
    visit.note = "Sleeping more. Daughter asks about the\nhospice bed; call her back.";
    app::record_visit(s, visit);
    app::VisitEntry only_note;
    only_note.mrn = "P1";
    only_note.at = now_utc() - std::chrono::hours{1};
    only_note.reporter = Reporter::nurse;
    only_note.note = "Phoned: comfortable, no new concerns.";
    app::record_visit(s, only_note);
    // P2 died on 3 June.
    app::discharge_patient(s, "P2", "died", utc(2026, 6, 3, 1));
    auto higher = *store::MedicationRepository(db).find(
        store::PatientRepository(db).find_by_mrn("P1")->id, "morphine-sr", utc(2026, 3, 10));
    higher.dose = "45 mg";
    app::change_medication(s, "P1", "morphine-sr", higher, utc(2026, 3, 15, 13), "pain higher");
    app::stop_medication(s, "P1", "morphine-ir", utc(2026, 3, 18, 12), "no longer needed");
    // The refused ondansetron was another patient's: entered in error.
    {
        store::Statement id(db, "SELECT uuid FROM administration WHERE status = 'refused'");
        REQUIRE(id.step());
        app::DoseCorrection c;
        c.dose_id = id.text(0);
        c.reason = "recorded on the wrong patient";
        c.entered_in_error = true;
        app::correct_dose(s, c, utc(2026, 6, 2, 16));
    }
}

} // namespace

TEST_CASE("export csv then import of every file into a new database reproduces it row for row",
          "[csv]") {
    TempDir dir;
    const auto a_path = init(dir / "a.db"), b_path = init(dir / "b.db");
    store::Database a(a_path, store::Database::Mode::open_existing);
    store::Database b(b_path, store::Database::Mode::open_existing);
    const auto in_a = app::Session::login(a, "ann", "bedside-1");
    const auto in_b = app::Session::login(b, "ann", "bedside-1");
    fill(in_a, dir);
    interop::export_csv(in_a, dir / "export-a");

    std::size_t rows = 0;
    for (auto kind : kinds) {
        const auto n =
            import_file(in_b, kind, dir / "export-a" / (std::string(interop::code(kind)) + ".csv"));
        CHECK(n.skipped == 0);
        rows += n.imported;
    }
    for (const auto& [what, sql] : tables) {
        INFO(what);
        const auto in_source = rows_of(a, sql);
        CHECK_FALSE(in_source.empty());
        CHECK(rows_of(b, sql) == in_source);
    }
    std::size_t in_source = 0;
    for (const auto* t : {"patient", "visit", "observation", "bowel_movement", "medication",
                          "administration", "administration_void", "comfort_goal"})
        in_source += static_cast<std::size_t>(test::count_rows(a, t));
    CHECK(rows == in_source);
    // The copy exports the same bytes.
    interop::export_csv(in_b, dir / "export-b");
    for (auto kind : kinds) {
        const auto name = std::string(interop::code(kind)) + ".csv";
        INFO(name);
        CHECK(read_file(dir / "export-a" / name) == read_file(dir / "export-b" / name));
    }
    // The medications as the rules see them: versions with their effective ends.
    for (const auto* mrn : {"P1", "P2"}) {
        const auto pa = store::PatientRepository(a).find_by_mrn(mrn);
        const auto pb = store::PatientRepository(b).find_by_mrn(mrn);
        const auto la = store::MedicationRepository(a).list(pa->id);
        const auto lb = store::MedicationRepository(b).list(pb->id);
        REQUIRE(la.size() == lb.size());
        for (std::size_t i = 0; i < la.size(); ++i) {
            CHECK(la[i].key == lb[i].key);
            CHECK(la[i].dose == lb[i].dose);
            CHECK(la[i].start == lb[i].start);
            CHECK(la[i].end == lb[i].end);
        }
    }

    SECTION("importing the same files again stores nothing and counts every row skipped") {
        std::size_t skipped = 0;
        for (auto kind : kinds) {
            const auto n = import_file(
                in_b, kind, dir / "export-a" / (std::string(interop::code(kind)) + ".csv"));
            CHECK(n.imported == 0);
            skipped += n.skipped;
        }
        CHECK(skipped == rows);
        for (const auto& [what, sql] : tables) {
            INFO(what);
            CHECK(rows_of(b, sql) == rows_of(a, sql));
        }
    }
    SECTION("rows without ids are known by their values: the first files again store nothing") {
        for (auto kind : kinds) {
            const auto n = import_file(
                in_b, kind, dir / "source" / (std::string(interop::code(kind)) + ".csv"));
            INFO(interop::code(kind));
            CHECK(n.imported == 0);
            CHECK(n.skipped > 0);
        }
        for (const auto& [what, sql] : tables) {
            INFO(what);
            CHECK(rows_of(b, sql) == rows_of(a, sql));
        }
    }
    SECTION("a database that took the first files without ids takes the export: corrections "
            "find the rows they replace by their values") {
        const auto c_path = init(dir / "c.db");
        store::Database c(c_path, store::Database::Mode::open_existing);
        const auto in_c = app::Session::login(c, "ann", "bedside-1");
        for (auto kind : kinds)
            import_file(in_c, kind, dir / "source" / (std::string(interop::code(kind)) + ".csv"));
        std::size_t imported = 0, skipped = 0;
        for (auto kind : kinds) {
            const auto n = import_file(
                in_c, kind, dir / "export-a" / (std::string(interop::code(kind)) + ".csv"));
            imported += n.imported;
            skipped += n.skipped;
        }
        // The score's and the dose's corrections, the two new medication versions, the dose
        // entered in error, the two visits logged in the window (2 + 4 rows) and P2's death
        // are new.
        CHECK(imported == 12);
        CHECK(skipped == rows - 12);
        // c made its own patient ids; the details, the death with them, are the same.
        const std::string now_in_care =
            "SELECT p.mrn, v.name, v.discharged_at, v.discharge_reason FROM patient p JOIN "
            "patient_version v ON v.id = (SELECT max(id) FROM patient_version WHERE patient_id = "
            "p.id)";
        CHECK(rows_of(c, now_in_care) == rows_of(a, now_in_care));
        CHECK(test::count_rows(c, "visit") == test::count_rows(a, "visit"));
        CHECK(test::count_rows(c, "administration_void") == 1);
        CHECK(test::count_rows(c, "observation") == test::count_rows(a, "observation"));
        CHECK(test::count_rows(c, "administration") == test::count_rows(a, "administration"));
        CHECK(test::count_rows(c, "medication") == test::count_rows(a, "medication"));
        store::Statement corrected(c, "SELECT o.value, r.value FROM observation o JOIN "
                                      "observation r ON r.id = o.supersedes");
        REQUIRE(corrected.step());
        CHECK(corrected.integer(0) == 7);
        CHECK(corrected.integer(1) == 8);
    }
    SECTION("the command line says how many rows were already present") {
        const auto r =
            run_solace({"import", "observations", (dir / "export-a" / "observations.csv").string(),
                        "--db", b_path, "--user", "ann"},
                       env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("Imported 0 observations rows from "));
        CHECK_THAT(r.out, Catch::Contains(fmt::format("; {} rows already present, skipped.",
                                                      test::count_rows(a, "observation") +
                                                          test::count_rows(a, "bowel_movement"))));
    }
}

TEST_CASE("An exported correction names the row it replaces, and its reason", "[csv]") {
    Signed in;
    auto& [dir, path, a, s] = in;
    fill(s, dir);
    interop::export_csv(s, dir / "out");
    const auto observations = read_file(dir / "out" / "observations.csv");
    CHECK_THAT(observations, Catch::StartsWith("patient,observed_at,symptom,score,reporter,note,"
                                               "id,replaces,reason,visit\r\n"));
    // The visit's own row carries its note; its scores name it.
    CHECK_THAT(read_file(dir / "out" / "visits.csv"),
               Catch::StartsWith("patient,visited_at,note,id\r\n") &&
                   Catch::Contains("P2,2026-06-02T10:00:00+12:00,\"Zoë visited, brought soup\"," +
                                   p2_visit + "\r\n") &&
                   Catch::Contains(",\"Sleeping more. Daughter asks about the\nhospice bed; call "
                                   "her back.\","));
    CHECK_THAT(observations, Catch::Contains("P2,2026-06-02T10:00:00+12:00,nausea,6,patient,Zoë "
                                             "visited,") &&
                                 Catch::Contains(",," + p2_visit + "\r\n"));
    store::Statement old(a, "SELECT uuid FROM observation WHERE value = 8");
    REQUIRE(old.step());
    // 02:30 in New York's spring-forward gap is 03:30 EDT.
    CHECK_THAT(observations, Catch::Contains("P1,2026-03-08T03:30:00-04:00,pain,7,patient,\"woke "
                                             "at night,\nsettled later\","));
    CHECK_THAT(observations, Catch::Contains("," + old.text(0) + ",\"typed 8, meant 7\",\r\n"));
    CHECK_THAT(observations, Catch::Contains(",bowel_movement,2,caregiver,hard,"));
    // The death goes with the patient, in the patient's time.
    CHECK_THAT(read_file(dir / "out" / "patients.csv"),
               Catch::StartsWith("mrn,name,date_of_birth,time_zone,diagnosis,id,on_call,"
                                 "discharged_at,discharge_reason\r\n") &&
                   Catch::Contains(",,2026-06-03T13:00:00+12:00,died\r\n"));
    const auto doses = read_file(dir / "out" / "administrations.csv");
    CHECK_THAT(doses, Catch::StartsWith("patient,med,given_at,status,reason,recorded_by,id,"
                                        "replaces\r\n"));
    CHECK_THAT(doses, Catch::Contains("P1,morphine-sr,2026-03-08T20:30:00-04:00,held,\"held at "
                                      "20:30, not 20:00\",Bea,"));
    const auto meds = read_file(dir / "out" / "medications.csv");
    CHECK_THAT(meds, Catch::Contains("P1,morphine-sr,Morphine sulfate SR,30 mg,oral,bid,yes,pain,"
                                     "2026-03-01T00:00:00-05:00,,"));
    CHECK_THAT(meds, Catch::Contains("P1,morphine-sr,Morphine sulfate SR,45 mg,oral,bid,yes,pain,"
                                     "2026-03-15T09:00:00-04:00,,"));
    CHECK_THAT(read_file(dir / "out" / "goals.csv"),
               Catch::StartsWith("patient,symptom,goal,set_at,id\r\n"));
    CHECK_THAT(read_file(dir / "out" / "goals.csv"),
               Catch::Contains("P2,nausea,4,2026-06-01T00:00:00+12:00,"));
}

TEST_CASE("An import refuses a correction it cannot place, saying what to fix", "[csv]") {
    Signed in;
    auto& [dir, path, a, s] = in;
    interop::import_csv(s, CsvKind::patients,
                        "mrn,name,date_of_birth,time_zone,diagnosis\n"
                        "P1,Jean Brennan,1938-09-09,Europe/London,\n");
    const std::string head = "patient,observed_at,symptom,score,reporter,note,id,replaces,reason\n";
    const std::string first = "019a0000-0000-7000-8000-000000000001";
    const auto problems = [&](const std::string& csv) {
        try {
            interop::import_csv(s, CsvKind::observations, csv);
        } catch (const interop::ImportError& e) {
            return e.problems;
        }
        return std::vector<std::string>{};
    };
    const auto one = [&](const std::string& csv) {
        const auto p = problems(csv);
        REQUIRE(p.size() == 1);
        return p[0];
    };
    CHECK_THAT(one(head + "P1,2026-07-01T10:00,pain,3,patient,,not-a-uuid,,\n"),
               Catch::Contains("id \"not-a-uuid\" is not a UUID"));
    CHECK_THAT(one(head + "P1,2026-07-01T10:00,pain,3,patient,," + first + "," +
                   "019a0000-0000-7000-8000-000000000009,wrong\n"),
               Catch::Contains("import the row it corrects first"));
    CHECK_THAT(one(head + "P1,2026-07-01T10:00,pain,8,patient,," + first + ",,\n" +
                   "P1,2026-07-01T10:00,pain,3,patient,,," + first + ",\n"),
               Catch::Contains("line 3: reason is empty: a correction (replaces) needs a reason"));
    CHECK_THAT(one(head + "P1,2026-07-01T10:00,pain,8,patient,," + first + ",,\n" +
                   "P1,2026-07-01T10:00,nausea,3,patient,,," + first + ",typo\n"),
               Catch::Contains("a correction keeps the symptom"));
    CHECK_THAT(one(head + "P1,2026-07-01T10:00,pain,8,patient,,,,typo\n"),
               Catch::Contains("reason is only for a correction"));
    CHECK_THAT(one(head + "P1,2026-07-01T10:00,pain,8,patient,," + first + ",,\n" +
                   "P1,2026-07-01T10:00,pain,3,patient,,," + first + ",typo\n" +
                   "P1,2026-07-01T10:00,pain,2,patient,,," + first + ",again\n"),
               Catch::Contains("line 4: the row " + first + " was already corrected"));
    // Nothing of the refused files was saved.
    CHECK(test::count_rows(a, "observation") == 0);
    // Two corrections each with its own id were made on two laptops (an export of a record
    // that holds both): both are kept, one in force.
    CHECK(problems(head + "P1,2026-07-01T10:00,pain,8,patient,," + first + ",,\n" +
                   "P1,2026-07-01T10:00,pain,3,patient,,019a0000-0000-7000-8000-00000000000a," +
                   first + ",typo\n" +
                   "P1,2026-07-01T10:00,pain,2,patient,,019a0000-0000-7000-8000-00000000000b," +
                   first + ",typo on laptop B\n")
              .empty());
    CHECK(test::count_rows(a, "observation") == 3);
    {
        const auto p1 = store::PatientRepository(a).find_by_mrn("P1");
        const auto shown = store::ObservationRepository(a).scores(p1->id, from_epoch(0), now_utc());
        REQUIRE(shown.size() == 1);
        CHECK((shown[0].value == 3 || shown[0].value == 2));
    }
    SECTION("a medication version must start on or after the one it ends") {
        const std::string meds =
            "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
            "P1,senna,Senna,15 mg,oral,daily,no,constipation,2026-03-10,\n";
        interop::import_csv(s, CsvKind::medications, meds);
        try {
            interop::import_csv(s, CsvKind::medications,
                                "patient,med,name,dose,route,schedule,time_critical,indication,"
                                "start,end\n"
                                "P1,senna,Senna,30 mg,oral,daily,no,constipation,2026-03-01,\n");
            FAIL("an earlier version was imported");
        } catch (const interop::ImportError& e) {
            CHECK_THAT(e.problems.at(0), Catch::Contains("needs a start on or after that"));
        }
        interop::import_csv(s, CsvKind::medications,
                            "patient,med,name,dose,route,schedule,time_critical,indication,"
                            "start,end\n"
                            "P1,senna,Senna,30 mg,oral,daily,no,constipation,2026-03-12,\n");
        const auto p = store::PatientRepository(a).find_by_mrn("P1");
        const auto list = store::MedicationRepository(a).list(p->id);
        REQUIRE(list.size() == 2);
        CHECK(list[0].end == utc(2026, 3, 12) - std::chrono::seconds{1}); // London, GMT
        CHECK(list[1].dose == "30 mg");
    }
}

TEST_CASE("A file that repeats a row for a patient new to the database stores it once", "[csv]") {
    Signed in;
    auto& [dir, path, a, s] = in;
    auto import = [&](CsvKind kind, const std::string& text) {
        interop::CsvReader reader(text);
        return interop::import_rows(s, kind, reader);
    };
    import(CsvKind::patients,
           "mrn,name,date_of_birth,time_zone,diagnosis\nN1,New Patient,1950-01-02,UTC,\n");
    import(CsvKind::medications,
           "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
           "N1,oxy-ir,Oxycodone IR,5 mg,oral,prn q1h max 6,,pain,2026-01-01,\n");
    const std::string uuid = "01a22fc0-c439-785a-adb8-aed491c65c2f";
    const auto scores =
        import(CsvKind::observations, "patient,observed_at,symptom,score,reporter,note,id\n"
                                      "N1,2026-02-01T09:00:00Z,pain,6,patient,sore,\n"
                                      "N1,2026-02-01T09:00:00Z,nausea,2,patient,,\n"
                                      "N1,2026-02-01T09:00:00Z,pain,6,patient,sore,\n"
                                      "N1,2026-02-01T10:00:00Z,pain,4,patient,,\n"
                                      "N1,2026-02-01T11:00:00Z,pain,3,patient,," +
                                          uuid + "\nN1,2026-02-01T11:00:00Z,pain,3,patient,," +
                                          uuid + "\n");
    CHECK(scores.imported == 4);
    CHECK(scores.skipped == 2);
    CHECK(test::count_rows(a, "observation") == 4);
    const auto doses =
        import(CsvKind::administrations, "patient,med,given_at,status,reason,recorded_by\n"
                                         "N1,oxy-ir,2026-02-01T09:10:00Z,given,,\n"
                                         "N1,oxy-ir,2026-02-01T09:10:00Z,given,,\n"
                                         "N1,oxy-ir,2026-02-01T12:10:00Z,given,,\n");
    CHECK(doses.imported == 2);
    CHECK(doses.skipped == 1);
    CHECK(test::count_rows(a, "administration") == 2);
}

TEST_CASE("A dose marked entered-in-error in a CSV needs the dose it voids and a reason", "[csv]") {
    Signed in;
    auto& [dir, path, a, s] = in;
    fill(s, dir);
    const auto import = [&](const std::string& rows) -> std::string {
        const auto text = "patient,med,given_at,status,reason,recorded_by,id,replaces\n" + rows;
        interop::CsvReader reader(text);
        try {
            interop::import_rows(s, CsvKind::administrations, reader);
        } catch (const std::exception& e) {
            return e.what();
        }
        return "imported";
    };
    store::Statement given(a, "SELECT uuid FROM administration WHERE status = 'given' LIMIT 1");
    REQUIRE(given.step());
    const auto dose = given.text(0);
    CHECK_THAT(import("P1,morphine-sr,2026-03-08T08:05,entered-in-error,wrong patient,,,\n"),
               Catch::Contains("line 2") && Catch::Contains("needs replaces"));
    CHECK_THAT(import("P1,morphine-sr,2026-03-08T08:05,entered-in-error,,,," + dose + "\n"),
               Catch::Contains("line 2") && Catch::Contains("reason is empty"));
    CHECK(test::count_rows(a, "administration_void") == 1);
    CHECK(import("P1,morphine-sr,2026-03-08T08:05,entered-in-error,wrong patient,,," + dose +
                 "\n") == "imported");
    CHECK(test::count_rows(a, "administration_void") == 2);
    // Again: already marked, skipped.
    CHECK(import("P1,morphine-sr,2026-03-08T08:05,entered-in-error,wrong patient,,," + dose +
                 "\n") == "imported");
    CHECK(test::count_rows(a, "administration_void") == 2);
}

TEST_CASE("A visits file brings back each visit's note, and its scores stay with it", "[csv]") {
    Signed in;
    auto& [dir, path, a, s] = in;
    interop::import_csv(s, CsvKind::patients,
                        "mrn,name,date_of_birth,time_zone,diagnosis\n"
                        "P1,Jean Brennan,1938-09-09,Europe/London,\n"
                        "P2,Tom Ruiz,1944-04-04,America/Chicago,\n");
    const std::string v1 = "019a0000-0000-7000-8000-0000000000a1";
    const std::string v2 = "019a0000-0000-7000-8000-0000000000a2";
    const auto visits = [&](const std::string& rows) {
        const auto text = "patient,visited_at,note,id\n" + rows;
        interop::CsvReader reader(text);
        return interop::import_rows(s, CsvKind::visits, reader);
    };
    const auto scores = [&](const std::string& rows) {
        const auto text = "patient,observed_at,symptom,score,reporter,note,visit\n" + rows;
        interop::CsvReader reader(text);
        return interop::import_rows(s, CsvKind::observations, reader);
    };
    CHECK(visits("P1,2026-10-25T01:30,\"Restless night, \"\"sundowning\"\"\"," + v1 + "\n")
              .imported == 1);
    CHECK(scores("P1,2026-10-25T01:30,pain,6,patient,," + v1 + "\n" +
                 "P1,2026-10-25T01:30,anxiety,7,caregiver,," + v1 + "\n")
              .imported == 2);
    // 01:30 on the day London leaves summer time is the first (BST) one: 00:30 UTC.
    store::Statement visit(a, "SELECT v.at, v.note, count(o.id) FROM visit v JOIN observation o "
                              "ON o.visit_id = v.id GROUP BY v.id");
    REQUIRE(visit.step());
    CHECK(visit.int64(0) == to_epoch(utc(2026, 10, 25, 0, 30)));
    CHECK(visit.text(1) == "Restless night, \"sundowning\"");
    CHECK(visit.integer(2) == 2);
    CHECK_FALSE(visit.step());

    SECTION("the same visit again is skipped, by its id or by its values") {
        CHECK(visits("P1,2026-10-25T01:30,\"Restless night, \"\"sundowning\"\"\"," + v1 + "\n")
                  .skipped == 1);
        CHECK(visits("P1,2026-10-25T01:30,\"Restless night, \"\"sundowning\"\"\",\n").skipped == 1);
        CHECK(test::count_rows(a, "visit") == 1);
    }
    SECTION("a score naming another patient's visit is refused, and nothing of the file stays") {
        try {
            scores("P1,2026-10-25T02:00,nausea,2,patient,," + v1 + "\n" +
                   "P2,2026-10-25T02:00,nausea,2,patient,," + v1 + "\n");
            FAIL("a score was filed under another patient's visit");
        } catch (const interop::ImportError& e) {
            REQUIRE(e.problems.size() == 1);
            CHECK_THAT(e.problems[0], Catch::Contains("line 3") &&
                                          Catch::Contains("another patient's visit, not P2's"));
        }
        CHECK(test::count_rows(a, "observation") == 2);
    }
    SECTION("scores naming a visit not imported are stored on their own, and the command line "
            "says to import visits.csv first") {
        write_file(dir / "later.csv", "patient,observed_at,symptom,score,reporter,note,visit\n"
                                      "P2,2026-10-26T09:00,pain,4,patient,," +
                                          v2 + "\nP2,2026-10-26T09:00,nausea,1,patient,," + v2 +
                                          "\n");
        const auto r = run_solace(
            {"import", "observations", (dir / "later.csv").string(), "--db", path, "--user", "ann"},
            env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("Imported 2 observations rows") &&
                              Catch::Contains("2 rows name a visit that is not in this database") &&
                              Catch::Contains("import visits.csv before observations.csv"));
        CHECK(test::count_rows(a, "observation") == 4);
    }
    SECTION("a family account imports its patient's visits only") {
        REQUIRE(run_solace({"user", "add", "kim", "--role", "family", "--patient", "P1", "--db",
                            path, "--user", "ann"},
                           {"SOLACE_PASSWORD=bedside-1", "SOLACE_NEW_PASSWORD=daughter-1"})
                    .exit_code == 0);
        const auto kim = app::Session::login(a, "kim", "daughter-1");
        interop::CsvReader mine("patient,visited_at,note\nP1,2026-10-26T18:00,Ate a little\n");
        CHECK(interop::import_rows(kim, CsvKind::visits, mine).imported == 1);
        interop::CsvReader theirs("patient,visited_at,note\nP2,2026-10-26T18:00,Ate a little\n");
        CHECK_THROWS_WITH(interop::import_rows(kim, CsvKind::visits, theirs),
                          Catch::Contains("not a known MRN for this account"));
        CHECK(test::count_rows(a, "visit") == 2);
    }
}

TEST_CASE("A patients file carries the on-call number and a discharge, and refuses half of one",
          "[csv]") {
    Signed in;
    auto& [dir, path, a, s] = in;
    const std::string head =
        "mrn,name,date_of_birth,time_zone,diagnosis,on_call,discharged_at,discharge_reason\n";
    const auto import = [&](const std::string& rows) -> std::string {
        const auto text = head + rows;
        interop::CsvReader reader(text);
        try {
            const auto n = interop::import_rows(s, CsvKind::patients, reader);
            return fmt::format("{} imported, {} skipped", n.imported, n.skipped);
        } catch (const std::exception& e) {
            return e.what();
        }
    };
    CHECK_THAT(import("P1,Jean Brennan,1938-09-09,Europe/London,,,,died\n"),
               Catch::Contains("line 2") &&
                   Catch::Contains("discharge_reason needs discharged_at"));
    CHECK_THAT(import("P1,Jean Brennan,1938-09-09,Europe/London,,,2026-03-01T10:00,gone\n"),
               Catch::Contains("\"gone\" is not died, transferred or other"));
    CHECK(test::count_rows(a, "patient") == 0);
    CHECK(import("P1,Jean Brennan,1938-09-09,Europe/London,,+44 20 7946 0000,,\n") ==
          "1 imported, 0 skipped");
    // A later file that knows of the death adds it; the same file again changes nothing.
    const auto died = "P1,Jean Brennan,1938-09-09,Europe/London,,+44 20 7946 0000,"
                      "2026-03-29T04:10,died\n";
    CHECK(import(died) == "1 imported, 0 skipped");
    CHECK(import(died) == "0 imported, 1 skipped");
    const auto p = store::PatientRepository(a).find_by_mrn("P1");
    REQUIRE(p->discharged_at);
    CHECK(*p->discharged_at == utc(2026, 3, 29, 3, 10)); // 04:10 BST
    CHECK(p->discharge_reason == "died");
    CHECK(p->on_call_phone == "+44 20 7946 0000");
    CHECK_THAT(import("P1,Jean Brennan,1938-09-09,Europe/London,,+44 20 7946 0000,"
                      "2026-03-30T04:10,died\n"),
               Catch::Contains("discharged (died) at another time"));
}
