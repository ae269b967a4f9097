// The window's views driven headless: keys typed into ImGui with no display, results read back
// from the database.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "app/clinic.hpp"
#include "app/drafts.hpp"
#include "app/session.hpp"
#include "appearance.hpp"
#include "headless.hpp"
#include "key_queue.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

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

namespace {
std::int64_t visits_saved(const std::filesystem::path& path) {
    store::Database db(path, store::Database::Mode::open_existing);
    store::Statement s(db, "SELECT count(*) FROM visit");
    REQUIRE(s.step());
    return s.int64(0);
}
} // namespace

TEST_CASE("Ctrl+S twice from the note field saves the visit once and empties the form") {
    Bedside bed;
    auto& k = bed.imgui;
    k.type("7");
    for (int i = 0; i < 7; ++i) // pain, four more symptoms, PPS, bowel movement: the note
        k.press(ui::keys::tab);
    k.frame(); // the note takes the keyboard
    k.type("slept badly");
    REQUIRE(bed.shell->patient_view().visit().entry().note == "slept badly");
    k.press(ui::keys::s, true);
    k.press(ui::keys::s, true);
    k.frame();
    CHECK(visits_saved(bed.path) == 1);
    CHECK(bed.saved_scores().size() == 1);
    const auto left = bed.shell->patient_view().visit().entry();
    CHECK(left.note.empty());
    CHECK(left.scores.empty());
    // A click on Save now saves nothing either.
    CHECK(bed.imgui.click("Save visit  (Ctrl+S)"));
    CHECK(visits_saved(bed.path) == 1);
}

TEST_CASE("Ctrl+T takes the visit's time: a visit logged tonight for this morning") {
    Bedside bed;
    auto& k = bed.imgui;
    k.press(ui::keys::t, true);
    k.type("yesterday 20:00");
    k.press(ui::keys::enter); // back to the scores
    k.type("5");
    const auto expected = app::entry_time("yesterday 20:00", find_zone("Europe/London"), now_utc());
    k.press(ui::keys::s, true);
    const auto saved = bed.saved_scores();
    REQUIRE(saved.size() == 1);
    CHECK(saved.at(Symptom::pain).value == 5);
    CHECK(saved.at(Symptom::pain).observed_at == expected);
    CHECK(bed.shell->patient_view().visit().when_text().empty()); // the next visit is now
}

TEST_CASE("A visit time beyond 72 hours back is refused in words, and the scores stay") {
    Bedside bed;
    auto& k = bed.imgui;
    k.press(ui::keys::t, true);
    k.type("2020-01-01 08:00");
    k.press(ui::keys::enter);
    k.type("5");
    k.press(ui::keys::s, true);
    CHECK(bed.saved_scores().empty());
    CHECK_THAT(test::drawn_text(k), Catch::Contains("morethan72hoursago"));
    CHECK(bed.shell->patient_view().visit().entry().scores.size() == 1);
}

TEST_CASE("Keys pressed and released within one frame are not lost, and keep their order") {
    Bedside bed;
    ui::KeyQueue q;
    auto stroke = [&](int key, char c) {
        q.key(key, true);
        if (c) q.character(static_cast<unsigned char>(c));
        q.key(key, false);
    };
    // "7 Tab 3 Tab 1 0", all between two frames, as a fast typist on a slow frame.
    stroke(GLFW_KEY_7, '7');
    stroke(GLFW_KEY_TAB, 0);
    stroke(GLFW_KEY_3, '3');
    stroke(GLFW_KEY_TAB, 0);
    stroke(GLFW_KEY_1, '1');
    stroke(GLFW_KEY_0, '0');
    int frames = 0;
    while (!q.empty() && frames < 50) {
        q.feed(ImGui::GetIO());
        bed.imgui.frame();
        ++frames;
    }
    q.feed(ImGui::GetIO());
    bed.imgui.frame();
    const auto typed = bed.shell->patient_view().visit().entry();
    std::map<Symptom, int> scores;
    for (const auto& s : typed.scores)
        scores[s.symptom] = s.value;
    CHECK(scores == std::map<Symptom, int>{
                        {Symptom::pain, 7}, {Symptom::appetite, 3}, {Symptom::nausea, 10}});
    CHECK(bed.shell->patient_view().visit().focus_row() == 2);
    CHECK_FALSE(ImGui::GetIO().KeysDown[GLFW_KEY_TAB]); // every key let go
}

