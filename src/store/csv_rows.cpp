#include "store/csv_rows.hpp"

#include <array>

#include <fmt/format.h>

#include "domain/error.hpp"
#include "store/in_force.hpp"

namespace solace::store {

namespace {

// The tables an import looks rows up in by UUID; the name goes into SQL, so only these.
std::string_view known_table(std::string_view table) {
    static constexpr std::array<std::string_view, 8> tables{
        "visit",      "observation",  "bowel_movement", "administration", "administration_void",
        "medication", "comfort_goal", "patient"};
    for (auto t : tables)
        if (t == table) return t;
    throw ValidationError(fmt::format("{} is not a table that rows are imported into.", table));
}

// The tables with corrections (a `supersedes` column).
std::string_view corrected_table(std::string_view table) {
    const auto t = known_table(table);
    if (t != "observation" && t != "bowel_movement" && t != "administration")
        throw ValidationError(fmt::format("Rows of {} are not corrected.", table));
    return t;
}

ObservationRow read_observation(const Statement& s) {
    ObservationRow r;
    r.item = s.text(0);
    r.value = s.integer(1);
    r.reporter = parse_reporter(s.text(2)).value_or(Reporter::patient);
    r.observed_at = from_epoch(s.int64(3));
    r.note = s.text(4);
    r.uuid = s.text(5);
    r.replaces = s.text(6);
    r.reason = s.text(7);
    r.visit = s.text(8);
    return r;
}

} // namespace

void CsvRows::for_each_visit(std::int64_t patient_id,
                             const std::function<void(const VisitRow&)>& row) {
    Statement s(db_, "SELECT at, note, uuid FROM visit WHERE patient_id = ? ORDER BY id");
    s.bind(1, patient_id);
    while (s.step())
        row({from_epoch(s.int64(0)), s.text(1), s.text(2)});
}

void CsvRows::for_each_observation(std::int64_t patient_id,
                                   const std::function<void(const ObservationRow&)>& row) {
    Statement o(db_, "SELECT o.item, o.value, o.reporter, o.observed_at, o.note, o.uuid, "
                     "coalesce(r.uuid, ''), coalesce(o.correction_reason, ''), "
                     "coalesce(v.uuid, '') FROM observation o LEFT JOIN observation r ON r.id = "
                     "o.supersedes LEFT JOIN visit v ON v.id = o.visit_id WHERE o.patient_id = ? "
                     "ORDER BY o.id");
    o.bind(1, patient_id);
    while (o.step())
        row(read_observation(o));
    // Entered-in-error movements have no CSV form; what they corrected stays out with them.
    Statement b(db_, "SELECT 'bowel_movement', b.bristol_type, b.reporter, b.occurred_at, b.note, "
                     "b.uuid, coalesce(r.uuid, ''), coalesce(b.correction_reason, ''), "
                     "coalesce(v.uuid, '') FROM bowel_movement b LEFT JOIN bowel_movement r ON "
                     "r.id = b.supersedes LEFT JOIN visit v ON v.id = b.visit_id WHERE "
                     "b.patient_id = ? AND b.entered_in_error = 0 ORDER BY b.id");
    b.bind(1, patient_id);
    while (b.step())
        row(read_observation(b));
}

void CsvRows::for_each_administration(std::int64_t patient_id,
                                      const std::function<void(const AdministrationRow&)>& row) {
    Statement s(db_, "SELECT m.med_key, d.given_at, d.status, d.reason, d.recorded_by, d.uuid, "
                     "coalesce(r.uuid, ''), coalesce(d.correction_reason, '') FROM administration "
                     "d JOIN medication m ON m.id = d.medication_id LEFT JOIN administration r "
                     "ON r.id = d.supersedes WHERE d.patient_id = ? ORDER BY d.id");
    s.bind(1, patient_id);
    while (s.step()) {
        AdministrationRow r;
        r.med_key = s.text(0);
        r.given_at = from_epoch(s.int64(1));
        r.status = parse_dose_status(s.text(2)).value_or(DoseStatus::given);
        r.reason = s.text(3);
        r.recorded_by = s.text(4);
        r.uuid = s.text(5);
        r.replaces = s.text(6);
        r.correction_reason = s.text(7);
        row(r);
    }
}

void CsvRows::for_each_void(std::int64_t patient_id,
                            const std::function<void(const DoseVoidRow&)>& row) {
    Statement s(db_, "SELECT m.med_key, d.given_at, v.reason, a.name, v.uuid, d.uuid FROM "
                     "administration_void v JOIN administration d ON d.id = v.administration_id "
                     "JOIN medication m ON m.id = d.medication_id JOIN account a ON a.id = "
                     "v.author_id WHERE d.patient_id = ? ORDER BY v.id");
    s.bind(1, patient_id);
    while (s.step())
        row({s.text(0), from_epoch(s.int64(1)), s.text(2), s.text(3), s.text(4), s.text(5)});
}

bool CsvRows::is_voided(std::int64_t administration_id) {
    Statement s(db_, "SELECT 1 FROM administration_void WHERE administration_id = ?");
    s.bind(1, administration_id);
    return s.step();
}

std::vector<Medication> CsvRows::medication_versions(std::int64_t patient_id) {
    Statement s(db_, "SELECT id, med_key, name, dose, route, schedule, time_critical, "
                     "indication, start_at, end_at, uuid FROM medication WHERE patient_id = ? "
                     "ORDER BY med_key, start_at, id");
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
        m.time_critical = s.int64(6) != 0;
        m.indication = s.text(7);
        m.start = from_epoch(s.int64(8));
        if (!s.is_null(9)) m.end = from_epoch(s.int64(9));
        m.uuid = s.text(10);
        out.push_back(std::move(m));
    }
    return out;
}

