// The Medications view's day chooser (Previous day, Next day, Today) and, on a past day, the
// as-needed doses given that day. The words are the family's table's (plain_words.hpp): the
// nurse reads the same ones.
#include <algorithm>

#include <fmt/format.h>
#include <imgui.h>

#include "medication_words.hpp"
#include "medications_view.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {

float button_width(std::string_view label) {
    return ImGui::CalcTextSize(label.data(), label.data() + label.size()).x +
           ImGui::GetStyle().FramePadding.x * 2;
}

// A button drawn greyed out and inert when there is nowhere to go.
bool step_button(Phrase label, bool can) {
    if (!can) ImGui::BeginDisabled();
    const bool clicked = button(std::string(phrase(label)).c_str());
    if (!can) ImGui::EndDisabled();
    return clicked && can;
}

} // namespace

void MedicationsView::choose_day(std::optional<date::local_days> day) {
    if (day && *day >= app::patient_day(picture_->patient, now_utc()))
        day.reset(); // today follows the clock past midnight
    day_ = day;
    selected_ = 0;
    reason_.reset();
    confirm_.reset();
    correcting_.reset();
    error_.clear();
    status_.clear();
    Request r;
    r.kind = Request::refresh;
    send(std::move(r));
}

void MedicationsView::draw_day_chooser() {
    const auto& p = *picture_;
    if (step_button(Phrase::day_previous, p.day > p.first_day)) choose_day(p.day - date::days{1});
    same_line_if_fits(button_width(phrase(Phrase::day_next)));
    if (step_button(Phrase::day_next, past_day())) choose_day(p.day + date::days{1});
    same_line_if_fits(button_width(phrase(Phrase::day_today)));
    if (step_button(Phrase::day_today, past_day())) choose_day(std::nullopt);
    const auto keys = phrase(Phrase::day_keys);
    const float beside = ImGui::GetItemRectMax().y;
    same_line_if_fits(std::min(ImGui::CalcTextSize(keys.data(), keys.data() + keys.size()).x,
                               ImGui::GetFontSize() * 12.0f));
    if (ImGui::GetCursorScreenPos().y < beside)
        ImGui::AlignTextToFramePadding(); // on the buttons' line
    muted(keys);
}

void MedicationsView::draw_prn_given() {
    const auto& p = *picture_;
    const auto& zone = p.patient.time_zone;
    std::vector<std::string> lines; // oldest first, as the day went
    for (auto a = p.recorded.rbegin(); a != p.recorded.rend(); ++a) {
        if (a->status != DoseStatus::given) continue;
        const auto m = std::find_if(p.record.medications.begin(), p.record.medications.end(),
                                    [&](const Medication& m) { return m.id == a->medication_id; });
        if (m == p.record.medications.end() || !is_prn(m->schedule)) continue;
        auto who = a->recorded_by.empty() ? a->author : a->recorded_by;
        if (nurse_ && a->reporter == Reporter::caregiver) who += " (family)";
        auto line = say(Phrase::prn_given_line, clock_time(a->given_at, zone),
                        medication_words(m->name, m->dose, m->route), who);
        if (nurse_ && !m->indication.empty()) line += fmt::format(" (for {})", m->indication);
        lines.push_back(std::move(line));
    }
    heading(say(Phrase::prn_given_heading, lines.size()));
    if (lines.empty()) muted(phrase(Phrase::prn_given_none));
    for (const auto& l : lines)
        paragraph(l);
}

} // namespace solace::ui
