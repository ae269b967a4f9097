#include "store/database.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "domain/error.hpp"
#include "store/audit_repository.hpp"

namespace solace::store {

namespace {
constexpr int busy_timeout_ms = 5000; // a second writer waits this long before "busy"

std::uint32_t big_endian32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

// Looks at an existing file before SQLite does, so that nothing is written to a file that is
// not a whole SQLite database (SQLite reads past the end of a truncated file as zeros and
// would happily append to it). Throws StoreError in plain words.
void check_existing_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw StoreError(fmt::format("{} is a folder, not a database file. Give the path of a "
                                     "Solace database file.",
                                     path.string()));
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        throw StoreError(fmt::format("{} is not an ordinary file, so it is not a Solace database.",
                                     path.string()));
    // Mode bits, not access(): root may write anything, but a file marked read-only means
    // someone wants it left alone (a copy from a backup disc, an archived record).
    if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(path.c_str(), W_OK) != 0)
        throw StoreError(fmt::format("{} is read-only, and Solace records every sign-in and entry "
                                     "in it. Copy the file somewhere you may write, or ask whoever "
                                     "manages the computer to make it writable.",
                                     path.string()));
    if (st.st_size == 0)
        throw StoreError(fmt::format("{} is empty: it is not a Solace database. Open a Solace "
                                     "database, or create one with `solace init`.",
                                     path.string()));
    unsigned char header[100] = {};
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw StoreError(fmt::format("Solace could not read {} ({}). Check that you may read it.",
                                     path.string(), std::strerror(errno)));
    const auto got = ::pread(fd, header, sizeof header, 0);
    ::close(fd);
    if (got != static_cast<ssize_t>(sizeof header) ||
        std::memcmp(header, "SQLite format 3", 16) != 0)
        throw StoreError(fmt::format("{} is not a Solace database (it is not a database file at "
                                     "all, or it is damaged). Open a Solace database, or restore "
                                     "one from a backup with `solace restore`.",
                                     path.string()));
    std::uint32_t page_size = (std::uint32_t{header[16]} << 8) | header[17];
    if (page_size == 1) page_size = 65536;
    const auto size = static_cast<std::uint64_t>(st.st_size);
    // Offset 28 holds the size in pages, trusted while offset 92 matches the change counter at
    // 24. A write-ahead log with frames may hold pages not yet copied back; SQLite then reads
    // those, so the file alone proves nothing.
    const bool size_valid = std::memcmp(header + 24, header + 92, 4) == 0;
    const std::uint64_t pages = big_endian32(header + 28);
    const auto wal = std::filesystem::path(path.string() + "-wal");
    const bool wal_has_frames = std::filesystem::file_size(wal, ec) > 32 && !ec;
    if (page_size < 512 || (page_size & (page_size - 1)) != 0 || size % page_size != 0 ||
        (size_valid && !wal_has_frames && pages * page_size > size))
        throw StoreError(fmt::format("{} is damaged: the file is shorter than the database it "
                                     "holds (it may have been cut off while being copied). Restore "
                                     "it from a backup with `solace restore`.",
                                     path.string()));
}

// Creates the file with mode 0600 before SQLite opens it: it holds health information. SQLite
// gives its -wal and -shm files the database file's mode.
void create_private_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            throw StoreError(fmt::format(
                "{} already exists; Solace will not overwrite it. Choose another --db path.",
                path.string()));
        throw StoreError(fmt::format("Solace could not create {} ({}). Check that you may write "
                                     "in that folder.",
                                     path.string(), std::strerror(errno)));
    }
    ::close(fd);
}

// solace_audit_hash(previous hash or NULL, id, at, account, action, patient_id, detail): the
// audit chain's link, so a migration can seal rows with the same bytes the code writes.
void sql_audit_hash(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (argc != 7) return sqlite3_result_error(ctx, "solace_audit_hash takes 7 arguments", -1);
    AuditEvent e;
    e.id = sqlite3_value_int64(argv[1]);
    e.at = from_epoch(sqlite3_value_int64(argv[2]));
    auto text = [&](int i) {
        const auto* p = sqlite3_value_text(argv[i]);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_value_bytes(argv[i])))
                 : std::string{};
    };
    e.account = text(3);
    e.action = text(4);
    if (sqlite3_value_type(argv[5]) != SQLITE_NULL) e.patient_id = sqlite3_value_int64(argv[5]);
    e.detail = text(6);
    std::optional<AuditHash> previous;
    if (sqlite3_value_type(argv[0]) == SQLITE_BLOB &&
        sqlite3_value_bytes(argv[0]) == static_cast<int>(AuditHash{}.size())) {
        previous.emplace();
        std::memcpy(previous->data(), sqlite3_value_blob(argv[0]), previous->size());
    }
    const auto h = audit_hash(previous ? &*previous : nullptr, e);
    sqlite3_result_blob(ctx, h.data(), static_cast<int>(h.size()), SQLITE_TRANSIENT);
}

