#include "app/session.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <sodium.h>

#include "domain/error.hpp"
#include "store/audit_repository.hpp"
#include "store/patient_repository.hpp"

namespace solace::app {

namespace {
void ensure_sodium() {
    if (sodium_init() < 0) throw StoreError("The cryptography library could not start.");
}
} // namespace

std::string hash_password(std::string_view password) {
    ensure_sodium();
    if (password.size() < min_password_length)
        throw ValidationError(fmt::format("The password is too short: use at least {} characters.",
                                          min_password_length));
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw StoreError("Not enough memory to hash the password.");
    return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
    ensure_sodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Session Session::login(store::Database& db, std::string_view name, std::string_view password) {
    store::AccountRepository accounts(db);
    auto account = accounts.find(name);
    const bool ok =
        account && !account->disabled && verify_password(account->password_hash, password);
    store::AuditRepository(db).append({0, now_utc(), std::string(name),
                                       ok ? "login" : "login_failed", std::nullopt,
                                       ok ? "" : "wrong name or password, or account disabled"});
    if (!ok) {
        if (account && account->disabled)
            throw PermissionError(fmt::format(
                "The account \"{}\" is disabled. Ask the agency's admin to enable it.", name));
        throw PermissionError(fmt::format(
            "Wrong account name or password for \"{}\". Check both and try again.", name));
    }
    return Session(db, std::move(*account));
}

bool Session::can_read(const Patient& p) const {
    if (is_nurse()) return true;
    return std::find(account_.patient_ids.begin(), account_.patient_ids.end(), p.id) !=
           account_.patient_ids.end();
}

void Session::require_read(const Patient& p) const {
    if (!can_read(p))
        throw PermissionError(
            fmt::format("The account \"{}\" may not see patient {}.", account_.name, p.mrn));
}

void Session::require_nurse(std::string_view what) const {
    if (!is_nurse())
        throw PermissionError(fmt::format(
            "Only a nurse may {}; the account \"{}\" is a family account.", what, account_.name));
}

void Session::require_admin(std::string_view what) const {
    if (!account_.is_admin)
        throw PermissionError(fmt::format("Only an admin may {}; ask the agency's admin.", what));
}

void Session::require_write_score(const Patient& p, Reporter reporter) const {
    require_read(p);
    if (!is_nurse() && reporter != Reporter::caregiver)
        throw PermissionError(fmt::format(
            "A family account records scores as caregiver only, not as \"{}\".", code(reporter)));
}

void Session::require_write_dose(const Patient& p, const Medication& m) const {
    require_read(p);
    if (!is_nurse() && !is_prn(m.schedule))
        throw PermissionError(fmt::format(
            "A family account records only as-needed (PRN) doses it gave; \"{}\" is a scheduled "
            "medication for the nurse to record.",
            m.key));
}

Patient Session::patient(std::string_view mrn) const {
    auto p = store::PatientRepository(*db_).find_by_mrn(mrn);
    if (!p || !can_read(*p))
        throw NotFoundError(fmt::format("There is no patient with MRN \"{}\"{}.", mrn,
                                        is_nurse() ? "" : " among this account's patients"));
    return *p;
}

std::vector<Patient> Session::patients() const {
    auto all = store::PatientRepository(*db_).list();
    std::erase_if(all, [&](const Patient& p) { return !can_read(p); });
    return all;
}

void Session::audit(std::string_view action, std::optional<std::int64_t> patient_id,
                    std::string_view detail) const {
    store::AuditRepository(*db_).append(
        {0, now_utc(), account_.name, std::string(action), patient_id, std::string(detail)});
}

} // namespace solace::app
