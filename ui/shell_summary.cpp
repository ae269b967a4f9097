// The Shell's part for the Summary view: the weekly summary is built, its pages drawn one per
// frame, saved and printed here, between frames, through the report API (which checks the
// role and writes the audit log). (Shell members; declared in shell.hpp.)
#include <exception>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "app/drafts.hpp"
#include "domain/error.hpp"
#include "report/output.hpp"
#include "shell.hpp"

namespace solace::ui {

namespace {

// The report layer words some errors for the command line; the window names its own controls.
std::string for_the_window(std::string text) {
    auto replace = [&](std::string_view from, std::string_view to) {
        if (const auto at = text.find(from); at != std::string::npos)
            text.replace(at, from.size(), to);
    };
    replace("Save the PDF with --out and print it", "Save the PDF and print it");
    replace("name one with --printer", "type a printer's name beside Print");
    replace("Save the PDF instead (solace report ... --out FILE.pdf).", "Save the PDF instead.");
    return text;
}

std::string lower_first(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = char(s[0] - 'A' + 'a');
    return s;
}

} // namespace

// What CUPS offers, for the choices beside Print; the account's last printer chosen first.
void Shell::list_printers(SummaryView& view) {
    std::vector<report::Printer> printers;
    std::string why_none;
    try {
        printers = report::printers();
    } catch (const NotFoundError&) {
        why_none = "None: the print service (CUPS) is not running here. Save the PDF and print "
                   "it from a computer with a printer.";
    }
    view.printers_listed(std::move(printers), std::move(why_none), app::last_printer(*session_));
}

// The printer that took the job is offered first next time. Only a convenience: the job was
// accepted whatever happens here, so a failure to keep it is not reported as one to print.
void Shell::remember_printer(const std::string& printer) {
    try {
        app::remember_printer(*session_, printer);
    } catch (const std::exception&) {
    }
}

void Shell::summary_request(const SummaryView::Request& r) {
    if (!session_ || !picture_) return;
    auto& view = patient_view_.summary();
    switch (r.kind) {
    case SummaryView::Request::build:
        try {
            auto summary =
                report::build_weekly_summary(*session_, picture_->patient, r.week, now_utc());
            const int pages = report::page_count(summary, r.options);
            const bool may_print = report::may_print(*session_);
            view.show(r.generation, std::move(summary), pages, may_print);
            if (may_print && !view.print_choices().has_list()) list_printers(view);
        } catch (const std::exception& e) {
            view.said(fmt::format("The summary could not be made: {}", e.what()), true);
            return;
        }
        if (view.pages() > 0) {
            SummaryView::Request next = r;
            next.kind = SummaryView::Request::render;
            next.page = 0;
            later([this, next] { summary_request(next); });
        }
        break;
    case SummaryView::Request::render:
        // A page a frame: the window answers between pages. A newer build drops the rest.
        if (r.generation != view.generation() || !view.summary() || r.page >= view.pages()) return;
        try {
            view.page_drawn(r.generation, r.page,
                            report::render_page_image(*view.summary(), r.page, r.scale, r.options));
        } catch (const std::exception& e) {
            view.said(fmt::format("Page {} could not be drawn: {}", r.page + 1, e.what()), true);
            return;
        }
        if (r.page + 1 < view.pages()) {
            SummaryView::Request next = r;
            ++next.page;
            later([this, next] { summary_request(next); });
        }
        break;
    case SummaryView::Request::save: {
        if (!view.summary()) return;
        const std::filesystem::path path(r.path);
        std::error_code ec;
        if (path.has_parent_path() && !std::filesystem::is_directory(path.parent_path(), ec)) {
            view.said(fmt::format("Nothing was saved: there is no folder {}. Choose another "
                                  "place to save the PDF.",
                                  path.parent_path().string()),
                      true);
            return;
        }
        // A file of that name already there: asked first, replaced only when the nurse says so.
        // (A symbolic link or a folder is refused by the save itself, whatever is answered.)
        if (!r.replace &&
            std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec))) {
            view.ask_replace(path.string());
            return;
        }
        try {
            const int pages = report::save_weekly_summary(
                *session_, *view.summary(), path, r.options,
                r.replace ? app::Existing::overwrite : app::Existing::refuse);
            view.said(fmt::format("Saved the summary ({} {}) to {}.", pages,
                                  pages == 1 ? "page" : "pages", path.string()),
                      false);
        } catch (const std::filesystem::filesystem_error& e) {
            view.said(fmt::format("Nothing was saved: Solace could not write {} ({}). Choose "
                                  "another place to save the PDF.",
                                  path.string(), lower_first(e.code().message())),
                      true);
        } catch (const std::exception& e) {
            view.said(fmt::format("Nothing was saved: {}", for_the_window(e.what())), true);
        }
        break;
    }
    case SummaryView::Request::print:
        if (!view.summary()) return;
        try {
            const auto job = report::print_weekly_summary(*session_, *view.summary(), r.choices);
            view.said(report::describe(job), false);
            remember_printer(job.printer);
        } catch (const std::exception& e) {
            view.said(for_the_window(e.what()), true);
        }
        break;
    }
}

} // namespace solace::ui
