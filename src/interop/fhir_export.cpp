#include "interop/fhir_export.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <regex>
#include <tuple>

#include <fmt/format.h>

#include "app/paths.hpp"
#include "domain/error.hpp"
#include "domain/medication.hpp"
#include "domain/score.hpp"
#include "domain/symptom.hpp"
#include "interop/json_writer.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"

namespace solace::interop {

namespace {

const Instant beginning = from_epoch(-(std::int64_t{1} << 40));
const Instant ending = from_epoch(std::int64_t{1} << 40);

constexpr const char* loinc_system = "http://loinc.org";
constexpr const char* snomed_system = "http://snomed.info/sct";
constexpr const char* ucum_system = "http://unitsofmeasure.org";
constexpr const char* category_system =
    "http://terminology.hl7.org/CodeSystem/observation-category";
constexpr const char* identifier_type_system = "http://terminology.hl7.org/CodeSystem/v2-0203";
constexpr const char* timezone_extension = "http://hl7.org/fhir/StructureDefinition/timezone";

// A name-based id: BLAKE2b-128 of the parts, with the version (8) and variant bits of RFC 9562.
std::string uuid_for(std::string_view kind, std::string_view mrn, std::int64_t id) {
    if (sodium_init() < 0) throw StoreError("The cryptography library could not start.");
    const auto name = fmt::format("solace\x1f{}\x1f{}\x1f{}", kind, mrn, id);
    std::array<unsigned char, 16> h{};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(name.data()),
                       name.size(), nullptr, 0);
    h[6] = static_cast<unsigned char>((h[6] & 0x0f) | 0x80);
    h[8] = static_cast<unsigned char>((h[8] & 0x3f) | 0x80);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < h.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[h[i] >> 4];
        out += hex[h[i] & 0xf];
    }
    return out;
}

// The writer's shorthand for the FHIR shapes used here.
void reference(JsonWriter& w, const char* key, const std::string& uuid) {
    w.key(key).begin_object().field("reference", "urn:uuid:" + uuid).end_object();
}

void text_concept(JsonWriter& w, const char* key, const std::string& text) {
    w.key(key).begin_object().field("text", text).end_object();
}

// [{"text": ...}] for each non-empty text.
void notes(JsonWriter& w, std::initializer_list<std::string_view> texts) {
    bool any = false;
    for (const auto t : texts)
        any = any || !t.empty();
    if (!any) return;
    w.key("note").begin_array();
    for (const auto t : texts)
        if (!t.empty()) w.begin_object().field("text", t).end_object();
    w.end_array();
}

void coding(JsonWriter& w, std::string_view system, std::string_view code,
            std::string_view display = {}) {
    w.begin_object().field("system", system).field("code", code);
    if (!display.empty()) w.field("display", display);
    w.end_object();
}

void survey_category(JsonWriter& w) {
    w.key("category").begin_array().begin_object().key("coding").begin_array();
    coding(w, category_system, "survey", "Survey");
    w.end_array().end_object().end_array();
}

void reporter_extension(JsonWriter& w, Reporter r) {
    w.key("extension").begin_array().begin_object();
    w.field("url", fhir_reporter_extension).field("valueCode", code(r));
    w.end_object().end_array();
}

void performer(JsonWriter& w, Reporter r, const std::string& patient_uuid,
               const std::string& author) {
    w.key("performer").begin_array().begin_object();
    switch (r) {
    case Reporter::patient:
        w.field("reference", "urn:uuid:" + patient_uuid);
        break;
    case Reporter::caregiver:
        w.field("type", "RelatedPerson").field("display", "Family caregiver");
        break;
    case Reporter::nurse:
        w.field("type", "Practitioner").field("display", author.empty() ? "Nurse" : author);
        break;
    }
    w.end_object().end_array();
}

std::string hhmmss(std::chrono::minutes since_midnight) {
    const auto m = since_midnight.count();
    return fmt::format("{:02}:{:02}:00", m / 60, m % 60);
}