// solace_uuid(): a new UUIDv7, for migrations that stamp existing rows.
void sql_uuid(sqlite3_context* ctx, int, sqlite3_value**) {
    const auto u = new_uuid();
    sqlite3_result_text(ctx, u.data(), static_cast<int>(u.size()), SQLITE_TRANSIENT);
}

// Each schema object as "type name" -> its SQL, without SQLite's own (sqlite_autoindex_*,
// sqlite_stat*: made by SQLite from the tables, or by ANALYZE).
using SchemaObjects = std::map<std::string, std::string>;

SchemaObjects schema_objects(sqlite3* db) {
    SchemaObjects out;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT type || ' ' || name, coalesce(sql, '') FROM sqlite_schema "
                           "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                           -1, &s, nullptr) != SQLITE_OK)
        return out;
    while (sqlite3_step(s) == SQLITE_ROW)
        out.emplace(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                    reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    sqlite3_finalize(s);
    return out;
}

void register_functions(sqlite3* db);

// The schema the migrations make, from applying them to an empty database in memory; built
// once per set of migrations.
const SchemaObjects& expected_schema(std::span<const Migration> migrations) {
    static std::mutex lock;
    static std::map<std::string, SchemaObjects> made;
    const std::lock_guard hold(lock);
    std::string key;
    for (const auto& m : migrations)
        key.append(m.sql).push_back('\0');
    if (const auto it = made.find(key); it != made.end()) return it->second;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        sqlite3_close(db);
        throw StoreError("Out of memory while preparing the database.");
    }
    register_functions(db);
    for (const auto& m : migrations) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db, std::string(m.sql).c_str(), nullptr, nullptr, &err);
        const std::string why = err ? err : "";
        sqlite3_free(err);
        if (rc != SQLITE_OK) {
            sqlite3_close(db);
            throw StoreError(fmt::format("Solace's own migration {} failed ({}).", m.name, why));
        }
    }
    auto objects = schema_objects(db);
    sqlite3_close(db);
    return made.emplace(key, std::move(objects)).first->second;
}

// The first difference between the file's schema and the expected one, in words.
std::optional<std::string> schema_difference(const SchemaObjects& expected,
                                             const SchemaObjects& found) {
    for (const auto& [what, sql] : expected) {
        const auto it = found.find(what);
        if (it == found.end()) return fmt::format("the {} was removed", what);
        if (it->second != sql) return fmt::format("the {} was changed", what);
    }
    for (const auto& [what, sql] : found)
        if (!expected.contains(what)) return fmt::format("a {} was added", what);
    return std::nullopt;
}

void register_functions(sqlite3* db) {
    sqlite3_create_function_v2(db, "solace_audit_hash", 7,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nullptr,
                               sql_audit_hash, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "solace_uuid", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, nullptr,
                               sql_uuid, nullptr, nullptr, nullptr);
}

constexpr std::string_view bulk_guards[] = {"observation_no_replace", "administration_no_replace"};

} // namespace

