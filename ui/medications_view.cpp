// The Medications view: its state, the keys, and the order of its parts (today's doses and
// the as-needed ones in medications_today.cpp, what is asked before a dose is saved in
// medications_confirm.cpp, the medication list and its form in medications_form.cpp, the
// record of what was given in medications_recorded.cpp).
#include "medications_view.hpp"

#include <algorithm>
#include <exception>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "domain/error.hpp"
#include "fonts.hpp"
#include "keys.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {

bool typed(char lower) {
    for (ImWchar c : ImGui::GetIO().InputQueueCharacters)
        if (c == ImWchar(lower) || c == ImWchar(lower - 'a' + 'A')) return true;
    return false;
}

bool typed_exactly(char c) {
    for (ImWchar typed : ImGui::GetIO().InputQueueCharacters)
        if (typed == ImWchar(c)) return true;
    return false;
}

} // namespace

void MedicationsView::start(bool nurse) {
    nurse_ = nurse;
    selected_ = 0;
    day_.reset();
    reason_.reset();
    confirm_.reset();
    form_ = Form{};
    status_.clear();
    error_.clear();
    request_.reset();
}

void MedicationsView::done(std::string message) {
    reason_.reset();
    correcting_.reset();
    confirm_.reset();
    form_ = Form{};
    error_.clear();
    status_ = std::move(message);
}

void MedicationsView::refuse(std::string why) {
    if (sent_kind_ != Request::record_dose && form_.mode != Form::closed)
        form_.error = why; // beside the form's button, the fields as typed
    error_ = std::move(why);
    status_.clear();
}

std::optional<MedicationsView::Request> MedicationsView::take_request() {
    auto r = std::move(request_);
    request_.reset();
    return r;
}

const std::string& MedicationsView::warning_text() const {
    static const std::string none;
    return confirm_ ? confirm_->text : none;
}

const std::string& MedicationsView::reason_text() const {
    static const std::string none;
    return reason_ ? reason_->text : none;
}

std::vector<MedicationsView::Target> MedicationsView::targets(bool nurse) const {
    std::vector<Target> out;
    if (!picture_ || past_day()) return out; // a past day's doses are read, not recorded
    if (nurse) // a family account reads scheduled doses; recording them is the nurse's
        for (std::size_t i = 0; i < picture_->doses.size(); ++i)
            out.push_back({false, i});
    for (std::size_t i = 0; i < picture_->lines.size(); ++i) {
        const auto& l = picture_->lines[i];
        if (is_prn(l.latest.schedule) && !l.stopped) out.push_back({true, i});
    }
    return out;
}

void MedicationsView::send(Request r) {
    sent_kind_ = r.kind;
    error_.clear();
    status_.clear();
    request_ = std::move(r);
}

std::optional<Instant> MedicationsView::given_time(Instant now) {
    try {
        return app::entry_time(when_, find_zone(picture_->patient.time_zone), now,
                               "the time given");
    } catch (const ValidationError& e) {
        error_ = e.what();
        status_.clear();
        return std::nullopt;
    }
}

void MedicationsView::draw_when() {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Given at:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11.0f);
    if (focus_when_) {
        ImGui::SetKeyboardFocusHere();
        focus_when_ = false;
    }
    ImGui::InputTextWithHint("##given-at", "now", &when_);
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted("T, then e.g. 08:00 or yesterday 20:00, up to 72 hours back");
}

