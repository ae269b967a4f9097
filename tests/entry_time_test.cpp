// When it happened (DESIGN §3): entries take the time they happened, up to 72 hours back and
// at most 5 minutes ahead of when they are written; the rules judge that time, so late
// documentation raises no false dose.late. Through src/app and through the command line.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;
using solace::store::Database;
using solace::test::utc;

namespace {

constexpr const char* ann_password = "ann-password";
const std::vector<std::string> as_ann_env{std::string("SOLACE_PASSWORD=") + ann_password};

// The nurse ann and patient P1 in New York with senna daily at 08:00 (a 120-minute window).
struct Clinic {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";

    Clinic() {
        Database db(path, Database::Mode::create_new);
        store::AccountRepository accounts(db);
        accounts.add(
            {0, "ann", Role::nurse, true, false, solace::test::password_hash(ann_password), {}}, 0);
        const app::Session nurse(db, *accounts.find("ann"));
        Patient p;
        p.mrn = "P1";
        p.name = "Margaret Okafor";
        p.date_of_birth = date::year{1944} / 5 / 17;
        p.time_zone = "America/New_York";
        app::add_patient(nurse, p);
        Medication m;
        m.key = "senna";
        m.name = "Senna";
        m.schedule_text = "daily";
        m.start = utc(2026, 1, 1, 5);
        app::add_medication(nurse, "P1", m);
    }

    test::CommandResult solace(std::vector<std::string> args) const {
        for (const auto& a : {"--db", path.c_str(), "--user", "ann"})
            args.emplace_back(a);
        return test::run_solace(args, as_ann_env);
    }
};

app::DoseEntry senna_at(Instant at) {
    return {"P1", "senna", at, DoseStatus::given, "", "", ""};
}

std::int64_t rows(const std::filesystem::path& path, const std::string& sql) {
    Database db(path, Database::Mode::open_existing);
    store::Statement s(db, sql);
    REQUIRE(s.step());
    return s.int64(0);
}

} // namespace

TEST_CASE("An entry may be back-dated 72 hours and be at most 5 minutes ahead", "[entry-time]") {
    const app::EntryTiming t;
    const auto* zone = find_zone("America/New_York");
    const auto now = utc(2026, 3, 10, 17, 40);
    CHECK_NOTHROW(app::check_entry_time(t, now - 72h, now, zone));
    CHECK_NOTHROW(app::check_entry_time(t, now + 5min, now, zone));
    CHECK_THROWS_WITH(app::check_entry_time(t, now - 72h - 1s, now, zone, "the dose time"),
                      Catch::Contains("the dose time 2026-03-07 12:39 EST is more than 72 hours "
                                      "ago"));
    CHECK_THROWS_WITH(app::check_entry_time(t, now + 5min + 1s, now, zone),
                      Catch::Contains("is in the future (it is now 2026-03-10 13:40 EDT)"));
}

TEST_CASE("A time is typed as a clock time, yesterday's, or ISO 8601", "[entry-time]") {
    const auto* zone = find_zone("America/New_York");
    const auto now = utc(2026, 3, 10, 21, 40); // 17:40 EDT
    CHECK(app::entry_time("", zone, now) == now);
    CHECK(app::entry_time(" 08:00 ", zone, now) == utc(2026, 3, 10, 12));
    CHECK(app::entry_time("yesterday 20:00", zone, now) == utc(2026, 3, 10, 0));
    // The day before the clocks went forward: 08:00 was still EST.
    CHECK(app::entry_time("yesterday 08:00", zone, utc(2026, 3, 8, 21)) == utc(2026, 3, 7, 13));
    CHECK(app::entry_time("2026-03-09T23:15", zone, now) == utc(2026, 3, 10, 3, 15));
    CHECK(app::entry_time("2026-03-09T23:15Z", zone, now) == utc(2026, 3, 9, 23, 15));
    for (const char* bad : {"8", "25:00", "08:61", "yesterday", "tomorrow 08:00", "noon"})
        CHECK_THROWS_WITH(app::entry_time(bad, zone, now, "the dose time"),
                          Catch::Contains("is not a time: type it as 08:30"));
}

TEST_CASE("Documented late means written more than an hour after it happened", "[entry-time]") {
    const app::EntryTiming t;
    const auto at = utc(2026, 3, 10, 13);
    CHECK_FALSE(app::documented_late(t, at, at + 60min));
    CHECK(app::documented_late(t, at, at + 61min));
    CHECK_FALSE(app::documented_late(t, at, at));
}