// "30 mg", "2.5 mL", "1 tablet": the number and its unit, as written (no UCUM claim).
struct DoseQuantity {
    std::optional<long long> whole;
    double number = 0;
    std::string unit;
};
std::optional<DoseQuantity> dose_quantity(const std::string& dose) {
    static const std::regex pattern(R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z%][A-Za-z%/]*)\s*$)");
    std::smatch m;
    if (!std::regex_match(dose, m, pattern)) return std::nullopt;
    const auto number = m[1].str();
    DoseQuantity q;
    if (number.find('.') == std::string::npos)
        q.whole = std::stoll(number);
    else
        q.number = std::stod(number);
    q.unit = m[2].str();
    return q;
}

void quantity(JsonWriter& w, const char* key, const DoseQuantity& q) {
    w.key(key).begin_object().key("value");
    if (q.whole)
        w.value(static_cast<std::int64_t>(*q.whole));
    else
        w.value(q.number);
    w.field("unit", q.unit).end_object();
}

struct Context {
    const Patient& patient;
    const date::time_zone* zone;
    std::string patient_uuid;
    Instant now;

    std::string local(Instant t) const { return format_local(t, zone); }
};

// Each resource goes out as {"fullUrl": ..., "resource": {...}} in the Bundle's entry array.
void begin_entry(JsonWriter& w, const char* type, const std::string& uuid) {
    w.begin_object().field("fullUrl", "urn:uuid:" + uuid).key("resource").begin_object();
    w.field("resourceType", type).field("id", uuid);
}
void end_entry(JsonWriter& w) {
    w.end_object().end_object();
}

void patient_resource(JsonWriter& w, const Context& c) {
    const auto& p = c.patient;
    begin_entry(w, "Patient", c.patient_uuid);
    w.key("extension").begin_array().begin_object();
    w.field("url", timezone_extension).field("valueCode", p.time_zone);
    w.end_object().end_array();
    w.key("identifier").begin_array().begin_object().field("use", "usual");
    w.key("type").begin_object().key("coding").begin_array();
    coding(w, identifier_type_system, "MR", "Medical record number");
    w.end_array().field("text", "MRN").end_object();
    w.field("value", p.mrn).end_object().end_array();
    w.field("birthDate", format_date(p.date_of_birth));
    if (!p.name.empty())
        w.key("name").begin_array().begin_object().field("text", p.name).end_object().end_array();
    end_entry(w);
}

void score_observation(JsonWriter& w, const Context& c, const Score& s, const char* status) {
    const auto& item = info(s.symptom);
    begin_entry(w, "Observation", uuid_for("score", c.patient.mrn, s.id));
    reporter_extension(w, s.reporter);
    w.field("status", status);
    survey_category(w);
    w.key("code").begin_object().key("coding").begin_array();
    coding(w, loinc_system, item.loinc);
    if (!item.snomed.empty()) coding(w, snomed_system, item.snomed);
    w.end_array().field("text", item.label).end_object();
    reference(w, "subject", c.patient_uuid);
    w.field("effectiveDateTime", c.local(s.observed_at));
    w.field("issued", format_utc(s.recorded_at));
    performer(w, s.reporter, c.patient_uuid, s.author);
    w.field("valueInteger", s.value);
    std::string correction;
    if (s.supersedes)
        correction = s.correction_reason.empty()
                         ? fmt::format("Correction by {}.", s.author)
                         : fmt::format("Correction by {}: {}", s.author, s.correction_reason);
    notes(w, {s.note, correction,
              std::string_view(status) == "entered-in-error"
                  ? "Replaced by a later correction of this score."
                  : ""});
    end_entry(w);
}

