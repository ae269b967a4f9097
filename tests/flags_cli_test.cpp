// Clinical scenarios end to end: CSVs imported through the command line, flags read as JSON.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "entries.hpp"
#include "flags_json.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"

using solace::test::rules_of;
using solace::test::run_solace;
using solace::test::TempDir;
using solace::test::write_file;

namespace {

const std::vector<std::string> nurse_env{"SOLACE_PASSWORD=bedside-1",
                                         "SOLACE_NEW_PASSWORD=bedside-1"};

struct Clinic {
    TempDir dir;
    std::string db = (dir / "clinic.db").string();

    Clinic() {
        REQUIRE(run_solace({"init", "--db", db, "--user", "ann"}, nurse_env).exit_code == 0);
        import("patients", "mrn,name,date_of_birth,time_zone,diagnosis\n"
                           "NY1,Rosa Brennan,1941-04-02,America/New_York,pancreatic cancer\n"
                           "LH1,Aiko Nakamura,1950-09-30,Australia/Lord_Howe,lung cancer\n"
                           "LON1,Walter Moreau,1938-01-15,Europe/London,glioblastoma\n");
    }
    void import(const std::string& kind, const std::string& csv) {
        const auto r = solace::test::import_csv(dir.path, db, kind, csv, nurse_env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
    nlohmann::json flags(const std::string& mrn, const std::string& from, const std::string& to) {
        return solace::test::flags_json(db, mrn, from, to, nurse_env);
    }
};

} // namespace

TEST_CASE("A spring-forward clock dose that nobody gave is flagged missed at 03:30 local",
          "[scenario]") {
    Clinic c;
    c.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "NY1,night-med,Haloperidol,1 mg,oral,02:30,no,agitation,2026-03-07,\n");
    // 2026-03-08 02:30 does not exist in New York: due at 03:30 EDT = 07:30Z, window 120 min.
    SECTION("Once its window has closed") {
        const auto f = c.flags("NY1", "2026-03-08", "2026-03-08T06:00");
        REQUIRE(rules_of(f) == std::vector<std::string>{"dose.missed@2026-03-08T07:30:00Z"});
        CHECK(f[0]["severity"] == "warning");
        CHECK(f[0]["med"] == "night-med");
        CHECK(f[0]["patient"] == "NY1");
        CHECK(f[0]["acknowledged"] == false);
        CHECK(f[0]["reasons"].is_array());
        CHECK_FALSE(f[0]["detail"].get<std::string>().empty());
    }
    SECTION("Not while the window is still open at --to") {
        CHECK(c.flags("NY1", "2026-03-08", "2026-03-08T05:30").empty());
    }
}

TEST_CASE("A time-critical opioid dose given late and one missed are told apart", "[scenario]") {
    Clinic c;
    c.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "LON1,morphine-sr,Morphine SR,30 mg,oral,bid,,pain,2026-06-01,\n");
    // London in June is UTC+1. 08:00 given 08:45 (window 30 min: late); 20:00 nothing recorded.
    c.import("administrations", "patient,med,given_at,status,reason,recorded_by\n"
                                "LON1,morphine-sr,2026-06-02T08:45,given,,\n");
    const auto f = c.flags("LON1", "2026-06-02T00:00", "2026-06-02T23:59");
    REQUIRE(rules_of(f) == std::vector<std::string>{"dose.late@2026-06-02T07:00:00Z",
                                                    "dose.missed@2026-06-02T19:00:00Z"});
    CHECK(f[1]["severity"] == "urgent"); // the opioid defaults to time-critical
}

TEST_CASE("A held dose with a reason is not missed", "[scenario]") {
    Clinic c;
    c.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "LON1,dex,Dexamethasone,4 mg,oral,daily,no,appetite,2026-06-01,\n");
    c.import("administrations", "patient,med,given_at,status,reason,recorded_by\n"
                                "LON1,dex,2026-06-02T08:10,held,asleep,\n");
    CHECK(c.flags("LON1", "2026-06-02", "2026-06-02T23:00").empty());
}