Database::Database(const std::filesystem::path& path, Mode mode,
                   std::span<const Migration> migrations, const char* vfs)
    : path_(path) {
    if (sodium_init() < 0) throw StoreError("The cryptography library could not start.");
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (mode == Mode::open_existing && !exists && !path.parent_path().empty() &&
        !std::filesystem::is_directory(path.parent_path(), ec))
        throw StoreError(fmt::format("There is no database at {}: the folder {} does not exist. "
                                     "Check the path.",
                                     path.string(), path.parent_path().string()));
    if (mode == Mode::open_existing && !exists)
        throw StoreError(fmt::format(
            "There is no database at {}. Create one with `solace init --db {} --user NAME` or "
            "`solace demo --db {}`.",
            path.string(), path.string(), path.string()));
    if (mode == Mode::create_new && exists)
        throw StoreError(fmt::format(
            "{} already exists; Solace will not overwrite it. Choose another --db path.",
            path.string()));
    if (mode == Mode::create_new && !path.parent_path().empty() &&
        !std::filesystem::is_directory(path.parent_path(), ec))
        throw StoreError(fmt::format("The folder {} does not exist; create it first.",
                                     path.parent_path().string()));
    if (mode == Mode::open_existing) check_existing_file(path);
    bool created = false;
    if (mode == Mode::create_new) {
        create_private_file(path);
        created = true;
    }
    // SQLite's memory statistics take a global lock on each of the dozen allocations of every
    // row written (Debian's SQLite has no lookaside); Solace never reads them. Only before
    // SQLite's first use, so once per process.
    static const int no_memory_statistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)no_memory_statistics;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs);
    if (rc != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        close();
        if (created) std::filesystem::remove(path, ec);
        throw StoreError(
            fmt::format("Solace could not open {}: {}. Check that the file exists and that you "
                        "may read and write it.",
                        path.string(), why));
    }
    try {
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, busy_timeout_ms);
        if (sqlite3_db_readonly(db_, "main") == 1)
            throw StoreError(fmt::format("{} can only be read, not written; Solace needs to "
                                         "write to it. Check the file's permissions.",
                                         path.string()));
        register_functions(db_);
        int version = 0;
        if (mode == Mode::open_existing) {
            // Look before touching: nothing is written to a file that is not Solace's.
            Statement id(*this, "PRAGMA application_id");
            id.step();
            const auto app = id.int64(0);
            if (app != application_id)
                throw StoreError(fmt::format(
                    "{} is not a Solace database (it may be another program's file, or empty). "
                    "Open a Solace database, or create one with `solace init`.",
                    path.string()));
            version = schema_version();
            const int newest = migrations.empty() ? 0 : migrations.back().version;
            if (version > newest)
                throw StoreError(fmt::format(
                    "{} was written by a newer Solace (schema {}; this program knows up to {}). "
                    "Update Solace to open it.",
                    path.string(), version, newest));
            // A migration rewrites tables: never on a damaged file.
            if (version < newest)
                if (auto problem = quick_check())
                    throw StoreError(fmt::format("{} is damaged ({}), so Solace did not upgrade "
                                                 "it. Restore it from a backup with `solace "
                                                 "restore`.",
                                                 path.string(), *problem));
        }
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("PRAGMA foreign_keys=ON");
        // REPLACE then fires DELETE triggers, so it cannot rewrite an append-only row.
        exec("PRAGMA recursive_triggers=ON");
        exec("PRAGMA cache_size=-32768"); // 32 MiB: imports and five-year histories stay in memory
        migrate(migrations);
        if (const auto differs =
                schema_difference(expected_schema(migrations), schema_objects(db_)))
            schema_problem_ = fmt::format(
                "{} was changed outside Solace: {}. The safeguards that keep its records from "
                "being rewritten are not the ones Solace made, so Solace will not write to it. "
                "Keep the file as evidence for the agency's privacy officer, and restore the "
                "latest backup with `solace restore`.",
                path.string(), *differs);
        if (schema_problem_) exec("PRAGMA query_only=ON"); // drafts and counters too
    } catch (...) {
        close();
        if (created) {
            std::filesystem::remove(path, ec);
            std::filesystem::remove(path.string() + "-wal", ec);
            std::filesystem::remove(path.string() + "-shm", ec);
        }
        throw;
    }
}

Database::~Database() {
    close();
}

namespace {
// Enough for every query text the program has; dynamic texts beyond it are finalized.
constexpr std::size_t max_idle_statements = 256;
} // namespace

void Database::close() {
    for (auto& [sql, stmt] : idle_)
        sqlite3_finalize(stmt);
    idle_.clear();
    sqlite3_close(db_);
    db_ = nullptr;
}

sqlite3_stmt* Database::take_prepared(std::string_view sql) {
    if (const auto it = idle_.find(sql); it != idle_.end()) {
        auto* stmt = it->second;
        idle_.erase(it);
        return stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        fail(rc, "preparing a query");
    }
    return stmt;
}