TEST_CASE("The limits come from the agency's settings", "[entry-time]") {
    Clinic c;
    {
        Database db(c.path, Database::Mode::open_existing);
        store::Statement(db, "UPDATE setting SET value = 24 WHERE key = 'backdate_max_hours'")
            .run();
    }
    Database db(c.path, Database::Mode::open_existing);
    const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
    const auto now = utc(2026, 3, 10, 21, 40); // 17:40 in New York
    CHECK(app::entry_timing(db).backdate_max == 24h);
    CHECK_THROWS_AS(app::record_dose(nurse, senna_at(now - 25h), now), ValidationError);
    CHECK_NOTHROW(app::record_dose(nurse, senna_at(now - 23h), now));
}

TEST_CASE("A dose given at 08:00 and documented at 17:40 is on time, not late", "[entry-time]") {
    Clinic c;
    Database db(c.path, Database::Mode::open_existing);
    const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
    const auto given = utc(2026, 3, 10, 12);       // 08:00 EDT
    const auto written = utc(2026, 3, 10, 21, 40); // 17:40 EDT
    app::record_dose(nurse, senna_at(given), written);
    const auto p = nurse.patient("P1");
    const auto flags = app::patient_flags(nurse, p, utc(2026, 3, 10, 4), written);
    for (const auto& f : flags)
        CHECK(f.rule.rfind("dose.", 0) != 0);

    SECTION("and a visit back-dated to the morning keeps the morning's time") {
        app::VisitEntry v;
        v.mrn = "P1";
        v.at = given;
        v.reporter = Reporter::patient;
        v.scores.push_back({Symptom::pain, 3, ""});
        app::record_visit(nurse, v, written);
        CHECK(rows(c.path, "SELECT count(*) FROM observation WHERE observed_at = " +
                               std::to_string(to_epoch(given)) +
                               " AND recorded_at = " + std::to_string(to_epoch(written))) == 1);
    }
}

TEST_CASE("dose record --at: yesterday's 08:00 dose documented now is on time", "[entry-time]") {
    Clinic c;
    const auto* zone = find_zone("America/New_York");
    const auto today = date::floor<date::days>(zone->to_local(now_utc()));
    const auto yesterday = date::year_month_day{today - date::days{1}};
    const auto day = format_date(yesterday);

    auto r = c.solace(
        {"dose", "record", "P1", "--med", "senna", "--status", "given", "--at", day + "T08:00"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto out = nlohmann::json::parse(r.out);
    const auto id = out.at("id").get<std::string>();
    CHECK(store::is_uuid(id));
    CHECK(rows(c.path, "SELECT count(*) FROM administration WHERE uuid = '" + id +
                           "' AND recorded_at - given_at > 3600") == 1);

    r = c.solace({"flags", "--json", "--patient", "P1", "--from", day, "--to", day + "T23:59"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto flags = nlohmann::json::parse(r.out);
    for (const auto& f : flags)
        CHECK(f.at("rule").get<std::string>().rfind("dose.", 0) != 0);
}

TEST_CASE("dose record and visit add refuse a time too far back or ahead", "[entry-time]") {
    Clinic c;
    const auto old = format_utc(now_utc() - 73h);
    auto r = c.solace({"dose", "record", "P1", "--med", "senna", "--status", "given", "--at", old});
    CHECK(r.exit_code != 0);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("more than 72 hours ago"));

    r = c.solace({"visit", "add", "P1", "--score", "pain=4", "--at", format_utc(now_utc() + 1h)});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("is in the future"));

    r = c.solace({"dose", "record", "P1", "--med", "senna", "--status", "held"});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("needs a reason"));

    r = c.solace({"visit", "add", "P1", "--score", "pain"});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("SYMPTOM=0..10"));
    CHECK(rows(c.path, "SELECT count(*) FROM administration") == 0);
    CHECK(rows(c.path, "SELECT count(*) FROM visit") == 0);
}

TEST_CASE("visit add logs scores, PPS and note at --at, by the nurse", "[entry-time]") {
    Clinic c;
    const auto at = date::floor<std::chrono::minutes>(now_utc() - 30h);
    auto r = c.solace({"visit", "add", "P1", "--at", format_utc(at), "--score", "pain=6", "--score",
                       "nausea=2", "--pps", "50", "--note", "slept badly"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto id = nlohmann::json::parse(r.out).at("id").get<std::string>();
    CHECK(rows(c.path, "SELECT count(*) FROM visit WHERE uuid = '" + id + "' AND at = " +
                           std::to_string(to_epoch(at)) + " AND note = 'slept badly'") == 1);
    CHECK(rows(c.path, "SELECT count(*) FROM observation WHERE item <> 'pps' AND reporter = "
                       "'nurse' AND observed_at = " +
                           std::to_string(to_epoch(at))) == 2);
    CHECK(rows(c.path, "SELECT count(*) FROM observation WHERE item = 'pps' AND value = 50") == 1);
}
