#pragma once
// What a headless frame drew, as text: the glyph quads of every draw list read back through
// the font atlas. Everything drawn counts (labels, headings, table cells, the contents of text
// fields, text drawn straight onto a draw list), so a test can say a screen shows no patient
// name at all. Spaces draw nothing: compare with squeeze() on both sides.
#include <array>
#include <map>
#include <string>
#include <string_view>

#include <imgui.h>

#include "headless.hpp"

namespace solace::test {

inline std::string squeeze(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n') out += c;
    return out;
}

// Draws one frame and returns its text, squeezed; draw lists are separated by '|'.
inline std::string drawn_text(ui::Headless& k) {
    k.frame();
    std::map<std::array<float, 4>, unsigned> glyphs;
    for (const ImFont* font : ImGui::GetIO().Fonts->Fonts)
        for (const ImFontGlyph& g : font->Glyphs)
            if (g.Visible) glyphs[{g.U0, g.V0, g.U1, g.V1}] = g.Codepoint;
    std::string text;
    const ImDrawData* data = ImGui::GetDrawData();
    if (!data) return text;
    for (int l = 0; l < data->CmdListsCount; ++l) {
        const auto& v = data->CmdLists[l]->VtxBuffer;
        // A glyph is 4 vertices: top-left (U0,V0), top-right, bottom-right (U1,V1), bottom-left.
        for (int i = 0; i + 3 < v.Size;) {
            const auto it = glyphs.find({v[i].uv.x, v[i].uv.y, v[i + 2].uv.x, v[i + 2].uv.y});
            if (it == glyphs.end()) {
                ++i;
                continue;
            }
            text += it->second < 128 ? char(it->second) : '?';
            i += 4;
        }
        text += '|';
    }
    return squeeze(text);
}

} // namespace solace::test
