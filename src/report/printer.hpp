#pragma once
// Printers as the print service (CUPS) knows them, and sending a PDF to one. The server is the
// one libcups is told of: CUPS_SERVER, ~/.cups/client.conf, else the local service.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/pdf.hpp"

namespace solace::report {

struct Printer {
    std::string name;
    std::string description; // printer-info, e.g. "Office laser, first floor"; may be empty
    bool is_default = false;
    bool stopped = false;       // paused: a job would wait in its queue
    bool accepting = true;      // false: it refuses new jobs
    std::string why;            // the printer's own words on its state, when it gives some
    std::optional<Paper> paper; // its default paper, when that is A4 or Letter
    bool two_sided = false;     // offers printing on both sides
};

// Every printer CUPS offers, the default first. NotFoundError when CUPS is not reachable.
std::vector<Printer> printers();

// Copies a person may ask for at once: 1 to this.
constexpr int max_copies = 20;

struct PrintChoices {
    std::string printer;        // empty: the default printer
    int copies = 1;             // 1 to max_copies
    std::optional<Paper> paper; // empty: the printer's default paper, else the locale's
    bool two_sided = false;     // long edge, like a book; only where the printer offers it
};

struct PrintJob {
    int id = 0; // CUPS's job id: the job was accepted
    std::string printer;
    int copies = 1;
    Paper paper = Paper::a4;
    bool two_sided = false;
};

// A job accepted, in words: "Sent to the printer ward as job 12 (2 copies, A4, both sides)."
std::string describe(const PrintJob& job);

// The printer `c` names (or the default), checked: NotFoundError naming the printer in plain
// words when CUPS is not reachable, it does not exist, it is stopped or it refuses jobs;
// ValidationError for copies out of range or two-sided where it is not offered.
Printer printer_for(const PrintChoices& c);

// The paper a summary for `c` is drawn on: the chosen one, else `p`'s default, else the locale's.
Paper paper_for(const PrintChoices& c, const Printer& p);

// Sends `pdf` (drawn on `paper`) as one job titled `title`. `before_sending` runs once CUPS has
// created the job and before the first byte of the document goes out (the audit row); when it
// throws, the job is cancelled. Returns once CUPS accepted the document; throws as printer_for,
// or NotFoundError when CUPS refused or lost the job (then cancelled).
PrintJob send_to_printer(const std::string& pdf, std::string_view title, Paper paper,
                         const PrintChoices& c,
                         const std::function<void(const PrintJob&)>& before_sending = {});

} // namespace solace::report
