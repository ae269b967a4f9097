#pragma once
// Wrong passwords in a row per name typed (known or not, enabled or not, lower-cased, at most
// 64 bytes), kept in a small SQLite file of its own beside the database, `<db>.logins` (0600).
// Its own lock is held for microseconds, so a try is counted before its password is checked
// even while an import holds the database's write lock, and tries made at once from several
// windows or commands each count.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "domain/time.hpp"

struct sqlite3;

namespace solace::store {

// Wrong passwords typed in a row for one name.
struct LoginFailures {
    int count = 0;
    std::optional<Instant> last; // the latest wrong one
};

class LoginThrottle {
  public:
    // Opens (creating when needed) the throttle file of the database at `database`.
    explicit LoginThrottle(const std::filesystem::path& database);
    ~LoginThrottle();
    LoginThrottle(const LoginThrottle&) = delete;
    LoginThrottle& operator=(const LoginThrottle&) = delete;

    static std::filesystem::path path_for(const std::filesystem::path& database);

    LoginFailures failures(std::string_view name);

    // In one transaction: when `wait(failures)` is zero, counts this try as wrong (a good
    // password clears it after) and returns the failures before it with counted = true;
    // otherwise counts nothing.
    struct Try {
        LoginFailures before;
        bool counted = false;
    };
    Try count_try(std::string_view name, Instant now,
                  const std::function<std::chrono::seconds(const LoginFailures&)>& wait);

    void clear(std::string_view name);

  private:
    void exec(const char* sql);
    sqlite3* db_ = nullptr;
};

} // namespace solace::store
