// CSV import (DESIGN §5, issue 2 item 7): one transaction, all rows or none, each bad row named
// by its line; RFC 4180 quoting, BOM and CRLF; local times read in the patient's own zone.
// Every expected instant is written in UTC: nothing depends on TZ or the clock.
#include <catch2/catch.hpp>

#include <sodium.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "domain/time.hpp"
#include "interop/import.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "store/row_hash.hpp"
#include "support.hpp"

using namespace solace;
using solace::interop::CsvKind;
using solace::interop::import_csv;
using solace::interop::ImportError;
using solace::store::Database;
using solace::test::TempDir;

using solace::test::count_rows;
using solace::test::utc;

namespace {

const Instant all_time_from = from_epoch(-(std::int64_t{1} << 40));
const Instant all_time_to = from_epoch(std::int64_t{1} << 40);

const std::string observations_header = "patient,observed_at,symptom,score,reporter,note\n";

// A database with a nurse and two patients: P1 in New York, P2 in Auckland.
struct Clinic {
    TempDir dir;
    Database db{dir / "solace.db", Database::Mode::create_new};
    app::Session nurse = make_nurse();

    Clinic() {
        import_csv(nurse, CsvKind::patients,
                   "mrn,name,date_of_birth,time_zone,diagnosis\n"
                   "P1,Margaret Okafor,1944-05-17,America/New_York,pancreatic cancer\n"
                   "P2,Aiko Nakamura,1950-12-31,Pacific/Auckland,\n");
    }

    app::Session make_nurse() {
        store::AccountRepository accounts(db);
        accounts.add(
            {0, "ann", Role::nurse, true, false, solace::test::password_hash("import-pw"), {}}, 0);
        return app::Session(db, *accounts.find("ann"));
    }

    std::int64_t patient_id(const std::string& mrn) {
        auto p = store::PatientRepository(db).find_by_mrn(mrn);
        REQUIRE(p);
        return p->id;
    }

    std::vector<Score> scores(const std::string& mrn) {
        return store::ObservationRepository(db).scores(patient_id(mrn), all_time_from, all_time_to);
    }

    // Imports one pain score observed at `when` and returns the instant it was stored at.
    Instant observed(const std::string& mrn, const std::string& when) {
        const auto before = scores(mrn).size();
        REQUIRE(import_csv(nurse, CsvKind::observations,
                           observations_header + mrn + "," + when + ",pain,3,patient,\n") == 1);
        const auto after = scores(mrn);
        REQUIRE(after.size() == before + 1);
        Instant newest = after.front().observed_at;
        std::int64_t newest_id = 0;
        for (const auto& s : after)
            if (s.id > newest_id) newest_id = s.id, newest = s.observed_at;
        return newest;
    }

    ImportError refused(CsvKind kind, const std::string& text) {
        try {
            import_csv(nurse, kind, text);
        } catch (const ImportError& e) {
            return e;
        }
        FAIL("expected the import to be refused");
        return ImportError({}, 0);
    }
};

} // namespace

TEST_CASE("A file with one bad row on line 4 imports nothing and names line 4", "[import]") {
    Clinic c;
    const auto audit_before = count_rows(c.db, "audit_log");
    const auto e = c.refused(CsvKind::observations,
                             observations_header +                              // line 1
                                 "P1,2026-07-01T10:00,pain,3,patient,\n"        // line 2
                                 "P1,2026-07-01T10:00,nausea,2,patient,\n"      // line 3
                                 "P1,2026-07-01T10:00,anxiety,14,patient,\n"    // line 4
                                 "P1,2026-07-01T10:00,breathing,1,patient,\n"); // line 5
    REQUIRE(e.problems.size() == 1);
    CHECK(e.total == 1);
    CHECK_THAT(e.problems[0], Catch::StartsWith("line 4: "));
    CHECK_THAT(e.problems[0], Catch::Contains("14"));
    CHECK(count_rows(c.db, "observation") == 0);
    CHECK(count_rows(c.db, "audit_log") == audit_before);
}

