// A family member corrects their own caregiver score within the hour on an enrolled laptop
// (issue 10, issue 11 item 9; server migration 0003): the correction syncs; the server refuses,
// as raw SQL, every other correction by a family role. Against the PostgreSQL cluster ctest
// starts (tests/pg_server.sh).
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "agency.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "domain/error.hpp"
#include "support.hpp"

using namespace solace::test;

namespace {

void run_ok(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    const auto r = run_solace(args, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

// The id of the newest score on a laptop with this reporter.
std::int64_t newest_score(solace::store::Database& db, const std::string& reporter) {
    solace::store::Statement q(
        db, "SELECT id FROM observation WHERE reporter = ?1 ORDER BY recorded_at DESC, id DESC");
    q.bind(1, reporter);
    REQUIRE(q.step());
    return q.int64(0);
}

// One caregiver pain score as a family role's laptop would push it, for raw SQL.
struct RawScore {
    int n = 1; // its UUID's last digits and its counter: one device, counters never repeat
    std::string patient, author, supersedes; // supersedes: a UUID, or empty
    std::string reason = "mistapped";
    std::string reporter = "caregiver", item = "pain";
    std::int64_t recorded_at = 1795000000;

    std::string uuid() const { return uuid_of(n); }
    static std::string uuid_of(int n) { return fmt::format("01890000-0000-7000-8000-{:012}", n); }
    std::string json() const {
        const auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
        return fmt::format(
            R"([{{"uuid":"{}","counter":{},"tbl":"observation","row":{{"uuid":"{}",
            "patient_id":"{}","visit_id":null,"item":"{}","value":3,"reporter":"{}",
            "observed_at":1795000000,"note":"","author_id":"{}","recorded_at":{},
            "supersedes":{},"correction_reason":{}}}}}])",
            uuid(), n, uuid(), patient, item, reporter, author, recorded_at,
            supersedes.empty() ? "null" : quoted(supersedes),
            supersedes.empty() ? "null" : quoted(reason));
    }
};

RawScore raw_score(int n, const std::string& patient, const std::string& author,
                   const std::string& supersedes) {
    RawScore s;
    s.n = n;
    s.patient = patient;
    s.author = author;
    s.supersedes = supersedes;
    return s;
}

std::int64_t ingest(solace::sync::Server& as, const RawScore& s, const std::string& device) {
    return as.exec("SELECT solace.ingest($1, $2, '[]')", {device, s.json()}).int64(0, 0);
}

} // namespace

TEST_CASE("A family member's correction of their own score within the hour, made on their "
          "enrolled laptop, syncs and shows on the nurse's laptop",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    run_ok({"visit", "add", "P1", "--reporter", "nurse", "--score", "pain=6", "--db", laptop_a,
            "--user", a.name("ann")},
           a.env("ann"));
    counts(a.sync(laptop_a, "ann"));
    a.add("fay", "family", {"--patient", "P1"});
    const auto laptop_b = a.enroll(t, "fay");

    // Offline on laptop B: a score mistapped, corrected at once; both go up in one push.
    run_ok({"visit", "add", "P1", "--reporter", "caregiver", "--score", "pain=8", "--db", laptop_b,
            "--user", a.name("fay")},
           a.env("fay"));
    {
        solace::store::Database db(laptop_b, solace::store::Database::Mode::open_existing);
        const auto fay = solace::app::Session::login(db, a.name("fay"), "pw-fay");
        const auto mine = newest_score(db, "caregiver");
        const auto nurses = newest_score(db, "nurse");
        const auto history = solace::app::patient_history(fay, "P1", solace::now_utc(),
                                                          solace::app::HistoryRange::week);
        for (const auto& e : history.entries) {
            INFO(e.score.id);
            CHECK(e.correctable == (e.score.id == mine));
        }
        CHECK_THROWS_AS(solace::app::correct_score(fay, nurses, 2, "looked calmer"),
                        solace::PermissionError);
        solace::app::correct_score(fay, mine, 3, "tapped 8, meant 3");
    }
    const auto pushed = counts(a.sync(laptop_b, "fay"));
    CHECK(pushed["pushed"].get<int>() >= 3); // the visit, the score and its correction
    CHECK(pushed["waiting"] == 0);
    CHECK(counts(a.sync(laptop_a, "ann"))["pulled"].get<int>() >= 3);

    solace::store::Database db(laptop_a, solace::store::Database::Mode::open_existing);
    const auto ann = solace::app::Session::login(db, a.name("ann"), "pw-ann");
    const auto history =
        solace::app::patient_history(ann, "P1", solace::now_utc(), solace::app::HistoryRange::week);
    int caregiver_scores = 0;
    for (const auto& e : history.entries) {
        if (e.score.reporter != solace::Reporter::caregiver) continue;
        ++caregiver_scores;
        CHECK(e.score.value == 3);
        CHECK(e.score.correction_reason == "tapped 8, meant 3");
        REQUIRE(e.replaced.size() == 1);
        CHECK(e.replaced[0].value == 8);
    }
    CHECK(caregiver_scores == 1);
}

