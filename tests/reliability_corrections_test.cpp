// Corrections, never deletions (issue 6 item 5, DESIGN §4): clinical rows and the audit log
// cannot be changed or deleted, not by the code and not by raw SQL on the file; a correction is
// a new row that names the one it replaces, with author, time and reason, and the history keeps
// both.
#include <catch2/catch.hpp>

#include "domain/error.hpp"
#include "reliability_support.hpp"
#include "store/observation_repository.hpp"

using namespace solace;
using namespace solace::reliability;
using solace::store::Database;

namespace {

// One row of every append-only table.
struct Filled : Clinic {
    std::int64_t visit = 0, dose = 0;
    Filled() {
        visit =
            test::record_visit(*ann, core_visit("P1", at_utc(2026, 3, 2, 10), 4, "first visit"));
        dose = test::record_dose(
            *ann, {"P1", "morphine-sr", at_utc(2026, 3, 2, 8), DoseStatus::given, "", ""});
    }
};

const std::vector<std::string> append_only{"observation", "administration", "medication", "visit",
                                           "audit_log"};

// A harmless-looking change for each table.
std::string update_sql(const std::string& table) {
    if (table == "observation") return "UPDATE observation SET value = 0";
    if (table == "administration") return "UPDATE administration SET status = 'refused'";
    if (table == "medication") return "UPDATE medication SET dose = '1000 mg'";
    if (table == "visit") return "UPDATE visit SET note = 'nothing happened'";
    return "UPDATE audit_log SET detail = ''";
}

std::string table_dump(RawDb& raw, const std::string& table) {
    return raw.text("SELECT group_concat(quote(t.id) || '|' || quote(t.rowid), ',') FROM (SELECT "
                    "* FROM " +
                    table + ") AS t") +
           "#" + std::to_string(raw.scalar("SELECT count(*) FROM " + table)) +
           raw.text("SELECT group_concat(x, ',') FROM (SELECT quote(" +
                    std::string(table == "observation"      ? "value"
                                : table == "administration" ? "status"
                                : table == "medication"     ? "dose"
                                : table == "visit"          ? "note"
                                                            : "detail") +
                    ") AS x FROM " + table + ")");
}

} // namespace

TEST_CASE("Clinical rows and the audit log refuse UPDATE and DELETE through Solace's connection",
          "[reliability][corrections]") {
    Filled c;
    for (const auto& table : append_only) {
        INFO(table);
        REQUIRE(test::count_rows(*c.db, table) > 0);
        const auto rows = test::count_rows(*c.db, table);
        CHECK_THROWS_AS(c.db->exec(update_sql(table)), ValidationError);
        CHECK_THROWS_AS(c.db->exec("DELETE FROM " + table), ValidationError);
        CHECK(test::count_rows(*c.db, table) == rows);
    }
}

