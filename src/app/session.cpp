#include "app/session.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <sodium.h>

#include "app/anchor.hpp"
#include "domain/error.hpp"
#include "store/audit_repository.hpp"
#include "store/login_throttle.hpp"
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

std::chrono::seconds login_delay(int failures) {
    if (failures < free_login_attempts) return std::chrono::seconds{0};
    constexpr auto first = std::chrono::seconds{30}, most = std::chrono::seconds{15 * 60};
    const int doublings = std::min(failures - free_login_attempts, 10); // 30 s << 10 > 15 min
    return std::min(first * (1 << doublings), most);
}

std::chrono::seconds login_wait(int failures, std::optional<Instant> last_failure, Instant now) {
    const auto delay = login_delay(failures);
    if (delay.count() == 0 || !last_failure) return std::chrono::seconds{0};
    // A clock set back must not lock an account out for longer than the delay.
    const auto since = std::max(now - *last_failure, std::chrono::seconds{0});
    return since >= delay ? std::chrono::seconds{0} : delay - since;
}

std::chrono::seconds login_wait(store::Database& db, std::string_view name, Instant now) {
    const auto f = store::LoginThrottle(db.path()).failures(name);
    return login_wait(f.count, f.last, now);
}

namespace {

std::string wait_words(std::chrono::seconds wait) {
    const auto s = wait.count();
    if (s < 120) return fmt::format("{} s", s);
    return fmt::format("{} minutes", (s + 59) / 60);
}

// The one answer to every refused sign-in (wrong password, no such account, a disabled one),
// so the answer never tells which names exist or what state an account is in.
std::string refused_words(std::string_view name) {
    return fmt::format("Wrong account name or password for \"{}\", or the account is disabled. "
                       "Check both and try again; if it keeps failing, ask the agency's admin.",
                       name);
}

// Said alike for every name typed, known or not, enabled or not.
std::string delayed_words(std::string_view name, std::chrono::seconds wait) {
    return fmt::format("Too many wrong tries in a row for \"{}\": try again in {}.", name,
                       wait_words(wait));
}

// Checks `password` for `name` under the delay rule and audits the outcome as `action`
// ("login" or "unlock"). Returns the account, or throws PermissionError (LoginDelayed while
// the name must wait). Every name typed is throttled alike, known or not, enabled or not. The
// try is counted as wrong before the password is checked, in the throttle file's own
// transaction, so tries made at once from several windows or commands each count even while an
// import holds the database's write lock; a good password clears the count. The audit events
// never wait for that lock either (queued while it is held).
Account authenticate(store::Database& db, std::string_view name, std::string_view password,
                     Instant now, std::string_view action) {
    store::AccountRepository accounts(db);
    store::AuditRepository audit(db);
    if (name.empty()) throw PermissionError(refused_words(name));
    store::LoginThrottle throttle(db.path());
    const auto tried = throttle.count_try(
        name, now, [&](const store::LoginFailures& f) { return login_wait(f.count, f.last, now); });
    if (!tried.counted) {
        const auto wait = login_wait(tried.before.count, tried.before.last, now);
        audit.append_or_queue({0, now, std::string(name), fmt::format("{}_delayed", action),
                               std::nullopt,
                               fmt::format("{} wrong passwords in a row; refused unchecked, {} s "
                                           "left",
                                           tried.before.count, wait.count())});
        throw LoginDelayed(delayed_words(name, wait), wait);
    }
    auto account = accounts.find(name);
    // An unknown name costs as much time as a known one, so timing does not tell which exist:
    // its password is checked against this hash of 32 random bytes made with hash_password's
    // parameters (a constant, so no process pays for making it).
    static const std::string decoy =
        "$argon2id$v=19$m=65536,t=2,p=1$Eki0BnLwwxd3udsAI5ChbQ$RX+3Nwvk/"
        "SAkBUyiLajo2aOXDmh6qus7C2Pi4+pvcf8";
    const bool password_ok =
        verify_password(account ? account->password_hash : decoy, password) && account.has_value();
    const bool ok = password_ok && !account->disabled;
    if (ok) {
        throttle.clear(name);
        audit.append_or_queue({0, now, account->name, std::string(action), std::nullopt, ""});
        record_anchor(db, account->name);
        return std::move(*account);
    }
    const int failures = tried.before.count + 1;
    std::optional<std::chrono::seconds> next_wait;
    if (failures >= free_login_attempts) next_wait = login_delay(failures);
    std::string detail;
    if (!account)
        detail = "no such account";
    else if (account->disabled)
        detail = password_ok ? "account disabled" : "wrong password; account disabled";
    else
        detail = "wrong password";
    if (next_wait) detail += fmt::format("; next try in {} s", next_wait->count());
    audit.append_or_queue({0, now, account ? account->name : std::string(name),
                           fmt::format("{}_failed", action), std::nullopt, detail});
    if (next_wait) throw LoginDelayed(delayed_words(name, *next_wait), *next_wait);
    throw PermissionError(refused_words(name));
}

} // namespace

