// What a family member sees: the nurses' 24-hour number always, and after a severe score, what
// to do now.
#include <algorithm>

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "appearance.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "store/medication_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;
using namespace std::chrono_literals;

namespace {

// Fay, the family member of P1, with P1's record of scores open; P1's agency number is
// `phone` (empty: none on file).
struct Home {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    ui::Headless imgui{1200, 2400}; // tall enough for the History table below its charts
    std::unique_ptr<ui::Shell> shell;

    explicit Home(const std::string& phone) {
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            const auto now = to_epoch(now_utc());
            accounts.add(
                {0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}}, now);
            accounts.add(
                {0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {}}, now);
            const app::Session nurse(db, *accounts.find("ann"));
            Patient p{0,
                      "P1",
                      "Mary Test",
                      date::year{1950} / 3 / 14,
                      "Europe/London",
                      "pancreatic cancer"};
            p.on_call_phone = phone;
            const auto id = app::add_patient(nurse, p);
            accounts.link(accounts.find("fay")->id, id);
            nurse.audit("family.link", id, "fay"); // vouches for the link row, as Solace does
            const app::Session fay(db, *accounts.find("fay"));
            const auto at_now = now_utc();
            // Three hours ago the nurse scored nausea; two hours ago Fay scored tiredness.
            app::VisitEntry v;
            v.mrn = "P1";
            v.at = at_now - 3h;
            v.scores = {{Symptom::nausea, 2, ""}};
            app::record_visit(nurse, v, v.at);
            v.at = at_now - 2h;
            v.reporter = Reporter::caregiver;
            v.scores = {{Symptom::tiredness, 4, ""}};
            app::record_visit(fay, v, v.at);
            // Morphine SR twice a day for two days, never recorded: missed doses, for the
            // nurse; paracetamol as needed, never given.
            Medication sr;
            sr.key = "morphine-sr";
            sr.name = "Morphine sulfate SR";
            sr.dose = "30 mg";
            sr.schedule_text = "bid";
            sr.start = at_now - date::days{2};
            app::add_medication(nurse, "P1", sr);
            Medication prn;
            prn.key = "paracetamol";
            prn.name = "Paracetamol";
            prn.dose = "1 g";
            prn.schedule_text = "prn q4h max 4";
            prn.indication = "pain";
            prn.start = at_now - date::days{2};
            app::add_medication(nurse, "P1", prn);
        }
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        REQUIRE(shell->sign_in("fay", "fay-secret"));
        REQUIRE(shell->open_patient("P1", ui::PatientView::Tab::visit));
        imgui.frame();
    }

    // Opens another tab of P1 and draws until its contents are read and shown.
    void open(ui::PatientView::Tab tab) {
        REQUIRE(shell->open_patient("P1", tab));
        for (int i = 0; i < 3; ++i)
            imgui.frame();
    }

    // P1's doses of `key` as the database holds them.
    std::vector<Administration> doses(const std::string& key) {
        store::Database db(path, store::Database::Mode::open_existing);
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        store::MedicationRepository meds(db);
        std::vector<Administration> out;
        for (const auto& a : meds.administrations(p->id, from_epoch(0), now_utc() + 1h))
            for (const auto& m : meds.list(p->id))
                if (m.id == a.medication_id && m.key == key) out.push_back(a);
        return out;
    }

    const app::HistoryEntry* entry(Symptom s) {
        for (const auto& e : shell->patient_view().history().history()->entries)
            if (e.score.symptom == s) return &e;
        return nullptr;
    }

    void save_pain(char digit) {
        imgui.type(std::string(1, digit));
        imgui.press(ui::keys::s, true);
        imgui.frame();
    }
};

} // namespace

TEST_CASE("A family member always sees the nurses' 24-hour number, and after a severe score is "
          "told to call it now") {
    Home home("0800 123 456");
    const auto& visit = home.shell->patient_view().visit();
    CHECK_THAT(test::drawn_text(home.imgui),
               Catch::Contains(test::squeeze("Nurse on call, day and night: 0800 123 456")));

    SECTION("a severe score: call now, with the number") {
        home.save_pain('8');
        CHECK(visit.call_now_text() ==
              "Pain is severe (8 of 10). Call the nurse now: 0800 123 456, day or night.");
        CHECK_THAT(test::drawn_text(home.imgui),
                   Catch::Contains(test::squeeze("Call the nurse now: 0800 123 456")));
        SECTION("and the next, milder score takes the advice away") {
            home.save_pain('3');
            CHECK(visit.call_now_text().empty());
        }
    }
    SECTION("a moderate score: no alarm") {
        home.save_pain('5');
        CHECK(visit.call_now_text().empty());
    }
}