std::optional<Medication> CsvRows::current_version(std::int64_t patient_id, std::string_view key) {
    Statement s(db_, "SELECT m.id, m.start_at FROM medication m WHERE m.patient_id = ? AND "
                     "m.med_key = ? AND" +
                         in_force("medication", "m") + "ORDER BY m.id DESC LIMIT 1");
    s.bind(1, patient_id).bind(2, key);
    if (!s.step()) return std::nullopt;
    Medication m;
    m.id = s.int64(0);
    m.start = from_epoch(s.int64(1));
    return m;
}

std::vector<ComfortGoal> CsvRows::goals(std::int64_t patient_id) {
    Statement s(db_, "SELECT symptom, goal, set_at, uuid FROM comfort_goal WHERE patient_id = ? "
                     "ORDER BY set_at, id");
    s.bind(1, patient_id);
    std::vector<ComfortGoal> out;
    while (s.step())
        out.push_back({patient_id, parse_symptom(s.text(0)).value_or(Symptom::pain), s.integer(1),
                       from_epoch(s.int64(2)), s.text(3)});
    return out;
}

std::optional<std::int64_t> CsvRows::id_of(std::string_view table, std::string_view uuid) {
    Statement s(db_, fmt::format("SELECT id FROM {} WHERE uuid = ?", known_table(table)));
    s.bind(1, uuid);
    if (!s.step()) return std::nullopt;
    return s.int64(0);
}

bool CsvRows::patient_has_rows(std::string_view table, std::int64_t patient_id) {
    Statement s(db_, fmt::format("SELECT EXISTS (SELECT 1 FROM {} WHERE patient_id = ?)",
                                 known_table(table)));
    s.bind(1, patient_id);
    s.step();
    return s.integer(0) != 0;
}

std::optional<std::int64_t> CsvRows::find_observation(std::int64_t patient_id,
                                                      const ObservationRow& r,
                                                      std::optional<std::int64_t> replaces) {
    const bool bowel = r.item == "bowel_movement";
    Statement s(db_, bowel ? "SELECT id FROM bowel_movement WHERE patient_id = ? AND "
                             "occurred_at = ? AND bristol_type = ? AND reporter = ? AND note = ? "
                             "AND ? = 'bowel_movement' AND (? IS NULL OR supersedes = ?) LIMIT 1"
                           : "SELECT id FROM observation WHERE patient_id = ? AND observed_at = ? "
                             "AND value = ? AND reporter = ? AND note = ? AND item = ? AND "
                             "(? IS NULL OR supersedes = ?) LIMIT 1");
    s.bind(1, patient_id).bind(2, to_epoch(r.observed_at)).bind(3, r.value);
    s.bind(4, code(r.reporter)).bind(5, r.note).bind(6, r.item).bind(7, replaces).bind(8, replaces);
    if (!s.step()) return std::nullopt;
    return s.int64(0);
}

std::optional<std::int64_t> CsvRows::find_visit(std::int64_t patient_id, const VisitRow& v) {
    Statement s(db_, "SELECT id FROM visit WHERE patient_id = ? AND at = ? AND note = ? LIMIT 1");
    s.bind(1, patient_id).bind(2, to_epoch(v.at)).bind(3, v.note);
    if (!s.step()) return std::nullopt;
    return s.int64(0);
}

std::optional<std::int64_t> CsvRows::visit_patient(std::int64_t visit_id) {
    Statement s(db_, "SELECT patient_id FROM visit WHERE id = ?");
    s.bind(1, visit_id);
    if (!s.step()) return std::nullopt;
    return s.int64(0);
}

std::optional<std::int64_t> CsvRows::find_administration(std::int64_t patient_id,
                                                         const AdministrationRow& r,
                                                         std::optional<std::int64_t> replaces) {
    Statement s(db_,
                "SELECT d.id FROM administration d JOIN medication m ON m.id = d.medication_id "
                "WHERE d.patient_id = ? AND d.given_at = ? AND m.med_key = ? AND d.status = "
                "? AND d.reason = ? AND d.recorded_by = ? AND (? IS NULL OR d.supersedes = "
                "?) LIMIT 1");
    s.bind(1, patient_id).bind(2, to_epoch(r.given_at)).bind(3, r.med_key);
    s.bind(4, code(r.status)).bind(5, r.reason).bind(6, r.recorded_by).bind(7, replaces);
    s.bind(8, replaces);
    if (!s.step()) return std::nullopt;
    return s.int64(0);
}

bool CsvRows::has_goal(std::int64_t patient_id, const ComfortGoal& g) {
    Statement s(db_, "SELECT 1 FROM comfort_goal WHERE patient_id = ? AND symptom = ? AND goal = "
                     "? AND set_at = ? LIMIT 1");
    s.bind(1, patient_id).bind(2, code(g.symptom)).bind(3, g.goal).bind(4, to_epoch(g.set_at));
    return s.step();
}

bool CsvRows::is_corrected(std::string_view table, std::int64_t id) {
    Statement s(
        db_, fmt::format("SELECT 1 FROM {} WHERE supersedes = ? LIMIT 1", corrected_table(table)));
    s.bind(1, id);
    return s.step();
}

std::optional<CsvRows::Corrected> CsvRows::corrected_row(std::string_view table, std::int64_t id) {
    const auto t = corrected_table(table);
    Statement s(db_, t == "observation"      ? "SELECT patient_id, item, '' FROM observation "
                                               "WHERE id = ?"
                     : t == "bowel_movement" ? "SELECT patient_id, 'bowel_movement', '' FROM "
                                               "bowel_movement WHERE id = ?"
                                             : "SELECT patient_id, status, reason FROM "
                                               "administration WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return Corrected{s.int64(0), s.text(1), s.text(2)};
}

} // namespace solace::store
