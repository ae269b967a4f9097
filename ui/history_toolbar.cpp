// The History view's toolbar: the range shown, scores or visits, and the key to the charts'
// marks.
#include <algorithm>

#include <fmt/format.h>
#include <imgui.h>

#include "history_marks.hpp"
#include "history_view.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace solace::ui {

using namespace history_marks;

namespace {

struct RangeButton {
    app::HistoryRange range;
    const char* label;
};
constexpr RangeButton range_buttons[] = {{app::HistoryRange::week, "7 days"},
                                         {app::HistoryRange::month, "30 days"},
                                         {app::HistoryRange::quarter, "90 days"},
                                         {app::HistoryRange::all, "All"}};

constexpr const char* scores_label = "Scores";
constexpr const char* visits_label = "Visits and notes";

} // namespace

void HistoryView::draw_toolbar() {
    const float fs = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Show:");
    for (const auto& b : range_buttons) {
        ImGui::SameLine();
        if (choice_button(b.label, range_ == b.range) && range_ != b.range) {
            range_ = b.range;
            form_.reset();
            status_.clear();
        }
    }
    const float parts = ImGui::CalcTextSize(scores_label).x + ImGui::CalcTextSize(visits_label).x +
                        ImGui::GetStyle().FramePadding.x * 4 + ImGui::GetStyle().ItemSpacing.x;
    same_line_if_fits(parts, fs * 1.5f);
    if (choice_button(scores_label, part_ == Part::scores)) part_ = Part::scores;
    ImGui::SameLine();
    if (choice_button(visits_label, part_ == Part::visits)) part_ = Part::visits;
    if (part_ == Part::visits) return; // the search goes on this line when it fits

    // The legend, on the same line when it fits.
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
        std::string about =
            nurse_ ? fmt::format("Times are the patient's own clock ({}). A ring marks a flag: "
                                 "red urgent, orange warning, blue info.",
                                 zone)
                   : say(Phrase::history_about, zone);
        if (history_->thinned)
            about += " Over this long a chart shows the highest score of each few days; the "
                     "table lists every entry.";
        muted(about);
    }
}

} // namespace solace::ui
