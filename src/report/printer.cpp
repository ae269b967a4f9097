#include "report/printer.hpp"

#include <algorithm>
#include <memory>

#include <cups/cups.h>
#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::report {

namespace {

struct HttpClose {
    void operator()(http_t* h) const { httpClose(h); }
};
struct DestInfoFree {
    void operator()(cups_dinfo_t* d) const { cupsFreeDestInfo(d); }
};
struct IppFree {
    void operator()(ipp_t* i) const { ippDelete(i); }
};
using Http = std::unique_ptr<http_t, HttpClose>;
using DestInfo = std::unique_ptr<cups_dinfo_t, DestInfoFree>;
using Ipp = std::unique_ptr<ipp_t, IppFree>;

// All printers of one listing, freed together.
class Dests {
  public:
    explicit Dests(http_t* http) : n_(cupsGetDests2(http, &dests_)) {}
    ~Dests() { cupsFreeDests(n_, dests_); }
    Dests(const Dests&) = delete;
    Dests& operator=(const Dests&) = delete;
    cups_dest_t* begin() const { return dests_; }
    cups_dest_t* end() const { return dests_ + n_; }

  private:
    cups_dest_t* dests_ = nullptr;
    int n_ = 0;
};

// How long to wait for the print service before saying it is not running.
constexpr int connect_timeout_ms = 5000;

Http connect() {
    const std::string server = cupsServer();
    Http http(httpConnect2(server.c_str(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1,
                           connect_timeout_ms, nullptr));
    if (!http)
        throw NotFoundError(fmt::format(
            "The print service (CUPS) is not running or not reachable at {}, so nothing was "
            "printed. Save the PDF with --out and print it from a computer with a printer, or "
            "start CUPS.",
            server));
    return http;
}

std::string option(const cups_dest_t& d, const char* name) {
    const char* v = cupsGetOption(name, d.num_options, d.options);
    return v ? v : "";
}

// The printer's own words on why it is stopped or refusing (lpadmin/cupsdisable -r), if any.
std::string state_message(http_t* http, const cups_dest_t& d) {
    const std::string uri = option(d, "printer-uri-supported");
    if (uri.empty()) return {};
    ipp_t* request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nullptr,
                 "printer-state-message");
    const Ipp response(cupsDoRequest(http, request, "/"));
    if (!response) return {};
    ipp_attribute_t* a = ippFindAttribute(response.get(), "printer-state-message", IPP_TAG_TEXT);
    const char* text = a ? ippGetString(a, 0, nullptr) : nullptr;
    return text ? text : "";
}

// A4 or Letter when the size is one of them, within a millimetre (sizes are in 1/100 mm).
std::optional<Paper> paper_of(int width, int length) {
    auto near = [](int a, int b) { return a > b - 100 && a < b + 100; };
    for (auto paper : {Paper::a4, Paper::letter}) {
        const auto want = page_size(paper);
        const int w = static_cast<int>(want.width / 72 * 2540 + 0.5);
        const int h = static_cast<int>(want.height / 72 * 2540 + 0.5);
        if (near(width, w) && near(length, h)) return paper;
    }
    return {};
}

// The printer's default paper: media-default names it, or (where a PPD's size has no such
// name) media-col-default gives its dimensions. cupsGetDestMediaDefault is no use here: it
// answers Letter for an A4 printer.
std::optional<Paper> default_paper_of(http_t* http, cups_dest_t& d, cups_dinfo_t* info) {
    if (ipp_attribute_t* a = cupsFindDestDefault(http, &d, info, CUPS_MEDIA)) {
        const char* name = ippGetString(a, 0, nullptr);
        if (const pwg_media_t* m = name && *name ? pwgMediaForPWG(name) : nullptr)
            return paper_of(m->width, m->length);
    }
    ipp_attribute_t* col = cupsFindDestDefault(http, &d, info, "media-col");
    ipp_t* media = col ? ippGetCollection(col, 0) : nullptr;
    ipp_attribute_t* size =
        media ? ippFindAttribute(media, "media-size", IPP_TAG_BEGIN_COLLECTION) : nullptr;
    ipp_t* dims = size ? ippGetCollection(size, 0) : nullptr;
    ipp_attribute_t* x = dims ? ippFindAttribute(dims, "x-dimension", IPP_TAG_INTEGER) : nullptr;
    ipp_attribute_t* y = dims ? ippFindAttribute(dims, "y-dimension", IPP_TAG_INTEGER) : nullptr;
    if (!x || !y) return {};
    return paper_of(ippGetInteger(x, 0), ippGetInteger(y, 0));
}

Printer describe_dest(http_t* http, cups_dest_t& d) {
    Printer p;
    p.name = d.name;
    p.description = option(d, "printer-info");
    p.is_default = d.is_default != 0;
    p.stopped = option(d, "printer-state") == std::to_string(IPP_PSTATE_STOPPED);
    p.accepting = option(d, "printer-is-accepting-jobs") != "false";
    if (p.stopped || !p.accepting) p.why = state_message(http, d);
    const DestInfo info(cupsCopyDestInfo(http, &d));
    if (info) {
        p.paper = default_paper_of(http, d, info.get());
        p.two_sided = cupsCheckDestSupported(http, &d, info.get(), CUPS_SIDES,
                                             CUPS_SIDES_TWO_SIDED_PORTRAIT) != 0;
    }
    return p;
}

std::string printer_names(const Dests& dests) {
    std::vector<std::string> names;
    for (const auto& d : dests)
        if (!d.instance) names.emplace_back(d.name);
    if (names.empty()) return "CUPS has no printers set up";
    return fmt::format("the printers here are: {}", fmt::join(names, ", "));
}

// " (why)" when the printer said why, else nothing.
std::string because(const Printer& p) {
    return p.why.empty() ? "" : fmt::format(" (it says: {})", p.why);
}

void check_choices(const PrintChoices& c) {
    if (c.copies < 1 || c.copies > max_copies)
        throw ValidationError(
            fmt::format("Copies must be from 1 to {}; {} was asked for.", max_copies, c.copies));
}

// The printer `c` names, looked up on `http` and checked as printer_for says; `dest_out`
// receives its CUPS destination for sending.
Printer find_checked(http_t* http, const PrintChoices& c, const Dests& dests,
                     cups_dest_t** dest_out) {
    check_choices(c);
    cups_dest_t* dest = nullptr;
    for (auto& d : dests)
        if (!d.instance && (c.printer.empty() ? d.is_default != 0 : c.printer == d.name)) dest = &d;
    if (!dest) {
        if (c.printer.empty())
            throw NotFoundError(fmt::format(
                "There is no default printer, so nothing was printed; name one with --printer "
                "({}).",
                printer_names(dests)));
        throw NotFoundError(fmt::format("There is no printer \"{}\", so nothing was printed; {}.",
                                        c.printer, printer_names(dests)));
    }
    auto p = describe_dest(http, *dest);
    if (p.stopped)
        throw NotFoundError(fmt::format(
            "The printer \"{}\" is stopped{}, so nothing was sent: the summary would wait in "
            "its queue until someone starts the printer again. Choose another printer, or ask "
            "whoever looks after it to start it (cupsenable {}).",
            p.name, because(p), p.name));
    if (!p.accepting)
        throw NotFoundError(fmt::format(
            "The printer \"{}\" is refusing new jobs{}, so nothing was printed. Choose another "
            "printer, or ask whoever looks after it to let it accept jobs (cupsaccept {}).",
            p.name, because(p), p.name));
    if (c.two_sided && !p.two_sided)
        throw ValidationError(fmt::format(
            "The printer \"{}\" cannot print on both sides; print on one side or choose "
            "another printer.",
            p.name));
    if (dest_out) *dest_out = dest;
    return p;
}

} // namespace

