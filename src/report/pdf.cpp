#include "report/pdf.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <utility>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include "domain/error.hpp"
#include "domain/score.hpp"

namespace solace::report {

namespace {

// Page geometry and type, in points. Body text is 8.5 pt: read at arm's length in a clinic.
constexpr double margin_x = 40, margin_top = 34, margin_bottom = 40;
constexpr const char* font_name = "DejaVu Sans Bold 14";
constexpr const char* font_title = "DejaVu Sans Bold 10";
constexpr const char* font_heading = "DejaVu Sans Bold 10";
constexpr const char* font_body = "DejaVu Sans 8.5";
constexpr const char* font_small = "DejaVu Sans 7";
constexpr const char* font_tiny = "DejaVu Sans 6";

// Symptom charts: a label column for the bands, then the week.
constexpr double band_label_w = 50, chart_w = 250, chart_h = 46, day_label_h = 9;
constexpr double chart_gap = 12; // between chart and its figures

// Greys that survive a black-and-white printer: darker is more severe.
constexpr double grey_mild = 0.95, grey_moderate = 0.885, grey_severe = 0.81;
constexpr double grey_text_soft = 0.35, grey_rule = 0.7;

constexpr std::string_view day_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::string_view month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct GObjectUnref {
    void operator()(void* p) const {
        if (p) g_object_unref(p);
    }
};
using LayoutPtr = std::shared_ptr<PangoLayout>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
struct CairoDestroy {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDestroy>;

// Text from the database made safe for pango markup (and valid UTF-8 whatever was stored).
std::string esc(std::string_view s) {
    gchar* valid = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
    gchar* escaped = g_markup_escape_text(valid, -1);
    std::string out(escaped);
    g_free(escaped);
    g_free(valid);
    return out;
}

// A note as the summary shows it: valid UTF-8, and no longer than the limit every stored note
// keeps (a file written by other means may hold more; the rest is said, not shown).
std::string shown_note(std::string_view s) {
    gchar* valid = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
    std::string out(valid);
    g_free(valid);
    const auto chars = static_cast<std::size_t>(g_utf8_strlen(out.c_str(), -1));
    if (chars <= max_note_chars) return out;
    const auto* cut = g_utf8_offset_to_pointer(out.c_str(), static_cast<glong>(max_note_chars));
    out.resize(static_cast<std::size_t>(cut - out.c_str()));
    return out + fmt::format(" … ({} more characters not shown)", chars - max_note_chars);
}

std::string date_text(date::year_month_day d) {
    return fmt::format("{} {} {}", static_cast<unsigned>(d.day()),
                       month_names[static_cast<unsigned>(d.month()) - 1],
                       static_cast<int>(d.year()));
}

int age_on(date::year_month_day born, date::year_month_day day) {
    int age = static_cast<int>(day.year()) - static_cast<int>(born.year());
    if (date::month_day{day.month(), day.day()} < date::month_day{born.month(), born.day()}) --age;
    return age;
}

std::string_view reporter_words(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return "patient";
    case Reporter::caregiver:
        return "caregiver";
    case Reporter::nurse:
        return "nurse";
    }
    return "";
}

std::string plural(int n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

void set_grey(cairo_t* cr, double g) {
    cairo_set_source_rgb(cr, g, g, g);
}

// Markers that differ in shape, not colour: circle patient, square caregiver, triangle nurse.
void draw_marker(cairo_t* cr, Reporter r, double x, double y) {
    set_grey(cr, 0);
    cairo_set_line_width(cr, 0.9);
    switch (r) {
    case Reporter::patient:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, 2.6, 0, 2 * M_PI);
        cairo_fill(cr);
        break;
    case Reporter::caregiver:
        cairo_rectangle(cr, x - 2.4, y - 2.4, 4.8, 4.8);
        set_grey(cr, 1);
        cairo_fill_preserve(cr);
        set_grey(cr, 0);
        cairo_stroke(cr);
        break;
    case Reporter::nurse:
        cairo_move_to(cr, x, y - 3.2);
        cairo_line_to(cr, x + 3, y + 2.2);
        cairo_line_to(cr, x - 3, y + 2.2);
        cairo_close_path(cr);
        cairo_fill(cr);
        break;
    }
}

void draw_goal_line(cairo_t* cr, double x0, double x1, double y) {
    const double dash[] = {3, 2};
    set_grey(cr, 0);
    cairo_set_line_width(cr, 0.9);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
}

// A piece of the page flow: drawn at a top `y` the paginator chooses.
struct Block {
    double height = 0;
    double gap = 0; // space above; dropped at the top of a page
    bool keep_with_next = false;
    std::function<void(cairo_t*, double y)> draw;
    // What a page that this block starts repeats above it (its section's heading marked
    // "continued", a table's header row): an index into Document::repeats_, or none.
    int continues = -1;
};

struct Placed {
    const Block* block;
    double y;
};

class Document {
  public:
    Document(const WeeklySummary& w, Paper paper);
    int pages() const { return static_cast<int>(pages_.size()); }
    PageSize size() const { return size_; }
    void draw_page(cairo_t* cr, int page) const;

