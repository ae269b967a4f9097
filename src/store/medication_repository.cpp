#include "store/medication_repository.hpp"

#include <algorithm>

#include "clinical/schedule.hpp"
#include "store/identity.hpp"
#include "store/in_force.hpp"

namespace solace::store {

MedicationRepository::MedicationRepository(Database& db) : db_(db) {}
MedicationRepository::~MedicationRepository() = default;

std::int64_t MedicationRepository::add(const Medication& m, std::int64_t author_id, Instant now,
                                       std::optional<std::int64_t> supersedes,
                                       std::string_view change_reason) {
    Statement s(db_, "INSERT INTO medication (patient_id, med_key, name, dose, route, schedule, "
                     "time_critical, indication, start_at, end_at, author_id, recorded_at, "
                     "supersedes, change_reason, uuid, device, counter) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, m.patient_id).bind(2, m.key).bind(3, m.name).bind(4, m.dose).bind(5, m.route);
    s.bind(6, m.schedule_text).bind(7, m.time_critical ? 1 : 0).bind(8, m.indication);
    s.bind(9, to_epoch(m.start));
    if (m.end)
        s.bind(10, to_epoch(*m.end));
    else
        s.bind_null(10);
    s.bind(11, author_id).bind(12, to_epoch(now)).bind(13, supersedes);
    if (supersedes)
        s.bind(14, change_reason);
    else
        s.bind_null(14);
    bind_identity(s, 15, db_, m.uuid).run();
    return db_.last_insert_id();
}

std::vector<Medication> MedicationRepository::list(std::int64_t patient_id) {
    Statement s(db_, "SELECT m.id, m.med_key, m.name, m.dose, m.route, m.schedule, "
                     "m.time_critical, m.indication, m.start_at, m.end_at, n.start_at, m.uuid "
                     "FROM medication m LEFT JOIN medication n ON n.supersedes = m.id AND NOT" +
                         outranked("medication", "n") + "WHERE m.patient_id = ? AND NOT" +
                         outranked("medication", "m") + "ORDER BY m.med_key, m.start_at, m.id");
    s.bind(1, patient_id);
    std::vector<Medication> out;
    while (s.step()) {
        Medication m;
        m.id = s.int64(0);
        m.patient_id = patient_id;
        m.key = s.text(1);
        m.name = s.text(2);
        m.dose = s.text(3);
        m.route = s.text(4);
        m.schedule_text = s.text(5);
        m.schedule = clinical::parse_schedule(m.schedule_text);
        m.time_critical = s.int64(6) != 0;
        m.indication = s.text(7);
        m.start = from_epoch(s.int64(8));
        if (!s.is_null(9)) m.end = from_epoch(s.int64(9));
        m.uuid = s.text(11);
        if (!s.is_null(10)) {
            const auto successor_start = from_epoch(s.int64(10));
            if (successor_start <= m.start) continue; // wholly replaced
            const auto last = successor_start - std::chrono::seconds{1};
            m.end = m.end ? std::min(*m.end, last) : last;
        }
        out.push_back(std::move(m));
    }
    return out;
}

std::optional<Medication> MedicationRepository::find(std::int64_t patient_id, std::string_view key,
                                                     Instant at) {
    // The version covering `at`; else the last one started before it; else the first.
    std::optional<Medication> before, first;
    for (auto& m : list(patient_id)) {
        if (m.key != key) continue;
        if (m.start <= at && (!m.end || at <= *m.end)) return m;
        if (m.start <= at) before = m;
        if (!first) first = m;
    }
    return before ? before : first;
}

bool MedicationRepository::key_exists(std::int64_t patient_id, std::string_view key) {
    Statement s(db_, "SELECT 1 FROM medication WHERE patient_id = ? AND med_key = ? LIMIT 1");
    s.bind(1, patient_id).bind(2, key);
    return s.step();
}

std::int64_t MedicationRepository::add_administration(const Administration& a,
                                                      std::int64_t author_id, Instant now) {
    if (!insert_administration_)
        insert_administration_ = std::make_unique<Statement>(
            db_, "INSERT INTO administration (patient_id, medication_id, given_at, status, "
                 "reason, recorded_by, reporter, author_id, recorded_at, supersedes, "
                 "correction_reason, uuid, device, counter) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto& s = *insert_administration_;
    s.bind(1, a.patient_id).bind(2, a.medication_id).bind(3, to_epoch(a.given_at));
    s.bind(4, code(a.status)).bind(5, a.reason).bind(6, a.recorded_by);
    s.bind(7, a.reporter == Reporter::caregiver ? "caregiver" : "nurse").bind(8, author_id);
    s.bind(9, to_epoch(now)).bind(10, a.supersedes);
    if (a.supersedes)
        s.bind(11, a.correction_reason);
    else
        s.bind_null(11);
    bind_identity(s, 12, db_, a.uuid).run();
    return db_.last_insert_id();
}

std::vector<Administration> MedicationRepository::administrations(std::int64_t patient_id,
                                                                  Instant from, Instant to) {
    std::vector<Administration> out;
    for_each_administration(patient_id, from, to,
                            [&](const Administration& a) { out.push_back(a); });
    return out;
}

void MedicationRepository::for_each_administration(
    std::int64_t patient_id, Instant from, Instant to,
    const std::function<void(const Administration&)>& row) {
    // Current records: neither superseded by a correction nor voided as entered in error.
    Statement s(db_, "SELECT d.id, d.medication_id, d.given_at, d.status, d.reason, "
                     "d.recorded_by, d.reporter, a.name, d.supersedes, "
                     "coalesce(d.correction_reason, ''), coalesce(d.uuid, '') "
                     "FROM administration d "
                     "JOIN account a ON a.id = d.author_id WHERE d.patient_id = ? AND "
                     "d.given_at BETWEEN ? AND ? AND" +
                         in_force("administration", "d") +
                         "AND NOT EXISTS (SELECT 1 FROM "
                         "administration_void v WHERE v.administration_id = d.id) "
                         "ORDER BY d.given_at, d.id");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    Administration a;
    a.patient_id = patient_id;
    while (s.step()) {
        a.id = s.int64(0);
        a.medication_id = s.int64(1);
        a.given_at = from_epoch(s.int64(2));
        a.status = parse_dose_status(s.text(3)).value_or(DoseStatus::given);
        a.reason = s.text(4);
        a.recorded_by = s.text(5);
        a.reporter = s.text(6) == "caregiver" ? Reporter::caregiver : Reporter::nurse;
        a.author = s.text(7);
        a.supersedes = s.optional_int64(8);
        a.correction_reason = s.text(9);
        a.uuid = s.text(10);
        row(a);
    }
}

std::set<std::int64_t> MedicationRepository::medications_given(std::int64_t patient_id,
                                                               Instant from, Instant to) {
    Statement s(db_, "SELECT DISTINCT d.medication_id FROM administration d WHERE d.patient_id = ? "
                     "AND d.given_at BETWEEN ? AND ? AND" +
                         in_force("administration", "d") +
                         "AND NOT EXISTS (SELECT 1 FROM "
                         "administration_void v WHERE v.administration_id = d.id)");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    std::set<std::int64_t> out;
    while (s.step())
        out.insert(s.int64(0));
    return out;
}

std::optional<MedicationRepository::DoseRecord>
MedicationRepository::administration(std::string_view uuid) {
    Statement s(db_, "SELECT d.id, d.patient_id, d.medication_id, d.given_at, d.status, "
                     "d.reason, d.recorded_by, d.reporter, a.name, d.recorded_at, m.med_key, " +
                         replaced("administration", "d") + ", " +
                         "EXISTS (SELECT 1 FROM administration_void v WHERE v.administration_id = "
                         "d.id) FROM administration d JOIN account a ON a.id = d.author_id "
                         "JOIN medication m ON m.id = d.medication_id WHERE d.uuid = lower(?)");
    s.bind(1, uuid);
    if (!s.step()) return std::nullopt;
    DoseRecord r;
    auto& a = r.record;
    a.id = s.int64(0);
    a.patient_id = s.int64(1);
    a.medication_id = s.int64(2);
    a.given_at = from_epoch(s.int64(3));
    a.status = parse_dose_status(s.text(4)).value_or(DoseStatus::given);
    a.reason = s.text(5);
    a.recorded_by = s.text(6);
    a.reporter = s.text(7) == "caregiver" ? Reporter::caregiver : Reporter::nurse;
    a.author = s.text(8);
    a.uuid = std::string(uuid);
    r.med_key = s.text(10);
    r.superseded = s.int64(11) != 0;
    r.voided = s.int64(12) != 0;
    return r;
}

std::int64_t MedicationRepository::void_administration(std::int64_t administration_id,
                                                       std::string_view reason,
                                                       std::int64_t author_id, Instant now,
                                                       std::string_view uuid) {
    Statement s(db_, "INSERT INTO administration_void (administration_id, reason, author_id, "
                     "recorded_at, uuid, device, counter) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, administration_id).bind(2, reason).bind(3, author_id).bind(4, to_epoch(now));
    bind_identity(s, 5, db_, std::string(uuid)).run();
    return db_.last_insert_id();
}

std::vector<MedicationRepository::DoseChange>
MedicationRepository::dose_changes(std::int64_t patient_id, Instant from, Instant to) {
    // A correction: the old row and the row that supersedes it; a void: the row and its mark.
    Statement s(db_,
                "SELECT m.med_key, o.given_at, o.status, n.given_at, n.status, "
                "n.correction_reason, a.name, n.recorded_at FROM administration n "
                "JOIN administration o ON o.id = n.supersedes JOIN medication m ON m.id = "
                "o.medication_id JOIN account a ON a.id = n.author_id WHERE n.patient_id = ? "
                "AND (o.given_at BETWEEN ?2 AND ?3 OR n.given_at BETWEEN ?2 AND ?3) "
                "UNION ALL "
                "SELECT m.med_key, o.given_at, o.status, NULL, NULL, v.reason, a.name, "
                "v.recorded_at FROM administration_void v JOIN administration o ON o.id = "
                "v.administration_id JOIN medication m ON m.id = o.medication_id JOIN account a "
                "ON a.id = v.author_id WHERE o.patient_id = ?1 AND o.given_at BETWEEN ?2 AND ?3 "
                "ORDER BY 8");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    std::vector<DoseChange> out;
    while (s.step()) {
        DoseChange c;
        c.med_key = s.text(0);
        c.was_given_at = from_epoch(s.int64(1));
        c.was_status = parse_dose_status(s.text(2)).value_or(DoseStatus::given);
        if (auto at = s.optional_int64(3)) {
            c.now_given_at = from_epoch(*at);
            c.now_status = parse_dose_status(s.text(4));
        }
        c.reason = s.text(5);
        c.author = s.text(6);
        c.recorded_at = from_epoch(s.int64(7));
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace solace::store
