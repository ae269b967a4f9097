// The Shell's part for drafts: what is typed in the visit form is kept in the database as it
// is typed (at most once a second, and at once on a switch of view or patient, a sign-out or
// quitting), offered back when the patient is opened again, and cleared once the visit is saved.
// (Shell members; declared in shell.hpp.)
#include <exception>

#include <imgui.h>

#include "app/drafts.hpp"
#include "shell.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {
// At most one draft write a second while typing: each is a synchronous write to the disk.
constexpr double draft_every_seconds = 1.0;

double clock_now() {
    return ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
}
} // namespace

void Shell::offer_draft() {
    draft_kept_ = app::visit_draft_json({}, false);
    draft_kept_at_ = -1e9;
    draft_waiting_ = false;
    draft_tab_ = patient_view_.current();
    if (!session_ || !picture_) return;
    try {
        const auto draft = app::find_visit_draft(*session_, picture_->patient);
        if (!draft) return;
        const auto& zone = picture_->patient.time_zone;
        const auto now = now_utc();
        const bool today = short_time(draft->updated_at, zone).substr(0, 10) ==
                           short_time(now, zone).substr(0, 10);
        patient_view_.visit().offer_draft(draft->visit, draft->more,
                                          today ? clock_time(draft->updated_at, zone)
                                                : short_time(draft->updated_at, zone));
        draft_kept_ = app::visit_draft_json(draft->visit, draft->more);
    } catch (const std::exception& e) {
        patient_view_.visit().draft_problem(e.what());
    }
}

void Shell::keep_draft(bool now) {
    if (!session_ || !picture_ || screen_ != Screen::patient) return;
    auto& visit = patient_view_.visit();
    if (const auto answer = visit.take_draft_answer();
        answer == VisitView::DraftAnswer::discarded) {
        try {
            app::clear_visit_draft(*session_, picture_->patient);
            draft_kept_ = app::visit_draft_json({}, false);
        } catch (const std::exception& e) {
            visit.draft_problem(e.what());
        }
    }
    // A switch of view is kept at once, as a switch of patient is.
    if (patient_view_.current() != draft_tab_) {
        draft_tab_ = patient_view_.current();
        now = true;
    }
    // The draft on offer stays as it was until it is restored or discarded.
    if (visit.offering_draft()) {
        draft_waiting_ = false;
        return;
    }
    const auto entry = visit.entry();
    const auto json = app::visit_draft_json(entry, visit.more());
    if (json == draft_kept_) {
        draft_waiting_ = false;
        return;
    }
    const double t = clock_now();
    if (!now && t - draft_kept_at_ < draft_every_seconds) {
        draft_waiting_ = true; // the window wakes for it: see draft_due_in()
        return;
    }
    draft_kept_at_ = t; // a failure, too, waits its second before the next try
    draft_waiting_ = false;
    try {
        app::keep_visit_draft(*session_, picture_->patient, entry, visit.more(), now_utc());
        draft_kept_ = json;
        visit.draft_problem({});
    } catch (const std::exception& e) {
        // A locked or full database: the typing stays on screen, and is tried again.
        visit.draft_problem(e.what());
        draft_waiting_ = true;
    }
}

void Shell::forget_draft() {
    if (!session_ || !picture_) return;
    auto& visit = patient_view_.visit();
    try {
        // An older draft still on offer is kept for its answer.
        if (!visit.offering_draft()) app::clear_visit_draft(*session_, picture_->patient);
        draft_kept_ = app::visit_draft_json(visit.entry(), visit.more());
    } catch (const std::exception& e) {
        visit.draft_problem(e.what());
    }
}

double Shell::draft_due_in() const {
    if (!draft_waiting_) return -1.0;
    return std::max(0.0, draft_kept_at_ + draft_every_seconds - clock_now());
}

} // namespace solace::ui