  private:
    double content_w() const { return size_.width - 2 * margin_x; }
    LayoutPtr text(const std::string& markup, const char* font, double width = -1,
                   PangoAlignment align = PANGO_ALIGN_LEFT) const;
    static double height_of(const LayoutPtr& l);
    static double width_of(const LayoutPtr& l);
    static void show(cairo_t* cr, const LayoutPtr& l, double x, double y);
    double x_of(Instant t, double left, double width) const;

    void add(Block b) {
        b.continues = section_;
        blocks_.push_back(std::move(b));
    }
    // The block just added is also repeated on each page its section continues on.
    void repeat_last() { repeats_.back().push_back(blocks_.back()); }
    void keep_rows_together(std::size_t first, bool note_follows);
    void add_text(const std::string& markup, const char* font, double gap, double indent = 0,
                  bool keep_with_next = false);
    void add_long_text(std::string_view plain, const char* font, double width, double x,
                       double gap);
    void add_heading(const std::string& title, double gap = 14);
    void add_row(const std::vector<std::string>& cells, const std::vector<double>& widths,
                 const char* font, const std::vector<bool>& shaded, bool header);

    void overview();
    void symptoms();
    void legend();
    void draw_chart(cairo_t* cr, const SymptomSummary& s, double x, double y) const;
    std::string symptom_figures(const SymptomSummary& s) const;
    void flags();
    void adherence();
    void prn();
    void pps();
    void notes();

    double measure_header();
    void draw_header(cairo_t* cr, int page) const;
    void draw_footer(cairo_t* cr) const;
    void paginate();

    const WeeklySummary& w_;
    const date::time_zone* zone_;
    PageSize size_;
    ContextPtr ctx_;
    std::array<Instant, 8> midnights_{}; // local midnights, Monday to next Monday
    struct Header {
        LayoutPtr name, details, diagnosis, title, week;
        double height = 0;
    } header_;
    double body_top_ = 0;
    std::vector<Block> blocks_;
    std::vector<std::vector<Block>> repeats_; // per section: what its continued pages repeat
    int section_ = -1;                        // the section blocks are being added to
    std::vector<std::vector<Placed>> pages_;
};

Document::Document(const WeeklySummary& w, Paper paper)
    : w_(w), zone_(find_zone(w.patient.time_zone)), size_(page_size(paper)),
      ctx_(pango_font_map_create_context(pango_cairo_font_map_get_default())) {
    // 72 dpi: one font point is one PDF unit. No hinted metrics, so the preview image and the
    // PDF break lines and pages in the same places.
    pango_cairo_context_set_resolution(ctx_.get(), 72);
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx_.get(), fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(ctx_.get(), pango_language_from_string("en"));

    const auto monday = monday_of(w.week);
    for (int d = 0; d < 8; ++d)
        midnights_[static_cast<std::size_t>(d)] =
            resolve_local(zone_, date::local_seconds{monday + date::days{d}});

    header_.height = measure_header();
    body_top_ = margin_top + header_.height + 12;
    overview();
    if (!w.empty()) symptoms();
    flags();
    adherence();
    prn();
    pps();
    notes();
    paginate();
}

LayoutPtr Document::text(const std::string& markup, const char* font, double width,
                         PangoAlignment align) const {
    LayoutPtr l(pango_layout_new(ctx_.get()), g_object_unref);
    PangoFontDescription* desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(l.get(), desc);
    pango_font_description_free(desc);
    if (width > 0) {
        pango_layout_set_width(l.get(), pango_units_from_double(width));
        pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l.get(), align);
    pango_layout_set_markup(l.get(), markup.data(), static_cast<int>(markup.size()));
    return l;
}

double Document::height_of(const LayoutPtr& l) {
    int w = 0, h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return h / static_cast<double>(PANGO_SCALE);
}

double Document::width_of(const LayoutPtr& l) {
    int w = 0, h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return w / static_cast<double>(PANGO_SCALE);
}

void Document::show(cairo_t* cr, const LayoutPtr& l, double x, double y) {
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l.get());
}

// Real elapsed time: a DST week is 167 or 169 hours wide.
double Document::x_of(Instant t, double left, double width) const {
    const auto span = static_cast<double>((w_.end - w_.start).count());
    return left + width * static_cast<double>((t - w_.start).count()) / span;
}

void Document::add_text(const std::string& markup, const char* font, double gap, double indent,
                        bool keep_with_next) {
    auto l = text(markup, font, content_w() - indent);
    add({height_of(l), gap, keep_with_next,
         [l, indent](cairo_t* cr, double y) { show(cr, l, margin_x + indent, y); }});
}

// Plain text of any length, one block per line (so it continues on the next page), in time
// proportional to its length. Pango lays out a paragraph in time that grows with the square of its
// length (each line re-shapes the rest), so the text goes in pieces of at most this many bytes: all
// lines of a piece but its last are kept, and the next piece starts where that last line started.
// Line breaking is greedy, so the lines are the ones a single layout would give.
constexpr std::size_t layout_piece_bytes = 2048;

void Document::add_long_text(std::string_view plain, const char* font, double width, double x,
                             double gap) {
    std::size_t start = 0;
    bool first = true;
    while (start < plain.size()) {
        std::size_t end = std::min(plain.size(), start + layout_piece_bytes);
        while (end < plain.size() && end > start &&
               (static_cast<unsigned char>(plain[end]) & 0xC0) == 0x80)
            --end; // not inside a UTF-8 sequence
        const bool last_piece = end == plain.size();
        LayoutPtr l(pango_layout_new(ctx_.get()), g_object_unref);
        PangoFontDescription* desc = pango_font_description_from_string(font);
        pango_layout_set_font_description(l.get(), desc);
        pango_font_description_free(desc);
        pango_layout_set_width(l.get(), pango_units_from_double(width));
        pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_text(l.get(), plain.data() + start, static_cast<int>(end - start));
        const int lines = pango_layout_get_line_count(l.get());
        PangoLayoutIter* it = pango_layout_get_iter(l.get());
        for (int i = 0;; ++i) {
            PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
            // The piece's last line may continue in the next piece: lay it out again there
            // (unless it is the only line, so that every piece moves on).
            if (!last_piece && i == lines - 1 && i > 0) {
                start += static_cast<std::size_t>(line->start_index);
                break;
            }
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, nullptr, &logical);
            const double top = logical.y / static_cast<double>(PANGO_SCALE);
            const double baseline =
                pango_layout_iter_get_baseline(it) / static_cast<double>(PANGO_SCALE);
            const double left = logical.x / static_cast<double>(PANGO_SCALE);
            add({logical.height / static_cast<double>(PANGO_SCALE), first ? gap : 0, false,
                 [l, line, x, left, down = baseline - top](cairo_t* cr, double y) {
                     cairo_move_to(cr, x + left, y + down);
                     pango_cairo_show_layout_line(cr, line);
                 }});
            first = false;
            if (!pango_layout_iter_next_line(it)) {
                start = end;
                break;
            }
        }
        pango_layout_iter_free(it);
    }
}

