#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/snapshot.hpp"

namespace solace::ui {

// The patients the account may see, with their open flags; draws only from the snapshot.
class PatientListView {
  public:
    struct Action {
        enum Kind { refresh, sign_out, open } kind = refresh;
        std::string mrn; // for open
    };

    // Who is signed in, shown in the top bar: "nurse (nurse)".
    void set_account(std::string who) { account_ = std::move(who); }
    std::optional<Action> draw(const app::PatientList& list);
    // A patient could not be opened: the reason shows above the list.
    void refuse(std::string why) { error_ = std::move(why); }
    const std::string& selected() const { return selected_; }

  private:
    void sort(const app::PatientList& list);

    std::string account_;
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
