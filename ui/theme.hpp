#pragma once
#include <imgui.h>

#include "domain/flag.hpp"

namespace solace::ui {

enum class Theme { light, dark };

// Sets ImGui's colours and sizes; `scale` multiplies every size (HiDPI, larger text).
void apply_theme(Theme theme, float scale);
Theme current_theme();

// Colours with a meaning, chosen for contrast against the current theme.
ImVec4 severity_fill(Severity s);
ImVec4 severity_ink(Severity s); // text drawn on severity_fill
ImVec4 muted_ink();
ImVec4 error_ink();
ImVec4 good_ink();

} // namespace solace::ui
