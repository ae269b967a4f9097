// One score corrected on two laptops offline (DESIGN §4, §7; schema 12): both corrections sync,
// both laptops keep both, and the one recorded later is in force on both. Against the
// PostgreSQL cluster ctest starts (tests/pg_server.sh).
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "agency.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "store/observation_repository.hpp"
#include "support.hpp"

using namespace solace::test;
using namespace std::chrono_literals;

namespace {

// The one pain score of P1 a laptop has, by its UUID (the same on every laptop).
std::string first_score(const std::string& db_path) {
    solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
    solace::store::Statement q(db, "SELECT uuid FROM observation WHERE supersedes IS NULL");
    REQUIRE(q.step());
    return q.text(0);
}

void correct(const Agency& a, const std::string& db_path, const std::string& who,
             const std::string& uuid, int value, solace::Instant at) {
    solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
    const auto s = solace::app::Session::login(db, a.name(who), "pw-" + who);
    solace::store::Statement q(db, "SELECT id FROM observation WHERE uuid = ?");
    q.bind(1, uuid);
    REQUIRE(q.step());
    solace::app::correct_score(s, q.int64(0), value, "asked again", at);
}

// The score in force and what history shows beside it.
std::pair<int, std::vector<int>> in_force(const Agency& a, const std::string& db_path,
                                          const std::string& who) {
    solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
    const auto s = solace::app::Session::login(db, a.name(who), "pw-" + who);
    const auto h =
        solace::app::patient_history(s, "P1", solace::now_utc(), solace::app::HistoryRange::week);
    REQUIRE(h.entries.size() == 1);
    std::vector<int> beside;
    for (const auto& r : h.entries[0].replaced)
        beside.push_back(r.value);
    std::sort(beside.begin(), beside.end());
    return {h.entries[0].score.value, beside};
}

} // namespace

TEST_CASE("One score corrected on two laptops offline: both corrections sync, the later "
          "recorded is in force on both, and later syncs still work",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    const auto laptop_b = a.enroll(t, "bea");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    const auto now = solace::now_utc();
    const auto observed = date::floor<std::chrono::hours>(now - 3h);
    import(a, t, laptop_a, "ann", "observations",
           "patient,observed_at,symptom,score,reporter,note\nP1," + solace::format_utc(observed) +
               ",pain,5,nurse,\n");
    counts(a.sync(laptop_a, "ann"));
    counts(a.sync(laptop_b, "bea"));
    const auto score = first_score(laptop_a);
    REQUIRE(first_score(laptop_b) == score);

    // Offline: ann on A corrects 5 to 8 (severe); a minute later bea on B corrects it to 3.
    correct(a, laptop_a, "ann", score, 8, now - 2min);
    correct(a, laptop_b, "bea", score, 3, now - 1min);

    const bool b_first = GENERATE(false, true);
    for (int round = 0; round < 2; ++round) {
        if (b_first) CHECK(counts(a.sync(laptop_b, "bea"))["waiting"] == 0);
        CHECK(counts(a.sync(laptop_a, "ann"))["waiting"] == 0);
        if (!b_first) CHECK(counts(a.sync(laptop_b, "bea"))["waiting"] == 0);
    }
    counts(a.sync(laptop_a, "ann"));
    const auto expected = std::pair<int, std::vector<int>>{3, {5, 8}};
    CHECK(in_force(a, laptop_a, "ann") == expected);
    CHECK(in_force(a, laptop_b, "bea") == expected);
    CHECK(synced_rows(laptop_a) == synced_rows(laptop_b));

    auto flags = [&](const std::string& db, const std::string& who) {
        const auto r =
            run_solace({"flags", "--db", db, "--user", a.name(who), "--json"}, a.env(who));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return nlohmann::json::parse(r.out);
    };
    const auto on_a = flags(laptop_a, "ann");
    CHECK(on_a == flags(laptop_b, "bea"));
    for (const auto& f : on_a)
        CHECK(f.at("rule") != "symptom.severe"); // 8 is not in force

    // Later syncs still work: a new score on B reaches A.
    import(a, t, laptop_b, "bea", "observations",
           "patient,observed_at,symptom,score,reporter,note\nP1," +
               solace::format_utc(observed + 1h) + ",nausea,2,nurse,\n");
    CHECK(counts(a.sync(laptop_b, "bea"))["pushed"].get<int>() >= 1);
    CHECK(counts(a.sync(laptop_a, "ann"))["pulled"].get<int>() >= 1);
    CHECK(synced_rows(laptop_a) == synced_rows(laptop_b));
}
