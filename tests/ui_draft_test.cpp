// Never lose typing: the visit form is kept as a draft in the database while it is typed, and
// offered back after a crash, a switch of view or patient, or a sign-out.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/drafts.hpp"
#include "app/session.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "store/draft_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;

namespace {

// A database with one nurse (ann) and two patients (P1, P2); a window signed in as ann with
// P1's visit open. The window can be dropped without saving (a crash) and opened again.
struct Bedside {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::unique_ptr<ui::Shell> shell;
    ui::Headless imgui;

    Bedside() {
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            accounts.add(
                {0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                to_epoch(now_utc()));
            const app::Session nurse(db, *accounts.find("ann"));
            for (const char* mrn : {"P1", "P2"})
                app::add_patient(nurse, Patient{0, mrn, "Mary Test", date::year{1950} / 3 / 14,
                                                "Europe/London", "pancreatic cancer"});
        }
        imgui.draw = [this] {
            if (shell) shell->draw();
        };
        imgui.after_draw = [this] {
            if (shell) shell->apply_pending();
        };
        open_window();
    }

    void open_window() {
        shell = std::make_unique<ui::Shell>(path);
        REQUIRE(shell->sign_in("ann", "ann-secret"));
        REQUIRE(shell->open_patient("P1"));
        imgui.frame();
    }

    // The program dies: nothing is saved on the way out.
    void crash() { shell.reset(); }

    ui::VisitView& visit() { return shell->patient_view().visit(); }

    // The draft kept for ann and `mrn`, if any, as the database has it now.
    std::optional<app::VisitDraft> stored_draft(const std::string& mrn = "P1") {
        store::Database db(path, store::Database::Mode::open_existing);
        const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
        return app::find_visit_draft(nurse, nurse.patient(mrn));
    }

    std::size_t saved_scores() {
        store::Database db(path, store::Database::Mode::open_existing);
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        return store::ObservationRepository(db).scores(p->id, from_epoch(0), now_utc() + 1h).size();
    }
};

int score_of(const app::VisitEntry& v, Symptom s) {
    for (const auto& e : v.scores)
        if (e.symptom == s) return e.value;
    return -1;
}

} // namespace

TEST_CASE("A visit typed before a crash is offered back and restores its values") {
    Bedside bed;
    auto& k = bed.imgui;
    k.type("7");
    k.press(ui::keys::tab);
    k.type("3");
    k.wait(1.1); // drafts are kept at most once a second
    k.frame();
    bed.crash();

    bed.open_window();
    REQUIRE(bed.visit().offering_draft());
    CHECK(bed.visit().entry().scores.empty()); // offered, not imposed
    REQUIRE(k.click("Restore"));
    CHECK_FALSE(bed.visit().offering_draft());
    const auto typed = bed.visit().entry();
    REQUIRE(typed.scores.size() == 2);
    CHECK(score_of(typed, Symptom::pain) == 7);
    CHECK(score_of(typed, Symptom::appetite) == 3);

    SECTION("and saving the visit clears the draft") {
        k.press(ui::keys::s, /*ctrl=*/true);
        CHECK(bed.saved_scores() == 2);
        CHECK_FALSE(bed.stored_draft());
        bed.crash();
        bed.open_window();
        CHECK_FALSE(bed.visit().offering_draft());
    }
}

TEST_CASE("A discarded draft is not offered again") {
    Bedside bed;
    bed.imgui.type("5");
    bed.crash();
    bed.open_window();
    REQUIRE(bed.visit().offering_draft());
    REQUIRE(bed.imgui.click("Discard it"));
    CHECK_FALSE(bed.stored_draft());
    bed.crash();
    bed.open_window();
    CHECK_FALSE(bed.visit().offering_draft());
}

