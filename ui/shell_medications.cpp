// The Shell's part for the Medications view: its requests are done here between frames, and
// its snapshot retaken after each change. (Shell members; declared in shell.hpp.)
#include <exception>

#include "app/clinic.hpp"
#include "app/medications.hpp"
#include "shell.hpp"

namespace solace::ui {

void Shell::refresh_medications() {
    if (!session_ || !picture_) return;
    try {
        auto& view = patient_view_.medications();
        view.show(app::medications_picture(*session_, picture_->patient.mrn, now_utc(),
                                           view.chosen_day()));
    } catch (const std::exception& e) {
        patient_view_.medications().refuse(e.what());
    }
}

void Shell::medication(const MedicationsView::Request& r) {
    if (!session_ || !picture_) return;
    const auto& mrn = picture_->patient.mrn;
    auto& view = patient_view_.medications();
    if (r.kind == MedicationsView::Request::refresh) {
        refresh_medications();
        return;
    }
    try {
        switch (r.kind) {
        case MedicationsView::Request::record_dose:
            app::record_dose(*session_, r.dose);
            break;
        case MedicationsView::Request::add:
            app::add_medication(*session_, mrn, r.med);
            break;
        case MedicationsView::Request::change:
            app::change_medication(*session_, mrn, r.key, r.med, r.at, r.reason);
            break;
        case MedicationsView::Request::stop:
            app::stop_medication(*session_, mrn, r.key, r.at, r.reason);
            break;
        case MedicationsView::Request::correct_dose:
            app::correct_dose(*session_, r.correction);
            break;
        case MedicationsView::Request::refresh:
            break;
        }
    } catch (const std::exception& e) {
        // What was typed stays in the view; the reason shows where it was typed.
        view.refuse(e.what());
        return;
    }
    sync_soon();
    // Saved: the doses, the flags (late, missed, too soon) and the list's counts change.
    view.done(r.kind == MedicationsView::Request::record_dose ? "Recorded: " + r.what + "."
                                                              : r.what);
    try {
        const auto now = now_utc();
        picture_ = app::patient_picture(*session_, mrn, now);
        // Only this patient's row of the list changes: recounting all patients (five years of
        // a hundred of them) would hold the window for a fifth of a second after each tick.
        for (auto& row : patients_.patients)
            if (row.mrn == mrn) app::count_open_flags(row, picture_->flags);
    } catch (const std::exception& e) {
        view.refuse(e.what());
    }
    refresh_medications();
}

} // namespace solace::ui
