// Patients and accounts (issue 11 item 5): admit, edit (a new version), discharge or record a
// death, comfort goals (any nurse, never a family account), and accounts (add, disable, link a
// family member, reset a password: admins only). Each use case refuses itself, whatever calls
// it, and bad input gets a sentence that says what to fix.
#include <catch2/catch.hpp>

#include <functional>

#include "app/accounts.hpp"
#include "app/audit.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "store/account_repository.hpp"
#include "store/observation_repository.hpp"
#include "support.hpp"

using namespace solace;
using solace::test::count_rows;
using solace::test::utc;

namespace {

// An admin nurse (ann), a nurse who is not an admin (bea), patient P1 and a family account
// (rosa) who sees P1.
struct Agency {
    test::TempDir dir;
    store::Database db{dir / "solace.db", store::Database::Mode::create_new};
    app::Session ann = account("ann", Role::nurse, true, {});
    app::Session bea = account("bea", Role::nurse, false, {});
    std::int64_t p1 = app::add_patient(ann, patient("P1", "Margaret Okafor"));
    app::Session rosa = account("rosa", Role::family, false, {p1});

    app::Session account(const std::string& name, Role role, bool admin,
                         std::vector<std::int64_t> patients) {
        store::AccountRepository accounts(db);
        accounts.add({0, name, role, admin, false, test::password_hash(name + "-secret"),
                      std::move(patients)},
                     0);
        return app::Session(db, *accounts.find(name));
    }

    static Patient patient(const std::string& mrn, const std::string& name) {
        Patient p;
        p.mrn = mrn;
        p.name = name;
        p.date_of_birth = date::year{1940} / 3 / 1;
        p.time_zone = "Europe/London";
        p.diagnosis = "lung cancer";
        p.on_call_phone = "+44 20 7946 0000";
        return p;
    }

    std::vector<std::string> actions() {
        std::vector<std::string> out;
        for (const auto& e : app::audit_entries(ann, {}))
            out.push_back(e.action);
        return out;
    }

