// The Medications view's checklists: today's scheduled doses, each with its state and, for a
// nurse, the buttons that record it; and the as-needed (PRN) medications with "Give now".
#include <algorithm>
#include <exception>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "fonts.hpp"
#include "medication_words.hpp"
#include "medications_view.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {

using std::chrono::minutes;

ImVec4 rgb(int r, int g, int b) {
    return ImVec4(float(r) / 255.0f, float(g) / 255.0f, float(b) / 255.0f, 1.0f);
}

// A dose's state in words and colours: the words carry the meaning, the colour repeats it.
struct StateLook {
    std::string words;
    ImVec4 fill;
    ImVec4 ink;
    bool outline = false; // no fill: nothing to act on yet
};

StateLook look(const app::DoseRow& row, Instant now, const std::string& zone);

// A family member reads the state in plain words (plain_words.hpp): no window, no "late".
std::string family_words(const app::DoseRow& row, app::DoseState state, const std::string& zone) {
    const auto& d = row.scheduled;
    switch (state) {
    case app::DoseState::upcoming:
        return say(Phrase::dose_due_at, clock_time(d.due, zone));
    case app::DoseState::due_now:
        return say(Phrase::dose_due_now, clock_time(d.due + d.window, zone));
    case app::DoseState::missed:
        return std::string(phrase(Phrase::dose_not_recorded));
    case app::DoseState::given_on_time:
    case app::DoseState::given_late:
    case app::DoseState::given_early:
        return say(Phrase::dose_given_at, clock_time(row.record->given_at, zone));
    case app::DoseState::held:
        return say(Phrase::dose_held, row.record->reason);
    case app::DoseState::refused:
        return say(Phrase::dose_refused, row.record->reason);
    }
    return {};
}

StateLook look(const app::DoseRow& row, Instant now, const std::string& zone, bool nurse) {
    auto l = look(row, now, zone);
    if (!nurse) l.words = family_words(row, app::dose_state(row, now), zone);
    return l;
}

StateLook look(const app::DoseRow& row, Instant now, const std::string& zone) {
    const auto& d = row.scheduled;
    const auto given = row.record ? clock_time(row.record->given_at, zone) : std::string{};
    const ImVec4 white(1, 1, 1, 1);
    switch (app::dose_state(row, now)) {
    case app::DoseState::upcoming:
        return {fmt::format("Due at {}", clock_time(d.due, zone)), ImVec4(0, 0, 0, 0), muted_ink(),
                true};
    case app::DoseState::due_now:
        return {fmt::format("Due now (until {})", clock_time(d.due + d.window, zone)),
                rgb(0, 82, 155), white};
    case app::DoseState::missed:
        return {"Missed", severity_fill(row.time_critical ? Severity::urgent : Severity::warning),
                severity_ink(row.time_critical ? Severity::urgent : Severity::warning)};
    case app::DoseState::given_on_time:
        return {fmt::format("Given {} \xC2\xB7 on time", given), rgb(0, 110, 50), white};
    case app::DoseState::given_late:
        return {fmt::format("Given {} \xC2\xB7 late", given), severity_fill(Severity::warning),
                severity_ink(Severity::warning)};
    case app::DoseState::given_early:
        return {fmt::format("Given {} \xC2\xB7 early", given), severity_fill(Severity::info),
                severity_ink(Severity::info)};
    case app::DoseState::held:
        return {fmt::format("Held: {}", row.record->reason), rgb(88, 70, 130), white};
    case app::DoseState::refused:
        return {fmt::format("Refused: {}", row.record->reason), rgb(88, 70, 130), white};
    }
    return {};
}

void outlined(const std::string& text, ImVec4 ink) {
    const ImVec2 pad(ImGui::GetFontSize() * 0.45f, ImGui::GetStyle().FramePadding.y * 0.5f);
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRect(ImVec2(at.x, at.y - pad.y),
                                        ImVec2(at.x + size.x + 2 * pad.x, at.y + size.y + pad.y),
                                        ImGui::GetColorU32(ink), ImGui::GetFontSize() * 0.4f);
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + pad.x, at.y), ImGui::GetColorU32(ink),
                                        text.c_str());
    ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y));
}

