#include "store/account_repository.hpp"

namespace solace {
std::string_view code(Role r) {
    return r == Role::nurse ? "nurse" : "family";
}
} // namespace solace

namespace solace::store {

std::int64_t AccountRepository::add(const Account& a, std::int64_t now_epoch) {
    Statement s(db_, "INSERT INTO account (name, role, is_admin, password_hash, created_at) "
                     "VALUES (?, ?, ?, ?, ?)");
    s.bind(1, a.name).bind(2, code(a.role)).bind(3, a.is_admin ? 1 : 0).bind(4, a.password_hash);
    s.bind(5, now_epoch).run();
    const auto id = db_.last_insert_id();
    for (auto pid : a.patient_ids)
        link(id, pid);
    return id;
}

std::optional<Account> AccountRepository::find(std::string_view name) {
    Statement s(db_, "SELECT id, name, role, is_admin, disabled, password_hash FROM account "
                     "WHERE name = ?");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    Account a;
    a.id = s.int64(0);
    a.name = s.text(1);
    a.role = s.text(2) == "family" ? Role::family : Role::nurse;
    a.is_admin = s.int64(3) != 0;
    a.disabled = s.int64(4) != 0;
    a.password_hash = s.text(5);
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
    Statement s(db_,
                "INSERT OR IGNORE INTO account_patient (account_id, patient_id) VALUES (?, ?)");
    s.bind(1, account_id).bind(2, patient_id).run();
}
} // namespace solace::store

namespace solace::store {

LoginFailures AccountRepository::login_failures(std::int64_t account_id) {
    Statement s(db_, "SELECT failed_logins, last_failed_at FROM account WHERE id = ?");
    s.bind(1, account_id);
    LoginFailures f;
    if (s.step()) {
        f.count = s.integer(0);
        if (auto at = s.optional_int64(1)) f.last = from_epoch(*at);
    }
    return f;
}

void AccountRepository::record_login_failure(std::int64_t account_id, Instant at) {
    Statement s(db_, "UPDATE account SET failed_logins = failed_logins + 1, last_failed_at = ? "
                     "WHERE id = ?");
    s.bind(1, to_epoch(at)).bind(2, account_id).run();
}

void AccountRepository::clear_login_failures(std::int64_t account_id) {
    Statement s(db_, "UPDATE account SET failed_logins = 0, last_failed_at = NULL WHERE id = ? "
                     "AND (failed_logins <> 0 OR last_failed_at IS NOT NULL)");
    s.bind(1, account_id).run();
}

void AccountRepository::set_disabled(std::int64_t account_id, bool disabled) {
    Statement s(db_, "UPDATE account SET disabled = ? WHERE id = ?");
    s.bind(1, disabled ? 1 : 0).bind(2, account_id).run();
}

} // namespace solace::store