TEST_CASE("Caregiver and patient scores are not compared with each other", "[scenario]") {
    Clinic c;
    c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                             "NY1,2026-07-01T10:00,anxiety,2,patient,\n"
                             "NY1,2026-07-01T22:00,anxiety,5,caregiver,restless\n"
                             "NY1,2026-07-02T10:00,anxiety,4,patient,\n");
    const auto f = c.flags("NY1", "2026-07-01", "2026-07-03");
    // Only the patient's own 2 -> 4 rise counts; the caregiver's 5 has no earlier caregiver score.
    REQUIRE(rules_of(f) == std::vector<std::string>{"symptom.rise@2026-07-02T14:00:00Z"});
    CHECK(f[0]["symptom"] == "anxiety");
    CHECK(f[0]["reasons"] == nlohmann::json::array({"symptom.band_up"}));
}

TEST_CASE("Nothing recorded after --to is seen", "[scenario]") {
    Clinic c;
    c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                             "LH1,2026-07-01T10:00,pain,2,patient,\n"
                             "LH1,2026-07-02T10:00,pain,9,patient,\n");
    CHECK(c.flags("LH1", "2026-06-25", "2026-07-02T09:00").empty());
    const auto f = c.flags("LH1", "2026-06-25", "2026-07-02T11:00");
    REQUIRE(f.size() == 1);
    CHECK(f[0]["rule"] == "symptom.severe");
    CHECK(f[0]["severity"] == "urgent");
    // Lord Howe in July is UTC+10:30.
    CHECK(f[0]["at"] == "2026-07-01T23:30:00Z");
}

TEST_CASE("An acknowledged flag stays listed, marked acknowledged, after recomputation",
          "[scenario]") {
    Clinic c;
    c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                             "LON1,2026-08-01T10:00,breathing,8,patient,\n");
    auto f = c.flags("LON1", "2026-07-30", "2026-08-02");
    REQUIRE(f.size() == 1);
    const auto id = f[0]["id"].get<std::string>();
    const auto r = run_solace(
        {"ack", id, "--note", "oxygen started", "--db", c.db, "--user", "ann"}, nurse_env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    f = c.flags("LON1", "2026-07-30", "2026-08-02");
    REQUIRE(f.size() == 1);
    CHECK(f[0]["id"] == id);
    CHECK(f[0]["acknowledged"] == true);
    CHECK(f[0]["acknowledged_by"] == "ann");
    SECTION("A second acknowledgement is refused") {
        const auto again = run_solace({"ack", id, "--db", c.db, "--user", "ann"}, nurse_env);
        CHECK(again.exit_code != 0);
        CHECK_THAT(again.err, Catch::Contains("already acknowledged"));
    }
}

TEST_CASE("Three pain PRN doses within 24 hours across midnight raise one breakthrough flag",
          "[scenario]") {
    Clinic c;
    c.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "LON1,morphine-ir,Morphine IR,5 mg,oral,prn q1h max 6,,pain,2026-06-01,\n");
    c.import("administrations", "patient,med,given_at,status,reason,recorded_by\n"
                                "LON1,morphine-ir,2026-06-02T18:00,given,,\n"
                                "LON1,morphine-ir,2026-06-02T23:30,given,,\n"
                                "LON1,morphine-ir,2026-06-03T06:00,given,,\n");
    // A pain score 40 minutes after each dose: no prn.no_follow_up, and the effect is told.
    c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                             "LON1,2026-06-02T18:40,pain,6,patient,\n"
                             "LON1,2026-06-03T00:10,pain,5,patient,\n"
                             "LON1,2026-06-03T06:40,pain,4,caregiver,\n");
    const auto f = c.flags("LON1", "2026-06-02", "2026-06-04");
    REQUIRE(rules_of(f) == std::vector<std::string>{"prn.breakthrough@2026-06-03T05:00:00Z"});
    CHECK(f[0]["med"] == "morphine-ir");
    CHECK_THAT(f[0]["detail"].get<std::string>(),
               Catch::EndsWith(" Effect: pain 5 → 4, 40 min after morphine-ir."));
    SECTION("without the scores after them, each dose asks for its follow-up") {
        Clinic d;
        d.import("medications",
                 "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
                 "LON1,morphine-ir,Morphine IR,5 mg,oral,prn q1h max 6,,pain,2026-06-01,\n");
        d.import("administrations", "patient,med,given_at,status,reason,recorded_by\n"
                                    "LON1,morphine-ir,2026-06-02T18:00,given,,\n");
        CHECK(rules_of(d.flags("LON1", "2026-06-02", "2026-06-02T19:29")).empty());
        CHECK(rules_of(d.flags("LON1", "2026-06-02", "2026-06-02T19:30")) ==
              std::vector<std::string>{"prn.no_follow_up@2026-06-02T17:00:00Z"});
    }
}

