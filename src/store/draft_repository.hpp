#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"
#include "store/database.hpp"

namespace solace::store {

// Something typed and not yet saved, as the window last kept it.
struct Draft {
    std::string payload; // JSON, as the app wrote it
    Instant updated_at{};
};

// Drafts (one per account, patient and kind, overwritten as the user types) and per-account
// display preferences. Neither is clinical data, so rows are replaced and deleted.
class DraftRepository {
  public:
    explicit DraftRepository(Database& db) : db_(db) {}

    void put(std::int64_t account_id, std::int64_t patient_id, std::string_view kind,
             std::string_view payload, Instant at);
    std::optional<Draft> find(std::int64_t account_id, std::int64_t patient_id,
                              std::string_view kind);
    void remove(std::int64_t account_id, std::int64_t patient_id, std::string_view kind);

    std::map<std::string, std::string, std::less<>> preferences(std::int64_t account_id);
    void set_preference(std::int64_t account_id, std::string_view key, std::string_view value);

  private:
    Database& db_;
};

} // namespace solace::store
