// "Patients and accounts" in the window (issue 11 item 5): an admin nurse admits a patient and
// adds a family account by keyboard and clicks, at 800 by 600 with Standard and Larger text;
// what app/ refuses shows on the screen and nothing is saved. A nurse who is not an admin gets
// the patients part alone; a family account gets neither.
#include <string_view>

#include <catch2/catch.hpp>

#include "app/accounts.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "appearance.hpp"
#include "headless.hpp"
#include "imgui_internal.h"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "store/observation_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;

namespace {

// An admin nurse (ann), a nurse who is not an admin (bea), a family member (fay) of Mary Test.
struct Office {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    ui::Headless imgui{800, 600};
    std::unique_ptr<ui::Shell> shell;

    explicit Office(float text_scale) {
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            const auto now = to_epoch(now_utc());
            accounts.add(
                {0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}}, now);
            accounts.add(
                {0, "bea", Role::nurse, false, false, test::password_hash("bea-secret"), {}}, now);
            const app::Session nurse(db, *accounts.find("ann"));
            const auto mary =
                app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                                "Europe/London", "pancreatic cancer"});
            accounts.add(
                {0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {mary}},
                now);
            nurse.audit("account.add", std::nullopt, "fay"); // vouches for the rows
        }
        ImGui::GetIO().DisplaySize = ImVec2(800, 600);
        ui::apply_appearance({false, text_scale});
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
    }
    ~Office() { ui::apply_appearance({false, 1.0f}); }

    // Signs in as ann and opens "Patients and accounts" from the session bar.
    void open_as_admin() {
        REQUIRE(shell->sign_in("ann", "ann-secret"));
        imgui.frame();
        REQUIRE(imgui.click("Patients and accounts"));
        imgui.frame();
    }

    // Types each text into the next field, Tab between them.
    void fill(std::initializer_list<std::string_view> texts) {
        bool first = true;
        for (auto t : texts) {
            if (!first) imgui.press(ui::keys::tab);
            first = false;
            imgui.type(t);
        }
    }

    std::optional<Patient> patient(const std::string& mrn) {
        store::Database db(path, store::Database::Mode::open_existing);
        const auto ann = app::Session::login(db, "ann", "ann-secret");
        try {
            return ann.patient(mrn);
        } catch (const NotFoundError&) {
            return std::nullopt;
        }
    }
};

} // namespace

TEST_CASE("An admin admits a patient in the window at 800 by 600, Standard and Larger text") {
    const float scale = GENERATE(1.0f, 1.5f);
    CAPTURE(scale);
    Office office(scale);
    auto& k = office.imgui;
    office.open_as_admin();
    CHECK_THAT(test::drawn_text(k), Catch::Contains("MaryTest") && Catch::Contains("incare"));
    REQUIRE(k.click("Admit a patient"));
    k.frame(); // the cursor goes to the MRN
    office.fill({"P0042", "Jean Brennan", "1938-09-09", "Europe/London", "lung cancer",
                 "+44 20 7946 0000"});
    CHECK(k.shows("Admit"));
    CHECK(k.shows("Cancel"));

    SECTION("saved, with every detail, and on the patient list") {
        REQUIRE(k.click("Admit"));
        k.frame();
        auto& view = office.shell->admin_view().patients();
        CHECK(view.error().empty());
        CHECK_THAT(view.message(), Catch::Contains("Admitted Jean Brennan (P0042)"));
        const auto p = office.patient("P0042");
        REQUIRE(p);
        CHECK(p->name == "Jean Brennan");
        CHECK(p->date_of_birth == date::year{1938} / 9 / 9);
        CHECK(p->time_zone == "Europe/London");
        CHECK(p->diagnosis == "lung cancer");
        CHECK(p->on_call_phone == "+44 20 7946 0000");
        // The new patient's page opens, with what an admin does next.
        CHECK(k.shows("< All patients"));
        CHECK(k.shows("Save changes"));
        REQUIRE(k.click("< Back"));
        office.shell->finish_list_refresh();
        CHECK_THAT(test::drawn_text(k), Catch::Contains("JeanBrennan"));
    }
    SECTION("an MRN already used is refused on the screen; nothing is saved, the form stays") {
        for (int i = 0; i < 5; ++i) // back to the MRN, over the other fields
            k.press(ui::keys::tab, false, true);
        for (int i = 0; i < 5; ++i)
            k.press(ui::keys::backspace);
        k.type("P1");
        REQUIRE(k.click("Admit"));
        k.frame();
        CHECK_THAT(office.shell->admin_view().patients().error(),
                   Catch::Contains("\"P1\" is already used"));
        CHECK_THAT(test::drawn_text(k),
                   Catch::Contains("alreadyused") && Catch::Contains("JeanBrennan"));
        CHECK(k.shows("Admit"));
        CHECK_FALSE(office.patient("P0042"));
    }
}

