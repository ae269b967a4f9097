// Recording a dose from the Medications view: what is asked before it is saved (a reason for a
// dose held or refused; a confirmation for a controlled or time-critical medication, for a
// dose that counts for another, for a PRN dose that would raise a flag, and for every dose a
// family member records), and the box that asks.
#include <algorithm>
#include <exception>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/medications.hpp"
#include "medication_words.hpp"
#include "medications_view.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

void MedicationsView::record(const app::DoseRow& row, DoseStatus status, Instant now) {
    const auto& zone = picture_->patient.time_zone;
    Request r;
    r.kind = Request::record_dose;
    r.dose.mrn = picture_->patient.mrn;
    r.dose.med = row.key;
    r.dose.status = status;
    if (status != DoseStatus::given) {
        if (!reason_ || reason_->key != row.key || reason_->due != row.scheduled.due ||
            reason_->status != status) {
            reason_ = ReasonEntry{row.key, row.scheduled.due, status, {}, true};
            error_.clear();
            return;
        }
        if (blank(reason_->text)) {
            error_ = fmt::format("A {} dose needs a reason (e.g. \"asleep\", \"nausea\"): type it "
                                 "beside the dose, then Enter.",
                                 code(status));
            reason_->focus = true;
            return;
        }
        r.dose.reason = reason_->text;
        // Dated at the dose it is about, so it covers that dose and no other; a dose not yet
        // due is held now (a record dated later would not be seen until then).
        r.dose.at = std::min(row.scheduled.due, now);
        r.what = fmt::format("{} {} dose {}: {}", row.name, clock_time(row.scheduled.due, zone),
                             code(status), reason_->text);
    } else {
        const auto at = given_time(now);
        if (!at) return;
        r.dose.at = *at;
        r.what = fmt::format("{} given at {}", row.name, short_time(*at, zone));
    }
    const auto preview = app::preview_dose(*picture_, row.key, r.dose.at, status);
    if (preview.covers && preview.covers->due != row.scheduled.due) {
        Confirm c;
        c.request = r;
        c.title = "This counts for another dose";
        c.text = fmt::format(
            "Recorded now, this {} of {} counts for the {} dose, the nearest in time, not the {} "
            "one.{}",
            status == DoseStatus::given ? "dose" : code(status), row.name,
            short_time(preview.covers->due, zone), clock_time(row.scheduled.due, zone),
            status == DoseStatus::given
                ? fmt::format(" To say the {} dose was not given, record it held or refused.",
                              clock_time(row.scheduled.due, zone))
                : std::string{});
        c.severity = Severity::info;
        confirm_ = std::move(c);
        return;
    }
    if (status == DoseStatus::given && (row.time_critical || app::names_controlled(row.name))) {
        Confirm c;
        c.title = fmt::format("Confirm: {} is {}", row.name,
                              app::names_controlled(row.name) ? "a controlled medication"
                                                              : "time-critical");
        c.text =
            fmt::format("Record {} given at {}?", medication_words(row.name, row.dose, row.route),
                        short_time(r.dose.at, zone));
        c.request = std::move(r);
        c.severity = Severity::info;
        confirm_ = std::move(c);
        return;
    }
    send(std::move(r));
}

void MedicationsView::give_prn(const app::MedicationLine& line, Instant now) {
    const auto& zone = picture_->patient.time_zone;
    Request r;
    r.kind = Request::record_dose;
    r.dose.mrn = picture_->patient.mrn;
    r.dose.med = line.latest.key;
    r.dose.status = DoseStatus::given;
    const auto at = given_time(now);
    if (!at) return;
    r.dose.at = *at;
    r.what = fmt::format("{} (as needed) given at {}", line.latest.name, short_time(*at, zone));
    const auto preview = app::preview_dose(*picture_, line.latest.key, *at, DoseStatus::given);
    Confirm c;
    c.request = r;
    c.severity = Severity::info;
    if (preview.flags.empty()) {
        if (nurse_ && !app::names_controlled(line.latest.name)) {
            send(std::move(r));
            return;
        }
        c.title = fmt::format("Confirm: {} given at {}?", line.latest.name, short_time(*at, zone));
        c.text =
            fmt::format("Record one dose of {} given at {}.",
                        medication_words(line.latest.name, line.latest.dose, line.latest.route),
                        short_time(*at, zone));
        confirm_ = std::move(c);
        return;
    }
    std::string rules;
    for (const auto& f : preview.flags) {
        c.severity = std::max(c.severity, f.severity);
        rules += (rules.empty() ? "" : ", ") + rule_words(f.rule);
        c.text += (c.text.empty() ? "" : " ") + f.detail;
    }
    c.title = fmt::format("Not saved yet: this dose would be {}", rules);
    confirm_ = std::move(c);
}

void MedicationsView::draw_confirm() {
    if (!confirm_) return;
    // A box as tall as its contents, in the warning's colour, above the doses.
    const ImVec4 fill = severity_fill(confirm_->severity);
    const float pad = ImGui::GetFontSize() * 0.6f;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->ChannelsSplit(2);
    ImGui::GetWindowDrawList()->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(top.x + pad, top.y + pad));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - pad);
    pill(fmt::format("{}: {}", code(confirm_->severity), confirm_->title), fill,
         severity_ink(confirm_->severity));
    paragraph(confirm_->text);
    ImGui::PopTextWrapPos();
    if (button("Record anyway  (Enter)")) {
        send(confirm_->request);
        confirm_.reset();
    }
    ImGui::SameLine();
    if (button("Cancel  (Esc)")) confirm_.reset();
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + pad;
    const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
    ImGui::GetWindowDrawList()->ChannelsSetCurrent(0);
    ImGui::GetWindowDrawList()->AddRect(top, ImVec2(right, bottom), ImGui::GetColorU32(fill),
                                        ImGui::GetFontSize() * 0.3f, 0, 3.0f);
    ImGui::GetWindowDrawList()->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(top.x, bottom));
    ImGui::Dummy(ImVec2(right - top.x, ImGui::GetStyle().ItemSpacing.y));
}

} // namespace solace::ui
