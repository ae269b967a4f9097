#include "admin_patients_view.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {
// Why care ended, as stored and as the nurse reads it.
constexpr std::array<std::pair<const char*, const char*>, 3> reasons{
    {{"died", "Died"}, {"transferred", "Transferred"}, {"other", "Other"}}};

std::string status_of(const Patient& p) {
    if (!p.discharged_at) return "in care";
    const auto day = short_time(*p.discharged_at, p.time_zone);
    return p.discharge_reason == "died" ? fmt::format("died {}", day)
                                        : fmt::format("{} {}", p.discharge_reason, day);
}
} // namespace

void AdminPatientsView::show(std::vector<Patient> patients) {
    rows_.clear();
    for (auto& p : patients) {
        auto status = status_of(p);
        rows_.push_back({std::move(p), std::move(status)});
    }
    if (page_ == Page::patient && !selected()) page_ = Page::list;
    if (page_ == Page::patient) select(selected_); // the details as saved
}

void AdminPatientsView::done(std::string message, const std::string& mrn) {
    message_ = std::move(message);
    error_.clear();
    when_.clear();
    if (!mrn.empty()) open(mrn); // after show(): the new patient is in the list
}

void AdminPatientsView::refuse(std::string why) {
    error_ = std::move(why);
    message_.clear();
}

void AdminPatientsView::start_admission() {
    page_ = Page::admission;
    focus_ = true;
    form_ = {};
    error_.clear();
    message_.clear();
}

void AdminPatientsView::open(const std::string& mrn) {
    select(mrn);
    if (selected()) page_ = Page::patient;
}

const AdminPatientsView::Row* AdminPatientsView::selected() const {
    for (const auto& r : rows_)
        if (r.patient.mrn == selected_) return &r;
    return nullptr;
}

void AdminPatientsView::select(const std::string& mrn) {
    if (mrn != selected_) { // what was chosen for another patient does not carry over
        confirming_ = false;
        reason_.clear();
        when_.clear();
    }
    selected_ = mrn;
    const auto* r = selected();
    if (!r) return;
    const auto& p = r->patient;
    form_ = {p.mrn,       p.name,      format_date(p.date_of_birth),
             p.time_zone, p.diagnosis, p.on_call_phone};
}

void AdminPatientsView::draw_list() {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("patients", 3, flags, ImVec2(0, 0))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("MRN", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("Care", ImGuiTableColumnFlags_WidthStretch, 2.5f);
    ImGui::TableHeadersRow();
    for (const auto& r : rows_) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (ImGui::Selectable(fmt::format("{}##{}", r.patient.name, r.patient.mrn).c_str(),
                              r.patient.mrn == selected_, ImGuiSelectableFlags_SpanAllColumns)) {
            open(r.patient.mrn);
            error_.clear();
            message_.clear();
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.patient.mrn.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.status.c_str());
    }
    ImGui::EndTable();
}

std::optional<AdminPatientsView::Request> AdminPatientsView::draw_details(bool admitting) {
    std::optional<Request> out;
    const float em = ImGui::GetFontSize();
    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    bool submit = false;
    if (ImGui::BeginTable("details", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, em * 8.0f);
        ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch);
        // The MRN names the patient everywhere: typed once, at admission (the heading shows it).
        if (admitting) {
            form_row("MRN");
            if (focus_) {
                ImGui::SetKeyboardFocusHere();
                focus_ = false;
            }
            submit |= ImGui::InputText("##mrn", &form_.mrn, enter);
        }
        form_row("Name");
        submit |= ImGui::InputText("##name", &form_.name, enter);
        form_row("Date of birth");
        submit |= ImGui::InputTextWithHint("##born", "YYYY-MM-DD", &form_.born, enter);
        form_row("Time zone");
        submit |= ImGui::InputTextWithHint("##zone", "e.g. Europe/London", &form_.zone, enter);
        form_row("Diagnosis");
        submit |= ImGui::InputText("##diagnosis", &form_.diagnosis, enter);
        form_row("On-call number");
        submit |= ImGui::InputTextWithHint("##oncall", "the agency's 24-hour number",
                                           &form_.on_call, enter);
        ImGui::EndTable();
    }
    if (admitting) {
        submit |= button("Admit");
        ImGui::SameLine();
        if (button("Cancel")) {
            page_ = Page::list;
            error_.clear();
        }
    } else {
        submit |= button("Save changes");
    }
    if (submit) out = Request{admitting ? Request::admit : Request::edit, form_};
    return out;
}

