// Printing the weekly summary through a real print server (issue 15): ctest starts a private
// CUPS (tests/print_server.sh) whose cups-pdf queues write what they print as PDF files, and
// names its folder in SOLACE_PRINT_SERVER. Each test prints through Solace's own path, then
// reads back the job from CUPS and the pages the queue produced (pdfinfo, pdftotext).
#include <cstdio>
#include <regex>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/demo.hpp"
#include "app/session.hpp"
#include "print_server.hpp"
#include "report/output.hpp"
#include "report/printer.hpp"
#include "report/weekly_summary.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"

using namespace solace;
namespace fs = std::filesystem;

namespace {

std::string shell(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    ::pclose(p);
    return out;
}

std::string squeeze(const std::string& text) {
    return std::regex_replace(text, std::regex(R"(\s+)"), " ");
}

int pdf_pages(const fs::path& pdf) {
    std::smatch m;
    const auto info = shell(fmt::format("pdfinfo '{}'", pdf.string()));
    REQUIRE(std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))")));
    return std::stoi(m[1]);
}

std::string pdf_page_size(const fs::path& pdf) {
    std::smatch m;
    const auto info = shell(fmt::format("pdfinfo '{}'", pdf.string()));
    REQUIRE(std::regex_search(info, m, std::regex(R"(Page size:\s+([^\n]+))")));
    return m[1];
}

// A demo clinic (one patient, P0001, two weeks of visits up to now) and its nurse.
struct Clinic {
    test::TempDir dir;
    fs::path db = dir / "clinic.db";
    std::string nurse_password;

    Clinic() {
        const auto accounts = app::create_demo(db, {1, 14, 1});
        for (const auto& a : accounts)
            if (a.name == "nurse") nurse_password = a.password;
        REQUIRE_FALSE(nurse_password.empty());
    }

    template <class F> auto as_nurse(F&& f) {
        store::Database d(db, store::Database::Mode::open_existing);
        const app::Session s(d, *store::AccountRepository(d).find("nurse"));
        const auto patient = s.patient("P0001");
        const auto week = report::parse_week("last", now_utc(), find_zone(patient.time_zone));
        const auto summary = report::build_weekly_summary(s, patient, week, now_utc());
        return f(s, summary);
    }

    std::vector<std::string> printed() {
        store::Database d(db, store::Database::Mode::open_existing);
        const app::Session s(d, *store::AccountRepository(d).find("nurse"));
        std::vector<std::string> out;
        for (const auto& e : app::audit_entries(s, {}))
            if (e.action == "report.print") out.push_back(e.detail);
        return out;
    }
};

} // namespace

TEST_CASE("A demo week printed to the virtual printer comes out whole, titled and audited",
          "[cups]") {
    test::PrintServer server;
    if (!server) return;
    Clinic clinic;
    const auto [job, pages, mrn_week] =
        clinic.as_nurse([](const app::Session& s, const report::WeeklySummary& w) {
            const auto job = report::print_weekly_summary(s, w, {"pdf", 1, {}, false});
            return std::tuple{job, report::page_count(w, {job.paper}),
                              fmt::format("P0001 {}", report::format_week(w.week))};
        });
    CHECK(job.id > 0);
    CHECK(job.printer == "pdf");
    CHECK(job.paper == report::Paper::a4); // the queue's default paper
    REQUIRE(pages >= 2);

    const auto done = server.finished(job.id);
    CHECK(done.state == "completed");
    CHECK(done.title == "Weekly summary " + mrn_week);
    REQUIRE_FALSE(done.pdf.empty());
    CHECK(pdf_pages(done.pdf) == pages);
    CHECK_THAT(pdf_page_size(done.pdf), Catch::Contains("(A4)"));
    // Text, not pictures of text: the queue renders with pdftops, as a real printer would.
    const auto text = squeeze(shell(fmt::format("pdftotext -layout '{}' -", done.pdf.string())));
    CHECK_THAT(text, Catch::Contains("Weekly summary"));
    CHECK_THAT(text, Catch::Contains("MRN P0001"));
    CHECK_THAT(text, Catch::Contains(fmt::format("Page {} of {}", pages, pages)));

    const auto audited = clinic.printed();
    REQUIRE(audited.size() == 1);
    CHECK_THAT(audited[0], Catch::Contains(fmt::format("to printer pdf, job {}", job.id)));
    CHECK_THAT(audited[0], Catch::Contains("1 copy"));
}

