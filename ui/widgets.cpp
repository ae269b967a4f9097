#include "widgets.hpp"

#include <algorithm>
#include <vector>

#include <imgui_internal.h>

#include "fonts.hpp"
#include "theme.hpp"

namespace solace::ui {

// Wraps at spaces only, at the wrap position already pushed, else at the edge of the
// region (window or table cell). ImGui's own wrapping may break "1.1" or "\"x\"." apart.
void paragraph(std::string_view text) {
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float width =
        std::max(ImGui::GetFontSize() * 4, window->DC.TextWrapPos >= 0.0f
                                               ? window->DC.TextWrapPos - ImGui::GetCursorPosX()
                                               : ImGui::GetContentRegionAvail().x);
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (ImGui::CalcTextSize(line.data(), line.data() + line.size()).x > width) {
            // Take words while they fit; a single word wider than the line goes alone.
            std::size_t fit = 0;
            for (std::size_t space = line.find(' ');; space = line.find(' ', space + 1)) {
                const std::size_t stop = space == std::string_view::npos ? line.size() : space;
                if (fit > 0 && ImGui::CalcTextSize(line.data(), line.data() + stop).x > width)
                    break;
                fit = stop;
                if (space == std::string_view::npos) break;
            }
            line = line.substr(0, fit);
            end = fit;
        }
        lines.push_back(line);
        if (end == std::string_view::npos || end >= text.size()) break;
        text.remove_prefix(end + 1); // the space or newline the line broke at
    }
    // Lines of one paragraph sit close together; the usual spacing follows the paragraph.
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const bool last = i + 1 == lines.size();
        if (!last)
            ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing,
                                ImVec2(ImGui::GetStyle().ItemSpacing.x, 0.0f));
        ImGui::TextUnformatted(lines[i].data(), lines[i].data() + lines[i].size());
        if (!last) ImGui::PopStyleVar();
    }
}

void begin_screen(const char* id) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
}

void end_screen() {
    ImGui::End();
}

void centre_block(float width) {
    const float avail = ImGui::GetContentRegionAvail().x;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - width) * 0.5f));
}

void heading(std::string_view text) {
    ImGui::PushFont(fonts().heading);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopFont();
}

void muted(std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    paragraph(text);
    ImGui::PopStyleColor();
}

void error_message(std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_ink());
    paragraph(text);
    ImGui::PopStyleColor();
}

void pill(std::string_view text, ImVec4 fill, ImVec4 ink) {
    const ImVec2 pad(ImGui::GetFontSize() * 0.45f, ImGui::GetStyle().FramePadding.y * 0.5f);
    const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
    // The text sits on the line like its neighbours; the fill reaches into the spacing.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(
        ImVec2(at.x, at.y - pad.y), ImVec2(at.x + size.x + 2 * pad.x, at.y + size.y + pad.y),
        ImGui::GetColorU32(fill), ImGui::GetFontSize() * 0.4f);
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + pad.x, at.y), ImGui::GetColorU32(ink),
                                        text.data(), text.data() + text.size());
    ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y));
}

void same_line_if_fits(float width, float gap) {
    const float space = gap < 0.0f ? ImGui::GetStyle().ItemSpacing.x : gap;
    const float right = ImGui::GetItemRectMax().x + space + width;
    if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine(0.0f, gap);
}

void align_right(float width) {
    const float right = ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetCursorPosX() + width > right) ImGui::NewLine();
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right - width));
}

void rule(float width) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float y = at.y + ImGui::GetStyle().ItemSpacing.y * 0.5f;
    ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, y), ImVec2(at.x + width, y),
                                        ImGui::GetColorU32(ImGuiCol_Separator));
    ImGui::Dummy(ImVec2(width, ImGui::GetStyle().ItemSpacing.y));
}

void label_above(std::string_view label) {
    ImGui::TextUnformatted(label.data(), label.data() + label.size());
}

bool record_items = false;

std::vector<SeenItem>& seen_items() {
    static std::vector<SeenItem> items;
    return items;
}

void note_item(std::string label) {
    if (!record_items) return;
    label.erase(std::min(label.size(), label.find("##"))); // as shown
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    const auto* dl = ImGui::GetWindowDrawList();
    const ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
    const float slack = 1.0f; // rounding at the edges
    const bool whole = min.x >= clip_min.x - slack && min.y >= clip_min.y - slack &&
                       max.x <= clip_max.x + slack && max.y <= clip_max.y + slack;
    seen_items().push_back({std::move(label), min, max, whole});
}

bool button(const char* label, const ImVec2& size) {
    const bool pressed = ImGui::Button(label, size);
    note_item(label);
    return pressed;
}

void form_row(const char* label) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-1.0f);
}

bool choice_button(const char* label, bool chosen) {
    if (chosen)
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    const bool clicked = button(label);
    if (chosen) ImGui::PopStyleColor();
    return clicked;
}

bool key_pressed(int key) {
    return key >= 0 && ImGui::IsKeyPressed(key, false);
}

bool enter_pressed() {
    return key_pressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
           key_pressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter));
}

} // namespace solace::ui