// A section's heading; a page the section continues on starts with it marked "continued".
void Document::add_heading(const std::string& title, double gap) {
    auto heading = [this, gap](const std::string& words) {
        auto l = text(words, font_heading, content_w());
        const double h = height_of(l);
        return Block{h + 5, gap, true, [l, h, this](cairo_t* cr, double y) {
                         show(cr, l, margin_x, y);
                         set_grey(cr, 0);
                         cairo_set_line_width(cr, 0.8);
                         cairo_move_to(cr, margin_x, y + h + 2);
                         cairo_line_to(cr, margin_x + content_w(), y + h + 2);
                         cairo_stroke(cr);
                     }};
    };
    section_ = -1;
    add(heading(title));
    repeats_.push_back({heading(title + " (continued)")});
    section_ = static_cast<int>(repeats_.size()) - 1;
}

// Rows from `first` to the last block added: a page break leaves at least two of them on each
// side (a table of three rows or fewer stays whole), and a note below the table stays with its
// last row.
void Document::keep_rows_together(std::size_t first, bool note_follows) {
    const std::size_t end = blocks_.size();
    if (end - first >= 2) {
        blocks_[first].keep_with_next = true;
        blocks_[end - 2].keep_with_next = true;
    }
    if (note_follows && end > first) blocks_[end - 1].keep_with_next = true;
}

// A table row: the first cell left-aligned, the others centred; shaded cells get a grey fill.
void Document::add_row(const std::vector<std::string>& cells, const std::vector<double>& widths,
                       const char* font, const std::vector<bool>& shaded, bool header) {
    constexpr double pad = 2.5;
    std::vector<LayoutPtr> ls;
    double h = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        ls.push_back(
            text(cells[i], font, widths[i] - 4, i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER));
        h = std::max(h, height_of(ls.back()));
    }
    const double row_h = h + 2 * pad;
    add({row_h, header ? 4.0 : 0.0, header,
         [ls, widths, shaded, row_h, header](cairo_t* cr, double y) {
             double x = margin_x;
             for (std::size_t i = 0; i < ls.size(); ++i) {
                 if (i < shaded.size() && shaded[i]) {
                     set_grey(cr, grey_moderate);
                     cairo_rectangle(cr, x, y, widths[i], row_h);
                     cairo_fill(cr);
                 }
                 set_grey(cr, 0);
                 show(cr, ls[i], x + 2, y + pad);
                 x += widths[i];
             }
             set_grey(cr, header ? 0.0 : grey_rule);
             cairo_set_line_width(cr, header ? 0.6 : 0.4);
             cairo_move_to(cr, margin_x, y + row_h);
             cairo_line_to(cr, x, y + row_h);
             cairo_stroke(cr);
         }});
}

