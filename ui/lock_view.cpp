#include "lock_view.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "admin_view.hpp"
#include "app/paths.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace solace::ui {

namespace {
double clock_now() {
    return ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
}
bool lock_requested = false;
// Words wrapped at spaces take more room than their width alone.
constexpr float wrap_slack = 1.2f;
} // namespace

void lock_tab() {
    constexpr const char* label = "Lock now";
    if (ImGui::TabItemButton(label, ImGuiTabItemFlags_Trailing)) lock_requested = true;
    note_item(label); // the headless driver finds it as it finds buttons
}

void lock_button() {
    if (button("Lock now")) lock_requested = true;
}

bool take_lock_request() {
    const bool r = lock_requested;
    lock_requested = false;
    return r;
}

void LockView::start(std::string account) {
    account_ = std::move(account);
    password_.clear();
    error_.clear();
    retry_at_ = 0;
    focus_ = true;
}

void LockView::refuse(std::string why) {
    error_ = std::move(why);
    password_.clear();
    focus_ = true;
}

void LockView::delay(double seconds) {
    retry_at_ = clock_now() + std::max(0.0, seconds);
    error_.clear();
    password_.clear();
    focus_ = true;
}

int LockView::wait_left() const {
    return std::max(0, int(std::ceil(retry_at_ - clock_now())));
}

double LockView::wake_in() const {
    const double left = retry_at_ - clock_now();
    if (left <= 0) return -1.0;
    return left - std::floor(left) + 0.01; // at the next whole second
}

std::optional<LockView::Request> LockView::draw() {
    std::optional<Request> out;
    begin_screen("locked");
    const float width = ImGui::GetFontSize() * 22.0f;
    ImGui::Dummy(ImVec2(0, ImGui::GetContentRegionAvail().y * 0.2f));
    centre_block(width);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    heading("Solace is locked");
    muted(fmt::format("Signed in as {}. Type the password of this account to go on where you "
                      "left off.",
                      account_));
    ImGui::Spacing();
    ImGui::Spacing();

    const int wait = wait_left();
    label_above("Password");
    ImGui::SetNextItemWidth(width);
    if (focus_ && wait == 0) {
        ImGui::SetKeyboardFocusHere();
        focus_ = false;
    }
    ImGui::BeginDisabled(wait > 0);
    const bool entered =
        ImGui::InputText("##password", &password_,
                         ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Spacing();
    const bool clicked = button("Unlock", ImVec2(width, 0));
    ImGui::EndDisabled();
    if ((entered || clicked) && wait == 0) {
        if (password_.empty()) {
            error_ = "Type your password.";
            focus_ = true;
        } else {
            out = Request{Request::unlock, password_};
        }
    }
    if (wait > 0) {
        ImGui::Spacing();
        error_message(fmt::format("Too many wrong passwords in a row: try again in {} s.", wait));
        focus_ = true; // back in the field once the wait is over
    } else if (!error_.empty()) {
        ImGui::Spacing();
        error_message(error_);
    }
    ImGui::Spacing();
    rule(width);
    muted("Someone else needs the laptop? Signing out keeps the visit being typed as a draft.");
    if (button("Sign out")) out = Request{Request::sign_out, {}};
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    end_screen();
    return out;
}

std::optional<SessionBar::Action> SessionBar::draw() const {
    std::optional<Action> out;
    const ImGuiStyle& style = ImGui::GetStyle();
    const auto button_width = [&](const char* label) {
        return ImGui::CalcTextSize(label).x + style.FramePadding.x * 2.0f;
    };
    const char* audit_label = audit_open ? "Close the audit log" : "Audit log";
    const std::string admin_label = AdminView::bar_label(audit, admin_open);
    const float admin_width =
        (patients ? button_width(admin_label.c_str()) : 0.0f) +
        (audit ? (patients ? style.ItemSpacing.x : 0.0f) + button_width(audit_label) : 0.0f);
    // Items go on while they fit, then on the next line (large text, narrow window): the bar
    // is as tall as the lines it takes.
    const float gap = ImGui::GetFontSize() * 1.5f;
    const float room = ImGui::GetMainViewport()->WorkSize.x - style.WindowPadding.x * 2.0f;
    int lines = 1;
    float line =
        button_width("Lock now") + style.ItemSpacing.x + ImGui::CalcTextSize(lock_words.c_str()).x;
    const auto next = [&](float width, float space) {
        if (line + space + width <= room) {
            line += space + width;
        } else {
            ++lines;
            line = width;
        }
    };
    if (!backup_words.empty()) {
        next(ImGui::CalcTextSize(backup_words.c_str()).x, gap);
        if (offer_backup) next(button_width("Back up now"), style.ItemSpacing.x);
    }
    // A refusal in words may be longer than the bar: then it wraps on lines of its own.
    const float sync_width = ImGui::CalcTextSize(sync_words.c_str()).x;
    const bool sync_wraps = sync_width > room;
    if (sync_wraps) {
        lines += int(std::ceil(sync_width * wrap_slack / room));
        line = room;
    } else if (!sync_words.empty()) {
        next(sync_width, gap);
    }
    if (audit || patients) next(admin_width, style.ItemSpacing.x);
    const float height = ImGui::GetFrameHeight() * float(lines) +
                         style.ItemSpacing.y * float(lines - 1) + style.WindowPadding.y * 2.0f;
    // Taken off the bottom of the work area, so the screens above end where it starts.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_MenuBarBg));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                        ImVec2(style.WindowPadding.x, style.WindowPadding.y));
    const bool shown = ImGui::BeginViewportSideBar(
        "##session", ImGui::GetMainViewport(), ImGuiDir_Down, height,
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings |
            ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    if (shown) {
        if (button("Lock now")) out = Action::lock;
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextUnformatted(lock_words.c_str());
        ImGui::PopStyleColor();
        if (!backup_words.empty()) {
            same_line_if_fits(ImGui::CalcTextSize(backup_words.c_str()).x, gap);
            ImGui::AlignTextToFramePadding();
            ImGui::PushStyleColor(ImGuiCol_Text, backup_is_error ? error_ink() : muted_ink());
            ImGui::TextUnformatted(backup_words.c_str());
            ImGui::PopStyleColor();
            if (offer_backup) {
                same_line_if_fits(button_width("Back up now"));
                if (button("Back up now")) out = Action::backup_now;
            }
        }
        if (!sync_words.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, sync_is_error ? error_ink() : muted_ink());
            if (sync_wraps) {
                paragraph(sync_words);
            } else {
                same_line_if_fits(sync_width, gap);
                ImGui::AlignTextToFramePadding();
                ImGui::TextUnformatted(sync_words.c_str());
            }
            ImGui::PopStyleColor();
        }
        if (audit || patients) {
            same_line_if_fits(admin_width);
            ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(),
                                          ImGui::GetWindowContentRegionMax().x - admin_width));
            if (patients && button(admin_label.c_str())) out = Action::admin;
            if (patients && audit) ImGui::SameLine();
            if (audit && button(audit_label)) out = Action::audit;
        }
    }
    ImGui::End();
    return out;
}

