#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/session.hpp"
#include "store/database.hpp"

// The laptop's side of the agency server (DESIGN §7): enrolment, push, pull.
namespace solace::sync {

// Agency admin, on the server. `server init` connects as the agency's database administrator
// (a role that may create roles, named by the URL and libpq's usual PGPASSWORD or ~/.pgpass);
// the others as a Solace admin account.
void init_server(const std::string& url, const std::string& admin, const std::string& password);
// Brings the server's schema up to date (`server init` again after Solace is updated); true when
// `admin` is already an admin there, so there is nothing more to set up.
bool upgrade_server(const std::string& url, const std::string& admin);
void add_server_account(const std::string& url, const std::string& admin,
                        const std::string& admin_password, const std::string& name, Role role,
                        const std::vector<std::string>& patient_mrns, const std::string& password);
// A disabled account can no longer log in to the server; each laptop disables it at its sync.
void set_server_account_disabled(const std::string& url, const std::string& admin,
                                 const std::string& admin_password, const std::string& name,
                                 bool disabled);

struct SyncLink {
    std::string server;
    std::int64_t last_pushed_counter = 0;
    std::int64_t last_server_seq = 0;
    std::optional<std::int64_t> last_sync_at; // epoch seconds
    std::string last_problem;                 // empty when the last sync went through
};
// The server this database syncs with; nothing when it works alone.
std::optional<SyncLink> sync_link(store::Database& db);
// Rows written here that the server has not acknowledged yet.
std::int64_t waiting(store::Database& db);

// Creates (or adds to) the laptop database at `path` for the account, checked against the
// server, and pulls what it may see. The password is kept as an Argon2id hash for offline
// sign-in.
void enroll(const std::filesystem::path& path, const std::string& url, const std::string& name,
            const std::string& password);

struct SyncCounts {
    std::int64_t pushed = 0;
    std::int64_t pulled = 0;
    std::int64_t waiting = 0;
    std::vector<std::string>
        notes; // what the nurse should know, e.g. a patient kept under another MRN
};
// Pushes the outbox in counter order, then pulls what is new. Throws ServerUnreachable (the
// outbox stays as it was), ServerRefused or PermissionError; the problem is kept in
// sync_link().last_problem for the window.
SyncCounts sync(app::Session& session, const std::string& password);

// One laptop (or other device) that pushed to the agency server.
struct DeviceSync {
    std::string device;  // its UUID
    std::string account; // who pushed from it last
    Instant last_push{};
    std::int64_t last_counter = 0; // the highest of its counters the server holds
};
// Every device's last push, most recent first. Admins only: refused here for any other
// account, and by the server too. Throws as sync() does.
std::vector<DeviceSync> devices(const app::Session& session, const std::string& password);

} // namespace solace::sync
