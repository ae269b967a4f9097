// The patient list: its search belongs to one sign-in, says how many of how many it found, and
// opens the one match on Enter; triage puts the most urgent flags first.
#include <catch2/catch.hpp>

#include <algorithm>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "appearance.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "patient_list_view.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;

namespace {

// A nurse (ann), a family member (fay) of Mary Test, and three patients.
struct Office {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    ui::Headless imgui;
    std::unique_ptr<ui::Shell> shell;

    Office() {
        store::Database db(path, store::Database::Mode::create_new);
        store::AccountRepository accounts(db);
        const auto now = to_epoch(now_utc());
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                     now);
        accounts.add({0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {}},
                     now);
        const app::Session nurse(db, *accounts.find("ann"));
        const auto mary =
            app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                            "Europe/London", "pancreatic cancer"});
        app::add_patient(nurse, Patient{0, "P2", "John Smith", date::year{1942} / 6 / 1,
                                        "Europe/London", "lung cancer"});
        app::add_patient(nurse, Patient{0, "P3", "Ada Byron", date::year{1938} / 12 / 10,
                                        "Europe/London", "heart failure"});
        accounts.link(accounts.find("fay")->id, mary);
        nurse.audit("family.link", mary, "fay"); // vouches for the link row, as Solace does
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
    }
};

app::PatientRow flagged(int urgent, int warning, int info) {
    app::PatientRow r;
    r.open_by_severity[int(Severity::urgent)] = urgent;
    r.open_by_severity[int(Severity::warning)] = warning;
    r.open_by_severity[int(Severity::info)] = info;
    r.open_flags = urgent + warning + info;
    return r;
}

} // namespace

TEST_CASE("A patient search counts what it found, opens the one match on Enter, and is gone at "
          "the next sign-in") {
    Office office;
    auto& k = office.imgui;
    REQUIRE(office.shell->sign_in("ann", "ann-secret"));
    k.frame();
    CHECK_THAT(test::drawn_text(k), Catch::Contains("3patients."));
    k.press(ui::keys::tab); // to the search field
    k.type("mary");
    CHECK_THAT(test::drawn_text(k), Catch::Contains("1of3patientsmatch."));
    k.press(ui::keys::enter);
    k.frame();
    CHECK(office.shell->screen() == ui::Shell::Screen::patient);

    office.shell->sign_out();
    REQUIRE(office.shell->sign_in("fay", "fay-secret"));
    k.frame();
    CHECK(office.shell->patient_list_view().search().empty());
    CHECK_THAT(test::drawn_text(k), !Catch::Contains("mary"));
}

TEST_CASE("Triage puts more urgent flags first, whatever the number of lesser ones") {
    CHECK(ui::more_urgent(flagged(4, 4, 0), flagged(1, 8, 0)));
    CHECK_FALSE(ui::more_urgent(flagged(1, 8, 0), flagged(4, 4, 0)));
    CHECK(ui::more_urgent(flagged(1, 2, 0), flagged(1, 1, 9)));
    CHECK(ui::more_urgent(flagged(0, 0, 1), flagged(0, 0, 0)));
    auto unchecked = flagged(0, 0, 0);
    unchecked.problem = "the medication list could not be read";
    CHECK(ui::more_urgent(unchecked, flagged(9, 9, 9)));
}

TEST_CASE("Triage puts escalated flags first, then urgent and warning counts, then the flag "
          "waiting longest") {
    auto escalated = flagged(1, 0, 0);
    escalated.escalated = 1;
    CHECK(ui::more_urgent(escalated, flagged(3, 5, 0)));
    CHECK_FALSE(ui::more_urgent(flagged(3, 5, 0), escalated));
    const Instant now = date::floor<std::chrono::seconds>(now_utc());
    auto older = flagged(1, 1, 0);
    older.oldest_open = now - date::days{9};
    auto newer = flagged(1, 1, 0);
    newer.oldest_open = now - std::chrono::hours{1};
    CHECK(ui::more_urgent(older, newer));
    CHECK_FALSE(ui::more_urgent(newer, older));
    auto more_warnings = flagged(1, 2, 0);
    more_warnings.oldest_open = now - std::chrono::hours{1};
    CHECK(ui::more_urgent(more_warnings, older)); // counts before time
}

