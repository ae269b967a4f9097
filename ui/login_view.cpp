#include "login_view.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "widgets.hpp"

namespace solace::ui {

void LoginView::refuse(std::string why) {
    error_ = std::move(why);
    password_.clear();
    focus_ = name_.empty() ? Focus::name : Focus::password;
}

void LoginView::reset() {
    name_.clear();
    password_.clear();
    error_.clear();
    focus_ = Focus::name;
    other_database_ = false;
}

std::optional<LoginView::Request> LoginView::draw() {
    std::optional<Request> out;
    other_database_ = false;
    begin_screen("login");
    const float width = ImGui::GetFontSize() * 22.0f;
    ImGui::Dummy(ImVec2(0, ImGui::GetContentRegionAvail().y * 0.16f));
    centre_block(width);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    heading("Solace");
    muted("Symptom tracker for palliative home care");
    ImGui::Spacing();
    ImGui::Spacing();

    label_above("Account name");
    ImGui::SetNextItemWidth(width);
    if (focus_ == Focus::name) ImGui::SetKeyboardFocusHere();
    const bool name_enter =
        ImGui::InputText("##name", &name_, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Spacing();
    label_above("Password");
    ImGui::SetNextItemWidth(width);
    if (focus_ == Focus::password) ImGui::SetKeyboardFocusHere();
    focus_ = Focus::none;
    const bool password_enter =
        ImGui::InputText("##password", &password_,
                         ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Spacing();
    const bool clicked = ImGui::Button("Sign in", ImVec2(width, 0));

    // Enter in the name with no password yet goes on to the password, as a nurse expects.
    if (name_enter && password_.empty() && !name_.empty())
        focus_ = Focus::password;
    else if (name_enter || password_enter || clicked) {
        if (name_.empty()) {
            error_ = "Type your account name.";
            focus_ = Focus::name;
        } else if (password_.empty()) {
            error_ = "Type your password.";
            focus_ = Focus::password;
        } else {
            out = Request{name_, password_};
        }
    }
    if (!error_.empty()) {
        ImGui::Spacing();
        error_message(error_);
    }
    ImGui::Spacing();
    rule(width);
    muted("Database: " + database_);
    if (ImGui::SmallButton("Open another database")) other_database_ = true;
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    end_screen();
    return out;
}

} // namespace solace::ui
