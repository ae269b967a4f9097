// The window's views driven headless: keys typed into ImGui with no display, results read back
// from the database.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;

// fontconfig keeps its configuration for the life of the process (FcFini would pull it from
// under pango in the same binary): not a leak of ours. Read by LeakSanitizer in the asan build.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\n";
}

namespace {

// A database with one nurse (ann) and one patient (P1, no history), the window signed in as
// ann with P1's visit open.
struct Bedside {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::unique_ptr<ui::Shell> shell;
    ui::Headless imgui;

    explicit Bedside(ui::PatientView::Tab tab = ui::PatientView::Tab::visit) {
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            accounts.add({0, "ann", Role::nurse, true, false, app::hash_password("ann-secret"), {}},
                         to_epoch(now_utc()));
            const app::Session nurse(db, *accounts.find("ann"));
            app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                            "Europe/London", "pancreatic cancer"});
        }
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        REQUIRE(shell->sign_in("ann", "ann-secret"));
        REQUIRE(shell->open_patient("P1", tab));
        imgui.frame();
    }

    // The scores saved for P1, by symptom.
    std::map<Symptom, Score> saved_scores() {
        store::Database db(path, store::Database::Mode::open_existing);
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        std::map<Symptom, Score> out;
        for (const auto& s :
             store::ObservationRepository(db).scores(p->id, from_epoch(0), now_utc() + 1h))
            out[s.symptom] = s;
        return out;
    }

    // The list's row once the refresh the last change started has finished.
    const app::PatientRow& list_row() {
        shell->finish_list_refresh();
        return shell->patient_list().patients.at(0);
    }
};

} // namespace

TEST_CASE("A nurse logs a five-symptom visit by keyboard and finds it in the database") {
    Bedside bed;
    auto& k = bed.imgui;
    k.type("7");
    k.press(ui::keys::tab);
    k.type("3");
    k.press(ui::keys::enter); // Enter moves on as Tab does
    k.type("10");             // 1 then 0 within a second: ten
    k.press(ui::keys::tab);
    k.type("0");
    k.press(ui::keys::tab);
    k.type("5");
    k.press(ui::keys::s, /*ctrl=*/true);

    SECTION("in at most 15 keystrokes") {
        CHECK(k.keystrokes() <= 15);
    }

    SECTION("with each score, reporter and author as typed") {
        const auto saved = bed.saved_scores();
        REQUIRE(saved.size() == 5);
        CHECK(saved.at(Symptom::pain).value == 7);
        CHECK(saved.at(Symptom::appetite).value == 3);
        CHECK(saved.at(Symptom::nausea).value == 10);
        CHECK(saved.at(Symptom::anxiety).value == 0);
        CHECK(saved.at(Symptom::breathing).value == 5);
        for (const auto& [symptom, s] : saved) {
            CHECK(s.reporter == Reporter::patient);
            CHECK(s.author == "ann");
        }
    }

    SECTION("and the form is empty again, ready for the next visit") {
        CHECK(bed.shell->patient_view().visit().entry().scores.empty());
        CHECK(bed.shell->patient_view().visit().focus_row() == 0);
    }
}

TEST_CASE("A 1 and a 0 more than a second apart are two scores, not ten") {
    Bedside bed;
    bed.imgui.type("1");
    bed.imgui.wait(1.5);
    bed.imgui.type("0");
    const auto typed = bed.shell->patient_view().visit().entry();
    REQUIRE(typed.scores.size() == 1);
    CHECK(typed.scores[0].symptom == Symptom::pain);
    CHECK(typed.scores[0].value == 0);
}

TEST_CASE("Shift+Tab goes back and Backspace clears a score") {
    Bedside bed;
    auto& k = bed.imgui;
    k.type("4");
    k.press(ui::keys::tab);
    k.type("6");
    k.press(ui::keys::tab, false, /*shift=*/true);
    CHECK(bed.shell->patient_view().visit().focus_row() == 0);
    k.press(ui::keys::backspace);
    const auto typed = bed.shell->patient_view().visit().entry();
    REQUIRE(typed.scores.size() == 1);
    CHECK(typed.scores[0].symptom == Symptom::appetite);
}

TEST_CASE("An empty visit is not saved, and says why") {
    Bedside bed;
    bed.imgui.press(ui::keys::s, true);
    CHECK(bed.saved_scores().empty());
}

TEST_CASE("A severe score raises a flag in the patient list and acknowledging it clears it") {
    Bedside bed;
    CHECK(bed.list_row().open_flags == 0);
    bed.imgui.type("9"); // severe pain: urgent
    bed.imgui.press(ui::keys::s, true);
    REQUIRE(bed.list_row().open_flags == 1);
    CHECK(bed.list_row().worst == Severity::urgent);

    REQUIRE(bed.shell->open_patient("P1", ui::PatientView::Tab::flags));
    bed.imgui.frame();
    bed.imgui.press(ui::keys::enter); // acknowledge the first open flag
    bed.imgui.type("gave breakthrough dose");
    bed.imgui.press(ui::keys::enter);

    CHECK(bed.list_row().open_flags == 0);
    const auto* picture = bed.shell->patient_picture();
    REQUIRE(picture);
    REQUIRE(picture->flags.size() == 1);
    CHECK(picture->flags[0].acknowledged);
    CHECK(picture->flags[0].acknowledged_by == "ann");
    CHECK(picture->flags[0].acknowledgement_note == "gave breakthrough dose");
}
