#include "accounts_view.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "theme.hpp"
#include "widgets.hpp"

namespace solace::ui {

namespace {
// "nurse, admin", "family of P1, P2"
std::string role_words(const app::AccountRow& a) {
    if (a.role == Role::nurse) return a.is_admin ? "nurse, admin" : "nurse";
    return fmt::format("family of {}", fmt::join(a.patients, ", "));
}
} // namespace

void AccountsView::show(std::vector<app::AccountRow> accounts) {
    rows_ = std::move(accounts);
    if (page_ == Page::account && !selected()) page_ = Page::list;
}

void AccountsView::done(std::string message, const std::string& name) {
    message_ = std::move(message);
    error_.clear();
    app::wipe(password_);
    app::wipe(again_);
    patient_.clear();
    if (!name.empty()) open(name); // after show(): the new account is in the list
}

void AccountsView::refuse(std::string why) {
    error_ = std::move(why);
    message_.clear();
}

void AccountsView::open(const std::string& name) {
    selected_ = name;
    if (selected()) page_ = Page::account;
}

void AccountsView::start_adding() {
    page_ = Page::adding;
    focus_ = true;
    name_.clear();
    family_ = false;
    admin_ = false;
    patient_.clear();
    forget_passwords();
    error_.clear();
    message_.clear();
}

void AccountsView::forget_passwords() {
    app::wipe(password_);
    app::wipe(again_);
}

const app::AccountRow* AccountsView::selected() const {
    for (const auto& r : rows_)
        if (r.name == selected_) return &r;
    return nullptr;
}

void AccountsView::draw_list() {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("accounts", 3, flags, ImVec2(0, 0))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Account", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("Who", ImGuiTableColumnFlags_WidthStretch, 2.5f);
    ImGui::TableSetupColumn("Signs in", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableHeadersRow();
    for (const auto& r : rows_) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (ImGui::Selectable(r.name.c_str(), r.name == selected_,
                              ImGuiSelectableFlags_SpanAllColumns)) {
            open(r.name);
            patient_.clear();
            forget_passwords();
            error_.clear();
            message_.clear();
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(role_words(r).c_str());
        ImGui::TableNextColumn();
        if (r.disabled) ImGui::PushStyleColor(ImGuiCol_Text, error_ink());
        ImGui::TextUnformatted(r.disabled ? "disabled" : "yes");
        if (r.disabled) ImGui::PopStyleColor();
    }
    ImGui::EndTable();
}

bool AccountsView::draw_password_pair(const char* first_label) {
    const ImGuiInputTextFlags hidden =
        ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue;
    form_row(first_label);
    bool enter = ImGui::InputText("##password", &password_, hidden);
    form_row("Type it again");
    enter |= ImGui::InputText("##again", &again_, hidden);
    return enter;
}

std::optional<std::string> AccountsView::checked_password() {
    if (password_.size() < app::min_password_length) {
        refuse(fmt::format("The password is too short: use at least {} characters.",
                           app::min_password_length));
        return std::nullopt;
    }
    if (password_ != again_) {
        refuse("The two passwords differ; type them again.");
        forget_passwords();
        return std::nullopt;
    }
    return password_;
}

std::optional<AccountsView::Request> AccountsView::draw_new() {
    std::optional<Request> out;
    const float em = ImGui::GetFontSize();
    bool submit = false;
    if (ImGui::BeginTable("new account", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, em * 8.0f);
        ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch);
        form_row("For");
        // A choice made moves the cursor back to the name.
        for (const bool family : {false, true}) {
            if (family) ImGui::SameLine();
            if (choice_button(family ? "A family member" : "A nurse", family_ == family)) {
                family_ = family;
                focus_ = true;
            }
        }
        form_row("Account name");
        if (focus_) {
            ImGui::SetKeyboardFocusHere();
            focus_ = false;
        }
        submit |= ImGui::InputTextWithHint("##name", "e.g. maria.k, no spaces", &name_,
                                           ImGuiInputTextFlags_EnterReturnsTrue);
        if (family_) {
            form_row("Sees patient");
            submit |= ImGui::InputTextWithHint("##patient", "MRN", &patient_,
                                               ImGuiInputTextFlags_EnterReturnsTrue);
        } else {
            form_row("Admin");
            ImGui::Checkbox("May add patients and accounts##admin", &admin_);
        }
        submit |= draw_password_pair("Password");
        ImGui::EndTable();
    }
    const bool clicked = button("Add the account");
    ImGui::SameLine();
    if (button("Cancel")) {
        page_ = Page::list;
        forget_passwords();
        error_.clear();
    }
    std::optional<std::string> password;
    if (clicked || submit) password = checked_password();
    if (password) {
        Request r{Request::add};
        r.account = {name_, family_ ? Role::family : Role::nurse, !family_ && admin_, {}};
        if (family_ && !patient_.empty()) r.account.patients.push_back(patient_);
        r.password = std::move(*password);
        forget_passwords();
        out = std::move(r);
    }
    return out;
}

std::optional<AccountsView::Request> AccountsView::draw_account(const app::AccountRow& a) {
    std::optional<Request> out;
    const float em = ImGui::GetFontSize();
    if (button(a.disabled ? "Enable" : "Disable")) {
        out = Request{a.disabled ? Request::enable : Request::disable};
        out->name = a.name;
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted(a.disabled ? "Cannot sign in anywhere until enabled."
                     : "Disabled accounts cannot sign in anywhere; their entries stay.");
    if (a.role == Role::family) {
        ImGui::Spacing();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Also sees patient");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 7.0f);
        const bool enter = ImGui::InputTextWithHint("##link", "MRN", &patient_,
                                                    ImGuiInputTextFlags_EnterReturnsTrue);
        ImGui::SameLine();
        if (button("Link") || enter) {
            out = Request{Request::link};
            out->name = a.name;
            out->mrn = patient_;
        }
    }
    ImGui::Spacing();
    bool enter = false;
    if (ImGui::BeginTable("new password", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, em * 8.0f);
        ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch);
        enter = draw_password_pair("New password");
        ImGui::EndTable();
    }
    std::optional<std::string> password;
    if (button("Set the new password") || enter) password = checked_password();
    if (password) {
        out = Request{Request::reset_password};
        out->name = a.name;
        out->password = std::move(*password);
        forget_passwords();
    }
    return out;
}

std::optional<AccountsView::Request> AccountsView::draw() {
    std::optional<Request> out;
    const auto* row = page_ == Page::account ? selected() : nullptr;
    switch (page_) {
    case Page::list:
        if (button("Add an account")) start_adding();
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        muted(fmt::format("{} {}; choose one to disable it, link it or give a new password.",
                          rows_.size(), rows_.size() == 1 ? "account" : "accounts"));
        break;
    case Page::account:
        if (!row) {
            page_ = Page::list;
            return out;
        }
        if (button("< All accounts")) {
            page_ = Page::list;
            forget_passwords();
            error_.clear();
            message_.clear();
            return out;
        }
        ImGui::SameLine();
        heading(fmt::format("{} ({})", row->name, role_words(*row)));
        break;
    case Page::adding:
        heading("Add an account");
        break;
    }
    if (!message_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, good_ink());
        paragraph(message_);
        ImGui::PopStyleColor();
    }
    if (!error_.empty()) error_message(error_);
    if (page_ == Page::list) {
        draw_list();
        return out;
    }
    ImGui::BeginChild("account", ImVec2(0, 0), false);
    out = row ? draw_account(*row) : draw_new();
    ImGui::EndChild();
    return out;
}

} // namespace solace::ui
