#include "store/audit_repository.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "domain/error.hpp"
#include "store/row_hash.hpp"

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

void put_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
            out += '\\';
            out += c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
        } else {
            out += c;
        }
    }
}

// A queued event as one line: at, account, action, patient id (empty for none) and detail,
// tab-separated, with backslash, tab and line breaks escaped so any text survives exactly.
std::string queue_line(const AuditEvent& e) {
    std::string out = std::to_string(to_epoch(e.at)) + '\t';
    put_escaped(out, e.account);
    out += '\t';
    put_escaped(out, e.action);
    out += '\t';
    if (e.patient_id) out += std::to_string(*e.patient_id);
    out += '\t';
    put_escaped(out, e.detail);
    return out + '\n';
}

std::optional<std::int64_t> whole_number(std::string_view s) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// The event of one queue line, or nothing for a line cut short by a crash.
std::optional<AuditEvent> parse_queue_line(std::string_view line) {
    std::vector<std::string> fields(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\t') {
            fields.emplace_back();
        } else if (c == '\\' && i + 1 < line.size()) {
            const char n = line[++i];
            fields.back() += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
        } else {
            fields.back() += c;
        }
    }
    if (fields.size() != 5) return std::nullopt;
    const auto at = whole_number(fields[0]);
    if (!at || fields[2].empty() || fields[2].size() > 64) return std::nullopt;
    AuditEvent e;
    e.at = from_epoch(*at);
    e.account = fields[1];
    e.action = fields[2];
    if (!fields[3].empty()) {
        e.patient_id = whole_number(fields[3]);
        if (!e.patient_id) return std::nullopt;
    }
    e.detail = fields[4];
    return e;
}

void write_all(int fd, const std::string& bytes, const std::filesystem::path& path) {
    for (std::size_t done = 0; done < bytes.size();) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw StoreError(fmt::format("Solace could not record this in the audit queue {} "
                                         "({}); nothing was shown. Check that the disk has room.",
                                         path.string(), std::strerror(errno)));
        done += static_cast<std::size_t>(n);
    }
}

void queue_event(const Database& db, const AuditEvent& e) {
    const auto path = audit_queue_path(db);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        throw StoreError(fmt::format("Solace could not record this in the audit queue {} ({}); "
                                     "nothing was shown. Check that you may write in that folder.",
                                     path.string(), std::strerror(errno)));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); } // also releases the lock
    } closer{fd};
    while (::flock(fd, LOCK_EX) != 0 && errno == EINTR) {
    }
    write_all(fd, queue_line(e), path);
    if (::fsync(fd) != 0)
        throw StoreError(fmt::format("Solace could not save the audit queue {} ({}); nothing was "
                                     "shown.",
                                     path.string(), std::strerror(errno)));
}

} // namespace

std::filesystem::path audit_queue_path(const Database& db) {
    return db.path().string() + ".audit-queue";
}

AuditQueueDrain::AuditQueueDrain(Database& db) {
    const auto path = audit_queue_path(db);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) return; // the usual case: nothing
    fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) return; // moved on the next commit that can read it
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
    std::string text;
    char buf[1 << 14];
    for (ssize_t n; (n = ::read(fd_, buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd_); // read next time; the writer's own change goes on
            fd_ = -1;
            return;
        }
        text.append(buf, static_cast<std::size_t>(n));
    }
    AuditRepository log(db);
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) break; // a line cut short by a crash: never acknowledged
        if (const auto e = parse_queue_line(std::string_view(text).substr(start, end - start)))
            log.append(*e);
        start = end + 1;
    }
}

AuditQueueDrain::~AuditQueueDrain() {
    if (fd_ >= 0) ::close(fd_);
}

void AuditQueueDrain::committed() {
    if (fd_ < 0) return;
    if (::ftruncate(fd_, 0) == 0) ::fsync(fd_);
    ::close(fd_);
    fd_ = -1;
}

void AuditRepository::append_or_queue(const AuditEvent& e) {
    append_or_queue(std::vector<AuditEvent>{e});
}

void AuditRepository::append_or_queue(const std::vector<AuditEvent>& events) {
    if (db_.in_transaction()) {
        for (const auto& e : events)
            append(e);
        return;
    }
    Transaction tx(db_, reader_lock_wait_ms);
    if (!tx.began()) {
        for (const auto& e : events)
            queue_event(db_, e);
        return;
    }
    for (const auto& e : events)
        append(e);
    tx.commit();
}

