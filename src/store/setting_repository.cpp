#include "store/setting_repository.hpp"

namespace solace::store {

std::optional<int> SettingRepository::value(std::string_view key) {
    Statement s(db_, "SELECT value FROM setting WHERE key = ?");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.integer(0);
}

} // namespace solace::store
