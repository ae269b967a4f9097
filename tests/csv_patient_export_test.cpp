// export csv --patient (issue 7 item 3): one patient's history in the import format, which
// imported into a new database exports the same bytes again.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support.hpp"

using solace::test::read_file;
using solace::test::run_solace;
using solace::test::TempDir;
using solace::test::write_file;

namespace {

const std::vector<std::string> env{"SOLACE_PASSWORD=csv-pw-1", "SOLACE_NEW_PASSWORD=csv-pw-1"};
const char* const kinds[] = {"patients", "medications", "observations", "administrations"};

void import_all(const std::string& db, const std::filesystem::path& in) {
    REQUIRE(run_solace({"init", "--db", db, "--user", "ann"}, env).exit_code == 0);
    for (const char* kind : kinds) {
        const auto r = run_solace({"import", kind, (in / (std::string(kind) + ".csv")).string(),
                                   "--db", db, "--user", "ann"},
                                  env);
        INFO(kind << ": " << r.err);
        REQUIRE(r.exit_code == 0);
    }
}

void export_patient(const std::string& db, const std::string& mrn,
                    const std::filesystem::path& out) {
    const auto r = run_solace(
        {"export", "csv", "--patient", mrn, "--out", out.string(), "--db", db, "--user", "ann"},
        env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

} // namespace

TEST_CASE("export csv --patient writes only that patient, and re-importing it reproduces it",
          "[csv][cli]") {
    TempDir dir;
    const auto source = dir / "source";
    std::filesystem::create_directories(source);
    write_file(source / "patients.csv", "mrn,name,date_of_birth,time_zone,diagnosis\n"
                                        "P1,Rosa Brennan,1941-04-02,America/New_York,pancreatic\n"
                                        "P2,Aiko Nakamura,1950-12-31,Pacific/Auckland,lung\n");
    write_file(source / "medications.csv",
               "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
               "P1,morphine-sr,Morphine SR,30 mg,oral,bid,,pain,2026-03-01,\n"
               "P1,oxy-ir,Oxycodone IR,5 mg,oral,prn q1h max 6,,pain,2026-03-01,2026-12-31\n"
               "P2,ondansetron,Ondansetron,4 mg,oral,tid,no,nausea,2026-06-01,\n");
    write_file(source / "observations.csv",
               "patient,observed_at,symptom,score,reporter,note\n"
               "P1,2026-03-08T02:30,pain,6,patient,\"woke at night, settled\"\n"
               "P1,2026-03-08T09:00,pps,60,nurse,\n"
               "P1,2026-03-09T09:00,anxiety,3,caregiver,\n"
               "P2,2026-07-01T10:00,breathing,4,patient,\n");
    write_file(source / "administrations.csv",
               "patient,med,given_at,status,reason,recorded_by\n"
               "P1,morphine-sr,2026-03-08T08:05,given,,\n"
               "P1,morphine-sr,2026-03-08T20:00,held,asleep,Bea\n"
               "P1,oxy-ir,2026-03-08T03:00,given,,daughter\n"
               "P2,ondansetron,2026-07-01T14:10,refused,nausea gone,\n");

    const auto a = (dir / "a.db").string(), b = (dir / "b.db").string();
    import_all(a, source);
    export_patient(a, "P1", dir / "p1-a");
    for (const char* kind : kinds) {
        const auto text = read_file(dir / "p1-a" / (std::string(kind) + ".csv"));
        INFO(kind << ":\n" << text);
        CHECK_THAT(text, Catch::Contains("P1"));
        CHECK_THAT(text, !Catch::Contains("P2"));
    }
    CHECK_THAT(read_file(dir / "p1-a" / "observations.csv"),
               Catch::Contains("P1,2026-03-08T03:30:00-04:00,pain,6,patient,\"woke at night, "
                               "settled\","));

    import_all(b, dir / "p1-a");
    export_patient(b, "P1", dir / "p1-b");
    for (const char* kind : kinds) {
        const auto name = std::string(kind) + ".csv";
        INFO(name);
        CHECK(read_file(dir / "p1-a" / name) == read_file(dir / "p1-b" / name));
    }
}