TEST_CASE("Every bad row is reported with its own line number", "[import]") {
    Clinic c;
    const auto e = c.refused(CsvKind::observations, observations_header +
                                                        "P1,2026-07-01T10:00,pain,3,patient,\n"
                                                        "P9,2026-07-01T10:00,pain,3,patient,\n"
                                                        "P1,2026-07-01T10:00,pain,3,patient,\n"
                                                        "P1,2026-07-01T10:00,pain,3\n"
                                                        "P1,soon,pain,3,patient,\n");
    REQUIRE(e.problems.size() == 3);
    CHECK(e.total == 3);
    CHECK_THAT(e.problems[0], Catch::StartsWith("line 3: ") && Catch::Contains("\"P9\""));
    CHECK_THAT(e.problems[1], Catch::StartsWith("line 5: ") && Catch::Contains("4 fields"));
    CHECK_THAT(e.problems[2], Catch::StartsWith("line 6: ") && Catch::Contains("\"soon\""));
    CHECK(count_rows(c.db, "observation") == 0);
}

TEST_CASE("A file with very many bad rows reports a sensible number and the total", "[import]") {
    Clinic c;
    std::string text = observations_header;
    for (int i = 0; i < 120; ++i)
        text += "P1,2026-07-01T10:00,pain,11,patient,\n";
    const auto e = c.refused(CsvKind::observations, text);
    CHECK(e.total == 120);
    CHECK(e.problems.size() == interop::max_reported_problems);
    CHECK_THAT(e.problems.back(),
               Catch::StartsWith("line " + std::to_string(interop::max_reported_problems + 1)));
}

TEST_CASE("A bad patients file adds no patient at all", "[import]") {
    Clinic c;
    const auto e = c.refused(CsvKind::patients, "mrn,name,date_of_birth,time_zone,diagnosis\n"
                                                "P3,Walter Moreau,1939-08-30,Europe/Paris,\n"
                                                "P4,Rosa Haddad,1947-02-11,Nowhere/City,\n"
                                                "P1,Someone Else,1950-01-01,UTC,\n");
    REQUIRE(e.problems.size() == 2);
    CHECK_THAT(e.problems[0], Catch::StartsWith("line 3: ") && Catch::Contains("Nowhere/City"));
    CHECK_THAT(e.problems[1], Catch::StartsWith("line 4: ") && Catch::Contains("\"P1\""));
    CHECK(count_rows(c.db, "patient") == 2);
    CHECK_FALSE(store::PatientRepository(c.db).find_by_mrn("P3"));
}

TEST_CASE("Quoted fields keep their commas, quotes and line breaks", "[import][csv]") {
    Clinic c;
    REQUIRE(import_csv(c.nurse, CsvKind::observations,
                       observations_header +
                           "P1,2026-07-01T10:00,pain,3,patient,\"better, after the dose\"\n"
                           "P1,2026-07-01T10:00,nausea,2,patient,\"she said \"\"enough\"\"\"\n"
                           "P1,2026-07-01T10:00,anxiety,5,patient,\"woke at 3\nasked for "
                           "her son\"\n"
                           "\"P1\",\"2026-07-01T10:00\",\"breathing\",\"1\",\"patient\",\"\"\n") ==
            4);
    const auto s = c.scores("P1");
    REQUIRE(s.size() == 4);
    CHECK(s[0].note == "better, after the dose");
    CHECK(s[1].note == "she said \"enough\"");
    CHECK(s[2].note == "woke at 3\nasked for her son");
    CHECK(s[3].symptom == Symptom::breathing);
    CHECK(s[3].note.empty());
}

TEST_CASE("Line numbers stay right after a field that spans several lines", "[import][csv]") {
    Clinic c;
    const auto e = c.refused(CsvKind::observations,
                             observations_header +                                   // 1
                                 "P1,2026-07-01T10:00,pain,3,patient,\"first line\n" // 2
                                 "second line\n"                                     // 3
                                 "third, with a comma\"\n"                           // 4
                                 "P1,2026-07-01T11:00,pain,12,patient,\n"            // 5
                                 "P1,2026-07-01T12:00,pain,2,patient,\"a\r\nb\"\r\n" // 6, 7
                                 "P1,2026-07-01T13:00,pain,99,patient,\n");          // 8
    REQUIRE(e.problems.size() == 2);
    CHECK_THAT(e.problems[0], Catch::StartsWith("line 5: "));
    CHECK_THAT(e.problems[1], Catch::StartsWith("line 8: "));
}