std::optional<AdminPatientsView::Request> AdminPatientsView::draw_end_of_care(const Row& row) {
    std::optional<Request> out;
    const auto& p = row.patient;
    heading("End of care");
    if (p.discharged_at) {
        muted(fmt::format("{} {}. The record stays readable; no dose flags after that time.",
                          p.name, row.status));
        return out;
    }
    for (const auto& [stored, words] : reasons) {
        if (stored != reasons.front().first)
            same_line_if_fits(ImGui::CalcTextSize(words).x +
                              ImGui::GetStyle().FramePadding.x * 2.0f);
        if (choice_button(words, reason_ == stored)) reason_ = stored;
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("When");
    ImGui::SameLine();
    const char* hint = "now, 04:10, yesterday 20:00";
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(hint).x + ImGui::GetStyle().FramePadding.x * 2.0f);
    const bool enter =
        ImGui::InputTextWithHint("##when", hint, &when_, ImGuiInputTextFlags_EnterReturnsTrue);
    same_line_if_fits(ImGui::CalcTextSize("Record the death").x + ImGui::GetFontSize());
    const char* label = reason_ == "died" ? "Record the death" : "Record the discharge";
    if (button(label) || enter) {
        if (reason_.empty())
            refuse("Choose why care ended: died, transferred or other.");
        else
            confirming_ = true;
    }
    if (!confirming_) return out;
    // Care ends once: asked again, so that no stray click or key ends it.
    paragraph(fmt::format("{} for {} at {}? No dose flags come after it, and it cannot be "
                          "undone.",
                          reason_ == "died" ? "Record the death" : "End care", p.name,
                          when_.empty() ? "this moment" : when_));
    if (button("Yes, record it")) {
        confirming_ = false;
        Request r{Request::discharge};
        r.mrn = p.mrn;
        r.reason = reason_;
        r.when = when_;
        out = r;
    }
    ImGui::SameLine();
    if (button("Cancel##discharge")) confirming_ = false;
    return out;
}

std::optional<AdminPatientsView::Request> AdminPatientsView::draw_goal(const Row& row) {
    std::optional<Request> out;
    heading("Comfort goal");
    muted("A score above the goal is flagged.");
    const auto symptoms = all_symptoms();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    const auto& chosen = symptoms[std::size_t(symptom_)];
    if (ImGui::BeginCombo("##symptom", std::string(chosen.label).c_str())) {
        for (int i = 0; i < int(symptoms.size()); ++i)
            if (ImGui::Selectable(std::string(symptoms[std::size_t(i)].label).c_str(),
                                  i == symptom_))
                symptom_ = i;
        ImGui::EndCombo();
    }
    same_line_if_fits(ImGui::GetFontSize() * 12.0f);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("at most");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
    ImGui::SliderInt("##goal", &goal_, min_score, max_score, "%d",
                     ImGuiSliderFlags_AlwaysClamp); // app/ checks 0..10 again
    same_line_if_fits(ImGui::CalcTextSize("Set the goal").x + ImGui::GetFontSize());
    if (button("Set the goal")) {
        Request r{Request::set_goal};
        r.mrn = row.patient.mrn;
        r.symptom = chosen.symptom;
        r.goal = goal_;
        out = r;
    }
    return out;
}

std::optional<AdminPatientsView::Request> AdminPatientsView::draw() {
    std::optional<Request> out;
    const auto* row = page_ == Page::patient ? selected() : nullptr;
    switch (page_) {
    case Page::list:
        if (button("Admit a patient")) start_admission();
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        // Wrapped: at Larger text in a narrow window it takes a second line.
        muted(fmt::format("{} {}; choose one to change it, end care or set a goal.", rows_.size(),
                          rows_.size() == 1 ? "patient" : "patients"));
        break;
    case Page::patient:
        if (!row) {
            page_ = Page::list;
            return out;
        }
        if (button("< All patients")) {
            page_ = Page::list;
            error_.clear();
            message_.clear();
            return out;
        }
        ImGui::SameLine();
        heading(fmt::format("{} ({})", row->patient.name, row->patient.mrn));
        break;
    case Page::admission:
        heading("Admit a patient");
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
    ImGui::BeginChild("patient", ImVec2(0, 0), false);
    if (auto r = draw_details(page_ == Page::admission)) out = r;
    if (row) {
        ImGui::Spacing();
        if (auto r = draw_end_of_care(*row)) out = r;
        ImGui::Spacing();
        if (auto r = draw_goal(*row)) out = r;
    }
    ImGui::EndChild();
    return out;
}

} // namespace solace::ui
