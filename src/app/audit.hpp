#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/session.hpp"
#include "store/audit_repository.hpp"

namespace solace::app {

// One audit event as an admin reads it.
struct AuditEntry {
    std::int64_t id = 0;
    Instant at{};
    std::string account;
    std::string action;
    std::string patient; // MRN, empty when the event is about no patient
    std::string detail;
};

struct AuditFilter {
    std::optional<std::string> mrn;
    Instant from = Instant::min();
    Instant to = Instant::max();
};

// The audit log, oldest first (admins only; family accounts never). Reading it is audited.
std::vector<AuditEntry> audit_entries(const Session& admin, const AuditFilter& filter);

// Records that the account read these patients' records (`what`: "patient", "flags",
// "report"...): one "read.<what>" event per patient, together (queued while another writes, never
// waiting), before the data is shown or written, so `audit list --patient` shows who read a record.
void record_read(const Session& s, const std::vector<Patient>& patients, std::string_view what,
                 std::string_view detail = {});

// Re-computes the hash chain of the whole audit log (admins only).
store::AuditVerification verify_audit(const Session& admin);

} // namespace solace::app
