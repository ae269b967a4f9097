// The Summary view driven headless: the weekly summary built and its pages drawn between
// frames, saved as a PDF read back with pdftotext, and Print offered only where the account
// may print.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "entries.hpp"
#include "headless.hpp"
#include "print_server.hpp"
#include "report/weekly_summary.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;
using namespace std::chrono_literals;

namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    ::pclose(p);
    return out;
}

// A nurse (ann), a family member (fay) of P0042 (Mary Test, London), and a visit in each of
// the last two weeks. `family_may_print`: the agency's setting, absent when not given.
struct Clinic {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::unique_ptr<ui::Shell> shell;
    ui::Headless imgui;

    explicit Clinic(const std::string& who = "ann", std::optional<int> family_may_print = {}) {
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            const auto now = now_utc();
            accounts.add(
                {0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                to_epoch(now));
            accounts.add(
                {0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {}},
                to_epoch(now));
            const app::Session nurse(db, *accounts.find("ann"));
            const auto pid =
                app::add_patient(nurse, Patient{0, "P0042", "Mary Test", date::year{1950} / 3 / 14,
                                                "Europe/London", "pancreatic cancer"});
            accounts.link(accounts.find("fay")->id, pid);
            for (auto at : {now - date::days{7}, now - date::days{1}})
                test::record_visit(nurse, {"P0042",
                                           at,
                                           Reporter::patient,
                                           {{Symptom::pain, 6, ""}, {Symptom::nausea, 2, ""}},
                                           60,
                                           "Comfortable after the morning dose."});
            if (family_may_print)
                db.exec(fmt::format("INSERT INTO setting (key, value) VALUES "
                                    "('family_may_print', {})",
                                    *family_may_print));
        }
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        REQUIRE(shell->sign_in(who, who + "-secret"));
        REQUIRE(shell->open_patient("P0042", ui::PatientView::Tab::summary));
        settle();
    }

    ui::SummaryView& view() { return shell->patient_view().summary(); }

    // Frames until the summary is built and every page drawn.
    void settle() {
        for (int i = 0; i < 12; ++i)
            imgui.frame();
    }

    std::size_t audited(const std::string& action) {
        store::Database db(path, store::Database::Mode::open_existing);
        const app::Session admin(db, *store::AccountRepository(db).find("ann"));
        std::size_t n = 0;
        for (const auto& e : app::audit_entries(admin, {}))
            n += e.action == action;
        return n;
    }
};

} // namespace

TEST_CASE("The Summary tab shows last week's summary with every page drawn") {
    Clinic clinic;
    auto& view = clinic.view();
    REQUIRE(view.summary());
    const auto zone = find_zone("Europe/London");
    CHECK(view.week() == report::parse_week("last", now_utc(), zone));
    CHECK(view.summary()->patient.mrn == "P0042");
    CHECK(view.pages() >= 1);
    CHECK(view.pages_drawn() == view.pages());
    // Headless there is no texture: the drawing is kept, and it is not a blank page.
    const auto* page = view.preview(0);
    REQUIRE(page);
    CHECK(page->width > 800);
    std::size_t ink = 0;
    for (std::size_t i = 0; i < page->rgba.size(); i += 4)
        ink += page->rgba[i] < 128;
    CHECK(ink > 1000);

    SECTION("choosing this week builds this week") {
        view.choose_week(0);
        clinic.settle();
        CHECK(view.week() == report::parse_week("this", now_utc(), zone));
        REQUIRE(view.summary());
        CHECK(view.summary()->week == view.week());
        CHECK(view.pages_drawn() == view.pages());
    }
}

TEST_CASE("The summary is built between frames, never in the draw call") {
    Clinic clinic;
    auto& view = clinic.view();
    const auto built = view.generation();
    view.choose_week(2);
    clinic.imgui.after_draw = nullptr; // frames with nothing done between them
    for (int i = 0; i < 3; ++i)
        clinic.imgui.frame();
    CHECK_FALSE(view.summary()->week == view.week()); // still the summary built before
    CHECK(view.generation() == built + 1);
    clinic.imgui.after_draw = [&] { clinic.shell->apply_pending(); };
    clinic.settle();
    CHECK(view.summary()->week == view.week());
}

