// The History's visits and notes driven headless (issue 11, items 4 and 8): the nurse who comes
// today reads yesterday's note, whole, at 800 by 600 at Standard and Larger text; the search
// keeps the visits whose notes hold its words; the entries table keeps the time, the symptom and
// the score in sight at that size.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "appearance.hpp"
#include "headless.hpp"
#include "imgui_internal.h"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"
#include "wording.hpp"

using namespace solace;
using namespace std::chrono_literals;

namespace {

const std::string yesterdays_note =
    "Mary slept badly, woke at 03:00 with breakthrough pain; her daughter gave the oxycodone "
    "and it settled within the hour. Appetite poor, sips only. Skin intact. Daughter asks for "
    "a call about the night sitter before Friday.";
const std::string todays_note = "Comfortable this morning, family coping.";

// Nurses ann and bob; P1 in New York. Yesterday bob's visit (pain 6, PPS 50) with a long note,
// written 2 h after (late); today ann's (pain 3, PPS 40), written now.
struct Visits {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::unique_ptr<ui::Shell> shell;
    ui::Headless imgui{800, 600};
    Instant yesterday = now_utc() - 24h;

    Visits() {
        store::Database db(path, store::Database::Mode::create_new);
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, app::hash_password("ann-secret"), {}},
                     to_epoch(now_utc()));
        accounts.add({0, "bob", Role::nurse, true, false, app::hash_password("bob-secret"), {}},
                     to_epoch(now_utc()));
        const app::Session ann(db, *accounts.find("ann"));
        const app::Session bob(db, *accounts.find("bob"));
        app::add_patient(ann, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                      "America/New_York", "lung cancer"});
        app::VisitEntry v;
        v.mrn = "P1";
        v.at = yesterday;
        v.reporter = Reporter::patient;
        v.scores = {{Symptom::pain, 6, {}}};
        v.pps = 50;
        v.note = yesterdays_note;
        app::record_visit(bob, v, v.at + 2h); // documented late
        v.at = now_utc() - 1min;
        v.scores = {{Symptom::pain, 3, {}}};
        v.pps = 40;
        v.note = todays_note;
        app::record_visit(ann, v);
    }

    void open_as_ann(float text_scale) {
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        REQUIRE(shell->sign_in("ann", "ann-secret"));
        REQUIRE(shell->open_patient("P1", ui::PatientView::Tab::history));
        ImGui::GetIO().DisplaySize = ImVec2(800, 600);
        ui::apply_appearance({false, text_scale}); // after the account's own, at sign-in
        for (int i = 0; i < 3; ++i) // tab shown, history asked for and read, history drawn
            imgui.frame();
        REQUIRE(view().history());
    }

    ui::HistoryView& view() { return shell->patient_view().history(); }
};

} // namespace

TEST_CASE("At 800 by 600 the nurse reads yesterday's note whole in History's visits") {
    Visits t;
    const float scale = GENERATE(1.0f, 1.5f); // Standard and Larger text
    INFO("text scale " << scale);
    t.open_as_ann(scale);
    auto& k = t.imgui;
    REQUIRE(k.click("Visits and notes"));
    CHECK(t.view().part() == ui::HistoryView::Part::visits);
    REQUIRE(t.view().history()->visits.size() == 2);

    SECTION("the search finds it; then it is the first visit on the screen") {
        t.view().set_search("NIGHT sitter");
        const auto text = test::drawn_text(k);
        CHECK(t.view().listed_visits() == std::vector<std::uint32_t>{1});
        // Every word of the note, wrapped to the width, none cut off; who wrote it and when.
        CHECK_THAT(text, Catch::Contains(test::squeeze(yesterdays_note)));
        CHECK_THAT(text,
                   Catch::Contains(test::squeeze(ui::short_time(t.yesterday, "America/New_York"))));
        CHECK_THAT(text, Catch::Contains("bob"));
        CHECK_THAT(text, Catch::Contains("PPS50%"));
        CHECK_THAT(text, Catch::Contains("Pain6"));
        CHECK_THAT(text, !Catch::Contains(test::squeeze(todays_note)));
        CHECK_THAT(text, Catch::Contains("1of2visits"));
    }
    SECTION("newest first, today's note above it") {
        const auto text = test::drawn_text(k);
        CHECK(t.view().listed_visits() == std::vector<std::uint32_t>{0, 1});
        const auto today = text.find(test::squeeze(todays_note));
        INFO(text);
        REQUIRE(today != std::string::npos);
        // Yesterday's visit begins in sight below (its note a scroll away at Larger text).
        CHECK(text.find("PPS50%bob", today) != std::string::npos);
    }
    SECTION("words in no note leave nothing listed, and say so") {
        t.view().set_search("hospice");
        const auto text = test::drawn_text(k);
        CHECK(t.view().listed_visits().empty());
        CHECK_THAT(text, Catch::Contains("Novisitnote"));
        CHECK_THAT(text, !Catch::Contains("Maryslept"));
    }
    ui::apply_appearance({false, 1.0f});
}

namespace {
// The History's entries table (a nurse's has 8 columns), as laid out in the last frame.
const ImGuiTable* entries_table() {
    ImGuiContext& g = *GImGui;
    for (int n = 0; n < g.Tables.GetMapSize(); ++n)
        if (const ImGuiTable* t = g.Tables.TryGetMapData(n);
            t && t->ColumnsCount == 8 && t->LastFrameActive == g.FrameCount)
            return t;
    return nullptr;
}
} // namespace

TEST_CASE("At 800 by 600 the entries' frozen time column leaves the symptom and its score in "
          "sight") {
    Visits t;
    const float scale = GENERATE(1.0f, 1.5f);
    INFO("text scale " << scale);
    t.open_as_ann(scale);
    // The History scrolled down to the table, under the charts.
    for (int i = 0; i < 3; ++i) {
        for (ImGuiWindow* w : GImGui->Windows)
            if (std::string_view(w->Name).find("/history_") != std::string_view::npos)
                ImGui::SetScrollY(w, w->ScrollMax.y);
        t.imgui.frame();
    }
    const ImGuiTable* table = entries_table();
    REQUIRE(table);
    const auto& when = table->Columns[0];
    const auto& score = table->Columns[2];
    INFO("time column " << when.WidthGiven << " px; the score ends at " << score.MaxX
                        << ", the table's view at " << table->InnerClipRect.Max.x);
    // Unscrolled, the score ends inside the table's view; the time takes no more than a third.
    CHECK(score.MaxX <= table->InnerClipRect.Max.x);
    CHECK(when.WidthGiven <= 800.0f / 3);
    ui::apply_appearance({false, 1.0f});
}
