// Every validation rule refuses with a sentence naming the field and the value, whether the
// entry comes through a use case or through a CSV import (issue 2, item 5).
// Instants are explicit UTC values: nothing depends on TZ or the clock.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "domain/time.hpp"
#include "entries.hpp"
#include "interop/import.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "support.hpp"

using namespace solace;
using solace::interop::CsvKind;
using solace::store::Database;
using solace::test::TempDir;

using solace::test::count_rows;
using solace::test::utc;

namespace {

// A database with a nurse, patient P1 in New York, a scheduled and a PRN medication.
struct Clinic {
    TempDir dir;
    Database db{dir / "solace.db", Database::Mode::create_new};
    app::Session nurse = make_nurse();

    Clinic() {
        Patient p;
        p.mrn = "P1";
        p.name = "Margaret Okafor";
        p.date_of_birth = date::year{1944} / 5 / 17;
        p.time_zone = "America/New_York";
        app::add_patient(nurse, p);
        add_med("morphine-sr", "Morphine sulfate SR", "bid");
        add_med("oxy-ir", "Oxycodone IR", "prn q1h max 6");
    }

    app::Session make_nurse() {
        store::AccountRepository accounts(db);
        accounts.add(
            {0, "ann", Role::nurse, true, false, solace::test::password_hash("validation-pw"), {}},
            0);
        return app::Session(db, *accounts.find("ann"));
    }

    void add_med(const std::string& key, const std::string& name, const std::string& schedule) {
        Medication m;
        m.key = key;
        m.name = name;
        m.schedule_text = schedule;
        m.indication = "pain";
        m.start = utc(2026, 1, 1);
        app::add_medication(nurse, "P1", m);
    }

    // The problems of an import that must be refused, with nothing saved.
    std::vector<std::string> refused_import(CsvKind kind, const std::string& text) {
        const auto scores = count_rows(db, "observation");
        const auto doses = count_rows(db, "administration");
        const auto meds = count_rows(db, "medication");
        const auto patients = count_rows(db, "patient");
        try {
            interop::import_csv(nurse, kind, text);
        } catch (const interop::ImportError& e) {
            CHECK(count_rows(db, "observation") == scores);
            CHECK(count_rows(db, "administration") == doses);
            CHECK(count_rows(db, "medication") == meds);
            CHECK(count_rows(db, "patient") == patients);
            return e.problems;
        }
        FAIL("expected the import to be refused");
        return {};
    }

    std::string refused_observation(const std::string& row) {
        const auto problems =
            refused_import(CsvKind::observations, "patient,observed_at,symptom,score,reporter,"
                                                  "note\n" +
                                                      row + "\n");
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Catch::StartsWith("line 2: "));
        return problems[0];
    }

    std::string refused_dose(const std::string& row) {
        const auto problems = refused_import(
            CsvKind::administrations, "patient,med,given_at,status,reason,recorded_by\n" + row);
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Catch::StartsWith("line 2: "));
        return problems[0];
    }

    std::string refused_medication(const std::string& row) {
        const auto problems = refused_import(CsvKind::medications,
                                             "patient,med,name,dose,route,schedule,time_critical,"
                                             "indication,start,end\n" +
                                                 row);
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Catch::StartsWith("line 2: "));
        return problems[0];
    }

    std::string refused_patient(const std::string& row) {
        const auto problems =
            refused_import(CsvKind::patients, "mrn,name,date_of_birth,time_zone,diagnosis\n" + row);
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Catch::StartsWith("line 2: "));
        return problems[0];
    }
};

// The message of the expected exception `E`, or a failed test.
template <class E> std::string message(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    FAIL("expected the entry to be refused");
    return {};
}

// A message a nurse can read: a sentence, not a code.
void check_sentence(const std::string& msg) {
    REQUIRE_FALSE(msg.empty());
    CHECK((msg.back() == '.' || msg.back() == ')'));
}