TEST_CASE("An admin adds a family account in the window at 800 by 600, Standard and Larger "
          "text") {
    const float scale = GENERATE(1.0f, 1.5f);
    CAPTURE(scale);
    Office office(scale);
    auto& k = office.imgui;
    office.open_as_admin();
    REQUIRE(k.click("Accounts"));
    k.frame();
    CHECK_THAT(test::drawn_text(k), Catch::Contains("familyofP1"));
    REQUIRE(k.click("Add an account"));
    k.frame();
    REQUIRE(k.click("A family member"));
    k.frame(); // the cursor goes back to the name
    office.fill({"maria", "P1", "maria-secret", "maria-secret"});
    CHECK(k.shows("Add the account"));
    REQUIRE(k.click("Add the account"));
    k.frame();
    auto& view = office.shell->admin_view().accounts();
    CHECK(view.error().empty());
    CHECK_THAT(view.message(), Catch::Contains("Added the account maria"));
    CHECK_FALSE(view.holds_password());

    store::Database db(office.path, store::Database::Mode::open_existing);
    const auto maria = app::Session::login(db, "maria", "maria-secret");
    CHECK(maria.account().role == Role::family);
    REQUIRE(maria.patients().size() == 1);
    CHECK(maria.patients()[0].mrn == "P1");

    CHECK(k.shows("< All accounts")); // maria's page
    CHECK_THAT(test::drawn_text(k), Catch::Contains("maria(familyofP1)"));

    SECTION("two passwords that differ are refused before anything is saved") {
        REQUIRE(k.click("< All accounts"));
        k.frame();
        REQUIRE(k.click("Add an account"));
        k.frame();
        office.fill({"tom", "tom-secret", "tom-secrex"});
        REQUIRE(k.click("Add the account"));
        k.frame();
        CHECK_THAT(view.error(), Catch::Contains("differ"));
        CHECK_FALSE(view.holds_password());
        CHECK_FALSE(store::AccountRepository(db).find("tom"));
    }
}

TEST_CASE("A nurse who is not an admin admits a patient and sets a comfort goal in the window, "
          "with no accounts in sight, at 800 by 600, Standard and Larger text") {
    const float scale = GENERATE(1.0f, 1.5f);
    CAPTURE(scale);
    Office office(scale);
    auto& k = office.imgui;
    REQUIRE(office.shell->sign_in("bea", "bea-secret"));
    k.frame();
    CHECK_FALSE(k.draws("Patients and accounts"));
    CHECK_FALSE(k.draws("Audit log"));
    REQUIRE(k.click("Admissions and discharges"));
    k.frame();
    CHECK(office.shell->admin_view().part() == ui::AdminView::Part::patients);
    CHECK_FALSE(office.shell->admin_view().with_accounts());
    CHECK_FALSE(k.draws("Accounts"));
    CHECK(k.shows("Close admissions and discharges"));
    // No word of accounts anywhere, not even the family account that sees Mary Test.
    CHECK_THAT(test::drawn_text(k), Catch::Contains("MaryTest") && !Catch::Contains("ccount") &&
                                        !Catch::Contains("familyof"));

    REQUIRE(k.click("Admit a patient"));
    k.frame();
    office.fill({"P0042", "Jean Brennan", "1938-09-09", "Europe/London", "lung cancer",
                 "+44 20 7946 0000"});
    REQUIRE(k.click("Admit"));
    k.frame();
    auto& view = office.shell->admin_view().patients();
    CHECK(view.error().empty());
    CHECK_THAT(view.message(), Catch::Contains("Admitted Jean Brennan (P0042)"));
    const auto p = office.patient("P0042");
    REQUIRE(p);
    CHECK(p->name == "Jean Brennan");

    // The new patient's page, scrolled down as a wheel would (at Larger text the goal is below
    // the fold): its comfort goal, pain at most 3 (the slider's start).
    for (int i = 0; i < 3; ++i) {
        for (ImGuiWindow* w : GImGui->Windows)
            if (std::string_view(w->Name).find("/patient_") != std::string_view::npos)
                ImGui::SetScrollY(w, w->ScrollMax.y);
        k.frame();
    }
    REQUIRE(k.click("Set the goal"));
    k.frame();
    CHECK(view.error().empty());
    CHECK_THAT(view.message(), Catch::Contains("Comfort goal for P0042"));
    {
        store::Database db(office.path, store::Database::Mode::open_existing);
        const auto goals = store::ObservationRepository(db).goals(p->id);
        REQUIRE(goals.size() == 1);
        CHECK(goals[0].symptom == Symptom::pain);
        CHECK(goals[0].goal == 3);
        CHECK(test::count_rows(db, "account") == 3); // nothing else changed
    }
    CHECK_THAT(test::drawn_text(k), !Catch::Contains("ccount"));

    SECTION("asked for the accounts anyway (--view accounts): the patients part opens") {
        REQUIRE(k.click("Close admissions and discharges"));
        k.frame();
        office.shell->open_admin(ui::AdminView::Part::accounts);
        k.frame();
        CHECK(office.shell->admin_view().part() == ui::AdminView::Part::patients);
        CHECK(k.shows("Admit a patient"));
        CHECK_THAT(test::drawn_text(k), !Catch::Contains("ccount"));
    }
}

TEST_CASE("An admin has both patients and accounts, a family account has neither") {
    SECTION("ann, an admin") {
        Office office(1.0f);
        REQUIRE(office.shell->sign_in("ann", "ann-secret"));
        office.imgui.frame();
        CHECK_FALSE(office.imgui.draws("Admissions and discharges"));
        REQUIRE(office.imgui.click("Patients and accounts"));
        office.imgui.frame();
        CHECK(office.shell->admin_view().with_accounts());
        CHECK(office.imgui.shows("Accounts"));
        CHECK(office.imgui.shows("Close patients and accounts"));
    }
    SECTION("fay, a family member") {
        Office office(1.0f);
        REQUIRE(office.shell->sign_in("fay", "fay-secret"));
        office.imgui.frame();
        CHECK(office.imgui.shows("Lock now"));
        CHECK_FALSE(office.imgui.draws("Patients and accounts"));
        CHECK_FALSE(office.imgui.draws("Admissions and discharges"));
        office.shell->open_admin(); // asked for anyway: nothing opens
        CHECK_THAT(test::drawn_text(office.imgui), !Catch::Contains("Admitapatient"));
        CHECK_FALSE(office.imgui.draws("Set the goal"));
    }
}
