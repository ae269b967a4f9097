#include "store/bowel_movement_repository.hpp"

#include "store/in_force.hpp"

#include <string>

namespace solace::store {

namespace {
const std::string columns =
    "SELECT b.id, b.patient_id, b.visit_id, b.occurred_at, b.bristol_type, b.reporter, b.note, "
    "a.name, b.recorded_at, b.supersedes, coalesce(b.correction_reason, ''), b.uuid "
    "FROM bowel_movement b JOIN account a ON a.id = b.author_id ";
const std::string is_current = " b.entered_in_error = 0 AND" + in_force("bowel_movement", "b");

BowelMovement read(const Statement& s) {
    BowelMovement out;
    out.id = s.int64(0);
    out.patient_id = s.int64(1);
    out.visit_id = s.optional_int64(2);
    out.occurred_at = from_epoch(s.int64(3));
    out.bristol_type = s.integer(4);
    out.reporter = parse_reporter(s.text(5)).value_or(Reporter::nurse);
    out.note = s.text(6);
    out.author = s.text(7);
    out.recorded_at = from_epoch(s.int64(8));
    out.supersedes = s.optional_int64(9);
    out.correction_reason = s.text(10);
    out.uuid = s.text(11);
    return out;
}
} // namespace

std::int64_t BowelMovementRepository::add(const BowelMovement& b, std::int64_t author_id,
                                          Instant now) {
    Statement s(db_, "INSERT INTO bowel_movement (patient_id, visit_id, occurred_at, "
                     "bristol_type, reporter, note, author_id, recorded_at, supersedes, "
                     "correction_reason, entered_in_error, uuid, device, counter) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, b.patient_id).bind(2, b.visit_id).bind(3, to_epoch(b.occurred_at));
    s.bind(4, b.bristol_type).bind(5, code(b.reporter)).bind(6, b.note).bind(7, author_id);
    s.bind(8, to_epoch(now)).bind(9, b.supersedes);
    if (b.supersedes)
        s.bind(10, b.correction_reason);
    else
        s.bind_null(10);
    s.bind(11, b.entered_in_error ? 1 : 0);
    bind_identity(s, 12, db_, b.uuid).run();
    return db_.last_insert_id();
}

std::vector<BowelMovement> BowelMovementRepository::current(std::int64_t patient_id, Instant from,
                                                            Instant to) {
    std::vector<BowelMovement> out;
    Statement before(db_, columns + "WHERE b.patient_id = ? AND b.occurred_at < ? AND" +
                              is_current + "ORDER BY b.occurred_at DESC, b.id DESC LIMIT 1");
    before.bind(1, patient_id).bind(2, to_epoch(from));
    if (before.step()) out.push_back(read(before));
    Statement s(db_, columns + "WHERE b.patient_id = ? AND b.occurred_at BETWEEN ? AND ? AND" +
                         is_current + "ORDER BY b.occurred_at, b.id");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    while (s.step())
        out.push_back(read(s));
    return out;
}

} // namespace solace::store
