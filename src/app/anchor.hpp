#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "store/audit_repository.hpp"
#include "store/database.hpp"

// The audit log's head (its last row's id and chain hash) kept outside the database file, so
// a log re-chained or cut short behind Solace's back no longer matches what was seen before.
namespace solace::app {

struct AuditHead {
    std::int64_t id = 0;
    store::AuditHash hash{};
};

// The last row of the audit log; nothing while it is empty.
std::optional<AuditHead> audit_head(store::Database& db);
// "row 1234, 3f9a0c2e71bd": short enough for a printed page's footer.
std::string head_words(const AuditHead& head);

// $XDG_STATE_HOME/solace/audit-heads/<this database's device>/<account>.
std::filesystem::path anchor_path(store::Database& db, std::string_view account);
// Writes the head as it is now to the account's file. After each write by that account; a
// failure to write it (a full or read-only home) does not undo the write, so it is ignored.
void record_anchor(store::Database& db, std::string_view account);
// Removes the heads kept for this database (a restore goes back in time on purpose).
void forget_anchors(store::Database& db);
// Each head kept for this database that the log no longer holds, in words; nothing when all
// match.
std::optional<std::string> check_anchors(store::Database& db);

} // namespace solace::app
