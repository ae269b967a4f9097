// "Patients and accounts" in the window (issue 11 item 5): an admin nurse admits a patient and
// adds a family account by keyboard and clicks, at 800 by 600 with Standard and Larger text;
// what app/ refuses shows on the screen and nothing is saved; other accounts never see it.
#include <catch2/catch.hpp>

#include "app/accounts.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "appearance.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
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

TEST_CASE("Only an admin sees Patients and accounts") {
    for (const std::string who : {"bea", "fay"}) {
        DYNAMIC_SECTION(who) {
            Office office(1.0f);
            REQUIRE(office.shell->sign_in(who, who + "-secret"));
            office.imgui.frame();
            CHECK(office.imgui.shows("Lock now"));
            CHECK_FALSE(office.imgui.draws("Patients and accounts"));
            office.shell->open_admin(); // asked for anyway: nothing opens
            CHECK_THAT(test::drawn_text(office.imgui), !Catch::Contains("Admitapatient"));
        }
    }
}