void Document::overview() {
    const auto& w = w_;
    std::vector<std::string> parts;
    parts.push_back(plural(w.visits, "visit", "visits"));
    std::vector<std::string> by;
    for (auto r : {Reporter::patient, Reporter::caregiver, Reporter::nurse})
        if (const int n = w.scores_by_reporter[static_cast<std::size_t>(r)]; n > 0)
            by.push_back(fmt::format("{} {}", n, reporter_words(r)));
    parts.push_back(plural(w.scores(), "score", "scores") +
                    (by.empty() ? "" : fmt::format(" ({})", fmt::join(by, ", "))));
    parts.push_back(plural(w.doses_recorded, "dose recorded", "doses recorded"));
    std::array<int, 3> sev{};
    for (const auto& f : w.flags)
        ++sev[static_cast<std::size_t>(f.flag.severity)];
    std::string flag_text = plural(static_cast<int>(w.flags.size()), "flag", "flags");
    if (!w.flags.empty()) {
        std::vector<std::string> s;
        if (sev[2]) s.push_back(fmt::format("{} urgent", sev[2]));
        if (sev[1]) s.push_back(plural(sev[1], "warning", "warnings"));
        if (sev[0]) s.push_back(fmt::format("{} info", sev[0]));
        flag_text += fmt::format(" ({})", fmt::join(s, ", "));
    }
    parts.push_back(flag_text);
    add_text(fmt::format("<b>This week:</b> {}.", esc(fmt::format("{}", fmt::join(parts, " · ")))),
             font_body, 0);

    std::string times = fmt::format("Times are local to {}.", esc(w.patient.time_zone));
    if (w.clock_change)
        times += fmt::format(" Clocks went {} on {} ({} → {}).",
                             w.clock_change->forward ? "forward" : "back",
                             local_when(w.clock_change->at, zone_), esc(w.clock_change->before),
                             esc(w.clock_change->after));
    if (w.made_at < w.end)
        times += fmt::format(" The week is not over: this covers it up to {}.",
                             local_when(w.made_at, zone_));
    add_text(times, font_small, 3);

    if (w.empty())
        add_text("<b>No visits or scores were recorded this week.</b>", font_body, 12);
    else if (w.caregiver_only())
        add_text("<b>Only caregiver (family) scores were recorded this week:</b> there are no "
                 "patient or nurse scores to compare them with.",
                 font_body, 10);
}

void Document::legend() {
    std::vector<LayoutPtr> ls;
    for (const char* label : {"patient", "caregiver", "nurse", "comfort goal"})
        ls.push_back(text(label, font_small));
    const double h = height_of(ls.front());
    add({h + 2, 3, true, [ls, h](cairo_t* cr, double y) {
             double x = margin_x;
             const double cy = y + h / 2;
             for (std::size_t i = 0; i < ls.size(); ++i) {
                 double marker_w = 7;
                 if (i < 3) {
                     draw_marker(cr, static_cast<Reporter>(i), x + 3, cy);
                 } else {
                     draw_goal_line(cr, x, x + 12, cy);
                     marker_w = 14;
                 }
                 set_grey(cr, 0);
                 show(cr, ls[i], x + marker_w + 2, y);
                 x += marker_w + 2 + width_of(ls[i]) + 12;
             }
         }});
}

void Document::symptoms() {
    if (w_.symptoms.empty()) return;
    add_heading("Symptoms (ESAS-r: 0 = none, 10 = worst possible)");
    legend();
    repeat_last();
    const double fig_x = margin_x + band_label_w + chart_w + chart_gap;
    const double fig_w = margin_x + content_w() - fig_x;
    for (const auto& s : w_.symptoms) {
        auto fig = text(symptom_figures(s), font_body, fig_w);
        const double h = std::max(chart_h + day_label_h, height_of(fig));
        add({h, 7, false, [this, &s, fig, fig_x](cairo_t* cr, double y) {
                 draw_chart(cr, s, margin_x + band_label_w, y);
                 set_grey(cr, 0);
                 show(cr, fig, fig_x, y - 1);
             }});
    }
}

std::string Document::symptom_figures(const SymptomSummary& s) const {
    std::string out = fmt::format("<b>{}</b>", esc(info(s.symptom).label));
    if (s.goal) out += fmt::format("  <span size='smaller'>comfort goal ≤ {}</span>", *s.goal);
    out += fmt::format("\nLast <b>{}</b> ({}, {}) · low {} · high {}", s.last, label(s.band),
                       reporter_words(s.last_reporter), s.lowest, s.highest);
    // Say whose scores the means are when the week mixes reporter kinds.
    const bool mixed = std::any_of(s.points.begin(), s.points.end(),
                                   [&](const SymptomPoint& p) { return p.reporter != s.compared; });
    std::string mean = "Mean";
    if (mixed) {
        mean = fmt::format("{}-rated mean", reporter_words(s.compared));
        mean[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(mean[0])));
    }
    if (!s.change)
        return out + fmt::format("\n{} {:.1f}; none scored the week before", mean, s.mean);
    out += fmt::format("\n{} {:.1f}; week before {:.1f}", mean, s.mean, *s.previous_mean);
    if (s.trend > 0) return out + fmt::format("\n<b>↑ {:.1f} worse</b>", *s.change);
    if (s.trend < 0) return out + fmt::format("\n<b>↓ {:.1f} better</b>", -*s.change);
    return out + "\n→ about the same (a change under 1 point)";
}

