#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace solace::app {

// Opens a database as the window and `solace check` do: refuses a file that is not a sound
// Solace database (not Solace's, cut short, read-only, newer, damaged by PRAGMA quick_check)
// with a StoreError in plain words, having written nothing to it. The window shows the message
// on its open-database screen and stays up.
std::unique_ptr<store::Database> open_checked(const std::filesystem::path& path,
                                              store::Database::Mode mode);

// The damage PRAGMA quick_check (with `full`, PRAGMA integrity_check, which also compares every
// index with its table) finds, or safeguards removed behind Solace's back, in words a nurse can
// act on; nothing when sound.
std::optional<std::string> check_database(store::Database& db, bool full = false);

} // namespace solace::app