Session Session::login(store::Database& db, std::string_view name, std::string_view password,
                       Instant now) {
    return Session(db, authenticate(db, name, password, now, "login"));
}

void Session::lock() const {
    audit("session.lock", std::nullopt, "the window locked");
}

void Session::unlock(std::string_view password, Instant now) {
    account_ = authenticate(*db_, account_.name, password, now, "session.unlock");
}

std::chrono::minutes lock_after(store::Database& db) {
    store::Statement s(db, "SELECT value FROM setting WHERE key = 'lock_after_minutes'");
    const int v = s.step() ? s.integer(0) : default_lock_after_minutes;
    return std::chrono::minutes{std::clamp(v, 1, max_lock_after_minutes)};
}

bool should_lock(Instant last_input, Instant now, std::chrono::minutes after) {
    return now - last_input >= after;
}

void set_lock_after(const Session& admin, std::chrono::minutes after) {
    admin.require_admin("change when the window locks");
    if (after.count() < 1 || after.count() > max_lock_after_minutes)
        throw ValidationError(fmt::format("lock_after_minutes {} is out of range: the window locks "
                                          "after 1 to {} minutes without input.",
                                          after.count(), max_lock_after_minutes));
    store::Transaction tx(admin.db());
    store::Statement s(admin.db(), "INSERT INTO setting (key, value) VALUES "
                                   "('lock_after_minutes', ?) ON CONFLICT (key) DO UPDATE SET "
                                   "value = excluded.value");
    s.bind(1, static_cast<std::int64_t>(after.count())).run();
    admin.audit("setting.change", std::nullopt,
                fmt::format("lock_after_minutes set to {}", after.count()));
    tx.commit();
}

void set_account_disabled(const Session& admin, std::string_view name, bool disabled) {
    admin.require_admin(disabled ? "disable accounts" : "enable accounts");
    store::AccountRepository accounts(admin.db());
    store::Transaction tx(admin.db());
    const auto a = accounts.find(name);
    if (!a) throw NotFoundError(fmt::format("There is no account named \"{}\".", name));
    if (disabled && a->id == admin.account().id)
        throw ValidationError("An admin cannot disable their own account; ask another admin.");
    auto changed = *a;
    changed.disabled = disabled;
    accounts.add_version(changed, to_epoch(now_utc()), admin.account().id);
    // Enabling also lets someone who mistyped too often try again at once.
    admin.audit(disabled ? "account.disable" : "account.enable", std::nullopt,
                fmt::format("{} {}", disabled ? "disabled" : "enabled", a->name));
    tx.commit();
    if (!disabled) store::LoginThrottle(admin.db().path()).clear(a->name);
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
    std::optional<store::Transaction> own;
    if (!db_->in_transaction()) own.emplace(*db_);
    store::AuditRepository audit(*db_);
    const auto now = now_utc();
    audit.cover_new_rows(account_.name, now, action);
    audit.append({0, now, account_.name, std::string(action), patient_id, std::string(detail)});
    db_->after_commit([db = db_, name = account_.name] { record_anchor(*db, name); });
    if (own) own->commit();
}

void Session::audit_read(std::string_view action, std::optional<std::int64_t> patient_id,
                         std::string_view detail) const {
    audit_read(action, {{patient_id, std::string(detail)}});
}

void Session::audit_read(
    std::string_view action,
    const std::vector<std::pair<std::optional<std::int64_t>, std::string>>& events) const {
    const auto now = now_utc();
    std::vector<store::AuditEvent> all;
    for (const auto& [patient_id, detail] : events)
        all.push_back({0, now, account_.name, std::string(action), patient_id, detail});
    store::AuditRepository(*db_).append_or_queue(all);
}

} // namespace solace::app
