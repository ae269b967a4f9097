// The Shell's part for the History view: its loads and corrections are done here between
// frames. (Shell members; declared in shell.hpp.)
#include <exception>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "shell.hpp"
#include "wording.hpp"

namespace solace::ui {

void Shell::history_request(const HistoryView::Request& r) {
    if (!session_ || !picture_) return;
    auto& view = patient_view_.history();
    const auto mrn = picture_->patient.mrn;
    if (r.kind == HistoryView::Request::correct) {
        try {
            app::correct_score(*session_, r.score_id, r.value, r.reason);
            sync_soon();
        } catch (const std::exception& e) {
            view.refuse(e.what()); // the form keeps the value and the reason typed
            return;
        }
        view.corrected(fmt::format("Corrected to {}. The value it replaced stays in the history.",
                                   band_words(r.value)));
        // Flags follow the corrected value: the picture and the list's counts change too.
        try {
            picture_ = app::patient_picture(*session_, mrn, now_utc());
            refresh();
        } catch (const std::exception& e) {
            view.refuse(e.what());
            return;
        }
    }
    try {
        view.show(app::patient_history(*session_, mrn, now_utc(), r.range), picture_->serial);
    } catch (const std::exception& e) {
        view.refuse(e.what());
    }
}

} // namespace solace::ui
