#pragma once
#include <optional>

#include "accounts_view.hpp"
#include "admin_patients_view.hpp"

namespace solace::ui {

// "Patients and accounts" (admins, issue 11 item 5): the screen that holds the admin's patients
// and accounts, one of them in sight at a time. Opened from the session bar, like the audit log.
class AdminView {
  public:
    enum class Part { patients, accounts };
    struct Request {
        enum Kind { load, close, patient, account } kind = load;
        std::optional<AdminPatientsView::Request> patient_request{};
        std::optional<AccountsView::Request> account_request{};
    };

    // Opened: the first draw asks for the lists.
    void start(Part part = Part::patients);
    std::optional<Request> draw();
    // Closed: what was typed goes, passwords first.
    void stop();

    AdminPatientsView& patients() { return patients_; }
    AccountsView& accounts() { return accounts_; }
    Part part() const { return part_; }

  private:
    AdminPatientsView patients_;
    AccountsView accounts_;
    Part part_ = Part::patients;
    bool asked_ = false;
};

} // namespace solace::ui