TEST_CASE("With no number on file the family is told to call and where to get the number") {
    Home home("");
    CHECK_THAT(test::drawn_text(home.imgui),
               Catch::Contains(test::squeeze("The nurses' 24-hour number is not on file here")));
    home.save_pain('9');
    CHECK(home.shell->patient_view().visit().call_now_text() ==
          "Pain is severe (9 of 10). Call the nurse now, day or night (the number is not on file "
          "here).");
}

TEST_CASE("A family member reads the nurses' flags in plain words: medication names, times in "
          "words, no triage codes or dose windows") {
    Home home("0800 123 456");

    SECTION("the patient list counts things for the nurse") {
        home.shell = std::make_unique<ui::Shell>(home.path); // a new window, at the list
        REQUIRE(home.shell->sign_in("fay", "fay-secret"));
        REQUIRE(home.shell->list_worker());
        home.shell->list_worker()->wait();
        home.imgui.frame(); // takes the finished list between frames
        const auto list = test::drawn_text(home.imgui);
        REQUIRE(home.shell->patient_list().patients.size() == 1);
        const int open = home.shell->patient_list().patients[0].open_flags;
        REQUIRE(open > 1); // the missed doses
        CHECK_THAT(list, Catch::Contains(test::squeeze(std::to_string(open) +
                                                       " things for the nurse to look at")));
        CHECK_THAT(list, !Catch::Contains("urgent"));
        CHECK_THAT(list, !Catch::Contains("warning"));
        CHECK_THAT(list, !Catch::Contains("Openflags"));
    }
    SECTION("the flags tab says what the nurse will look at") {
        home.open(ui::PatientView::Tab::flags);
        const auto flags = test::drawn_text(home.imgui);
        CHECK_THAT(flags, Catch::Contains(test::squeeze("No one recorded the dose of Morphine "
                                                        "sulfate SR due")));
        CHECK_THAT(flags, Catch::Contains(test::squeeze("Things for the nurse to look at")));
        CHECK_THAT(flags, !Catch::Contains("morphine-sr"));
        CHECK_THAT(flags, !Catch::Contains("window"));
        CHECK_THAT(flags, !Catch::Contains("urgent"));
        CHECK_THAT(flags, !Catch::Contains("warning"));
        CHECK_THAT(flags,
                   Catch::Contains(test::squeeze("Nurse on call, day and night: 0800 123 456")));
    }
    SECTION("today's doses name the medication, never its key") {
        home.open(ui::PatientView::Tab::medications);
        const auto doses = test::drawn_text(home.imgui);
        CHECK_THAT(doses, Catch::Contains(test::squeeze("Morphine sulfate SR")));
        CHECK_THAT(doses, !Catch::Contains("morphine-sr"));
        CHECK_THAT(doses, !Catch::Contains("(PRN)"));
        CHECK_THAT(doses, !Catch::Contains("time-critical")); // the nurses' word
        CHECK_THAT(doses, !Catch::Contains("late"));
        CHECK_THAT(doses,
                   Catch::Contains(test::squeeze("Nurse on call, day and night: 0800 123 456")));
    }
}

