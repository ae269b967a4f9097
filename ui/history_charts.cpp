// The History view's charts: one per symptom, severity bands behind, a line and markers per
// kind of reporter, the comfort goal dashed, flags ringed, dates along the bottom; then the PPS
// (Palliative Performance Scale, 0..100%) over the same days.
#include <algorithm>

#include <date/tz.h>
#include <fmt/format.h>
#include <imgui.h>

#include "fonts.hpp"
#include "history_marks.hpp"
#include "history_view.hpp"
#include "theme.hpp"
#include "wording.hpp"

namespace solace::ui {

using namespace history_marks;

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
    // Then the PPS, for nurses: a clinician's scale; family accounts read the plain words.
    const std::size_t count = charts.size() + (nurse_ ? 1 : 0);
    for (std::size_t i = 0; i < count; ++i) {
        if (i % std::size_t(columns) != 0) ImGui::SameLine(0, spacing);
        ImGui::PushID(int(i));
        // The wheel goes on to the History's scroll: nothing overflows in here.
        ImGui::BeginChild("chart", ImVec2(width, height), false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        if (i < charts.size())
            draw_chart(charts[i], width, i);
        else
            draw_pps_chart(width);
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

void HistoryView::draw_pps_chart(float width) {
    const auto& h = *history_;
    const float fs = ImGui::GetFontSize();
    ImDrawList* dl = ImGui::GetWindowDrawList();

    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted("PPS");
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::TextUnformatted(pps_note_.c_str());
    ImGui::PopStyleColor();

    const float left = ImGui::CalcTextSize("100").x + fs * 0.4f;
    const float right = ImGui::CalcTextSize("moderate").x + fs * 0.5f; // as the symptom charts
    const float below = ImGui::GetTextLineHeight() + fs * 0.3f;
    const float height = chart_plot_height();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 p0(origin.x + left, origin.y);
    const ImVec2 p1(origin.x + std::max(left + fs * 4, width - right), origin.y + height);
    ImGui::InvisibleButton("pps", ImVec2(width, height + below));
    const bool hovered = ImGui::IsItemHovered();

    // 0..100 with half a step (5) spare at each end, so 0 and 100 sit inside the frame.
    auto y_of = [&](double v) { return float(p1.y - (v + 5.0) / 110.0 * double(p1.y - p0.y)); };
    const float r = fs * 0.28f;
    const float inner0 = p0.x + r * 2, inner1 = p1.x - r * 2;
    const double span = std::max<double>(1.0, double((h.to - h.from).count()));
    auto x_of = [&](Instant t) {
        return float(inner0 + double((t - h.from).count()) / span * double(inner1 - inner0));
    };

    const ImU32 muted_col = ImGui::GetColorU32(muted_ink());
    const ImU32 grid = light() ? rgb(0, 0, 0, 40) : rgb(255, 255, 255, 40);
    dl->AddRectFilled(p0, p1, band_fill(Band::none));
    for (int v : {0, 50, 100}) {
        const auto text = std::to_string(v);
        const float tw = ImGui::CalcTextSize(text.c_str()).x;
        dl->AddLine(ImVec2(p0.x, y_of(v)), ImVec2(p1.x, y_of(v)), grid);
        dl->AddText(ImVec2(p0.x - tw - fs * 0.25f, y_of(v) - ImGui::GetTextLineHeight() * 0.5f),
                    muted_col, text.c_str());
    }
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

    if (h.pps.empty()) {
        const char* none = "No PPS in these days";
        const ImVec2 tsz = ImGui::CalcTextSize(none);
        dl->AddText(ImVec2((p0.x + p1.x - tsz.x) * 0.5f, (p0.y + p1.y - tsz.y) * 0.5f), muted_col,
                    none);
        return;
    }
    // A line through the points (oldest first), each a nurse's triangle as on the key.
    const ImU32 ink = reporter_ink(Reporter::nurse);
    const ImU32 line_col = (ink & ~IM_COL32_A_MASK) | (150u << IM_COL32_A_SHIFT);
    const bool dense = h.pps.size() > 90;
    for (std::size_t i = 1; i < h.pps.size(); ++i)
        dl->AddLine(ImVec2(x_of(h.pps[i - 1].observed_at), y_of(h.pps[i - 1].value)),
                    ImVec2(x_of(h.pps[i].observed_at), y_of(h.pps[i].value)), line_col, 1.5f);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const PpsScore* nearest = nullptr;
    float nearest_d2 = (fs * 0.7f) * (fs * 0.7f);
    for (const auto& pt : h.pps) {
        const ImVec2 at(x_of(pt.observed_at), y_of(pt.value));
        marker(dl, at, dense ? fs * 0.22f : r, pt.reporter, reporter_ink(pt.reporter), !dense);
        const float dx = at.x - mouse.x, dy = at.y - mouse.y;
        if (hovered && dx * dx + dy * dy <= nearest_d2) {
            nearest_d2 = dx * dx + dy * dy;
            nearest = &pt;
        }
    }
    if (nearest) {
        dl->AddCircle(ImVec2(x_of(nearest->observed_at), y_of(nearest->value)), r * 2.6f,
                      ImGui::GetColorU32(ImGuiCol_NavHighlight), 20, 2.5f);
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(time_with_zone(nearest->observed_at, h.patient.time_zone).c_str());
        ImGui::PushFont(fonts().bold);
        ImGui::Text("PPS %d%%", nearest->value);
        ImGui::PopFont();
        ImGui::Text("Entered by: %s", nearest->author.c_str());
        ImGui::EndTooltip();
    }
}

} // namespace solace::ui
