#pragma once
#include <optional>
#include <string>

namespace solace::ui {

// How the window looks for the account signed in: the theme and the text size. Both themes
// are high contrast (body text at least 7:1 on its background); text is 18 px at scale 1.0.
struct Appearance {
    bool dark = false;
    float text_scale = 1.0f; // 1.0, 1.25 or 1.5
    bool operator==(const Appearance&) const = default;
};

// The display's density from the window: fonts are rasterised at content * text_scale pixels
// per unit; `framebuffer` undoes a framebuffer already denser than the window (macOS, Wayland).
// Headless: 1 and 1. Reapplies the current appearance. Between frames only.
void set_display_scale(float content, float framebuffer);

// Theme colours and sizes, and fonts at the new size when it changed. Between frames only.
void apply_appearance(const Appearance& a);
const Appearance& appearance();

// True once after the font atlas was rebuilt: the window uploads it to the GPU again.
bool take_fonts_rebuilt();

// A "Display" button and its popup (theme, text size), for a top bar; display_tab() is the
// same as a button at the right end of a tab bar. A choice made there is taken by the shell
// between frames with take_appearance_request().
void display_menu();
void display_tab();
std::optional<Appearance> take_appearance_request();
// Why the last choice could not be kept for next time (shown in the popup); empty when it was.
void appearance_problem(std::string why);

} // namespace solace::ui