app::VisitEntry visit(Symptom s, int value, Reporter r = Reporter::patient) {
    app::VisitEntry v;
    v.mrn = "P1";
    v.at = utc(2026, 7, 1, 14);
    v.reporter = r;
    v.scores.push_back({s, value, ""});
    return v;
}

} // namespace

TEST_CASE("A score above 10 or below 0 is refused naming the symptom and value", "[validation]") {
    Clinic c;
    SECTION("through a visit") {
        auto msg = message<ValidationError>(
            [&] { test::record_visit(c.nurse, visit(Symptom::pain, 11)); });
        CHECK_THAT(msg, Catch::Contains("pain 11"));
        CHECK_THAT(msg, Catch::Contains("0") && Catch::Contains("10"));
        check_sentence(msg);
        msg = message<ValidationError>(
            [&] { test::record_visit(c.nurse, visit(Symptom::nausea, -1)); });
        CHECK_THAT(msg, Catch::Contains("nausea -1"));
        check_sentence(msg);
        CHECK(count_rows(c.db, "observation") == 0);
        CHECK(count_rows(c.db, "visit") == 0);
    }
    SECTION("through an import") {
        CHECK_THAT(c.refused_observation("P1,2026-07-01T10:00,pain,11,patient,"),
                   Catch::Contains("score 11"));
        CHECK_THAT(c.refused_observation("P1,2026-07-01T10:00,pain,-1,patient,"),
                   Catch::Contains("score -1"));
        CHECK_THAT(c.refused_observation("P1,2026-07-01T10:00,pain,ten,patient,"),
                   Catch::Contains("score \"ten\""));
    }
}

TEST_CASE("A visit with one bad score saves none of its scores", "[validation]") {
    Clinic c;
    auto v = visit(Symptom::pain, 4);
    v.scores.push_back({Symptom::nausea, 2, ""});
    v.scores.push_back({Symptom::anxiety, 12, ""});
    const auto msg = message<ValidationError>([&] { test::record_visit(c.nurse, v); });
    CHECK_THAT(msg, Catch::Contains("anxiety 12"));
    CHECK(count_rows(c.db, "observation") == 0);
    CHECK(count_rows(c.db, "visit") == 0);
}

TEST_CASE("A PPS that is not 0 to 100 in steps of 10 is refused naming the value", "[validation]") {
    Clinic c;
    auto v = visit(Symptom::pain, 3);
    v.reporter = Reporter::nurse;
    v.pps = 55;
    const auto msg = message<ValidationError>([&] { test::record_visit(c.nurse, v); });
    CHECK_THAT(msg, Catch::Contains("pps 55"));
    check_sentence(msg);
    CHECK_THAT(c.refused_observation("P1,2026-07-01T10:00,pps,110,nurse,"),
               Catch::Contains("pps 110"));
}

TEST_CASE("An unknown symptom is refused naming it and listing the known ones", "[validation]") {
    Clinic c;
    const auto msg = c.refused_observation("P1,2026-07-01T10:00,itching,3,patient,");
    CHECK_THAT(msg, Catch::Contains("symptom \"itching\""));
    CHECK_THAT(msg, Catch::Contains("breathing"));
    check_sentence(msg);
    CHECK_FALSE(parse_symptom("itching").has_value());
}

TEST_CASE("An unknown reporter is refused naming it and listing the known ones", "[validation]") {
    Clinic c;
    const auto msg = c.refused_observation("P1,2026-07-01T10:00,pain,3,doctor,");
    CHECK_THAT(msg, Catch::Contains("reporter \"doctor\""));
    CHECK_THAT(msg, Catch::Contains("caregiver"));
    check_sentence(msg);
    CHECK_FALSE(parse_reporter("doctor").has_value());
}

