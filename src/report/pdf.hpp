#pragma once
// Draws a WeeklySummary with cairo and pango: to a vector PDF for paper, or one page to an
// image for the window's preview. Both use the same drawing code and the same page breaks.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "report/weekly_summary.hpp"

namespace solace::report {

enum class Paper { a4, letter };

// `a4` or `letter` (any case); ValidationError otherwise.
Paper parse_paper(std::string_view text);
std::string_view code(Paper p);
// Letter where the locale's territory uses it (US, Canada, Mexico, ...), else A4. `locale` is
// a POSIX locale name such as "en_US.UTF-8".
Paper paper_for_locale(std::string_view locale);
// From LC_ALL, else LC_PAPER, else LANG; A4 when none is set.
Paper default_paper();

struct PageSize {
    double width = 0, height = 0; // points (1/72 inch)
};
PageSize page_size(Paper p); // A4 595.28 x 841.89, Letter 612 x 792

struct PdfOptions {
    Paper paper = Paper::a4;
};

int page_count(const WeeklySummary& w, const PdfOptions& o = {});

// The whole PDF, with title, author and creation date in its metadata.
struct PdfFile {
    std::string bytes;
    int pages = 0;
};
PdfFile render_pdf(const WeeklySummary& w, const PdfOptions& o = {});

// One page (0-based) as straight RGBA bytes, row after row, no padding, on white; `scale` is
// pixels per point (1.0 = 72 dpi, 2.0 is readable on screen).
struct PageImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
};
PageImage render_page_image(const WeeklySummary& w, int page, double scale,
                            const PdfOptions& o = {});

} // namespace solace::report
