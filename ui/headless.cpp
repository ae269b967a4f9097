#include "headless.hpp"

#include <cfloat>

#include <imgui.h>

#include "fonts.hpp"
#include "keys.hpp"
#include "theme.hpp"
#include "widgets.hpp"

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
    record_items = false;
    seen_items().clear();
    ImGui::DestroyContext();
}

void Headless::frame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = float(1.0 / 60.0 + pending_wait_);
    pending_wait_ = 0;
    record_items = true;
    seen_items().clear();
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

namespace {
const SeenItem* find_item(std::string_view label) {
    for (const auto& item : seen_items())
        if (item.label == label) return &item;
    return nullptr;
}

bool inside(const SeenItem& item, ImVec2 p) {
    return p.x >= item.min.x && p.x < item.max.x && p.y >= item.min.y && p.y < item.max.y;
}
} // namespace

bool Headless::draws(std::string_view label) const {
    return find_item(label) != nullptr;
}

bool Headless::shows(std::string_view label) const {
    const auto* item = find_item(label);
    return item && item->whole;
}

bool Headless::click(std::string_view label) {
    ImGuiIO& io = ImGui::GetIO();
    // The pointer moves onto the button, and waits for the layout to settle under it (a
    // scroll clamped after the content shrank moves everything a frame later).
    bool over = false;
    for (int attempt = 0; attempt < 4 && !over; ++attempt) {
        const SeenItem* item = find_item(label);
        if (!item || !item->whole) return false; // out of sight: no hand can click it
        io.MousePos =
            ImVec2((item->min.x + item->max.x) * 0.5f, (item->min.y + item->max.y) * 0.5f);
        frame();
        item = find_item(label);
        over = item && inside(*item, io.MousePos);
    }
    if (!over) {
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        return false;
    }
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame(); // a button is pressed on release
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    frame();
    return true;
}

void Headless::type(std::string_view text) {
    for (char c : text) {
        ImGui::GetIO().AddInputCharacter(static_cast<unsigned char>(c));
        frame();
        ++keystrokes_;
    }
}

} // namespace solace::ui