TEST_CASE("A time zone the tz database does not know is refused naming it", "[validation]") {
    Clinic c;
    SECTION("through the use case") {
        Patient p;
        p.mrn = "P2";
        p.name = "Arthur Brennan";
        p.date_of_birth = date::year{1950} / 1 / 2;
        p.time_zone = "Mars/Olympus_Mons";
        const auto msg = message<ValidationError>([&] { app::add_patient(c.nurse, p); });
        CHECK_THAT(msg, Catch::Contains("time_zone \"Mars/Olympus_Mons\""));
        CHECK_THAT(msg, Catch::Contains("America/New_York"));
        check_sentence(msg);
        CHECK(count_rows(c.db, "patient") == 1);
    }
    SECTION("through an import") {
        const auto msg = c.refused_patient("P2,Arthur Brennan,1950-01-02,EST5EDT-ish,\n");
        CHECK_THAT(msg, Catch::Contains("time_zone \"EST5EDT-ish\""));
    }
}

TEST_CASE("A time Solace cannot read is refused naming the field, the text and an example",
          "[validation]") {
    Clinic c;
    SECTION("when parsed") {
        for (const char* bad : {"next tuesday", "2026-02-30T10:00", "2026-07-01T25:00",
                                "01/07/2026 10:00", "2026-07-01T10:00+25:00"}) {
            const auto msg = message<ValidationError>([&] { parse_time(bad, "observed_at"); });
            CHECK_THAT(msg, Catch::Contains(std::string("observed_at \"") + bad + "\""));
            CHECK_THAT(msg, Catch::Contains("2026-03-08T14:30"));
            check_sentence(msg);
        }
        // A date alone is a time only where a date is allowed (medication start and end).
        CHECK_THROWS_AS(parse_time("2026-07-01", "observed_at"), ValidationError);
        CHECK(parse_time("2026-07-01", "start", true).date_only);
    }
    SECTION("through an import") {
        const auto msg = c.refused_observation("P1,yesterday at ten,pain,3,patient,");
        CHECK_THAT(msg, Catch::Contains("observed_at \"yesterday at ten\""));
    }
}

TEST_CASE("A date of birth that is not a date is refused naming it", "[validation]") {
    Clinic c;
    const auto msg = c.refused_patient("P2,Arthur Brennan,1950-13-01,Europe/London,\n");
    CHECK_THAT(msg, Catch::Contains("date_of_birth \"1950-13-01\""));
    check_sentence(msg);
}

TEST_CASE("An unknown patient MRN is refused naming it", "[validation]") {
    Clinic c;
    SECTION("through a visit") {
        auto v = visit(Symptom::pain, 3);
        v.mrn = "P404";
        const auto msg = message<NotFoundError>([&] { test::record_visit(c.nurse, v); });
        CHECK_THAT(msg, Catch::Contains("\"P404\""));
        check_sentence(msg);
    }
    SECTION("through a dose") {
        app::DoseEntry d{"P404", "morphine-sr", utc(2026, 7, 1, 12), DoseStatus::given, "", ""};
        CHECK_THAT(message<NotFoundError>([&] { test::record_dose(c.nurse, d); }),
                   Catch::Contains("\"P404\""));
    }
    SECTION("through an import") {
        const auto msg = c.refused_observation("P404,2026-07-01T10:00,pain,3,patient,");
        CHECK_THAT(msg, Catch::Contains("patient \"P404\""));
    }
}

TEST_CASE("An unknown medication key is refused naming it and the patient", "[validation]") {
    Clinic c;
    SECTION("through a dose") {
        app::DoseEntry d{"P1", "aspirin", utc(2026, 7, 1, 12), DoseStatus::given, "", ""};
        const auto msg = message<NotFoundError>([&] { test::record_dose(c.nurse, d); });
        CHECK_THAT(msg, Catch::Contains("med \"aspirin\""));
        CHECK_THAT(msg, Catch::Contains("P1"));
        check_sentence(msg);
        CHECK(count_rows(c.db, "administration") == 0);
    }
    SECTION("through an import") {
        const auto msg = c.refused_dose("P1,aspirin,2026-07-01T08:00,given,,\n");
        CHECK_THAT(msg, Catch::Contains("med \"aspirin\""));
    }
}

