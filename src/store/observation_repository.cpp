#include "store/observation_repository.hpp"

#include "store/in_force.hpp"

#include <string>

namespace solace::store {

namespace {
const std::string score_columns =
    "SELECT o.id, o.patient_id, o.visit_id, o.item, o.value, o.reporter, o.observed_at, o.note, "
    "o.author_id, a.name, o.recorded_at, o.supersedes, coalesce(o.correction_reason, ''), "
    "o.uuid FROM observation o JOIN account a ON a.id = o.author_id ";
const std::string is_current = in_force("observation", "o");

Score read_score(const Statement& s) {
    Score out;
    out.id = s.int64(0);
    out.patient_id = s.int64(1);
    out.visit_id = s.optional_int64(2);
    out.symptom = parse_symptom(s.text(3)).value_or(Symptom::pain);
    out.value = s.integer(4);
    out.reporter = parse_reporter(s.text(5)).value_or(Reporter::patient);
    out.observed_at = from_epoch(s.int64(6));
    out.note = s.text(7);
    out.author_id = s.int64(8);
    out.author = s.text(9);
    out.recorded_at = from_epoch(s.int64(10));
    out.supersedes = s.optional_int64(11);
    out.correction_reason = s.text(12);
    out.uuid = s.text(13);
    return out;
}
} // namespace

ObservationRepository::ObservationRepository(Database& db) : db_(db) {}
ObservationRepository::~ObservationRepository() = default;

std::int64_t ObservationRepository::add_visit(const Visit& v, std::int64_t author_id, Instant now) {
    Statement s(db_, "INSERT INTO visit (patient_id, at, note, author_id, recorded_at, uuid, "
                     "device, counter) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, v.patient_id).bind(2, to_epoch(v.at)).bind(3, v.note).bind(4, author_id);
    s.bind(5, to_epoch(now));
    bind_identity(s, 6, db_, v.uuid).run();
    return db_.last_insert_id();
}

std::int64_t ObservationRepository::add_score(const Score& sc, Instant now) {
    if (!insert_score_)
        insert_score_ = std::make_unique<Statement>(
            db_, "INSERT INTO observation (patient_id, visit_id, item, value, reporter, "
                 "observed_at, note, author_id, recorded_at, supersedes, correction_reason, "
                 "uuid, device, counter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto& s = *insert_score_;
    s.bind(1, sc.patient_id).bind(2, sc.visit_id).bind(3, code(sc.symptom)).bind(4, sc.value);
    s.bind(5, code(sc.reporter)).bind(6, to_epoch(sc.observed_at)).bind(7, sc.note);
    s.bind(8, sc.author_id).bind(9, to_epoch(now)).bind(10, sc.supersedes);
    if (sc.supersedes)
        s.bind(11, sc.correction_reason);
    else
        s.bind_null(11);
    bind_identity(s, 12, db_, sc.uuid).run();
    return db_.last_insert_id();
}

std::int64_t ObservationRepository::add_pps(std::int64_t patient_id,
                                            std::optional<std::int64_t> visit_id, int value,
                                            Instant observed_at, std::int64_t author_id,
                                            Instant now, Reporter reporter, std::string_view note,
                                            std::string_view uuid) {
    Statement s(db_, "INSERT INTO observation (patient_id, visit_id, item, value, reporter, "
                     "observed_at, author_id, recorded_at, note, uuid, device, counter) "
                     "VALUES (?, ?, 'pps', ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, patient_id).bind(2, visit_id).bind(3, value).bind(4, code(reporter));
    s.bind(5, to_epoch(observed_at)).bind(6, author_id).bind(7, to_epoch(now)).bind(8, note);
    bind_identity(s, 9, db_, uuid).run();
    return db_.last_insert_id();
}

std::vector<Score> ObservationRepository::scores(std::int64_t patient_id, Instant from,
                                                 Instant to) {
    Statement s(db_, score_columns +
                         "WHERE o.patient_id = ? AND o.observed_at BETWEEN ? AND ? AND o.item <> "
                         "'pps' AND" +
                         is_current + "ORDER BY o.observed_at, o.id");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    std::vector<Score> out;
    while (s.step())
        out.push_back(read_score(s));
    return out;
}

std::vector<Score> ObservationRepository::scores_before(std::int64_t patient_id, Symptom sym,
                                                        Reporter r, Instant before, int n) {
    Statement s(db_, score_columns +
                         "WHERE o.patient_id = ? AND o.item = ? AND o.reporter = ? AND "
                         "o.observed_at < ? AND" +
                         is_current + "ORDER BY o.observed_at DESC, o.id DESC LIMIT ?");
    s.bind(1, patient_id).bind(2, code(sym)).bind(3, code(r)).bind(4, to_epoch(before)).bind(5, n);
    std::vector<Score> out;
    while (s.step())
        out.insert(out.begin(), read_score(s));
    return out;
}

std::optional<Score> ObservationRepository::score(std::int64_t id) {
    Statement s(db_, score_columns + "WHERE o.id = ? AND o.item <> 'pps'");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_score(s);
}

bool ObservationRepository::in_force(std::int64_t id) {
    Statement s(db_, "SELECT 1 FROM observation o WHERE o.id = ? AND" +
                         store::in_force("observation", "o"));
    s.bind(1, id);
    return s.step();
}

std::vector<Score> ObservationRepository::replaced_scores(std::int64_t patient_id, Instant from,
                                                          Instant to) {
    Statement s(db_, score_columns +
                         "WHERE o.patient_id = ? AND o.observed_at BETWEEN ? AND ? AND o.item <> "
                         "'pps' AND NOT" +
                         is_current + "ORDER BY o.observed_at, o.id");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    std::vector<Score> out;
    while (s.step())
        out.push_back(read_score(s));
    return out;
}

std::vector<PpsScore> ObservationRepository::pps(std::int64_t patient_id, Instant from,
                                                 Instant to) {
    Statement s(db_, "SELECT o.id, o.value, o.observed_at, a.name, o.reporter, o.note FROM "
                     "observation o "
                     "JOIN account "
                     "a ON a.id = o.author_id WHERE o.patient_id = ? AND o.item = 'pps' AND "
                     "o.observed_at BETWEEN ? AND ? AND" +
                         is_current + "ORDER BY o.observed_at, o.id");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    std::vector<PpsScore> out;
    while (s.step())
        out.push_back({s.int64(0), patient_id, s.integer(1), from_epoch(s.int64(2)), s.text(3),
                       parse_reporter(s.text(4)).value_or(Reporter::nurse), s.text(5)});
    return out;
}

void ObservationRepository::for_each_observation(
    std::int64_t patient_id, Instant from, Instant to,
    const std::function<void(const Score&, bool replaced)>& score,
    const std::function<void(const PpsScore&)>& pps) {
    // The index on (patient_id, observed_at) gives the time order; only rows of one instant
    // are sorted.
    Statement s(db_, score_columns.substr(0, score_columns.find(" FROM ")) + ", " +
                         replaced("observation", "o") +
                         "FROM observation o JOIN account a ON a.id = "
                         "o.author_id WHERE o.patient_id = ? AND o.observed_at BETWEEN ? AND ? "
                         "ORDER BY o.observed_at, o.item = 'pps', o.id");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    while (s.step()) {
        const bool replaced = s.int64(14) != 0; // after score_columns
        if (s.text(3) != "pps") {
            score(read_score(s), replaced);
        } else if (!replaced) {
            pps({s.int64(0), patient_id, s.integer(4), from_epoch(s.int64(6)), s.text(9),
                 parse_reporter(s.text(5)).value_or(Reporter::nurse), s.text(7)});
        }
    }
}

std::vector<Visit> ObservationRepository::visits(std::int64_t patient_id, Instant from,
                                                 Instant to) {
    std::vector<Visit> out;
    for (auto& w : written_visits(patient_id, from, to))
        out.push_back(std::move(w.visit));
    return out;
}

std::vector<ObservationRepository::WrittenVisit>
ObservationRepository::written_visits(std::int64_t patient_id, Instant from, Instant to) {
    Statement s(db_,
                "SELECT v.id, v.at, v.note, a.name, "
                "(SELECT value FROM observation o WHERE o.visit_id = v.id AND o.item = 'pps'), "
                "v.recorded_at FROM visit v JOIN account a ON a.id = v.author_id "
                "WHERE v.patient_id = ? AND v.at BETWEEN ? AND ? ORDER BY v.at, v.id");
    s.bind(1, patient_id).bind(2, to_epoch(from)).bind(3, to_epoch(to));
    std::vector<WrittenVisit> out;
    while (s.step()) {
        Visit v{s.int64(0), patient_id, from_epoch(s.int64(1)), std::nullopt, s.text(2), s.text(3)};
        if (!s.is_null(4)) v.pps = s.integer(4);
        out.push_back({std::move(v), from_epoch(s.int64(5))});
    }
    return out;
}

std::vector<ComfortGoal> ObservationRepository::goals(std::int64_t patient_id) {
    Statement s(db_, "SELECT symptom, goal, set_at FROM comfort_goal WHERE patient_id = ? "
                     "ORDER BY set_at, id");
    s.bind(1, patient_id);
    std::vector<ComfortGoal> out;
    while (s.step())
        out.push_back({patient_id, parse_symptom(s.text(0)).value_or(Symptom::pain), s.integer(1),
                       from_epoch(s.int64(2))});
    return out;
}

void ObservationRepository::add_goal(const ComfortGoal& g, std::int64_t author_id, Instant now) {
    Statement s(db_, "INSERT INTO comfort_goal (patient_id, symptom, goal, set_at, author_id, "
                     "recorded_at, uuid, device, counter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, g.patient_id).bind(2, code(g.symptom)).bind(3, g.goal).bind(4, to_epoch(g.set_at));
    s.bind(5, author_id).bind(6, to_epoch(now));
    bind_identity(s, 7, db_, g.uuid).run();
}

} // namespace solace::store
