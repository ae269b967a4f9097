#include "headless.hpp"

#include <imgui.h>

#include "fonts.hpp"
#include "keys.hpp"
#include "theme.hpp"

namespace solace::ui {

Headless::Headless(float width, float height) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    keys::map_like_glfw(io);
    load_fonts(1.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h); // marks the atlas built; no texture needed
    apply_theme(Theme::light, 1.0f);
}

Headless::~Headless() {
    ImGui::DestroyContext();
}

void Headless::frame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = float(1.0 / 60.0 + pending_wait_);
    pending_wait_ = 0;
    ImGui::NewFrame();
    if (draw) draw();
    ImGui::Render();
    if (after_draw) after_draw();
}

void Headless::press(int key, bool ctrl, bool shift) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeyShift = shift;
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    io.KeyCtrl = false;
    io.KeyShift = false;
    frame();
    ++keystrokes_;
}

void Headless::type(std::string_view text) {
    for (char c : text) {
        ImGui::GetIO().AddInputCharacter(static_cast<unsigned char>(c));
        frame();
        ++keystrokes_;
    }
}

} // namespace solace::ui