TEST_CASE("A print is on record before the printer gets a page: when the record fails, the job "
          "is cancelled",
          "[cups]") {
    test::PrintServer server;
    if (!server) return;
    Clinic clinic;
    int job_id = 0;
    clinic.as_nurse([&](const app::Session&, const report::WeeklySummary& w) {
        const auto pdf = report::render_pdf(w, {report::Paper::a4}).bytes;
        CHECK_THROWS_WITH(report::send_to_printer(pdf, "Weekly summary", report::Paper::a4,
                                                  {"pdf", 1, {}, false},
                                                  [&](const report::PrintJob& job) {
                                                      job_id = job.id;
                                                      throw std::runtime_error("audit refused");
                                                  }),
                          "audit refused");
        return 0;
    });
    REQUIRE(job_id > 0);
    const auto done = server.finished(job_id);
    CHECK(done.state == "canceled");
    CHECK(done.pdf.empty());
}

TEST_CASE("Copies, paper and two sides reach the printer as chosen", "[cups]") {
    test::PrintServer server;
    if (!server) return;
    Clinic clinic;
    auto print = [&](report::PrintChoices c) {
        return clinic.as_nurse([&](const app::Session& s, const report::WeeklySummary& w) {
            return report::print_weekly_summary(s, w, c);
        });
    };
    SECTION("two copies") {
        const auto job = print({"pdf", 2, {}, false});
        const auto done = server.finished(job.id);
        CHECK(done.state == "completed");
        CHECK(done.copies == 2);
        CHECK_THAT(clinic.printed().at(0), Catch::Contains("2 copies"));
    }
    SECTION("a Letter printer's own paper, unless A4 is asked for") {
        const auto job = print({"letter", 1, {}, false});
        CHECK(job.paper == report::Paper::letter);
        const auto done = server.finished(job.id);
        REQUIRE_FALSE(done.pdf.empty());
        CHECK_THAT(pdf_page_size(done.pdf), Catch::Contains("(letter)"));
        const auto a4 = print({"letter", 1, report::Paper::a4, false});
        CHECK(a4.paper == report::Paper::a4);
        CHECK_THAT(pdf_page_size(server.finished(a4.id).pdf), Catch::Contains("(A4)"));
    }
    SECTION("both sides where the printer offers it") {
        const auto job = print({"duplex", 1, {}, true});
        CHECK(job.two_sided);
        CHECK(server.finished(job.id).sides == "two-sided-long-edge");
        CHECK_THAT(report::describe(job), Catch::Contains("both sides"));
    }
    SECTION("and refused, before anything is sent, where it does not") {
        const int before = server.jobs();
        CHECK_THROWS_WITH(print({"pdf", 1, {}, true}),
                          Catch::Contains("\"pdf\" cannot print on both sides"));
        CHECK(server.jobs() == before);
        CHECK(clinic.printed().empty());
    }
    SECTION("copies out of range are refused") {
        CHECK_THROWS_WITH(print({"pdf", 0, {}, false}), Catch::Contains("from 1 to 20"));
        CHECK_THROWS_WITH(print({"pdf", 21, {}, false}), Catch::Contains("from 1 to 20"));
    }
}

TEST_CASE("The printers listed are the server's, with what each offers", "[cups]") {
    test::PrintServer server;
    if (!server) return;
    const auto list = report::printers();
    REQUIRE(list.size() == 5);
    CHECK(list.front().name == "pdf"); // the default comes first
    CHECK(list.front().is_default);
    CHECK(list.front().paper == report::Paper::a4);
    CHECK_FALSE(list.front().two_sided);
    auto find = [&](const std::string& name) {
        for (const auto& p : list)
            if (p.name == name) return p;
        FAIL("no printer " << name);
        return report::Printer{};
    };
    CHECK(find("letter").paper == report::Paper::letter);
    CHECK(find("duplex").two_sided);
    CHECK(find("stopped").stopped);
    CHECK(find("stopped").why == "paused for the tests");
    CHECK_FALSE(find("rejecting").accepting);
}

