#pragma once
// The marks the History's charts and their key draw, in the current theme's colours: severity
// bands, a marker per kind of reporter, flag rings, the comfort goal's dash.
#include <algorithm>

#include <imgui.h>

#include "domain/flag.hpp"
#include "domain/symptom.hpp"
#include "widgets.hpp"

namespace solace::ui::history_marks {

inline constexpr Reporter reporter_kinds[] = {Reporter::patient, Reporter::caregiver,
                                              Reporter::nurse};

ImU32 rgb(int r, int g, int b, int a = 255);
bool light();
// Pale behind the points, so dark markers and rings keep their contrast on every band.
ImU32 band_fill(Band b);
ImU32 reporter_ink(Reporter r);
// A ring around a flagged point; amber is darkened so it shows on the pale orange band.
ImU32 flag_ring(Severity s);
ImU32 goal_ink();
const char* reporter_label(Reporter r);
const char* reporter_words(Reporter r);

// Patient: circle; caregiver: square; nurse: triangle. Each with a thin paper-coloured edge,
// so points that touch stay apart.
void marker(ImDrawList* dl, ImVec2 c, float r, Reporter kind, ImU32 ink, bool edged = true);

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash,
                 float gap);

// A legend entry: the marker (or what `draw` draws) in a square the size of the text, then
// its words.
template <class Draw> void legend(const char* words, Draw draw) {
    const float side = ImGui::GetFontSize();
    // On the same line while it fits (Larger text, a narrow window: the rest wraps).
    same_line_if_fits(side * 1.3f + ImGui::CalcTextSize(words).x, side * 0.9f);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(side, side));
    draw(ImGui::GetWindowDrawList(), ImVec2(at.x + side * 0.5f, at.y + side * 0.55f), side);
    ImGui::SameLine(0, ImGui::GetFontSize() * 0.3f);
    ImGui::TextUnformatted(words);
}

} // namespace solace::ui::history_marks
