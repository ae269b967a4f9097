#pragma once
#include <optional>
#include <span>
#include <string>

#include "app/snapshot.hpp"
#include "flags_view.hpp"
#include "history_view.hpp"
#include "medications_view.hpp"
#include "summary_view.hpp"
#include "visit_view.hpp"

namespace solace::ui {

// One patient: who they are across the top, then the views as tabs (Visit, History,
// Medications, Flags, Summary), or as a row of buttons when tabs would not fit.
class PatientView {
  public:
    enum class Tab { visit, medications, flags, history, summary };
    struct Action {
        enum Kind { back, sign_out, save_visit, acknowledge } kind = back;
        app::VisitEntry visit;
        FlagsView::Acknowledge flag;
    };

    // A new patient: empty forms, on `tab`.
    void start(bool nurse, std::string account, Tab tab = Tab::visit);
    // The sync status line under the header (empty: none; `problem`: in the error colour).
    void set_sync_line(std::string words, bool problem) {
        sync_line_ = std::move(words);
        sync_problem_ = problem;
    }
    std::optional<Action> draw(const app::PatientPicture& picture);

    VisitView& visit() { return visit_; }
    FlagsView& flags() { return flags_; }
    HistoryView& history() { return history_; }
    MedicationsView& medications() { return medications_; }
    SummaryView& summary() { return summary_; }
    // The tab shown in the last frame.
    Tab current() const { return current_; }

  private:
    struct View {
        Tab tab;
        const char* label;
    };
    // True when the views' tabs (and Display and Lock now, `with_tools`) fit in one row.
    static bool views_fit_as_tabs(std::span<const View> views, bool with_tools);
    void draw_view(Tab tab, const app::PatientPicture& picture, std::optional<Action>& out);
    void draw_tabs(std::span<const View> views, bool with_tools, const app::PatientPicture& picture,
                   std::optional<Action>& out);
    void draw_view_buttons(std::span<const View> views, const app::PatientPicture& picture,
                           std::optional<Action>& out);

    VisitView visit_;
    FlagsView flags_;
    HistoryView history_;
    MedicationsView medications_;
    SummaryView summary_;
    Tab current_ = Tab::visit;
    bool nurse_ = true;
    std::string account_;
    std::string sync_line_;
    bool sync_problem_ = false;
    std::optional<Tab> select_; // switch to this tab on the next frame
    bool buttons_ = false;      // last frame drew the views as buttons, not tabs
};

} // namespace solace::ui
