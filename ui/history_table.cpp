// The History view's table of entries: every score of the range, newest first, with what
// corrected it; a tooltip tells an entry's whole story.
#include <algorithm>

#include <fmt/format.h>
#include <imgui.h>

#include "fonts.hpp"
#include "history_marks.hpp"
#include "history_view.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

using namespace history_marks;

namespace {

std::string corrections_words(const app::HistoryEntry& e, const std::string& zone) {
    if (e.replaced.empty()) return {};
    std::string was;
    for (const auto& old : e.replaced)
        was += fmt::format("{}{}", was.empty() ? "" : ", before that ", old.value);
    return fmt::format("was {} (entered by {}); corrected by {} on {}: \u201C{}\u201D", was,
                       e.replaced.back().author, e.score.author,
                       short_time(e.score.recorded_at, zone), e.score.correction_reason);
}

} // namespace

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
    } else if (any_correctable_) {
        muted(phrase(Phrase::correct_own_hint));
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
    const bool family_corrects = !nurse_ && any_correctable_; // a last column for Correct
    const int columns = nurse_ ? 8 : family_corrects ? 6 : 5;
    // The symptom column as wide as the longest name it may show.
    float symptom_width = ImGui::CalcTextSize("Symptom").x;
    for (const auto& c : history_->charts) {
        const auto name = info(c.symptom).label;
        symptom_width =
            std::max(symptom_width, ImGui::CalcTextSize(name.data(), name.data() + name.size()).x);
    }
    const float others = symptom_width + fs * (6.6f + 5.6f) +
                         (nurse_            ? fs * (4.4f + 5.0f + 4.8f)
                          : family_corrects ? fs * 4.8f
                                            : 0.0f) +
                         ImGui::GetStyle().CellPadding.x * 2.0f * float(columns);
    // The time column stays in view when the table scrolls sideways, so it holds no more than it
    // must: the year only when some entry is from another year; when the window is too narrow
    // for every column (800 px, Larger text) no weekday, and "late" for "late entry", leaving
    // the symptom and its score beside it.
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool narrow =
        ImGui::CalcTextSize("Wed 30 Sep 20:49late entry").x + fs * 6.6f + others > avail;
    const char* late_mark = narrow ? "late" : "late entry";
    const float time_width =
        ImGui::CalcTextSize(when_with_year_ ? "Wed 30 Sep 2026 20:49" : "Wed 30 Sep 20:49").x -
        (narrow ? ImGui::CalcTextSize("Wed ").x : 0.0f);
    const float when_width =
        time_width + (any_late_ ? ImGui::CalcTextSize(late_mark).x + fs * 0.3f : 0.0f) + fs * 0.3f;
    // Too narrow for every column and a readable note: the table scrolls sideways rather than
    // squeezing columns to one letter.
    const float inner = std::max(avail, when_width + others + fs * 6.0f);
    if (!ImGui::BeginTable("entries", columns, flags, ImVec2(0, height), inner)) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("When", ImGuiTableColumnFlags_WidthFixed, when_width);
    ImGui::TableSetupColumn("Symptom", ImGuiTableColumnFlags_WidthFixed, symptom_width);
    ImGui::TableSetupColumn("Score", ImGuiTableColumnFlags_WidthFixed, fs * 6.6f);
    if (nurse_) ImGui::TableSetupColumn("Flag", ImGuiTableColumnFlags_WidthFixed, fs * 4.4f);
    ImGui::TableSetupColumn("Reported by", ImGuiTableColumnFlags_WidthFixed, fs * 5.6f);
    if (nurse_) ImGui::TableSetupColumn("Entered by", ImGuiTableColumnFlags_WidthFixed, fs * 5.0f);
    ImGui::TableSetupColumn("Note, correction", ImGuiTableColumnFlags_WidthStretch);
    if (nurse_ || family_corrects)
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, fs * 4.8f);
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
            std::string_view when = when_text(i);
            if (narrow)
                when.remove_prefix(when.find(' ') + 1); // "Tue 3 Mar 09:30" -> "3 Mar 09:30"
            ImGui::TextUnformatted(when.data(), when.data() + when.size());
            if (documented_late(e)) {
                ImGui::SameLine(0, fs * 0.3f);
                ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
                ImGui::TextUnformatted(late_mark);
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

            if (nurse_ || family_corrects) {
                ImGui::TableNextColumn();
                if (e.correctable) {
                    offered_correction_ = true;
                    if (button("Correct")) open_form(i);
                }
            }
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

} // namespace solace::ui
