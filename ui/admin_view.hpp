#pragma once
#include <optional>
#include <string>

#include "accounts_view.hpp"
#include "admin_patients_view.hpp"

namespace solace::ui {

// "Patients and accounts" (issue 11 item 5): the screen where a nurse admits, changes and
// discharges patients and sets comfort goals, and an admin also keeps the accounts, one part in
// sight at a time. A nurse who is not an admin gets the patients part alone ("Admissions and
// discharges"), with no word of accounts. Opened from the session bar, like the audit log.
class AdminView {
  public:
    enum class Part { patients, accounts };
    struct Request {
        enum Kind { load, close, patient, account } kind = load;
        std::optional<AdminPatientsView::Request> patient_request{};
        std::optional<AccountsView::Request> account_request{};
    };

    // Opened: the first draw asks for the lists. Without `with_accounts` only the patients part
    // is drawn, whatever `part` says.
    void start(Part part, bool with_accounts);
    std::optional<Request> draw();
    // Closed: what was typed goes, passwords first.
    void stop();

    AdminPatientsView& patients() { return patients_; }
    AccountsView& accounts() { return accounts_; }
    Part part() const { return part_; }
    bool with_accounts() const { return with_accounts_; }
    // What the screen is called, and the session bar's button that opens or closes it.
    static const char* title(bool with_accounts);
    static std::string bar_label(bool with_accounts, bool open);

  private:
    AdminPatientsView patients_;
    AccountsView accounts_;
    Part part_ = Part::patients;
    bool asked_ = false;
    bool with_accounts_ = false;
};

} // namespace solace::ui
