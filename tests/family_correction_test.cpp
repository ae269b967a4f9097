// A family member corrects a score they mistapped (issue 11 item 9): only their own
// caregiver score, within family_correction_window (1 h) of first recording it; anything else
// is refused in words and writes nothing. Times are explicit: the rule judges `now`.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/observation_repository.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;
using store::Database;

namespace {

// Ann the nurse; Fay and Gus, family members of P1.
struct Home {
    test::TempDir dir;
    Database db{dir / "solace.db", Database::Mode::create_new};
    app::Session ann = account("ann", Role::nurse);
    app::Session fay = account("fay", Role::family);
    app::Session gus = account("gus", Role::family);
    // Recorded an hour and a half ago, so that both sides of the hour are in the past.
    Instant recorded = now_utc() - 90min;

    Home() {
        const auto p = app::add_patient(
            ann, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14, "Europe/London", "copd"});
        store::AccountRepository accounts(db);
        for (const char* name : {"fay", "gus"}) {
            accounts.link(accounts.find(name)->id, p);
            ann.audit("family.link", p, name);
        }
        fay = app::Session(db, *accounts.find("fay"));
        gus = app::Session(db, *accounts.find("gus"));
    }

    app::Session account(const std::string& name, Role role) {
        store::AccountRepository accounts(db);
        accounts.add({0, name, role, role == Role::nurse, false, test::password_hash("secret"), {}},
                     to_epoch(now_utc()));
        return app::Session(db, *accounts.find(name));
    }

    // A pain score `value` recorded by `who` at `recorded` (as caregiver, unless a nurse).
    std::int64_t pain(const app::Session& who, int value) {
        app::VisitEntry v;
        v.mrn = "P1";
        v.at = recorded;
        v.reporter = who.is_nurse() ? Reporter::patient : Reporter::caregiver;
        v.scores = {{Symptom::pain, value, ""}};
        const auto visit = app::record_visit(who, v, recorded);
        store::Statement s(db, "SELECT id FROM observation WHERE visit_id = ?");
        s.bind(1, visit);
        REQUIRE(s.step());
        return s.int64(0);
    }

    template <typename F> std::string refusal(F f) {
        const auto before = test::count_rows(db, "observation");
        try {
            f();
        } catch (const PermissionError& e) {
            CHECK(test::count_rows(db, "observation") == before); // nothing written
            return e.what();
        }
        FAIL("not refused");
        return {};
    }
};

} // namespace

TEST_CASE("A family member corrects their own score within the hour, and nothing else") {
    Home h;
    const auto mine = h.pain(h.fay, 8);

    SECTION("their own, 59 minutes after recording it: corrected, both values kept") {
        const auto fixed =
            app::correct_score(h.fay, mine, 3, "tapped 8, meant 3", h.recorded + 59min);
        const auto row = store::ObservationRepository(h.db).score(fixed);
        REQUIRE(row);
        CHECK(row->value == 3);
        CHECK(row->supersedes == mine);
        CHECK(row->author == "fay");
        CHECK(row->reporter == Reporter::caregiver);

        SECTION("the correction does not start a new hour: the first recording counts") {
            CHECK_THAT(h.refusal([&] {
                app::correct_score(h.fay, fixed, 4, "meant 4", h.recorded + 61min);
            }),
                       Catch::Contains("more than 60 min ago"));
        }
        SECTION("and a nurse may still correct it afterwards") {
            CHECK_NOTHROW(app::correct_score(h.ann, fixed, 5, "asked again", h.recorded + 3h));
        }
    }
    SECTION("exactly at the hour: still theirs to correct") {
        CHECK_NOTHROW(app::correct_score(h.fay, mine, 3, "tapped 8", h.recorded + 60min));
    }
    SECTION("their own, 61 minutes after: refused, and told to ask the nurse") {
        const auto why =
            h.refusal([&] { app::correct_score(h.fay, mine, 3, "tapped 8", h.recorded + 61min); });
        CHECK_THAT(why, Catch::Contains("more than 60 min ago"));
        CHECK_THAT(why, Catch::Contains("ask the nurse"));
    }
    SECTION("another family member's score: refused, even within the hour") {
        const auto why = h.refusal(
            [&] { app::correct_score(h.gus, mine, 3, "looked wrong", h.recorded + 5min); });
        CHECK_THAT(why, Catch::Contains("only a score it recorded itself"));
    }
    SECTION("a nurse's score: refused") {
        const auto nurses = h.pain(h.ann, 6);
        CHECK_THAT(h.refusal([&] {
            app::correct_score(h.fay, nurses, 3, "it was less", h.recorded + 5min);
        }),
                   Catch::Contains("only a score it recorded itself"));
    }
    SECTION("their own score once a nurse corrected it: the nurse's now") {
        const auto nurse_fixed =
            app::correct_score(h.ann, mine, 6, "asked again", h.recorded + 10min);
        CHECK_THAT(h.refusal([&] {
            app::correct_score(h.fay, nurse_fixed, 3, "no, 3", h.recorded + 20min);
        }),
                   Catch::Contains("only a score it recorded itself"));
    }
    SECTION("the rule itself: nurses any score, any time") {
        const auto row = *store::ObservationRepository(h.db).score(mine);
        CHECK(app::correction_refusal(h.ann.account(), row, row, h.recorded + 48h).empty());
        CHECK(app::correction_refusal(h.fay.account(), row, row, h.recorded + 30min).empty());
        CHECK_FALSE(app::correction_refusal(h.fay.account(), row, row, h.recorded + 2h).empty());
        // The edge the agency server keeps too (schema/server/0003): 3600 s yes, 3601 s no.
        CHECK(app::correction_refusal(h.fay.account(), row, row, row.recorded_at + 60min).empty());
        CHECK_FALSE(app::correction_refusal(h.fay.account(), row, row, row.recorded_at + 60min + 1s)
                        .empty());
    }
}