std::vector<Printer> printers() {
    const auto http = connect();
    const Dests dests(http.get());
    std::vector<Printer> out;
    for (auto& d : dests)
        if (!d.instance) out.push_back(describe_dest(http.get(), d));
    std::stable_partition(out.begin(), out.end(), [](const Printer& p) { return p.is_default; });
    return out;
}

std::string describe(const PrintJob& job) {
    return fmt::format("Sent to the printer {} as job {} ({} {}, {}{}).", job.printer, job.id,
                       job.copies, job.copies == 1 ? "copy" : "copies",
                       job.paper == Paper::letter ? "Letter" : "A4",
                       job.two_sided ? ", both sides" : "");
}

Printer printer_for(const PrintChoices& c) {
    check_choices(c);
    const auto http = connect();
    const Dests dests(http.get());
    return find_checked(http.get(), c, dests, nullptr);
}

Paper paper_for(const PrintChoices& c, const Printer& p) {
    if (c.paper) return *c.paper;
    return p.paper.value_or(default_paper());
}

PrintJob send_to_printer(const std::string& pdf, std::string_view title, Paper paper,
                         const PrintChoices& c,
                         const std::function<void(const PrintJob&)>& before_sending) {
    check_choices(c);
    const auto http = connect();
    const Dests dests(http.get());
    cups_dest_t* dest = nullptr;
    const auto p = find_checked(http.get(), c, dests, &dest);
    const DestInfo info(cupsCopyDestInfo(http.get(), dest));

    cups_option_t* options = nullptr;
    int n = 0;
    n = cupsAddOption(CUPS_COPIES, std::to_string(c.copies).c_str(), n, &options);
    n = cupsAddOption(CUPS_MEDIA, paper == Paper::letter ? CUPS_MEDIA_LETTER : CUPS_MEDIA_A4, n,
                      &options);
    if (p.two_sided)
        n = cupsAddOption(CUPS_SIDES,
                          c.two_sided ? CUPS_SIDES_TWO_SIDED_PORTRAIT : CUPS_SIDES_ONE_SIDED, n,
                          &options);

    const std::string title_text(title);
    int job = 0;
    const auto created =
        cupsCreateDestJob(http.get(), dest, info.get(), &job, title_text.c_str(), n, options);
    if (created > IPP_STATUS_OK_EVENTS_COMPLETE || job <= 0) {
        const std::string why = cupsLastErrorString();
        cupsFreeOptions(n, options);
        throw NotFoundError(
            fmt::format("The printer \"{}\" did not accept the job ({}), so nothing was printed.",
                        p.name, why));
    }
    const PrintJob accepted{job, p.name, c.copies, paper, p.two_sided && c.two_sided};
    try {
        if (before_sending) before_sending(accepted);
    } catch (...) {
        cupsFreeOptions(n, options);
        cupsCancelDestJob(http.get(), dest, job);
        throw;
    }
    bool sent = cupsStartDestDocument(http.get(), dest, info.get(), job, title_text.c_str(),
                                      CUPS_FORMAT_PDF, 0, nullptr, 1) == HTTP_STATUS_CONTINUE;
    sent = sent && cupsWriteRequestData(http.get(), pdf.data(), pdf.size()) == HTTP_STATUS_CONTINUE;
    const bool finished =
        cupsFinishDestDocument(http.get(), dest, info.get()) <= IPP_STATUS_OK_EVENTS_COMPLETE;
    cupsFreeOptions(n, options);
    if (!sent || !finished) {
        const std::string why = cupsLastErrorString();
        cupsCancelDestJob(http.get(), dest, job);
        throw NotFoundError(
            fmt::format("The printer \"{}\" did not take the summary ({}), so nothing was printed.",
                        p.name, why));
    }
    return accepted;
}

} // namespace solace::report