TEST_CASE("A UTF-8 byte order mark and CRLF line ends are accepted", "[import][csv]") {
    Clinic c;
    REQUIRE(import_csv(c.nurse, CsvKind::observations,
                       "\xEF\xBB\xBFpatient,observed_at,symptom,score,reporter,note\r\n"
                       "P1,2026-07-01T10:00,pain,3,patient,calm\r\n"
                       "P1,2026-07-01T10:00,nausea,2,patient,Zoë ate soup\r\n") == 2);
    const auto s = c.scores("P1");
    REQUIRE(s.size() == 2);
    CHECK(s[0].note == "calm");
    CHECK(s[1].note == "Zoë ate soup");
    CHECK(s[1].value == 2);
}

TEST_CASE("Columns may come in any order and header case", "[import][csv]") {
    Clinic c;
    REQUIRE(import_csv(c.nurse, CsvKind::observations,
                       "Note,Score,Symptom,Reporter,Patient,Observed_At\n"
                       "evening,6,pain,nurse,P1,2026-07-01T20:00Z\n") == 1);
    const auto s = c.scores("P1");
    REQUIRE(s.size() == 1);
    CHECK(s[0].value == 6);
    CHECK(s[0].reporter == Reporter::nurse);
    CHECK(s[0].note == "evening");
    CHECK(s[0].observed_at == utc(2026, 7, 1, 20));
}

TEST_CASE("A header missing a column is refused naming the column and the full header",
          "[import][csv]") {
    Clinic c;
    const auto e = c.refused(CsvKind::observations, "patient,observed_at,symptom,score,note\n"
                                                    "P1,2026-07-01T10:00,pain,3,\n");
    REQUIRE(e.problems.size() == 1);
    CHECK_THAT(e.problems[0], Catch::StartsWith("line 1: "));
    CHECK_THAT(e.problems[0], Catch::Contains("reporter"));
    CHECK_THAT(e.problems[0], Catch::Contains("patient,observed_at,symptom,score,reporter,note"));
    CHECK(count_rows(c.db, "observation") == 0);
}

TEST_CASE("An empty file or an unclosed quote is refused with a plain reason", "[import][csv]") {
    Clinic c;
    SECTION("empty") {
        const auto e = c.refused(CsvKind::observations, "");
        REQUIRE(e.problems.size() == 1);
        CHECK_THAT(e.problems[0], Catch::Contains("empty"));
    }
    SECTION("unclosed quote") {
        const auto e = c.refused(CsvKind::observations,
                                 observations_header + "P1,2026-07-01T10:00,pain,3,patient,ok\n"
                                                       "P1,2026-07-01T11:00,pain,3,patient,\"oops\n"
                                                       "P1,2026-07-01T12:00,pain,3,patient,\n");
        REQUIRE_FALSE(e.problems.empty());
        CHECK_THAT(e.problems.back(), Catch::Contains("line 3") && Catch::Contains("quote"));
        CHECK(count_rows(c.db, "observation") == 0);
    }
}

TEST_CASE("A local time without an offset is read in the patient's time zone", "[import]") {
    Clinic c;
    SECTION("summer in New York is UTC-4") {
        CHECK(c.observed("P1", "2026-07-01T10:00") == utc(2026, 7, 1, 14));
    }
    SECTION("winter in New York is UTC-5") {
        CHECK(c.observed("P1", "2026-01-15 10:00:30") == utc(2026, 1, 15, 15, 0, 30));
    }
    SECTION("the same wall time in Auckland is a different instant") {
        CHECK(c.observed("P2", "2026-07-01T10:00") == utc(2026, 6, 30, 22));
        CHECK(c.observed("P2", "2026-01-15T10:00") == utc(2026, 1, 14, 21));
    }
}