void Document::draw_chart(cairo_t* cr, const SymptomSummary& s, double x, double y) const {
    const double w = chart_w, h = chart_h;
    // Scores 0..10 drawn as rows -0.5..10.5, so each band covers its whole numbers.
    auto y_of = [&](double v) { return y + (10.5 - v) / 11.0 * h; };
    struct BandRow {
        double lo, hi, grey;
        const char* name;
    };
    const BandRow bands[] = {{0.5, 3.5, grey_mild, "mild 1–3"},
                             {3.5, 6.5, grey_moderate, "moderate 4–6"},
                             {6.5, 10.5, grey_severe, "severe 7–10"}};
    for (const auto& b : bands) {
        set_grey(cr, b.grey);
        cairo_rectangle(cr, x, y_of(b.hi), w, y_of(b.lo) - y_of(b.hi));
        cairo_fill(cr);
        auto l = text(b.name, font_tiny, band_label_w - 4, PANGO_ALIGN_RIGHT);
        set_grey(cr, grey_text_soft);
        show(cr, l, x - band_label_w, (y_of(b.lo) + y_of(b.hi)) / 2 - height_of(l) / 2);
    }
    // Day lines at local midnights, day names under them.
    cairo_set_line_width(cr, 0.4);
    for (std::size_t d = 0; d < 7; ++d) {
        const double x0 = x_of(midnights_[d], x, w), x1 = x_of(midnights_[d + 1], x, w);
        if (d > 0) {
            set_grey(cr, 1.0);
            cairo_move_to(cr, x0, y);
            cairo_line_to(cr, x0, y + h);
            cairo_stroke(cr);
        }
        const date::year_month_day ymd{date::floor<date::days>(zone_->to_local(midnights_[d]))};
        auto l = text(fmt::format("{} {}", day_names[d], static_cast<unsigned>(ymd.day())),
                      font_tiny, x1 - x0, PANGO_ALIGN_CENTER);
        set_grey(cr, grey_text_soft);
        show(cr, l, x0, y + h + 1);
    }
    set_grey(cr, grey_rule);
    cairo_rectangle(cr, x, y, w, h);
    cairo_stroke(cr);

    if (s.goal) draw_goal_line(cr, x, x + w, y_of(*s.goal));

    for (auto r : {Reporter::caregiver, Reporter::nurse, Reporter::patient}) {
        std::vector<std::pair<double, double>> pts;
        for (const auto& p : s.points)
            if (p.reporter == r) pts.emplace_back(x_of(p.at, x, w), y_of(p.value));
        if (pts.empty()) continue;
        set_grey(cr, 0.25);
        cairo_set_line_width(cr, 0.6);
        for (std::size_t i = 0; i < pts.size(); ++i)
            (i == 0 ? cairo_move_to : cairo_line_to)(cr, pts[i].first, pts[i].second);
        cairo_stroke(cr);
        for (const auto& [px, py] : pts)
            draw_marker(cr, r, px, py);
    }
}

void Document::flags() {
    if (w_.empty() && w_.flags.empty()) return;
    const auto escalated = std::count_if(w_.flags.begin(), w_.flags.end(),
                                         [](const FlagLine& l) { return l.flag.escalated; });
    // Escalated flags (urgent, unacknowledged for hours) are named first.
    add_heading(fmt::format("Flags raised this week ({}){}{}", w_.flags.size(),
                            escalated > 0 ? fmt::format(", {} escalated", escalated) : "",
                            w_.flags.size() > 1 ? escalated > 0
                                                      ? ": escalated first, then most severe"
                                                      : ", most severe first"
                                                : ""));
    if (w_.flags.empty()) {
        add_text("No flags this week.", font_body, 3);
        return;
    }
    constexpr double tag_w = 50, when_w = 82;
    const double text_w = content_w() - tag_w - when_w;
    const std::size_t first_row = blocks_.size();
    for (const auto& line : w_.flags) {
        const auto& f = line.flag;
        std::string body = fmt::format("<b>{}</b> — {}", esc(line.rule_words), esc(f.detail));
        if (f.acknowledged) {
            body += fmt::format(
                " <i>Acknowledged by {}{}{}.</i>", esc(f.acknowledged_by),
                f.acknowledged_at ? " on " + esc(local_when(*f.acknowledged_at, zone_))
                                  : std::string{},
                f.acknowledgement_note.empty() ? std::string{}
                                               : ": “" + esc(f.acknowledgement_note) + "”");
        } else if (f.escalated) {
            body += " <b>Escalated: urgent and still not acknowledged.</b>";
        } else {
            body += " <i>Not acknowledged.</i>";
        }
        auto lb = text(body, font_body, text_w);
        auto lw = text(esc(local_when(f.at, zone_)), font_body, when_w - 4);
        auto lt = text(std::string(f.severity == Severity::urgent    ? "URGENT"
                                   : f.severity == Severity::warning ? "WARNING"
                                                                     : "info"),
                       "DejaVu Sans Bold 6.5", tag_w - 8, PANGO_ALIGN_CENTER);
        const auto sev = f.severity;
        add({std::max(height_of(lb), height_of(lw)), 3.5, false,
             [lb, lw, lt, sev](cairo_t* cr, double y) {
                 const double th = height_of(lt) + 2;
                 cairo_set_line_width(cr, 0.8);
                 cairo_rectangle(cr, margin_x, y + 0.5, tag_w - 8, th);
                 if (sev == Severity::urgent) {
                     set_grey(cr, 0);
                     cairo_fill(cr);
                     set_grey(cr, 1);
                 } else if (sev == Severity::warning) {
                     set_grey(cr, 0);
                     cairo_stroke(cr);
                 } else {
                     cairo_new_path(cr);
                     set_grey(cr, grey_text_soft);
                 }
                 show(cr, lt, margin_x, y + 1.5);
                 set_grey(cr, 0);
                 show(cr, lw, margin_x + tag_w, y);
                 show(cr, lb, margin_x + tag_w + when_w, y);
             }});
    }
    keep_rows_together(first_row, false);
}

