#pragma once
// Saving and printing a weekly summary: the use cases the command line and the window share.
// Each checks the role and writes the audit log.
#include <filesystem>
#include <string>
#include <string_view>

#include "app/paths.hpp"
#include "app/session.hpp"
#include "report/pdf.hpp"
#include "report/printer.hpp"
#include "report/weekly_summary.hpp"

namespace solace::report {

// `<MRN>-<week>.pdf`, e.g. P0001-2026-W10.pdf; characters a file name cannot hold become '_'.
std::string default_file_name(const WeeklySummary& w);

// Audits "report.write", then writes the PDF to `path` whole or not at all, private to its
// owner (app::PrivateFile: an existing file is refused unless `existing` is overwrite, a
// symbolic link always). Returns the number of pages. Throws StoreError when the file cannot
// be written.
int save_weekly_summary(const app::Session& s, const WeeklySummary& w,
                        const std::filesystem::path& path, const PdfOptions& o,
                        app::Existing existing = app::Existing::refuse);

// Nurses may always print; family accounts only while the agency's setting
// `family_may_print` is not 0 (absent means allowed).
bool may_print(const app::Session& s);
// PermissionError, saying what to do instead, unless may_print.
void require_print(const app::Session& s);

// Draws the summary on the paper `c` asks for (else the printer's default, else the locale's)
// and sends it to CUPS as one job titled "Weekly summary <MRN> <week>" (the MRN, not the name:
// anyone using the print server sees job titles). Audits "report.print" once CUPS created the
// job, before the document is sent. PermissionError when the account may not print; otherwise
// throws as send_to_printer.
PrintJob print_weekly_summary(const app::Session& s, const WeeklySummary& w, const PrintChoices& c);

} // namespace solace::report
