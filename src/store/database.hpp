#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/identity.hpp"
#include "store/migrations.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace solace::store {

// 'SOLC': marks the file as Solace's so another program's SQLite file is refused.
inline constexpr std::int32_t application_id = 0x534F4C43;

class Statement;

// One connection to a Solace database file. Not shared between threads.
class Database {
  public:
    enum class Mode { open_existing, create_new };

    // Opens (or creates, mode 0600) the file, refuses one that is not Solace's, is cut short,
    // read-only or newer than this program, and applies pending migrations (after a
    // quick_check, so a damaged file is reported, not worked on). Nothing is written to a
    // refused file. Throws StoreError with a plain message. `vfs` names a registered SQLite
    // VFS (tests inject I/O faults with one); null is the default.
    Database(const std::filesystem::path& path, Mode mode,
             std::span<const Migration> migrations = shipped_migrations(),
             const char* vfs = nullptr);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::filesystem::path& path() const { return path_; }
    int schema_version();
    void exec(std::string_view sql);
    std::int64_t last_insert_id() const;
    int changes() const;
    std::int64_t total_changes() const; // rows this connection has changed since it opened
    sqlite3* handle() const { return db_; }

    // Runs PRAGMA quick_check; returns the problem in words, or nothing when the file is sound.
    std::optional<std::string> quick_check();
    // As quick_check, with PRAGMA integrity_check (also compares indexes with their tables).
    std::optional<std::string> integrity_check();
    bool in_transaction() const;

    // What differs between this file's schema (tables, indexes, triggers) and the one Solace's
    // migrations make, in words: a guard dropped or changed by another program. Nothing when
    // they match. A file that differs is never written to (Transaction refuses).
    const std::optional<std::string>& schema_problem() const { return schema_problem_; }

    // This device's UUID and next counter for a row written now. Inside a Transaction the
    // counter is kept in memory and stored by its commit (one write per transaction, however
    // many rows); outside one it is stored at once. `uuid` is the row's own when it has one
    // (an import), else a new one is made.
    RowIdentity next_identity(std::string_view uuid = {});

    // Inside a Transaction: lifts the no-replace guards of the bulk tables (observation,
    // administration) until it ends; its commit puts them back exactly as they were first.
    // Their trigger runs for every row and costs a third of import speed, and Solace's own
    // inserts never replace. Other programs always meet the guards.
    void lift_bulk_guards();

    // Runs `f` once the current Transaction has committed (never if it rolls back); outside a
    // transaction, at once. For what must follow a write but not be undone with it.
    void after_commit(std::function<void()> f);
    const std::string& device_uuid();

    // Throws StoreError describing `rc` in words a nurse can act on.
    [[noreturn]] void fail(int rc, std::string_view doing) const;

  private:
    friend class Statement;
    friend class Transaction;
    void migrate(std::span<const Migration> migrations);
    // Prepared statements kept for reuse: preparing costs more than running the small
    // indexed queries the rules need (a patient's flags run dozens).
    sqlite3_stmt* take_prepared(std::string_view sql);
    void give_back(sqlite3_stmt* stmt);
    void close();
    void store_counter();   // before COMMIT
    void forget_counter() { // after ROLLBACK
        next_counter_.reset();
        lifted_guards_.clear();
        on_commit_.clear();
    }
    void restore_guards(); // before COMMIT

    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
    std::multimap<std::string, sqlite3_stmt*, std::less<>> idle_;
    std::string device_uuid_;
    std::optional<std::int64_t> next_counter_;   // handed out in this transaction
    std::optional<std::int64_t> stored_counter_; // as read at its start
    std::optional<std::string> schema_problem_;
    std::vector<std::string> lifted_guards_; // CREATE TRIGGER statements as stored
    std::vector<std::function<void()>> on_commit_;
};

// A prepared statement with positional binds (1-based) and typed columns (0-based). The
// connection keeps it, reset, for the next Statement with the same text.
class Statement {
  public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, std::string_view v);
    Statement& bind(int i, const char* v) { return bind(i, std::string_view{v}); }
    Statement& bind(int i, const std::string& v) { return bind(i, std::string_view{v}); }
    Statement& bind_null(int i);
    Statement& bind_blob(int i, const void* data, std::size_t size);
    template <class T> Statement& bind(int i, const std::optional<T>& v) {
        return v ? bind(i, *v) : bind_null(i);
    }

    bool step(); // true while a row is ready
    void run();  // steps to completion, then resets for reuse
    void reset();

    std::int64_t int64(int col) const;
    int integer(int col) const { return static_cast<int>(int64(col)); }
    std::string text(int col) const;
    std::vector<unsigned char> blob(int col) const;
    // The column's bytes as stored, without a copy: valid until the next step or reset.
    std::string_view bytes(int col) const;
    bool is_null(int col) const;
    int column_count() const;
    std::string column_name(int col) const;
    int column_type(int col) const; // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, ...
    std::optional<std::int64_t> optional_int64(int col) const;

  private:
    Database& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// How long a reader waits for the write lock before queueing its audit row instead: long
// enough for an ordinary entry to commit, far below the busy timeout (0..1000 ms).
inline constexpr int reader_lock_wait_ms = 100;

// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed. Committing first
// moves the rows waiting in the audit queue (see AuditRepository::append_or_queue) into the
// audit log, in the same transaction.
class Transaction {
  public:
    explicit Transaction(Database& db);
    // Waits at most `wait_ms` for the write lock; began() is false when another connection
    // kept it.
    Transaction(Database& db, int wait_ms);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    bool began() const { return open_; }
    void commit();

  private:
    Database& db_;
    bool open_ = true;
};

// Binds a row's uuid, device and counter at `first`, `first + 1`, `first + 2`: the given
// UUID (a row imported with its `id`) or a new one, with this device's next counter.
Statement& bind_identity(Statement& s, int first, Database& db, std::string_view uuid);

} // namespace solace::store
