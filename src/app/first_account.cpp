#include "app/first_account.hpp"

#include <fmt/format.h>

#include "app/session.hpp"
#include "store/account_repository.hpp"

namespace solace::app {

bool has_accounts(store::Database& db) {
    return store::AccountRepository(db).count() > 0;
}

bool create_first_nurse(store::Database& db, std::string_view name, std::string_view password,
                        std::string_view how) {
    const auto hash = hash_password(password);
    store::AccountRepository accounts(db);
    store::Transaction tx(db);
    if (accounts.count() != 0) return false;
    accounts.add({0, std::string(name), Role::nurse, true, false, hash, {}}, to_epoch(now_utc()));
    Session(db, *accounts.find(name))
        .audit("account.add", std::nullopt,
               fmt::format("{}; first account {} (nurse, admin)", how, name));
    tx.commit();
    return true;
}

} // namespace solace::app