TEST_CASE("Save PDF writes the summary whose text holds the MRN, and says where") {
    Clinic clinic;
    auto& view = clinic.view();
    REQUIRE(view.summary());
    CHECK_THAT(view.path(), Catch::EndsWith("P0042-" + report::format_week(view.week()) + ".pdf"));

    SECTION("to a file") {
        const auto pdf = clinic.dir / "summary.pdf";
        view.set_path(pdf.string());
        REQUIRE(clinic.imgui.click("Save PDF"));
        clinic.settle();
        CHECK_FALSE(view.message_is_error());
        CHECK_THAT(view.message(), Catch::Contains("Saved") && Catch::Contains(pdf.string()));
        REQUIRE(std::filesystem::exists(pdf));
        const auto text = run(fmt::format("pdftotext -layout '{}' -", pdf.string()));
        CHECK_THAT(text, Catch::Contains("P0042"));
        CHECK_THAT(text, Catch::Contains("Mary Test"));
        CHECK(clinic.audited("report.write") == 1);
    }
    SECTION("into a folder, under the usual name") {
        view.set_path(clinic.dir.path.string());
        REQUIRE(clinic.imgui.click("Save PDF"));
        clinic.settle();
        CHECK(std::filesystem::exists(clinic.dir /
                                      ("P0042-" + report::format_week(view.week()) + ".pdf")));
    }
    SECTION("to a folder that does not exist: nothing is saved, in plain words") {
        view.set_path((clinic.dir / "no-such-folder" / "x.pdf").string());
        REQUIRE(clinic.imgui.click("Save PDF"));
        clinic.settle();
        CHECK(view.message_is_error());
        CHECK_THAT(view.message(),
                   Catch::Contains("Nothing was saved") && Catch::Contains("no-such-folder"));
        CHECK(clinic.audited("report.write") == 0);
    }
}

TEST_CASE("Save PDF asks before replacing a file, and the usual name follows the week") {
    Clinic clinic;
    auto& view = clinic.view();
    REQUIRE(view.summary());
    const auto last_week = report::format_week(view.week());
    const auto pdf = clinic.dir / ("P0042-" + last_week + ".pdf");

    SECTION("a file already there is kept unless Replace is chosen") {
        { std::ofstream(pdf) << "the oncologist's annotated copy"; }
        view.set_path(pdf.string());
        REQUIRE(clinic.imgui.click("Save PDF"));
        clinic.settle();
        CHECK(view.asking_replace());
        CHECK(clinic.imgui.shows("Replace"));
        CHECK(test::read_file(pdf) == "the oncologist's annotated copy");
        CHECK(clinic.audited("report.write") == 0);

        REQUIRE(clinic.imgui.click("Keep it"));
        clinic.settle();
        CHECK_FALSE(view.asking_replace());
        CHECK_THAT(view.message(), Catch::Contains("Nothing was saved"));
        CHECK(test::read_file(pdf) == "the oncologist's annotated copy");

        REQUIRE(clinic.imgui.click("Save PDF"));
        clinic.settle();
        REQUIRE(clinic.imgui.click("Replace"));
        clinic.settle();
        CHECK_FALSE(view.message_is_error());
        CHECK_THAT(view.message(), Catch::Contains("Saved"));
        CHECK_THAT(run(fmt::format("pdftotext '{}' -", pdf.string())), Catch::Contains("P0042"));
        CHECK(clinic.audited("report.write") == 1);
    }
    SECTION("another week, in the folder the nurse typed, gets that week's name") {
        view.set_path(pdf.string());
        view.choose_week(0);
        clinic.settle();
        REQUIRE(view.summary());
        const auto this_week = report::format_week(view.week());
        REQUIRE(this_week != last_week);
        CHECK(std::filesystem::path(view.path()) == clinic.dir / ("P0042-" + this_week + ".pdf"));
    }
    SECTION("a name the nurse chose stays") {
        const auto chosen = clinic.dir / "for-dr-okafor.pdf";
        view.set_path(chosen.string());
        view.choose_week(0);
        clinic.settle();
        CHECK(std::filesystem::path(view.path()) == chosen);
    }
}

TEST_CASE("A family account sees no Print when the agency's setting forbids it") {
    SECTION("forbidden: Save PDF but no Print") {
        Clinic clinic("fay", 0);
        REQUIRE(clinic.view().summary());
        CHECK(clinic.imgui.shows("Save PDF"));
        CHECK_FALSE(clinic.imgui.shows("Print"));
        CHECK_FALSE(clinic.view().print_offered());

        const auto pdf = clinic.dir / "family.pdf";
        clinic.view().set_path(pdf.string());
        REQUIRE(clinic.imgui.click("Save PDF"));
        clinic.settle();
        CHECK(std::filesystem::exists(pdf)); // a family member may save their patient's summary
    }
    SECTION("allowed (the default): Print is offered") {
        Clinic clinic("fay");
        REQUIRE(clinic.view().summary());
        CHECK(clinic.imgui.shows("Print"));
    }
    SECTION("a nurse may always print") {
        Clinic clinic("ann", 0);
        REQUIRE(clinic.view().summary());
        CHECK(clinic.imgui.shows("Print"));
    }
}

TEST_CASE("Print says in plain words what became of the job") {
    ::setenv("CUPS_SERVER", "127.0.0.1:9", 1); // nothing listens there: no print service
    Clinic clinic;
    REQUIRE(clinic.imgui.click("Print"));
    clinic.settle();
    const auto& said = clinic.view().message();
    CHECK(clinic.view().message_is_error());
    CHECK_THAT(said, Catch::Contains("nothing was printed"));
    CHECK_THAT(said, !Catch::Contains("--")); // no command-line options in the window
    ::unsetenv("CUPS_SERVER");
}

