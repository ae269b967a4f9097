#pragma once
#include <filesystem>
#include <future>
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

// PRAGMA quick_check reads the whole file, seconds on years of data. The window runs it on a
// connection of its own while the sign-in screen is up, and waits for it before anyone signs
// in, so a damaged file is still reported before Solace writes to it.
class FileCheck {
  public:
    explicit FileCheck(std::filesystem::path path);
    bool done() const;
    // The damage found, in check_database's words; nothing when sound. Waits when not done.
    std::optional<std::string> problem();

  private:
    std::future<std::optional<std::string>> result_;
    std::optional<std::optional<std::string>> known_;
};

} // namespace solace::app