void pps_observation(JsonWriter& w, const Context& c, const PpsScore& s) {
    begin_entry(w, "Observation", uuid_for("pps", c.patient.mrn, s.id));
    reporter_extension(w, s.reporter);
    w.field("status", "final");
    survey_category(w);
    w.key("code").begin_object().key("coding").begin_array();
    coding(w, fhir_assessment_system, "pps", "Palliative Performance Scale");
    w.end_array().field("text", "Palliative Performance Scale (PPS), 0-100%").end_object();
    reference(w, "subject", c.patient_uuid);
    w.field("effectiveDateTime", c.local(s.observed_at));
    performer(w, s.reporter, c.patient_uuid, s.author);
    w.field("valueInteger", s.value);
    notes(w, {s.note});
    end_entry(w);
}

void medication_request(JsonWriter& w, const Context& c, const Medication& m,
                        const std::string& uuid) {
    std::string text = m.dose;
    if (!m.route.empty()) text += (text.empty() ? "" : " ") + m.route;
    text += (text.empty() ? "" : ", ") + m.schedule_text;
    const auto* clock = std::get_if<ClockSchedule>(&m.schedule);
    const auto* every = std::get_if<IntervalSchedule>(&m.schedule);
    const auto* prn = std::get_if<PrnSchedule>(&m.schedule);
    auto period_start = m.start;
    // Elapsed hours from the anchor on the start day, as clinical::expand counts them.
    if (every)
        period_start = resolve_local(
            c.zone, date::local_seconds{date::floor<date::days>(c.zone->to_local(m.start))} +
                        every->anchor);

    begin_entry(w, "MedicationRequest", uuid);
    w.key("identifier").begin_array().begin_object();
    w.field("system", fhir_medication_key_system).field("value", m.key);
    w.end_object().end_array();
    w.field("status", m.end && *m.end < c.now ? "completed" : "active");
    w.field("intent", "order");
    text_concept(w, "medicationCodeableConcept", m.name);
    reference(w, "subject", c.patient_uuid);
    w.field("authoredOn", c.local(m.start));
    w.key("dosageInstruction").begin_array().begin_object();
    w.field("text", text);
    if (prn) {
        w.field("asNeededBoolean", true);
        if (prn->max_per_24h) {
            w.key("maxDosePerPeriod").begin_object();
            w.key("numerator").begin_object().field("value", *prn->max_per_24h);
            w.field("unit", "doses").end_object();
            w.key("denominator").begin_object().field("value", 24).field("unit", "h");
            w.field("system", ucum_system).field("code", "h").end_object();
            w.end_object();
        }
    }
    w.key("timing").begin_object().key("repeat").begin_object();
    w.key("boundsPeriod").begin_object().field("start", c.local(period_start));
    if (m.end) w.field("end", c.local(*m.end));
    w.end_object();
    if (clock) {
        w.field("frequency", clock->times.size()).field("period", 1).field("periodUnit", "d");
        w.key("timeOfDay").begin_array();
        for (const auto t : clock->times)
            w.value(hhmmss(t));
        w.end_array();
    } else if (every) {
        w.field("frequency", 1).field("period", static_cast<std::int64_t>(every->every.count()));
        w.field("periodUnit", "h");
    } else if (prn->min_interval.count() > 0) {
        const bool whole_hours = prn->min_interval.count() % 60 == 0;
        w.field("frequency", 1);
        w.field("period", static_cast<std::int64_t>(whole_hours ? prn->min_interval.count() / 60
                                                                : prn->min_interval.count()));
        w.field("periodUnit", whole_hours ? "h" : "min");
    }
    w.end_object();
    text_concept(w, "code", m.schedule_text);
    w.end_object();
    if (m.time_critical) {
        w.key("additionalInstruction").begin_array().begin_object();
        w.field("text", "Time-critical: give on time (a narrow window either side of each "
                        "scheduled dose).");
        w.end_object().end_array();
    }
    if (!m.route.empty()) text_concept(w, "route", m.route);
    if (const auto q = dose_quantity(m.dose)) {
        w.key("doseAndRate").begin_array().begin_object();
        quantity(w, "doseQuantity", *q);
        w.end_object().end_array();
    }
    w.end_object().end_array();
    if (!m.indication.empty()) {
        w.key("reasonCode").begin_array().begin_object().field("text", m.indication);
        w.end_object().end_array();
    }
    end_entry(w);
}