void Document::adherence() {
    if (w_.adherence.empty()) return;
    add_heading("Scheduled medications: doses this week");
    const double name_w = 176;
    const double num_w = (content_w() - name_w) / 8;
    const std::vector<double> widths{name_w, num_w, num_w, num_w, num_w,
                                     num_w,  num_w, num_w, num_w};
    add_row({"<b>Medication</b>", "<b>Due</b>", "<b>On time</b>", "<b>Late</b>", "<b>Early</b>",
             "<b>Missed</b>", "<b>Held</b>", "<b>Refused</b>", "<b>Given</b>"},
            widths, font_small, {}, true);
    repeat_last();
    const std::size_t first_row = blocks_.size();
    auto n = [](int v, bool strong = false) {
        return strong && v > 0 ? fmt::format("<b>{}</b>", v) : fmt::format("{}", v);
    };
    for (const auto& a : w_.adherence) {
        std::string name = fmt::format("<b>{}</b> {} {}\n<span size='smaller'>{}{}</span>",
                                       esc(a.name), esc(a.dose), esc(a.route), esc(a.schedule),
                                       a.time_critical ? " · time-critical" : "");
        add_row({name, n(a.due), n(a.on_time), n(a.late, true), n(a.early), n(a.missed, true),
                 n(a.held), n(a.refused),
                 a.given_percent ? fmt::format("<b>{}%</b>", *a.given_percent) : "–"},
                widths, font_body, {}, false);
    }
    keep_rows_together(first_row, true);
    add_text("Due counts the doses whose window had closed. Given = on time + late + early; held "
             "and refused doses have a reason recorded.",
             font_tiny, 2);
}

void Document::prn() {
    if (w_.prn.empty()) return;
    add_heading("As-needed (PRN) doses given per day");
    const double name_w = 176;
    const double num_w = (content_w() - name_w) / 8;
    std::vector<double> widths{name_w};
    std::vector<std::string> head{"<b>Medication</b>"};
    for (std::size_t d = 0; d < 7; ++d) {
        const date::year_month_day ymd{date::floor<date::days>(zone_->to_local(midnights_[d]))};
        head.push_back(fmt::format("<b>{} {}</b>", day_names[d], static_cast<unsigned>(ymd.day())));
        widths.push_back(num_w);
    }
    head.emplace_back("<b>Total</b>");
    widths.push_back(num_w);
    add_row(head, widths, font_small, {}, true);
    repeat_last();
    const std::size_t first_row = blocks_.size();
    bool any_breakthrough = false;
    for (const auto& u : w_.prn) {
        std::vector<std::string> cells{
            fmt::format("<b>{}</b> {}\n<span size='smaller'>for {}</span>", esc(u.name),
                        esc(u.dose), esc(u.indication.empty() ? "—" : u.indication))};
        std::vector<bool> shaded{false};
        for (std::size_t d = 0; d < 7; ++d) {
            const bool bt = u.counts_for_breakthrough && w_.breakthrough_day[d];
            any_breakthrough = any_breakthrough || bt;
            cells.push_back(bt             ? fmt::format("<b>{}*</b>", u.per_day[d])
                            : u.per_day[d] ? fmt::format("{}", u.per_day[d])
                                           : "·");
            shaded.push_back(bt);
        }
        cells.push_back(fmt::format("<b>{}</b>", u.total));
        shaded.push_back(false);
        add_row(cells, widths, font_body, shaded, false);
    }
    keep_rows_together(first_row, any_breakthrough);
    for (const auto& u : w_.prn)
        if (!u.effects.empty())
            add_text(fmt::format("<b>Effect of {}</b> (the first score {}–{} min after each "
                                 "dose): {}.",
                                 esc(u.name), w_.prn_effect_from_minutes, w_.prn_effect_to_minutes,
                                 esc(fmt::format("{}", fmt::join(u.effects, "; ")))),
                     font_small, 2);
    if (any_breakthrough)
        add_text("* Breakthrough day (shaded): a breakthrough-pain flag was raised that day, 3 or "
                 "more as-needed pain doses within 24 hours. Review the baseline pain medication.",
                 font_tiny, 2);
}

void Document::pps() {
    if (w_.pps.empty()) return;
    add_heading("Palliative Performance Scale (PPS)");
    std::vector<std::string> parts;
    for (const auto& p : w_.pps)
        parts.push_back(fmt::format("{}: <b>{}%</b>", esc(local_when(p.at, zone_)), p.value));
    add_text(fmt::format("{}", fmt::join(parts, "   ·   ")), font_body, 3);
}

void Document::notes() {
    if (w_.notes.empty()) return;
    add_heading(fmt::format("Notes ({})", w_.notes.size()));
    for (const auto& n : w_.notes) {
        std::string head =
            fmt::format("<b>{}</b> · {}", esc(local_when(n.at, zone_)), esc(n.author));
        if (!n.about.empty()) head += fmt::format(" · <i>{}</i>", esc(n.about));
        add_text(head, font_small, 6, 0, true);
        add_long_text(shown_note(n.text), font_body, content_w() - 10, margin_x + 10, 1);
    }
}