void BackupPrompt::open(std::string folder) {
    folder_ = std::move(folder);
    first_.clear();
    second_.clear();
    error_.clear();
    open_ = true;
    focus_ = true;
}

std::optional<BackupPrompt::Answer> BackupPrompt::draw() {
    std::optional<Answer> out;
    if (!open_) return out;
    constexpr const char* title = "Today's backup";
    if (!ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
    const float width = ImGui::GetFontSize() * 26.0f;
    ImGui::SetNextWindowSize(ImVec2(width + ImGui::GetStyle().WindowPadding.x * 2, 0));
    if (!ImGui::BeginPopupModal(title, nullptr,
                                ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize |
                                    ImGuiWindowFlags_NoMove))
        return out;
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    paragraph(fmt::format("Solace keeps a copy of this database each day, encrypted, in {} "
                          "(the last 7 days). Type the agency's backup passphrase: it is needed "
                          "to restore the copy, and it is not kept anywhere.",
                          folder_));
    ImGui::Spacing();
    label_above(fmt::format("Backup passphrase (at least {} characters)",
                            app::min_backup_passphrase_length));
    ImGui::SetNextItemWidth(width);
    if (focus_) {
        ImGui::SetKeyboardFocusHere();
        focus_ = false;
    }
    const ImGuiInputTextFlags f =
        ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue;
    bool submit = ImGui::InputText("##first", &first_, f);
    label_above("The passphrase again");
    ImGui::SetNextItemWidth(width);
    submit |= ImGui::InputText("##second", &second_, f);
    ImGui::Spacing();
    submit |= button("Make today's backup");
    ImGui::SameLine();
    if (button("Not today")) out = Answer{true, {}};
    if (submit && !out) {
        if (first_.size() < app::min_backup_passphrase_length)
            error_ = fmt::format("The passphrase is too short: use at least {} characters.",
                                 app::min_backup_passphrase_length);
        else if (first_ != second_)
            error_ = "The two passphrases differ; type them again.";
        else
            out = Answer{false, first_};
        if (!out) {
            first_.clear();
            second_.clear();
            focus_ = true;
        }
    }
    if (!error_.empty()) error_message(error_);
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    paragraph("Set SOLACE_BACKUP_PASSPHRASE before starting Solace to be asked no more.");
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    if (out) {
        open_ = false;
        first_.clear();
        second_.clear();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
    return out;
}

std::filesystem::path daily_backup_folder(const std::filesystem::path& database) {
    std::error_code ec;
    const auto standard = app::default_database_path();
    if (std::filesystem::weakly_canonical(database, ec) ==
        std::filesystem::weakly_canonical(standard, ec))
        return app::backups_dir();
    return app::backups_dir() / database.stem();
}

} // namespace solace::ui
