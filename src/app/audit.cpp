#include "app/audit.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "app/anchor.hpp"
#include "store/patient_repository.hpp"

namespace solace::app {

std::vector<AuditEntry> audit_entries(const Session& admin, const AuditFilter& filter) {
    admin.require_admin("read the audit log");
    std::optional<std::int64_t> patient_id;
    if (filter.mrn) patient_id = admin.patient(*filter.mrn).id;
    // Years 0001..9999: Instant::min()/max() would overflow SQLite's 64-bit seconds.
    constexpr Instant earliest{std::chrono::seconds{-62135596800}};
    constexpr Instant latest{std::chrono::seconds{253402300799}};
    const auto clamp = [&](Instant t) { return std::clamp(t, earliest, latest); };
    store::AuditRepository log(admin.db());
    log.flush_queue(); // readers' events queued during a write, when the lock is free now
    const auto rows = log.list(patient_id, clamp(filter.from), clamp(filter.to));
    std::map<std::int64_t, std::string> mrns;
    for (const auto& p : store::PatientRepository(admin.db()).list())
        mrns[p.id] = p.mrn;
    std::vector<AuditEntry> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back({r.id, r.at, r.account, r.action,
                       r.patient_id ? mrns[*r.patient_id] : std::string{}, r.detail});
    admin.audit_read("audit.list", patient_id,
                     fmt::format("{} events{}", out.size(),
                                 filter.mrn ? fmt::format(" of patient {}", *filter.mrn) : ""));
    return out;
}

void record_read(const Session& s, const std::vector<Patient>& patients, std::string_view what,
                 std::string_view detail) {
    if (patients.empty()) return;
    std::vector<std::pair<std::optional<std::int64_t>, std::string>> events;
    for (const auto& p : patients)
        events.emplace_back(p.id, detail.empty() ? fmt::format("{} of {}", what, p.mrn)
                                                 : std::string(detail));
    s.audit_read(fmt::format("read.{}", what), events); // a reader never waits for a writer
}

store::AuditVerification verify_audit(const Session& admin) {
    admin.require_admin("verify the audit log");
    store::AuditRepository log(admin.db());
    log.flush_queue(); // readers' events queued during a write, when the lock is free now
    auto v = log.verify();
    if (!v.ok()) return v;
    if (auto problem = check_anchors(admin.db())) {
        const auto head = audit_head(admin.db());
        v.first_broken = head ? head->id : 0;
        v.problem = *problem;
        return v;
    }
    // The event the agency server acknowledged last must still be here, unchanged: a chain
    // rewritten whole after a sync is consistent in itself but no longer matches it.
    store::Statement acked(
        admin.db(), "SELECT s.audit_acked_id, s.audit_acked_hash IS a.hash FROM sync_state s "
                    "LEFT JOIN audit_log a ON a.id = s.audit_acked_id "
                    "WHERE s.audit_acked_id > 0 AND s.audit_acked_hash IS NOT NULL");
    if (acked.step() && acked.int64(1) == 0) {
        v.first_broken = acked.int64(0);
        v.problem = "it is missing or differs from the event the agency server acknowledged at "
                    "the last sync";
    }
    return v;
}

} // namespace solace::app