// The header's layouts are made once: every page draws the same ones, only the page number
// changes (and it is the same height on every page).
double Document::measure_header() {
    const auto& p = w_.patient;
    const double left_w = content_w() * 0.56, right_w = content_w() - left_w - 10;
    const date::year_month_day monday{monday_of(w_.week)};
    header_.name = text(esc(p.name), font_name, left_w);
    header_.details = text(fmt::format("MRN <b>{}</b> · born {} (age {})", esc(p.mrn),
                                       date_text(p.date_of_birth), age_on(p.date_of_birth, monday)),
                           font_body, left_w);
    double left = height_of(header_.name) + 2 + height_of(header_.details);
    if (!p.diagnosis.empty()) {
        header_.diagnosis = text(esc(p.diagnosis), font_body, left_w);
        pango_layout_set_ellipsize(header_.diagnosis.get(), PANGO_ELLIPSIZE_END);
        left += height_of(header_.diagnosis);
    }
    header_.title = text("Weekly summary", font_title, right_w, PANGO_ALIGN_RIGHT);
    header_.week = text(fmt::format("Week {}: {}", format_week(w_.week), week_dates(w_.week)),
                        font_body, right_w, PANGO_ALIGN_RIGHT);
    const double right =
        height_of(header_.title) + height_of(header_.week) + height_of(header_.details);
    return std::max(left, right);
}

void Document::draw_header(cairo_t* cr, int page) const {
    const double left_w = content_w() * 0.56, right_w = content_w() - left_w - 10;
    const double right_x = margin_x + left_w + 10;
    set_grey(cr, 0);
    double y = margin_top;
    show(cr, header_.name, margin_x, y);
    y += height_of(header_.name) + 2;
    show(cr, header_.details, margin_x, y);
    y += height_of(header_.details);
    if (header_.diagnosis) show(cr, header_.diagnosis, margin_x, y);

    double ry = margin_top;
    show(cr, header_.title, right_x, ry);
    ry += height_of(header_.title);
    show(cr, header_.week, right_x, ry);
    ry += height_of(header_.week);
    show(cr,
         text(fmt::format("Page {} of {}", page + 1, pages()), font_body, right_w,
              PANGO_ALIGN_RIGHT),
         right_x, ry);

    const double rule_y = margin_top + header_.height + 5;
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, margin_x, rule_y);
    cairo_line_to(cr, margin_x + content_w(), rule_y);
    cairo_stroke(cr);
}

void Document::draw_footer(cairo_t* cr) const {
    const auto local = zone_->to_local(w_.made_at);
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const auto made = fmt::format(
        "{} {} {} {} {}", day_names[date::weekday{day}.iso_encoding() - 1],
        static_cast<unsigned>(ymd.day()), month_names[static_cast<unsigned>(ymd.month()) - 1],
        static_cast<int>(ymd.year()), date::format("%H:%M", local));
    auto l = text(fmt::format("Made {} by {} with Solace {} from the records up to that time{}. "
                              "Scores are ESAS-r (0–10, higher is worse); a change of 1 point "
                              "or more is shown as an arrow.",
                              made, esc(w_.made_by), SOLACE_VERSION,
                              w_.audit_head.empty() ? "" : " (audit " + esc(w_.audit_head) + ")"),
                  font_tiny, content_w());
    set_grey(cr, grey_text_soft);
    show(cr, l, margin_x, size_.height - margin_bottom + 10);
}

void Document::paginate() {
    const double bottom = size_.height - margin_bottom;
    pages_.assign(1, {});
    double y = body_top_;
    auto place = [&](const Block& b) {
        const double at = y == body_top_ ? y : y + b.gap;
        pages_.back().push_back({&b, at});
        y = at + b.height;
    };
    // A block that keeps with the next needs room for the whole chain and the block after it
    // (a heading, its legend and the first chart).
    auto chain_height = [&](std::size_t i) {
        double need = blocks_[i].height;
        for (std::size_t j = i; blocks_[j].keep_with_next && j + 1 < blocks_.size(); ++j)
            need += blocks_[j + 1].gap + blocks_[j + 1].height;
        return need;
    };
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        const auto& b = blocks_[i];
        const double at = y == body_top_ ? y : y + b.gap;
        if (at + chain_height(i) > bottom && y > body_top_) {
            pages_.emplace_back();
            y = body_top_;
            if (b.continues >= 0)
                for (const auto& r : repeats_[static_cast<std::size_t>(b.continues)])
                    place(r);
        }
        place(b);
    }
}

void Document::draw_page(cairo_t* cr, int page) const {
    draw_header(cr, page);
    for (const auto& p : pages_.at(static_cast<std::size_t>(page))) {
        cairo_save(cr);
        set_grey(cr, 0);
        p.block->draw(cr, p.y);
        cairo_restore(cr);
    }
    draw_footer(cr);
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

[[noreturn]] void cairo_failed(cairo_status_t st, std::string_view doing) {
    throw std::runtime_error(
        fmt::format("The summary could not be {}: {}", doing, cairo_status_to_string(st)));
}

} // namespace

