#include "store/patient_repository.hpp"

#include "domain/time.hpp"

namespace solace::store {

namespace {
constexpr const char* columns =
    "SELECT id, mrn, name, date_of_birth, time_zone, diagnosis FROM patient ";

Patient read(const Statement& s) {
    Patient p;
    p.id = s.int64(0);
    p.mrn = s.text(1);
    p.name = s.text(2);
    p.date_of_birth = parse_date(s.text(3), "date_of_birth");
    p.time_zone = s.text(4);
    p.diagnosis = s.text(5);
    return p;
}
} // namespace

std::int64_t PatientRepository::add(const Patient& p, std::int64_t author_id, Instant now) {
    Statement s(db_, "INSERT INTO patient (mrn, name, date_of_birth, time_zone, diagnosis, "
                     "created_at, author_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, p.mrn).bind(2, p.name).bind(3, format_date(p.date_of_birth)).bind(4, p.time_zone);
    s.bind(5, p.diagnosis).bind(6, to_epoch(now)).bind(7, author_id).run();
    return db_.last_insert_id();
}

std::optional<Patient> PatientRepository::find_by_mrn(std::string_view mrn) {
    Statement s(db_, std::string(columns) + "WHERE mrn = ?");
    s.bind(1, mrn);
    if (!s.step()) return std::nullopt;
    return read(s);
}

std::optional<Patient> PatientRepository::find(std::int64_t id) {
    Statement s(db_, std::string(columns) + "WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read(s);
}

std::vector<Patient> PatientRepository::list() {
    Statement s(db_, std::string(columns) + "ORDER BY name, mrn");
    std::vector<Patient> out;
    while (s.step())
        out.push_back(read(s));
    return out;
}

} // namespace solace::store
