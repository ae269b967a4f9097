#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "app/session.hpp"
#include "store/database.hpp"

namespace solace::app {

// Argon2id cost of turning a passphrase into the backup key. Stored in each backup's header,
// so a backup made with one setting restores under any other.
struct KdfLimits {
    unsigned long long ops;
    std::size_t mem; // bytes
};
KdfLimits moderate_kdf();    // libsodium's MODERATE: 256 MiB, for backups that leave the laptop
KdfLimits interactive_kdf(); // 64 MiB: tests

inline constexpr std::size_t min_backup_passphrase_length = 10;
inline constexpr std::string_view backup_passphrase_variable = "SOLACE_BACKUP_PASSPHRASE";
// The passphrase from SOLACE_BACKUP_PASSPHRASE, if set.
std::optional<std::string> backup_passphrase_from_environment();

// Copies the open database while others may be using it (SQLite's online backup API, into a
// 0600 temporary file beside the database, removed after, so no unencrypted copy touches the
// backup's disk), encrypts it chunk by chunk with libsodium's secretstream (XChaCha20-Poly1305)
// under a key derived from `passphrase` with Argon2id and a random salt, and writes `out` with
// mode 0600. Memory stays a few MB whatever the database's size (beyond the key derivation's
// own `limits.mem`). Refuses to overwrite `out`. Admins only; audited. Throws ValidationError
// for a short passphrase, StoreError otherwise.
void backup_database(const Session& admin, const std::filesystem::path& out,
                     std::string_view passphrase, KdfLimits limits = moderate_kdf());

// Decrypts the backup `in`, checks it (PRAGMA integrity_check, Solace's application_id, a
// schema this program knows), and writes it as the new database `out` (mode 0600). Refuses to
// overwrite `out`; a wrong passphrase or a damaged backup leaves nothing behind. The restore
// is recorded in the restored database's audit log.
void restore_database(const std::filesystem::path& in, const std::filesystem::path& out,
                      std::string_view passphrase);

// The window's daily backup: writes `dir`/solace-YYYY-MM-DD.solace-backup (today's local date)
// unless today's exists, then keeps only the newest `keep`. Returns the file written, or
// nothing when today's backup was already there. Creates `dir` with mode 0700.
std::optional<std::filesystem::path> daily_backup(const Session& s,
                                                  const std::filesystem::path& dir,
                                                  std::string_view passphrase, Instant now,
                                                  int keep = 7, KdfLimits limits = moderate_kdf());

} // namespace solace::app