TEST_CASE("Typing is kept at once, then at most once a second") {
    Bedside bed;
    auto& k = bed.imgui;
    k.type("4"); // the first change is kept at once
    auto d = bed.stored_draft();
    REQUIRE(d);
    CHECK(score_of(d->visit, Symptom::pain) == 4);

    k.press(ui::keys::tab);
    k.type("6"); // within the second: waits
    d = bed.stored_draft();
    REQUIRE(d);
    CHECK(score_of(d->visit, Symptom::appetite) == -1);
    CHECK(bed.shell->draft_due_in() >= 0.0); // the window wakes for it

    k.wait(1.1);
    k.frame();
    d = bed.stored_draft();
    REQUIRE(d);
    CHECK(score_of(d->visit, Symptom::appetite) == 6);
    CHECK(bed.shell->draft_due_in() < 0.0);
}

TEST_CASE("A switch of patient or view keeps the draft at once, and it comes back on return") {
    Bedside bed;
    auto& k = bed.imgui;
    k.type("2");
    k.press(ui::keys::tab);
    k.type("8"); // not yet kept: within the second

    SECTION("to another patient") {
        REQUIRE(bed.shell->open_patient("P2"));
    }
    SECTION("to another view") {
        REQUIRE(bed.shell->open_patient("P1", ui::PatientView::Tab::flags));
    }
    SECTION("by signing out") {
        bed.shell->sign_out();
        REQUIRE(bed.shell->sign_in("ann", "ann-secret"));
    }
    const auto d = bed.stored_draft();
    REQUIRE(d);
    CHECK(score_of(d->visit, Symptom::pain) == 2);
    CHECK(score_of(d->visit, Symptom::appetite) == 8);

    REQUIRE(bed.shell->open_patient("P1"));
    k.frame();
    REQUIRE(bed.visit().offering_draft());
    REQUIRE(k.click("Restore"));
    CHECK(score_of(bed.visit().entry(), Symptom::appetite) == 8);
}

TEST_CASE("A visit the database refuses keeps the typed values and says why in plain words") {
    Bedside bed;
    auto& k = bed.imgui;
    k.type("9");
    {
        // Another program holds the write lock until after the save gives up.
        store::Database other(bed.path, store::Database::Mode::open_existing);
        other.exec("BEGIN IMMEDIATE");
        k.press(ui::keys::s, /*ctrl=*/true);
        other.exec("ROLLBACK");
    }
    CHECK(bed.saved_scores() == 0);
    CHECK(score_of(bed.visit().entry(), Symptom::pain) == 9); // still on screen
    REQUIRE(bed.stored_draft());                              // and still kept

    k.press(ui::keys::s, /*ctrl=*/true); // the lock is gone: the same values save
    CHECK(bed.saved_scores() == 1);
    CHECK_FALSE(bed.stored_draft());
}

TEST_CASE("A visit draft round-trips through its JSON and ignores what it cannot read") {
    app::VisitEntry v;
    v.reporter = Reporter::caregiver;
    v.scores = {{Symptom::pain, 10, {}}, {Symptom::wellbeing, 0, {}}};
    v.note = "restless \"night\"\n";
    const auto back = app::parse_visit_draft(app::visit_draft_json(v, true));
    REQUIRE(back);
    CHECK(back->visit.reporter == Reporter::caregiver);
    CHECK(back->visit.scores.size() == 2);
    CHECK(back->visit.note == v.note);
    CHECK(back->more);
    CHECK_FALSE(back->visit.pps);

    CHECK_FALSE(app::parse_visit_draft("not json"));
    CHECK_FALSE(app::parse_visit_draft("{}")); // nothing worth offering back
    const auto odd = app::parse_visit_draft(R"({"scores": {"pain": 11, "nausea": 4, "x": 2}})");
    REQUIRE(odd);
    REQUIRE(odd->visit.scores.size() == 1);
    CHECK(odd->visit.scores[0].symptom == Symptom::nausea);
}

TEST_CASE("Display settings are kept per account") {
    Bedside bed;
    store::Database db(bed.path, store::Database::Mode::open_existing);
    const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
    CHECK_FALSE(app::preferences(nurse).dark);
    CHECK(app::preferences(nurse).text_scale == 1.0f);
    app::set_preferences(nurse, {true, 1.5f});
    CHECK(app::preferences(nurse).dark);
    CHECK(app::preferences(nurse).text_scale == 1.5f);
}
