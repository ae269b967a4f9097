// The Medications view's record of what was given: the day's records, a nurse's correction of
// one of them (a new record supersedes it, or it is marked entered in error; nothing is
// deleted), and the corrections of the last days with their reasons.
#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "domain/error.hpp"
#include "medications_view.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {

constexpr const char* correction_choices[] = {"as it was", "given", "held", "refused",
                                              "entered in error"};

std::string status_words(DoseStatus status, const std::string& reason) {
    if (status == DoseStatus::given) return "given";
    return fmt::format("{}: {}", code(status), reason);
}

const Medication* medication_of(const app::MedicationsPicture& p, std::int64_t id) {
    const auto m = std::find_if(p.record.medications.begin(), p.record.medications.end(),
                                [&](const Medication& m) { return m.id == id; });
    return m == p.record.medications.end() ? nullptr : &*m;
}

} // namespace

void MedicationsView::draw_recorded() {
    const auto& zone = picture_->patient.time_zone;
    const auto& recorded = picture_->recorded;
    heading(fmt::format("Recorded {} ({})", past_day() ? "on this day" : "today", recorded.size()));
    if (recorded.empty()) {
        muted(past_day() ? "Nothing was recorded on this day." : "Nothing recorded yet today.");
    } else {
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
        // As tall as its rows up to six, then it scrolls; a row with a reason may take a line
        // more, as its reason wraps.
        const float row = ImGui::GetFrameHeight() + ImGui::GetStyle().CellPadding.y * 2;
        const auto shown = std::min<std::size_t>(recorded.size(), 6);
        const auto with_reason =
            std::count_if(recorded.begin(), recorded.begin() + std::ptrdiff_t(shown),
                          [](const Administration& a) { return a.status != DoseStatus::given; });
        const float rows = float(shown) + 1.0f + float(with_reason) * 0.6f;
        const int columns = nurse_ ? 5 : 4;
        if (ImGui::BeginTable("recorded", columns, flags, ImVec2(0, row * rows + 3.0f))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("At", ImGuiTableColumnFlags_WidthFixed,
                                    ImGui::CalcTextSize("Wed 30 Dec 23:59").x);
            ImGui::TableSetupColumn("Medication", 0, 2.2f);
            ImGui::TableSetupColumn("Recorded as", 0, 2.0f);
            ImGui::TableSetupColumn("By", 0, 1.6f);
            if (nurse_)
                ImGui::TableSetupColumn("##correct", ImGuiTableColumnFlags_WidthFixed,
                                        ImGui::CalcTextSize("Correct\xE2\x80\xA6").x +
                                            ImGui::GetStyle().FramePadding.x * 2);
            ImGui::TableHeadersRow();
            // Every row drawn (a day holds a few dozen at most): a held or refused reason
            // wraps, so rows differ in height, which a list clipper cannot skip over.
            for (int i = 0; i < int(recorded.size()); ++i) {
                const auto& a = recorded[std::size_t(i)];
                const auto* m = medication_of(*picture_, a.medication_id);
                const std::string name = m ? m->name : "?";
                ImGui::PushID(i);
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::AlignTextToFramePadding();
                ImGui::TextUnformatted((a.given_at >= picture_->day_start
                                            ? clock_time(a.given_at, zone)
                                            : short_time(a.given_at, zone))
                                           .c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(name.c_str());
                ImGui::TableNextColumn();
                paragraph(status_words(a.status, a.reason));
                if (a.supersedes) {
                    ImGui::SameLine();
                    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
                    ImGui::TextUnformatted("(corrected)");
                    ImGui::PopStyleColor();
                }
                ImGui::TableNextColumn();
                ImGui::Text("%s%s", a.recorded_by.c_str(),
                            a.reporter == Reporter::caregiver ? " (family)" : "");
                if (nurse_) {
                    ImGui::TableNextColumn();
                    if (!a.uuid.empty() && button("Correct\xE2\x80\xA6")) {
                        Correction c;
                        c.dose_id = a.uuid;
                        c.what = fmt::format("{} {} {}", name, clock_time(a.given_at, zone),
                                             code(a.status));
                        correcting_ = std::move(c);
                        error_.clear();
                    }
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
    }
    draw_correction();
    draw_changes();
}

void MedicationsView::draw_correction() {
    if (!correcting_) return;
    auto& c = *correcting_;
    ImGui::Spacing();
    paragraph(fmt::format("Correct: {}", c.what));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Now:");
    for (int i = 0; i < int(std::size(correction_choices)); ++i) {
        ImGui::SameLine();
        const bool chosen = c.status == i;
        if (chosen)
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetColorU32(ImGuiCol_ButtonActive));
        if (button(correction_choices[i])) {
            c.status = i;
            c.focus = true; // back to the reason
        }
        if (chosen) ImGui::PopStyleColor();
    }
    if (c.status != 4) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Given at:");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11.0f);
        ImGui::InputTextWithHint("##correct-when", "as it was", &c.when);
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Why:");
    ImGui::SameLine();
    if (c.focus) {
        ImGui::SetKeyboardFocusHere();
        c.focus = false;
    }
    ImGui::SetNextItemWidth(
        std::max(ImGui::GetFontSize() * 12.0f, ImGui::GetContentRegionAvail().x * 0.6f));
    const bool enter = ImGui::InputTextWithHint("##correct-why", "e.g. given at 08:00, not 10:00",
                                                &c.reason, ImGuiInputTextFlags_EnterReturnsTrue);
    if (button("Save correction") || enter) submit_correction();
    ImGui::SameLine();
    if (correcting_ && button("Cancel##correction")) correcting_.reset();
}

void MedicationsView::submit_correction() {
    auto& c = *correcting_;
    Request r;
    r.kind = Request::correct_dose;
    r.correction.dose_id = c.dose_id;
    r.correction.reason = c.reason;
    if (c.status == 4)
        r.correction.entered_in_error = true;
    else if (c.status > 0)
        r.correction.status = std::array{DoseStatus::given, DoseStatus::held,
                                         DoseStatus::refused}[std::size_t(c.status - 1)];
    if (c.status != 4 && c.when.find_first_not_of(" \t") != std::string::npos) {
        try {
            r.correction.at = app::entry_time(c.when, find_zone(picture_->patient.time_zone),
                                              now_utc(), "the time given");
        } catch (const ValidationError& e) {
            error_ = e.what();
            return;
        }
    }
    r.what = fmt::format("Corrected: {} ({})", c.what, c.reason);
    send(std::move(r));
}

void MedicationsView::draw_changes() {
    const auto& changes = picture_->changes;
    if (changes.empty()) return;
    const auto& zone = picture_->patient.time_zone;
    ImGui::Spacing();
    heading(past_day() ? "Corrections of this day's doses" : "Corrections (last three days)");
    for (const auto& ch : changes) {
        std::string now = "entered in error";
        if (ch.now_given_at)
            now = fmt::format("{} at {}", ch.now_status ? code(*ch.now_status) : "?",
                              short_time(*ch.now_given_at, zone));
        paragraph(fmt::format("{}: {} at {} \xE2\x86\x92 {}. {}, by {} on {}.", ch.med_key,
                              code(ch.was_status), short_time(ch.was_given_at, zone), now,
                              ch.reason, ch.author, short_time(ch.recorded_at, zone)));
    }
}

} // namespace solace::ui
