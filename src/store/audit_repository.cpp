#include "store/audit_repository.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <cstring>

#include <fmt/format.h>

namespace solace::store {

namespace {

constexpr std::string_view chain_label = "solace audit chain v1";

void feed(crypto_hash_sha256_state& st, const void* p, std::size_t n) {
    crypto_hash_sha256_update(&st, static_cast<const unsigned char*>(p), n);
}

void feed_int(crypto_hash_sha256_state& st, std::int64_t v) {
    unsigned char b[8];
    auto u = static_cast<std::uint64_t>(v);
    for (int i = 7; i >= 0; --i) {
        b[i] = static_cast<unsigned char>(u & 0xff);
        u >>= 8;
    }
    feed(st, b, sizeof b);
}

void feed_text(crypto_hash_sha256_state& st, std::string_view s) {
    feed_int(st, static_cast<std::int64_t>(s.size()));
    feed(st, s.data(), s.size());
}

std::optional<AuditHash> hash_column(const Statement& s, int col) {
    if (s.is_null(col)) return std::nullopt;
    const auto bytes = s.blob(col);
    if (bytes.size() != AuditHash{}.size()) return std::nullopt;
    AuditHash h;
    std::memcpy(h.data(), bytes.data(), h.size());
    return h;
}

} // namespace

AuditHash audit_hash(const AuditHash* previous, const AuditEvent& e) {
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    feed_text(st, chain_label);
    const AuditHash zero{};
    feed(st, (previous ? previous : &zero)->data(), zero.size());
    feed_int(st, e.id);
    feed_int(st, to_epoch(e.at));
    feed_text(st, e.account);
    feed_text(st, e.action);
    const unsigned char has_patient = e.patient_id ? 1 : 0;
    feed(st, &has_patient, 1);
    feed_int(st, e.patient_id.value_or(0));
    feed_text(st, e.detail);
    AuditHash out;
    crypto_hash_sha256_final(&st, out.data());
    return out;
}

std::int64_t AuditRepository::append(const AuditEvent& e) {
    // The previous row must not change between reading its hash and writing this one: hold
    // the write lock (every Transaction is BEGIN IMMEDIATE) or take it here.
    std::optional<Transaction> own;
    if (!db_.in_transaction()) own.emplace(db_);
    AuditEvent row = e;
    std::optional<AuditHash> previous;
    {
        Statement last(db_, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
        row.id = 1;
        if (last.step()) {
            row.id = last.int64(0) + 1;
            previous = hash_column(last, 1);
        }
    }
    const auto h = audit_hash(previous ? &*previous : nullptr, row);
    Statement s(db_, "INSERT INTO audit_log (id, at, account, action, patient_id, detail, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, row.id).bind(2, to_epoch(row.at)).bind(3, row.account).bind(4, row.action);
    s.bind(5, row.patient_id).bind(6, row.detail);
    s.bind_blob(7, h.data(), h.size()).run();
    if (own) own->commit();
    return row.id;
}

std::vector<AuditEvent> AuditRepository::list(std::optional<std::int64_t> patient_id, Instant from,
                                              Instant to) {
    Statement s(db_, "SELECT id, at, account, action, patient_id, detail FROM audit_log WHERE "
                     "at BETWEEN ? AND ? AND (?3 IS NULL OR patient_id = ?3) ORDER BY id");
    s.bind(1, to_epoch(from)).bind(2, to_epoch(to)).bind(3, patient_id);
    std::vector<AuditEvent> out;
    while (s.step())
        out.push_back({s.int64(0), from_epoch(s.int64(1)), s.text(2), s.text(3),
                       s.optional_int64(4), s.text(5)});
    return out;
}

AuditVerification AuditRepository::verify() {
    AuditVerification v;
    Statement s(db_, "SELECT id, at, account, action, patient_id, detail, hash FROM audit_log "
                     "ORDER BY id");
    std::optional<AuditHash> previous;
    std::int64_t previous_id = 0;
    while (s.step()) {
        const AuditEvent e{s.int64(0), from_epoch(s.int64(1)), s.text(2),
                           s.text(3),  s.optional_int64(4),    s.text(5)};
        ++v.rows;
        const auto stored = hash_column(s, 6);
        const auto expected = audit_hash(previous ? &*previous : nullptr, e);
        if (!stored || *stored != expected) {
            v.first_broken = e.id;
            if (!stored)
                v.problem = fmt::format("audit row {} has no chain hash: it was written outside "
                                        "Solace",
                                        e.id);
            else if (e.id != previous_id + 1)
                v.problem = fmt::format("audit row {} does not follow row {}: the rows between "
                                        "them were removed",
                                        e.id, previous_id);
            else
                v.problem =
                    fmt::format("audit row {} ({} by \"{}\") does not match its chain hash: "
                                "it, or the row before it, was changed after it was written",
                                e.id, e.action, e.account);
            return v;
        }
        previous = stored;
        previous_id = e.id;
    }
    return v;
}

} // namespace solace::store