void Database::give_back(sqlite3_stmt* stmt) {
    if (!stmt) return;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    const char* sql = sqlite3_sql(stmt);
    if (!sql || idle_.size() >= max_idle_statements) {
        sqlite3_finalize(stmt);
        return;
    }
    idle_.emplace(sql, stmt);
}

int Database::schema_version() {
    Statement s(*this, "PRAGMA user_version");
    s.step();
    return s.integer(0);
}

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) fail(rc, "running a statement");
}

std::int64_t Database::last_insert_id() const {
    return sqlite3_last_insert_rowid(db_);
}
int Database::changes() const {
    return sqlite3_changes(db_);
}

std::int64_t Database::total_changes() const {
    return sqlite3_total_changes64(db_);
}

namespace {
std::optional<std::string> run_check(Database& db, const char* pragma) {
    try {
        Statement s(db, pragma);
        std::string problems;
        while (s.step()) {
            const auto line = s.text(0);
            if (line == "ok") return std::nullopt;
            problems += (problems.empty() ? "" : "; ") + line;
        }
        return problems;
    } catch (const StoreError& e) {
        return e.what(); // too damaged even to check
    }
}
} // namespace

std::optional<std::string> Database::quick_check() {
    return run_check(*this, "PRAGMA quick_check");
}

std::optional<std::string> Database::integrity_check() {
    return run_check(*this, "PRAGMA integrity_check");
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

void Database::fail(int rc, std::string_view doing) const {
    const std::string detail = db_ ? sqlite3_errmsg(db_) : "";
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw StoreError(fmt::format("The database {} is busy: another Solace window or command "
                                     "is writing to it. Try again in a moment.",
                                     path_.string()));
    case SQLITE_FULL:
        throw StoreError(fmt::format("The disk holding {} is full; nothing was saved. Free some "
                                     "space and try again.",
                                     path_.string()));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        throw StoreError(fmt::format("Solace may not write to {} ({}); nothing was saved. Check "
                                     "the file's permissions.",
                                     path_.string(), detail));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        throw StoreError(fmt::format("{} is damaged or is not a Solace database ({}). Restore it "
                                     "from a backup.",
                                     path_.string(), detail));
    case SQLITE_IOERR:
        // A failed sync after the commit was written: the change may still be on disk.
        if (rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_DIR_FSYNC)
            throw StoreError(fmt::format("The disk did not confirm that it stored the change to {} "
                                         "({}); it may or may not have been saved. Check the entry "
                                         "before typing it again, and check the disk.",
                                         path_.string(), detail));
        throw StoreError(fmt::format("The disk could not read or write {} ({}); nothing was "
                                     "saved. Check the disk and try again.",
                                     path_.string(), detail));
    case SQLITE_CONSTRAINT:
        throw ValidationError(
            fmt::format("The database refused the entry while {}: {}.", doing, detail));
    default:
        throw StoreError(
            fmt::format("Database error while {} in {}: {}.", doing, path_.string(), detail));
    }
}

const std::string& Database::device_uuid() {
    if (device_uuid_.empty()) {
        Statement s(*this, "SELECT uuid FROM local_device");
        if (!s.step())
            throw StoreError(fmt::format("{} has lost its device identity; restore it "
                                         "from a backup.",
                                         path_.string()));
        device_uuid_ = s.text(0);
    }
    return device_uuid_;
}

RowIdentity Database::next_identity(std::string_view uuid) {
    RowIdentity id{uuid.empty() ? new_uuid() : std::string(uuid), device_uuid(), 0};
    if (!in_transaction()) {
        Statement s(*this, "UPDATE local_device SET next_counter = next_counter + 1 "
                           "RETURNING next_counter - 1");
        s.step();
        id.counter = s.int64(0);
        return id;
    }
    if (!next_counter_) {
        Statement s(*this, "SELECT next_counter FROM local_device");
        s.step();
        next_counter_ = stored_counter_ = s.int64(0);
    }
    id.counter = (*next_counter_)++;
    return id;
}

Statement& bind_identity(Statement& s, int first, Database& db, std::string_view uuid) {
    const auto id = db.next_identity(uuid);
    return s.bind(first, id.uuid).bind(first + 1, id.device).bind(first + 2, id.counter);
}

void Database::store_counter() {
    if (next_counter_ && next_counter_ != stored_counter_) {
        Statement s(*this, "UPDATE local_device SET next_counter = ?");
        s.bind(1, *next_counter_).run();
    }
    next_counter_.reset();
}

