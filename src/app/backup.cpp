#include "app/backup.hpp"
#include "app/anchor.hpp"
#include "app/paths.hpp"
#include "app/process.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <regex>
#include <vector>

#include <date/tz.h>
#include <fmt/format.h>

#include "domain/error.hpp"
#include "store/audit_repository.hpp"

namespace solace::app {

namespace {

// File layout: magic, format, Argon2id ops and mem (big-endian u64), salt, secretstream
// header, then chunks of [u32 big-endian ciphertext length][ciphertext]. The last chunk carries
// the FINAL tag, so a cut-off backup is told from a whole one. The first chunk authenticates
// everything before it as additional data.
constexpr unsigned char magic[8] = {'S', 'O', 'L', 'B', 'A', 'K', 0x0d, 0x0a};
constexpr unsigned char format_version = 1;
constexpr std::size_t chunk_plain = 64 * 1024;
constexpr std::size_t chunk_cipher_max = chunk_plain + crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t header_size = sizeof magic + 1 + 8 + 8 + crypto_pwhash_SALTBYTES +
                                    crypto_secretstream_xchacha20poly1305_HEADERBYTES;

void put_u64(std::vector<unsigned char>& out, std::uint64_t v) {
    for (int i = 7; i >= 0; --i)
        out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}
std::uint64_t get_u64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | p[i];
    return v;
}

void ensure_sodium() {
    if (sodium_init() < 0) throw StoreError("The cryptography library could not start.");
}

// The key, wiped when it goes.
struct Key {
    unsigned char bytes[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    Key() { sodium_memzero(bytes, sizeof bytes); }
    ~Key() { sodium_memzero(bytes, sizeof bytes); }
    Key(const Key&) = delete;
    Key& operator=(const Key&) = delete;
};

void derive_key(Key& key, std::string_view passphrase, const unsigned char* salt, KdfLimits l) {
    if (crypto_pwhash(key.bytes, sizeof key.bytes, passphrase.data(), passphrase.size(), salt,
                      l.ops, l.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw StoreError("Not enough memory to derive the backup key from the passphrase; close "
                         "other programs and try again.");
}

struct SqliteFree {
    void operator()(void* p) const { sqlite3_free(p); }
};
struct SqliteClose {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Connection = std::unique_ptr<sqlite3, SqliteClose>;

// Reads exactly `n` bytes unless the file ends first; returns the bytes read.
std::size_t read_fully(int fd, unsigned char* p, std::size_t n, const std::filesystem::path& path) {
    std::size_t got = 0;
    while (got < n) {
        const auto r = ::read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0)
            throw StoreError(
                fmt::format("Solace could not read {} ({}).", path.string(), std::strerror(errno)));
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    return got;
}

// A consistent copy of the whole database in a private (0600) temporary file beside it,
// removed when this goes. Beside the database, never beside the backup: the plain copy stays
// on the disk that already holds the plain database, and the backup's disk (a USB stick, a
// share) only ever sees ciphertext. A file, not memory, so a 175 MB database costs a few MB.
class PlainCopy {
  public:
    explicit PlainCopy(store::Database& db) {
        const auto dir = db.path().has_parent_path() ? db.path().parent_path() : ".";
        std::string tmpl =
            (dir / fmt::format(".{}.backup-XXXXXX", db.path().filename().string())).string();
        fd_ = ::mkstemp(tmpl.data()); // mode 0600
        if (fd_ < 0)
            throw StoreError(fmt::format("Solace could not make room for the backup's copy in {} "
                                         "({}). Check that the disk has room.",
                                         dir.string(), std::strerror(errno)));
        path_ = tmpl;
        copy(db);
    }
    ~PlainCopy() {
        if (fd_ >= 0) ::close(fd_);
        ::unlink(path_.c_str());
    }
    PlainCopy(const PlainCopy&) = delete;
    PlainCopy& operator=(const PlainCopy&) = delete;

    int fd() const { return fd_; }
    const std::filesystem::path& path() const { return path_; }

  private:
    void copy(store::Database& db) {
        // A connection of its own with a small page cache, for the source and the copy: the
        // pages pass through a few MB, whatever the database's size.
        const auto open = [&](const std::filesystem::path& p, int flags) {
            sqlite3* raw = nullptr;
            const int rc = sqlite3_open_v2(p.c_str(), &raw, flags, nullptr);
            Connection c(raw);
            if (rc != SQLITE_OK)
                throw StoreError(fmt::format("Solace could not open {} to copy it: {}.", p.string(),
                                             raw ? sqlite3_errmsg(raw) : "no memory"));
            sqlite3_exec(raw, "PRAGMA cache_size=-2048", nullptr, nullptr, nullptr);
            return c;
        };
        const auto source = open(db.path(), SQLITE_OPEN_READONLY);
        const auto target = open(path_, SQLITE_OPEN_READWRITE);
        // A throwaway file: no journal, no syncs.
        sqlite3_exec(target.get(), "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", nullptr,
                     nullptr, nullptr);
        sqlite3_backup* b = sqlite3_backup_init(target.get(), "main", source.get(), "main");
        if (!b)
            throw StoreError(fmt::format("Solace could not start copying {}: {}.",
                                         db.path().string(), sqlite3_errmsg(target.get())));
        int rc;
        // All pages in one step: one read transaction, so the copy is a single moment's state
        // even while another window writes (WAL readers do not block writers).
        while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_OK || rc == SQLITE_BUSY ||
               rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) db.fail(rc, "copying the database for the backup");
    }

    std::filesystem::path path_;
    int fd_ = -1;
};

// Encrypts the file behind `plain` chunk by chunk into `out`; returns the plain bytes.
std::size_t write_encrypted(const PlainCopy& plain, const std::filesystem::path& out,
                            std::string_view passphrase, KdfLimits limits) {
    std::vector<unsigned char> header(magic, magic + sizeof magic);
    header.push_back(format_version);
    put_u64(header, limits.ops);
    put_u64(header, limits.mem);
    unsigned char salt[crypto_pwhash_SALTBYTES];
    randombytes_buf(salt, sizeof salt);
    header.insert(header.end(), salt, salt + sizeof salt);
    Key key;
    derive_key(key, passphrase, salt, limits);
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&st, stream_header, key.bytes);
    header.insert(header.end(), stream_header, stream_header + sizeof stream_header);

    struct stat info {};
    if (::fstat(plain.fd(), &info) != 0)
        throw StoreError(fmt::format("Solace could not read its copy of the database ({}).",
                                     std::strerror(errno)));
    const auto size = static_cast<std::size_t>(info.st_size);
    PrivateFile file(out);
    file.write(header);
    std::vector<unsigned char> in(chunk_plain), chunk(4 + chunk_cipher_max);
    std::size_t pos = 0;
    bool first = true;
    do {
        const std::size_t n = std::min(chunk_plain, size - pos);
        if (read_fully(plain.fd(), in.data(), n, plain.path()) != n)
            throw StoreError("The copy of the database ended early; nothing was kept. Try again.");
        const bool last = pos + n == size;
        unsigned long long clen = 0;
        crypto_secretstream_xchacha20poly1305_push(
            &st, chunk.data() + 4, &clen, in.data(), n, first ? header.data() : nullptr,
            first ? header.size() : 0, last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        for (int i = 0; i < 4; ++i)
            chunk[static_cast<std::size_t>(i)] = static_cast<unsigned char>(clen >> (8 * (3 - i)));
        file.write(chunk.data(), 4 + clen);
        pos += n;
        first = false;
    } while (pos < size);
    sodium_memzero(in.data(), in.size());
    file.commit();
    return size;
}

[[noreturn]] void not_a_backup(const std::filesystem::path& in) {
    throw ValidationError(fmt::format("{} is not a Solace backup, or it is damaged.", in.string()));
}

[[noreturn]] void cut_short(const std::filesystem::path& in) {
    throw ValidationError(fmt::format("{} is cut short: it ends before the backup does. Use "
                                      "another copy.",
                                      in.string()));
}

// Decrypts the backup `in` chunk by chunk into `out`, or throws ValidationError for a wrong
// passphrase or a damaged file. Memory holds one chunk, whatever the backup's size.
void decrypt(const std::filesystem::path& in, std::string_view passphrase, PrivateFile& out) {
    const int fd = ::open(in.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw NotFoundError(fmt::format("Cannot read the backup {} ({}); check the path.",
                                        in.string(), std::strerror(errno)));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    unsigned char header[header_size];
    if (read_fully(fd, header, header_size, in) < header_size ||
        std::memcmp(header, magic, sizeof magic) != 0)
        not_a_backup(in);
    if (header[sizeof magic] != format_version)
        throw ValidationError(fmt::format("{} was made by a newer Solace (backup format {}); "
                                          "update Solace to restore it.",
                                          in.string(), header[sizeof magic]));
    const KdfLimits limits{get_u64(&header[sizeof magic + 1]),
                           static_cast<std::size_t>(get_u64(&header[sizeof magic + 9]))};
    // A crafted header must not make us allocate gigabytes or spin for hours.
    if (limits.ops < crypto_pwhash_OPSLIMIT_MIN || limits.ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
        limits.mem < crypto_pwhash_MEMLIMIT_MIN || limits.mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
        not_a_backup(in);
    const unsigned char* salt = &header[sizeof magic + 17];
    const unsigned char* stream_header = salt + crypto_pwhash_SALTBYTES;
    Key key;
    derive_key(key, passphrase, salt, limits);
    crypto_secretstream_xchacha20poly1305_state st;
    if (crypto_secretstream_xchacha20poly1305_init_pull(&st, stream_header, key.bytes) != 0)
        not_a_backup(in);
    std::vector<unsigned char> cipher(chunk_cipher_max), plain(chunk_plain);
    bool first = true, final = false;
    while (!final) {
        unsigned char len[4];
        if (read_fully(fd, len, 4, in) != 4) cut_short(in);
        const std::size_t clen = (std::size_t{len[0]} << 24) | (std::size_t{len[1]} << 16) |
                                 (std::size_t{len[2]} << 8) | len[3];
        if (clen < crypto_secretstream_xchacha20poly1305_ABYTES || clen > chunk_cipher_max)
            not_a_backup(in);
        if (read_fully(fd, cipher.data(), clen, in) != clen) cut_short(in);
        unsigned long long mlen = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(
                &st, plain.data(), &mlen, &tag, cipher.data(), clen, first ? header : nullptr,
                first ? header_size : 0) != 0)
            throw ValidationError(
                first ? fmt::format("The passphrase does not open {} (or the file is damaged). "
                                    "Check the passphrase and try again.",
                                    in.string())
                      : fmt::format("{} is damaged: part of it does not match what was written. "
                                    "Use another copy.",
                                    in.string()));
        // The copy was taken from a WAL database; as a lone file it starts in rollback mode
        // (bytes 18 and 19 of the header), so checking it read-only needs no -wal or -shm.
        if (first && mlen >= 100 && plain[18] == 2 && plain[19] == 2) plain[18] = plain[19] = 1;
        out.write(plain.data(), static_cast<std::size_t>(mlen));
        first = false;
        final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    }
    sodium_memzero(plain.data(), plain.size());
    unsigned char extra;
    if (read_fully(fd, &extra, 1, in) != 0) not_a_backup(in);
}

void audit_outside_session(store::Database& db, std::string_view action, std::string_view detail) {
    store::AuditRepository(db).append(
        {0, now_utc(), "", std::string(action), std::nullopt, std::string(detail)});
}

} // namespace

KdfLimits moderate_kdf() {
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
KdfLimits interactive_kdf() {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

std::optional<std::string> backup_passphrase_from_environment() {
    return secret_variable(backup_passphrase_variable);
}

namespace {
void check_passphrase(std::string_view passphrase) {
    if (passphrase.size() < min_backup_passphrase_length)
        throw ValidationError(fmt::format("The backup passphrase is too short: use at least {} "
                                          "characters (a few words are easy to remember).",
                                          min_backup_passphrase_length));
}

void make_backup(const Session& s, const std::filesystem::path& out, std::string_view passphrase,
                 KdfLimits limits, std::string_view action) {
    ensure_sodium();
    check_passphrase(passphrase);
    const PlainCopy plain(s.db());
    const auto bytes = write_encrypted(plain, out, passphrase, limits);
    s.audit(action, std::nullopt, fmt::format("{} ({} bytes of database)", out.string(), bytes));
}
} // namespace

void backup_database(const Session& admin, const std::filesystem::path& out,
                     std::string_view passphrase, KdfLimits limits) {
    admin.require_admin("make a backup");
    make_backup(admin, out, passphrase, limits, "backup");
}

void restore_database(const std::filesystem::path& in, const std::filesystem::path& out,
                      std::string_view passphrase) {
    ensure_sodium();
    std::error_code ec;
    if (std::filesystem::exists(out, ec))
        throw StoreError(fmt::format("{} already exists; Solace will not overwrite it. Restore "
                                     "into a new file name.",
                                     out.string()));
    // SQLite would replay a stale log or journal left beside the name into the restored copy.
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        const std::filesystem::path stale = out.string() + suffix;
        if (std::filesystem::symlink_status(stale, ec).type() !=
            std::filesystem::file_type::not_found)
            throw StoreError(fmt::format("{} sits beside {}: it belongs to another database, and "
                                         "SQLite would mix it into the restored one. Restore into "
                                         "a new file name, or move {} away first.",
                                         stale.string(), out.string(), stale.string()));
    }
    {
        PrivateFile file(out);
        decrypt(in, passphrase, file);
        // Check the copy before it gets its name: a plain SQLite connection, read-only, so the
        // check itself cannot change what it checks.
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open_v2(file.temp().c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
        Connection check(raw);
        if (rc != SQLITE_OK) not_a_backup(in);
        const auto single = [&](const char* sql) -> std::optional<std::string> {
            sqlite3_stmt* st = nullptr;
            std::optional<std::string> v;
            if (sqlite3_prepare_v2(check.get(), sql, -1, &st, nullptr) == SQLITE_OK) {
                std::string all;
                while (sqlite3_step(st) == SQLITE_ROW) {
                    const auto* t = sqlite3_column_text(st, 0);
                    all += (all.empty() ? "" : "; ") +
                           std::string(t ? reinterpret_cast<const char*>(t) : "");
                }
                v = all;
            }
            sqlite3_finalize(st);
            return v;
        };
        const auto integrity = single("PRAGMA integrity_check");
        if (!integrity || *integrity != "ok")
            throw ValidationError(fmt::format("The database inside {} is damaged ({}); nothing "
                                              "was restored. Use another backup.",
                                              in.string(), integrity.value_or("unreadable")));
        const auto app = single("PRAGMA application_id");
        if (!app || std::atoll(app->c_str()) != store::application_id)
            throw ValidationError(fmt::format("{} holds a database that is not Solace's; nothing "
                                              "was restored.",
                                              in.string()));
        const auto version = single("PRAGMA user_version");
        const auto shipped = store::shipped_migrations();
        if (!version || std::atoi(version->c_str()) > shipped.back().version)
            throw ValidationError(fmt::format("{} was made by a newer Solace (schema {}); update "
                                              "Solace to restore it.",
                                              in.string(), version.value_or("?")));
        check.reset();
        file.commit();
    }
    // Opening brings an older backup's schema up to date; the restore is then on the record.
    store::Database db(out, store::Database::Mode::open_existing);
    // The restored log is older than the heads kept for it: start them again from here.
    forget_anchors(db);
    audit_outside_session(db, "restore", fmt::format("restored from {}", in.string()));
}

std::optional<std::filesystem::path> daily_backup(const Session& s,
                                                  const std::filesystem::path& dir,
                                                  std::string_view passphrase, Instant now,
                                                  int keep, KdfLimits limits) {
    std::error_code ec;
    ensure_private_dir(dir);
    const date::zoned_seconds local(date::current_zone(), now);
    const auto day = date::year_month_day{date::floor<date::days>(local.get_local_time())};
    const auto name = fmt::format("solace-{}.solace-backup", date::format("%F", day));
    const auto path = dir / name;
    std::optional<std::filesystem::path> written;
    if (!std::filesystem::exists(path, ec)) {
        make_backup(s, path, passphrase, limits, "backup.daily");
        written = path;
    }
    // Keep the newest `keep` daily backups; the dates in the names sort as text.
    static const std::regex daily(R"(solace-\d{4}-\d{2}-\d{2}\.solace-backup)");
    std::vector<std::filesystem::path> all;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file() && std::regex_match(entry.path().filename().string(), daily))
            all.push_back(entry.path());
    std::sort(all.begin(), all.end());
    const auto excess = static_cast<std::ptrdiff_t>(all.size()) - std::max(keep, 1);
    for (std::ptrdiff_t i = 0; i < excess; ++i)
        std::filesystem::remove(all[static_cast<std::size_t>(i)], ec);
    return written;
}

} // namespace solace::app