// ---------------------------------------------------------------------------- issue 12

namespace {
std::vector<nlohmann::json> of_rule(const nlohmann::json& flags, const std::string& rule) {
    std::vector<nlohmann::json> out;
    for (const auto& f : flags)
        if (f["rule"] == rule) out.push_back(f);
    return out;
}
} // namespace

TEST_CASE("A nurse and a daughter both giving the 08:00 morphine is an escalated double dose",
          "[scenario]") {
    Clinic c;
    c.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "LON1,morphine-sr,Morphine SR,30 mg,oral,bid,,pain,2026-06-01,\n"
             "LON1,senna,Senna,15 mg,oral,bid,,constipation,2026-06-01,\n");
    c.import("administrations", "patient,med,given_at,status,reason,recorded_by\n"
                                "LON1,morphine-sr,2026-06-02T08:00,given,,ann\n"
                                "LON1,morphine-sr,2026-06-02T08:20,given,,Maria (daughter)\n"
                                "LON1,morphine-sr,2026-06-02T20:00,given,,ann\n");
    const auto f = c.flags("LON1", "2026-06-02T07:00", "2026-06-02T21:00");
    const auto dup = of_rule(f, "dose.duplicate");
    REQUIRE(dup.size() == 1);
    CHECK(dup[0]["at"] == "2026-06-02T07:20:00Z"); // 08:20 BST
    CHECK(dup[0]["severity"] == "urgent");
    CHECK(dup[0]["med"] == "morphine-sr");
    CHECK(dup[0]["detail"].get<std::string>().find("Maria (daughter)") != std::string::npos);
    // Not the evening dose given early: that one was given on time.
    CHECK(of_rule(f, "dose.early").empty());
    // Urgent, unacknowledged 4 h after 08:20 by 21:00: escalated, and listed first.
    CHECK(dup[0]["escalated"] == true);
    CHECK(f[0]["rule"] == "dose.duplicate");
    SECTION("acknowledged, it is no longer escalated") {
        const auto id = dup[0]["id"].get<std::string>();
        REQUIRE(run_solace({"ack", id, "--db", c.db, "--user", "ann"}, nurse_env).exit_code == 0);
        const auto again =
            of_rule(c.flags("LON1", "2026-06-02T07:00", "2026-06-02T21:00"), "dose.duplicate");
        REQUIRE(again.size() == 1);
        CHECK(again[0]["escalated"] == false);
    }
    SECTION("at 3 h 59 min it is not escalated yet") {
        const auto early =
            of_rule(c.flags("LON1", "2026-06-02T07:00", "2026-06-02T12:19"), "dose.duplicate");
        REQUIRE(early.size() == 1);
        CHECK(early[0]["escalated"] == false);
    }
}

