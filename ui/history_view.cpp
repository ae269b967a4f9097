#include "history_view.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "fonts.hpp"
#include "keys.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {

constexpr Reporter reporter_kinds[] = {Reporter::patient, Reporter::caregiver, Reporter::nurse};

struct RangeButton {
    app::HistoryRange range;
    const char* label;
};
constexpr RangeButton range_buttons[] = {{app::HistoryRange::week, "7 days"},
                                         {app::HistoryRange::month, "30 days"},
                                         {app::HistoryRange::quarter, "90 days"},
                                         {app::HistoryRange::all, "All"}};

ImU32 rgb(int r, int g, int b, int a = 255) {
    return IM_COL32(r, g, b, a);
}

bool light() {
    return current_theme() == Theme::light;
}

// Pale behind the points, so dark markers and rings keep their contrast on every band.
ImU32 band_fill(Band b) {
    switch (b) {
    case Band::none:
        return light() ? rgb(232, 242, 232) : rgb(30, 46, 36);
    case Band::mild:
        return light() ? rgb(250, 245, 206) : rgb(56, 54, 28);
    case Band::moderate:
        return light() ? rgb(252, 226, 194) : rgb(72, 48, 26);
    case Band::severe:
        return light() ? rgb(249, 206, 206) : rgb(82, 30, 34);
    }
    return 0;
}

ImU32 reporter_ink(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return light() ? rgb(17, 17, 17) : rgb(240, 240, 240);
    case Reporter::caregiver:
        return light() ? rgb(0, 104, 94) : rgb(90, 214, 196);
    case Reporter::nurse:
        return light() ? rgb(98, 36, 160) : rgb(196, 160, 255);
    }
    return 0;
}

// A ring around a flagged point; amber is darkened so it shows on the pale orange band.
ImU32 flag_ring(Severity s) {
    if (s == Severity::warning) return light() ? rgb(196, 104, 0) : rgb(255, 180, 40);
    if (!light()) // the fills are dark-on-light colours: brighter on the dark bands
        return s == Severity::urgent ? rgb(255, 96, 96) : rgb(120, 176, 255);
    return ImGui::GetColorU32(severity_fill(s));
}

ImU32 goal_ink() {
    return ImGui::GetColorU32(good_ink());
}

const char* reporter_label(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return "Patient";
    case Reporter::caregiver:
        return "Caregiver";
    case Reporter::nurse:
        return "Nurse";
    }
    return "";
}

const char* reporter_words(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return "the patient's own score";
    case Reporter::caregiver:
        return "scored by the family";
    case Reporter::nurse:
        return "the nurse's score";
    }
    return "";
}

// Patient: circle; caregiver: square; nurse: triangle. Each with a thin paper-coloured edge,
// so points that touch stay apart.
void marker(ImDrawList* dl, ImVec2 c, float r, Reporter kind, ImU32 ink, bool edged = true) {
    const ImU32 paper = ImGui::GetColorU32(ImGuiCol_WindowBg);
    const float edge = std::max(1.0f, r * 0.25f);
    switch (kind) {
    case Reporter::patient:
        if (edged) dl->AddCircleFilled(c, r + edge, paper, 12);
        dl->AddCircleFilled(c, r, ink, 12);
        break;
    case Reporter::caregiver: {
        const float h = r * 0.88f;
        if (edged)
            dl->AddRectFilled(ImVec2(c.x - h - edge, c.y - h - edge),
                              ImVec2(c.x + h + edge, c.y + h + edge), paper);
        dl->AddRectFilled(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), ink);
        break;
    }
    case Reporter::nurse: {
        auto tri = [&](float s, ImU32 col) {
            dl->AddTriangleFilled(ImVec2(c.x, c.y - s * 1.2f),
                                  ImVec2(c.x - s * 1.1f, c.y + s * 0.8f),
                                  ImVec2(c.x + s * 1.1f, c.y + s * 0.8f), col);
        };
        if (edged) tri(r + edge * 1.6f, paper);
        tri(r, ink);
        break;
    }
    }
}

// A legend entry: the marker (or what `draw` draws) in a square the size of the text, then
// its words.
template <class Draw> void legend(const char* words, Draw draw) {
    ImGui::SameLine(0, ImGui::GetFontSize() * 0.9f);
    const float side = ImGui::GetFontSize();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(side, side));
    draw(ImGui::GetWindowDrawList(), ImVec2(at.x + side * 0.5f, at.y + side * 0.55f), side);
    ImGui::SameLine(0, ImGui::GetFontSize() * 0.3f);
    ImGui::TextUnformatted(words);
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash,
                 float gap) {
    const float length = b.x - a.x;
    for (float x = 0; x < length; x += dash + gap)
        dl->AddLine(ImVec2(a.x + x, a.y), ImVec2(a.x + std::min(x + dash, length), b.y), col,
                    thickness);
}

