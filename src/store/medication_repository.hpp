#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "domain/medication.hpp"
#include "store/database.hpp"

namespace solace::store {

// Medications and their administrations. A change is a new version that supersedes the old
// from its own start on; the old version's effective end is then the new one's start.
class MedicationRepository {
  public:
    explicit MedicationRepository(Database& db);
    ~MedicationRepository();

    std::int64_t add(const Medication& m, std::int64_t author_id, Instant now,
                     std::optional<std::int64_t> supersedes = std::nullopt,
                     std::string_view change_reason = {});
    // Every version in effect at some time, with effective ends, by key then start.
    std::vector<Medication> list(std::int64_t patient_id);
    // The version of `key` in effect at `at` (or the nearest one), if the key exists.
    std::optional<Medication> find(std::int64_t patient_id, std::string_view key, Instant at);
    bool key_exists(std::int64_t patient_id, std::string_view key);

    std::int64_t add_administration(const Administration& a, std::int64_t author_id, Instant now);
    // Current records (corrections applied) given in [from, to], oldest first.
    std::vector<Administration> administrations(std::int64_t patient_id, Instant from, Instant to);
    // As administrations(), one row at a time: memory holds one row, however long the history.
    void for_each_administration(std::int64_t patient_id, Instant from, Instant to,
                                 const std::function<void(const Administration&)>& row);
    // The medication versions with a current dose record in [from, to].
    std::set<std::int64_t> medications_given(std::int64_t patient_id, Instant from, Instant to);

  private:
    Database& db_;
    std::unique_ptr<Statement> insert_administration_;
};

} // namespace solace::store
