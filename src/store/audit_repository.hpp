#pragma once
#include <array>
#include <cstdint>
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
    std::vector<AuditEvent> list(std::optional<std::int64_t> patient_id, Instant from, Instant to);
    AuditVerification verify();

  private:
    Database& db_;
};

} // namespace solace::store
