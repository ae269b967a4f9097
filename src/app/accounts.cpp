#include "app/accounts.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <sodium.h>

#include "domain/error.hpp"
#include "store/account_repository.hpp"
#include "store/login_throttle.hpp"
#include "store/patient_repository.hpp"

namespace solace::app {

namespace {
Account existing(store::AccountRepository& accounts, std::string_view name) {
    auto a = accounts.find(name);
    if (!a) throw NotFoundError(fmt::format("There is no account named \"{}\".", name));
    return *a;
}
} // namespace

std::vector<AccountRow> account_list(const Session& admin) {
    admin.require_admin("see the accounts");
    std::map<std::int64_t, std::string> mrns;
    for (const auto& p : store::PatientRepository(admin.db()).list())
        mrns[p.id] = p.mrn;
    std::vector<AccountRow> out;
    for (const auto& a : store::AccountRepository(admin.db()).list()) {
        AccountRow row{a.name, a.role, a.is_admin, a.disabled, {}};
        for (auto id : a.patient_ids)
            row.patients.push_back(mrns[id]);
        std::sort(row.patients.begin(), row.patients.end());
        out.push_back(std::move(row));
    }
    return out;
}

void check_new_account(const Session& admin, const NewAccount& a) {
    admin.require_admin("add accounts");
    store::require_account_name(a.name);
    if (a.role == Role::nurse && !a.patients.empty())
        throw ValidationError("Patients are for family accounts; a nurse sees every patient.");
    if (a.role == Role::family && a.patients.empty())
        throw ValidationError("A family account needs at least one patient (MRN) it may see.");
    if (a.role == Role::family && a.is_admin)
        throw ValidationError("A family account cannot be an admin.");
    for (const auto& mrn : a.patients)
        admin.patient(mrn);
    if (store::AccountRepository(admin.db()).find(a.name))
        throw ValidationError(
            fmt::format("An account named \"{}\" already exists; choose another name.", a.name));
}

std::int64_t add_account(const Session& admin, const NewAccount& a, std::string_view password) {
    check_new_account(admin, a);
    Account account{0, a.name, a.role, a.is_admin, false, "", {}};
    for (const auto& mrn : a.patients)
        account.patient_ids.push_back(admin.patient(mrn).id);
    store::AccountRepository accounts(admin.db());
    account.password_hash = hash_password(password); // slow: outside the write lock
    store::Transaction tx(admin.db());
    if (accounts.find(a.name)) check_new_account(admin, a); // added meanwhile: says so
    const auto id = accounts.add(account, to_epoch(now_utc()), admin.account().id);
    admin.audit("account.add", std::nullopt,
                fmt::format("{} ({}{}) patients: {}", a.name, code(a.role),
                            a.is_admin ? ", admin" : "", fmt::join(a.patients, " ")));
    tx.commit();
    return id;
}

void link_family(const Session& admin, std::string_view name, std::string_view mrn) {
    admin.require_admin("link a family account to a patient");
    store::AccountRepository accounts(admin.db());
    store::Transaction tx(admin.db());
    const auto a = existing(accounts, name);
    if (a.role != Role::family)
        throw ValidationError(
            fmt::format("\"{}\" is a nurse account: a nurse sees every patient already.", a.name));
    const auto p = admin.patient(mrn);
    if (std::find(a.patient_ids.begin(), a.patient_ids.end(), p.id) != a.patient_ids.end())
        throw ValidationError(fmt::format("\"{}\" already sees {}.", a.name, p.mrn));
    accounts.link(a.id, p.id);
    admin.audit("family.link", p.id, fmt::format("{} may see {}", a.name, p.mrn));
    tx.commit();
}

void reset_password(const Session& admin, std::string_view name, std::string_view password) {
    admin.require_admin("reset a password");
    auto hash = hash_password(password);
    store::AccountRepository accounts(admin.db());
    store::Transaction tx(admin.db());
    auto a = existing(accounts, name);
    a.password_hash = std::move(hash);
    accounts.add_version(a, to_epoch(now_utc()), admin.account().id);
    admin.audit("account.password", std::nullopt, fmt::format("new password for {}", a.name));
    tx.commit();
    store::LoginThrottle(admin.db().path()).clear(a.name);
}

void wipe(std::string& secret) {
    if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
    secret.clear();
}

} // namespace solace::app
