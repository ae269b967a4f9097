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
};

} // namespace solace

namespace solace::store {

// Wrong passwords typed in a row for one account.
struct LoginFailures {
    int count = 0;
    std::optional<Instant> last; // the latest wrong one
};

class AccountRepository {
  public:
    explicit AccountRepository(Database& db) : db_(db) {}
    std::int64_t add(const Account& a, std::int64_t now_epoch);
    std::optional<Account> find(std::string_view name);
    std::vector<Account> list();
    std::int64_t count();
    void link(std::int64_t account_id, std::int64_t patient_id); // family may see patient

    LoginFailures login_failures(std::int64_t account_id);
    void record_login_failure(std::int64_t account_id, Instant at);
    void clear_login_failures(std::int64_t account_id);
    void set_disabled(std::int64_t account_id, bool disabled);

  private:
    Database& db_;
};

} // namespace solace::store