void medication_administration(JsonWriter& w, const Context& c, const Administration& a,
                               const Medication& m, const std::string& request_uuid) {
    begin_entry(w, "MedicationAdministration", uuid_for("administration", c.patient.mrn, a.id));
    reporter_extension(w, a.reporter);
    w.field("status", a.status == DoseStatus::given ? "completed" : "not-done");
    text_concept(w, "medicationCodeableConcept", m.name);
    reference(w, "subject", c.patient_uuid);
    w.field("effectiveDateTime", c.local(a.given_at));
    reference(w, "request", request_uuid);
    if (const auto& who = a.recorded_by.empty() ? a.author : a.recorded_by; !who.empty()) {
        w.key("performer").begin_array().begin_object().key("actor").begin_object();
        w.field("type", a.reporter == Reporter::caregiver ? "RelatedPerson" : "Practitioner");
        w.field("display", who).end_object().end_object().end_array();
    }
    if (a.status == DoseStatus::given) {
        const auto q = dose_quantity(m.dose);
        if (!m.dose.empty() || !m.route.empty() || q) {
            w.key("dosage").begin_object();
            if (!m.dose.empty()) w.field("text", m.dose);
            if (!m.route.empty()) text_concept(w, "route", m.route);
            if (q) quantity(w, "dose", *q);
            w.end_object();
        }
    } else {
        const bool held = a.status == DoseStatus::held;
        w.key("statusReason").begin_array().begin_object().key("coding").begin_array();
        coding(w, fhir_dose_status_system, held ? "held" : "refused", held ? "Held" : "Refused");
        w.end_array();
        if (!a.reason.empty()) w.field("text", a.reason);
        w.end_object().end_array();
    }
    if (a.supersedes && !a.correction_reason.empty())
        notes(w, {"Correction: " + a.correction_reason});
    end_entry(w);
}

// A file name from an MRN: letters, digits, '.', '-' and '_' kept, anything else '_'.
// The MRN itself when every character is safe in a file name; otherwise the safe characters
// and a short hash of the exact MRN, so "P/1" and "P:1" get different names.
std::string file_name_for(const std::string& mrn) {
    std::string out;
    for (const char ch : mrn)
        out += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')
                   ? ch
                   : '_';
    if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
    if (out != mrn) {
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(mrn.data()), mrn.size());
        char hex[9];
        sodium_bin2hex(hex, sizeof hex, h, 4);
        out += std::string("-") + hex;
    }
    return out + ".json";
}

std::string folded(std::string name) { // as a file system that ignores case sees it
    for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

} // namespace

std::size_t write_fhir_bundle(const app::Session& s, const Patient& p, Instant from, Instant to,
                              Instant now, JsonWriter& w) {
    s.require_read(p);
    const Context c{p, find_zone(p.time_zone), uuid_for("patient", p.mrn, p.id), now};
    store::ObservationRepository obs(s.db());
    store::MedicationRepository meds(s.db());
    std::size_t entries = 0;

    w.begin_object().field("resourceType", "Bundle");
    w.field("id", uuid_for("bundle", p.mrn, to_epoch(now))).field("type", "collection");
    w.field("timestamp", format_utc(now)).key("entry").begin_array();
    patient_resource(w, c);
    ++entries;

    // Medication versions are few (tens per patient); the rows below are streamed.
    const auto versions = meds.list(p.id);
    const auto given = meds.medications_given(p.id, from, to);
    std::map<std::int64_t, std::pair<const Medication*, std::string>> by_id; // and its uuid
    for (const auto& m : versions)
        by_id[m.id] = {&m, uuid_for("medication", p.mrn, m.id)};
    for (const auto& m : versions) {
        const bool in_effect = m.start <= to && (!m.end || *m.end >= from);
        if (in_effect || given.count(m.id)) {
            medication_request(w, c, m, by_id[m.id].second);
            ++entries;
        }
    }

    // Observations in time order: current scores, the scores corrections replaced, PPS.
    obs.for_each_observation(
        p.id, from, to,
        [&](const Score& sc, bool replaced) {
            score_observation(w, c, sc,
                              replaced        ? "entered-in-error"
                              : sc.supersedes ? "amended"
                                              : "final");
            ++entries;
        },
        [&](const PpsScore& pps) {
            pps_observation(w, c, pps);
            ++entries;
        });

    meds.for_each_administration(p.id, from, to, [&](const Administration& a) {
        const auto m = by_id.find(a.medication_id);
        if (m == by_id.end()) return; // every dose names a medication of its patient
        medication_administration(w, c, a, *m->second.first, m->second.second);
        ++entries;
    });
    w.end_array().end_object();
    return entries;
}