void Database::lift_bulk_guards() {
    if (!in_transaction() || !lifted_guards_.empty()) return;
    for (const auto name : bulk_guards) {
        Statement s(*this, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
        s.bind(1, name);
        if (!s.step()) continue;
        lifted_guards_.push_back(s.text(0));
        exec(fmt::format("DROP TRIGGER {}", name));
    }
}

void Database::after_commit(std::function<void()> f) {
    if (in_transaction())
        on_commit_.push_back(std::move(f));
    else
        f();
}

void Database::restore_guards() {
    for (const auto& sql : lifted_guards_)
        exec(sql);
    lifted_guards_.clear();
}

void Database::migrate(std::span<const Migration> migrations) {
    for (const auto& m : migrations) {
        if (m.version <= schema_version()) continue;
        Transaction tx(*this);
        // Re-read inside the write lock: another process may have migrated meanwhile.
        if (m.version <= schema_version()) continue;
        try {
            exec(m.sql);
        } catch (const std::exception& e) {
            throw StoreError(fmt::format("Migration {} failed ({}); the database was left as it "
                                         "was before it (schema {}).",
                                         m.name, e.what(), m.version - 1));
        }
        // From schema 6 on every row is vouched for by an audit entry; rows a migration made
        // or found are vouched for by the upgrade itself.
        if (m.version >= 6)
            AuditRepository(*this).cover_new_rows("solace", now_utc(),
                                                  fmt::format("schema upgrade {}", m.name));
        exec(fmt::format("PRAGMA application_id={}", application_id));
        exec(fmt::format("PRAGMA user_version={}", m.version));
        tx.commit();
    }
}

Statement::Statement(Database& db, std::string_view sql) : db_(db), stmt_(db.take_prepared(sql)) {}

Statement::~Statement() {
    db_.give_back(stmt_);
}

Statement& Statement::bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
    // An empty view may have no data pointer; SQLite would store NULL, not ''.
    sqlite3_bind_text(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_blob(int i, const void* data, std::size_t size) {
    sqlite3_bind_blob(stmt_, i, size ? data : "", static_cast<int>(size), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    db_.fail(rc, "reading or writing");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::int64(int col) const {
    return sqlite3_column_int64(stmt_, col);
}

std::string Statement::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string{};
}

std::vector<unsigned char> Statement::blob(int col) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::vector<unsigned char>(
                   p, p + static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::vector<unsigned char>{};
}

std::string_view Statement::bytes(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view{};
}

std::string Statement::column_name(int col) const {
    return sqlite3_column_name(stmt_, col);
}

int Statement::column_count() const {
    return sqlite3_column_count(stmt_);
}

int Statement::column_type(int col) const {
    return sqlite3_column_type(stmt_, col);
}

bool Statement::is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::optional_int64(int col) const {
    if (is_null(col)) return std::nullopt;
    return int64(col);
}

Transaction::Transaction(Database& db) : db_(db) {
    if (db_.schema_problem_) {
        open_ = false;
        throw StoreError(*db_.schema_problem_);
    }
    // Plain SQLITE_BUSY has already waited the busy timeout. The busy handler is not called
    // while another connection recovers the WAL or when a snapshot is stale: retry those a
    // few times before saying the database is busy.
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 20; ++attempt) {
        rc = sqlite3_exec(db_.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        if (rc != SQLITE_BUSY_RECOVERY && rc != SQLITE_BUSY_SNAPSHOT) break;
        sqlite3_sleep(50);
    }
    if (rc != SQLITE_OK) db_.fail(rc, "starting a change");
}

Transaction::Transaction(Database& db, int wait_ms) : db_(db) {
    sqlite3_busy_timeout(db_.handle(), wait_ms);
    const int rc = sqlite3_exec(db_.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db_.handle(), busy_timeout_ms);
    open_ = rc == SQLITE_OK;
    if (!open_ && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        db_.fail(rc, "starting a change");
}

Transaction::~Transaction() {
    if (open_) {
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        db_.forget_counter();
    }
}

void Transaction::commit() {
    db_.restore_guards();
    db_.store_counter();
    AuditQueueDrain queued(db_);
    db_.exec("COMMIT");
    open_ = false;
    queued.committed();
    auto then = std::move(db_.on_commit_);
    db_.on_commit_.clear();
    for (auto& f : then)
        f();
}

} // namespace solace::store