TEST_CASE("An urgent flag from 9 days ago, not acknowledged, counts in the list and shows in the "
          "Flags tab") {
    Office office;
    {
        store::Database db(office.path, store::Database::Mode::open_existing);
        const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
        app::VisitEntry v;
        v.mrn = "P3";
        v.at = date::floor<std::chrono::seconds>(now_utc()) - date::days{9};
        v.scores.push_back({Symptom::pain, 9, ""});
        app::record_visit(nurse, v, v.at);
    }
    auto& k = office.imgui;
    REQUIRE(office.shell->sign_in("ann", "ann-secret"));
    office.shell->finish_list_refresh();
    const auto& list = office.shell->patient_list();
    const auto ada = std::find_if(list.patients.begin(), list.patients.end(),
                                  [](const app::PatientRow& r) { return r.mrn == "P3"; });
    REQUIRE(ada != list.patients.end());
    CHECK(ada->open_flags == 1);
    CHECK(ada->escalated == 1);
    const auto text = test::drawn_text(k);
    CHECK_THAT(text, Catch::Contains(test::squeeze("Open flags: not yet acknowledged (the last "
                                                   "year).")));
    CHECK_THAT(text, Catch::Contains("1urgent"));

    REQUIRE(office.shell->open_patient("P3", ui::PatientView::Tab::flags));
    k.frame(); // the tab bar selects the asked tab in the frame after
    const auto flags = test::drawn_text(k);
    CHECK_THAT(flags, Catch::Contains("Openflags(1)"));
    CHECK_THAT(flags, Catch::Contains("Acknowledged(0)"));
    CHECK_THAT(flags, Catch::Contains(test::squeeze("Every flag not yet acknowledged, from the "
                                                    "last year.")));
}

TEST_CASE("At 800 by 600 with Larger text the Flags tab shows what happened and the whole "
          "Acknowledge button") {
    Office office;
    {
        store::Database db(office.path, store::Database::Mode::open_existing);
        const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
        app::VisitEntry v;
        v.mrn = "P3";
        v.at = date::floor<std::chrono::seconds>(now_utc()) - std::chrono::hours{1};
        v.scores.push_back({Symptom::breathing, 9, ""});
        app::record_visit(nurse, v, v.at);
    }
    auto& k = office.imgui;
    const float scale = GENERATE(1.0f, 1.5f); // Standard and Larger text
    INFO("text scale " << scale);
    ImGui::GetIO().DisplaySize = ImVec2(800, 600);
    ui::apply_appearance({false, scale});
    REQUIRE(office.shell->sign_in("ann", "ann-secret"));
    REQUIRE(office.shell->open_patient("P3", ui::PatientView::Tab::flags));
    k.frame();
    const auto* picture = office.shell->patient_picture();
    REQUIRE(picture);
    REQUIRE(picture->flags.size() == 1);
    const auto text = test::drawn_text(k);
    CHECK_THAT(text, Catch::Contains(test::squeeze(picture->flags[0].detail)));
    CHECK_THAT(text, Catch::Contains("Shortnessofbreath"));
    REQUIRE(k.shows("Acknowledge"));
    REQUIRE(k.click("Acknowledge"));
    k.frame(); // the window draws on after a click (frames_after_event): the note takes the keys
    k.type("sat up, fan on");
    k.frame();
    CHECK(k.shows("Cancel"));
    REQUIRE(k.click("Acknowledge"));
    k.frame();
    picture = office.shell->patient_picture();
    REQUIRE(picture);
    REQUIRE(picture->flags.size() == 1);
    CHECK(picture->flags[0].acknowledged);
    CHECK(picture->flags[0].acknowledgement_note == "sat up, fan on");
    CHECK_THAT(test::drawn_text(k), Catch::Contains("Acknowledgedbyann"));
    ui::apply_appearance({false, 1.0f});
}

