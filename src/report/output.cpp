#include "report/output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <memory>
#include <system_error>
#include <vector>

#include <cups/cups.h>
#include <fmt/format.h>

#include "domain/error.hpp"
#include "store/setting_repository.hpp"

namespace solace::report {

namespace {

struct HttpClose {
    void operator()(http_t* h) const { httpClose(h); }
};
struct DestFree {
    void operator()(cups_dest_t* d) const { cupsFreeDests(1, d); }
};

// How long to wait for the print service before saying it is not running.
constexpr int connect_timeout_ms = 5000;

std::string printer_names(http_t* http) {
    cups_dest_t* dests = nullptr;
    const int n = cupsGetDests2(http, &dests);
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i)
        names.emplace_back(dests[i].name);
    cupsFreeDests(n, dests);
    if (names.empty()) return "CUPS has no printers set up";
    return fmt::format("the printers here are: {}", fmt::join(names, ", "));
}

[[noreturn]] void write_failed(const std::filesystem::path& path, int err) {
    throw std::filesystem::filesystem_error("the weekly summary could not be written", path,
                                            std::error_code(err, std::generic_category()));
}

} // namespace

std::string default_file_name(const WeeklySummary& w) {
    std::string mrn = w.patient.mrn;
    for (auto& c : mrn)
        if (c == '/' || c == '\\' || c == ':' || static_cast<unsigned char>(c) < 0x20) c = '_';
    if (!mrn.empty() && mrn.front() == '.') mrn.front() = '_';
    return fmt::format("{}-{}.pdf", mrn, format_week(w.week));
}

int save_weekly_summary(const app::Session& s, const WeeklySummary& w,
                        const std::filesystem::path& path, const PdfOptions& o) {
    s.require_read(w.patient);
    const auto [pdf, pages] = render_pdf(w, o);
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const auto tmp =
        dir / fmt::format(".{}.{}.tmp", path.filename().string(), static_cast<long>(::getpid()));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) write_failed(path, errno ? errno : EIO);
        out.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
        out.flush();
        if (!out) {
            const int err = errno ? errno : EIO;
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            write_failed(path, err);
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignore;
        std::filesystem::remove(tmp, ignore);
        throw std::filesystem::filesystem_error("the weekly summary could not be written", path,
                                                ec);
    }
    s.audit("report.write", w.patient.id,
            fmt::format("weekly summary {} ({} pages, {}) to {}", format_week(w.week), pages,
                        code(o.paper), std::filesystem::absolute(path).string()));
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
                              std::string_view printer, const PdfOptions& o) {
    s.require_read(w.patient);
    require_print(s);
    const auto title = fmt::format("Weekly summary {} {}", w.patient.mrn, format_week(w.week));
    const auto job = send_to_printer(render_pdf(w, o).bytes, title, printer);
    s.audit("report.print", w.patient.id,
            fmt::format("weekly summary {} ({}) to printer {}, job {}", format_week(w.week),
                        code(o.paper), job.printer, job.id));
    return job;
}

PrintJob send_to_printer(const std::string& pdf, std::string_view title, std::string_view printer) {
    const std::string server = cupsServer();
    std::unique_ptr<http_t, HttpClose> http(httpConnect2(server.c_str(), ippPort(), nullptr,
                                                         AF_UNSPEC, cupsEncryption(), 1,
                                                         connect_timeout_ms, nullptr));
    if (!http)
        throw NotFoundError(fmt::format(
            "The print service (CUPS) is not running or not reachable at {}, so nothing was "
            "printed. Save the PDF with --out and print it from a computer with a printer, or "
            "start CUPS.",
            server));
    const std::string name(printer);
    std::unique_ptr<cups_dest_t, DestFree> dest(
        cupsGetNamedDest(http.get(), name.empty() ? nullptr : name.c_str(), nullptr));
    if (!dest) {
        if (name.empty())
            throw NotFoundError(fmt::format(
                "There is no default printer, so nothing was printed; name one with --printer "
                "({}).",
                printer_names(http.get())));
        throw NotFoundError(fmt::format("There is no printer \"{}\", so nothing was printed; {}.",
                                        name, printer_names(http.get())));
    }
    const std::string title_text(title);
    const int job = cupsCreateJob(http.get(), dest->name, title_text.c_str(), 0, nullptr);
    if (job <= 0)
        throw NotFoundError(fmt::format("The printer \"{}\" did not accept the job: {}.",
                                        dest->name, cupsLastErrorString()));
    bool sent = cupsStartDocument(http.get(), dest->name, job, title_text.c_str(), CUPS_FORMAT_PDF,
                                  1) == HTTP_STATUS_CONTINUE;
    sent = sent && cupsWriteRequestData(http.get(), pdf.data(), pdf.size()) == HTTP_STATUS_CONTINUE;
    const bool finished = cupsFinishDocument(http.get(), dest->name) == IPP_STATUS_OK;
    if (!sent || !finished) {
        const std::string why = cupsLastErrorString();
        cupsCancelJob2(http.get(), dest->name, job, 0);
        throw NotFoundError(
            fmt::format("The printer \"{}\" did not take the summary: {}.", dest->name, why));
    }
    return {job, dest->name};
}

} // namespace solace::report