TEST_CASE("A path typed in Save to is read as a nurse means it") {
    const std::filesystem::path folder = "/home/ann/Documents";
    CHECK(ui::SummaryView::resolve_path("  ", folder, "x.pdf").empty());
    CHECK(ui::SummaryView::resolve_path("week.pdf", folder, "x.pdf") == folder / "week.pdf");
    CHECK(ui::SummaryView::resolve_path("/tmp/a.pdf", folder, "x.pdf") == "/tmp/a.pdf");
    if (const char* home = std::getenv("HOME"); home && *home == '/')
        CHECK(ui::SummaryView::resolve_path("~/a.pdf", folder, "x.pdf") ==
              std::filesystem::path(home) / "a.pdf");
    test::TempDir dir;
    CHECK(ui::SummaryView::resolve_path(dir.path.string(), folder, "x.pdf") == dir / "x.pdf");
}

// With the private print server ctest starts (tests/print_server.hpp).
TEST_CASE("Beside Print: the server's printers, copies, and both sides where offered", "[cups]") {
    test::PrintServer server;
    if (!server) return;
    Clinic clinic;
    auto& view = clinic.view();
    auto& choices = view.print_choices();
    REQUIRE(choices.has_list());
    CHECK(choices.printers().size() == 5);
    REQUIRE(choices.chosen());
    CHECK(choices.chosen()->name == "pdf"); // CUPS's default
    CHECK_THAT(test::drawn_text(clinic.imgui), Catch::Contains("Copies"));
    CHECK_THAT(test::drawn_text(clinic.imgui), !Catch::Contains("Bothsides"));
    CHECK(view.paper() == report::Paper::a4);

    SECTION("a printer that prints on both sides offers it") {
        REQUIRE(choices.choose("duplex"));
        clinic.settle();
        CHECK_THAT(test::drawn_text(clinic.imgui), Catch::Contains("Bothsides"));
        choices.set_two_sided(true);
        CHECK(choices.choices(report::Paper::a4).two_sided);
    }
    SECTION("the paper follows the printer until it is chosen by hand") {
        REQUIRE(choices.choose("letter"));
        clinic.settle();
        CHECK(view.paper() == report::Paper::letter);
        CHECK(view.pages_drawn() == view.pages());
        REQUIRE(view.preview(0));
        // Drawn on Letter (8.5 x 11 in, 0.77 wide for its height), not A4 (0.71).
        const double ratio = double(view.preview(0)->width) / view.preview(0)->height;
        CHECK(ratio == Approx(612.0 / 792).epsilon(0.01));
    }
    SECTION("Print sends the copies chosen and says which job CUPS made") {
        choices.set_copies(2);
        REQUIRE(clinic.imgui.click("Print"));
        clinic.settle();
        INFO(view.message());
        CHECK_FALSE(view.message_is_error());
        std::smatch m;
        REQUIRE(std::regex_search(
            view.message(), m,
            std::regex(R"(^Sent to the printer pdf as job (\d+) \(2 copies, A4\)\.$)")));
        const auto done = server.finished(std::stoi(m[1]));
        CHECK(done.state == "completed");
        CHECK(done.copies == 2);
        CHECK(clinic.audited("report.print") == 1);
    }
    SECTION("a stopped printer is named, and nothing is said printed") {
        REQUIRE(choices.choose("stopped"));
        const int before = server.jobs();
        REQUIRE(clinic.imgui.click("Print"));
        clinic.settle();
        CHECK(view.message_is_error());
        CHECK_THAT(view.message(), Catch::Contains("The printer \"stopped\" is stopped"));
        CHECK_THAT(view.message(), !Catch::Contains("Sent"));
        CHECK(server.jobs() == before);
        CHECK(clinic.audited("report.print") == 0);
    }
    SECTION("copies stay within 1 to 20") {
        choices.set_copies(0);
        CHECK(choices.choices(report::Paper::a4).copies == 1);
        choices.set_copies(99);
        CHECK(choices.choices(report::Paper::a4).copies == report::max_copies);
    }
}

TEST_CASE("The window offers the printer this account printed to last", "[cups]") {
    test::PrintServer server;
    if (!server) return;
    Clinic clinic;
    REQUIRE(clinic.view().print_choices().choose("letter"));
    clinic.settle();
    REQUIRE(clinic.imgui.click("Print"));
    clinic.settle();
    INFO(clinic.view().message());
    REQUIRE_FALSE(clinic.view().message_is_error());

    // Signed in again: letter is chosen, and its paper with it.
    clinic.shell = std::make_unique<ui::Shell>(clinic.path);
    REQUIRE(clinic.shell->sign_in("ann", "ann-secret"));
    REQUIRE(clinic.shell->open_patient("P0042", ui::PatientView::Tab::summary));
    clinic.settle();
    REQUIRE(clinic.view().print_choices().chosen());
    CHECK(clinic.view().print_choices().chosen()->name == "letter");
    CHECK(clinic.view().paper() == report::Paper::letter);
}
