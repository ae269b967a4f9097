#include "key_queue.hpp"

#include "keys.hpp"

namespace solace::ui {

void KeyQueue::key(int key, bool down) {
    if (key < 0 || key >= int(IM_ARRAYSIZE(ImGuiIO{}.KeysDown))) return;
    events_.push_back({down ? Event::press : Event::release, key, 0});
}

void KeyQueue::character(unsigned c) {
    events_.push_back({Event::character, 0, c});
}

void KeyQueue::feed(ImGuiIO& io) {
    // One stroke a frame: a key press and the character it typed, in that order. Tab moves
    // the focus only as the next frame is drawn: a stroke fed then went to no field (the first
    // letter after Tab was lost), so that frame takes only key releases.
    bool pressed = tab_moving_, typed = tab_moving_;
    tab_moving_ = false;
    std::set<int> down_now;
    while (!events_.empty()) {
        const Event e = events_.front();
        if (e.kind == Event::release) {
            if (down_now.count(e.key)) break; // seen down for a whole frame first
            io.KeysDown[e.key] = false;
        } else if (e.kind == Event::press) {
            if (pressed || typed) break;
            io.KeysDown[e.key] = true;
            down_now.insert(e.key);
            pressed = true;
            tab_moving_ = e.key == GLFW_KEY_TAB;
        } else {
            if (typed) break;
            io.AddInputCharacter(e.c);
            typed = true;
        }
        events_.pop_front();
    }
    // As ImGui's GLFW backend sets them from the keys held.
    io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
    io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
    io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
    io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
}

} // namespace solace::ui
