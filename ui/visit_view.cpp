#include "visit_view.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "fonts.hpp"
#include "keys.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {
// "1" then "0" within this long is ten; slower, the "0" is a new score of zero.
constexpr double ten_within_seconds = 1.0;

constexpr Reporter reporters[] = {Reporter::patient, Reporter::caregiver, Reporter::nurse};

const char* reporter_label(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return "Patient";
    case Reporter::caregiver:
        return "Caregiver (family)";
    case Reporter::nurse:
        return "Nurse";
    }
    return "";
}

std::size_t index(Symptom s) {
    return static_cast<std::size_t>(s);
}
} // namespace

void VisitView::start(bool nurse) {
    nurse_ = nurse;
    reporter_ = nurse ? Reporter::patient : Reporter::caregiver;
    scores_ = {};
    pps_.reset();
    bowel_.reset();
    note_.clear();
    when_.clear();
    row_ = 0;
    focus_note_ = false;
    focus_when_ = false;
    drop_text_focus_ = true;
    last_digit_ = -1;
    status_.clear();
    status_is_error_ = false;
    call_now_.clear();
    preview_stale_ = true;
    offer_.reset();
    draft_answer_.reset();
    draft_problem_.clear();
}

void VisitView::saved(std::string message) {
    const bool nurse = nurse_;
    const bool more = more_;
    auto offer = std::move(offer_); // an older draft still waits for its answer
    start(nurse);
    more_ = more;
    offer_ = std::move(offer);
    status_ = std::move(message);
}

void VisitView::offer_draft(app::VisitEntry draft, bool more, std::string when) {
    offer_ = Offer{std::move(draft), more, std::move(when)};
}

std::optional<VisitView::DraftAnswer> VisitView::take_draft_answer() {
    auto a = draft_answer_;
    draft_answer_.reset();
    return a;
}

void VisitView::restore(const app::VisitEntry& draft, bool more) {
    scores_ = {};
    for (const auto& s : draft.scores)
        scores_[index(s.symptom)] = s.value;
    reporter_ = nurse_ ? draft.reporter : Reporter::caregiver;
    pps_ = nurse_ ? draft.pps : std::nullopt;
    bowel_.reset();
    if (draft.bowel_movement) bowel_ = draft.bowel_movement->bristol_type;
    note_ = draft.note;
    more_ = more_ || more;
    row_ = 0;
    last_digit_ = -1;
    preview_stale_ = true;
    status_.clear();
    status_is_error_ = false;
}

