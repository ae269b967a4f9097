#pragma once
#include <vector>

#include "domain/score.hpp"
#include "store/database.hpp"

namespace solace::store {

// Bowel movements (schema 6). Rows are only ever added: a correction supersedes.
class BowelMovementRepository {
  public:
    explicit BowelMovementRepository(Database& db) : db_(db) {}

    // Adds a bowel movement (or, with `supersedes` set, a correction of one).
    std::int64_t add(const BowelMovement& b, std::int64_t author_id, Instant now);
    // Current movements (corrections applied, entered-in-error left out) that occurred in
    // [from, to], oldest first, and the latest one before `from` if there is one: the bowel
    // rule needs the last movement however long ago.
    std::vector<BowelMovement> current(std::int64_t patient_id, Instant from, Instant to);

  private:
    Database& db_;
};

} // namespace solace::store