    bool signs_in(const std::string& name, const std::string& password) {
        try {
            app::Session::login(db, name, password);
            return true;
        } catch (const PermissionError&) {
            return false;
        }
    }
};

template <class E> std::string message(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    FAIL("expected the action to be refused");
    return {};
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

TEST_CASE("A nurse admits a patient, and a family account is refused", "[admin]") {
    Agency a;
    app::add_patient(a.ann, Agency::patient("P2", "Walter Moreau"));
    CHECK(a.ann.patient("P2").on_call_phone == "+44 20 7946 0000");
    CHECK(has(a.actions(), "patient.add"));
    // On an agency only the first account is an admin: every other nurse admits on her laptop.
    app::add_patient(a.bea, Agency::patient("P3", "Ada Byron"));

    const auto before = count_rows(a.db, "patient");
    CHECK_THAT(message<PermissionError>(
                   [&] { app::add_patient(a.rosa, Agency::patient("P4", "Cy Three")); }),
               Catch::Contains("Only a nurse may admit a patient"));
    CHECK(count_rows(a.db, "patient") == before);
}

TEST_CASE("Admitting refuses a used MRN, an unknown zone and a birth date ahead", "[admin]") {
    Agency a;
    const auto before = count_rows(a.db, "patient");
    SECTION("the MRN of another patient") {
        CHECK_THAT(message<ValidationError>(
                       [&] { app::add_patient(a.ann, Agency::patient("P1", "Someone Else")); }),
                   Catch::Contains("\"P1\" is already used"));
    }
    SECTION("a zone the tz database does not know") {
        auto p = Agency::patient("P2", "Walter Moreau");
        p.time_zone = "Europe/Londn";
        CHECK_THAT(message<ValidationError>([&] { app::add_patient(a.ann, p); }),
                   Catch::Contains("\"Europe/Londn\" is not a time zone") &&
                       Catch::Contains("Europe/London"));
    }
    SECTION("a date of birth in the future") {
        auto p = Agency::patient("P2", "Walter Moreau");
        p.date_of_birth = date::year{2990} / 1 / 1;
        CHECK_THAT(message<ValidationError>([&] { app::add_patient(a.ann, p); }),
                   Catch::Contains("2990-01-01") && Catch::Contains("not a past date"));
    }
    CHECK(count_rows(a.db, "patient") == before);
}

TEST_CASE("Editing a patient writes a new version, keeps the old one and names what changed",
          "[admin]") {
    Agency a;
    auto p = a.ann.patient("P1");
    p.name = "Margaret Okafor-Reyes";
    p.on_call_phone = "+44 20 7946 1111";
    app::edit_patient(a.ann, p);
    const auto now = a.ann.patient("P1");
    CHECK(now.name == "Margaret Okafor-Reyes");
    CHECK(now.on_call_phone == "+44 20 7946 1111");
    CHECK(now.diagnosis == "lung cancer");
    CHECK(now.id == a.p1);
    CHECK(count_rows(a.db, "patient_version") == 2); // the first version stays
    const auto log = app::audit_entries(a.ann, {});
    const auto edit = std::find_if(log.begin(), log.end(),
                                   [](const auto& e) { return e.action == "patient.edit"; });
    REQUIRE(edit != log.end());
    CHECK(edit->detail == "P1: changed name, on-call number");
    CHECK(edit->patient == "P1");

    SECTION("nothing changed: nothing saved") {
        CHECK_THAT(message<ValidationError>([&] { app::edit_patient(a.ann, now); }),
                   Catch::Contains("Nothing to save"));
    }
    SECTION("a bad zone: nothing saved") {
        auto bad = now;
        bad.time_zone = "Mars/Olympus";
        CHECK_THROWS_AS(app::edit_patient(a.ann, bad), ValidationError);
    }
    SECTION("a family account is refused; another nurse may correct the details") {
        auto other = now;
        other.diagnosis = "mesothelioma";
        CHECK_THAT(message<PermissionError>([&] { app::edit_patient(a.rosa, other); }),
                   Catch::Contains("Only a nurse"));
        CHECK(a.ann.patient("P1").diagnosis == "lung cancer");
        app::edit_patient(a.bea, other);
        CHECK(a.ann.patient("P1").diagnosis == "mesothelioma");
    }
    SECTION("a discharge stays through an edit") {
        app::discharge_patient(a.ann, "P1", "died", utc(2026, 3, 8, 4, 10));
        auto later = a.ann.patient("P1");
        later.diagnosis = "mesothelioma";
        app::edit_patient(a.ann, later);
        CHECK(a.ann.patient("P1").discharged_at == utc(2026, 3, 8, 4, 10));
        CHECK(a.ann.patient("P1").discharge_reason == "died");
    }
    CHECK(count_rows(a.db, "patient_version") >= 2);
    CHECK(a.ann.patient("P1").name == "Margaret Okafor-Reyes");
}

TEST_CASE("A death is recorded at its time by a nurse, and a family account cannot", "[admin]") {
    Agency a;
    CHECK_THROWS_AS(app::discharge_patient(a.rosa, "P1", "died", utc(2026, 3, 8, 4, 10)),
                    PermissionError);
    CHECK_FALSE(a.ann.patient("P1").discharged_at);
    CHECK_THAT(message<ValidationError>(
                   [&] { app::discharge_patient(a.ann, "P1", "dead", utc(2026, 3, 8, 4, 10)); }),
               Catch::Contains("\"dead\" is not died, transferred or other"));
    // The on-call nurse at the death need not be an admin.
    app::discharge_patient(a.bea, "P1", "died", utc(2026, 3, 8, 4, 10));
    CHECK(a.ann.patient("P1").discharge_reason == "died");
    CHECK_THAT(message<ValidationError>(
                   [&] { app::discharge_patient(a.ann, "P1", "transferred", utc(2026, 3, 9)); }),
               Catch::Contains("already discharged"));
}

TEST_CASE("A comfort goal is 0 to 10, set by a nurse, never by a family account", "[admin]") {
    Agency a;
    app::set_comfort_goal(a.ann, "P1", Symptom::pain, 3, utc(2026, 3, 1));
    app::set_comfort_goal(a.bea, "P1", Symptom::nausea, 0, utc(2026, 3, 1));
    CHECK(count_rows(a.db, "comfort_goal") == 2);
    CHECK_THAT(message<ValidationError>(
                   [&] { app::set_comfort_goal(a.ann, "P1", Symptom::pain, 11, utc(2026, 3, 1)); }),
               Catch::Contains("goal 11") && Catch::Contains("0 (none) to 10"));
    CHECK_THROWS_AS(app::set_comfort_goal(a.ann, "P1", Symptom::pain, -1, utc(2026, 3, 1)),
                    ValidationError);
    CHECK_THROWS_AS(app::set_comfort_goal(a.rosa, "P1", Symptom::pain, 2, utc(2026, 3, 1)),
                    PermissionError);
    CHECK(count_rows(a.db, "comfort_goal") == 2);
}

TEST_CASE("An admin adds a family account that sees only its patient, and can sign in", "[admin]") {
    Agency a;
    app::add_patient(a.ann, Agency::patient("P2", "Walter Moreau"));
    app::add_account(a.ann, {"sam", Role::family, false, {"P2"}}, "sam-secret");
    const auto sam = app::Session::login(a.db, "sam", "sam-secret");
    REQUIRE(sam.patients().size() == 1);
    CHECK(sam.patients()[0].mrn == "P2");
    CHECK(has(a.actions(), "account.add"));
    for (const auto& e : app::audit_entries(a.ann, {}))
        CHECK(e.detail.find("sam-secret") == std::string::npos);

    const auto list = app::account_list(a.ann);
    const auto row =
        std::find_if(list.begin(), list.end(), [](auto& r) { return r.name == "sam"; });
    REQUIRE(row != list.end());
    CHECK(row->role == Role::family);
    CHECK(row->patients == std::vector<std::string>{"P2"});
}

TEST_CASE("Adding an account refuses what cannot work, saying what to fix", "[admin]") {
    Agency a;
    const auto before = count_rows(a.db, "account");
    CHECK_THAT(message<PermissionError>([&] {
                   app::add_account(a.bea, {"tom", Role::nurse, false, {}}, "tom-secret");
               }),
               Catch::Contains("Only an admin may add accounts"));
    CHECK_THROWS_AS(app::add_account(a.rosa, {"tom", Role::nurse, false, {}}, "tom-secret"),
                    PermissionError);
    CHECK_THAT(message<ValidationError>([&] {
                   app::add_account(a.ann, {"bea", Role::nurse, false, {}}, "bea-secret");
               }),
               Catch::Contains("\"bea\" already exists"));
    CHECK_THAT(message<ValidationError>([&] {
                   app::add_account(a.ann, {"sam", Role::family, false, {}}, "sam-secret");
               }),
               Catch::Contains("at least one patient"));
    CHECK_THAT(message<ValidationError>([&] {
                   app::add_account(a.ann, {"sam", Role::family, true, {"P1"}}, "sam-secret");
               }),
               Catch::Contains("cannot be an admin"));
    CHECK_THAT(message<ValidationError>([&] {
                   app::add_account(a.ann, {"tom", Role::nurse, false, {"P1"}}, "x-secret");
               }),
               Catch::Contains("a nurse sees every patient"));
    CHECK_THAT(message<ValidationError>([&] {
                   app::add_account(a.ann, {"tom smith", Role::nurse, false, {}}, "secret1");
               }),
               Catch::Contains("without spaces"));
    CHECK_THAT(message<ValidationError>([&] {
                   app::add_account(a.ann, {"tom", Role::nurse, false, {}}, "abc");
               }),
               Catch::Contains("too short"));
    CHECK_THAT(message<NotFoundError>([&] {
                   app::add_account(a.ann, {"sam", Role::family, false, {"P9"}}, "sam-secret");
               }),
               Catch::Contains("P9"));
    CHECK(count_rows(a.db, "account") == before);
}

TEST_CASE("An admin links a family account to another patient", "[admin]") {
    Agency a;
    app::add_patient(a.ann, Agency::patient("P2", "Walter Moreau"));
    CHECK_THROWS_AS(app::link_family(a.bea, "rosa", "P2"), PermissionError);
    CHECK_THROWS_AS(app::link_family(a.rosa, "rosa", "P2"), PermissionError);
    CHECK(app::Session::login(a.db, "rosa", "rosa-secret").patients().size() == 1);
    app::link_family(a.ann, "rosa", "P2");
    CHECK(app::Session::login(a.db, "rosa", "rosa-secret").patients().size() == 2);
    CHECK(has(a.actions(), "family.link"));
    CHECK_THAT(message<ValidationError>([&] { app::link_family(a.ann, "rosa", "P2"); }),
               Catch::Contains("already sees P2"));
    CHECK_THAT(message<ValidationError>([&] { app::link_family(a.ann, "bea", "P2"); }),
               Catch::Contains("nurse account"));
    CHECK_THROWS_AS(app::link_family(a.ann, "nobody", "P2"), NotFoundError);
}

TEST_CASE("An admin resets a password: the new one signs in, the old one no more", "[admin]") {
    Agency a;
    CHECK_THROWS_AS(app::reset_password(a.bea, "rosa", "new-secret"), PermissionError);
    CHECK_THROWS_AS(app::reset_password(a.rosa, "rosa", "new-secret"), PermissionError);
    CHECK_THAT(message<ValidationError>([&] { app::reset_password(a.ann, "rosa", "abc"); }),
               Catch::Contains("too short"));
    CHECK(a.signs_in("rosa", "rosa-secret"));
    app::reset_password(a.ann, "rosa", "rosa-new-secret");
    CHECK(a.signs_in("rosa", "rosa-new-secret"));
    CHECK_FALSE(a.signs_in("rosa", "rosa-secret"));
    CHECK(has(a.actions(), "account.password"));
    for (const auto& e : app::audit_entries(a.ann, {}))
        CHECK(e.detail.find("rosa-new-secret") == std::string::npos);
}

TEST_CASE("An admin disables and enables an account, and nobody else can", "[admin]") {
    Agency a;
    CHECK_THROWS_AS(app::set_account_disabled(a.bea, "rosa", true), PermissionError);
    CHECK_THROWS_AS(app::set_account_disabled(a.rosa, "bea", true), PermissionError);
    app::set_account_disabled(a.ann, "rosa", true);
    CHECK_FALSE(a.signs_in("rosa", "rosa-secret"));
    app::set_account_disabled(a.ann, "rosa", false);
    CHECK(a.signs_in("rosa", "rosa-secret"));
}

TEST_CASE("A typed password is overwritten and emptied", "[admin]") {
    std::string secret = "rosa-new-secret";
    app::wipe(secret);
    CHECK(secret.empty());
}