void VisitView::draw_offer() {
    if (!offer_) return;
    const auto& d = offer_->draft;
    std::string what = fmt::format("{} score{}", d.scores.size(), d.scores.size() == 1 ? "" : "s");
    if (d.pps) what += ", the PPS";
    if (d.bowel_movement) what += ", a bowel movement";
    if (d.note.find_first_not_of(" \t\r\n") != std::string::npos) what += " and a note";
    ImGui::PushStyleColor(ImGuiCol_Border, severity_fill(Severity::info));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 3.0f);
    // Two lines of buttons' height, and the padding: no scroll bar.
    const float tall =
        ImGui::GetFrameHeightWithSpacing() * 2.0f + ImGui::GetStyle().WindowPadding.y * 2.0f;
    ImGui::BeginChild("draft", ImVec2(0, tall), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::AlignTextToFramePadding();
    ImGui::PushFont(fonts().bold);
    ImGui::Text("Restore the unsaved visit from %s?", offer_->when.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::Text("(%s)", what.c_str());
    ImGui::PopStyleColor();
    ImGui::PushAllowKeyboardFocus(false);
    if (button("Restore")) {
        restore(offer_->draft, offer_->more);
        offer_.reset();
        draft_answer_ = DraftAnswer::restored;
    }
    ImGui::SameLine();
    if (offer_ && button("Discard it")) {
        offer_.reset();
        draft_answer_ = DraftAnswer::discarded;
    }
    ImGui::PopAllowKeyboardFocus();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

void VisitView::refuse(std::string why) {
    status_ = std::move(why);
    status_is_error_ = true;
}

app::VisitEntry VisitView::entry() const {
    app::VisitEntry v;
    v.reporter = reporter_;
    for (const auto& s : all_symptoms())
        if (const auto& value = scores_[index(s.symptom)])
            v.scores.push_back({s.symptom, *value, {}});
    if (nurse_) v.pps = pps_;
    if (bowel_) v.bowel_movement = app::BowelMovementEntry{{}, *bowel_}; // at: the visit's time
    v.note = note_;
    return v;
}

std::string VisitView::row_label(const Row& row) {
    switch (row.kind) {
    case Row::symptom:
        return std::string(info(row.item).label);
    case Row::pps:
        return "PPS (%)";
    case Row::bowel:
        return "Bowel movement";
    case Row::note:
        return "Note";
    }
    return {};
}

std::vector<VisitView::Row> VisitView::rows() const {
    std::vector<Row> out;
    for (const auto& s : all_symptoms())
        if (s.core || more_) out.push_back({Row::symptom, s.symptom});
    if (nurse_) out.push_back({Row::pps, Symptom::pain});
    out.push_back({Row::bowel, Symptom::pain});
    out.push_back({Row::note, Symptom::pain});
    return out;
}

void VisitView::digit(const Row& row, int d, double now) {
    const bool ten = d == 0 && last_digit_ == 1 && last_digit_row_ == row_ &&
                     now - last_digit_at_ <= ten_within_seconds;
    if (row.kind == Row::symptom) {
        scores_[index(row.item)] = ten ? 10 : d;
        preview_stale_ = true;
    } else if (row.kind == Row::pps) {
        pps_ = ten ? 100 : d * 10; // PPS counts in tens: "5" is 50 %
    } else if (row.kind == Row::bowel && d >= min_bristol_type && d <= max_bristol_type) {
        bowel_ = d;
    }
    last_digit_ = ten ? -1 : d;
    last_digit_row_ = row_;
    last_digit_at_ = now;
    status_.clear();
}

void VisitView::clear(const Row& row) {
    if (row.kind == Row::symptom) {
        scores_[index(row.item)].reset();
        preview_stale_ = true;
    } else if (row.kind == Row::pps) {
        pps_.reset();
    } else if (row.kind == Row::bowel) {
        bowel_.reset();
    }
    last_digit_ = -1;
}

void VisitView::move(int by) {
    const int count = int(rows().size());
    row_ = std::clamp(row_ + by, 0, count - 1);
    scroll_to_row_ = true;
    last_digit_ = -1;
    focus_note_ = rows()[std::size_t(row_)].kind == Row::note;
}

void VisitView::update_preview(const app::PatientPicture& picture) {
    if (!preview_stale_ && preview_for_ == &picture && preview_taken_at_ == picture.taken_at)
        return;
    auto v = entry();
    v.at = picture.taken_at + std::chrono::seconds{1}; // just after everything saved so far
    preview_ = app::preview_flags(picture, v);
    preview_stale_ = false;
    preview_for_ = &picture;
    preview_taken_at_ = picture.taken_at;
}

std::optional<app::VisitEntry> VisitView::draw(const app::PatientPicture& picture) {
    std::optional<app::VisitEntry> out;
    ImGuiIO& io = ImGui::GetIO();
    const auto all_rows = rows();
    row_ = std::clamp(row_, 0, int(all_rows.size()) - 1);
    const Row current = all_rows[std::size_t(row_)];

    if (drop_text_focus_) {
        if (note_active_ || when_active_) ImGui::ClearActiveID();
        note_active_ = when_active_ = false;
        drop_text_focus_ = false;
    }

    // Keys first, so this frame already shows what they did.
    const bool save = io.KeyCtrl && key_pressed(keys::s);
    if (io.KeyCtrl && key_pressed(keys::t)) focus_when_ = true;
    if (when_active_) {
        if (key_pressed(keys::tab) || enter_pressed()) {
            ImGui::ClearActiveID(); // back to the scores
            when_active_ = false;
        }
    } else if (note_active_) {
        if (key_pressed(keys::tab)) {
            ImGui::ClearActiveID(); // leave the note; Tab goes on round the form
            row_ = io.KeyShift ? row_ - 1 : 0;
            note_active_ = false;
        }
    } else if (!io.WantTextInput && !save) {
        for (ImWchar c : io.InputQueueCharacters)
            if (c >= '0' && c <= '9' && current.kind != Row::note)
                digit(current, int(c - '0'), ImGui::GetTime());
        if (key_pressed(keys::tab) || enter_pressed() || key_pressed(keys::down))
            move(io.KeyShift && key_pressed(keys::tab) ? -1 : 1);
        else if (key_pressed(keys::up))
            move(-1);
        if (key_pressed(keys::backspace) || key_pressed(keys::delete_key)) clear(current);
    }
    update_preview(picture);
    if (!call_now_.empty()) { // first on the screen, in bold, until the next save
        ImGui::PushFont(fonts().bold);
        error_message(call_now_);
        ImGui::PopFont();
    }
    draw_offer();
    if (!draft_problem_.empty())
        error_message("What you type is not kept as a draft yet (" + draft_problem_ +
                      "); it stays on screen: save it when you can.");

    draw_when();

    // Who answered: scores are compared only with scores from the same kind of reporter.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Who answered:");
    const auto choice_width = [](const char* label) {
        return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
               ImGui::CalcTextSize(label).x;
    };
    for (Reporter r : reporters) {
        if (!nurse_ && r != Reporter::caregiver) continue;
        same_line_if_fits(choice_width(reporter_label(r)));
        ImGui::PushAllowKeyboardFocus(false);
        if (ImGui::RadioButton(reporter_label(r), reporter_ == r)) {
            reporter_ = r;
            preview_stale_ = true;
        }
        ImGui::PopAllowKeyboardFocus();
    }
    same_line_if_fits(choice_width("More symptoms"));
    ImGui::PushAllowKeyboardFocus(false);
    ImGui::Checkbox("More symptoms", &more_);
    ImGui::PopAllowKeyboardFocus();
    ImGui::Spacing();

    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_SizingFixedFit;
    const float em = ImGui::GetFontSize();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float cell_padding = ImGui::GetStyle().CellPadding.x * 2;
    float label_width = 0, word_width = 0; // the widest label, and its widest word
    ImGui::PushFont(fonts().bold);
    for (const auto& row : all_rows) {
        const auto label = row_label(row);
        label_width = std::max(label_width, ImGui::CalcTextSize(label.c_str()).x);
        for (std::size_t at = 0; at < label.size();) {
            const auto end = std::min(label.find(' ', at), label.size());
            word_width =
                std::max(word_width, ImGui::CalcTextSize(label.data() + at, label.data() + end).x);
            at = end + 1;
        }
    }
    ImGui::PopFont();
    // The PPS row's eleven buttons, the widest: "100" and a little room.
    const float buttons = 11 * (ImGui::CalcTextSize("100").x + em * 0.6f) +
                          10 * ImGui::GetStyle().ItemSpacing.x * 0.4f + cell_padding;
    narrow_ = label_width + cell_padding + buttons + em * 20.0f > avail;
    // Narrow: labels wrap at spaces to leave the buttons the room they need.
    if (narrow_)
        label_width = std::clamp(avail - buttons - cell_padding * 2, word_width, label_width);
    if (ImGui::BeginTable("visit", narrow_ ? 2 : 4, flags)) {
        ImGui::TableSetupColumn("Symptom", ImGuiTableColumnFlags_WidthFixed, label_width);
        if (narrow_) {
            ImGui::TableSetupColumn(nurse_ ? "Score (0 none, 10 worst), before, would raise"
                                           : phrase(Phrase::visit_narrow_column).data(),
                                    ImGuiTableColumnFlags_WidthStretch);
        } else {
            ImGui::TableSetupColumn("Score (0 none, 10 worst)", ImGuiTableColumnFlags_WidthFixed,
                                    buttons);
            ImGui::TableSetupColumn("Before, same reporter", ImGuiTableColumnFlags_WidthFixed,
                                    em * 12.0f);
            ImGui::TableSetupColumn(nurse_ ? "Would raise" : phrase(Phrase::nurse_column).data(),
                                    ImGuiTableColumnFlags_WidthStretch);
        }
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < all_rows.size(); ++i) {
            const Row& row = all_rows[i];
            ImGui::TableNextRow();
            if (int(i) == row_)
                ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0,
                                       ImGui::GetColorU32(ImGuiCol_Header));
            ImGui::PushID(int(i));
            const float row_top = ImGui::GetCursorScreenPos().y;
            if (row.kind == Row::symptom)
                draw_score_row(picture, i, row);
            else if (row.kind == Row::pps) {
                if (const auto v = draw_choice_row(
                        i, row_label(row).c_str(),
                        "Palliative Performance Scale, 0 to 100 in tens: type 5 for 50.", 0, 100,
                        10, pps_))
                    pps_ = v;
            } else if (row.kind == Row::bowel) {
                if (const auto v = draw_choice_row(
                        i, row_label(row).c_str(),
                        "Since the last visit: its Bristol stool type, 1 (separate hard lumps) to "
                        "7 (watery). Leave it empty when there was none.",
                        min_bristol_type, max_bristol_type, 1, bowel_))
                    bowel_ = v;
            } else
                draw_note_row(i);
            if (int(i) == row_ && scroll_to_row_) keep_in_sight(row_top);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

    ImGui::Spacing();
    const bool clicked_save = button(nurse_ ? "Save visit  (Ctrl+S)" : "Save  (Ctrl+S)");
    ImGui::SameLine();
    if (ImGui::Button("Clear")) saved({});
    if (!status_.empty()) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        if (status_is_error_)
            error_message(status_);
        else
            ImGui::TextColored(good_ink(), "%s", status_.c_str());
    }
    muted("Type a digit for the score (1 then 0 for 10), Enter or Tab for the next line, "
          "Backspace to clear, Ctrl+S to save.");

    if (save || clicked_save) {
        auto v = entry();
        if (app::nothing_entered(v))
            refuse("Nothing to save yet: type at least one score, the PPS, a bowel movement or a "
                   "note.");
        else
            out = std::move(v);
    }
    return out;
}

void VisitView::draw_when() {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("When:");
    ImGui::SameLine();
    if (focus_when_) {
        ImGui::SetKeyboardFocusHere();
        focus_when_ = false;
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11.0f);
    ImGui::PushAllowKeyboardFocus(false);
    ImGui::InputTextWithHint("##when", "now", &when_);
    ImGui::PopAllowKeyboardFocus();
    when_active_ = ImGui::IsItemActive();
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted("Ctrl+T: e.g. 08:30 or yesterday 20:00, up to 72 hours back");
}

void VisitView::draw_score_row(const app::PatientPicture& picture, std::size_t i, const Row& row) {
    const auto& value = scores_[index(row.item)];
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    draw_label(row_label(row), int(i) == row_);

    ImGui::TableNextColumn();
    if (const auto v = value_buttons(min_score, max_score, 1, value)) {
        scores_[index(row.item)] = v;
        row_ = int(i);
        preview_stale_ = true;
    }
    if (narrow_) {
        draw_before(picture, row);
        same_line_if_fits(ImGui::GetFontSize() * 9.0f, ImGui::GetFontSize());
        draw_would_raise(row);
    } else {
        ImGui::TableNextColumn();
        draw_before(picture, row);
        ImGui::TableNextColumn();
        draw_would_raise(row);
    }
}

void VisitView::keep_in_sight(float row_top) {
    scroll_to_row_ = false;
    const ImRect seen = ImGui::GetCurrentWindow()->InnerClipRect;
    const float row_bottom = ImGui::GetItemRectMax().y;
    if (row_top < seen.Min.y)
        ImGui::SetScrollY(ImGui::GetScrollY() - (seen.Min.y - row_top));
    else if (row_bottom > seen.Max.y)
        ImGui::SetScrollY(ImGui::GetScrollY() + (row_bottom - seen.Max.y) +
                          ImGui::GetStyle().ItemSpacing.y);
}

void VisitView::draw_label(const std::string& label, bool current) {
    ImGui::PushFont(current ? fonts().bold : fonts().body);
    ImGui::PushTextWrapPos(0.0f); // at the column's edge
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
}

void VisitView::draw_before(const app::PatientPicture& picture, const Row& row) {
    const auto& value = scores_[index(row.item)];
    ImGui::AlignTextToFramePadding();
    if (const Score* before = app::previous_score(picture, row.item, reporter_)) {
        ImGui::Text("%s%d  %s", narrow_ ? "Before: " : "", before->value,
                    short_time(before->observed_at, picture.patient.time_zone).c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s, by %s", band_words(before->value).c_str(),
                              before->author.c_str());
        if (value) {
            ImGui::SameLine();
            ImGui::TextUnformatted(change_words(*value - before->value).c_str());
        }
    } else {
        ImGui::TextDisabled("none before");
    }
}

void VisitView::draw_would_raise(const Row& row) {
    ImGui::AlignTextToFramePadding();
    const auto flag = std::find_if(preview_.begin(), preview_.end(),
                                   [&](const Flag& f) { return f.symptom == row.item; });
    if (flag != preview_.end() && !nurse_) {
        // A family member reads what the nurse will look at; a preview is about a symptom,
        // with no medication or time in its words.
        pill(flag_words(*flag, {}, flag->at, "UTC"), severity_fill(flag->severity),
             severity_ink(flag->severity));
    } else if (flag != preview_.end()) {
        pill(fmt::format("{}: {}", code(flag->severity), rule_words(flag->rule)),
             severity_fill(flag->severity), severity_ink(flag->severity));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", flag->detail.c_str());
    } else if (scores_[index(row.item)]) {
        ImGui::TextDisabled("%s", nurse_ ? "no flag" : phrase(Phrase::nurse_nothing).data());
    }
}

std::optional<int> VisitView::value_buttons(int first, int last, int step,
                                            std::optional<int> chosen) {
    std::optional<int> clicked;
    const float gap = ImGui::GetStyle().ItemSpacing.x * 0.4f;
    const int count = (last - first) / step + 1;
    // As wide as the widest number needs, shrunk (never below that) to fit the cell; the
    // padding is slim, as ImGui clips a label to the button less its padding.
    const ImVec2 padding(ImGui::GetFontSize() * 0.2f, ImGui::GetStyle().FramePadding.y);
    const float least = ImGui::CalcTextSize(std::to_string(last).c_str()).x + padding.x * 2;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    const float fits =
        std::floor((ImGui::GetContentRegionAvail().x - gap * float(count - 1)) / float(count));
    const float side = std::max(least, std::min(ImGui::GetFrameHeight() * 1.1f, fits));
    ImGui::PushAllowKeyboardFocus(false);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, padding);
    for (int v = first; v <= last; v += step) {
        // The rest wraps onto a second line when even the smallest buttons do not fit.
        if (v > first && ImGui::GetItemRectMax().x + gap + side <= right + 1.0f)
            ImGui::SameLine(0, gap);
        const bool is_chosen = chosen && *chosen == v;
        if (is_chosen) {
            ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.0f, 0.32f, 0.61f, 1.0f));
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        }
        ImGui::PushID(v);
        if (ImGui::Button(std::to_string(v).c_str(), ImVec2(side, 0))) clicked = v;
        ImGui::PopID();
        if (is_chosen) ImGui::PopStyleColor(2);
    }
    ImGui::PopStyleVar();
    ImGui::PopAllowKeyboardFocus();
    return clicked;
}

std::optional<int> VisitView::draw_choice_row(std::size_t i, const char* label, const char* tip,
                                              int first, int last, int step,
                                              std::optional<int> chosen) {
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    draw_label(label, int(i) == row_);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
    ImGui::TableNextColumn();
    const auto clicked = value_buttons(first, last, step, chosen);
    if (clicked) row_ = int(i);
    if (!narrow_) {
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
    }
    return clicked;
}

void VisitView::draw_note_row(std::size_t i) {
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    draw_label(row_label({Row::note}), int(i) == row_);
    ImGui::TableNextColumn();
    // The note spans the remaining columns of the row.
    const float width = ImGui::GetContentRegionAvail().x;
    if (focus_note_) {
        ImGui::SetKeyboardFocusHere();
        focus_note_ = false;
    }
    ImGui::PushAllowKeyboardFocus(false);
    ImGui::InputTextMultiline("##note", &note_, ImVec2(width, ImGui::GetTextLineHeight() * 3.4f));
    ImGui::PopAllowKeyboardFocus();
    note_active_ = ImGui::IsItemActive();
    if (note_active_) row_ = int(i);
    if (!narrow_) {
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
    }
}

} // namespace solace::ui
