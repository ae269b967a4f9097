#include "report/output.hpp"

#include <fmt/format.h>

#include "domain/error.hpp"
#include "store/setting_repository.hpp"

namespace solace::report {

std::string default_file_name(const WeeklySummary& w) {
    std::string mrn = w.patient.mrn;
    for (auto& c : mrn)
        if (c == '/' || c == '\\' || c == ':' || static_cast<unsigned char>(c) < 0x20) c = '_';
    if (!mrn.empty() && mrn.front() == '.') mrn.front() = '_';
    return fmt::format("{}-{}.pdf", mrn, format_week(w.week));
}

int save_weekly_summary(const app::Session& s, const WeeklySummary& w,
                        const std::filesystem::path& path, const PdfOptions& o,
                        app::Existing existing) {
    s.require_read(w.patient);
    app::check_target(path, existing);
    const auto [pdf, pages] = render_pdf(w, o);
    app::PrivateFile file(path, existing);
    s.audit_read("report.write", w.patient.id,
                 fmt::format("weekly summary {} ({} pages, {}) to {}", format_week(w.week), pages,
                             code(o.paper), std::filesystem::absolute(path).string()));
    file.write(pdf.data(), pdf.size());
    file.commit();
    return pages;
}

bool may_print(const app::Session& s) {
    if (s.is_nurse()) return true;
    return store::SettingRepository(s.db()).value("family_may_print").value_or(1) != 0;
}

void require_print(const app::Session& s) {
    if (!may_print(s))
        throw PermissionError(fmt::format(
            "The account \"{}\" may not print: the agency's settings keep printing to nurses. "
            "Save the PDF instead (solace report ... --out FILE.pdf).",
            s.account().name));
}

PrintJob print_weekly_summary(const app::Session& s, const WeeklySummary& w,
                              const PrintChoices& c) {
    s.require_read(w.patient);
    require_print(s);
    const Paper paper = c.paper ? *c.paper : paper_for(c, printer_for(c));
    const auto title = fmt::format("Weekly summary {} {}", w.patient.mrn, format_week(w.week));
    // On record before the first byte reaches the printer (issue 13 item 4).
    return send_to_printer(render_pdf(w, {paper}).bytes, title, paper, c, [&](const PrintJob& job) {
        s.audit_read("report.print", w.patient.id,
                     fmt::format("weekly summary {} ({}, {} {}{}) to printer {}, job {}",
                                 format_week(w.week), code(job.paper), job.copies,
                                 job.copies == 1 ? "copy" : "copies",
                                 job.two_sided ? ", both sides" : "", job.printer, job.id));
    });
}

} // namespace solace::report