std::string corrections_words(const app::HistoryEntry& e, const std::string& zone) {
    if (e.replaced.empty()) return {};
    std::string was;
    for (const auto& old : e.replaced)
        was += fmt::format("{}{}", was.empty() ? "" : ", before that ", old.value);
    return fmt::format("was {} (entered by {}); corrected by {} on {}: \u201C{}\u201D", was,
                       e.replaced.back().author, e.score.author,
                       short_time(e.score.recorded_at, zone), e.score.correction_reason);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

void HistoryView::start(bool nurse) {
    nurse_ = nurse;
    range_ = app::HistoryRange::month;
    history_.reset();
    have_.reset();
    asked_.reset();
    request_.reset();
    plain_.clear();
    chart_notes_.clear();
    when_.clear();
    ticks_.clear();
    ticks_width_ = -1;
    filter_ = -1;
    rows_.clear();
    rows_filter_ = -2;
    selected_.reset();
    chosen_ = false;
    scroll_to_selected_ = false;
    select_successor_of_ = 0;
    form_.reset();
    error_.clear();
    status_.clear();
    offered_correction_ = false;
}

void HistoryView::show(app::PatientHistory history, std::uint64_t picture_serial) {
    const std::optional<std::int64_t> selected_id =
        selected_ && history_ && *selected_ < history_->entries.size()
            ? std::optional(history_->entries[*selected_].score.id)
            : std::nullopt;
    history_ = std::move(history);
    ++loads_;
    have_ = Key{picture_serial, history_->range};
    asked_.reset();
    range_ = history_->range;
    error_.clear();
    const auto& h = *history_;
    const auto& zone = h.patient.time_zone;

    when_.assign(h.entries.size(), std::string());
    chart_notes_.clear();
    plain_.clear();
    std::vector<std::uint32_t> latest;
    for (const auto& c : h.charts) {
        std::string note;
        if (c.latest) {
            const auto& s = h.entries[*c.latest].score;
            auto day = short_time(s.observed_at, zone); // "Wed 25 Nov 10:37": the day will do
            if (const auto space = day.rfind(' '); space != std::string::npos) day.resize(space);
            note = fmt::format("latest {} {}, {}", s.value, label(band_of(s.value)), day);
            latest.push_back(*c.latest);
        } else {
            note = "no scores in these days";
        }
        if (!c.goals.empty()) note += fmt::format("  \u00B7  goal {}", c.goals.back().goal);
        chart_notes_.push_back(std::move(note));
    }
    std::sort(latest.begin(), latest.end()); // entries are newest first
    for (auto i : latest) {
        const auto& e = h.entries[i];
        plain_.push_back(
            plain_sentence(e.score.symptom, e.score.value, e.score.observed_at, h.taken_at, zone));
    }

    // Keep the selection on the same entry, or on the one that corrected it.
    selected_.reset();
    for (std::uint32_t i = 0; i < h.entries.size(); ++i) {
        const auto& e = h.entries[i];
        if ((selected_id && e.score.id == *selected_id) ||
            (select_successor_of_ != 0 && e.score.supersedes == select_successor_of_)) {
            selected_ = i;
            break;
        }
    }
    select_successor_of_ = 0;
    if (!selected_ && !h.entries.empty()) {
        selected_ = 0;
        chosen_ = false;
    }
    if (form_) { // the entry being corrected may have moved, or gone
        const auto it = std::find_if(h.entries.begin(), h.entries.end(),
                                     [&](const auto& e) { return e.score.id == form_->score_id; });
        if (it == h.entries.end())
            form_.reset();
        else
            form_->entry = std::uint32_t(it - h.entries.begin());
    }
}

void HistoryView::refuse(std::string why) {
    error_ = std::move(why);
    if (asked_) {
        have_ = asked_;
        asked_.reset();
    }
}

void HistoryView::corrected(std::string message) {
    if (form_) select_successor_of_ = form_->score_id;
    form_.reset();
    error_.clear();
    status_ = std::move(message);
}

std::optional<HistoryView::Request> HistoryView::take_request() {
    auto r = std::move(request_);
    request_.reset();
    return r;
}

void HistoryView::request_load_if_stale(const app::PatientPicture& picture) {
    const Key want{picture.serial, range_};
    if (have_ == want || asked_ == want) return;
    if (request_) return; // a correction is on its way; the load follows it
    asked_ = want;
    request_ = Request{Request::load, range_, 0, 0, {}};
}

void HistoryView::draw(const app::PatientPicture& picture) {
    offered_correction_ = false;
    request_load_if_stale(picture);

    draw_toolbar();
    if (!history_ || history_->patient.id != picture.patient.id) {
        if (!error_.empty())
            error_message(error_);
        else
            muted("Reading the history\u2026");
        return;
    }

    rebuild_rows();
    // Keys: choose an entry, start its correction.
    const bool down = key_pressed(keys::down), up = key_pressed(keys::up);
    if (!ImGui::GetIO().WantTextInput && !form_ && !rows_.empty()) {
        // Looked up only on a key: rows_ may hold every entry of years.
        const auto pos = selected_ && (down || up)
                             ? std::find(rows_.begin(), rows_.end(), *selected_)
                             : rows_.end();
        if (down) {
            select(pos == rows_.end() ? rows_.front() : *std::min(pos + 1, rows_.end() - 1), true);
        } else if (up) {
            select(pos == rows_.end() || pos == rows_.begin() ? rows_.front() : *(pos - 1), true);
        } else if (nurse_ && enter_pressed() && selected_ &&
                   std::find(rows_.begin(), rows_.end(), *selected_) != rows_.end()) {
            open_form(*selected_); // only an entry the table shows
        }
    }
    if (form_ && key_pressed(keys::escape)) {
        form_.reset();
        error_.clear();
    }

    if (!nurse_) draw_plain_words();
    draw_charts();
    ImGui::Spacing();
    if (nurse_)
        draw_form(); // with the reason a correction or a reload was refused
    else if (!error_.empty())
        error_message(error_);
    draw_table();
}

void HistoryView::draw_toolbar() {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Show:");
    for (const auto& b : range_buttons) {
        ImGui::SameLine();
        const bool chosen = range_ == b.range;
        if (chosen) {
            ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.0f, 0.32f, 0.61f, 1.0f));
            ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.0f, 0.32f, 0.61f, 1.0f));
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        }
        if (button(b.label) && !chosen) {
            range_ = b.range;
            form_.reset();
            status_.clear();
        }
        if (chosen) ImGui::PopStyleColor(3);
    }

    // The legend, on the same line when it fits.
    const float fs = ImGui::GetFontSize();
    const float r = fs * 0.3f;
    float legend_width = ImGui::CalcTextSize("Key:").x + fs * 1.5f;
    for (const char* words : {"Patient", "Caregiver", "Nurse", "Comfort goal", "Flag"})
        legend_width += ImGui::CalcTextSize(words).x + fs * 2.2f;
    ImGui::SameLine(0, fs * 1.5f);
    if (ImGui::GetContentRegionAvail().x < legend_width) ImGui::NewLine();
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::TextUnformatted("Key:");
    ImGui::PopStyleColor();
    for (auto kind : reporter_kinds)
        legend(reporter_label(kind), [&](ImDrawList* dl, ImVec2 c, float) {
            marker(dl, c, r, kind, reporter_ink(kind));
        });
    legend("Comfort goal", [&](ImDrawList* dl, ImVec2 c, float side) {
        dashed_line(dl, ImVec2(c.x - side * 0.6f, c.y), ImVec2(c.x + side * 0.6f, c.y), goal_ink(),
                    2.5f, side * 0.35f, side * 0.2f);
    });
    legend("Flag", [&](ImDrawList* dl, ImVec2 c, float) {
        dl->AddCircle(c, r * 1.9f, flag_ring(Severity::urgent), 16, 2.5f);
        marker(dl, c, r, Reporter::patient, reporter_ink(Reporter::patient));
    });

    if (history_) {
        const auto& zone = history_->patient.time_zone;
        std::string about = fmt::format("Times are the patient's own clock ({}). A ring marks a "
                                        "flag: red urgent, orange warning, blue info.",
                                        zone);
        if (history_->thinned)
            about += " Over this long a chart shows the highest score of each few days; the "
                     "table lists every entry.";
        muted(about);
    }
}

