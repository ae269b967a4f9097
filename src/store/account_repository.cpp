#include "store/account_repository.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace {
std::string_view code(Role r) {
    return r == Role::nurse ? "nurse" : "family";
}
} // namespace solace

namespace solace::store {

namespace {
// An account's base row with the fields of its version in force: the latest recorded.
constexpr const char* account_columns =
    "SELECT a.id, a.name, v.role, v.is_admin, v.disabled, v.password_hash, a.uuid FROM account a "
    "JOIN account_version v ON v.id = (SELECT id FROM account_version WHERE account_id = a.id "
    "ORDER BY recorded_at DESC, device DESC, counter DESC LIMIT 1) ";
} // namespace

namespace {
constexpr std::size_t max_account_name = 64;
} // namespace

void require_account_name(std::string_view name) {
    const bool allowed = !name.empty() && name.size() <= max_account_name &&
                         std::all_of(name.begin(), name.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                         });
    if (!allowed)
        throw ValidationError(fmt::format(
            "An account name is 1 to {} letters (a-z, A-Z), digits, '.', '-' or '_', without "
            "spaces; choose another name (this one has {} bytes).",
            max_account_name, name.size()));
}

std::int64_t AccountRepository::add(const Account& a, std::int64_t now_epoch,
                                    std::optional<std::int64_t> author_id) {
    require_account_name(a.name);
    // The base row keeps the first version's fields too (its columns are NOT NULL); only
    // account_version is read.
    Statement s(db_, "INSERT INTO account (name, role, is_admin, password_hash, created_at, uuid, "
                     "device, counter) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, a.name).bind(2, code(a.role)).bind(3, a.is_admin ? 1 : 0).bind(4, a.password_hash);
    s.bind(5, now_epoch);
    bind_identity(s, 6, db_, {}).run();
    Account first = a;
    first.id = db_.last_insert_id();
    add_version(first, now_epoch, author_id);
    for (auto pid : a.patient_ids)
        link(first.id, pid);
    return first.id;
}

void AccountRepository::add_version(const Account& a, std::int64_t now_epoch,
                                    std::optional<std::int64_t> author_id) {
    Statement s(db_, "INSERT INTO account_version (account_id, role, is_admin, password_hash, "
                     "disabled, author_id, recorded_at, uuid, device, counter) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, a.id).bind(2, code(a.role)).bind(3, a.is_admin ? 1 : 0).bind(4, a.password_hash);
    s.bind(5, a.disabled ? 1 : 0).bind(6, author_id).bind(7, now_epoch);
    bind_identity(s, 8, db_, {}).run();
}

std::optional<Account> AccountRepository::find(std::string_view name) {
    Statement s(db_, std::string(account_columns) + "WHERE a.name = ?");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    Account a;
    a.id = s.int64(0);
    a.name = s.text(1);
    a.role = s.text(2) == "family" ? Role::family : Role::nurse;
    a.is_admin = s.int64(3) != 0;
    a.disabled = s.int64(4) != 0;
    a.password_hash = s.text(5);
    a.uuid = s.text(6);
    Statement p(db_, "SELECT patient_id FROM account_patient WHERE account_id = ? ORDER BY 1");
    p.bind(1, a.id);
    while (p.step())
        a.patient_ids.push_back(p.int64(0));
    return a;
}

std::vector<Account> AccountRepository::list() {
    std::vector<std::string> names;
    Statement s(db_, "SELECT name FROM account ORDER BY name");
    while (s.step())
        names.push_back(s.text(0));
    std::vector<Account> out;
    for (const auto& n : names)
        if (auto a = find(n)) out.push_back(std::move(*a));
    return out;
}

std::int64_t AccountRepository::count() {
    Statement s(db_, "SELECT count(*) FROM account");
    s.step();
    return s.int64(0);
}

} // namespace solace::store

namespace solace::store {
void AccountRepository::link(std::int64_t account_id, std::int64_t patient_id) {
    Statement seen(db_, "SELECT 1 FROM account_patient WHERE account_id = ? AND patient_id = ?");
    seen.bind(1, account_id).bind(2, patient_id);
    if (seen.step()) return;
    Statement s(db_, "INSERT INTO account_patient (account_id, patient_id, uuid, device, counter) "
                     "VALUES (?, ?, ?, ?, ?)");
    s.bind(1, account_id).bind(2, patient_id);
    bind_identity(s, 3, db_, {}).run();
}
} // namespace solace::store
