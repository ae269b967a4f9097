#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/time.hpp"
#include "store/database.hpp"

namespace solace::store {

struct AuditEvent {
    std::int64_t id = 0;
    Instant at{};
    std::string account;
    std::string action; // login, login_failed, write, correction, import, export, ...
    std::optional<std::int64_t> patient_id;
    std::string detail;
};

class AuditRepository {
  public:
    explicit AuditRepository(Database& db) : db_(db) {}
    void append(const AuditEvent& e);
    std::vector<AuditEvent> list(std::optional<std::int64_t> patient_id, Instant from, Instant to);

  private:
    Database& db_;
};

} // namespace solace::store
