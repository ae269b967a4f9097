#pragma once
#include <optional>
#include <string>

#include "app/snapshot.hpp"
#include "flags_view.hpp"
#include "visit_view.hpp"

namespace solace::ui {

// One patient: who they are across the top, then the views as tabs (Visit, Flags).
class PatientView {
  public:
    enum class Tab { visit, flags };
    struct Action {
        enum Kind { back, sign_out, save_visit, acknowledge } kind = back;
        app::VisitEntry visit;
        FlagsView::Acknowledge flag;
    };

    // A new patient: empty forms, on `tab`.
    void start(bool nurse, std::string account, Tab tab = Tab::visit);
    std::optional<Action> draw(const app::PatientPicture& picture);

    VisitView& visit() { return visit_; }
    FlagsView& flags() { return flags_; }

  private:
    VisitView visit_;
    FlagsView flags_;
    bool nurse_ = true;
    std::string account_;
    std::optional<Tab> select_; // switch to this tab on the next frame
};

} // namespace solace::ui
