#include <iostream>

#include <fmt/format.h>

#include "app/audit.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "domain/error.hpp"
#include "report/output.hpp"

namespace solace::cli {

namespace {

struct ReportArgs {
    std::string mrn, week, paper, out, printer;
    bool print = false, overwrite = false;
    int copies = 1;
    bool two_sided = false;
};

int report(const Common& c, const ReportArgs& a) {
    report::PrintChoices choices{a.printer, a.copies, {}, a.two_sided};
    if (!a.paper.empty()) choices.paper = report::parse_paper(a.paper);
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto patient = session.patient(a.mrn);
    app::record_read(session, {patient}, "report", fmt::format("weekly summary {}", a.week));
    const auto now = now_utc();
    const auto week = report::parse_week(a.week, now, find_zone(patient.time_zone));
    // Refuse before any work: a family account's printing may be switched off, the printer
    // may be missing, stopped or refusing jobs. Its default paper is the file's too.
    if (a.print) {
        report::require_print(session);
        choices.paper = report::paper_for(choices, report::printer_for(choices));
    }
    const report::PdfOptions options{choices.paper.value_or(report::default_paper())};
    const auto summary = report::build_weekly_summary(session, patient, week, now);
    if (!a.out.empty() || !a.print) {
        const std::filesystem::path out =
            std::filesystem::path(a.out.empty() ? report::default_file_name(summary) : a.out);
        const int pages = report::save_weekly_summary(session, summary, out, options,
                                                      a.overwrite ? app::Existing::overwrite
                                                                  : app::Existing::refuse);
        std::cout << fmt::format("Wrote {} ({} {}, {}).\n", out.string(), pages,
                                 pages == 1 ? "page" : "pages",
                                 options.paper == report::Paper::letter ? "Letter" : "A4");
    }
    if (a.print)
        std::cout << report::describe(report::print_weekly_summary(session, summary, choices))
                  << '\n';
    return ok;
}

} // namespace

void add_report_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    auto* cmd = cli.add_subcommand(
        "report",
        "Write the weekly summary for the oncologist as a PDF, or print it.\n"
        "  e.g. solace report --patient P0001 --week 2026-W10 --db clinic.db --user ann\n"
        "       solace report --patient P0001 --week last --print --db clinic.db --user ann\n"
        "       solace report --patient P0001 --week last --print --printer office --copies 2 "
        "--two-sided --user ann");
    auto a = std::make_shared<ReportArgs>();
    cmd->add_option("--patient", a->mrn, "The patient's MRN")->required();
    cmd->add_option("--week", a->week,
                    "ISO week in the patient's time zone: YYYY-Www (e.g. 2026-W10), this or last")
        ->required();
    cmd->add_option(
        "--paper", a->paper,
        "a4 or letter (default: the printer's paper when printing, else from the locale, else A4)");
    cmd->add_option("--out", a->out,
                    "PDF file to write (default: <MRN>-<week>.pdf here; with --print, none)");
    cmd->add_flag("--overwrite", a->overwrite, "Replace the PDF if the file already exists");
    auto* print = cmd->add_flag("--print", a->print, "Send it to the printer (CUPS)");
    cmd->add_option("--printer", a->printer, "Printer name (default: the default printer)")
        ->needs(print);
    cmd->add_option("--copies", a->copies,
                    fmt::format("How many copies, 1 to {} (default: 1)", report::max_copies))
        ->needs(print);
    cmd->add_flag("--two-sided", a->two_sided,
                  "Print on both sides of the paper, where the printer can")
        ->needs(print);
    add_db_option(cmd, c);
    add_user_option(cmd, c);
    verbs.push_back({cmd, [&c, a] { return report(c, *a); }});
}

} // namespace solace::cli
