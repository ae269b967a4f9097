// patient add and patient discharge (DESIGN §5): a nurse admits a patient from the command
// line, and a discharge or a death ends the dose flags at its time while the record stays
// readable.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "flags_json.hpp"
#include "support.hpp"

using solace::test::rules_of;
using solace::test::run_solace;
using solace::test::TempDir;

namespace {

const std::vector<std::string> nurse_env{"SOLACE_PASSWORD=bedside-1",
                                         "SOLACE_NEW_PASSWORD=bedside-1"};
const std::vector<std::string> family_env{"SOLACE_PASSWORD=daughter-1"};

struct Agency {
    TempDir dir;
    std::string db = (dir / "agency.db").string();
    Agency() { REQUIRE(run(nurse_env, {"init", "--user", "ann"}).exit_code == 0); }
    solace::test::CommandResult run(const std::vector<std::string>& env,
                                    std::vector<std::string> args) const {
        args.insert(args.end(), {"--db", db});
        if (args[0] != "init" && args[0] != "user" && env == nurse_env)
            args.insert(args.end(), {"--user", "ann"});
        return run_solace(args, env);
    }
    solace::test::CommandResult nurse(std::vector<std::string> args) const {
        return run(nurse_env, std::move(args));
    }
    void import(const std::string& kind, const std::string& csv) const {
        const auto r = solace::test::import_csv(dir.path, db, kind, csv, nurse_env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
    nlohmann::json flags(const std::string& mrn, const std::string& from,
                         const std::string& to) const {
        return solace::test::flags_json(db, mrn, from, to, nurse_env);
    }
};

} // namespace

TEST_CASE("A nurse admits a patient from the command line, and bad details are refused",
          "[patient]") {
    Agency a;
    const auto r = a.nurse({"patient", "add", "--mrn", "P0042", "--name", "Jean Brennan", "--born",
                            "1938-09-09", "--zone", "Europe/London", "--diagnosis", "mesothelioma",
                            "--on-call", "+44 20 7946 0000"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto out = nlohmann::json::parse(r.out);
    CHECK(out["mrn"] == "P0042");
    CHECK(out["id"].get<std::string>().size() == 36);
    // The patient is there to log a visit for.
    CHECK(a.nurse({"visit", "add", "P0042", "--score", "pain=4"}).exit_code == 0);

    SECTION("the same MRN again") {
        const auto again = a.nurse({"patient", "add", "--mrn", "P0042", "--name", "Other Person",
                                    "--born", "1950-01-01", "--zone", "UTC"});
        CHECK(again.exit_code == 1);
        CHECK_THAT(again.err, Catch::Contains("P0042") && Catch::Contains("already used"));
    }
    SECTION("a zone that does not exist, a birth date ahead, a name with a terminal escape") {
        const auto zone = a.nurse({"patient", "add", "--mrn", "P1", "--name", "A B", "--born",
                                   "1950-01-01", "--zone", "Europe/Londres"});
        CHECK(zone.exit_code != 0);
        CHECK_THAT(zone.err, Catch::Contains("Europe/Londres"));
        const auto born = a.nurse({"patient", "add", "--mrn", "P1", "--name", "A B", "--born",
                                   "2999-01-01", "--zone", "UTC"});
        CHECK(born.exit_code == 1);
        CHECK_THAT(born.err, Catch::Contains("not a past date"));
        const auto name = a.nurse({"patient", "add", "--mrn", "P1", "--name", "A \x1b[2J B",
                                   "--born", "1950-01-01", "--zone", "UTC"});
        CHECK(name.exit_code == 1);
        CHECK_THAT(name.err, Catch::Contains("control character"));
        CHECK(a.nurse({"visit", "add", "P1", "--score", "pain=4"}).exit_code != 0);
    }
    SECTION("a family account may neither admit nor discharge") {
        REQUIRE(
            a.run({"SOLACE_PASSWORD=bedside-1", "SOLACE_NEW_PASSWORD=daughter-1"},
                  {"user", "add", "kim", "--role", "family", "--patient", "P0042", "--user", "ann"})
                .exit_code == 0);
        const auto admit =
            a.run(family_env, {"patient", "add", "--mrn", "P2", "--name", "A B", "--born",
                               "1950-01-01", "--zone", "UTC", "--user", "kim"});
        CHECK(admit.exit_code == 3);
        const auto discharge = a.run(
            family_env, {"patient", "discharge", "P0042", "--reason", "died", "--user", "kim"});
        CHECK(discharge.exit_code == 3);
        CHECK_THAT(discharge.err, Catch::Contains("nurse"));
    }
}

TEST_CASE("A death ends the dose flags at its time: doses due after it are never missed",
          "[patient][scenario]") {
    Agency a;
    a.import("patients", "mrn,name,date_of_birth,time_zone,diagnosis\n"
                         "LON1,Walter Moreau,1938-01-15,Europe/London,glioblastoma\n");
    // Morphine SR twice a day, time-critical: due 08:00 and 20:00, window 30 min either side.
    // 29 March 2026 is the day London moves to summer time: 08:00 BST is 07:00Z.
    a.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "LON1,morphine-sr,Morphine sulfate SR,30 mg,oral,bid,,pain,2026-03-27,\n"
             "LON1,senna,Senna,15 mg,oral,daily,no,constipation,2026-03-27,\n");
    a.import("administrations", "patient,med,given_at,status,reason,recorded_by\n"
                                "LON1,morphine-sr,2026-03-28T08:00,given,,\n"
                                "LON1,morphine-sr,2026-03-28T20:00,given,,\n"
                                "LON1,senna,2026-03-28T08:00,given,,\n");
    const auto before = a.flags("LON1", "2026-03-29", "2026-04-05");
    CHECK(before.size() > 2); // without the death: every dose of a week is missed

    SECTION("a death at 08:30, as the 08:00 dose's window closes: nothing is missed") {
        const auto r = a.nurse(
            {"patient", "discharge", "LON1", "--reason", "died", "--at", "2026-03-29T08:30"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(a.flags("LON1", "2026-03-29", "2026-04-05").empty());
    }
    SECTION("a death one minute later: the 08:00 morphine was missed, nothing after") {
        REQUIRE(a.nurse({"patient", "discharge", "LON1", "--reason", "died", "--at",
                         "2026-03-29T08:31"})
                    .exit_code == 0);
        // Senna, once a day, has a 120-minute window: still open at 08:31.
        CHECK(rules_of(a.flags("LON1", "2026-03-29", "2026-04-05")) ==
              std::vector<std::string>{"dose.missed@2026-03-29T07:00:00Z"});
        // The history stays readable: the doses before the death are there.
        const auto r = a.nurse({"export", "csv", "--out", (a.dir / "out").string()});
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(solace::test::read_file(a.dir / "out" / "administrations.csv"),
                   Catch::Contains("LON1,morphine-sr,2026-03-28T20:00:00+00:00,given"));
    }
    SECTION("a discharge is recorded once, never ahead of now, and only with a known reason") {
        const auto reason = a.nurse(
            {"patient", "discharge", "LON1", "--reason", "better", "--at", "2026-03-29T09:00"});
        CHECK(reason.exit_code != 0);
        CHECK_THAT(reason.err, Catch::Contains("died, transferred or other"));
        const auto ahead = a.nurse({"patient", "discharge", "LON1", "--reason", "transferred",
                                    "--at", "2999-01-01T09:00"});
        CHECK(ahead.exit_code == 1);
        CHECK_THAT(ahead.err, Catch::Contains("in the future"));
        REQUIRE(a.nurse({"patient", "discharge", "LON1", "--reason", "transferred", "--at",
                         "2026-03-30T10:00"})
                    .exit_code == 0);
        const auto twice = a.nurse({"patient", "discharge", "LON1", "--reason", "died"});
        CHECK(twice.exit_code == 1);
        CHECK_THAT(twice.err, Catch::Contains("already discharged (transferred)"));
        for (const auto& f : a.flags("LON1", "2026-03-29", "2026-04-05"))
            CHECK(f["at"].get<std::string>() <= "2026-03-30T09:00:00Z");
    }
}