TEST_CASE("flags --to a later date judges as of now: a dose due later is not missed",
          "[scenario]") {
    Clinic c;
    const auto now = std::chrono::system_clock::now();
    const auto day = [&](int offset) {
        return date::format("%F", date::floor<date::days>(now) + date::days{offset});
    };
    // London in winter or summer: q1h doses, window ±30 min (dosed more often than every 4 h).
    c.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "LON1,halo,Haloperidol,1 mg,oral,q1h@00:00,no,agitation," +
                 day(-1) + ",\n");
    const auto f = c.flags("LON1", day(-1), day(1));
    const auto missed = of_rule(f, "dose.missed");
    REQUIRE(missed.size() >= 20); // yesterday's doses at least
    const auto after = date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (const auto& m : missed) {
        const auto at = solace::parse_time(m["at"].get<std::string>(), "at").absolute;
        INFO(m["at"]);
        REQUIRE(at);
        CHECK(*at + std::chrono::minutes{30} < after);
    }
}

TEST_CASE("A bowel movement logged at a visit starts the 72 hours of bowel.none", "[scenario]") {
    Clinic c;
    c.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "LON1,morphine-sr,Morphine SR,30 mg,oral,bid,,pain,2026-06-01,\n");
    {
        // The visit of 5 June 09:00 BST, documented then (`visit add --at` takes at most 72 hours
        // back, so a June visit is written as the nurse wrote it in June).
        solace::store::Database db(c.db, solace::store::Database::Mode::open_existing);
        const solace::app::Session nurse(db, *solace::store::AccountRepository(db).find("ann"));
        solace::app::VisitEntry v;
        v.mrn = "LON1";
        v.at = *solace::parse_time("2026-06-05T08:00:00Z", "test").absolute;
        v.scores = {{solace::Symptom::pain, 3, ""}};
        v.bowel_movement = solace::app::BowelMovementEntry{
            *solace::parse_time("2026-06-05T07:00:00Z", "test").absolute, 5};
        solace::test::record_visit(nurse, v);
    }
    SECTION("no laxative beside the opioid from its first day") {
        const auto f = of_rule(c.flags("LON1", "2026-06-01", "2026-06-02"), "med.no_laxative");
        REQUIRE(f.size() == 1);
        CHECK(f[0]["at"] == "2026-05-31T23:00:00Z"); // 2026-06-01 00:00 BST
        CHECK(f[0]["severity"] == "warning");
    }
    SECTION("72 h after 08:00 BST, not a minute before") {
        CHECK(of_rule(c.flags("LON1", "2026-06-05", "2026-06-08T07:59"), "bowel.none").empty());
        const auto f = of_rule(c.flags("LON1", "2026-06-05", "2026-06-08T08:00"), "bowel.none");
        REQUIRE(f.size() == 1);
        CHECK(f[0]["at"] == "2026-06-08T07:00:00Z");
        CHECK(f[0]["detail"].get<std::string>().find("Bristol type 5") != std::string::npos);
    }
    SECTION("a later one imported as an observation resets it") {
        c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                                 "LON1,2026-06-06T10:00,bowel_movement,3,caregiver,\n");
        // 10:00 BST + 72 h is 10:00 BST three days later.
        CHECK(of_rule(c.flags("LON1", "2026-06-05", "2026-06-09T09:59"), "bowel.none").empty());
        const auto f = of_rule(c.flags("LON1", "2026-06-05", "2026-06-09T10:00"), "bowel.none");
        REQUIRE(f.size() == 1);
        CHECK(f[0]["at"] == "2026-06-09T09:00:00Z"); // 10:00 BST + 72 h
    }
    SECTION("a Bristol type out of range is refused, nothing saved") {
        const auto bad = run_solace({"visit", "add", "LON1", "--bowel-movement", "2026-06-07T08:00",
                                     "--bristol", "9", "--db", c.db, "--user", "ann"},
                                    nurse_env);
        CHECK(bad.exit_code != 0);
        CHECK(bad.err.find("Bristol stool type 9") != std::string::npos);
        CHECK(of_rule(c.flags("LON1", "2026-06-05", "2026-06-08T08:00"), "bowel.none").size() == 1);
    }
}
