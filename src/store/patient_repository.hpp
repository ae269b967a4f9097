#pragma once
#include <optional>
#include <vector>

#include "domain/patient.hpp"
#include "domain/time.hpp"
#include "store/database.hpp"

namespace solace::store {

class PatientRepository {
  public:
    explicit PatientRepository(Database& db) : db_(db) {}
    // Admits a patient: the base row and its first version.
    std::int64_t add(const Patient& p, std::int64_t author_id, Instant now);
    // A change of details, a discharge or a death: a new version with every detail; the
    // latest recorded is in force, the earlier ones stay.
    void add_version(const Patient& p, std::int64_t author_id, Instant now,
                     std::string_view change_reason);
    std::optional<Patient> find_by_mrn(std::string_view mrn);
    std::optional<Patient> find(std::int64_t id);
    std::vector<Patient> list(); // by name

  private:
    Database& db_;
};

} // namespace solace::store
