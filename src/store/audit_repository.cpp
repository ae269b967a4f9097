#include "store/audit_repository.hpp"

namespace solace::store {

void AuditRepository::append(const AuditEvent& e) {
    Statement s(db_, "INSERT INTO audit_log (at, account, action, patient_id, detail) "
                     "VALUES (?, ?, ?, ?, ?)");
    s.bind(1, to_epoch(e.at)).bind(2, e.account).bind(3, e.action).bind(4, e.patient_id);
    s.bind(5, e.detail).run();
}

std::vector<AuditEvent> AuditRepository::list(std::optional<std::int64_t> patient_id, Instant from,
                                              Instant to) {
    Statement s(db_, "SELECT id, at, account, action, patient_id, detail FROM audit_log WHERE "
                     "at BETWEEN ? AND ? AND (?3 IS NULL OR patient_id = ?3) ORDER BY id");
    s.bind(1, to_epoch(from)).bind(2, to_epoch(to)).bind(3, patient_id);
    std::vector<AuditEvent> out;
    while (s.step())
        out.push_back({s.int64(0), from_epoch(s.int64(1)), s.text(2), s.text(3),
                       s.optional_int64(4), s.text(5)});
    return out;
}

} // namespace solace::store