Paper parse_paper(std::string_view text) {
    std::string t(text);
    for (auto& c : t)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "a4") return Paper::a4;
    if (t == "letter") return Paper::letter;
    throw ValidationError(
        fmt::format("--paper \"{}\" is not a paper size Solace knows; use a4 or letter.", text));
}

std::string_view code(Paper p) {
    return p == Paper::letter ? "letter" : "a4";
}

Paper paper_for_locale(std::string_view locale) {
    // Territories whose printers take Letter (glibc's LC_PAPER for their locales).
    constexpr std::string_view letter[] = {"US", "CA", "MX", "PR", "PH", "CL", "CO",
                                           "CR", "GT", "PA", "SV", "VE", "NI", "DO"};
    const auto underscore = locale.find('_');
    if (underscore == std::string_view::npos) return Paper::a4;
    auto territory = locale.substr(underscore + 1);
    territory = territory.substr(0, territory.find_first_of(".@"));
    return std::find(std::begin(letter), std::end(letter), territory) != std::end(letter)
               ? Paper::letter
               : Paper::a4;
}

Paper default_paper() {
    for (const char* var : {"LC_ALL", "LC_PAPER", "LANG"})
        if (const char* v = std::getenv(var); v && *v) return paper_for_locale(v);
    return Paper::a4;
}

PageSize page_size(Paper p) {
    if (p == Paper::letter) return {612, 792};
    return {595.2756, 841.8898}; // 210 x 297 mm
}

int page_count(const WeeklySummary& w, const PdfOptions& o) {
    return Document(w, o.paper).pages();
}

PdfFile render_pdf(const WeeklySummary& w, const PdfOptions& o) {
    const Document doc(w, o.paper);
    std::string out;
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_to_string, &out, doc.size().width,
                                                           doc.size().height));
    const auto title = fmt::format("Weekly summary: {} ({}), {}", w.patient.name, w.patient.mrn,
                                   format_week(w.week));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, w.made_by.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_SUBJECT,
                                   "Weekly symptom and medication summary for the oncologist");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR,
                                   "Solace " SOLACE_VERSION);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE,
                                   format_utc(w.made_at).c_str());
    {
        CairoPtr cr(cairo_create(surface.get()));
        for (int page = 0; page < doc.pages(); ++page) {
            doc.draw_page(cr.get(), page);
            cairo_show_page(cr.get());
        }
        if (const auto st = cairo_status(cr.get()); st != CAIRO_STATUS_SUCCESS)
            cairo_failed(st, "drawn");
    }
    cairo_surface_finish(surface.get());
    if (const auto st = cairo_surface_status(surface.get()); st != CAIRO_STATUS_SUCCESS)
        cairo_failed(st, "written as PDF");
    return {std::move(out), doc.pages()};
}

PageImage render_page_image(const WeeklySummary& w, int page, double scale, const PdfOptions& o) {
    const Document doc(w, o.paper);
    if (page < 0 || page >= doc.pages())
        throw ValidationError(fmt::format("page {} does not exist: the summary has {} pages.",
                                          page + 1, doc.pages()));
    if (!(scale > 0 && scale <= 8))
        throw ValidationError(
            fmt::format("scale {} is out of range: use more than 0, up to 8.", scale));
    PageImage img;
    img.width = static_cast<int>(std::ceil(doc.size().width * scale));
    img.height = static_cast<int>(std::ceil(doc.size().height * scale));
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, img.width, img.height));
    {
        CairoPtr cr(cairo_create(surface.get()));
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        cairo_scale(cr.get(), scale, scale);
        doc.draw_page(cr.get(), page);
        if (const auto st = cairo_status(cr.get()); st != CAIRO_STATUS_SUCCESS)
            cairo_failed(st, "drawn");
    }
    cairo_surface_flush(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    img.rgba.resize(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4);
    auto* out = img.rgba.data();
    // ARGB32 is a native-endian 32-bit word with premultiplied alpha; the page is opaque.
    for (int row = 0; row < img.height; ++row) {
        const auto* px = reinterpret_cast<const std::uint32_t*>(data + row * stride);
        for (int col = 0; col < img.width; ++col) {
            const std::uint32_t v = px[col];
            *out++ = static_cast<std::uint8_t>(v >> 16);
            *out++ = static_cast<std::uint8_t>(v >> 8);
            *out++ = static_cast<std::uint8_t>(v);
            *out++ = static_cast<std::uint8_t>(v >> 24);
        }
    }
    return img;
}

} // namespace solace::report

// fontconfig keeps its configuration and caches for the life of the process, and pango's
// fontconfig thread may still hold them at exit, so FcFini cannot be called safely: these are
// not leaks of ours. Read only by LeakSanitizer (the asan preset); weak, so a test may define
// its own. It lives here because this object is linked into every program that draws text.
extern "C" __attribute__((weak)) const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\n";
}

// Those suppressed reports would otherwise end every run with a "Suppressions used" table on
// stderr, where the command line's own messages go.
extern "C" __attribute__((weak)) const char* __lsan_default_options() {
    return "print_suppressions=0";
}