TEST_CASE("A stopped, refusing or missing printer is named and nothing is said printed", "[cups]") {
    test::PrintServer server;
    if (!server) return;
    Clinic clinic;
    const int before = server.jobs();
    auto refused = [&](const std::string& printer) {
        try {
            clinic.as_nurse([&](const app::Session& s, const report::WeeklySummary& w) {
                return report::print_weekly_summary(s, w, {printer, 1, {}, false});
            });
        } catch (const NotFoundError& e) {
            return std::string(e.what());
        }
        FAIL("printing to " << printer << " was not refused");
        return std::string();
    };
    const auto stopped = refused("stopped");
    CHECK_THAT(stopped, Catch::Contains("The printer \"stopped\" is stopped"));
    CHECK_THAT(stopped, Catch::Contains("paused for the tests"));
    CHECK_THAT(stopped, Catch::Contains("nothing was sent"));
    const auto rejecting = refused("rejecting");
    CHECK_THAT(rejecting, Catch::Contains("The printer \"rejecting\" is refusing new jobs"));
    CHECK_THAT(rejecting, Catch::Contains("no new jobs, for the tests"));
    const auto missing = refused("ward-3");
    CHECK_THAT(missing, Catch::Contains("There is no printer \"ward-3\""));
    CHECK_THAT(missing, Catch::Contains("the printers here are: "));
    CHECK_THAT(missing, Catch::Contains("pdf"));
    // Nothing queued, nothing audited as printed.
    CHECK(server.jobs() == before);
    CHECK(clinic.printed().empty());
}

TEST_CASE("solace report --print sends the chosen copies to the named printer", "[cups]") {
    test::PrintServer server;
    if (!server) return;
    Clinic clinic;
    const std::vector<std::string> env{"SOLACE_PASSWORD=" + clinic.nurse_password,
                                       "CUPS_SERVER=" + server.socket()};
    const std::vector<std::string> args{
        "report", "--patient",        "P0001",  "--week", "last",
        "--db",   clinic.db.string(), "--user", "nurse",  "--print"};
    auto with = [&](std::vector<std::string> extra) {
        auto a = args;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    const auto r = test::run_solace(with({"--printer", "pdf", "--copies", "2"}), env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::smatch m;
    REQUIRE(std::regex_search(
        r.out, m, std::regex(R"(Sent to the printer pdf as job (\d+) \(2 copies, A4\)\.)")));
    const auto done = server.finished(std::stoi(m[1]));
    CHECK(done.state == "completed");
    CHECK(done.copies == 2);
    CHECK(pdf_pages(done.pdf) >= 2);
    CHECK(clinic.printed().size() == 1);
    CHECK(r.err.empty());

    SECTION("the default printer when none is named, two-sided where offered") {
        const auto d = test::run_solace(with({"--two-sided", "--printer", "duplex"}), env);
        INFO(d.err);
        CHECK(d.exit_code == 0);
        CHECK_THAT(d.out, Catch::Contains("both sides"));
        const auto plain = test::run_solace(args, env);
        CHECK_THAT(plain.out, Catch::Contains("Sent to the printer pdf as job"));
    }
    SECTION("a stopped printer is refused before anything is written or sent") {
        const int before = server.jobs();
        const auto s = test::run_solace(with({"--printer", "stopped"}), env);
        CHECK(s.exit_code != 0);
        CHECK_THAT(s.err, Catch::Contains("\"stopped\" is stopped"));
        CHECK_THAT(s.out, !Catch::Contains("Sent"));
        CHECK(server.jobs() == before);
        CHECK(clinic.printed().size() == 1);
    }
    SECTION("copies need --print and a number in range") {
        CHECK(test::run_solace({"report", "--patient", "P0001", "--week", "last", "--db",
                                clinic.db.string(), "--user", "nurse", "--copies", "2"},
                               env)
                  .exit_code == 2);
        const auto many = test::run_solace(with({"--copies", "500"}), env);
        CHECK(many.exit_code != 0);
        CHECK_THAT(many.err, Catch::Contains("Copies must be from 1 to 20; 500 was asked for."));
    }
}
