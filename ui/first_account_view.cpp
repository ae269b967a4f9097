#include "first_account_view.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/session.hpp"
#include "widgets.hpp"

namespace solace::ui {

void FirstAccountView::refuse(std::string why) {
    error_ = std::move(why);
    password_.clear();
    again_.clear();
    focus_ = true;
}

std::optional<FirstAccountView::Request> FirstAccountView::draw() {
    std::optional<Request> out;
    begin_screen("first account");
    const float width = ImGui::GetFontSize() * 24.0f;
    ImGui::Dummy(ImVec2(0, ImGui::GetContentRegionAvail().y * 0.12f));
    centre_block(width);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    heading("Create the first nurse account");
    muted("This database has no account yet. The first account is a nurse who can also add "
          "the other nurses and the family accounts.");
    ImGui::Spacing();

    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    label_above("Account name");
    ImGui::SetNextItemWidth(width);
    if (focus_) {
        ImGui::SetKeyboardFocusHere();
        focus_ = false;
    }
    bool submit = ImGui::InputText("##name", &name_, enter);
    label_above("Password (at least " + std::to_string(app::min_password_length) + " characters)");
    ImGui::SetNextItemWidth(width);
    submit |= ImGui::InputText("##password", &password_, ImGuiInputTextFlags_Password | enter);
    label_above("Password again");
    ImGui::SetNextItemWidth(width);
    submit |= ImGui::InputText("##again", &again_, ImGuiInputTextFlags_Password | enter);
    ImGui::Spacing();
    submit |= ImGui::Button("Create account and sign in", ImVec2(width, 0));

    if (submit) {
        if (name_.empty() || name_.size() > 64)
            error_ = "Type an account name (1 to 64 characters).";
        else if (password_.size() < app::min_password_length)
            error_ = "The password is too short: use at least " +
                     std::to_string(app::min_password_length) + " characters.";
        else if (password_ != again_)
            error_ = "The two passwords differ; type them again.";
        else
            out = Request{name_, password_};
        if (!out) refuse(error_);
    }
    if (!error_.empty()) {
        ImGui::Spacing();
        error_message(error_);
    }
    ImGui::Spacing();
    rule(width);
    muted("Database: " + database_);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    end_screen();
    return out;
}

} // namespace solace::ui
