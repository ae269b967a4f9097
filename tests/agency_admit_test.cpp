// Patients and authors that meet for the first time on the agency server (issue 10): the same
// MRN admitted on two laptops while offline, and a family member's entries on a nurse's laptop.
// Against the PostgreSQL cluster ctest starts (tests/pg_server.sh).
#include <map>
#include <set>
#include <tuple>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "agency.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"

using namespace solace::test;

namespace {

void run_ok(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    const auto r = run_solace(args, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

// MRN -> name, and each patient's pain scores, as a laptop holds them.
std::map<std::string, std::string> patients(const std::string& db_path) {
    solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
    solace::store::Statement q(db, "SELECT mrn, name FROM patient");
    std::map<std::string, std::string> out;
    while (q.step())
        out[q.text(0)] = q.text(1);
    return out;
}

std::multiset<std::string> scores_by_mrn(const std::string& db_path) {
    solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
    solace::store::Statement q(db, "SELECT p.mrn || ' ' || o.value FROM observation o "
                                   "JOIN patient p ON p.id = o.patient_id");
    std::multiset<std::string> out;
    while (q.step())
        out.insert(q.text(0));
    return out;
}

} // namespace

TEST_CASE("The same MRN admitted on two laptops while offline: both patients arrive everywhere, "
          "named, and syncing goes on",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    const auto laptop_b = a.enroll(t, "bea");
    // Both nurses admit the same new patient before either syncs, and score her pain.
    for (auto [laptop, who, pain] :
         {std::tuple{laptop_a, "ann", "4"}, std::tuple{laptop_b, "bea", "7"}}) {
        run_ok({"patient", "add", "--mrn", "P9", "--name", "Cy Three", "--born", "1945-05-05",
                "--zone", "Europe/London", "--db", laptop, "--user", a.name(who)},
               a.env(who));
        run_ok({"visit", "add", "P9", "--score", fmt::format("pain={}", pain), "--db", laptop,
                "--user", a.name(who)},
               a.env(who));
    }
    counts(a.sync(laptop_a, "ann"));
    const auto b = a.sync(laptop_b, "bea");
    CHECK(counts(b)["pulled"].get<int>() >= 2);
    CHECK_THAT(b.err, Catch::Contains("Two patients have the MRN P9") &&
                          Catch::Contains("nothing was lost"));
    counts(a.sync(laptop_a, "ann"));

    for (const auto& laptop : {laptop_a, laptop_b}) {
        INFO(laptop);
        const auto here = patients(laptop);
        REQUIRE(here.size() == 2);
        CHECK(here.count("P9") == 1);
        const auto other = std::next(here.begin())->first;
        CHECK_THAT(other, Catch::StartsWith("P9~"));
        CHECK(other.size() == 3 + 8);
        // Each patient keeps the score given to her; none is lost or moved.
        const auto s = scores_by_mrn(laptop);
        CHECK(s.size() == 2);
        CHECK(s.count("P9 4") + s.count("P9 7") == 1);
        CHECK(s.count(other + " 4") + s.count(other + " 7") == 1);
    }
    // Later rows about either patient still arrive.
    run_ok({"visit", "add", "P9", "--score", "pain=2", "--db", laptop_a, "--user", a.name("ann")},
           a.env("ann"));
    counts(a.sync(laptop_a, "ann"));
    CHECK(counts(a.sync(laptop_b, "bea"))["pulled"].get<int>() >= 1);
    CHECK(scores_by_mrn(laptop_b).size() == 3);
}

TEST_CASE("A family member's scores arrive on a nurse's laptop as a family account's, not a "
          "nurse's",
          "[pgserver]") {
    Agency a;
    if (!a.ready()) return;
    TempDir t;
    const auto laptop_a = a.enroll(t, "ann");
    import(a, t, laptop_a, "ann", "patients", patients_csv);
    counts(a.sync(laptop_a, "ann"));
    a.add("fay", "family", {"--patient", "P1"});
    a.add("bea", "nurse");
    const auto home = a.enroll(t, "fay");
    run_ok({"visit", "add", "P1", "--reporter", "caregiver", "--score", "pain=8", "--db", home,
            "--user", a.name("fay")},
           a.env("fay"));
    counts(a.sync(home, "fay"));

    const auto laptop_b = a.enroll(t, "bea");
    solace::store::Database db(laptop_b, solace::store::Database::Mode::open_existing);
    const auto fay = solace::store::AccountRepository(db).find(a.name("fay"));
    REQUIRE(fay);
    CHECK(fay->role == solace::Role::family);
    CHECK_FALSE(fay->is_admin);
    solace::store::Statement q(db, "SELECT o.value, o.reporter FROM observation o "
                                   "JOIN account acc ON acc.id = o.author_id WHERE acc.name = ?1");
    q.bind(1, a.name("fay"));
    REQUIRE(q.step());
    CHECK(q.integer(0) == 8);
    CHECK(q.text(1) == "caregiver");
}