TEST_CASE("As raw SQL, a family role corrects only its own caregiver score, within the hour of "
          "first recording it",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    import(a, t, laptop_a, "ann", "observations",
           "patient,observed_at,symptom,score,reporter,note\n" + scores("P1", 20, 9, 6, ""));
    counts(a.sync(laptop_a, "ann"));
    a.add("fay", "family", {"--patient", "P1"});
    a.add("gil", "family", {"--patient", "P1"});
    auto fay = a.as("fay");
    auto gil = a.as("gil");
    auto ann = a.as("ann");
    const std::string fay_laptop = "01890000-0000-7000-8000-00000000f001";
    const std::string gil_laptop = "01890000-0000-7000-8000-00000000f002";
    const auto p1 = fay.exec("SELECT DISTINCT patient::text FROM solace.synced_row").text(0, 0);
    const auto nurse_score = fay.exec("SELECT uuid::text FROM solace.synced_row WHERE "
                                      "tbl = 'observation' AND reporter = 'nurse'")
                                 .text(0, 0);
    const auto own = raw_score(1, p1, a.name("fay"), "");
    REQUIRE(ingest(fay, own, fay_laptop) == 1);
    const auto refused = Catch::Contains("row-level security");

    SECTION("a correction of a nurse's score is refused") {
        CHECK_THROWS_WITH(ingest(fay, raw_score(2, p1, a.name("fay"), nurse_score), fay_laptop),
                          refused);
    }
    SECTION("its own score: accepted up to 60 minutes after it was recorded, not a second "
            "later") {
        auto late = raw_score(2, p1, a.name("fay"), own.uuid());
        late.recorded_at = own.recorded_at + 3601;
        CHECK_THROWS_WITH(ingest(fay, late, fay_laptop), refused);
        auto c = raw_score(3, p1, a.name("fay"), own.uuid());
        c.recorded_at = own.recorded_at + 3600;
        CHECK(ingest(fay, c, fay_laptop) == 1);
        // Its correction corrected again: the hour still runs from the first score.
        auto again = raw_score(4, p1, a.name("fay"), c.uuid());
        again.recorded_at = own.recorded_at + 3601;
        CHECK_THROWS_WITH(ingest(fay, again, fay_laptop), refused);
        again.recorded_at = own.recorded_at + 3000;
        CHECK(ingest(fay, again, fay_laptop) == 1);
    }
    SECTION("a score a nurse corrected is the nurse's from then on") {
        const auto by_nurse = raw_score(2, p1, a.name("ann"), own.uuid()); // still caregiver's
        CHECK(ingest(ann, by_nurse, "01890000-0000-7000-8000-00000000a001") == 1);
        CHECK_THROWS_WITH(ingest(fay, raw_score(3, p1, a.name("fay"), by_nurse.uuid()), fay_laptop),
                          refused);
    }
    SECTION("another family member of the patient may not correct it, as itself or as fay") {
        CHECK_THROWS_WITH(ingest(gil, raw_score(2, p1, a.name("gil"), own.uuid()), gil_laptop),
                          refused);
        CHECK_THROWS_WITH(ingest(gil, raw_score(3, p1, a.name("fay"), own.uuid()), gil_laptop),
                          refused);
    }
    SECTION("a correction that changes the reporter or the symptom, or gives no reason, is "
            "refused") {
        auto c = raw_score(2, p1, a.name("fay"), own.uuid());
        for (const auto reporter : {"nurse", "patient"}) {
            c.reporter = reporter;
            CHECK_THROWS_WITH(ingest(fay, c, fay_laptop), refused);
        }
        c.reporter = "caregiver";
        for (const auto item : {"nausea", "pps"}) {
            c.item = item;
            CHECK_THROWS_WITH(ingest(fay, c, fay_laptop), refused);
        }
        c.item = "pain";
        c.reason = " ";
        CHECK_THROWS_WITH(ingest(fay, c, fay_laptop), refused);
    }
    SECTION("a correction of a score that is not on the server is refused") {
        CHECK_THROWS_WITH(
            ingest(fay, raw_score(2, p1, a.name("fay"), RawScore::uuid_of(99)), fay_laptop),
            refused);
    }
}
