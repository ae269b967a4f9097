#include "interop/import.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "interop/csv.hpp"
#include "interop/rows_written.hpp"
#include "store/bowel_movement_repository.hpp"
#include "store/csv_rows.hpp"
#include "store/identity.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"

namespace solace::interop {

namespace {

std::string_view trimmed_view(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::string trimmed(std::string_view s) {
    return std::string(trimmed_view(s));
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

int parse_int(std::string_view text, std::string_view field) {
    const auto t = trimmed_view(text);
    int v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size())
        throw ValidationError(fmt::format("{} \"{}\" is not a whole number.", field, text));
    return v;
}

// The most bytes a field may hold (the database's CHECKs hold the same or more); notes are
// long, codes and names short.
std::size_t byte_limit(std::string_view column) {
    static constexpr std::pair<std::string_view, std::size_t> limits[]{
        {"note", max_note_chars}, {"diagnosis", max_reason_bytes}, {"reason", max_reason_bytes},
        {"name", max_name_bytes}, {"schedule", max_name_bytes},    {"indication", max_name_bytes},
        {"dose", max_dose_bytes}, {"route", max_route_bytes}};
    for (const auto& [name, limit] : limits)
        if (name == column) return limit;
    return max_code_bytes; // MRNs, keys, times, codes
}

// Refuses text that is not UTF-8, holds NUL or other control characters (tab and line breaks
// in notes only, `multiline`), or is longer than its column allows. Names the column.
void check_text(std::string_view column, std::string_view v, bool multiline) {
    solace::check_text(column, v, multiline, byte_limit(column),
                       "; save the file as \"CSV UTF-8\"");
}

// Times of care before 1900 are typing errors, and so are times more than 5 minutes ahead of
// this computer's clock (the tolerance of schema 6's future_tolerance_minutes).
constexpr auto future_tolerance = std::chrono::minutes{5};
const Instant earliest_care = from_epoch(-2208988800); // 1900-01-01T00:00Z
void check_care_time(std::string_view column, Instant at, Instant now) {
    if (at < earliest_care)
        throw ValidationError(fmt::format("{} is before 1900; check the year.", column));
    if (at > now + future_tolerance)
        throw ValidationError(
            fmt::format("{} is in the future; check the date and the time zone.", column));
}

// One row's fields by column name, and what they mean once parsed.
class Row {
  public:
    Row(const std::map<std::string, std::size_t, std::less<>>& cols, const CsvRow& r)
        : cols_(cols), row_(r) {}
    // The field without surrounding spaces, checked; empty when the column is absent. Valid
    // while the row is.
    std::string_view text(const char* name) const {
        const auto it = cols_.find(name);
        if (it == cols_.end()) return {};
        check_text(name, row_.fields[it->second], false);
        return trimmed_view(row_.fields[it->second]);
    }
    std::string_view required_text(const char* name) const {
        const auto v = text(name);
        if (v.empty()) throw ValidationError(fmt::format("{} is empty.", name));
        return v;
    }
    std::string get(const char* name) const { return std::string(text(name)); }
    std::string required(const char* name) const { return std::string(required_text(name)); }
    // The raw field (notes keep their own spacing and line breaks).
    std::string raw(const char* name) const {
        const auto it = cols_.find(name);
        if (it == cols_.end()) return {};
        check_text(name, row_.fields[it->second], true);
        return row_.fields[it->second];
    }

  private:
    const std::map<std::string, std::size_t, std::less<>>& cols_;
    const CsvRow& row_;
};

// Patients by MRN and their zones, read once per import.
class PatientCache {
  public:
    PatientCache(const app::Session& s) : s_(s), repo_(s.db()) {}
    const Patient& get(std::string_view mrn) { return entry(mrn).first; }
    const date::time_zone* zone(std::string_view mrn) { return entry(mrn).second; }

  private:
    using Entry = std::pair<Patient, const date::time_zone*>;
    const Entry& entry(std::string_view mrn) {
        // A file's rows come patient by patient: the last one is usually the one asked for.
        if (last_ && last_->first == mrn) return last_->second;
        std::string key(mrn);
        if (auto it = cache_.find(key); it != cache_.end()) return (last_ = &*it)->second;
        auto p = repo_.find_by_mrn(key);
        if (!p || !s_.can_read(*p))
            throw ValidationError(fmt::format("patient \"{}\" is not a known MRN{}.", mrn,
                                              s_.is_nurse() ? "" : " for this account"));
        const auto* zone = find_zone(p->time_zone);
        return (last_ = &*cache_.emplace(std::move(key), Entry{*p, zone}).first)->second;
    }
    const app::Session& s_;
    store::PatientRepository repo_;
    std::unordered_map<std::string, Entry> cache_; // by MRN as the file has it; nodes never move
    const std::pair<const std::string, Entry>* last_ = nullptr;
};

// A UUID column, lower-case; empty when the column is absent or empty.
std::string row_uuid(const Row& row, const char* column) {
    auto text = lower(row.text(column));
    if (!text.empty() && !store::is_uuid(text))
        throw ValidationError(fmt::format("{} \"{}\" is not a UUID (36 characters, "
                                          "8-4-4-4-12 hexadecimal); leave it empty for a new row.",
                                          column, row.get(column)));
    return text;
}

// The row a correction replaces (its `replaces`), of this patient and the same item, with a
// reason; nothing when `replaces` is empty. Corrections are a nurse's.
// Rows of this import skipped because a row with the same values was there under another id:
// a correction later in the file may name them by the file's id.
using KnownAs = std::unordered_map<std::string, std::int64_t>;

// The administrations status of a row that marks a dose recorded in error.
constexpr const char* entered_in_error = "entered-in-error";

std::optional<std::int64_t> replaced_row(const Row& row, store::CsvRows& present, const char* table,
                                         const Patient& p, const std::string& item,
                                         const app::Session& s, const KnownAs& known_as) {
    const auto replaces = row_uuid(row, "replaces");
    const bool observation = std::string_view(table) != "administration";
    if (replaces.empty()) {
        if (observation && !row.get("reason").empty())
            throw ValidationError("reason is only for a correction: put the id of the row it "
                                  "corrects in replaces, or leave reason empty.");
        return std::nullopt;
    }
    s.require_nurse("import a correction");
    auto id = present.id_of(table, replaces);
    if (const auto it = known_as.find(replaces); !id && it != known_as.end()) id = it->second;
    const auto old = id ? present.corrected_row(table, *id) : std::nullopt;
    if (!old || old->patient_id != p.id)
        throw ValidationError(fmt::format("replaces \"{}\" is not the id of a row of patient "
                                          "{}; import the row it corrects first (earlier in the "
                                          "file or in an earlier import).",
                                          replaces, p.mrn));
    if (observation && old->item != item)
        throw ValidationError(fmt::format("replaces \"{}\" is a {} row; a correction keeps "
                                          "the symptom ({} here).",
                                          replaces, old->item, item));
    if (row.get("reason").empty())
        throw ValidationError("reason is empty: a correction (replaces) needs a reason.");
    return id;
}

bool same_version(const Medication& a, const Medication& b) {
    return a.name == b.name && a.dose == b.dose && a.route == b.route &&
           a.schedule_text == b.schedule_text && a.time_critical == b.time_critical &&
           a.indication == b.indication && a.start == b.start && a.end == b.end;
}

} // namespace

std::optional<CsvKind> parse_csv_kind(std::string_view text) {
    for (auto k : {CsvKind::patients, CsvKind::visits, CsvKind::observations, CsvKind::medications,
                   CsvKind::administrations, CsvKind::goals})
        if (code(k) == text) return k;
    return std::nullopt;
}

std::string_view code(CsvKind k) {
    switch (k) {
    case CsvKind::patients:
        return "patients";
    case CsvKind::visits:
        return "visits";
    case CsvKind::observations:
        return "observations";
    case CsvKind::medications:
        return "medications";
    case CsvKind::administrations:
        return "administrations";
    case CsvKind::goals:
        return "goals";
    }
    return "patients";
}

const std::vector<std::string>& csv_columns(CsvKind k) {
    static const std::vector<std::string> patients{"mrn", "name", "date_of_birth", "time_zone",
                                                   "diagnosis"};
    static const std::vector<std::string> visits{"patient", "visited_at", "note"};
    static const std::vector<std::string> observations{"patient", "observed_at", "symptom",
                                                       "score",   "reporter",    "note"};
    static const std::vector<std::string> medications{
        "patient",  "med",           "name",       "dose",  "route",
        "schedule", "time_critical", "indication", "start", "end"};
    static const std::vector<std::string> administrations{"patient", "med",    "given_at",
                                                          "status",  "reason", "recorded_by"};
    static const std::vector<std::string> goals{"patient", "symptom", "goal", "set_at"};
    switch (k) {
    case CsvKind::patients:
        return patients;
    case CsvKind::visits:
        return visits;
    case CsvKind::observations:
        return observations;
    case CsvKind::medications:
        return medications;
    case CsvKind::administrations:
        return administrations;
    case CsvKind::goals:
        return goals;
    }
    return patients;
}

const std::vector<std::string>& export_columns(CsvKind k) {
    const auto with = [](CsvKind kind, std::vector<std::string> more) {
        auto out = csv_columns(kind);
        out.insert(out.end(), more.begin(), more.end());
        return out;
    };
    static const auto patients =
        with(CsvKind::patients, {"id", "on_call", "discharged_at", "discharge_reason"});
    static const auto visits = with(CsvKind::visits, {"id"});
    static const auto observations =
        with(CsvKind::observations, {"id", "replaces", "reason", "visit"});
    static const auto medications = with(CsvKind::medications, {"id"});
    static const auto administrations = with(CsvKind::administrations, {"id", "replaces"});
    static const auto goals = with(CsvKind::goals, {"id"});
    switch (k) {
    case CsvKind::patients:
        return patients;
    case CsvKind::visits:
        return visits;
    case CsvKind::observations:
        return observations;
    case CsvKind::medications:
        return medications;
    case CsvKind::administrations:
        return administrations;
    case CsvKind::goals:
        return goals;
    }
    return patients;
}

ImportError::ImportError(std::vector<std::string> p, std::size_t t)
    : std::runtime_error(p.empty() ? "import refused" : p.front()), problems(std::move(p)),
      total(t) {}

std::size_t import_csv(const app::Session& s, CsvKind kind, std::string_view text) {
    CsvReader reader(text);
    return import_rows(s, kind, reader).imported;
}

std::size_t import_csv(const app::Session& s, CsvKind kind, std::istream& in) {
    return import_rows(s, kind, in).imported;
}

std::size_t import_csv(const app::Session& s, CsvKind kind, CsvReader& reader) {
    return import_rows(s, kind, reader).imported;
}

ImportCounts import_rows(const app::Session& s, CsvKind kind, std::istream& in) {
    CsvReader reader(in);
    return import_rows(s, kind, reader);
}

ImportCounts import_rows(const app::Session& s, CsvKind kind, CsvReader& reader) {
    if (kind == CsvKind::patients || kind == CsvKind::medications || kind == CsvKind::goals)
        s.require_nurse(fmt::format("import {}", code(kind)));

    std::vector<std::string> problems;
    std::size_t total_problems = 0;
    auto problem = [&](int line, std::string_view what) {
        ++total_problems;
        if (problems.size() < max_reported_problems)
            problems.push_back(fmt::format("line {}: {}", line, what));
    };

    const auto now = now_utc();
    const auto author = s.account().id;
    PatientCache patients(s);
    store::PatientRepository patient_repo(s.db());
    store::ObservationRepository obs(s.db());
    store::MedicationRepository meds(s.db());
    store::CsvRows present(s.db());
    RowsWritten written(present);
    KnownAs known_as;
    std::unordered_map<std::string, bool> family_names; // recorded_by -> is a family account
    std::string observation_values; // a score's values, its key in `written`; reused per row

    std::map<std::string, std::size_t, std::less<>> cols;
    std::size_t header_size = 0;
    ImportCounts counts;
    bool header_seen = false;
    std::map<std::int64_t, bool> touched_patients;

    store::Transaction tx(s.db());
    s.db().lift_bulk_guards(); // put back by the commit
    // A dose recorded in error (status entered-in-error, replaces naming it, reason why):
    // marks it as `dose correct --status entered-in-error` does. Returns true when it already is.
    const auto void_dose = [&](const Row& row, const Patient& p, const std::string& uuid) {
        if (row_uuid(row, "replaces").empty())
            throw ValidationError(fmt::format("status {} needs replaces: the id of the dose "
                                              "recorded in error.",
                                              entered_in_error));
        const auto dose = replaced_row(row, present, "administration", p, {}, s, known_as);
        if ((!uuid.empty() && present.id_of("administration_void", uuid)) ||
            present.is_voided(*dose))
            return true;
        if (present.is_corrected("administration", *dose))
            throw ValidationError(fmt::format("the dose {} was corrected; mark its latest "
                                              "version entered in error instead.",
                                              row.get("replaces")));
        meds.void_administration(*dose, row.get("reason"), author, now, uuid);
        return false;
    };
    // Whether a row is there already: the same id, or the same values (as `find` looks them up;
    // a skipped row's id is then known as that row's). A patient new to `table` is looked up
    // only when this import may have written the row.
    const auto already_present = [&](const char* table, std::int64_t patient_id,
                                     const std::string& uuid, const std::string& values,
                                     const auto& find) {
        if (!uuid.empty() && written.may_exist(table, patient_id, uuid) &&
            present.id_of(table, uuid))
            return true;
        if (!written.may_exist(table, patient_id, values)) return false;
        const std::optional<std::int64_t> same = find();
        if (same && !uuid.empty()) known_as[uuid] = *same;
        return same.has_value();
    };
    // The visit an observation names (its `visit` column), if it is in the database; the
    // last one found is kept, as a visit's rows come together.
    struct {
        std::string text; // as the file has it
        std::int64_t patient_id = 0;
        std::optional<std::int64_t> id;
    } last_visit;
    const auto visit_of = [&](const Row& row, const Patient& p) -> std::optional<std::int64_t> {
        if (const auto text = row.text("visit");
            !text.empty() && last_visit.text == text && last_visit.patient_id == p.id)
            return last_visit.id;
        const auto uuid = row_uuid(row, "visit");
        if (uuid.empty()) return std::nullopt;
        auto id = present.id_of("visit", uuid);
        if (const auto it = known_as.find(uuid); !id && it != known_as.end()) id = it->second;
        if (id && present.visit_patient(*id) != p.id)
            throw ValidationError(
                fmt::format("visit \"{}\" is another patient's visit, not {}'s.", uuid, p.mrn));
        last_visit = {std::string(row.text("visit")), p.id, id};
        return id;
    };
    // Each row is checked and written as it is read: memory holds one record, never the file.
    const auto import_row = [&](const CsvRow& r) {
        if (!header_seen) {
            header_seen = true;
            header_size = r.fields.size();
            for (std::size_t i = 0; i < r.fields.size(); ++i)
                if (!cols.emplace(lower(trimmed(r.fields[i])), i).second)
                    throw ImportError({fmt::format("line {}: the header names the column \"{}\" "
                                                   "twice; keep one.",
                                                   r.line, lower(trimmed(r.fields[i])))},
                                      1);
            std::vector<std::string> missing;
            for (const auto& c : csv_columns(kind))
                if (!cols.count(c)) missing.push_back(c);
            if (!missing.empty())
                throw ImportError(
                    {fmt::format("line {}: the header lacks the column(s) {}; a {} file starts "
                                 "with: {}",
                                 r.line, fmt::join(missing, ", "), code(kind),
                                 fmt::join(csv_columns(kind), ","))},
                    1);
            return;
        }
        if (r.fields.size() != header_size) {
            problem(r.line, fmt::format("has {} fields but the header has {}; check for a "
                                        "missing or extra comma, or an unquoted comma.",
                                        r.fields.size(), header_size));
            return;
        }
        const Row row(cols, r);
        try {
            const auto uuid = row_uuid(row, "id");
            bool skip = false; // already present: same id, or the same values
            switch (kind) {
            case CsvKind::patients: {
                Patient p;
                p.mrn = row.required("mrn");
                p.name = row.required("name");
                p.date_of_birth = parse_date(row.required("date_of_birth"), "date_of_birth");
                if (p.date_of_birth.ok() && p.date_of_birth.year() < date::year{1900})
                    throw ValidationError("date_of_birth is before 1900; check the year.");
                p.time_zone = row.required("time_zone");
                p.diagnosis = row.get("diagnosis");
                p.on_call_phone = row.get("on_call");
                if (const auto d = row.get("discharged_at"); !d.empty()) {
                    p.discharged_at = parse_time(d, "discharged_at").at(find_zone(p.time_zone));
                    check_care_time("discharged_at", *p.discharged_at, now);
                    p.discharge_reason = lower(row.get("discharge_reason"));
                    app::check_discharge_reason(p.discharge_reason, "discharge_reason");
                } else if (!row.get("discharge_reason").empty()) {
                    throw ValidationError("discharge_reason needs discharged_at: when care ended.");
                }
                app::check_patient(p);
                std::optional<Patient> old;
                if (const auto id = uuid.empty() ? std::nullopt : present.id_of("patient", uuid))
                    old = patient_repo.find(*id);
                else
                    old = patient_repo.find_by_mrn(p.mrn);
                if (old) {
                    // Rows are never changed: the file may only add what came later, a
                    // discharge the database does not have yet.
                    if (old->mrn != p.mrn || old->name != p.name ||
                        old->date_of_birth != p.date_of_birth || old->time_zone != p.time_zone ||
                        old->diagnosis != p.diagnosis || old->on_call_phone != p.on_call_phone)
                        throw ValidationError(fmt::format(
                            "mrn \"{}\" already belongs to a patient with other details.", p.mrn));
                    if (p.discharged_at && !old->discharged_at) {
                        old->discharged_at = p.discharged_at;
                        old->discharge_reason = p.discharge_reason;
                        patient_repo.add_version(*old, author, now,
                                                 "discharged: " + p.discharge_reason);
                        touched_patients[old->id] = true;
                        break;
                    }
                    if (p.discharged_at && (old->discharged_at != p.discharged_at ||
                                            old->discharge_reason != p.discharge_reason))
                        throw ValidationError(fmt::format(
                            "patient {} was discharged ({}) at another time; the file says {}.",
                            p.mrn, old->discharge_reason, row.get("discharged_at")));
                    skip = true; // the same, or the file does not know of the discharge yet
                    break;
                }
                p.uuid = uuid;
                patient_repo.add(p, author, now);
                break;
            }
            case CsvKind::visits: {
                const auto mrn = row.required("patient");
                const auto& p = patients.get(mrn);
                const store::VisitRow v{
                    parse_time(row.required("visited_at"), "visited_at").at(patients.zone(mrn)),
                    row.raw("note"), uuid};
                check_care_time("visited_at", v.at, now);
                s.require_write_score(p, s.is_nurse() ? Reporter::nurse : Reporter::caregiver);
                const auto values = fmt::format("{}|{}|{}", p.id, to_epoch(v.at), v.note);
                if (already_present("visit", p.id, uuid, values,
                                    [&] { return present.find_visit(p.id, v); })) {
                    skip = true;
                    break;
                }
                obs.add_visit({0, p.id, v.at, std::nullopt, v.note, "", uuid}, author, now);
                written.wrote("visit", p.id, uuid, values);
                touched_patients[p.id] = true;
                break;
            }
            case CsvKind::observations: {
                const auto mrn = row.required_text("patient");
                const auto& p = patients.get(mrn);
                const auto item = lower(row.required_text("symptom"));
                const auto value = parse_int(row.required_text("score"), "score");
                const auto rep_text = lower(row.required_text("reporter"));
                const auto rep = parse_reporter(rep_text);
                if (!rep)
                    throw ValidationError(fmt::format(
                        "reporter \"{}\" is not known; use patient, caregiver or nurse.",
                        rep_text));
                const auto at = parse_time(row.required_text("observed_at"), "observed_at")
                                    .at(patients.zone(mrn));
                check_care_time("observed_at", at, now);
                s.require_write_score(p, *rep);
                store::ObservationRow o{item, value, *rep, at, row.raw("note"), {}, {}, {}, {}};
                const bool bowel = item == "bowel_movement";
                const char* table = bowel ? "bowel_movement" : "observation";
                if (item == "pps") {
                    s.require_nurse("record the PPS");
                    app::check_pps(value);
                } else if (bowel) {
                    app::check_bristol_type(value); // DESIGN §5: the Bristol stool type
                } else if (!parse_symptom(item)) {
                    throw ValidationError(fmt::format(
                        "symptom \"{}\" is not an ESAS-r item; use pain, appetite, nausea, "
                        "anxiety, breathing, tiredness, drowsiness, depression, wellbeing "
                        "(or pps, bowel_movement).",
                        item));
                } else {
                    app::check_score(value);
                }
                const auto replaces = replaced_row(row, present, table, p, item, s, known_as);
                if (replaces) o.reason = row.get("reason");
                auto& values = observation_values;
                values.clear();
                fmt::format_to(std::back_inserter(values), "{}|{}|{}|{}|{}|{}|{}", p.id,
                               to_epoch(at), item, value, code(*rep), replaces.value_or(0), o.note);
                if (already_present(table, p.id, uuid, values,
                                    [&] { return present.find_observation(p.id, o, replaces); })) {
                    skip = true;
                    break;
                }
                // A new correction (no id of its own) of a corrected row is refused; one with
                // its id is another laptop's, kept beside the first (DESIGN §4, §7).
                if (replaces && uuid.empty() && present.is_corrected(table, *replaces))
                    throw ValidationError(fmt::format("the row {} was already corrected; correct "
                                                      "its latest version instead.",
                                                      row.get("replaces")));
                const auto visit = visit_of(row, p);
                if (!visit && !row.text("visit").empty()) ++counts.without_visit;
                if (item == "pps") {
                    if (replaces)
                        throw ValidationError("a PPS is not corrected by import; leave "
                                              "replaces empty.");
                    obs.add_pps(p.id, visit, value, at, author, now, *rep, o.note, uuid);
                } else if (bowel) {
                    BowelMovement b;
                    b.patient_id = p.id;
                    b.visit_id = visit;
                    b.occurred_at = at;
                    b.bristol_type = value;
                    b.reporter = *rep;
                    b.note = o.note;
                    b.supersedes = replaces;
                    b.correction_reason = o.reason;
                    b.uuid = uuid;
                    store::BowelMovementRepository(s.db()).add(b, author, now);
                } else {
                    Score sc;
                    sc.patient_id = p.id;
                    sc.visit_id = visit;
                    sc.symptom = *parse_symptom(item);
                    sc.value = value;
                    sc.reporter = *rep;
                    sc.observed_at = at;
                    sc.note = o.note;
                    sc.author_id = author;
                    sc.supersedes = replaces;
                    sc.correction_reason = o.reason;
                    sc.uuid = uuid;
                    obs.add_score(sc, now);
                }
                written.wrote(table, p.id, uuid, values);
                touched_patients[p.id] = true;
                break;
            }
            case CsvKind::medications: {
                const auto mrn = row.required("patient");
                const auto& p = patients.get(mrn);
                const auto* zone = patients.zone(mrn);
                Medication m;
                m.patient_id = p.id;
                m.key = row.required("med");
                m.name = row.required("name");
                m.dose = row.get("dose");
                m.route = row.get("route");
                m.schedule_text = row.required("schedule");
                m.schedule = clinical::parse_schedule(m.schedule_text);
                const auto tc = lower(row.get("time_critical"));
                if (tc.empty())
                    m.time_critical = clinical::default_time_critical(m.name, m.schedule);
                else if (tc == "yes" || tc == "no")
                    m.time_critical = tc == "yes";
                else
                    throw ValidationError(fmt::format(
                        "time_critical \"{}\" must be yes, no, or empty for the default.", tc));
                m.indication = row.get("indication");
                m.start = parse_time(row.required("start"), "start", true).at(zone);
                if (m.start < earliest_care)
                    throw ValidationError("start is before 1900; check the year.");
                if (const auto e = row.get("end"); !e.empty())
                    m.end = parse_time(e, "end", true).end_at(zone);
                if (m.end && *m.end < m.start)
                    throw ValidationError(fmt::format("end \"{}\" is before start \"{}\".",
                                                      row.get("end"), row.get("start")));
                if (!uuid.empty() && present.id_of("medication", uuid)) {
                    skip = true;
                    break;
                }
                m.uuid = uuid;
                // The same key again with a later start: a new version that ends the one before.
                std::optional<Medication> latest;
                for (auto& v : present.medication_versions(p.id)) {
                    if (v.key != m.key) continue;
                    skip = skip || same_version(v, m);
                    latest = std::move(v);
                }
                if (skip) break;
                if (!latest) {
                    meds.add(m, author, now);
                } else {
                    const auto before = present.current_version(p.id, m.key);
                    if (!before || m.start < before->start)
                        throw ValidationError(fmt::format(
                            "med \"{}\" already exists for patient {} from {}; a new version of "
                            "it needs a start on or after that.",
                            m.key, mrn,
                            format_local(before ? before->start : latest->start, zone)));
                    meds.add(m, author, now, before->id, "new version, imported");
                }
                touched_patients[p.id] = true;
                break;
            }
            case CsvKind::administrations: {
                const auto mrn = row.required("patient");
                const auto& p = patients.get(mrn);
                const auto key = row.required("med");
                const auto at =
                    parse_time(row.required("given_at"), "given_at").at(patients.zone(mrn));
                check_care_time("given_at", at, now);
                const auto m = meds.find(p.id, key, at);
                if (!m)
                    throw ValidationError(fmt::format(
                        "med \"{}\" is not a medication of patient {}; import it first.", key,
                        mrn));
                s.require_write_dose(p, *m);
                const auto status_text = lower(row.required("status"));
                if (status_text == entered_in_error) {
                    skip = void_dose(row, p, uuid);
                    if (!skip) touched_patients[p.id] = true;
                    break;
                }
                const auto status = parse_dose_status(status_text);
                if (!status)
                    throw ValidationError(fmt::format(
                        "status \"{}\" is not known; use given, held or refused (or {} with "
                        "replaces, for a dose recorded in error).",
                        status_text, entered_in_error));
                Administration a;
                a.patient_id = p.id;
                a.medication_id = m->id;
                a.given_at = at;
                a.status = *status;
                a.reason = row.get("reason");
                a.supersedes =
                    replaced_row(row, present, "administration", p, std::string{}, s, known_as);
                if (a.supersedes) {
                    // `reason` is the correction's; a held or refused dose keeps the reason
                    // of the one it replaces, as `dose correct` does.
                    a.correction_reason = a.reason;
                    const auto old = present.corrected_row("administration", *a.supersedes);
                    a.reason = a.status == DoseStatus::given ? std::string{}
                               : old->reason.empty()         ? a.correction_reason
                                                             : old->reason;
                }
                app::check_dose_reason(a.status, a.reason);
                a.recorded_by = row.get("recorded_by");
                if (a.recorded_by.empty()) a.recorded_by = s.account().name;
                // A family account records only the doses it gave, never a nurse's.
                if (!s.is_nurse() && lower(a.recorded_by) != lower(s.account().name))
                    throw ValidationError(fmt::format(
                        "recorded_by \"{}\" is not this account; a family account records only "
                        "the doses it gave.",
                        a.recorded_by));
                const store::AdministrationRow same{key,           a.given_at, a.status, a.reason,
                                                    a.recorded_by, uuid,       {},       {}};
                const char* table = "administration";
                const auto values =
                    fmt::format("{}|{}|{}|{}|{}|{}|{}", p.id, to_epoch(at), key, code(a.status),
                                a.reason, a.recorded_by, a.supersedes.value_or(0));
                if (already_present(table, p.id, uuid, values, [&] {
                        return present.find_administration(p.id, same, a.supersedes);
                    })) {
                    skip = true;
                    break;
                }
                if (a.supersedes && uuid.empty() &&
                    present.is_corrected("administration", *a.supersedes))
                    throw ValidationError(fmt::format("the dose {} was already corrected; correct "
                                                      "its latest version instead.",
                                                      row.get("replaces")));
                a.uuid = uuid;
                if (!family_names.count(a.recorded_by)) {
                    const auto acc = store::AccountRepository(s.db()).find(a.recorded_by);
                    family_names[a.recorded_by] = acc && acc->role == Role::family;
                }
                a.reporter = (!s.is_nurse() || family_names[a.recorded_by]) ? Reporter::caregiver
                                                                            : Reporter::nurse;
                meds.add_administration(a, author, now);
                written.wrote(table, p.id, uuid, values);
                touched_patients[p.id] = true;
                break;
            }
            case CsvKind::goals: {
                const auto mrn = row.required("patient");
                const auto& p = patients.get(mrn);
                const auto text = lower(row.required("symptom"));
                const auto symptom = parse_symptom(text);
                if (!symptom)
                    throw ValidationError(fmt::format(
                        "symptom \"{}\" is not an ESAS-r item; use pain, appetite, nausea, "
                        "anxiety, breathing, tiredness, drowsiness, depression, wellbeing.",
                        text));
                ComfortGoal g{
                    p.id, *symptom, parse_int(row.required("goal"), "goal"),
                    parse_time(row.required("set_at"), "set_at", true).at(patients.zone(mrn)),
                    uuid};
                app::check_score(g.goal, "goal");
                if ((!uuid.empty() && present.id_of("comfort_goal", uuid)) ||
                    present.has_goal(p.id, g)) {
                    skip = true;
                    break;
                }
                obs.add_goal(g, author, now);
                touched_patients[p.id] = true;
                break;
            }
            }
            ++(skip ? counts.skipped : counts.imported);
        } catch (const ValidationError& e) {
            problem(r.line, e.what());
        } catch (const PermissionError& e) {
            problem(r.line, e.what());
        } catch (const NotFoundError& e) {
            problem(r.line, e.what());
        }
    };
    try {
        for (CsvRow r; reader.next(r);)
            import_row(r);
    } catch (const ValidationError& e) { // an unterminated quote stops the reading
        // It explains why the rest of the file was not read: keep it, within the cap.
        ++total_problems;
        if (problems.size() >= max_reported_problems) problems.pop_back();
        problems.push_back(e.what());
    }
    if (!header_seen) throw ImportError({"the file is empty: it has no header row."}, 1);
    if (total_problems > 0) throw ImportError(std::move(problems), total_problems);
    s.audit("import",
            touched_patients.size() == 1 ? std::optional(touched_patients.begin()->first)
                                         : std::nullopt,
            fmt::format("imported {} {} rows, {} already present", counts.imported, code(kind),
                        counts.skipped));
    tx.commit();
    return counts;
}

} // namespace solace::interop
