#include "admin_view.hpp"

#include <imgui.h>

#include "fonts.hpp"
#include "widgets.hpp"

namespace solace::ui {

const char* AdminView::title(bool with_accounts) {
    return with_accounts ? "Patients and accounts" : "Admissions and discharges";
}

std::string AdminView::bar_label(bool with_accounts, bool open) {
    if (!open) return title(with_accounts);
    return with_accounts ? "Close patients and accounts" : "Close admissions and discharges";
}

void AdminView::start(Part part, bool with_accounts) {
    with_accounts_ = with_accounts;
    part_ = with_accounts ? part : Part::patients;
    asked_ = false;
    patients_ = {};
    accounts_.forget_passwords();
    accounts_ = {};
}

void AdminView::stop() {
    accounts_.forget_passwords();
    accounts_ = {};
    patients_ = {};
}

std::optional<AdminView::Request> AdminView::draw() {
    std::optional<Request> out;
    if (!asked_) {
        asked_ = true;
        out = Request{Request::load};
    }
    begin_screen("patients and accounts");
    if (button("< Back")) out = Request{Request::close};
    if (!with_accounts_) part_ = Part::patients;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float choices = with_accounts_ ? ImGui::CalcTextSize("Patients").x +
                                               ImGui::CalcTextSize("Accounts").x +
                                               style.FramePadding.x * 4 + style.ItemSpacing.x
                                         : 0.0f;
    const char* name = title(with_accounts_);
    ImGui::PushFont(fonts().heading);
    const float title_width = ImGui::CalcTextSize(name).x;
    ImGui::PopFont();
    // The title makes way for the two choices in a narrow window: they say it too.
    if (ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + title_width + choices +
            ImGui::GetFontSize() * 2.0f <=
        ImGui::GetWindowContentRegionMax().x) {
        ImGui::SameLine();
        heading(name);
    }
    if (with_accounts_) {
        ImGui::SameLine(0.0f, ImGui::GetFontSize() * 1.5f);
        if (choice_button("Patients", part_ == Part::patients)) part_ = Part::patients;
        ImGui::SameLine();
        if (choice_button("Accounts", part_ == Part::accounts)) part_ = Part::accounts;
    }
    ImGui::Separator();

    if (part_ == Part::patients) {
        if (auto r = patients_.draw()) out = Request{Request::patient, std::move(r), {}};
    } else {
        if (auto r = accounts_.draw()) out = Request{Request::account, {}, std::move(r)};
    }
    end_screen();
    return out;
}

} // namespace solace::ui
