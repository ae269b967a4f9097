#pragma once
#include <deque>
#include <set>

#include <imgui.h>

namespace solace::ui {

// Keys and characters as GLFW reports them, handed to ImGui in their order, one key stroke a
// frame. ImGui 1.86 reads io.KeysDown once a frame, so a key pressed and released between two
// frames was never seen (a fast Tab vanished), and a digit typed just before a Tab was read
// after it (the score landed on the next symptom).
class KeyQueue {
  public:
    void key(int key, bool down); // a GLFW key event (a repeat counts as a press)
    void character(unsigned c);   // a GLFW character event
    bool empty() const { return events_.empty(); }

    // Before ImGui::NewFrame: applies the queued events up to the first that must wait for the
    // next frame: a second key press or character, or the release of a key pressed this frame.
    void feed(ImGuiIO& io);

  private:
    struct Event {
        enum Kind { press, release, character } kind = press;
        int key = 0;
        unsigned c = 0;
    };
    std::deque<Event> events_;
    bool tab_moving_ = false; // a Tab was fed last frame: its focus lands in the next
};

} // namespace solace::ui