TEST_CASE("Without the queue, a Tab pressed and released within one frame is lost") {
    // What ImGui 1.86 sees when the backend writes io.KeysDown straight from the callbacks.
    Bedside bed;
    auto& io = ImGui::GetIO();
    io.AddInputCharacter('7');
    io.KeysDown[GLFW_KEY_TAB] = true;
    io.KeysDown[GLFW_KEY_TAB] = false;
    io.AddInputCharacter('3');
    bed.imgui.frame();
    const auto typed = bed.shell->patient_view().visit().entry();
    REQUIRE(typed.scores.size() == 1);
    CHECK(typed.scores[0].symptom == Symptom::pain); // both digits on pain: the 3 overwrote 7
    CHECK(typed.scores[0].value == 3);
}

TEST_CASE(
    "A bowel movement is typed as its Bristol type on its own line and saved with the visit") {
    Bedside bed;
    auto& k = bed.imgui;
    k.press(ui::keys::t, true);
    k.type("yesterday 20:00");
    k.press(ui::keys::enter); // back to the scores
    k.type("6");
    for (int i = 0; i < 6; ++i) // past the other four symptoms and the PPS
        k.press(ui::keys::tab);
    k.type("8"); // not a Bristol type: ignored
    CHECK_FALSE(bed.shell->patient_view().visit().entry().bowel_movement);
    k.type("2");
    const auto typed = bed.shell->patient_view().visit().entry();
    REQUIRE(typed.bowel_movement);
    CHECK(typed.bowel_movement->bristol_type == 2);
    SECTION("a draft keeps it") {
        const auto draft = app::parse_visit_draft(app::visit_draft_json(typed, false));
        REQUIRE(draft);
        REQUIRE(draft->visit.bowel_movement);
        CHECK(draft->visit.bowel_movement->bristol_type == 2);
    }
    SECTION("saved at the visit's time, by the visit's reporter") {
        const auto expected =
            app::entry_time("yesterday 20:00", find_zone("Europe/London"), now_utc());
        k.press(ui::keys::s, true);
        CHECK(bed.saved_scores().at(Symptom::pain).value == 6);
        store::Database db(bed.path, store::Database::Mode::open_existing);
        store::Statement b(db, "SELECT bristol_type, occurred_at, reporter FROM bowel_movement");
        REQUIRE(b.step());
        CHECK(b.integer(0) == 2);
        CHECK(b.int64(1) == to_epoch(expected));
        CHECK(b.text(2) == "patient");
        CHECK_FALSE(b.step());
        CHECK_FALSE(bed.shell->patient_view().visit().entry().bowel_movement); // form emptied
    }
}

TEST_CASE("A bowel movement alone is a visit worth saving") {
    Bedside bed;
    auto& k = bed.imgui;
    for (int i = 0; i < 6; ++i)
        k.press(ui::keys::tab);
    k.type("4");
    k.press(ui::keys::s, true);
    store::Database db(bed.path, store::Database::Mode::open_existing);
    CHECK(test::count_rows(db, "bowel_movement") == 1);
}

TEST_CASE("At 800 by 600 with Larger text every score, PPS and bowel button is in sight") {
    Bedside bed;
    auto& k = bed.imgui;
    ImGui::GetIO().DisplaySize = ImVec2(800, 600);
    ui::apply_appearance({false, 1.5f});
    k.frame();
    k.type("7"); // pain 7: "Before" and "Would raise" have something to say
    const auto text = test::drawn_text(k);
    // Each row's label, then every one of its buttons, in order; Tab scrolls the row it moves
    // to into sight.
    CHECK_THAT(text, Catch::Contains("Pain012345678910"));
    const auto after_tabs = [&](int tabs) {
        for (int i = 0; i < tabs; ++i)
            k.press(ui::keys::tab);
        return test::drawn_text(k);
    };
    CHECK_THAT(after_tabs(4), Catch::Contains("Shortnessofbreath012345678910nonebefore"));
    CHECK_THAT(after_tabs(1), Catch::Contains("PPS(%)0102030405060708090100"));
    CHECK_THAT(after_tabs(1), Catch::Contains("Bowelmovement1234567"));
    // The two columns beside the buttons moved under them ("none before" above), in words,
    // not cut to a letter.
    CHECK_THAT(text, Catch::Contains("Score(0none,10worst),before,wouldraise"));

    SECTION("in a wide window they stay columns of their own") {
        ImGui::GetIO().DisplaySize = ImVec2(1400, 900);
        ui::apply_appearance({false, 1.0f});
        k.frame(); // the scroll position is held to the shorter form
        const auto wide = test::drawn_text(k);
        CHECK_THAT(wide, Catch::Contains("Before,samereporter"));
        CHECK_THAT(wide, Catch::Contains("Wouldraise"));
        CHECK_THAT(wide, Catch::Contains("PPS(%)0102030405060708090100"));
    }
    ui::apply_appearance({false, 1.0f});
}