TEST_CASE("A local time on a DST change day is read as DESIGN says", "[import]") {
    Clinic c;
    SECTION("a time in the spring-forward gap moves forward by the gap") {
        // 02:30 does not exist in New York on 2026-03-08: it is 03:30 EDT.
        CHECK(c.observed("P1", "2026-03-08T02:30") == utc(2026, 3, 8, 7, 30));
        CHECK(c.observed("P1", "2026-03-08T01:59") == utc(2026, 3, 8, 6, 59));
        CHECK(c.observed("P1", "2026-03-08T03:00") == utc(2026, 3, 8, 7));
    }
    SECTION("an ambiguous fall-back time is its first occurrence") {
        // 01:30 happens twice on 2026-11-01: first as EDT (05:30Z), then as EST (06:30Z).
        CHECK(c.observed("P1", "2026-11-01T01:30") == utc(2026, 11, 1, 5, 30));
        CHECK(c.observed("P1", "2026-11-01T02:30") == utc(2026, 11, 1, 7, 30));
    }
    SECTION("an explicit offset picks the second occurrence") {
        CHECK(c.observed("P1", "2026-11-01T01:30-05:00") == utc(2026, 11, 1, 6, 30));
    }
    SECTION("Auckland's own changes") {
        // NZ springs forward on 2026-09-27 at 02:00 (+12 -> +13), 02:30 is 03:30 NZDT.
        CHECK(c.observed("P2", "2026-09-27T02:30") == utc(2026, 9, 26, 14, 30));
        // NZ falls back on 2026-04-05 at 03:00 (+13 -> +12); 02:30 first occurs as NZDT.
        CHECK(c.observed("P2", "2026-04-05T02:30") == utc(2026, 4, 4, 13, 30));
    }
}

TEST_CASE("An explicit offset or Z is respected whatever the patient's zone", "[import]") {
    Clinic c;
    CHECK(c.observed("P1", "2026-07-01T10:00Z") == utc(2026, 7, 1, 10));
    CHECK(c.observed("P1", "2026-07-01T10:00:00+02:00") == utc(2026, 7, 1, 8));
    CHECK(c.observed("P2", "2026-07-01T10:00-0530") == utc(2026, 7, 1, 15, 30));
    CHECK(c.observed("P2", "2026-07-01T10:00:00.250Z") == utc(2026, 7, 1, 10));
}

TEST_CASE("Medication start and end dates are whole local days of the patient", "[import]") {
    Clinic c;
    REQUIRE(import_csv(c.nurse, CsvKind::medications,
                       "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
                       "P1,morphine-sr,Morphine sulfate SR,30 mg,oral,bid,,pain,2026-03-08,"
                       "2026-11-01\n"
                       "P1,senna,Senna,2 tabs,oral,daily,,constipation,2026-07-01T09:00,\n"
                       "P1,oxy-ir,Oxycodone IR,5 mg,oral,prn q1h max 6,,pain,2026-07-01,\n") == 3);
    const auto meds = store::MedicationRepository(c.db).list(c.patient_id("P1"));
    REQUIRE(meds.size() == 3);
    const auto& morphine = meds[0];
    const auto& oxy = meds[1];
    const auto& senna = meds[2];
    REQUIRE(morphine.key == "morphine-sr");
    REQUIRE(oxy.key == "oxy-ir");
    REQUIRE(senna.key == "senna");
    CHECK(morphine.start == utc(2026, 3, 8, 5)); // midnight EST
    REQUIRE(morphine.end);
    CHECK(*morphine.end == utc(2026, 11, 2, 4, 59, 59)); // 23:59:59 EST, the day included
    CHECK(senna.start == utc(2026, 7, 1, 13));
    CHECK_FALSE(senna.end);
    // Empty time_critical: yes for a scheduled opioid only (DESIGN §5).
    CHECK(morphine.time_critical);
    CHECK_FALSE(senna.time_critical);
    CHECK_FALSE(oxy.time_critical);
}

TEST_CASE("Administrations are read in the patient's zone and keep who gave them", "[import]") {
    Clinic c;
    import_csv(c.nurse, CsvKind::medications,
               "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
               "P2,ondansetron,Ondansetron,4 mg,oral,tid,no,nausea,2026-06-01,\n");
    REQUIRE(import_csv(c.nurse, CsvKind::administrations,
                       "patient,med,given_at,status,reason,recorded_by\n"
                       "P2,ondansetron,2026-07-01T08:10,given,,\n"
                       "P2,ondansetron,2026-07-01T14:00,refused,\"nausea gone, wants to "
                       "wait\",Kenji Nakamura\n") == 2);
    const auto doses = store::MedicationRepository(c.db).administrations(
        c.patient_id("P2"), all_time_from, all_time_to);
    REQUIRE(doses.size() == 2);
    CHECK(doses[0].given_at == utc(2026, 6, 30, 20, 10));
    CHECK(doses[0].status == DoseStatus::given);
    CHECK(doses[0].recorded_by == "ann"); // empty: the importing user
    CHECK(doses[1].status == DoseStatus::refused);
    CHECK(doses[1].reason == "nausea gone, wants to wait");
    CHECK(doses[1].recorded_by == "Kenji Nakamura");
}

