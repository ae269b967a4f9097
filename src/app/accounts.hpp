#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "app/session.hpp"

namespace solace::app {

// Accounts as the agency's admin keeps them (DESIGN §1, §5): the command line's `user` verbs
// and the window's "Patients and accounts" screen both come here. Admins only: any other
// account is refused with a PermissionError. Each change is one transaction, audited; the
// audit never holds a password.

// An account as the admin sees it in a list.
struct AccountRow {
    std::string name;
    Role role = Role::nurse;
    bool is_admin = false;
    bool disabled = false;
    std::vector<std::string> patients{}; // MRNs a family account may see
};
std::vector<AccountRow> account_list(const Session& admin);

struct NewAccount {
    std::string name; // 1..64 letters, digits, '.', '-', '_'
    Role role = Role::nurse;
    bool is_admin = false;               // nurses only
    std::vector<std::string> patients{}; // MRNs; a family account needs at least one
};
// Everything add_account checks but the password, for asking it only then; the same errors.
void check_new_account(const Session& admin, const NewAccount& a);
// Adds the account with `password` (at least min_password_length characters). ValidationError
// for a name already used, a family account without a patient, a nurse given patients or a
// family admin; NotFoundError for an unknown MRN.
std::int64_t add_account(const Session& admin, const NewAccount& a, std::string_view password);

// Lets the family account `name` see the patient `mrn` too.
void link_family(const Session& admin, std::string_view name, std::string_view mrn);

// A new password for `name` (a new version of the account); its count of wrong passwords is
// cleared, so someone who forgot theirs can sign in at once with the new one.
void reset_password(const Session& admin, std::string_view name, std::string_view password);

// Overwrites a typed password or passphrase before the string lets go of it.
void wipe(std::string& secret);

} // namespace solace::app
