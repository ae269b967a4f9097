// The Medications view's medication list and, for a nurse, its form: add a medication, change
// one (a new version from a time on) or stop one.
#include <algorithm>
#include <exception>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "medication_words.hpp"
#include "medications_view.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {
constexpr const char* critical_choices[] = {"default (yes for a scheduled opioid)", "yes", "no"};
} // namespace

void MedicationsView::draw_list(bool nurse) {
    const auto& zone = picture_->patient.time_zone;
    heading("Medications");
    if (picture_->lines.empty()) muted("No medication yet.");
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
    if (!picture_->lines.empty() && ImGui::BeginTable("list", nurse ? 4 : 3, flags)) {
        ImGui::TableSetupColumn("Medication", 0, 2.2f);
        ImGui::TableSetupColumn("Schedule", 0, 2.4f);
        ImGui::TableSetupColumn("In force", 0, 2.0f);
        if (nurse) ImGui::TableSetupColumn("Change", 0, 1.6f);
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < picture_->lines.size(); ++i) {
            const auto& line = picture_->lines[i];
            const auto& m = line.latest;
            ImGui::PushID(int(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            paragraph(medication_words(m.name, m.dose, m.route));
            if (nurse) // the key is the nurses' short name; a family member reads the name
                muted(m.key + (m.indication.empty() ? "" : " \xC2\xB7 for " + m.indication));
            else if (!m.indication.empty())
                muted("for " + m.indication);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            paragraph(m.schedule_text + " \xE2\x80\x94 " + schedule_words(m.schedule));
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (line.stopped)
                paragraph(fmt::format("stopped {}", short_time(*m.end, zone)));
            else
                paragraph(fmt::format("since {}{}", short_time(m.start, zone),
                                      m.end ? ", until " + short_time(*m.end, zone) : ""));
            if (line.versions > 1) muted(fmt::format("{} versions", line.versions));
            if (nurse) {
                ImGui::TableNextColumn();
                if (button("Change\xE2\x80\xA6")) open_form(Form::change, &line);
                if (!line.stopped) {
                    // Beside Change when the column holds both, else below it (800 px).
                    const float stop = ImGui::CalcTextSize("Stop\xE2\x80\xA6").x +
                                       ImGui::GetStyle().FramePadding.x * 2;
                    if (ImGui::GetItemRectSize().x + ImGui::GetStyle().ItemSpacing.x + stop <=
                        ImGui::GetContentRegionAvail().x)
                        ImGui::SameLine();
                    if (button("Stop\xE2\x80\xA6")) open_form(Form::stop, &line);
                }
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (nurse && form_.mode == Form::closed && button("Add a medication\xE2\x80\xA6"))
        open_form(Form::add, nullptr);
}

void MedicationsView::open_form(Form::Mode mode, const app::MedicationLine* line) {
    form_ = Form{};
    form_.mode = mode;
    error_.clear();
    status_.clear();
    if (line) {
        const auto& m = line->latest;
        form_.key = m.key;
        form_.name = m.name;
        form_.dose = m.dose;
        form_.route = m.route;
        form_.schedule = m.schedule_text;
        form_.indication = m.indication;
        form_.critical = m.time_critical == clinical::default_time_critical(m.name, m.schedule) ? 0
                         : m.time_critical                                                      ? 1
                                                                                                : 2;
    }
}

void MedicationsView::draw_form() {
    ImGui::Spacing();
    const bool add = form_.mode == Form::add;
    const bool stop = form_.mode == Form::stop;
    heading(add    ? std::string("Add a medication")
            : stop ? fmt::format("Stop {}", form_.name)
                   : fmt::format("Change {} (a new version from a time on)", form_.name));
    const float field = ImGui::GetFontSize() * 16.0f;
    const auto& zone = picture_->patient.time_zone;

    bool submit = false;
    auto text_field = [&](const char* label, const char* id, std::string* value, const char* hint) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(label);
        ImGui::SameLine(ImGui::GetFontSize() * 9.0f);
        ImGui::SetNextItemWidth(field);
        // The form's first field takes the keyboard as it opens, once in view (ImGui does not
        // focus an item scrolled out of sight).
        if (form_.focus && ImGui::IsRectVisible(ImVec2(field, ImGui::GetFrameHeight()))) {
            ImGui::SetKeyboardFocusHere();
            form_.focus = false;
        }
        // Enter in any field does what the form's button does.
        if (ImGui::InputTextWithHint(id, hint, value, ImGuiInputTextFlags_EnterReturnsTrue))
            submit = true;
    };
    if (!stop) {
        if (add) text_field("Key", "##key", &form_.key, "short, e.g. morphine-sr");
        text_field("Name", "##name", &form_.name, "e.g. Morphine sulfate SR");
        text_field("Dose", "##dose", &form_.dose, "e.g. 30 mg");
        text_field("Route", "##route", &form_.route, "e.g. oral");
        text_field("Schedule", "##schedule", &form_.schedule,
                   "08:00,20:00  bid  q4h@06:00  prn q1h max 6");
        // Read back, or its error shown, as it is typed (this frame's text).
        if (form_.schedule != form_.schedule_checked) {
            form_.schedule_checked = form_.schedule;
            form_.schedule_error.clear();
            form_.schedule_words.clear();
            if (!blank(form_.schedule)) {
                try {
                    form_.schedule_words = schedule_words(clinical::parse_schedule(form_.schedule));
                } catch (const std::exception& e) {
                    form_.schedule_error = e.what();
                }
            }
        }
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        if (!form_.schedule_error.empty()) {
            // Under the field, as wide as the form: the message is a sentence or two.
            ImGui::NewLine();
            ImGui::SetCursorPosX(ImGui::GetFontSize() * 9.0f);
            ImGui::BeginGroup();
            ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x);
            error_message(form_.schedule_error);
            ImGui::PopTextWrapPos();
            ImGui::EndGroup();
        } else if (!form_.schedule_words.empty()) {
            ImGui::TextColored(good_ink(), "%s", form_.schedule_words.c_str());
        } else {
            muted("clock times, daily/bid/tid/qid, q4h@06:00 or prn q30m max 6");
        }
        text_field("For", "##indication", &form_.indication, "indication, e.g. pain");
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Time-critical");
        ImGui::SameLine(ImGui::GetFontSize() * 9.0f);
        ImGui::SetNextItemWidth(field * 1.5f);
        ImGui::Combo("##critical", &form_.critical, critical_choices,
                     int(std::size(critical_choices)));
    }
    const auto when_label = add ? "Starts" : stop ? "Stop at" : "From";
    text_field(when_label, "##when", &form_.when, "now, or 2026-03-08 14:00");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted(fmt::format("the patient's local time ({})", zone));
    if (!add) text_field("Reason", "##reason", &form_.reason, "needed, e.g. pain not controlled");

    const char* go = add ? "Add medication" : stop ? "Stop medication" : "Save new version";
    if (button(go) || submit) submit_form();
    ImGui::SameLine();
    if (button("Cancel")) form_ = Form{};
    if (!form_.error.empty()) error_message(form_.error);
}

void MedicationsView::submit_form() {
    const auto& p = picture_->patient;
    Request r;
    r.key = form_.key;
    r.reason = form_.reason;
    form_.error.clear();
    try {
        const auto* zone = find_zone(p.time_zone);
        r.at = blank(form_.when) ? now_utc()
                                 : parse_time(form_.when, form_.mode == Form::add    ? "start"
                                                          : form_.mode == Form::stop ? "stop time"
                                                                                     : "from")
                                       .at(zone);
        if (form_.mode != Form::stop) {
            if (!form_.schedule_error.empty()) throw ValidationError(form_.schedule_error);
            Medication& m = r.med;
            m.key = form_.key;
            m.name = form_.name;
            m.dose = form_.dose;
            m.route = form_.route;
            m.schedule_text = form_.schedule;
            m.schedule = clinical::parse_schedule(form_.schedule);
            m.time_critical = form_.critical == 0
                                  ? clinical::default_time_critical(m.name, m.schedule)
                                  : form_.critical == 1;
            m.indication = form_.indication;
            m.start = r.at;
        }
    } catch (const std::exception& e) {
        form_.error = e.what();
        return;
    }
    if (form_.mode != Form::add && blank(form_.reason)) {
        form_.error = "A reason is needed: say why (e.g. \"pain not controlled\").";
        return;
    }
    switch (form_.mode) {
    case Form::add:
        r.kind = Request::add;
        r.what = fmt::format("Added {}.", form_.name);
        break;
    case Form::change:
        r.kind = Request::change;
        r.what = fmt::format("Changed {} from {}.", form_.name, short_time(r.at, p.time_zone));
        break;
    case Form::stop:
        r.kind = Request::stop;
        r.what = fmt::format("Stopped {} at {}.", form_.name, short_time(r.at, p.time_zone));
        break;
    case Form::closed:
        return;
    }
    send(std::move(r));
}

} // namespace solace::ui
