#pragma once
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace solace::app {

// True once the database has an account: the window then asks to sign in, not to create one.
bool has_accounts(store::Database& db);

// Creates the first account, a nurse with admin rights, and audits it (`how` says where from).
// False, with nothing written, when another Solace created one meanwhile.
bool create_first_nurse(store::Database& db, std::string_view name, std::string_view password,
                        std::string_view how);

} // namespace solace::app