void HistoryView::draw_plain_words() {
    heading("Latest scores");
    if (plain_.empty()) {
        paragraph("Nothing has been recorded in these days.");
        return;
    }
    // plain_ follows the latest entries newest first; the reporter goes beside each sentence.
    std::vector<std::uint32_t> latest;
    for (const auto& c : history_->charts)
        if (c.latest) latest.push_back(*c.latest);
    std::sort(latest.begin(), latest.end());
    for (std::size_t i = 0; i < plain_.size() && i < latest.size(); ++i) {
        const auto& e = history_->entries[latest[i]];
        ImGui::TextUnformatted(plain_[i].c_str());
        const auto who = fmt::format("\u2014 {}{}", reporter_words(e.score.reporter),
                                     e.replaced.empty() ? "" : " (corrected)");
        same_line_if_fits(ImGui::CalcTextSize(who.c_str()).x);
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextUnformatted(who.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Spacing();
}

void HistoryView::draw_charts() {
    const auto& charts = history_->charts;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x * 2;
    // Two side by side when each still gets a readable width.
    const int columns = avail >= ImGui::GetFontSize() * 56 ? 2 : 1;
    const float width = (avail - spacing * float(columns - 1)) / float(columns);
    // Each chart in a child window of its own: its own draw list, so years of points never
    // run one list past ImGui's 65,536 vertices (16-bit indices; the OpenGL 3.0 backend
    // cannot offset them).
    const float height = ImGui::GetTextLineHeightWithSpacing() + chart_plot_height() +
                         ImGui::GetTextLineHeight() + ImGui::GetFontSize() * 0.5f;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    for (std::size_t i = 0; i < charts.size(); ++i) {
        if (i % std::size_t(columns) != 0) ImGui::SameLine(0, spacing);
        ImGui::PushID(int(i));
        // The wheel goes on to the History's scroll: nothing overflows in here.
        ImGui::BeginChild("chart", ImVec2(width, height), false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        draw_chart(charts[i], width, i);
        ImGui::EndChild();
        ImGui::PopID();
    }
    ImGui::PopStyleVar();
}

float HistoryView::chart_plot_height() const {
    return ImGui::GetFontSize() * 7.0f;
}

const std::vector<HistoryView::Tick>& HistoryView::ticks(float width) {
    if (ticks_for_ == loads_ && ticks_width_ == width) return ticks_;
    ticks_for_ = loads_;
    ticks_width_ = width;
    ticks_.clear();
    const auto& h = *history_;
    const date::time_zone* zone = nullptr;
    try {
        zone = find_zone(h.patient.time_zone);
    } catch (const std::exception&) {
        zone = date::locate_zone("UTC");
    }
    const double span = double((h.to - h.from).count());
    if (span <= 0) return ticks_;
    const auto local_from = date::zoned_seconds{zone, h.from}.get_local_time();
    const auto local_to = date::zoned_seconds{zone, h.to}.get_local_time();
    const double days = span / 86400.0;
    const double room = std::max(2.0, double(width / (ImGui::GetFontSize() * 5.5f)));
    auto add = [&](date::local_days day, const std::string& label) {
        const auto at = resolve_local(zone, date::local_seconds{day});
        if (at < h.from || at > h.to) return;
        ticks_.push_back({float(double((at - h.from).count()) / span), label});
    };
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const auto first_day = date::floor<date::days>(local_from) + date::days{1};
    const auto last_day = date::floor<date::days>(local_to);
    int step_days = 0;
    for (int step : {1, 2, 7, 14})
        if (days / step <= room) {
            step_days = step;
            break;
        }
    if (step_days > 0) {
        for (auto d = first_day; d <= last_day; d += date::days{1}) {
            const date::weekday wd{d};
            // Weeks start on Monday; single days count from the range's first.
            if (step_days >= 7 ? wd != date::Monday : (d - first_day).count() % step_days != 0)
                continue;
            if (step_days >= 7 && step_days == 14 && ((d - first_day).count() / 7) % 2 != 0)
                continue;
            const date::year_month_day ymd{d};
            add(d,
                step_days <= 2 && days <= 10
                    ? fmt::format("{} {}", weekdays[wd.c_encoding()], unsigned(ymd.day()))
                    : fmt::format("{} {}", unsigned(ymd.day()), months[unsigned(ymd.month()) - 1]));
        }
        return ticks_;
    }
    int step_months = 12;
    for (int step : {1, 2, 3, 6, 12})
        if (days / (30.4 * step) <= room) {
            step_months = step;
            break;
        }
    date::year_month ym{date::year_month_day{date::floor<date::days>(local_from)}.year(),
                        date::year_month_day{date::floor<date::days>(local_from)}.month()};
    ym += date::months{1};
    for (; date::local_days{ym / 1} <= last_day; ym += date::months{1}) {
        const int m = int(unsigned(ym.month())) - 1;
        if (m % step_months != 0) continue;
        // Years alone when a tick is a year; a month's name, with its year in January.
        add(date::local_days{ym / 1}, step_months == 12 ? fmt::format("{}", int(ym.year()))
                                      : m == 0 ? fmt::format("{} {}", months[m], int(ym.year()))
                                               : std::string(months[m]));
    }
    return ticks_;
}

void HistoryView::draw_chart(const app::SymptomChart& chart, float width, std::size_t index) {
    const auto& h = *history_;
    const float fs = ImGui::GetFontSize();
    ImDrawList* dl = ImGui::GetWindowDrawList();

    // The title line: symptom, then its latest score and goal.
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted(std::string(info(chart.symptom).label).c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::TextUnformatted(index < chart_notes_.size() ? chart_notes_[index].c_str() : "");
    ImGui::PopStyleColor();

    const float left = ImGui::CalcTextSize("10").x + fs * 0.4f;
    const float right = ImGui::CalcTextSize("moderate").x + fs * 0.5f;
    const float below = ImGui::GetTextLineHeight() + fs * 0.3f;
    const float height = chart_plot_height();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 p0(origin.x + left, origin.y);
    const ImVec2 p1(origin.x + std::max(left + fs * 4, width - right), origin.y + height);
    ImGui::InvisibleButton("chart", ImVec2(width, height + below));
    const bool hovered = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked();

    // Values from -0.5 to 10.5, so each score sits in the middle of its step.
    auto y_of = [&](double v) { return float(p1.y - (v + 0.5) / 11.0 * double(p1.y - p0.y)); };
    // Many points (a long range): smaller markers without their paper edge, which would only
    // blur together.
    const bool dense = chart.points.size() > 90;
    const float r = fs * (dense ? 0.22f : 0.28f);
    const float inner0 = p0.x + r * 2, inner1 = p1.x - r * 2;
    const double span = std::max<double>(1.0, double((h.to - h.from).count()));
    auto x_of = [&](Instant t) {
        return float(inner0 + double((t - h.from).count()) / span * double(inner1 - inner0));
    };

    // Severity bands, labelled in the right margin.
    struct BandRow {
        Band band;
        double lo, hi;
    };
    const BandRow bands[] = {{Band::none, -0.5, 0.5},
                             {Band::mild, 0.5, 3.5},
                             {Band::moderate, 3.5, 6.5},
                             {Band::severe, 6.5, 10.5}};
    const ImU32 muted_col = ImGui::GetColorU32(muted_ink());
    for (const auto& b : bands) {
        dl->AddRectFilled(ImVec2(p0.x, y_of(b.hi)), ImVec2(p1.x, y_of(b.lo)), band_fill(b.band));
        const auto words = label(b.band);
        const float ty = (y_of(b.hi) + y_of(b.lo)) * 0.5f - ImGui::GetTextLineHeight() * 0.5f;
        dl->AddText(ImVec2(p1.x + fs * 0.3f, ty), muted_col, words.data(),
                    words.data() + words.size());
    }
    for (int v : {0, 5, 10}) {
        const auto text = std::to_string(v);
        const float tw = ImGui::CalcTextSize(text.c_str()).x;
        dl->AddText(ImVec2(p0.x - tw - fs * 0.25f, y_of(v) - ImGui::GetTextLineHeight() * 0.5f),
                    muted_col, text.c_str());
    }

    // Dates along the bottom, a faint line up through the bands at each.
    const ImU32 grid = light() ? rgb(0, 0, 0, 40) : rgb(255, 255, 255, 40);
    float last_label_end = -1e9f;
    for (const auto& t : ticks(p1.x - p0.x)) {
        const float x = inner0 + t.at * (inner1 - inner0);
        dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), grid);
        const float tw = ImGui::CalcTextSize(t.label.c_str()).x;
        const float tx = std::clamp(x - tw * 0.5f, p0.x, p1.x - tw);
        if (tx < last_label_end + fs * 0.5f) continue;
        dl->AddText(ImVec2(tx, p1.y + fs * 0.15f), muted_col, t.label.c_str());
        last_label_end = tx + tw;
    }
    dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border));

    // The comfort goal, as a dashed line across the time it was in force.
    for (std::size_t i = 0; i < chart.goals.size(); ++i) {
        const auto& g = chart.goals[i];
        const float xa = g.set_at <= h.from ? p0.x : x_of(g.set_at);
        const float xb = i + 1 < chart.goals.size() ? x_of(chart.goals[i + 1].set_at) : p1.x;
        dashed_line(dl, ImVec2(xa, y_of(g.goal)), ImVec2(xb, y_of(g.goal)), goal_ink(), 2.5f,
                    fs * 0.5f, fs * 0.3f);
    }

    if (chart.points.empty()) {
        const char* none = "No scores in these days";
        const ImVec2 tsz = ImGui::CalcTextSize(none);
        dl->AddText(ImVec2((p0.x + p1.x - tsz.x) * 0.5f, (p0.y + p1.y - tsz.y) * 0.5f), muted_col,
                    none);
        return;
    }

    // One line per kind of reporter: proxies rate differently and are compared only with
    // their own kind.
    for (auto kind : reporter_kinds) {
        ImVec2 prev;
        bool have_prev = false;
        const ImU32 col = (reporter_ink(kind) & ~IM_COL32_A_MASK) | (150u << IM_COL32_A_SHIFT);
        for (const auto& pt : chart.points) {
            if (pt.reporter != kind) continue;
            const ImVec2 at(x_of(pt.at), y_of(pt.value));
            if (have_prev) dl->AddLine(prev, at, col, 1.5f);
            prev = at;
            have_prev = true;
        }
    }

    // Points, flags ringed; the one under the pointer found on the way.
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const app::ChartPoint* nearest = nullptr;
    float nearest_d2 = (fs * 0.7f) * (fs * 0.7f);
    for (const auto& pt : chart.points) {
        const ImVec2 at(x_of(pt.at), y_of(pt.value));
        if (pt.flag) dl->AddCircle(at, r * 1.9f, flag_ring(*pt.flag), 16, 2.5f);
        marker(dl, at, r, pt.reporter, reporter_ink(pt.reporter), !dense);
        if (hovered) {
            const float dx = at.x - mouse.x, dy = at.y - mouse.y;
            if (dx * dx + dy * dy <= nearest_d2) {
                nearest_d2 = dx * dx + dy * dy;
                nearest = &pt;
            }
        }
    }
    if (selected_ && chosen_) // the entry chosen in the table, outlined here too
        for (const auto& pt : chart.points)
            if (pt.entry == *selected_)
                dl->AddCircle(ImVec2(x_of(pt.at), y_of(pt.value)), r * 2.6f,
                              ImGui::GetColorU32(ImGuiCol_Text), 20, 2.0f);
    if (nearest) {
        dl->AddCircle(ImVec2(x_of(nearest->at), y_of(nearest->value)), r * 2.6f,
                      ImGui::GetColorU32(ImGuiCol_NavHighlight), 20, 2.5f);
        entry_tooltip(h.entries[nearest->entry]);
        if (clicked) {
            filter_ = -1;
            select(nearest->entry, true);
        }
    }
}

