#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/time.hpp"
#include "store/database.hpp"

namespace solace {

enum class Role { nurse, family };
std::string_view code(Role r);

struct Account {
    std::int64_t id = 0;
    std::string name;
    Role role = Role::nurse;
    bool is_admin = false;
    bool disabled = false;
    std::string password_hash;             // Argon2id, libsodium's string form
    std::vector<std::int64_t> patient_ids; // family accounts: the patients they may see
    std::string uuid{}; // made where it was written (DESIGN §7); empty before it is stored
};

} // namespace solace

namespace solace::store {

// Letters, digits, '.', '-' and '_', 1 to 64: no spaces, look-alikes or terminal escapes in
// the audit log and on screen (schema 7 refuses other names too: account_name_allowed).
// ValidationError otherwise.
void require_account_name(std::string_view name);

class AccountRepository {
  public:
    explicit AccountRepository(Database& db) : db_(db) {}
    // Adds the account and its first version; `author_id` is the admin who added it (none
    // for the first account of a new database).
    std::int64_t add(const Account& a, std::int64_t now_epoch,
                     std::optional<std::int64_t> author_id = std::nullopt);
    // A change of role, password or disabled state: a new version carrying every field.
    void add_version(const Account& a, std::int64_t now_epoch,
                     std::optional<std::int64_t> author_id);
    std::optional<Account> find(std::string_view name);
    std::vector<Account> list();
    std::int64_t count();
    void link(std::int64_t account_id, std::int64_t patient_id); // family may see patient

  private:
    Database& db_;
};

} // namespace solace::store