void AuditRepository::flush_queue() {
    struct stat st {};
    if (db_.in_transaction() || ::stat(audit_queue_path(db_).c_str(), &st) != 0 || st.st_size == 0)
        return;
    Transaction tx(db_, reader_lock_wait_ms);
    if (tx.began()) tx.commit();
}

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
    if (e.rows) {
        feed_text(st, "rows");
        feed_text(st, e.rows->table);
        feed_int(st, e.rows->first);
        feed_int(st, e.rows->last);
        feed(st, e.rows->hash.data(), e.rows->hash.size());
    }
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
    Statement s(db_, "INSERT INTO audit_log (id, at, account, action, patient_id, detail, hash, "
                     "row_table, row_first, row_last, row_hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, row.id).bind(2, to_epoch(row.at)).bind(3, row.account).bind(4, row.action);
    s.bind(5, row.patient_id).bind(6, row.detail);
    s.bind_blob(7, h.data(), h.size());
    if (row.rows) {
        s.bind(8, row.rows->table).bind(9, row.rows->first).bind(10, row.rows->last);
        s.bind_blob(11, row.rows->hash.data(), row.rows->hash.size());
    } else {
        s.bind_null(8).bind_null(9).bind_null(10).bind_null(11);
    }
    s.run();
    if (own) own->commit();
    return row.id;
}

std::int64_t AuditRepository::append_with_rows(AuditEvent e, std::string_view table,
                                               std::int64_t first, std::int64_t last) {
    std::optional<Transaction> own;
    if (!db_.in_transaction()) own.emplace(db_);
    e.rows = AuditRows{std::string(table), first, last, hash_rows(db_, table, first, last)};
    const auto id = append(e);
    if (own) own->commit();
    return id;
}

namespace {
// The last row id of `table` that an audit entry vouches for (0 when none).
std::int64_t last_covered(Database& db, std::string_view table) {
    Statement s(db, "SELECT row_last FROM audit_log WHERE row_table = ? ORDER BY row_first DESC "
                    "LIMIT 1");
    s.bind(1, table);
    return s.step() ? s.int64(0) : 0;
}

// 0 for a table a later migration has yet to create (upgrading from 5, schema 6 covers its rows
// before 8 adds administration_void).
std::int64_t last_row(Database& db, std::string_view table) {
    Statement exists(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    exists.bind(1, table);
    if (!exists.step()) return 0;
    Statement s(db, fmt::format("SELECT coalesce(max(rowid), 0) FROM {}", table));
    s.step();
    return s.int64(0);
}
} // namespace

void AuditRepository::cover_new_rows(std::string_view account, Instant at, std::string_view why) {
    for (const auto table : audited_tables()) {
        const auto first = last_covered(db_, table) + 1;
        const auto last = last_row(db_, table);
        if (last < first) continue;
        append_with_rows({0, at, std::string(account), "rows", std::nullopt,
                          fmt::format("{} {}..{}: {}", table, first, last, why)},
                         table, first, last);
    }
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
    Statement s(db_, "SELECT id, at, account, action, patient_id, detail, hash, row_table, "
                     "row_first, row_last, row_hash FROM audit_log ORDER BY id");
    std::optional<AuditHash> previous;
    std::int64_t previous_id = 0;
    std::map<std::string, std::int64_t, std::less<>> covered; // table -> last row vouched for
    while (s.step()) {
        AuditEvent e{s.int64(0), from_epoch(s.int64(1)), s.text(2),
                     s.text(3),  s.optional_int64(4),    s.text(5)};
        if (!s.is_null(7)) {
            e.rows = AuditRows{s.text(7), s.int64(8), s.int64(9), {}};
            if (const auto h = hash_column(s, 10)) e.rows->hash = *h;
        }
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
        if (e.rows &&
            (!is_audited_table(e.rows->table) ||
             hash_rows(db_, e.rows->table, e.rows->first, e.rows->last) != e.rows->hash)) {
            v.first_broken = e.id;
            v.problem =
                fmt::format("the {} rows {} to {} recorded by audit row {} ({} by \"{}\") "
                            "were changed, removed or added to after they were written",
                            e.rows->table, e.rows->first, e.rows->last, e.id, e.action, e.account);
            return v;
        }
        if (e.rows) {
            auto& last = covered[e.rows->table];
            if (e.rows->first != last + 1) {
                v.first_broken = e.id;
                v.problem = fmt::format("audit row {} vouches for {} rows from {}, but the rows "
                                        "before it end at {}: rows were left out of the log",
                                        e.id, e.rows->table, e.rows->first, last);
                return v;
            }
            last = e.rows->last;
        }
        previous = stored;
        previous_id = e.id;
    }
    for (const auto table : audited_tables()) {
        const auto it = covered.find(table);
        const auto vouched = it == covered.end() ? 0 : it->second;
        const auto last = last_row(db_, table);
        if (last > vouched) {
            v.first_broken = previous_id + 1;
            v.problem = fmt::format("the {} rows {} to {} are in no audit entry: they were "
                                    "written outside Solace",
                                    table, vouched + 1, last);
            return v;
        }
    }
    return v;
}

} // namespace solace::store