TEST_CASE("An import that succeeds is audited once with its row count", "[import]") {
    Clinic c;
    const auto events = [&] {
        store::Statement s(c.db, "SELECT count(*) FROM audit_log WHERE action = 'import'");
        s.step();
        return s.int64(0);
    };
    const auto before = events();
    REQUIRE(import_csv(c.nurse, CsvKind::observations,
                       observations_header + "P1,2026-07-01T10:00,pain,3,patient,\n"
                                             "P1,2026-07-01T10:00,nausea,1,patient,\n") == 2);
    CHECK(events() == before + 1);
    // The rows themselves are vouched for by one entry, with their hash.
    store::Statement rows(c.db, "SELECT row_last - row_first + 1 FROM audit_log WHERE row_table = "
                                "'observation' ORDER BY id DESC");
    REQUIRE(rows.step());
    CHECK(rows.int64(0) == 2);
    store::Statement s(c.db, "SELECT account, action, detail FROM audit_log WHERE action <> "
                             "'rows' ORDER BY id DESC");
    REQUIRE(s.step());
    CHECK(s.text(0) == "ann");
    CHECK(s.text(1) == "import");
    CHECK_THAT(s.text(2), Catch::Contains("2"));
}

namespace {
// SHA-256 of rows first..last of `table` in the layout store/row_hash.hpp documents, computed
// here on its own (libsodium, one call per item) so that a fault in the fast hasher shows.
store::AuditHash rows_sha256(Database& db, const std::string& table, std::int64_t first,
                             std::int64_t last) {
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    const auto feed = [&](const void* p, std::size_t n) {
        crypto_hash_sha256_update(&st, static_cast<const unsigned char*>(p), n);
    };
    const auto feed_u64 = [&](std::uint64_t u) {
        unsigned char b[8];
        for (int i = 0; i < 8; ++i)
            b[i] = static_cast<unsigned char>(u >> (8 * (7 - i)));
        feed(b, 8);
    };
    feed("solace rows v1", 14);
    store::Statement s(db, "SELECT rowid, * FROM " + table +
                               " WHERE rowid BETWEEN ? AND ? ORDER BY rowid");
    s.bind(1, first).bind(2, last);
    while (s.step()) {
        feed_u64(static_cast<std::uint64_t>(s.column_count()));
        for (int col = 0; col < s.column_count(); ++col) {
            const int type = s.column_type(col);
            const char tag = static_cast<char>(type);
            feed(&tag, 1);
            if (type == SQLITE_INTEGER) {
                feed_u64(static_cast<std::uint64_t>(s.int64(col)));
            } else if (type != SQLITE_NULL) {
                const auto bytes = type == SQLITE_FLOAT ? s.text(col) : std::string(s.bytes(col));
                feed_u64(bytes.size());
                feed(bytes.data(), bytes.size());
            }
        }
    }
    store::AuditHash out;
    crypto_hash_sha256_final(&st, out.data());
    return out;
}
} // namespace

TEST_CASE("An import's rows are vouched for by the SHA-256 of exactly their stored bytes",
          "[import][audit]") {
    Clinic c;
    // Long notes and two patients taking turns: the rows' bytes run past the hasher's 64 KiB
    // buffer several times, and each patient's rows go in between the other's.
    std::string csv = observations_header;
    for (int i = 0; i < 60; ++i)
        csv += fmt::format("P{},2026-07-01T{:02}:{:02},pain,{},patient,\"{} {}\"\n", 1 + i / 10 % 2,
                           i / 6, i % 6 * 10, i % 11, std::string(3000 + i, 'a' + i % 26), i);
    REQUIRE(import_csv(c.nurse, CsvKind::observations, csv) == 60);
    store::Statement e(c.db, "SELECT row_first, row_last, row_hash FROM audit_log WHERE "
                             "row_table = 'observation' ORDER BY id DESC");
    REQUIRE(e.step());
    CHECK(e.int64(1) - e.int64(0) + 1 == 60);
    const auto expected = rows_sha256(c.db, "observation", e.int64(0), e.int64(1));
    const auto stored = e.blob(2);
    CHECK(std::vector<unsigned char>(expected.begin(), expected.end()) == stored);
    CHECK(store::hash_rows(c.db, "observation", e.int64(0), e.int64(1)) == expected);
    CHECK(store::AuditRepository(c.db).verify().ok());
}
