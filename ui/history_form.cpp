// The History view's correction form: a nurse gives an entry a new score and a reason.
#include <algorithm>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "fonts.hpp"
#include "history_view.hpp"
#include "keys.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

void HistoryView::open_form(std::uint32_t entry) {
    // A nurse corrects any entry; a family member its own, within the hour (app/ says which).
    if (!history_ || entry >= history_->entries.size() || !history_->entries[entry].correctable)
        return;
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

} // namespace solace::ui
