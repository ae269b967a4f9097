#include "app/integrity.hpp"

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::app {

std::optional<std::string> check_database(store::Database& db) {
    auto problem = db.quick_check();
    if (!problem) return std::nullopt;
    return fmt::format("{} is damaged ({}). Solace will not work on it: restore the latest backup "
                       "with `solace restore`, and keep the damaged file for the agency's IT.",
                       db.path().string(), *problem);
}

std::unique_ptr<store::Database> open_checked(const std::filesystem::path& path,
                                              store::Database::Mode mode) {
    auto db = std::make_unique<store::Database>(path, mode);
    if (auto problem = check_database(*db)) throw StoreError(*problem);
    return db;
}

} // namespace solace::app
