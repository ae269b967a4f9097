#pragma once
#include <map>
#include <string>

#include "domain/flag.hpp"
#include "store/database.hpp"

namespace solace::store {

struct Acknowledgement {
    std::string by;
    Instant at{};
    std::string note;
};

// Flag acknowledgements and the rule thresholds the flags are computed with.
class FlagRepository {
  public:
    explicit FlagRepository(Database& db) : db_(db) {}
    // False when the flag was already acknowledged (the first acknowledgement stands).
    bool acknowledge(std::string_view flag_id, std::int64_t patient_id, std::int64_t author_id,
                     Instant at, std::string_view note);
    std::map<std::string, Acknowledgement, std::less<>> acknowledgements(std::int64_t patient_id);
    Thresholds thresholds();

  private:
    Database& db_;
};

} // namespace solace::store