TEST_CASE("The Flags tab shows open flags fifty at a time, and the next ones on asking") {
    Office office;
    {
        store::Database db(office.path, store::Database::Mode::open_existing);
        const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
        const auto now = date::floor<std::chrono::seconds>(now_utc());
        for (int i = 0; i < 60; ++i) {
            app::VisitEntry v;
            v.mrn = "P3";
            v.at = now - std::chrono::hours{2 * i + 1};
            v.scores.push_back({Symptom::pain, 9, ""});
            app::record_visit(nurse, v, v.at);
        }
    }
    auto& k = office.imgui;
    ImGui::GetIO().DisplaySize = ImVec2(1400, 8000); // tall: every row in sight
    REQUIRE(office.shell->sign_in("ann", "ann-secret"));
    REQUIRE(office.shell->open_patient("P3", ui::PatientView::Tab::flags));
    k.frame();
    const auto* picture = office.shell->patient_picture();
    REQUIRE(picture);
    REQUIRE(picture->flags.size() == 60);
    const auto fiftieth = picture->flags[49].id;
    CHECK_THAT(test::drawn_text(k), Catch::Contains("Openflags(60)") && Catch::Contains("10more"));
    CHECK(k.shows("Show 10 more"));
    CHECK_FALSE(k.draws("Show 50 more"));
    // Down past the page's last flag stays on it.
    for (int i = 0; i < 55; ++i)
        k.press(ui::keys::down);
    k.press(ui::keys::enter);
    k.type("seen");
    k.press(ui::keys::enter);
    picture = office.shell->patient_picture();
    REQUIRE(picture);
    const auto it = std::find_if(picture->flags.begin(), picture->flags.end(),
                                 [&](const Flag& f) { return f.id == fiftieth; });
    REQUIRE(it != picture->flags.end());
    CHECK(it->acknowledged);
    k.frame();
    CHECK_THAT(test::drawn_text(k), Catch::Contains("Openflags(59)") && Catch::Contains("9more"));
    REQUIRE(k.click("Show 9 more"));
    k.frame();
    CHECK_FALSE(k.draws("Show 9 more"));
    ImGui::GetIO().DisplaySize = ImVec2(1200, 800);
}

TEST_CASE("At 800 by 600 with Larger text the list and a patient keep Sign out and the names "
          "in sight") {
    Office office;
    auto& k = office.imgui;
    ImGui::GetIO().DisplaySize = ImVec2(800, 600);
    ui::apply_appearance({false, 1.5f});
    REQUIRE(office.shell->sign_in("ann", "ann-secret"));
    k.frame();
    const auto text = test::drawn_text(k);
    CHECK(k.shows("Sign out"));
    CHECK(k.shows("Refresh"));
    // Whole names and MRNs; the zone and diagnosis make way (they show on hovering a name).
    CHECK_THAT(text, Catch::Contains("MaryTest") && Catch::Contains("JohnSmith") &&
                         Catch::Contains("AdaByron") && Catch::Contains("P1"));
    CHECK_THAT(text, !Catch::Contains("Diagnosis"));
    k.press(ui::keys::down);
    k.press(ui::keys::enter);
    k.frame();
    REQUIRE(office.shell->screen() == ui::Shell::Screen::patient);
    k.frame();
    CHECK(k.shows("Sign out"));
    CHECK(k.shows("< Patients"));

    SECTION("a wide window shows every column") {
        ImGui::GetIO().DisplaySize = ImVec2(1400, 900);
        ui::apply_appearance({false, 1.0f});
        office.shell->sign_out();
        REQUIRE(office.shell->sign_in("ann", "ann-secret"));
        k.frame();
        CHECK_THAT(test::drawn_text(k),
                   Catch::Contains("Diagnosis") && Catch::Contains("pancreaticcancer"));
    }
    ui::apply_appearance({false, 1.0f});
}