TEST_CASE("A schedule the grammar rejects is refused with an example of one it accepts",
          "[validation]") {
    Clinic c;
    SECTION("through the use case") {
        Medication m;
        m.key = "haloperidol";
        m.name = "Haloperidol";
        m.schedule_text = "whenever needed";
        m.start = utc(2026, 7, 1);
        const auto msg = message<ValidationError>([&] { app::add_medication(c.nurse, "P1", m); });
        CHECK_THAT(msg, Catch::Contains("schedule \"whenever needed\""));
        CHECK_THAT(msg, Catch::Contains("q4h@06:00"));
        check_sentence(msg);
        CHECK(count_rows(c.db, "medication") == 2);
    }
    SECTION("through an import") {
        const auto msg =
            c.refused_medication("P1,haloperidol,Haloperidol,1 mg,oral,twice-ish,,,2026-07-01,\n");
        CHECK_THAT(msg, Catch::Contains("schedule \"twice-ish\""));
        CHECK_THAT(msg, Catch::Contains("q4h@06:00"));
    }
}

TEST_CASE("A held or refused dose without a reason is refused naming the status", "[validation]") {
    Clinic c;
    SECTION("through the use case") {
        for (auto status : {DoseStatus::held, DoseStatus::refused}) {
            app::DoseEntry d{"P1", "morphine-sr", utc(2026, 7, 1, 12), status, "  ", ""};
            const auto msg = message<ValidationError>([&] { test::record_dose(c.nurse, d); });
            CHECK_THAT(msg, Catch::Contains("reason"));
            CHECK_THAT(msg, Catch::Contains(std::string(code(status))));
            check_sentence(msg);
        }
        CHECK(count_rows(c.db, "administration") == 0);
        app::DoseEntry ok{"P1", "morphine-sr", utc(2026, 7, 1, 12), DoseStatus::held, "asleep", ""};
        test::record_dose(c.nurse, ok);
        CHECK(count_rows(c.db, "administration") == 1);
    }
    SECTION("through an import") {
        auto msg = c.refused_dose("P1,morphine-sr,2026-07-01T08:00,held,,\n");
        CHECK_THAT(msg, Catch::Contains("reason"));
        CHECK_THAT(msg, Catch::Contains("held"));
        msg = c.refused_dose("P1,morphine-sr,2026-07-01T08:00,refused,,\n");
        CHECK_THAT(msg, Catch::Contains("refused"));
    }
}

TEST_CASE("An unknown dose status or time_critical value is refused naming it", "[validation]") {
    Clinic c;
    CHECK_THAT(c.refused_dose("P1,morphine-sr,2026-07-01T08:00,lost,,\n"),
               Catch::Contains("status \"lost\""));
    CHECK_THAT(
        c.refused_medication("P1,senna,Senna,2 tabs,oral,daily,maybe,constipation,2026-07-01,\n"),
        Catch::Contains("time_critical \"maybe\""));
}

TEST_CASE("A medication whose end is before its start is refused naming both", "[validation]") {
    Clinic c;
    const auto msg =
        c.refused_medication("P1,senna,Senna,2 tabs,oral,daily,no,,2026-07-10,2026-07-01\n");
    CHECK_THAT(msg, Catch::Contains("2026-07-10") && Catch::Contains("2026-07-01"));
    check_sentence(msg);
}

TEST_CASE("A correction needs a reason and a valid score", "[validation]") {
    Clinic c;
    test::record_visit(c.nurse, visit(Symptom::pain, 8));
    store::Statement s(c.db, "SELECT id FROM observation");
    REQUIRE(s.step());
    const auto id = s.int64(0);
    CHECK_THAT(message<ValidationError>([&] { app::correct_score(c.nurse, id, 3, " "); }),
               Catch::Contains("reason"));
    CHECK_THAT(message<ValidationError>([&] { app::correct_score(c.nurse, id, 13, "typo"); }),
               Catch::Contains("13"));
    CHECK(count_rows(c.db, "observation") == 1);
    app::correct_score(c.nurse, id, 3, "typed 8, meant 3");
    CHECK(count_rows(c.db, "observation") == 2);
}