void HistoryView::entry_tooltip(const app::HistoryEntry& e) {
    const auto& zone = history_->patient.time_zone;
    const auto& s = e.score;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26);
    ImGui::TextUnformatted(time_with_zone(s.observed_at, zone).c_str());
    ImGui::PushFont(fonts().bold);
    ImGui::Text("%s: %s", std::string(info(s.symptom).label).c_str(), band_words(s.value).c_str());
    ImGui::PopFont();
    ImGui::Text("Reported by: %s", reporter_label(s.reporter));
    if (documented_late(e)) {
        const auto& first = e.replaced.empty() ? s : e.replaced.back();
        ImGui::TextWrapped("Documented late: entered %s, %s after.",
                           time_with_zone(first.recorded_at, zone).c_str(),
                           span_words(std::chrono::duration_cast<std::chrono::minutes>(
                                          first.recorded_at - first.observed_at))
                               .c_str());
    }
    ImGui::Text("Entered by: %s",
                (e.replaced.empty() ? s.author : e.replaced.back().author).c_str());
    if (!s.note.empty()) ImGui::TextWrapped("Note: %s", s.note.c_str());
    if (nurse_ && !e.prn_effect.empty())
        ImGui::TextWrapped("After an as-needed dose: %s", e.prn_effect.c_str());
    if (e.flag) {
        ImGui::TextWrapped("Flag (%s, %s%s): %s", std::string(code(*e.flag)).c_str(),
                           rule_words(e.flag_rule).c_str(),
                           e.flag_acknowledged ? ", acknowledged" : "", e.flag_detail.c_str());
    }
    if (!e.replaced.empty())
        ImGui::TextWrapped("Corrected: %s", corrections_words(e, zone).c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void HistoryView::select(std::uint32_t entry, bool scroll) {
    selected_ = entry;
    chosen_ = true;
    scroll_to_selected_ = scroll;
}

void HistoryView::open_form(std::uint32_t entry) {
    if (!nurse_ || !history_ || entry >= history_->entries.size()) return;
    Form f;
    f.entry = entry;
    f.score_id = history_->entries[entry].score.id;
    form_ = std::move(f);
    selected_ = entry;
    chosen_ = true;
    error_.clear();
    status_.clear();
}

void HistoryView::submit_form() {
    if (!form_ || !history_) return;
    const auto value_text = trim(form_->value);
    int value = -1;
    if (!value_text.empty() && value_text.size() <= 2 &&
        std::all_of(value_text.begin(), value_text.end(),
                    [](char c) { return c >= '0' && c <= '9'; }))
        value = std::stoi(std::string(value_text));
    if (value < min_score || value > max_score) {
        error_ = "Type the new score: a whole number from 0 (none) to 10 (worst possible).";
        form_->focus_value = true;
        return;
    }
    if (value == history_->entries[form_->entry].score.value) {
        error_ = fmt::format("The score is already {}; type the value it should be.", value);
        form_->focus_value = true;
        return;
    }
    if (trim(form_->reason).empty()) {
        error_ = "Write why it is corrected (e.g. \u201Ctyped 8, meant 3\u201D): a correction "
                 "needs a reason.";
        form_->focus_reason = true;
        return;
    }
    error_.clear();
    request_ =
        Request{Request::correct, range_, form_->score_id, value, std::string(trim(form_->reason))};
}

void HistoryView::draw_form() {
    if (!form_) {
        if (!status_.empty()) ImGui::TextColored(good_ink(), "%s", status_.c_str());
        if (!error_.empty()) error_message(error_);
        return;
    }
    if (form_->entry >= history_->entries.size()) {
        form_.reset();
        return;
    }
    const auto& e = history_->entries[form_->entry];
    const auto& zone = history_->patient.time_zone;
    offered_correction_ = true;
    ImGui::PushFont(fonts().bold);
    paragraph(fmt::format("Correct {} {}, {}, reported by the {}", info(e.score.symptom).label,
                          band_words(e.score.value), short_time(e.score.observed_at, zone),
                          code(e.score.reporter)));
    ImGui::PopFont();

    const float fs = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("New score");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("10").x + fs * 1.6f);
    if (form_->focus_value) {
        ImGui::SetKeyboardFocusHere();
        form_->focus_value = false;
    }
    if (ImGui::InputText("##value", &form_->value,
                         ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue))
        form_->focus_reason = true;
    // Tab goes on to the reason whichever window has ImGui's focus (a click in the table
    // leaves it on the table, where ImGui's own tabbing would look).
    if (ImGui::IsItemActive() && key_pressed(keys::tab) && !ImGui::GetIO().KeyShift)
        form_->focus_reason = true;
    ImGui::SameLine();
    ImGui::TextUnformatted("of 10.   Reason");
    ImGui::SameLine();
    const float buttons =
        ImGui::CalcTextSize("Save correction").x + ImGui::CalcTextSize("Cancel").x + fs * 3.5f;
    ImGui::SetNextItemWidth(std::max(fs * 10, ImGui::GetContentRegionAvail().x - buttons));
    if (form_->focus_reason) {
        ImGui::SetKeyboardFocusHere();
        form_->focus_reason = false;
    }
    const bool enter =
        ImGui::InputTextWithHint("##reason", "why, e.g. typed 8, meant 3", &form_->reason,
                                 ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    const bool save = button("Save correction");
    ImGui::SameLine();
    if (button("Cancel")) {
        form_.reset();
        error_.clear();
        return;
    }
    if (enter || save) submit_form();
    if (!error_.empty())
        error_message(error_);
    else
        muted("The entry keeps what it replaced: both stay in the history. Escape cancels.");
    ImGui::Spacing();
}

void HistoryView::rebuild_rows() {
    if (rows_for_ == loads_ && rows_filter_ == filter_) return;
    rows_for_ = loads_;
    rows_filter_ = filter_;
    rows_.clear();
    const auto& entries = history_->entries;
    for (std::uint32_t i = 0; i < entries.size(); ++i)
        if (filter_ < 0 || int(entries[i].score.symptom) == filter_) rows_.push_back(i);
}

bool HistoryView::documented_late(const app::HistoryEntry& e) const {
    // The first entry of a correction chain says when it was documented.
    const auto& first = e.replaced.empty() ? e.score : e.replaced.back();
    return app::documented_late(history_->timing, first.observed_at, first.recorded_at);
}

const std::string& HistoryView::when_text(std::uint32_t entry) {
    auto& s = when_[entry];
    if (s.empty())
        s = short_time(history_->entries[entry].score.observed_at, history_->patient.time_zone);
    return s;
}

void HistoryView::draw_table() {
    const auto& entries = history_->entries;
    const float fs = ImGui::GetFontSize();

    ImGui::AlignTextToFramePadding();
    heading(fmt::format("Entries ({})", entries.size()));
    ImGui::SameLine(0, fs * 1.5f);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Symptom:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fs * 11);
    const std::string current =
        filter_ < 0 ? "All symptoms" : std::string(info(Symptom(filter_)).label);
    if (ImGui::BeginCombo("##symptom", current.c_str())) {
        if (ImGui::Selectable("All symptoms", filter_ < 0)) filter_ = -1;
        for (const auto& c : history_->charts)
            if (ImGui::Selectable(std::string(info(c.symptom).label).c_str(),
                                  filter_ == int(c.symptom)))
                filter_ = int(c.symptom);
        ImGui::EndCombo();
    }
    if (nurse_) {
        ImGui::SameLine(0, fs * 1.5f);
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextUnformatted("Up and Down choose an entry, Enter corrects it.");
        ImGui::PopStyleColor();
    }
    rebuild_rows();
    if (rows_.empty()) {
        muted("No entries in these days.");
        return;
    }

    const float row_height = ImGui::GetFrameHeight() + ImGui::GetStyle().CellPadding.y * 2;
    const float wanted = row_height * (float(rows_.size()) + 1.2f);
    const float height = std::clamp(wanted, row_height * 4, row_height * 14);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit;
    // Family accounts read larger text: who entered a score, and its flag (on the Flags tab),
    // give way to the note.
    const int columns = nurse_ ? 8 : 5;
    // Room for the longest time (another year's) and its "late entry" mark.
    const float when_width = ImGui::CalcTextSize("Wed 30 Sep 2026 20:49").x +
                             ImGui::CalcTextSize("late entry").x + fs * 0.6f;
    // Too narrow for every column and a readable note (800 px, Larger text): the table scrolls
    // sideways, its time column staying in view, rather than squeezing columns to one letter.
    const float fixed = when_width + fs * (9.0f + 6.6f + 5.6f) +
                        (nurse_ ? fs * (4.4f + 5.0f + 4.8f) : 0.0f) +
                        ImGui::GetStyle().CellPadding.x * 2.0f * float(columns);
    const float inner = std::max(ImGui::GetContentRegionAvail().x, fixed + fs * 6.0f);
    if (!ImGui::BeginTable("entries", columns, flags, ImVec2(0, height), inner)) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("When", ImGuiTableColumnFlags_WidthFixed, when_width);
    ImGui::TableSetupColumn("Symptom", ImGuiTableColumnFlags_WidthFixed, fs * 9.0f);
    ImGui::TableSetupColumn("Score", ImGuiTableColumnFlags_WidthFixed, fs * 6.6f);
    if (nurse_) ImGui::TableSetupColumn("Flag", ImGuiTableColumnFlags_WidthFixed, fs * 4.4f);
    ImGui::TableSetupColumn("Reported by", ImGuiTableColumnFlags_WidthFixed, fs * 5.6f);
    if (nurse_) ImGui::TableSetupColumn("Entered by", ImGuiTableColumnFlags_WidthFixed, fs * 5.0f);
    ImGui::TableSetupColumn("Note, correction", ImGuiTableColumnFlags_WidthStretch);
    if (nurse_) ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, fs * 4.8f);
    ImGui::TableHeadersRow();

    // Every row is one line of frame height, so the clipper can skip the rows out of sight.
    const float pad = ImGui::GetStyle().FramePadding.y;
    ImGuiListClipper clipper;
    clipper.Begin(int(rows_.size()), row_height);
    if (scroll_to_selected_ && selected_) {
        const auto it = std::find(rows_.begin(), rows_.end(), *selected_);
        if (it != rows_.end()) {
            const int at = int(it - rows_.begin());
            clipper.ForceDisplayRangeByIndices(at, at + 1);
        } else {
            scroll_to_selected_ = false; // not in this symptom's rows
        }
    }
    auto text_cell = [&](std::string_view text) {
        ImGui::TableNextColumn();
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + pad);
        ImGui::TextUnformatted(text.data(), text.data() + text.size());
    };
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const std::uint32_t i = rows_[std::size_t(row)];
            const auto& e = entries[i];
            const auto& s = e.score;
            ImGui::TableNextRow(ImGuiTableRowFlags_None, row_height);
            ImGui::PushID(int(i));
            ImGui::TableNextColumn();
            const bool is_selected = selected_ && *selected_ == i;
            const ImVec2 cell = ImGui::GetCursorPos();
            if (ImGui::Selectable("##row", is_selected,
                                  ImGuiSelectableFlags_SpanAllColumns |
                                      ImGuiSelectableFlags_AllowItemOverlap,
                                  ImVec2(0, ImGui::GetFrameHeight())))
                select(i, false);
            if (ImGui::IsItemHovered()) entry_tooltip(e);
            if (is_selected && scroll_to_selected_) {
                ImGui::SetScrollHereY(0.5f);
                scroll_to_selected_ = false;
            }
            ImGui::SetCursorPos(ImVec2(cell.x, cell.y + pad));
            ImGui::TextUnformatted(when_text(i).c_str());
            if (documented_late(e)) {
                ImGui::SameLine(0, fs * 0.3f);
                ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
                ImGui::TextUnformatted("late entry");
                ImGui::PopStyleColor();
            }

            text_cell(info(s.symptom).label);

            ImGui::TableNextColumn();
            ImGui::SetCursorPosY(ImGui::GetCursorPosY() + pad);
            ImGui::PushFont(fonts().bold);
            ImGui::Text("%d", s.value);
            ImGui::PopFont();
            ImGui::SameLine(0, fs * 0.3f);
            ImGui::TextUnformatted(std::string(label(band_of(s.value))).c_str());
            if (!e.replaced.empty()) {
                ImGui::SameLine(0, fs * 0.3f);
                ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
                ImGui::Text("was %d", e.replaced.front().value);
                ImGui::PopStyleColor();
            }

            if (nurse_) {
                ImGui::TableNextColumn();
                ImGui::SetCursorPosY(ImGui::GetCursorPosY() + pad);
                if (e.flag) pill(code(*e.flag), severity_fill(*e.flag), severity_ink(*e.flag));
            }

            text_cell(reporter_label(s.reporter));
            if (nurse_) text_cell(e.replaced.empty() ? s.author : e.replaced.back().author);

            ImGui::TableNextColumn();
            ImGui::SetCursorPosY(ImGui::GetCursorPosY() + pad);
            if (nurse_ && !e.prn_effect.empty()) {
                // Did the as-needed dose help? "pain 8 → 4, 40 min after morphine-ir".
                ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
                ImGui::TextUnformatted(e.prn_effect.c_str());
                ImGui::PopStyleColor();
                ImGui::SameLine(0, fs * 0.6f);
            }
            if (!e.replaced.empty()) {
                pill("corrected", severity_fill(Severity::info), severity_ink(Severity::info));
                ImGui::SameLine(0, fs * 0.4f);
                // The whole story (what it was, who entered and who corrected it, when) is in
                // the tooltip; the row keeps the reason.
                const auto words =
                    fmt::format("\u201C{}\u201D {}{}", s.correction_reason, s.author,
                                s.note.empty() ? std::string() : "  \u00B7  " + s.note);
                ImGui::TextUnformatted(words.c_str());
            } else {
                ImGui::TextUnformatted(s.note.c_str());
            }

            if (nurse_) {
                ImGui::TableNextColumn();
                offered_correction_ = true;
                if (button("Correct")) open_form(i);
            }
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

} // namespace solace::ui
