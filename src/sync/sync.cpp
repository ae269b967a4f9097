#include "sync/sync.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/error.hpp"
#include "store/account_repository.hpp"
#include "sync/rows.hpp"
#include "sync/server.hpp"

namespace solace::sync {

namespace {

// Rows per round trip: a push or pull of years of data goes in steps of this many.
constexpr std::size_t rows_per_batch = 5000;

std::string group_role(Role role) {
    return role == Role::family ? "solace_family" : "solace_nurse";
}

std::string hex(const std::vector<unsigned char>& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

void require_name(const std::string& name) {
    if (name.empty() || name.size() > 64)
        throw ValidationError("An account name must be 1 to 64 characters.");
}

void create_role(Server& s, const std::string& name, const std::string& password,
                 const std::string& extra) {
    const auto exists = s.exec("SELECT 1 FROM pg_roles WHERE rolname = $1", {name});
    if (exists.rows() > 0)
        throw ValidationError(
            fmt::format("The server already has a role named \"{}\"; choose another name.", name));
    s.exec(fmt::format("CREATE ROLE {} LOGIN {} PASSWORD {}", s.quote_identifier(name), extra,
                       s.quote_literal(s.password_verifier(name, password))));
}

void record_problem(store::Database& db, const std::string& problem) {
    store::Statement s(db, "UPDATE sync_state SET last_problem = ?1");
    s.bind(1, problem.substr(0, 2000)).run();
}

struct AuditEntry {
    std::int64_t id = 0;
    std::string hash;
};

// The audit entries from the one the server acknowledged last (it checks that one is unchanged)
// to the newest (or that one alone: `through`), each with the hash of the one before.
nlohmann::json audit_entries(store::Database& db, std::int64_t acked_id, std::int64_t through,
                             AuditEntry& newest) {
    auto entries = nlohmann::json::array();
    store::Statement s(db,
                       "SELECT id, hash FROM audit_log WHERE id >= ?1 AND id <= ?2 ORDER BY id");
    s.bind(1, acked_id).bind(2, through);
    std::string prev;
    while (s.step()) {
        const std::string hash = s.is_null(1) ? "" : hex(s.blob(1));
        entries.push_back({{"id", s.int64(0)}, {"prev", prev}, {"hash", hash}});
        prev = hash;
        newest = {s.int64(0), hash};
    }
    return entries;
}

// One step of the outbox as solace.ingest takes it.
struct PushStep {
    std::int64_t after = 0, through = 0; // the counters it covers
    bool last = false;
    std::vector<OutgoingRow> rows;
    std::string audit;
    std::int64_t audit_newest = 0; // the newest audit event in `audit`
};

// The next step after counter `at` with rows in it, or the last one (up to `newest`), which
// always goes: every step shows the server the audit event it acknowledged last, the last step
// the whole log since then.
PushStep read_step(store::Database& db, std::int64_t at, std::int64_t newest,
                   std::int64_t acked_id) {
    for (;;) {
        PushStep step;
        step.after = at;
        step.through = std::min(newest, at + static_cast<std::int64_t>(rows_per_batch));
        step.last = step.through == newest;
        step.rows = outbox(db, at, step.through);
        if (step.rows.empty() && !step.last) {
            at = step.through;
            continue;
        }
        AuditEntry newest_event;
        step.audit = audit_entries(db, acked_id,
                                   step.last ? std::numeric_limits<std::int64_t>::max() : acked_id,
                                   newest_event)
                         .dump();
        step.audit_newest = newest_event.id;
        return step;
    }
}

std::int64_t push(store::Database& db, Server& s, const SyncLink& link) {
    // Rows written from here on wait for the next sync.
    const std::int64_t newest = std::max(newest_counter(db), link.last_pushed_counter);
    store::Statement acked(db, "SELECT audit_acked_id FROM sync_state");
    const std::int64_t acked_id = acked.step() ? acked.int64(0) : 0;
    std::int64_t inserted = 0;
    auto step = read_step(db, link.last_pushed_counter, newest, acked_id);
    for (;;) {
        s.send("SELECT solace.ingest($1, $2, $3)",
               {db.device_uuid(), json_array(step.rows), step.audit});
        // The next step is read here while the server stores this one.
        std::optional<PushStep> next;
        if (!step.last) next = read_step(db, step.through, newest, acked_id);
        inserted += s.receive().int64(0, 0);
        // The server committed: only now does the outbox shrink (a crash before this line
        // sends the step again, and the server skips what it has).
        if (step.through > step.after) {
            store::Statement done(db, "UPDATE sync_state SET last_pushed_counter = ?1");
            done.bind(1, step.through).run();
        }
        if (step.last && step.audit_newest > acked_id) {
            store::Statement done(db, "UPDATE sync_state SET audit_acked_id = ?1, audit_acked_hash "
                                      "= (SELECT hash FROM audit_log WHERE id = ?1)");
            done.bind(1, step.audit_newest).run();
        }
        if (!next) break;
        step = std::move(*next);
    }
    return inserted;
}

// Enrolled accounts follow the server: disabled there, disabled here.
void follow_directory(store::Database& db, Server& s, const app::Session& session) {
    const auto dir = s.exec("SELECT name, disabled, role FROM solace.directory()");
    store::AccountRepository accounts(db);
    store::Transaction tx(db);
    std::vector<std::string> changed;
    for (int i = 0; i < dir.rows(); ++i) {
        const auto name = dir.text(i, 0);
        const bool disabled = dir.text(i, 1) == "t";
        store::Statement enrolled(db, "SELECT 1 FROM enrolled_account WHERE name = ?1");
        enrolled.bind(1, name);
        auto a = accounts.find(name);
        if (!a) continue;
        if (!enrolled.step()) {
            // Known here only as the author of pulled rows: the server says who they are (a
            // family member's scores must not read as a nurse's).
            const Role role = dir.text(i, 2) == "family" ? Role::family : Role::nurse;
            if (a->role == role) continue;
            a->role = role;
            a->is_admin = false;
            accounts.add_version(*a, to_epoch(now_utc()), std::nullopt);
            changed.push_back(fmt::format("{} is a {} account", name, code(role)));
            continue;
        }
        if (a->disabled == disabled) continue;
        a->disabled = disabled;
        accounts.add_version(*a, to_epoch(now_utc()), std::nullopt);
        changed.push_back(fmt::format("{} {}", name, disabled ? "disabled" : "enabled"));
    }
    if (changed.empty()) return;
    session.audit("account.sync", std::nullopt,
                  fmt::format("as on the agency server: {}", fmt::join(changed, ", ")));
    tx.commit();
}

// One pulled step in a local transaction: one commit and one audit entry for this many rows
// at most (a commit waits for the disk; a first pull brings millions of rows).
constexpr std::int64_t rows_per_commit = 50000;

std::int64_t pull(store::Database& db, Server& s, const app::Session& session,
                  std::vector<std::string>& notes) {
    store::Statement at(db, "SELECT last_server_seq FROM sync_state");
    at.step();
    std::int64_t after = at.int64(0);
    at.reset();
    // One statement, so one snapshot: rows commit in server_seq order, so the newest
    // server_seq seen now bounds what will ever arrive below it. Going past it when nothing is
    // new spares the next pull a walk over this laptop's own pushed rows.
    auto ask = [&] {
        s.send("WITH newest AS (SELECT coalesce(max(server_seq), 0) AS seq "
               "FROM solace.synced_row), "
               "batch AS (SELECT server_seq, uuid::text, device::text, counter, tbl, row::text "
               "FROM solace.synced_row WHERE server_seq > $1 AND device <> $3::uuid "
               "ORDER BY server_seq LIMIT $2) "
               "SELECT newest.seq, batch.* FROM newest LEFT JOIN batch ON true "
               "ORDER BY batch.server_seq",
               {std::to_string(after), std::to_string(rows_per_batch), db.device_uuid()});
    };
    ask();
    std::int64_t pulled = 0;
    for (bool more = true; more;) {
        std::optional<store::Transaction> tx;
        std::optional<RowWriter> writer;
        const std::int64_t first_after = after;
        std::int64_t seen = 0, stored = 0;
        while (more && seen < rows_per_commit) {
            const auto r = s.receive();
            const int n = r.is_null(0, 1) ? 0 : r.rows();
            more = n == static_cast<int>(rows_per_batch);
            after = std::max(after, more ? r.int64(n - 1, 1) : r.int64(0, 0));
            if (more) ask(); // the server reads the next batch while this one is stored
            if (n > 0 && !tx) {
                tx.emplace(db);
                // The writer skips a row already here, as the guards would refuse it; its
                // commit puts them back.
                db.lift_bulk_guards();
                writer.emplace(db);
            }
            for (int i = 0; i < n; ++i) {
                TravellingRow row{r.text(i, 2), r.text(i, 3), r.int64(i, 4), r.text(i, 5),
                                  nlohmann::json::parse(r.text(i, 6))};
                if (writer->store(row)) ++stored;
            }
            seen += n;
        }
        if (after == first_after) break;
        if (!tx) tx.emplace(db);
        store::Statement done(db, "UPDATE sync_state SET last_server_seq = ?1");
        done.bind(1, after).run();
        if (stored > 0)
            session.audit(
                "sync.pull", std::nullopt,
                fmt::format("{} {} from the agency server", stored, stored == 1 ? "row" : "rows"));
        std::vector<std::string> given_way;
        if (writer) given_way = writer->mrns_given_way();
        for (const auto& note : given_way)
            session.audit("sync.pull", std::nullopt, note);
        writer.reset();
        tx->commit();
        notes.insert(notes.end(), given_way.begin(), given_way.end());
        pulled += stored;
    }
    return pulled;
}

// A family account sees here the patients the server lets it see.
void follow_patients(store::Database& db, Server& s, const app::Session& session) {
    if (session.account().role != Role::family) return;
    const auto mine = s.exec("SELECT p::text FROM solace.my_patients() AS p");
    store::AccountRepository accounts(db);
    store::Transaction tx(db);
    int linked = 0;
    for (int i = 0; i < mine.rows(); ++i) {
        store::Statement q(db, "SELECT p.id, (SELECT count(*) FROM account_patient l WHERE "
                               "l.patient_id = p.id AND l.account_id = ?2) FROM patient p "
                               "WHERE p.uuid = ?1");
        q.bind(1, mine.text(i, 0)).bind(2, session.account().id);
        if (!q.step() || q.int64(1) > 0) continue;
        accounts.link(session.account().id, q.int64(0));
        ++linked;
    }
    if (linked == 0) return;
    session.audit("account.sync", std::nullopt,
                  fmt::format("{} may now see {} more {}, as on the agency server",
                              session.account().name, linked,
                              linked == 1 ? "patient" : "patients"));
    tx.commit();
}

void disable_here(store::Database& db, const std::string& name) {
    store::AccountRepository accounts(db);
    auto a = accounts.find(name);
    if (!a || a->disabled) return;
    store::Transaction tx(db);
    a->disabled = true;
    accounts.add_version(*a, to_epoch(now_utc()), std::nullopt);
    app::Session(db, *a).audit("account.sync", std::nullopt,
                               fmt::format("{} disabled, as on the agency server", name));
    tx.commit();
}

} // namespace

void init_server(const std::string& url, const std::string& admin, const std::string& password) {
    require_name(admin);
    Server s(url, "", "");
    s.migrate();
    s.exec("BEGIN");
    create_role(s, admin, password, "CREATEROLE");
    s.exec(fmt::format("GRANT solace_nurse, solace_family, solace_admin TO {} WITH ADMIN OPTION",
                       s.quote_identifier(admin)));
    s.exec("INSERT INTO solace.account (name, role, is_admin) VALUES ($1, 'nurse', true)", {admin});
    s.exec("COMMIT");
}

bool upgrade_server(const std::string& url, const std::string& admin) {
    require_name(admin);
    Server s(url, "", "");
    s.migrate();
    return s.exec("SELECT 1 FROM solace.account WHERE name = $1 AND is_admin", {admin}).rows() > 0;
}

void add_server_account(const std::string& url, const std::string& admin,
                        const std::string& admin_password, const std::string& name, Role role,
                        const std::vector<std::string>& patient_mrns, const std::string& password) {
    require_name(name);
    if (role == Role::family && patient_mrns.empty())
        throw ValidationError("A family account needs at least one --patient MRN it may see.");
    if (role == Role::nurse && !patient_mrns.empty())
        throw ValidationError("--patient is for family accounts; a nurse sees every patient.");
    Server s(url, admin, admin_password);
    const auto me = s.exec("SELECT is_admin FROM solace.directory() WHERE name = $1", {admin});
    if (me.rows() == 0 || me.text(0, 0) != "t")
        throw PermissionError(fmt::format("{} is not an admin on the agency server.", admin));
    s.exec("BEGIN");
    std::vector<std::string> patients;
    for (const auto& mrn : patient_mrns) {
        const auto p = s.exec("SELECT DISTINCT patient::text FROM solace.synced_row "
                              "WHERE tbl = 'patient' AND row ->> 'mrn' = $1",
                              {mrn});
        if (p.rows() == 0)
            throw NotFoundError(fmt::format("The agency server has no patient with MRN {} yet; "
                                            "sync the laptop that admitted them first.",
                                            mrn));
        patients.push_back(p.text(0, 0));
    }
    create_role(s, name, password, fmt::format("IN ROLE {}", group_role(role)));
    s.exec("INSERT INTO solace.account (name, role) VALUES ($1, $2)",
           {name, std::string(code(role))});
    for (const auto& p : patients)
        s.exec("INSERT INTO solace.account_patient (account, patient) VALUES ($1, $2)", {name, p});
    s.exec("COMMIT");
}

void set_server_account_disabled(const std::string& url, const std::string& admin,
                                 const std::string& admin_password, const std::string& name,
                                 bool disabled) {
    if (name == admin) throw ValidationError("An admin cannot disable their own account.");
    Server s(url, admin, admin_password);
    s.exec("BEGIN");
    const auto r = s.exec("UPDATE solace.account SET disabled = $2 WHERE name = $1 RETURNING 1",
                          {name, disabled ? "true" : "false"});
    if (r.rows() == 0)
        throw NotFoundError(fmt::format("The agency server has no account named {}.", name));
    s.exec(
        fmt::format("ALTER ROLE {} {}", s.quote_identifier(name), disabled ? "NOLOGIN" : "LOGIN"));
    s.exec("COMMIT");
}

std::optional<SyncLink> sync_link(store::Database& db) {
    store::Statement s(db, "SELECT server, last_pushed_counter, last_server_seq, last_sync_at, "
                           "last_problem FROM sync_state");
    if (!s.step()) return std::nullopt;
    return SyncLink{s.text(0), s.int64(1), s.int64(2), s.optional_int64(3), s.text(4)};
}

std::int64_t waiting(store::Database& db) {
    const auto link = sync_link(db);
    return outbox_size(db, link ? link->last_pushed_counter : 0);
}

void enroll(const std::filesystem::path& path, const std::string& url, const std::string& name,
            const std::string& password) {
    require_name(name);
    Server s(url, name, password);
    const auto me =
        s.exec("SELECT role, is_admin, disabled FROM solace.directory() WHERE name = $1", {name});
    if (me.rows() == 0)
        throw NotFoundError(fmt::format("The agency server has no Solace account named {}.", name));
    const bool exists = std::filesystem::exists(path);
    store::Database db(path, exists ? store::Database::Mode::open_existing
                                    : store::Database::Mode::create_new);
    if (auto link = sync_link(db); link && link->server != url)
        throw ValidationError(
            fmt::format("{} already syncs with another server ({}).", path.string(), link->server));
    store::AccountRepository accounts(db);
    {
        store::Transaction tx(db);
        store::Statement link(db, "INSERT INTO sync_state (one, server) VALUES (1, ?1) "
                                  "ON CONFLICT (one) DO NOTHING");
        link.bind(1, url).run();
        Account a{0,
                  name,
                  me.text(0, 0) == "family" ? Role::family : Role::nurse,
                  me.text(0, 1) == "t",
                  false,
                  app::hash_password(password),
                  {}};
        if (auto found = accounts.find(name)) {
            a.id = found->id;
            accounts.add_version(a, to_epoch(now_utc()), std::nullopt);
        } else {
            a.id = accounts.add(a, to_epoch(now_utc()));
        }
        store::Statement e(db, "INSERT INTO enrolled_account (name) VALUES (?1) "
                               "ON CONFLICT (name) DO NOTHING");
        e.bind(1, name).run();
        app::Session(db, *accounts.find(name))
            .audit("account.enroll", std::nullopt,
                   fmt::format("{} enrolled from the agency server {}", name, url));
        tx.commit();
    }
    auto session = app::Session::login(db, name, password);
    sync(session, password);
}

SyncCounts sync(app::Session& session, const std::string& password) {
    auto& db = session.db();
    const auto link = sync_link(db);
    if (!link)
        throw ValidationError("This database works alone: it is not enrolled with an agency "
                              "server (solace enroll).");
    SyncCounts counts;
    try {
        Server s(link->server, session.account().name, password);
        counts.pushed = push(db, s, *link);
        counts.pulled = pull(db, s, session, counts.notes);
        // After the pull: authors that arrived with it take their role from the server.
        follow_directory(db, s, session);
        follow_patients(db, s, session);
        store::Statement done(db, "UPDATE sync_state SET last_sync_at = ?1, last_problem = ''");
        done.bind(1, to_epoch(now_utc())).run();
    } catch (const AccountDisabled& e) {
        disable_here(db, session.account().name);
        record_problem(db, e.what());
        throw;
    } catch (const std::exception& e) {
        record_problem(db, e.what());
        throw;
    }
    counts.waiting = waiting(db);
    return counts;
}

std::vector<DeviceSync> devices(const app::Session& session, const std::string& password) {
    session.require_admin("see the devices that sync");
    const auto link = sync_link(session.db());
    if (!link)
        throw ValidationError("This database works alone: it is not enrolled with an agency "
                              "server (solace enroll).");
    Server s(link->server, session.account().name, password);
    const auto r = s.exec("SELECT device::text, account, "
                          "extract(epoch FROM date_trunc('second', last_push_at))::bigint, "
                          "last_counter FROM solace.devices()");
    std::vector<DeviceSync> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.text(i, 0), r.text(i, 1), from_epoch(r.int64(i, 2)), r.int64(i, 3)});
    return out;
}

} // namespace solace::sync
