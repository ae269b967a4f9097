#pragma once
#include <optional>
#include <string>

#include "domain/medication.hpp"
#include "domain/patient.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"

namespace solace::app {

// At least this many characters: a shared laptop in a patient's home.
inline constexpr std::size_t min_password_length = 6;

std::string hash_password(std::string_view password); // Argon2id (libsodium, interactive limits)
bool verify_password(const std::string& hash, std::string_view password);

// Who is logged in, and what that role may do. Every use case asks the session first, so the
// role is enforced whatever the path (window, command line, import).
class Session {
  public:
    // Throws PermissionError with a plain message on a wrong name or password, or a disabled
    // account. Logins, good and bad, are audited.
    static Session login(store::Database& db, std::string_view name, std::string_view password);
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

    void audit(std::string_view action, std::optional<std::int64_t> patient_id,
               std::string_view detail) const;

  private:
    store::Database* db_;
    Account account_;
};

} // namespace solace::app
