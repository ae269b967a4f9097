#pragma once
#include <functional>
#include <string_view>

namespace solace::ui {

// ImGui with no window and no GPU: for tests and the frame benchmark. Frames are built and
// rendered to draw lists that nobody shows; keys and characters are fed in as the GLFW
// backend would.
class Headless {
  public:
    Headless(float width = 1200, float height = 780);
    ~Headless();
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;

    std::function<void()> draw;       // the ImGui calls of one frame
    std::function<void()> after_draw; // between frames (e.g. Shell::apply_pending)

    void frame();
    // The next frame comes this much later (ImGui's clock: key repeat, the 1-then-0 rule).
    void wait(double seconds) { pending_wait_ += seconds; }

    // One key stroke: down for a frame, then up for a frame.
    void press(int key, bool ctrl = false, bool shift = false);
    // Characters as typed (each one a key stroke), one frame each.
    void type(std::string_view text);

    int keystrokes() const { return keystrokes_; }

    // Clicks the button (drawn with ui::button) labelled `label` in the last frame: the pointer
    // moves onto it, presses and releases, a frame each. False when no such button was shown
    // whole (clipped, or scrolled out of sight).
    bool click(std::string_view label);
    // True when the last frame showed a button (drawn with ui::button) labelled `label`, whole.
    bool shows(std::string_view label) const;
    // True when the last frame drew such a button, in sight or not.
    bool draws(std::string_view label) const;

  private:
    double pending_wait_ = 0;
    int keystrokes_ = 0;
};

} // namespace solace::ui
