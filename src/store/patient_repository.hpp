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
    std::int64_t add(const Patient& p, std::int64_t author_id, Instant now);
    std::optional<Patient> find_by_mrn(std::string_view mrn);
    std::optional<Patient> find(std::int64_t id);
    std::vector<Patient> list(); // by name

  private:
    Database& db_;
};

} // namespace solace::store
