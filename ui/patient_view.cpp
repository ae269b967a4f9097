#include "patient_view.hpp"

#include <algorithm>

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

std::optional<PatientView::Action> PatientView::draw(const app::PatientPicture& picture) {
    std::optional<Action> out;
    const auto& p = picture.patient;
    begin_screen("patient");

    if (button("< Patients")) out = Action{Action::back, {}, {}};
    ImGui::SameLine();
    heading(p.name);
    const auto details =
        fmt::format("{}  ·  {} years  ·  {}  ·  {}", p.mrn, picture.age, p.diagnosis, p.time_zone);
    const float right = ImGui::CalcTextSize(account_.c_str()).x +
                        ImGui::CalcTextSize("Sign out").x + ImGui::GetStyle().FramePadding.x * 2 +
                        ImGui::GetStyle().ItemSpacing.x;
    ImGui::SameLine();
    // With large text or a narrow window the details go on their own line, not off the edge.
    const bool details_fit = ImGui::GetCursorPosX() + ImGui::CalcTextSize(details.c_str()).x +
                                 ImGui::GetStyle().ItemSpacing.x + right <=
                             ImGui::GetWindowContentRegionMax().x;
    if (details_fit) {
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextUnformatted(details.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine();
    }
    align_right(right);
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::TextUnformatted(account_.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (button("Sign out")) out = Action{Action::sign_out, {}, {}};
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

    const auto open = std::count_if(picture.flags.begin(), picture.flags.end(),
                                    [](const Flag& f) { return !f.acknowledged; });
    if (ImGui::BeginTabBar("views", ImGuiTabBarFlags_FittingPolicyScroll)) {
        auto flag_for = [&](Tab t) {
            if (select_ != t) return ImGuiTabItemFlags_None;
            return ImGuiTabItemFlags_SetSelected;
        };
        if (ImGui::BeginTabItem(nurse_ ? "Visit" : "Record a score", nullptr,
                                flag_for(Tab::visit))) {
            current_ = Tab::visit;
            ImGui::BeginChild("visit");
            if (auto v = visit_.draw(picture)) out = Action{Action::save_visit, std::move(*v), {}};
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("History", nullptr, flag_for(Tab::history))) {
            current_ = Tab::history;
            ImGui::BeginChild("history");
            history_.draw(picture); // requests are taken by the shell after the frame
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(nurse_ ? "Medications" : "Today's doses", nullptr,
                                flag_for(Tab::medications))) {
            current_ = Tab::medications;
            ImGui::BeginChild("medications");
            medications_.draw(nurse_); // requests are taken by the shell after the frame
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        const auto flags_label = nurse_ ? fmt::format("Flags ({} open)###flags", open)
                                        : say(Phrase::nurse_tab, open) + "###flags";
        if (ImGui::BeginTabItem(flags_label.c_str(), nullptr, flag_for(Tab::flags))) {
            current_ = Tab::flags;
            ImGui::BeginChild("flags");
            if (auto a = flags_.draw(picture, nurse_))
                out = Action{Action::acknowledge, {}, std::move(*a)};
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Summary", nullptr, flag_for(Tab::summary))) {
            current_ = Tab::summary;
            ImGui::BeginChild("summary");
            summary_.draw(picture); // built and drawn by the shell between frames
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        display_tab(); // at the right end of the tabs: theme and text size
        lock_tab();
        select_.reset();
        ImGui::EndTabBar();
    }
    end_screen();
    return out;
}

} // namespace solace::ui
