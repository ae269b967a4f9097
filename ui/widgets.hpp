#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

namespace solace::ui {

// A screen fills the whole window: no title bar, no moving, nothing saved to imgui.ini.
void begin_screen(const char* id);
void end_screen();

// Moves the cursor so a block `width` wide is centred in the current window.
void centre_block(float width);

void heading(std::string_view text);
// Text wrapped at spaces to the pushed wrap position, else to the region's edge.
void paragraph(std::string_view text);
void muted(std::string_view text);
// A message in the error colour, wrapped to the available width.
void error_message(std::string_view text);

// A rounded label with its own fill: severity counts, statuses.
void pill(std::string_view text, ImVec4 fill, ImVec4 ink);

// Continues the line, `gap` after the last item (-1: the usual spacing), when `width` more
// fits before the right edge; else the next item starts a new line (a row of choices that
// wraps in a narrow window or at large text).
void same_line_if_fits(float width, float gap = -1.0f);

// After SameLine(): places the next `width` of items at the right edge of this line, or of the
// next line when they do not fit beside what is already there (large text, narrow window).
void align_right(float width);

// A horizontal line `width` wide (ImGui's Separator spans the whole window).
void rule(float width);

// A field with its label above it (easier to read than ImGui's label on the right).
void label_above(std::string_view label);

// A row of a two-column form table: the label in the first column, then the cursor in the
// second with the next item as wide as it.
void form_row(const char* label);

// One of a few choices drawn as buttons in a row (button below): the chosen one filled.
bool choice_button(const char* label, bool chosen);

// ImGui::Button that the headless driver can find by its label (Headless::click, shows): the
// label and rectangle are noted while the driver records; otherwise nothing more is done.
bool button(const char* label, const ImVec2& size = ImVec2(0, 0));
struct SeenItem {
    std::string label; // as shown: the part before any "##"
    ImVec2 min, max;   // screen rectangle
    bool whole = true; // all of it inside its window's visible area: not clipped, not scrolled away
};
// The driver's notes of the last frame (record_items true while it runs).
extern bool record_items;
std::vector<SeenItem>& seen_items();
// Notes the last item drawn under `label`, without any "##" part (while the driver records).
void note_item(std::string label);

// True when the key (io.KeysDown index, e.g. a GLFW_KEY_ code) went down this frame.
bool key_pressed(int key);
bool enter_pressed(); // Enter or keypad Enter

} // namespace solace::ui
