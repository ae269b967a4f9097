#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/snapshot.hpp"

namespace solace::ui {

// Triage order: a patient whose flags could not be worked out first, then more escalated flags
// (DESIGN §3: first in every nurse's list), more urgent flags, more warnings ("4 urgent + 4
// more" before "1 urgent + 8 more"), the oldest open flag first (waiting longest), more info.
bool more_urgent(const app::PatientRow& a, const app::PatientRow& b);

// The patients the account may see, with their open flags; draws only from the snapshot.
class PatientListView {
  public:
    struct Action {
        enum Kind { refresh, sign_out, open } kind = refresh;
        std::string mrn; // for open
    };

    // A new sign-in, shown in the top bar as "nurse (nurse)": the last account's search,
    // selection and message are gone (a family member never sees what a nurse searched for).
    // A family account reads its patients' open flags as a count of things for the nurse.
    void start(std::string who, bool nurse = true);
    // For tests: the search text as typed.
    const std::string& search() const { return filter_; }
    std::optional<Action> draw(const app::PatientList& list);
    // A new list was taken: sorted again on the next draw (two lists may share a second).
    void list_changed() { sorted_for_ = nullptr; }
    // A patient could not be opened: the reason shows above the list.
    void refuse(std::string why) { error_ = std::move(why); }
    const std::string& selected() const { return selected_; }

  private:
    void sort(const app::PatientList& list);

    std::string account_;
    bool nurse_ = true;
    std::string filter_;
    std::string error_;
    std::string selected_;
    std::vector<int> order_; // rows of the snapshot, sorted and filtered
    const app::PatientList* sorted_for_ = nullptr;
    Instant sorted_at_{};
    std::string sorted_filter_;
    int sort_column_ = 0;
    bool sort_ascending_ = true;
};

} // namespace solace::ui