std::vector<std::filesystem::path> export_fhir(const app::Session& s, const FhirExport& e,
                                               Instant now) {
    std::vector<Patient> patients;
    if (e.mrn)
        patients.push_back(s.patient(*e.mrn));
    else
        patients = s.patients();

    std::error_code ec;
    const bool out_is_dir = std::filesystem::is_directory(e.out, ec);
    if (!e.mrn) {
        if (std::filesystem::exists(e.out, ec) && !out_is_dir)
            throw ValidationError(fmt::format(
                "--out {} is a file; without --patient, --out is a folder that gets one "
                "<MRN>.json per patient.",
                e.out.string()));
        app::ensure_private_dir(e.out);
    }

    // Every name first: two patients never meet in one file, even on a USB stick that
    // ignores case, and nothing is written or logged before a refusal.
    std::vector<std::filesystem::path> paths;
    std::map<std::string, const Patient*> taken;
    for (const auto& p : patients) {
        std::filesystem::path path = e.out;
        if (!e.mrn || out_is_dir) {
            const auto name = file_name_for(p.mrn);
            const auto [it, fresh] = taken.emplace(folded(name), &p);
            if (!fresh)
                throw ValidationError(fmt::format(
                    "Patients {} and {} would be written to the same file name ({}) on a disk "
                    "that ignores upper and lower case; nothing was exported. Export them one at "
                    "a time with --patient and --out.",
                    it->second->mrn, p.mrn, name));
            path = e.out / name;
        }
        app::check_target(path, e.existing);
        paths.push_back(path);
    }
    std::vector<std::unique_ptr<app::PrivateFile>> files;
    for (std::size_t i = 0; i < patients.size(); ++i) {
        const auto& p = patients[i];
        const auto* zone = find_zone(p.time_zone);
        const Instant from = e.from ? e.from->at(zone) : beginning;
        const Instant to = e.to ? e.to->end_at(zone) : ending;
        if (from > to)
            throw ValidationError(fmt::format("--from is after --to for patient {}.", p.mrn));
        // Written in pieces to a temporary file; every export is on record before any Bundle
        // gets its name.
        files.push_back(std::make_unique<app::PrivateFile>(paths[i], e.existing));
        auto& file = *files.back();
        JsonWriter w([&](std::string_view bytes) { file.write(bytes); });
        const auto entries = write_fhir_bundle(s, p, from, to, now, w);
        w.flush();
        file.write("\n");
        s.audit_read("export.fhir", p.id,
                     fmt::format("FHIR R4 Bundle of {} resources, {} to {}, to {}", entries,
                                 e.from ? format_utc(from) : "all history",
                                 e.to ? format_utc(to) : "now",
                                 std::filesystem::absolute(paths[i]).string()));
    }
    for (auto& f : files) // together at the end: a failed export leaves no file
        f->commit();
    return paths;
}

} // namespace solace::interop
