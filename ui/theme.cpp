#include "theme.hpp"

namespace solace::ui {

namespace {
Theme active = Theme::light;

ImVec4 rgb(int r, int g, int b, float a = 1.0f) {
    return ImVec4(float(r) / 255.0f, float(g) / 255.0f, float(b) / 255.0f, a);
}

// Near-black on near-white, with visible borders: a bedside laptop is often in daylight.
void light_colours(ImVec4* c) {
    const ImVec4 ink = rgb(17, 17, 17);
    const ImVec4 paper = rgb(250, 250, 248);
    const ImVec4 field = rgb(255, 255, 255);
    const ImVec4 line = rgb(118, 118, 118);
    const ImVec4 accent = rgb(0, 82, 155);
    c[ImGuiCol_Text] = ink;
    c[ImGuiCol_TextDisabled] = rgb(84, 84, 84);
    c[ImGuiCol_WindowBg] = paper;
    c[ImGuiCol_ChildBg] = paper;
    c[ImGuiCol_PopupBg] = field;
    c[ImGuiCol_Border] = line;
    c[ImGuiCol_BorderShadow] = rgb(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = field;
    c[ImGuiCol_FrameBgHovered] = rgb(232, 240, 250);
    c[ImGuiCol_FrameBgActive] = rgb(214, 229, 247);
    c[ImGuiCol_TitleBg] = rgb(228, 228, 224);
    c[ImGuiCol_TitleBgActive] = rgb(210, 220, 235);
    c[ImGuiCol_TitleBgCollapsed] = rgb(228, 228, 224);
    c[ImGuiCol_MenuBarBg] = rgb(236, 236, 232);
    c[ImGuiCol_ScrollbarBg] = rgb(236, 236, 232);
    c[ImGuiCol_ScrollbarGrab] = rgb(150, 150, 150);
    c[ImGuiCol_ScrollbarGrabHovered] = rgb(110, 110, 110);
    c[ImGuiCol_ScrollbarGrabActive] = rgb(80, 80, 80);
    c[ImGuiCol_CheckMark] = accent;
    c[ImGuiCol_SliderGrab] = accent;
    c[ImGuiCol_SliderGrabActive] = rgb(0, 60, 120);
    c[ImGuiCol_Button] = rgb(226, 232, 240);
    c[ImGuiCol_ButtonHovered] = rgb(200, 216, 236);
    c[ImGuiCol_ButtonActive] = rgb(170, 196, 228);
    c[ImGuiCol_Header] = rgb(214, 229, 247);
    c[ImGuiCol_HeaderHovered] = rgb(196, 216, 242);
    c[ImGuiCol_HeaderActive] = rgb(170, 198, 236);
    c[ImGuiCol_Separator] = line;
    c[ImGuiCol_SeparatorHovered] = accent;
    c[ImGuiCol_SeparatorActive] = accent;
    c[ImGuiCol_ResizeGrip] = rgb(0, 0, 0, 0.1f);
    c[ImGuiCol_ResizeGripHovered] = accent;
    c[ImGuiCol_ResizeGripActive] = accent;
    c[ImGuiCol_Tab] = rgb(226, 226, 222);
    c[ImGuiCol_TabHovered] = rgb(200, 216, 236);
    c[ImGuiCol_TabActive] = field;
    c[ImGuiCol_TabUnfocused] = rgb(226, 226, 222);
    c[ImGuiCol_TabUnfocusedActive] = field;
    c[ImGuiCol_PlotLines] = accent;
    c[ImGuiCol_PlotLinesHovered] = rgb(180, 40, 30);
    c[ImGuiCol_PlotHistogram] = accent;
    c[ImGuiCol_PlotHistogramHovered] = rgb(180, 40, 30);
    c[ImGuiCol_TableHeaderBg] = rgb(228, 230, 234);
    c[ImGuiCol_TableBorderStrong] = line;
    c[ImGuiCol_TableBorderLight] = rgb(190, 190, 190);
    c[ImGuiCol_TableRowBg] = rgb(0, 0, 0, 0);
    c[ImGuiCol_TableRowBgAlt] = rgb(0, 0, 0, 0.035f);
    c[ImGuiCol_TextSelectedBg] = rgb(150, 190, 240);
    c[ImGuiCol_DragDropTarget] = accent;
    c[ImGuiCol_NavHighlight] = accent;
    c[ImGuiCol_NavWindowingHighlight] = accent;
    c[ImGuiCol_NavWindowingDimBg] = rgb(0, 0, 0, 0.2f);
    c[ImGuiCol_ModalWindowDimBg] = rgb(0, 0, 0, 0.35f);
}

// Near-white on near-black, with borders as visible as the light theme's: for night visits.
void dark_colours(ImVec4* c) {
    const ImVec4 ink = rgb(240, 240, 236);
    const ImVec4 paper = rgb(22, 23, 26);
    const ImVec4 field = rgb(38, 40, 46);
    const ImVec4 line = rgb(140, 140, 140);
    const ImVec4 accent = rgb(120, 180, 255);
    c[ImGuiCol_Text] = ink;
    c[ImGuiCol_TextDisabled] = rgb(178, 178, 178);
    c[ImGuiCol_WindowBg] = paper;
    c[ImGuiCol_ChildBg] = paper;
    c[ImGuiCol_PopupBg] = rgb(30, 32, 36);
    c[ImGuiCol_Border] = line;
    c[ImGuiCol_BorderShadow] = rgb(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = field;
    c[ImGuiCol_FrameBgHovered] = rgb(48, 60, 80);
    c[ImGuiCol_FrameBgActive] = rgb(56, 72, 100);
    c[ImGuiCol_TitleBg] = rgb(30, 32, 36);
    c[ImGuiCol_TitleBgActive] = rgb(40, 50, 70);
    c[ImGuiCol_TitleBgCollapsed] = rgb(30, 32, 36);
    c[ImGuiCol_MenuBarBg] = rgb(30, 32, 36);
    c[ImGuiCol_ScrollbarBg] = rgb(30, 32, 36);
    c[ImGuiCol_ScrollbarGrab] = rgb(110, 110, 110);
    c[ImGuiCol_ScrollbarGrabHovered] = rgb(150, 150, 150);
    c[ImGuiCol_ScrollbarGrabActive] = rgb(190, 190, 190);
    c[ImGuiCol_CheckMark] = accent;
    c[ImGuiCol_SliderGrab] = accent;
    c[ImGuiCol_SliderGrabActive] = rgb(160, 205, 255);
    c[ImGuiCol_Button] = rgb(50, 56, 66);
    c[ImGuiCol_ButtonHovered] = rgb(62, 80, 108);
    c[ImGuiCol_ButtonActive] = rgb(76, 100, 140);
    c[ImGuiCol_Header] = rgb(44, 62, 92);
    c[ImGuiCol_HeaderHovered] = rgb(56, 76, 110);
    c[ImGuiCol_HeaderActive] = rgb(68, 92, 132);
    c[ImGuiCol_Separator] = line;
    c[ImGuiCol_SeparatorHovered] = accent;
    c[ImGuiCol_SeparatorActive] = accent;
    c[ImGuiCol_ResizeGrip] = rgb(255, 255, 255, 0.1f);
    c[ImGuiCol_ResizeGripHovered] = accent;
    c[ImGuiCol_ResizeGripActive] = accent;
    c[ImGuiCol_Tab] = rgb(44, 46, 52);
    c[ImGuiCol_TabHovered] = rgb(62, 80, 108);
    c[ImGuiCol_TabActive] = rgb(64, 68, 78);
    c[ImGuiCol_TabUnfocused] = rgb(44, 46, 52);
    c[ImGuiCol_TabUnfocusedActive] = rgb(64, 68, 78);
    c[ImGuiCol_PlotLines] = accent;
    c[ImGuiCol_PlotLinesHovered] = rgb(255, 120, 110);
    c[ImGuiCol_PlotHistogram] = accent;
    c[ImGuiCol_PlotHistogramHovered] = rgb(255, 120, 110);
    c[ImGuiCol_TableHeaderBg] = rgb(40, 43, 50);
    c[ImGuiCol_TableBorderStrong] = line;
    c[ImGuiCol_TableBorderLight] = rgb(80, 80, 80);
    c[ImGuiCol_TableRowBg] = rgb(0, 0, 0, 0);
    c[ImGuiCol_TableRowBgAlt] = rgb(255, 255, 255, 0.04f);
    c[ImGuiCol_TextSelectedBg] = rgb(60, 100, 160);
    c[ImGuiCol_DragDropTarget] = accent;
    c[ImGuiCol_NavHighlight] = accent;
    c[ImGuiCol_NavWindowingHighlight] = accent;
    c[ImGuiCol_NavWindowingDimBg] = rgb(0, 0, 0, 0.4f);
    c[ImGuiCol_ModalWindowDimBg] = rgb(0, 0, 0, 0.55f);
}
} // namespace

void apply_theme(Theme theme, float scale) {
    active = theme;
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    if (theme == Theme::light)
        light_colours(style.Colors);
    else
        dark_colours(style.Colors);
    // Roomy, with borders on fields and buttons so edges show on a dim screen.
    style.WindowPadding = ImVec2(16, 14);
    style.FramePadding = ImVec2(10, 6);
    style.ItemSpacing = ImVec2(10, 8);
    style.ItemInnerSpacing = ImVec2(8, 6);
    style.CellPadding = ImVec2(8, 5);
    style.ScrollbarSize = 16;
    style.WindowBorderSize = 0;
    style.FrameBorderSize = 1;
    style.PopupBorderSize = 1;
    style.FrameRounding = 4;
    style.GrabRounding = 4;
    style.TabRounding = 4;
    style.WindowRounding = 0;
    style.ScaleAllSizes(scale);
}

Theme current_theme() {
    return active;
}

ImVec4 severity_fill(Severity s) {
    switch (s) {
    case Severity::urgent:
        return rgb(176, 0, 32);
    case Severity::warning:
        return rgb(240, 165, 0);
    case Severity::info:
        return rgb(31, 95, 173);
    }
    return rgb(120, 120, 120);
}

ImVec4 severity_ink(Severity s) {
    return s == Severity::warning ? rgb(0, 0, 0) : rgb(255, 255, 255);
}

ImVec4 muted_ink() {
    return active == Theme::light ? rgb(84, 84, 84) : rgb(180, 180, 180);
}

ImVec4 error_ink() {
    return active == Theme::light ? rgb(160, 0, 24) : rgb(255, 120, 120);
}

ImVec4 good_ink() {
    return active == Theme::light ? rgb(0, 110, 50) : rgb(110, 220, 140);
}

} // namespace solace::ui
