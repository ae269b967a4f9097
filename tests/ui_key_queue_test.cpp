// Typing into text fields through the key queue (issue 11 item 7): a character typed right
// after Tab lands in the field Tab moved to, first letter included.
#include <string>

#include <GLFW/glfw3.h>
#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "headless.hpp"
#include "key_queue.hpp"

using namespace solace;

TEST_CASE("Words typed straight after Tab land whole in the next field") {
    ui::Headless imgui(800, 600);
    std::string diagnosis, on_call;
    imgui.draw = [&] {
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize({800, 600});
        ImGui::Begin("form");
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::InputText("Diagnosis", &diagnosis);
        ImGui::InputText("On-call number", &on_call);
        ImGui::End();
    };
    imgui.frame();
    imgui.frame();
    ui::KeyQueue q;
    auto stroke = [&](int key, char c) {
        q.key(key, true);
        if (c) q.character(static_cast<unsigned char>(c));
        q.key(key, false);
    };
    // "lung" Tab "555", each stroke between two frames, as xdotool or a fast typist sends them.
    for (char c : std::string("lung"))
        stroke(GLFW_KEY_A + (c - 'a'), c);
    stroke(GLFW_KEY_TAB, 0);
    for (char c : std::string("555"))
        stroke(GLFW_KEY_5, c);
    for (int frames = 0; !q.empty() && frames < 100; ++frames) {
        q.feed(ImGui::GetIO());
        imgui.frame();
    }
    q.feed(ImGui::GetIO());
    imgui.frame();
    CHECK(diagnosis == "lung");
    CHECK(on_call == "555");
}
