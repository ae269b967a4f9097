#pragma once
#include <string>
#include <string_view>

#include <imgui.h>

namespace solace::ui {

// Body text is at least 16 px at scale 1.0 (issue 4); 18 reads well at arm's length.
inline constexpr float body_pixels = 18.0f;

struct Fonts {
    ImFont* body = nullptr;
    ImFont* bold = nullptr;
    ImFont* heading = nullptr;
    std::string file; // the body font's file, empty when the built-in font is used
};

// The TTF/OTF file of an installed family through fontconfig, empty when that family is not
// installed (fontconfig's nearest substitute does not count).
std::string find_font_file(std::string_view family, bool bold = false);

// Replaces the atlas fonts with DejaVu Sans, else Noto Sans, at body_pixels * scale; the
// built-in font (with a warning on stderr) only when neither is installed. Builds the atlas.
const Fonts& load_fonts(float scale);

// The fonts loaded last (the default font for each until load_fonts is called).
const Fonts& fonts();

} // namespace solace::ui
