// The agency server (issue 10) with laptops whose clocks are wrong. A laptop stamps what it
// records with its own clock (the `now` of record_visit and record_dose), so a laptop an hour
// ahead writes rows the server and the other laptops see an hour in the future.
#include <algorithm>
#include <chrono>
#include <vector>

#include <catch2/catch.hpp>

#include "agency.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "flags_json.hpp"
#include "store/database.hpp"

using namespace solace::test;
using solace::Instant;

namespace {

using Database = solace::store::Database;

// What a nurse reads in the flag list (the patient's local row id differs per laptop; flag ids
// name rows by UUID and do not).
std::vector<solace::Flag> flags_at(const std::string& db_path, const std::string& user,
                                   const std::string& password, Instant from, Instant to) {
    Database db(db_path, Database::Mode::open_existing);
    const auto session = solace::app::Session::login(db, user, password);
    const auto p = session.patient("P1");
    auto flags = solace::app::judge_flags(solace::app::flag_inputs(session, p, from, to), from, to);
    for (auto& f : flags)
        f.patient_id = 0;
    return flags;
}

bool has_rule(const std::vector<solace::Flag>& flags, const std::string& rule) {
    return std::any_of(flags.begin(), flags.end(), [&](const auto& f) { return f.rule == rule; });
}

} // namespace

TEST_CASE("Laptops whose clocks are an hour wrong: every row reaches every laptop once, and "
          "flags agree",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    const auto laptop_b = a.enroll(t, "bea");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    import(a, t, laptop_a, "ann", "medications",
           "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
           "P1,oxy-ir,Oxycodone IR,5 mg,oral,prn q4h max 6,,pain,2026-01-01,\n");
    counts(a.sync(laptop_a, "ann"));
    counts(a.sync(laptop_b, "bea"));

    // A's clock runs an hour ahead, B's an hour behind; each nurse logs a visit and an
    // as-needed dose "now" by her own clock, A first.
    using std::chrono::hours;
    const auto real_now = solace::now_utc();
    const auto a_clock = real_now + hours(1), b_clock = real_now - hours(1);
    auto record = [&](const std::string& db_path, const std::string& who, Instant clock, int pain,
                      const std::string& note) {
        Database db(db_path, Database::Mode::open_existing);
        const auto s = solace::app::Session::login(db, a.name(who), "pw-" + who, clock);
        solace::app::VisitEntry v;
        v.mrn = "P1";
        v.at = clock;
        v.reporter = solace::Reporter::nurse;
        v.scores = {{solace::Symptom::pain, pain, ""}};
        v.note = note;
        solace::app::record_visit(s, v, clock);
        solace::app::DoseEntry d;
        d.mrn = "P1";
        d.med = "oxy-ir";
        d.at = clock;
        solace::app::record_dose(s, d, clock);
    };
    record(laptop_a, "ann", a_clock, 9, "logged an hour ahead");
    // Each: the visit, its score and the dose.
    CHECK(counts(a.sync(laptop_a, "ann"))["pushed"] == 3);
    record(laptop_b, "bea", b_clock, 3, "logged an hour behind");
    const auto b_synced = counts(a.sync(laptop_b, "bea"));
    CHECK(b_synced["pushed"] == 3);
    CHECK(b_synced["pulled"] == 3);
    // B's rows are stamped two hours before A's newest, but came later: A still gets them.
    CHECK(counts(a.sync(laptop_a, "ann"))["pulled"] == 3);

    // Both hold the same rows, each once; syncing again moves nothing.
    CHECK(synced_rows(laptop_a) == synced_rows(laptop_b));
    CHECK(a.rows_from(device_of(laptop_a)) == own_rows(laptop_a));
    CHECK(a.rows_from(device_of(laptop_b)) == own_rows(laptop_b));
    for (const auto& [db_path, who] : {std::pair{laptop_a, "ann"}, std::pair{laptop_b, "bea"}})
        CHECK(counts(a.sync(db_path, who)) ==
              nlohmann::json{{"pushed", 0}, {"pulled", 0}, {"waiting", 0}});

    // The server took A's rows stamped after it received them; B shows them as A logged them.
    CHECK(a.dba()
              .exec("SELECT count(*) FROM solace.synced_row WHERE (row ->> 'recorded_at')::bigint "
                    "> extract(epoch FROM pushed_at) + 3000")
              .int64(0, 0) >= 3);
    {
        Database b(laptop_b, Database::Mode::open_existing);
        solace::store::Statement s(b, "SELECT v.at, o.value, acc.name FROM visit v "
                                      "JOIN observation o ON o.visit_id = v.id "
                                      "JOIN account acc ON acc.id = v.author_id "
                                      "WHERE v.note = 'logged an hour ahead'");
        REQUIRE(s.step());
        CHECK(s.int64(0) == solace::to_epoch(a_clock));
        CHECK(s.integer(1) == 9);
        CHECK(s.text(2) == a.name("ann"));
    }

    // Flags agree on both laptops, now (A's entries still ahead of it) and once both entries
    // are past: A's severe pain, and A's dose two hours after B's is too soon (q4h).
    const auto from = real_now - hours(6);
    for (const auto to : {real_now, real_now + hours(2)}) {
        const auto on_a = flags_at(laptop_a, a.name("ann"), "pw-ann", from, to);
        CHECK(on_a == flags_at(laptop_b, a.name("bea"), "pw-bea", from, to));
        CHECK(has_rule(on_a, "symptom.severe") == (to > a_clock));
        CHECK(has_rule(on_a, "prn.too_soon") == (to > a_clock));
    }
    // `solace flags --json` prints the same on both.
    auto cli_flags = [&](const std::string& db_path, const std::string& who) {
        return flags_json(db_path, "P1", "2026-01-01", "2099-01-01", a.env(who), a.name(who));
    };
    CHECK(cli_flags(laptop_a, "ann") == cli_flags(laptop_b, "bea"));
}
