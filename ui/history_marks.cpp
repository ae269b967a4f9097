#include "history_marks.hpp"

#include "theme.hpp"

namespace solace::ui::history_marks {

ImU32 rgb(int r, int g, int b, int a) {
    return IM_COL32(r, g, b, a);
}

bool light() {
    return current_theme() == Theme::light;
}

ImU32 band_fill(Band b) {
    switch (b) {
    case Band::none:
        return light() ? rgb(232, 242, 232) : rgb(30, 46, 36);
    case Band::mild:
        return light() ? rgb(250, 245, 206) : rgb(56, 54, 28);
    case Band::moderate:
        return light() ? rgb(252, 226, 194) : rgb(72, 48, 26);
    case Band::severe:
        return light() ? rgb(249, 206, 206) : rgb(82, 30, 34);
    }
    return 0;
}

ImU32 reporter_ink(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return light() ? rgb(17, 17, 17) : rgb(240, 240, 240);
    case Reporter::caregiver:
        return light() ? rgb(0, 104, 94) : rgb(90, 214, 196);
    case Reporter::nurse:
        return light() ? rgb(98, 36, 160) : rgb(196, 160, 255);
    }
    return 0;
}

ImU32 flag_ring(Severity s) {
    if (s == Severity::warning) return light() ? rgb(196, 104, 0) : rgb(255, 180, 40);
    if (!light()) // the fills are dark-on-light colours: brighter on the dark bands
        return s == Severity::urgent ? rgb(255, 96, 96) : rgb(120, 176, 255);
    return ImGui::GetColorU32(severity_fill(s));
}

ImU32 goal_ink() {
    return ImGui::GetColorU32(good_ink());
}

const char* reporter_label(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return "Patient";
    case Reporter::caregiver:
        return "Caregiver";
    case Reporter::nurse:
        return "Nurse";
    }
    return "";
}

const char* reporter_words(Reporter r) {
    switch (r) {
    case Reporter::patient:
        return "the patient's own score";
    case Reporter::caregiver:
        return "scored by the family";
    case Reporter::nurse:
        return "the nurse's score";
    }
    return "";
}

void marker(ImDrawList* dl, ImVec2 c, float r, Reporter kind, ImU32 ink, bool edged) {
    const ImU32 paper = ImGui::GetColorU32(ImGuiCol_WindowBg);
    const float edge = std::max(1.0f, r * 0.25f);
    switch (kind) {
    case Reporter::patient:
        if (edged) dl->AddCircleFilled(c, r + edge, paper, 12);
        dl->AddCircleFilled(c, r, ink, 12);
        break;
    case Reporter::caregiver: {
        const float h = r * 0.88f;
        if (edged)
            dl->AddRectFilled(ImVec2(c.x - h - edge, c.y - h - edge),
                              ImVec2(c.x + h + edge, c.y + h + edge), paper);
        dl->AddRectFilled(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), ink);
        break;
    }
    case Reporter::nurse: {
        auto tri = [&](float s, ImU32 col) {
            dl->AddTriangleFilled(ImVec2(c.x, c.y - s * 1.2f),
                                  ImVec2(c.x - s * 1.1f, c.y + s * 0.8f),
                                  ImVec2(c.x + s * 1.1f, c.y + s * 0.8f), col);
        };
        if (edged) tri(r + edge * 1.6f, paper);
        tri(r, ink);
        break;
    }
    }
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash,
                 float gap) {
    const float length = b.x - a.x;
    for (float x = 0; x < length; x += dash + gap)
        dl->AddLine(ImVec2(a.x + x, a.y), ImVec2(a.x + std::min(x + dash, length), b.y), col,
                    thickness);
}

} // namespace solace::ui::history_marks
