#include "store/login_throttle.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <sqlite3.h>

#include "domain/error.hpp"

namespace solace::store {

namespace {

constexpr int throttle_busy_ms = 5000; // its transactions last microseconds

// A prepared statement on the throttle file, finalized on scope exit.
class Query {
  public:
    Query(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw StoreError(fmt::format("The sign-in throttle file could not be read: {}.",
                                         sqlite3_errmsg(db)));
    }
    ~Query() { sqlite3_finalize(stmt_); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    Query& text(int i, std::string_view v) {
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Query& number(int i, std::int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw StoreError(fmt::format("The sign-in throttle file could not be written: {}.",
                                     sqlite3_errmsg(sqlite3_db_handle(stmt_))));
    }
    sqlite3_stmt* get() const { return stmt_; }

  private:
    sqlite3_stmt* stmt_ = nullptr;
};

std::string key(std::string_view name) {
    return std::string(name.substr(0, 64));
}

} // namespace

std::filesystem::path LoginThrottle::path_for(const std::filesystem::path& database) {
    return database.string() + ".logins";
}

LoginThrottle::LoginThrottle(const std::filesystem::path& database) {
    const auto path = path_for(database);
    // Created private whatever the umask; never through a planted link.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        throw StoreError(fmt::format("Solace could not open its sign-in throttle file {} ({}). "
                                     "Check that you may write in that folder.",
                                     path.string(), std::strerror(errno)));
    ::close(fd);
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
                        nullptr) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw StoreError(fmt::format("Solace could not open its sign-in throttle file {}: {}.",
                                     path.string(), why));
    }
    sqlite3_busy_timeout(db_, throttle_busy_ms);
    try {
        exec("CREATE TABLE IF NOT EXISTS login_attempt (name TEXT PRIMARY KEY CHECK (length(name) "
             "BETWEEN 1 AND 64), failures INTEGER NOT NULL CHECK (failures >= 1), last_failed_at "
             "INTEGER NOT NULL) STRICT, WITHOUT ROWID");
    } catch (...) {
        sqlite3_close(db_);
        throw;
    }
}

LoginThrottle::~LoginThrottle() {
    sqlite3_close(db_);
}

void LoginThrottle::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string why = err ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        throw StoreError(fmt::format("The sign-in throttle file could not be written: {}.", why));
    }
}

LoginFailures LoginThrottle::failures(std::string_view name) {
    Query q(db_, "SELECT failures, last_failed_at FROM login_attempt WHERE name = lower(?)");
    q.text(1, key(name));
    LoginFailures f;
    if (q.step()) {
        f.count = sqlite3_column_int(q.get(), 0);
        f.last = Instant{std::chrono::seconds{sqlite3_column_int64(q.get(), 1)}};
    }
    return f;
}

LoginThrottle::Try
LoginThrottle::count_try(std::string_view name, Instant now,
                         const std::function<std::chrono::seconds(const LoginFailures&)>& wait) {
    exec("BEGIN IMMEDIATE");
    try {
        Try t;
        t.before = failures(name);
        if (wait(t.before).count() == 0) {
            Query q(db_, "INSERT INTO login_attempt (name, failures, last_failed_at) VALUES "
                         "(lower(?1), 1, ?2) ON CONFLICT (name) DO UPDATE SET failures = "
                         "failures + 1, last_failed_at = excluded.last_failed_at");
            q.text(1, key(name)).number(2, now.time_since_epoch().count());
            q.step();
            t.counted = true;
        }
        exec("COMMIT");
        return t;
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void LoginThrottle::clear(std::string_view name) {
    Query q(db_, "DELETE FROM login_attempt WHERE name = lower(?)");
    q.text(1, key(name));
    q.step();
}

} // namespace solace::store