// A state's pill, whole: when its words are wider than the column (a long held reason, a narrow
// window, large text), the pill holds the words before ": " or " · " ("Held", "Given 08:10")
// and the rest ("asleep", "on time") wraps below it.
void state_pill(const StateLook& l) {
    const float pad = ImGui::GetFontSize() * 0.9f; // pill()'s padding, both sides
    std::size_t split = std::string::npos, rest = 0;
    for (std::string_view separator : {": ", " \xC2\xB7 "})
        if (const auto at = l.words.find(separator); at < split) {
            split = at;
            rest = at + separator.size();
        }
    if (ImGui::CalcTextSize(l.words.c_str()).x + pad <= ImGui::GetContentRegionAvail().x ||
        split == std::string::npos) {
        pill(l.words, l.fill, l.ink);
        return;
    }
    pill(std::string_view(l.words).substr(0, split), l.fill, l.ink);
    paragraph(std::string_view(l.words).substr(rest));
}

std::string ago_words(Instant then, Instant now) {
    const auto m = std::chrono::duration_cast<minutes>(now - then);
    if (m.count() < 1) return "just now";
    return span_words(m) + " ago";
}

} // namespace

void MedicationsView::draw_today(bool nurse, Instant now, const std::vector<Target>& all) {
    const auto& zone = picture_->patient.time_zone;
    const auto& today = picture_->doses;
    if (today.empty()) {
        muted(past_day() ? phrase(Phrase::no_doses_that_day) : "No scheduled doses today.");
        return;
    }
    // A past day's doses are read as they stood once their windows closed; nothing records them.
    const bool act = nurse && !past_day();
    now = app::judging_time(*picture_, now);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("today", nurse ? 4 : 3, flags)) return;
    ImGui::TableSetupColumn("Due", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 4.0f);
    ImGui::TableSetupColumn("Medication", 0, 3.0f);
    ImGui::TableSetupColumn("What happened", 0, 2.6f);
    // Wide enough for its three buttons, or a reason and its two, at any text size.
    const auto& style = ImGui::GetStyle();
    const float buttons = ImGui::CalcTextSize("Given").x +
                          ImGui::CalcTextSize("Held\xE2\x80\xA6").x +
                          ImGui::CalcTextSize("Refused\xE2\x80\xA6").x + style.FramePadding.x * 6 +
                          style.ItemSpacing.x * 2;
    const float reason = ImGui::GetFontSize() * 6.0f + ImGui::CalcTextSize("Save").x +
                         ImGui::CalcTextSize("Cancel").x + style.FramePadding.x * 4 +
                         style.ItemSpacing.x * 2;
    if (act)
        ImGui::TableSetupColumn("Record", ImGuiTableColumnFlags_WidthFixed,
                                std::max(buttons, reason));
    else if (nurse)
        ImGui::TableSetupColumn("By", 0, 1.4f);
    ImGui::TableHeadersRow();
    const Target* chosen = all.empty() ? nullptr : &all[std::size_t(selected_)];
    for (std::size_t i = 0; i < today.size(); ++i) {
        const auto& row = today[i];
        ImGui::PushID(int(i));
        ImGui::TableNextRow();
        if (act && chosen && !chosen->prn && chosen->index == i)
            ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_Header));
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::PushFont(fonts().bold);
        ImGui::TextUnformatted(clock_time(row.scheduled.due, zone).c_str());
        ImGui::PopFont();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const auto words = medication_words(row.name, row.dose, row.route);
        paragraph(words);
        if (nurse && row.time_critical) { // beside the name when it fits, else below it
            const char* critical = "\xC2\xB7 time-critical";
            if (ImGui::CalcTextSize(words.c_str()).x + ImGui::CalcTextSize(critical).x +
                    ImGui::GetStyle().ItemSpacing.x <
                ImGui::GetContentRegionAvail().x)
                ImGui::SameLine();
            else
                critical += 3; // no separator at the start of a line
            ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
            ImGui::TextUnformatted(critical);
            ImGui::PopStyleColor();
        }
        ImGui::TableNextColumn();
        // On the text line of the row's buttons, as AlignTextToFramePadding puts text.
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetStyle().FramePadding.y);
        const auto l = look(row, now, zone, nurse);
        if (l.outline)
            outlined(l.words, l.ink);
        else
            state_pill(l);
        if (ImGui::IsItemHovered()) {
            const auto& d = row.scheduled;
            if (!nurse)
                ImGui::SetTooltip("%s",
                                  say(Phrase::dose_between, clock_time(d.due - d.window, zone),
                                      clock_time(d.due + d.window, zone))
                                      .c_str());
            else if (row.record)
                ImGui::SetTooltip(
                    "Window %s to %s. Recorded by %s.", clock_time(d.due - d.window, zone).c_str(),
                    clock_time(d.due + d.window, zone).c_str(), row.record->recorded_by.c_str());
            else
                ImGui::SetTooltip(
                    "Window %s to %s (%s either side).", clock_time(d.due - d.window, zone).c_str(),
                    clock_time(d.due + d.window, zone).c_str(), span_words(d.window).c_str());
        }
        if (nurse) {
            ImGui::TableNextColumn();
            const bool entering =
                reason_ && reason_->key == row.key && reason_->due == row.scheduled.due;
            if (entering) {
                ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
                if (reason_->focus) {
                    ImGui::SetKeyboardFocusHere();
                    reason_->focus = false;
                }
                const auto hint = fmt::format("why {}?", code(reason_->status));
                const bool enter = ImGui::InputTextWithHint(
                    "##reason", hint.c_str(), &reason_->text, ImGuiInputTextFlags_EnterReturnsTrue);
                ImGui::SameLine();
                if (button("Save") || enter) record(row, reason_->status, now);
                ImGui::SameLine();
                if (reason_ && button("Cancel")) {
                    reason_.reset();
                    error_.clear();
                }
            } else if (!row.record && act) {
                if (button("Given")) record(row, DoseStatus::given, now);
                ImGui::SameLine();
                if (button("Held\xE2\x80\xA6")) record(row, DoseStatus::held, now);
                ImGui::SameLine();
                if (button("Refused\xE2\x80\xA6")) record(row, DoseStatus::refused, now);
            } else if (row.record) {
                ImGui::AlignTextToFramePadding();
                ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
                ImGui::Text("by %s", row.record->recorded_by.c_str());
                ImGui::PopStyleColor();
            }
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

void MedicationsView::draw_prn(Instant now, const std::vector<Target>& all) {
    const auto& zone = picture_->patient.time_zone;
    heading(nurse_ ? std::string_view("As needed (PRN)") : phrase(Phrase::as_needed_heading));
    bool any = false;
    for (const auto& l : picture_->lines)
        any |= is_prn(l.latest.schedule) && !l.stopped;
    if (!any) {
        muted("No as-needed medication.");
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("prn", 4, flags)) return;
    ImGui::TableSetupColumn("Medication", 0, 2.2f);
    ImGui::TableSetupColumn("How often", 0, 2.0f);
    ImGui::TableSetupColumn("Last 24 hours", 0, 2.0f);
    ImGui::TableSetupColumn("Give", 0, 1.6f);
    ImGui::TableHeadersRow();
    const Target* chosen = all.empty() ? nullptr : &all[std::size_t(selected_)];
    for (std::size_t i = 0; i < picture_->lines.size(); ++i) {
        const auto& line = picture_->lines[i];
        const auto& m = line.latest;
        if (!is_prn(m.schedule) || line.stopped) continue;
        ImGui::PushID(int(i));
        ImGui::TableNextRow();
        if (chosen && chosen->prn && chosen->index == i)
            ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_Header));
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        paragraph(medication_words(m.name, m.dose, m.route));
        if (!m.indication.empty()) muted("for " + m.indication);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        paragraph(schedule_words(m.schedule));
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const auto standing = app::prn_standing(*picture_, m.key, now);
        const auto& prn = std::get<PrnSchedule>(m.schedule);
        if (standing.last_given) {
            paragraph(fmt::format("{} given{}; last at {} ({})", standing.in_last_24h,
                                  prn.max_per_24h ? fmt::format(" of {}", *prn.max_per_24h) : "",
                                  clock_time(*standing.last_given, zone),
                                  ago_words(*standing.last_given, now)));
        } else {
            paragraph("none given");
        }
        ImGui::TableNextColumn();
        if (button("Give now")) {
            selected_ = int(std::find_if(all.begin(), all.end(),
                                         [&](const Target& t) { return t.prn && t.index == i; }) -
                            all.begin());
            give_prn(line, now);
        }
        if (standing.next_allowed) {
            ImGui::PushStyleColor(ImGuiCol_Text, error_ink());
            paragraph(fmt::format("not before {}", clock_time(*standing.next_allowed, zone)));
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

} // namespace solace::ui