TEST_CASE("A family member corrects their own score in History within the hour, and no other") {
    Home home("0800 123 456");
    home.save_pain('8');
    home.open(ui::PatientView::Tab::history);
    auto& view = home.shell->patient_view().history();
    REQUIRE(view.history());
    const auto* pain = home.entry(Symptom::pain);
    REQUIRE(pain);
    CHECK(pain->correctable);                                 // Fay's, just now
    CHECK_FALSE(home.entry(Symptom::tiredness)->correctable); // Fay's, two hours ago
    CHECK_FALSE(home.entry(Symptom::nausea)->correctable);    // the nurse's
    CHECK(view.offered_correction());
    CHECK_THAT(test::drawn_text(home.imgui),
               Catch::Contains(test::squeeze("For an hour after you record it")));

    auto& k = home.imgui;
    REQUIRE(k.click("Correct")); // the only one: pain's row
    REQUIRE(view.correcting());
    k.frame();
    k.type("3");
    k.press(ui::keys::tab);
    k.type("tapped 8, meant 3");
    REQUIRE(k.click("Save correction"));
    k.frame();
    INFO(view.error());
    CHECK_FALSE(view.correcting());
    pain = home.entry(Symptom::pain);
    REQUIRE(pain);
    CHECK(pain->score.value == 3);
    CHECK(pain->score.author == "fay");
    REQUIRE(pain->replaced.size() == 1);
    CHECK(pain->replaced[0].value == 8);

    SECTION("the window's form is no way round the rule: an old score is refused in words") {
        const auto tiredness = home.entry(Symptom::tiredness)->score.id;
        store::Database db(home.path, store::Database::Mode::open_existing);
        const app::Session fay(db, *store::AccountRepository(db).find("fay"));
        CHECK_THROWS_WITH(app::correct_score(fay, tiredness, 1, "meant 1"),
                          Catch::Contains("within 60 min"));
    }
}

TEST_CASE("A family member's as-needed dose waits for a confirmation: one click records nothing") {
    Home home("0800 123 456");
    home.open(ui::PatientView::Tab::medications);
    auto& view = home.shell->patient_view().medications();
    auto& k = home.imgui;
    REQUIRE(k.click("Give now")); // paracetamol: not controlled, nothing to warn of
    k.frame();
    REQUIRE(view.warning_shown());
    CHECK_THAT(view.warning_text(), Catch::Contains("Paracetamol"));
    CHECK(home.doses("paracetamol").empty());

    SECTION("the confirm records one dose, as the caregiver's") {
        REQUIRE(k.click("Record anyway  (Enter)"));
        k.frame();
        const auto saved = home.doses("paracetamol");
        REQUIRE(saved.size() == 1);
        CHECK(saved[0].reporter == Reporter::caregiver);
        CHECK(saved[0].author == "fay");
    }
    SECTION("Enter confirms too") {
        k.press(ui::keys::enter);
        k.frame();
        CHECK(home.doses("paracetamol").size() == 1);
    }
    SECTION("Escape records nothing") {
        k.press(ui::keys::escape);
        k.frame();
        CHECK_FALSE(view.warning_shown());
        CHECK(home.doses("paracetamol").empty());
    }
}

TEST_CASE("At 800 by 600 every view of a patient is named whole and one click away, for a family "
          "member and a nurse, at Standard and Larger text") {
    Home home("0800 123 456");
    const float scale = GENERATE(1.0f, 1.5f);
    const bool nurse = GENERATE(false, true);
    CAPTURE(scale, nurse);
    ImGui::GetIO().DisplaySize = ImVec2(800, 600);
    ui::apply_appearance({false, scale});
    if (nurse) {
        home.shell->sign_out();
        REQUIRE(home.shell->sign_in("ann", "ann-secret"));
    }
    home.open(ui::PatientView::Tab::visit);
    using Tab = ui::PatientView::Tab;
    // The flags view's name carries its count of open flags (the missed morphine doses).
    const auto* picture = home.shell->patient_picture();
    REQUIRE(picture);
    const auto open = std::count_if(picture->flags.begin(), picture->flags.end(),
                                    [](const Flag& f) { return !f.acknowledged; });
    REQUIRE(open > 0);
    const std::string flags_label =
        nurse ? fmt::format("Flags ({} open)", open) : fmt::format("For the nurse ({})", open);
    const std::pair<std::string, Tab> views[] = {
        {nurse ? "Visit" : "Record a score", Tab::visit},
        {"History", Tab::history},
        {nurse ? "Medications" : "Today's doses", Tab::medications},
        {flags_label, Tab::flags},
        {"Summary", Tab::summary},
    };
    for (const auto& [label, tab] : views) {
        CAPTURE(label);
        REQUIRE(home.imgui.click(label));
        home.imgui.frame();
        CHECK(home.shell->patient_view().current() == tab);
    }
    REQUIRE(home.imgui.click("Lock now"));
    home.imgui.frame();
    CHECK(home.shell->locked());
    ui::apply_appearance({false, 1.0f});
    ImGui::GetIO().DisplaySize = ImVec2(1200, 2400);
}
