#pragma once
#include <optional>
#include <string_view>

#include "store/database.hpp"

namespace solace::store {

// Agency settings other than the rule thresholds (those are read by FlagRepository), e.g.
// `family_may_print` (0 or 1). Read-only here: an absent key means the default.
class SettingRepository {
  public:
    explicit SettingRepository(Database& db) : db_(db) {}
    std::optional<int> value(std::string_view key);

  private:
    Database& db_;
};

} // namespace solace::store
