#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "domain/error.hpp"
#include "domain/medication.hpp"
#include "domain/patient.hpp"
#include "domain/time.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"

namespace solace::app {

// At least this many characters: a shared laptop in a patient's home.
inline constexpr std::size_t min_password_length = 6;

std::string hash_password(std::string_view password); // Argon2id (libsodium, interactive limits)
bool verify_password(const std::string& hash, std::string_view password);

// Wrong passwords in a row an account may type before each further try waits.
inline constexpr int free_login_attempts = 5;
// How long the next try waits after `failures` wrong passwords in a row: nothing for the first
// four; from the fifth, 30 s, doubling with each further wrong one, at most 15 minutes. Slow
// enough to stop guessing, short enough that a nurse who mistyped is not locked out of a visit.
std::chrono::seconds login_delay(int failures);
// The wait left at `now` after the last wrong password at `last_failure` (zero: try now).
std::chrono::seconds login_wait(int failures, std::optional<Instant> last_failure, Instant now);
// The wait left for the account `name` (zero for an unknown name), for "try again in N s".
std::chrono::seconds login_wait(store::Database& db, std::string_view name, Instant now);

// A sign-in refused because of too many wrong passwords; `wait` is the time left.
struct LoginDelayed : PermissionError {
    LoginDelayed(const std::string& what, std::chrono::seconds wait)
        : PermissionError(what), wait(wait) {}
    std::chrono::seconds wait;
};

// The window locks after this many minutes without input (the setting lock_after_minutes).
inline constexpr int default_lock_after_minutes = 10;
inline constexpr int max_lock_after_minutes = 30;
std::chrono::minutes lock_after(store::Database& db);
// True when the window should lock: no input for `after` since `last_input`.
bool should_lock(Instant last_input, Instant now, std::chrono::minutes after);

// Who is logged in, and what that role may do. Every use case asks the session first, so the
// role is enforced whatever the path (window, command line, import).
class Session {
  public:
    // Throws PermissionError with a plain message on a wrong name or password, or a disabled
    // account. Logins, good and bad, are audited.
    // After five wrong passwords in a row, a try within login_wait() is refused with
    // LoginDelayed before the password is even checked.
    static Session login(store::Database& db, std::string_view name, std::string_view password,
                         Instant now = now_utc());
    // A session for an account already authenticated (e.g. just created by `init`).
    Session(store::Database& db, Account account) : db_(&db), account_(std::move(account)) {}

    store::Database& db() const { return *db_; }
    const Account& account() const { return account_; }
    bool is_nurse() const { return account_.role == Role::nurse; }

    bool can_read(const Patient& p) const;
    void require_read(const Patient& p) const;
    void require_nurse(std::string_view what) const;
    void require_admin(std::string_view what) const;
    // Family accounts may record only caregiver-reported scores for their own patients.
    void require_write_score(const Patient& p, Reporter reporter) const;
    // Family accounts may record only PRN doses they gave, for their own patients.
    void require_write_dose(const Patient& p, const Medication& m) const;

    // The patient by MRN, if this account may read it; NotFoundError otherwise (a family
    // account is not told whether another patient exists).
    Patient patient(std::string_view mrn) const;
    std::vector<Patient> patients() const;

    // Appends the event to the audit log, after vouching for every row written since the
    // last entry (store::AuditRepository::cover_new_rows): call it inside the write's
    // transaction.
    void audit(std::string_view action, std::optional<std::int64_t> patient_id,
               std::string_view detail) const;
    // For what only reads (reports, exports, the audit log): the event is on record when this
    // returns, but never waits for a writer (queued meanwhile, see AuditRepository).
    void audit_read(std::string_view action, std::optional<std::int64_t> patient_id,
                    std::string_view detail) const;
    // Several such events at once (one per patient read), by patient id and detail.
    void audit_read(
        std::string_view action,
        const std::vector<std::pair<std::optional<std::int64_t>, std::string>>& events) const;

    // The lock screen: lock() audits it; unlock() takes this account's password under the same
    // rules as login (delays, a disabled account is refused) and audits the outcome.
    void lock() const;
    void unlock(std::string_view password, Instant now = now_utc());

  private:
    store::Database* db_;
    Account account_;
};

// Admin only: a disabled account cannot sign in anywhere (window, command line); enabling it
// also clears its count of wrong passwords. An admin cannot disable their own account.
void set_account_disabled(const Session& admin, std::string_view name, bool disabled);
// Admin only: the window's inactivity lock, 1..30 minutes.
void set_lock_after(const Session& admin, std::chrono::minutes after);

} // namespace solace::app
