#include "store/database.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::store {

namespace {
constexpr int busy_timeout_ms = 5000; // a second writer waits this long before "busy"
} // namespace

Database::Database(const std::filesystem::path& path, Mode mode,
                   std::span<const Migration> migrations)
    : path_(path) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
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
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                      (mode == Mode::create_new ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError(
            fmt::format("Solace could not open {}: {}. Check that the file exists and that you "
                        "may read and write it.",
                        path.string(), why));
    }
    // Health data: a new file is for its owner only, whatever the umask (SQLite gives the WAL
    // and shared-memory files it makes later the mode of the database file).
    if (mode == Mode::create_new)
        std::filesystem::permissions(
            path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    try {
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
            const int version = schema_version();
            const int newest = migrations.empty() ? 0 : migrations.back().version;
            if (version > newest)
                throw StoreError(fmt::format(
                    "{} was written by a newer Solace (schema {}; this program knows up to {}). "
                    "Update Solace to open it.",
                    path.string(), version, newest));
        }
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("PRAGMA foreign_keys=ON");
        exec("PRAGMA cache_size=-32768"); // 32 MiB: imports and five-year histories stay in memory
        migrate(migrations);
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

Database::~Database() {
    sqlite3_close(db_);
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

std::optional<std::string> Database::quick_check() {
    Statement s(*this, "PRAGMA quick_check");
    std::string problems;
    while (s.step()) {
        const auto line = s.text(0);
        if (line == "ok") return std::nullopt;
        problems += (problems.empty() ? "" : "; ") + line;
    }
    return problems;
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
                                         "was.",
                                         m.name, e.what()));
        }
        exec(fmt::format("PRAGMA application_id={}", application_id));
        exec(fmt::format("PRAGMA user_version={}", m.version));
        tx.commit();
    }
}

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
    const int rc =
        sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "preparing a query");
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
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

bool Statement::is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::optional_int64(int col) const {
    if (is_null(col)) return std::nullopt;
    return int64(col);
}

Transaction::Transaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.exec("COMMIT");
    open_ = false;
}

} // namespace solace::store
