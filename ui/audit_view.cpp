#include "audit_view.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "fonts.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace solace::ui {

namespace {
bool contains_folded(std::string_view text, std::string_view part) {
    auto fold = [](char c) { return char(std::tolower(static_cast<unsigned char>(c))); };
    return std::search(text.begin(), text.end(), part.begin(), part.end(),
                       [&](char a, char b) { return fold(a) == fold(b); }) != text.end();
}
} // namespace

void AuditView::start() {
    rows_.clear();
    shown_.clear();
    find_.clear();
    filtered_for_.reset();
    loaded_ = false;
    asked_ = false;
    verification_.clear();
    chain_ok_ = false;
    error_.clear();
}

void AuditView::show(std::vector<app::AuditEntry> entries) {
    // Formatted once here, between frames: the table only copies strings while drawing.
    const date::time_zone* zone = date::current_zone();
    zone_ = std::string(zone->name());
    rows_.clear();
    rows_.reserve(entries.size());
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
        rows_.push_back({date::format("%Y-%m-%d %H:%M:%S", date::zoned_seconds(zone, it->at)),
                         std::move(it->account), std::move(it->action), std::move(it->patient),
                         std::move(it->detail)});
    loaded_ = true;
    error_.clear();
    filtered_for_.reset();
    filter();
}

void AuditView::verified(const store::AuditVerification& v) {
    chain_ok_ = v.ok();
    if (v.ok())
        verification_ =
            fmt::format("The chain is whole: all {} events are as they were written.", v.rows);
    else
        verification_ = fmt::format("The chain is broken at event {}: {} Events from there on may "
                                    "have been altered or removed; keep this database as it is "
                                    "and tell the agency's IT.",
                                    *v.first_broken, v.problem.empty() ? "" : v.problem + ".");
}

void AuditView::refuse(std::string why) {
    error_ = std::move(why);
    loaded_ = true;
}

void AuditView::filter() {
    if (filtered_for_ == find_) return;
    filtered_for_ = find_;
    shown_.clear();
    for (int i = 0; i < int(rows_.size()); ++i) {
        const auto& r = rows_[std::size_t(i)];
        if (find_.empty() || contains_folded(r.account, find_) ||
            contains_folded(r.action, find_) || contains_folded(r.patient, find_) ||
            contains_folded(r.detail, find_) || contains_folded(r.time, find_))
            shown_.push_back(i);
    }
}

void AuditView::draw_devices() {
    if (devices_.empty()) return;
    const auto title =
        fmt::format("Devices that sync with the agency server ({})###devices", devices_.size());
    if (!ImGui::CollapsingHeader(title.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
    // A few rows in sight; more scroll, so the log below keeps its room.
    constexpr int rows_in_sight = 4;
    const float em = ImGui::GetFontSize();
    const int shown = std::min(int(devices_.size()), rows_in_sight) + 1;
    const float height =
        (ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f) * float(shown) +
        ImGui::GetStyle().CellPadding.y;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("devices", 4, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Last sync", ImGuiTableColumnFlags_WidthFixed, em * 8.0f);
    ImGui::TableSetupColumn("Account", ImGuiTableColumnFlags_WidthFixed, em * 6.5f);
    ImGui::TableSetupColumn("Entries", ImGuiTableColumnFlags_WidthFixed, em * 4.0f);
    ImGui::TableSetupColumn("Device", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (const auto& d : devices_) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(d.last_sync.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(d.account.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(d.entries.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(d.device.c_str());
    }
    ImGui::EndTable();
}

std::optional<AuditView::Request> AuditView::draw() {
    std::optional<Request> out;
    if (!asked_) {
        asked_ = true;
        out = Request{Request::load};
    }
    begin_screen("audit");
    if (button("< Back")) out = Request{Request::close};
    ImGui::SameLine();
    heading("Audit log");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    if (loaded_)
        ImGui::Text("%zu events, newest first. Times on this computer's clock (%s).", rows_.size(),
                    zone_.c_str());
    else
        ImGui::TextUnformatted("Reading the log…");
    ImGui::PopStyleColor();

    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.0f);
    ImGui::InputTextWithHint("##find", "Find: account, action, MRN, words", &find_);
    filter();
    ImGui::SameLine();
    if (button("Verify chain")) out = Request{Request::verify};
    if (!verification_.empty()) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, chain_ok_ ? good_ink() : error_ink());
        ImGui::TextUnformatted(chain_ok_ ? "Verified." : "Broken.");
        ImGui::PopStyleColor();
        ImGui::PushStyleColor(ImGuiCol_Text, chain_ok_ ? good_ink() : error_ink());
        paragraph(verification_);
        ImGui::PopStyleColor();
    }
    if (!error_.empty()) error_message(error_);
    draw_devices();

    const float em = ImGui::GetFontSize();
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_SizingFixedFit;
    if (loaded_ && ImGui::BeginTable("audit", 5, flags, ImVec2(0, 0))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Time", ImGuiTableColumnFlags_WidthFixed, em * 10.5f);
        ImGui::TableSetupColumn("Account", ImGuiTableColumnFlags_WidthFixed, em * 6.5f);
        ImGui::TableSetupColumn("Action", ImGuiTableColumnFlags_WidthFixed, em * 9.5f);
        ImGui::TableSetupColumn("Patient", ImGuiTableColumnFlags_WidthFixed, em * 5.5f);
        ImGui::TableSetupColumn("Detail", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(int(shown_.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& r = rows_[std::size_t(shown_[std::size_t(i)])];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r.time.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r.account.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r.action.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r.patient.c_str());
                ImGui::TableNextColumn();
                // One line a row keeps the clipper's rows even; the whole text on hover.
                ImGui::TextUnformatted(r.detail.c_str());
                if (ImGui::IsItemHovered() && r.detail.size() > 60) {
                    ImGui::BeginTooltip();
                    ImGui::PushTextWrapPos(em * 30.0f);
                    ImGui::TextUnformatted(r.detail.c_str());
                    ImGui::PopTextWrapPos();
                    ImGui::EndTooltip();
                }
            }
        }
        ImGui::EndTable();
    }
    end_screen();
    return out;
}

} // namespace solace::ui