void MedicationsView::draw(bool nurse) {
    nurse_ = nurse;
    if (!picture_) {
        muted("Loading the medications\xE2\x80\xA6");
        return;
    }
    const Instant now = now_utc();
    if (picture_->is_today && now > picture_->day_end && refresh_asked_for_ != picture_->day_end &&
        !request_) {
        refresh_asked_for_ = picture_->day_end; // past midnight: today is another day
        Request r;
        r.kind = Request::refresh;
        request_ = std::move(r);
    }
    const auto all = targets(nurse);
    selected_ = std::clamp(selected_, 0, std::max(0, int(all.size()) - 1));

    // Keys first, so this frame already shows what they did.
    ImGuiIO& io = ImGui::GetIO();
    if (confirm_ && !io.WantTextInput) {
        if (enter_pressed()) {
            send(confirm_->request);
            confirm_.reset();
        } else if (key_pressed(keys::escape)) {
            confirm_.reset();
        }
    } else if (reason_ && key_pressed(keys::escape)) {
        reason_.reset();
        error_.clear();
    } else if (reason_ && !io.WantTextInput && enter_pressed()) {
        // Enter left the reason field (or came before it took the keyboard): save it.
        for (const auto& row : picture_->doses)
            if (row.key == reason_->key && row.scheduled.due == reason_->due) {
                record(row, reason_->status, now);
                break;
            }
    } else if (correcting_) {
        if (key_pressed(keys::escape)) correcting_.reset();
    } else if (!io.WantTextInput && (key_pressed(keys::page_up) || typed_exactly('['))) {
        if (picture_->day > picture_->first_day) choose_day(picture_->day - date::days{1});
    } else if (!io.WantTextInput && (key_pressed(keys::page_down) || typed_exactly(']'))) {
        if (past_day()) choose_day(picture_->day + date::days{1});
    } else if (!io.WantTextInput && key_pressed(keys::home)) {
        if (past_day()) choose_day(std::nullopt);
    } else if (!past_day() && !io.WantTextInput && form_.mode == Form::closed && typed('t')) {
        focus_when_ = true;
    } else if (nurse && !io.WantTextInput && form_.mode == Form::closed && typed('a')) {
        open_form(Form::add, nullptr);
    } else if (!io.WantTextInput && !all.empty() && form_.mode == Form::closed) {
        // No letter records a dose while a form is open: a stray click out of a field must not
        // turn the next word typed into doses.
        if (key_pressed(keys::down)) selected_ = std::min(selected_ + 1, int(all.size()) - 1);
        if (key_pressed(keys::up)) selected_ = std::max(selected_ - 1, 0);
        const Target& t = all[std::size_t(selected_)];
        if (t.prn) {
            if (typed('g')) give_prn(picture_->lines[t.index], now);
        } else {
            // The keys do what the row's buttons offer: nothing once a dose is recorded (the
            // record covers its dose; another would count for the next one).
            const auto& row = picture_->doses[t.index];
            if (typed('g') && !row.record)
                record(row, DoseStatus::given, now);
            else if (typed('h') && !row.record)
                record(row, DoseStatus::held, now);
            else if (typed('r') && !row.record)
                record(row, DoseStatus::refused, now);
        }
    }

    const auto& zone = picture_->patient.time_zone;
    const auto day = date_words(picture_->day, app::patient_day(picture_->patient, now));
    // Wrapped: "Today's doses · Wednesday 30 September" is wider than 800 px at Larger text.
    ImGui::PushFont(fonts().heading);
    paragraph(say(past_day() ? Phrase::doses_on_day : Phrase::doses_today, day));
    ImGui::PopFont();
    draw_day_chooser();
    if (past_day()) {
        muted(say(Phrase::past_day_about, zone) +
              (nurse ? " Read only: a dose given that day is recorded on today's page with "
                       "\"Given at\" (up to 72 hours back); Correct\xE2\x80\xA6 below changes "
                       "a recorded one."
                     : ""));
    } else {
        muted(fmt::format("Times are the patient's own clock ({}).{}", zone,
                          nurse ? " Up and Down choose a dose; G records it given, H held, R "
                                  "refused (held and refused ask a reason); A adds a medication."
                                : " Up and Down choose an as-needed medication; G records a dose "
                                  "you gave."));
        draw_when();
    }
    if (!error_.empty()) error_message(error_);
    if (!status_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, good_ink());
        paragraph(status_);
        ImGui::PopStyleColor();
    }
    draw_confirm();
    // An open form comes first, under its message, wherever its button was: in view with its
    // first field taking the keys, and "Added" shown where the nurse is looking.
    if (nurse && form_.mode != Form::closed) {
        if (form_.scroll) {
            ImGui::SetScrollY(0);
            form_.scroll = false;
        }
        draw_form();
        ImGui::Spacing();
    }

    draw_today(nurse, now, all);
    ImGui::Spacing();
    if (past_day()) {
        draw_prn_given();
    } else {
        draw_prn(now, all);
    }
    ImGui::Spacing();
    if (nurse || !past_day()) draw_recorded(); // a family reads a past day in the lists above
    ImGui::Spacing();
    draw_list(nurse);
}

} // namespace solace::ui
