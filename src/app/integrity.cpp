#include "app/integrity.hpp"

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::app {

std::optional<std::string> check_database(store::Database& db, bool full) {
    if (db.schema_problem()) return db.schema_problem();
    auto problem = full ? db.integrity_check() : db.quick_check();
    if (!problem) return std::nullopt;
    // The nurse reads the first sentence; SQLite's own words are for the agency's IT.
    constexpr std::size_t detail_limit = 200;
    auto detail = *problem;
    if (detail.size() > detail_limit) detail = detail.substr(0, detail_limit) + "...";
    return fmt::format("{} is damaged, so Solace will not work on it. Restore the latest backup "
                       "with `solace restore`, and keep the damaged file for the agency's IT "
                       "(the check found: {}).",
                       db.path().string(), detail);
}

std::unique_ptr<store::Database> open_checked(const std::filesystem::path& path,
                                              store::Database::Mode mode) {
    auto db = std::make_unique<store::Database>(path, mode);
    if (auto problem = check_database(*db)) throw StoreError(*problem);
    return db;
}

FileCheck::FileCheck(std::filesystem::path path)
    : result_(std::async(std::launch::async, [path = std::move(path)] {
          store::Database db(path, store::Database::Mode::open_existing);
          return check_database(db);
      })) {}

bool FileCheck::done() const {
    return known_ || result_.wait_for(std::chrono::seconds{0}) == std::future_status::ready;
}

std::optional<std::string> FileCheck::problem() {
    if (!known_) {
        try {
            known_ = result_.get();
        } catch (const std::exception& e) {
            known_ = std::optional<std::string>(e.what());
        }
    }
    return *known_;
}

} // namespace solace::app
