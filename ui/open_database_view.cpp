#include "open_database_view.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "widgets.hpp"

namespace solace::ui {

void OpenDatabaseView::show(std::string path, std::string problem) {
    path_ = std::move(path);
    problem_ = std::move(problem);
    focus_ = true;
}

void OpenDatabaseView::choose(std::string path) {
    show(std::move(path), {});
}

std::optional<OpenDatabaseView::Request> OpenDatabaseView::draw() {
    std::optional<Request> out;
    begin_screen("open database");
    const float width = ImGui::GetFontSize() * 34.0f;
    ImGui::Dummy(ImVec2(0, ImGui::GetContentRegionAvail().y * 0.12f));
    centre_block(width);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    if (problem_.empty()) {
        heading("Open a database");
    } else {
        heading("Solace could not open the database");
        ImGui::Spacing();
        error_message(problem_);
        ImGui::Spacing();
    }
    rule(width);
    ImGui::Spacing();
    label_above("Database file");
    ImGui::SetNextItemWidth(width);
    if (focus_) {
        ImGui::SetKeyboardFocusHere();
        focus_ = false;
    }
    const bool entered = ImGui::InputText("##path", &path_, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Spacing();
    if (ImGui::Button("Open") || entered) out = Request{path_, false};
    ImGui::SameLine();
    if (ImGui::Button("Create a new database here")) out = Request{path_, true};
    ImGui::Spacing();
    muted("A new database starts empty: you will first create the nurse account that "
          "manages it. To try Solace with made-up patients, run `solace demo` in a terminal.");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    end_screen();
    return out;
}

} // namespace solace::ui
