#include "patient_view.hpp"

#include <algorithm>
#include <span>

#include <fmt/format.h>
#include <imgui.h>

#include "appearance.hpp"
#include "fonts.hpp"
#include "lock_view.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace solace::ui {

void PatientView::start(bool nurse, std::string account, Tab tab) {
    nurse_ = nurse;
    account_ = std::move(account);
    visit_.start(nurse);
    flags_.start();
    summary_.start(nurse);
    history_.start(nurse);
    medications_.start(nurse);
    select_ = tab;
}

namespace {
float tab_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
}
constexpr const char* display_label = "Display \xE2\x96\xBE";
constexpr const char* lock_label = "Lock now";
} // namespace

bool PatientView::views_fit_as_tabs(std::span<const View> views, bool with_tools) {
    const ImGuiStyle& style = ImGui::GetStyle();
    float width = 0;
    for (const View& v : views)
        width += tab_width(v.label) + style.ItemInnerSpacing.x;
    if (with_tools)
        width += tab_width(display_label) + tab_width(lock_label) + style.ItemInnerSpacing.x * 2;
    return width <= ImGui::GetContentRegionAvail().x;
}

void PatientView::draw_view(Tab tab, const app::PatientPicture& picture,
                            std::optional<Action>& out) {
    current_ = tab;
    switch (tab) {
    case Tab::visit:
        ImGui::BeginChild("visit");
        if (auto v = visit_.draw(picture)) out = Action{Action::save_visit, std::move(*v), {}};
        ImGui::EndChild();
        break;
    case Tab::history:
        ImGui::BeginChild("history");
        history_.draw(picture); // requests are taken by the shell after the frame
        ImGui::EndChild();
        break;
    case Tab::medications:
        ImGui::BeginChild("medications");
        medications_.draw(nurse_); // requests are taken by the shell after the frame
        ImGui::EndChild();
        break;
    case Tab::flags:
        ImGui::BeginChild("flags");
        if (auto a = flags_.draw(picture, nurse_))
            out = Action{Action::acknowledge, {}, std::move(*a)};
        ImGui::EndChild();
        break;
    case Tab::summary:
        ImGui::BeginChild("summary");
        summary_.draw(picture); // built and drawn by the shell between frames
        ImGui::EndChild();
        break;
    }
}

void PatientView::draw_tabs(std::span<const View> views, bool with_tools,
                            const app::PatientPicture& picture, std::optional<Action>& out) {
    if (!ImGui::BeginTabBar("views", ImGuiTabBarFlags_FittingPolicyScroll)) return;
    for (const View& v : views) {
        const auto flags =
            select_ == v.tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
        const bool chosen = ImGui::BeginTabItem(v.label, nullptr, flags);
        note_item(v.label); // the driver clicks tabs too
        if (chosen) {
            draw_view(v.tab, picture, out);
            ImGui::EndTabItem();
        }
    }
    if (with_tools) {
        display_tab(); // at the right end of the tabs: theme and text size
        lock_tab();
    }
    select_.reset();
    ImGui::EndTabBar();
}

// When not even the views fit as tabs: a row of buttons that wraps, so that no name is cut
// and no view hides behind scroll arrows.
void PatientView::draw_view_buttons(std::span<const View> views, const app::PatientPicture& picture,
                                    std::optional<Action>& out) {
    // Spaced as tabs are, with less padding: one row more often.
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                        ImVec2(style.FramePadding.x * 0.6f, style.FramePadding.y));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing,
                        ImVec2(style.ItemInnerSpacing.x, style.ItemSpacing.y));
    bool first = true;
    for (const View& v : views) {
        if (!first) same_line_if_fits(tab_width(v.label));
        first = false;
        if (choice_button(v.label, current_ == v.tab)) current_ = v.tab;
    }
    ImGui::PopStyleVar(2);
    draw_view(current_, picture, out);
}

std::optional<PatientView::Action> PatientView::draw(const app::PatientPicture& picture) {
    std::optional<Action> out;
    const auto& p = picture.patient;
    begin_screen("patient");

    const auto open = std::count_if(picture.flags.begin(), picture.flags.end(),
                                    [](const Flag& f) { return !f.acknowledged; });
    const auto flags_label = nurse_ ? fmt::format("Flags ({} open)###flags", open)
                                    : say(Phrase::nurse_tab, open) + "###flags";
    const View views[] = {
        {Tab::visit, nurse_ ? "Visit" : "Record a score"},
        {Tab::history, "History"},
        {Tab::medications, nurse_ ? "Medications" : "Today's doses"},
        {Tab::flags, flags_label.c_str()},
        {Tab::summary, "Summary"},
    };
    // Display and Lock now end the row of tabs; in a narrow window or at large text Lock now
    // joins Sign out, and when the views alone do not fit as tabs they become a row of buttons.
    const bool tools_in_tabs = views_fit_as_tabs(views, true);
    const bool tabs = tools_in_tabs || views_fit_as_tabs(views, false);

    if (button("< Patients")) out = Action{Action::back, {}, {}};
    ImGui::SameLine();
    heading(p.name);
    const auto details =
        fmt::format("{}  ·  {} years  ·  {}  ·  {}", p.mrn, picture.age, p.diagnosis, p.time_zone);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float account_width = ImGui::CalcTextSize(account_.c_str()).x + style.ItemSpacing.x;
    float right = tab_width("Sign out");
    if (!tools_in_tabs) right += tab_width(lock_label) + style.ItemSpacing.x;
    ImGui::SameLine();
    const float room = ImGui::GetWindowContentRegionMax().x - ImGui::GetCursorPosX();
    // In a narrow window the screen keeps its rows for the patient: Lock now joins Sign out,
    // the account's name gives way to it when need be (it is in Sign out's tooltip), and
    // Display (theme, text size) is only on the list of patients.
    const bool own_row = right > room; // then there is room for the name on it
    const float row = ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x;
    const bool show_account = tools_in_tabs || account_width + right <= (own_row ? row : room);
    if (show_account) right += account_width;
    // With large text or a narrow window the details go on their own line, not off the edge.
    const bool details_fit =
        ImGui::CalcTextSize(details.c_str()).x + style.ItemSpacing.x + right <= room;
    if (details_fit) {
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextUnformatted(details.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine();
    }
    align_right(right);
    if (show_account) {
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextUnformatted(account_.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine();
    }
    if (!tools_in_tabs) {
        lock_button();
        ImGui::SameLine();
    }
    if (button("Sign out")) out = Action{Action::sign_out, {}, {}};
    if (!show_account && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", account_.c_str());
    if (!details_fit) {
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextWrapped("%s", details.c_str());
        ImGui::PopStyleColor();
    }
    if (!sync_line_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, sync_problem_ ? error_ink() : muted_ink());
        paragraph(sync_line_);
        ImGui::PopStyleColor();
    }
    if (!nurse_) { // a family member always has the number to call in sight
        ImGui::PushFont(fonts().bold);
        paragraph(on_call_words(p.on_call_phone));
        ImGui::PopFont();
    }

    if (tabs) {
        if (buttons_) select_ = current_; // the tab bar remembers its own choice: keep ours
        buttons_ = false;
        draw_tabs(views, tools_in_tabs, picture, out);
    } else {
        if (select_) current_ = *select_;
        select_.reset();
        buttons_ = true;
        draw_view_buttons(views, picture, out);
    }
    end_screen();
    return out;
}

} // namespace solace::ui