TEST_CASE("Clinical rows and the audit log refuse UPDATE and DELETE even from a raw SQLite "
          "connection",
          "[reliability][corrections]") {
    Filled c;
    c.close();
    RawDb raw(c.path);
    for (const auto& table : append_only) {
        INFO(table);
        const auto before = table_dump(raw, table);
        CHECK(raw.exec(update_sql(table)) == SQLITE_CONSTRAINT);
        CHECK_THAT(raw.error(), Catch::Contains("never") || Catch::Contains("append-only"));
        CHECK(raw.exec("DELETE FROM " + table) == SQLITE_CONSTRAINT);
        CHECK(raw.exec("DELETE FROM " + table + " WHERE id = (SELECT max(id) FROM " + table +
                       ")") == SQLITE_CONSTRAINT);
        // Not even inside a transaction that would otherwise commit.
        CHECK(raw.exec("BEGIN; " + update_sql(table) + "; COMMIT;") == SQLITE_CONSTRAINT);
        raw.exec("ROLLBACK");
        // REPLACE deletes the row it collides with and fires DELETE triggers only with
        // recursive_triggers, which every Solace connection turns on: refused too.
        CHECK(raw.exec("PRAGMA recursive_triggers=ON") == SQLITE_OK);
        CHECK(raw.exec("CREATE TEMP TABLE copy AS SELECT * FROM " + table) == SQLITE_OK);
        CHECK(raw.exec("INSERT OR REPLACE INTO " + table + " SELECT * FROM temp.copy") ==
              SQLITE_CONSTRAINT);
        CHECK(raw.exec("DROP TABLE temp.copy") == SQLITE_OK);
        CHECK(table_dump(raw, table) == before);
    }
    CHECK(raw.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("A corrected score keeps both rows and the history shows what was replaced",
          "[reliability][corrections]") {
    Filled c;
    store::ObservationRepository obs(*c.db);
    const auto from = at_utc(2026, 3, 1), to = at_utc(2026, 3, 31);
    const auto scores = obs.scores(1, from, to);
    REQUIRE(scores.size() == 5);
    const auto pain = *std::find_if(scores.begin(), scores.end(),
                                    [](const Score& s) { return s.symptom == Symptom::pain; });
    REQUIRE(pain.value == 4);

    app::Session bea(*c.db, add_account(*c.db, "bea", Role::nurse, false));
    const auto fixed = app::correct_score(bea, pain.id, 8, "typed 4, patient said 8");
    CHECK(fixed != pain.id);

    // The current history shows the new value once; the replaced row is still there.
    const auto now_scores = obs.scores(1, from, to);
    CHECK(now_scores.size() == 5);
    const auto current = *std::find_if(now_scores.begin(), now_scores.end(),
                                       [](const Score& s) { return s.symptom == Symptom::pain; });
    CHECK(current.id == fixed);
    CHECK(current.value == 8);
    REQUIRE(current.supersedes);
    CHECK(*current.supersedes == pain.id);
    CHECK(current.correction_reason == "typed 4, patient said 8");
    CHECK(current.author == "bea");
    CHECK(current.observed_at == pain.observed_at);

    const auto replaced = obs.replaced_scores(1, from, to);
    REQUIRE(replaced.size() == 1);
    CHECK(replaced[0].id == pain.id);
    CHECK(replaced[0].value == 4);
    CHECK(replaced[0].author == "ann");

    const auto old = obs.score(pain.id);
    REQUIRE(old);
    CHECK(old->value == 4);
    CHECK(test::count_rows(*c.db, "observation") == 6);

    // The correction is on the audit record with its reason.
    store::Statement a(*c.db, "SELECT account, detail FROM audit_log WHERE action = "
                              "'score.correct'");
    REQUIRE(a.step());
    CHECK(a.text(0) == "bea");
    CHECK_THAT(a.text(1), Catch::Contains("typed 4, patient said 8"));

    SECTION("a replaced row is not corrected a second time") {
        CHECK_THROWS_AS(app::correct_score(bea, pain.id, 2, "again"), ValidationError);
        CHECK(test::count_rows(*c.db, "observation") == 6);
    }
    SECTION("a second correction cannot push the first one out with INSERT OR REPLACE") {
        // Two corrections of one score may exist since schema 12 (two laptops offline): the
        // second is kept beside the first, which stays, and in force (recorded no earlier,
        // and the second has no uuid).
        CHECK_NOTHROW(
            c.db->exec("INSERT OR REPLACE INTO observation (patient_id, visit_id, item, value, "
                       "reporter, observed_at, author_id, recorded_at, supersedes, "
                       "correction_reason) SELECT patient_id, visit_id, item, 1, reporter, "
                       "observed_at, author_id, recorded_at, supersedes, 'sneaky' FROM "
                       "observation WHERE id = " +
                       std::to_string(fixed)));
        CHECK(test::count_rows(*c.db, "observation") == 7);
        CHECK(obs.score(fixed)->value == 8);
        CHECK(obs.in_force(fixed));
    }
    SECTION("a correction needs a reason") {
        CHECK_THROWS_AS(app::correct_score(bea, fixed, 7, "  "), ValidationError);
    }
    SECTION("a family account does not correct") {
        app::Session rosa(*c.db, add_account(*c.db, "rosa", Role::family, false, {1}));
        CHECK_THROWS_AS(app::correct_score(rosa, fixed, 7, "I think it was 7"), PermissionError);
    }
}
