#include "appearance.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include "fonts.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace solace::ui {

namespace {
Appearance current;
float content_scale = 1.0f;
float framebuffer_scale = 1.0f;
// What the atlas of which context was last built for: a new context (tests) starts afresh.
const ImGuiContext* fonts_context = nullptr;
float fonts_pixels_scale = 0.0f;
bool fonts_rebuilt = false;
std::optional<Appearance> request;
std::string problem;

// One popup whatever the ID stack of the button that opens it (a tab bar pushes its own).
ImGuiID popup_id() {
    return ImHashStr("solace/display");
}

void open_popup() {
    ImGui::OpenPopupEx(popup_id());
}

void draw_popup();

void apply() {
    const float scale = content_scale * current.text_scale;
    if (fonts_context != ImGui::GetCurrentContext() || fonts_pixels_scale != scale) {
        load_fonts(scale);
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h); // as the backends read it
        fonts_context = ImGui::GetCurrentContext();
        fonts_pixels_scale = scale;
        fonts_rebuilt = true;
    }
    ImGui::GetIO().FontGlobalScale = 1.0f / framebuffer_scale;
    apply_theme(current.dark ? Theme::dark : Theme::light, scale / framebuffer_scale);
}

constexpr struct {
    float scale;
    const char* label;
} sizes[] = {{1.0f, "Standard (18 px)"}, {1.25f, "Large (22 px)"}, {1.5f, "Larger (27 px)"}};
} // namespace

void set_display_scale(float content, float framebuffer) {
    content_scale = content;
    framebuffer_scale = framebuffer;
    apply();
}

void apply_appearance(const Appearance& a) {
    current = a;
    apply();
}

const Appearance& appearance() {
    return current;
}

bool take_fonts_rebuilt() {
    const bool r = fonts_rebuilt;
    fonts_rebuilt = false;
    return r;
}

std::optional<Appearance> take_appearance_request() {
    auto r = request;
    request.reset();
    return r;
}

void appearance_problem(std::string why) {
    problem = std::move(why);
}

void display_tab() {
    constexpr const char* label = "Display \xE2\x96\xBE";
    if (ImGui::TabItemButton(label, ImGuiTabItemFlags_Trailing)) open_popup();
    note_item(label);
    draw_popup();
}

void display_menu() {
    if (button("Display")) open_popup();
    draw_popup();
}

namespace {
void draw_popup() {
    if (!ImGui::BeginPopupEx(popup_id(), ImGuiWindowFlags_AlwaysAutoResize |
                                             ImGuiWindowFlags_NoTitleBar |
                                             ImGuiWindowFlags_NoSavedSettings))
        return;
    Appearance want = request.value_or(current);
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted("Theme");
    ImGui::PopFont();
    if (ImGui::RadioButton("Light", !want.dark)) want.dark = false;
    ImGui::SameLine();
    if (ImGui::RadioButton("Dark", want.dark)) want.dark = true;
    ImGui::Spacing();
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted("Text size");
    ImGui::PopFont();
    for (const auto& s : sizes)
        if (ImGui::RadioButton(s.label, want.text_scale == s.scale)) want.text_scale = s.scale;
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::TextUnformatted("Kept for this account.");
    ImGui::PopStyleColor();
    if (!problem.empty()) {
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 20.0f);
        error_message("Not kept for next time: " + problem);
        ImGui::PopTextWrapPos();
    }
    if (!(want == current)) request = want;
    ImGui::EndPopup();
}
} // namespace

} // namespace solace::ui
