#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "domain/time.hpp"
#include "store/database.hpp"

namespace solace::store {

using AuditHash = std::array<unsigned char, 32>; // SHA-256

// The rows an audit entry vouches for: ids first..last of `table`, and their hash as written
// (store/row_hash.hpp), so a row edited afterwards no longer matches.
struct AuditRows {
    std::string table;
    std::int64_t first = 0;
    std::int64_t last = 0;
    AuditHash hash{};
};

struct AuditEvent {
    std::int64_t id = 0;
    Instant at{};
    std::string account;
    std::string action; // login, login_failed, write, correction, import, export, ...
    std::optional<std::int64_t> patient_id;
    std::string detail;
    std::optional<AuditRows> rows{}; // the rows this entry records, when it records rows
};

// The chain link: SHA-256 over the previous row's hash (32 zero bytes for the first row) and
// this row's id, time, account, action, patient and detail, each length-prefixed so no two
// different rows give the same bytes; then, for entries that record rows, their table, range
// and hash (entries without rows hash as they did before schema 6).
AuditHash audit_hash(const AuditHash* previous, const AuditEvent& e);

// The outcome of re-computing the chain, oldest row first.
struct AuditVerification {
    std::int64_t rows = 0;                    // rows checked
    std::optional<std::int64_t> first_broken; // the id of the first row that does not match
    std::string problem;                      // in words, when broken
    bool ok() const { return !first_broken; }
};

// Readers never wait for a writer. SQLite lets one connection write at a time, and an
// import or a sync may hold that lock for many seconds; a sign-in, `flags`, `report`,
// `audit list` or an export must answer meanwhile, yet each of them is audited. So a reader's
// event is appended to the log when the lock is free within reader_lock_wait_ms, and
// otherwise written to the audit queue: the file `<database>.audit-queue` (mode 0600) of one
// line per event, appended under flock(2) and fsynced before the reader goes on, so an
// export's event is on disk before its data leaves. The next writer's commit (the import's
// own, or the next entry or sign-in) moves the queued events into the hash-chained log inside
// its transaction, then empties the queue. Chosen over a second SQLite file because a plain
// append needs no lock shared with the writer, and over writing after the answer because an
// export must be on record before its output. A crash between that commit and emptying the
// queue records those events twice, never loses one.
std::filesystem::path audit_queue_path(const Database& db);

// Moves the queued events into the log inside the current write transaction (constructor);
// committed() then empties the queue. Does nothing when the queue is empty.
class AuditQueueDrain {
  public:
    explicit AuditQueueDrain(Database& db);
    ~AuditQueueDrain();
    AuditQueueDrain(const AuditQueueDrain&) = delete;
    AuditQueueDrain& operator=(const AuditQueueDrain&) = delete;
    void committed();

  private:
    int fd_ = -1; // the queue, locked while its events are being moved
};

class AuditRepository {
  public:
    explicit AuditRepository(Database& db) : db_(db) {}
    // Appends the event with its chain hash, inside the caller's transaction or its own.
    // `e.id` is ignored: rows are numbered 1, 2, 3 ... so a removed row leaves a gap.
    std::int64_t append(const AuditEvent& e);
    // As append, vouching for rows first..last of `table` as they are now (hashed here).
    std::int64_t append_with_rows(AuditEvent e, std::string_view table, std::int64_t first,
                                  std::int64_t last);
    // Vouches for every row of the audited tables written since the last entry that did: one
    // entry a table, action "rows", inside the caller's transaction. Every Solace write ends
    // with it, so at rest no row is left uncovered, and one that is was written outside Solace.
    void cover_new_rows(std::string_view account, Instant at, std::string_view why);
    // For readers: appends as append() does when the write lock is free within
    // reader_lock_wait_ms, else queues the event (on disk when this returns). Never waits
    // for a writer.
    void append_or_queue(const AuditEvent& e);
    void append_or_queue(const std::vector<AuditEvent>& events); // all in the log, or all queued
    // Moves queued events into the log if the write lock is free within a moment (before an
    // admin reads or verifies the log).
    void flush_queue();
    std::vector<AuditEvent> list(std::optional<std::int64_t> patient_id, Instant from, Instant to);
    AuditVerification verify();

  private:
    Database& db_;
};

} // namespace solace::store
