#include "store/patient_repository.hpp"

#include "domain/time.hpp"

namespace solace::store {

namespace {
// The base row's MRN with the details of its version in force: the latest recorded.
constexpr const char* columns =
    "SELECT p.id, p.mrn, v.name, v.date_of_birth, v.time_zone, v.diagnosis, v.on_call_phone, "
    "v.discharged_at, coalesce(v.discharge_reason, ''), p.uuid FROM patient p "
    "JOIN patient_version v ON v.id = (SELECT id FROM patient_version WHERE patient_id = p.id "
    "ORDER BY recorded_at DESC, device DESC, counter DESC LIMIT 1) ";

Patient read(const Statement& s) {
    Patient p;
    p.id = s.int64(0);
    p.mrn = s.text(1);
    p.name = s.text(2);
    p.date_of_birth = parse_date(s.text(3), "date_of_birth");
    p.time_zone = s.text(4);
    p.diagnosis = s.text(5);
    p.on_call_phone = s.text(6);
    if (auto at = s.optional_int64(7)) p.discharged_at = from_epoch(*at);
    p.discharge_reason = s.text(8);
    p.uuid = s.text(9);
    return p;
}
} // namespace

std::int64_t PatientRepository::add(const Patient& p, std::int64_t author_id, Instant now) {
    Statement s(db_, "INSERT INTO patient (mrn, name, date_of_birth, time_zone, diagnosis, "
                     "created_at, author_id, uuid, device, counter) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, p.mrn).bind(2, p.name).bind(3, format_date(p.date_of_birth)).bind(4, p.time_zone);
    s.bind(5, p.diagnosis).bind(6, to_epoch(now)).bind(7, author_id);
    bind_identity(s, 8, db_, p.uuid).run();
    Patient first = p;
    first.id = db_.last_insert_id();
    add_version(first, author_id, now, {});
    return first.id;
}

void PatientRepository::add_version(const Patient& p, std::int64_t author_id, Instant now,
                                    std::string_view change_reason) {
    Statement s(db_, "INSERT INTO patient_version (patient_id, name, date_of_birth, time_zone, "
                     "diagnosis, on_call_phone, discharged_at, discharge_reason, change_reason, "
                     "author_id, recorded_at, uuid, device, counter) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, p.id).bind(2, p.name).bind(3, format_date(p.date_of_birth)).bind(4, p.time_zone);
    s.bind(5, p.diagnosis).bind(6, p.on_call_phone);
    if (p.discharged_at) {
        s.bind(7, to_epoch(*p.discharged_at)).bind(8, p.discharge_reason);
    } else {
        s.bind_null(7).bind_null(8);
    }
    s.bind(9, change_reason).bind(10, author_id).bind(11, to_epoch(now));
    bind_identity(s, 12, db_, {}).run();
}

std::optional<Patient> PatientRepository::find_by_mrn(std::string_view mrn) {
    Statement s(db_, std::string(columns) + "WHERE p.mrn = ?");
    s.bind(1, mrn);
    if (!s.step()) return std::nullopt;
    return read(s);
}

std::optional<Patient> PatientRepository::find(std::int64_t id) {
    Statement s(db_, std::string(columns) + "WHERE p.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read(s);
}

std::vector<Patient> PatientRepository::list() {
    Statement s(db_, std::string(columns) + "ORDER BY v.name, p.mrn");
    std::vector<Patient> out;
    while (s.step())
        out.push_back(read(s));
    return out;
}

} // namespace solace::store
