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
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"

namespace solace::interop {

namespace {

using json = nlohmann::ordered_json; // resourceType first, fields in FHIR's order

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
    std::string out;
    for (std::size_t i = 0; i < h.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += fmt::format("{:02x}", h[i]);
    }
    return out;
}

json reference(const std::string& uuid) {
    return {{"reference", "urn:uuid:" + uuid}};
}

// FHIR strings may not be empty: an empty text leaves the element out.
void put_text(json& j, const char* key, const std::string& text) {
    if (!text.empty()) j[key] = text;
}

json text_concept(const std::string& text) {
    return {{"text", text}};
}

json survey_category() {
    return json::array({{{"coding", json::array({{{"system", category_system},
                                                  {"code", "survey"},
                                                  {"display", "Survey"}}})}}});
}

json reporter_extension(Reporter r) {
    return json::array(
        {{{"url", std::string(fhir_reporter_extension)}, {"valueCode", std::string(code(r))}}});
}

json performer(Reporter r, const std::string& patient_uuid, const std::string& author) {
    switch (r) {
    case Reporter::patient:
        return json::array({reference(patient_uuid)});
    case Reporter::caregiver:
        return json::array({{{"type", "RelatedPerson"}, {"display", "Family caregiver"}}});
    case Reporter::nurse:
        break;
    }
    json nurse{{"type", "Practitioner"}};
    put_text(nurse, "display", author.empty() ? std::string("Nurse") : author);
    return json::array({nurse});
}

json hhmmss(std::chrono::minutes since_midnight) {
    const auto m = since_midnight.count();
    return fmt::format("{:02}:{:02}:00", m / 60, m % 60);
}

// "30 mg", "2.5 mL", "1 tablet": the number and its unit, as written (no UCUM claim).
std::optional<json> dose_quantity(const std::string& dose) {
    static const std::regex pattern(R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z%][A-Za-z%/]*)\s*$)");
    std::smatch m;
    if (!std::regex_match(dose, m, pattern)) return std::nullopt;
    const auto number = m[1].str();
    json value =
        number.find('.') == std::string::npos ? json(std::stoll(number)) : json(std::stod(number));
    return json{{"value", value}, {"unit", m[2].str()}};
}

struct Context {
    const Patient& patient;
    const date::time_zone* zone;
    std::string patient_uuid;
    Instant now;

    std::string local(Instant t) const { return format_local(t, zone); }
};

json patient_resource(const Context& c) {
    const auto& p = c.patient;
    json j{{"resourceType", "Patient"},
           {"id", c.patient_uuid},
           {"extension", json::array({{{"url", timezone_extension}, {"valueCode", p.time_zone}}})},
           {"identifier",
            json::array({{{"use", "usual"},
                          {"type",
                           {{"coding", json::array({{{"system", identifier_type_system},
                                                     {"code", "MR"},
                                                     {"display", "Medical record number"}}})},
                            {"text", "MRN"}}},
                          {"value", p.mrn}}})},
           {"birthDate", format_date(p.date_of_birth)}};
    if (!p.name.empty()) j["name"] = json::array({{{"text", p.name}}});
    return j;
}

json score_observation(const Context& c, const Score& s, const char* status) {
    const auto& item = info(s.symptom);
    json coding = json::array({{{"system", loinc_system}, {"code", std::string(item.loinc)}}});
    if (!item.snomed.empty())
        coding.push_back({{"system", snomed_system}, {"code", std::string(item.snomed)}});
    json j{{"resourceType", "Observation"},
           {"id", uuid_for("score", c.patient.mrn, s.id)},
           {"extension", reporter_extension(s.reporter)},
           {"status", status},
           {"category", survey_category()},
           {"code", {{"coding", coding}, {"text", std::string(item.label)}}},
           {"subject", reference(c.patient_uuid)},
           {"effectiveDateTime", c.local(s.observed_at)},
           {"issued", format_utc(s.recorded_at)},
           {"performer", performer(s.reporter, c.patient_uuid, s.author)},
           {"valueInteger", s.value}};
    json notes = json::array();
    if (!s.note.empty()) notes.push_back({{"text", s.note}});
    if (s.supersedes)
        notes.push_back(
            {{"text", s.correction_reason.empty()
                          ? fmt::format("Correction by {}.", s.author)
                          : fmt::format("Correction by {}: {}", s.author, s.correction_reason)}});
    if (std::string_view(status) == "entered-in-error")
        notes.push_back({{"text", "Replaced by a later correction of this score."}});
    if (!notes.empty()) j["note"] = notes;
    return j;
}

json pps_observation(const Context& c, const PpsScore& s) {
    json j{{"resourceType", "Observation"},
           {"id", uuid_for("pps", c.patient.mrn, s.id)},
           {"extension", reporter_extension(s.reporter)},
           {"status", "final"},
           {"category", survey_category()},
           {"code",
            {{"coding", json::array({{{"system", std::string(fhir_assessment_system)},
                                      {"code", "pps"},
                                      {"display", "Palliative Performance Scale"}}})},
             {"text", "Palliative Performance Scale (PPS), 0-100%"}}},
           {"subject", reference(c.patient_uuid)},
           {"effectiveDateTime", c.local(s.observed_at)},
           {"performer", performer(s.reporter, c.patient_uuid, s.author)},
           {"valueInteger", s.value}};
    if (!s.note.empty()) j["note"] = json::array({{{"text", s.note}}});
    return j;
}

json medication_request(const Context& c, const Medication& m) {
    json period{{"start", c.local(m.start)}};
    if (m.end) period["end"] = c.local(*m.end);
    json repeat;
    json dosage;
    std::string text = m.dose;
    if (!m.route.empty()) text += (text.empty() ? "" : " ") + m.route;
    text += (text.empty() ? "" : ", ") + m.schedule_text;
    dosage["text"] = text;
    if (const auto* clock = std::get_if<ClockSchedule>(&m.schedule)) {
        repeat = {{"boundsPeriod", period},
                  {"frequency", clock->times.size()},
                  {"period", 1},
                  {"periodUnit", "d"}};
        repeat["timeOfDay"] = json::array();
        for (const auto t : clock->times)
            repeat["timeOfDay"].push_back(hhmmss(t));
    } else if (const auto* every = std::get_if<IntervalSchedule>(&m.schedule)) {
        // Elapsed hours from the anchor on the start day, as clinical::expand counts them.
        const auto first = resolve_local(
            c.zone, date::local_seconds{date::floor<date::days>(c.zone->to_local(m.start))} +
                        every->anchor);
        period["start"] = c.local(first);
        repeat = {{"boundsPeriod", period},
                  {"frequency", 1},
                  {"period", every->every.count()},
                  {"periodUnit", "h"}};
    } else {
        const auto& prn = std::get<PrnSchedule>(m.schedule);
        dosage["asNeededBoolean"] = true;
        repeat = {{"boundsPeriod", period}};
        if (prn.min_interval.count() > 0) {
            const bool whole_hours = prn.min_interval.count() % 60 == 0;
            repeat["frequency"] = 1;
            repeat["period"] =
                whole_hours ? prn.min_interval.count() / 60 : prn.min_interval.count();
            repeat["periodUnit"] = whole_hours ? "h" : "min";
        }
        if (prn.max_per_24h)
            dosage["maxDosePerPeriod"] = {
                {"numerator", {{"value", *prn.max_per_24h}, {"unit", "doses"}}},
                {"denominator",
                 {{"value", 24}, {"unit", "h"}, {"system", ucum_system}, {"code", "h"}}}};
    }
    dosage["timing"] = {{"repeat", repeat}, {"code", text_concept(m.schedule_text)}};
    if (m.time_critical)
        dosage["additionalInstruction"] =
            json::array({text_concept("Time-critical: give on time (a narrow window either "
                                      "side of each scheduled dose).")});
    if (!m.route.empty()) dosage["route"] = text_concept(m.route);
    if (const auto q = dose_quantity(m.dose))
        dosage["doseAndRate"] = json::array({{{"doseQuantity", *q}}});

    json j{{"resourceType", "MedicationRequest"},
           {"id", uuid_for("medication", c.patient.mrn, m.id)},
           {"identifier",
            json::array({{{"system", std::string(fhir_medication_key_system)}, {"value", m.key}}})},
           {"status", m.end && *m.end < c.now ? "completed" : "active"},
           {"intent", "order"},
           {"medicationCodeableConcept", text_concept(m.name)},
           {"subject", reference(c.patient_uuid)},
           {"authoredOn", c.local(m.start)},
           {"dosageInstruction", json::array({dosage})}};
    if (!m.indication.empty()) j["reasonCode"] = json::array({text_concept(m.indication)});
    return j;
}

json medication_administration(const Context& c, const Administration& a, const Medication& m) {
    json actor{{"type", a.reporter == Reporter::caregiver ? "RelatedPerson" : "Practitioner"}};
    put_text(actor, "display", a.recorded_by.empty() ? a.author : a.recorded_by);
    json j{{"resourceType", "MedicationAdministration"},
           {"id", uuid_for("administration", c.patient.mrn, a.id)},
           {"extension", reporter_extension(a.reporter)},
           {"status", a.status == DoseStatus::given ? "completed" : "not-done"},
           {"medicationCodeableConcept", text_concept(m.name)},
           {"subject", reference(c.patient_uuid)},
           {"effectiveDateTime", c.local(a.given_at)},
           {"request", reference(uuid_for("medication", c.patient.mrn, m.id))}};
    if (actor.contains("display")) j["performer"] = json::array({{{"actor", actor}}});
    if (a.status == DoseStatus::given) {
        json dosage;
        put_text(dosage, "text", m.dose);
        if (!m.route.empty()) dosage["route"] = text_concept(m.route);
        if (const auto q = dose_quantity(m.dose)) dosage["dose"] = *q;
        if (!dosage.empty()) j["dosage"] = dosage;
    } else {
        const bool held = a.status == DoseStatus::held;
        json reason{{"coding", json::array({{{"system", std::string(fhir_dose_status_system)},
                                             {"code", held ? "held" : "refused"},
                                             {"display", held ? "Held" : "Refused"}}})}};
        put_text(reason, "text", a.reason);
        j["statusReason"] = json::array({reason});
    }
    if (a.supersedes && !a.correction_reason.empty())
        j["note"] = json::array({{{"text", "Correction: " + a.correction_reason}}});
    return j;
}

json entry(json resource) {
    const auto id = resource.at("id").get<std::string>();
    return {{"fullUrl", "urn:uuid:" + id}, {"resource", std::move(resource)}};
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

nlohmann::ordered_json fhir_bundle(const app::Session& s, const Patient& p, Instant from,
                                   Instant to, Instant now) {
    s.require_read(p);
    const Context c{p, find_zone(p.time_zone), uuid_for("patient", p.mrn, p.id), now};
    store::ObservationRepository obs(s.db());
    store::MedicationRepository meds(s.db());

    json entries = json::array({entry(patient_resource(c))});

    const auto doses = meds.administrations(p.id, from, to);
    const auto versions = meds.list(p.id);
    std::map<std::int64_t, const Medication*> by_id;
    for (const auto& m : versions)
        by_id[m.id] = &m;
    for (const auto& m : versions) {
        const bool in_effect = m.start <= to && (!m.end || *m.end >= from);
        const bool given = std::any_of(doses.begin(), doses.end(),
                                       [&](const auto& a) { return a.medication_id == m.id; });
        if (in_effect || given) entries.push_back(entry(medication_request(c, m)));
    }

    // Observations in time order: current scores, the scores corrections replaced, PPS.
    std::vector<std::tuple<Instant, int, std::int64_t, json>> observations;
    for (const auto& sc : obs.scores(p.id, from, to))
        observations.emplace_back(sc.observed_at, 0, sc.id,
                                  score_observation(c, sc, sc.supersedes ? "amended" : "final"));
    for (const auto& sc : obs.replaced_scores(p.id, from, to))
        observations.emplace_back(sc.observed_at, 0, sc.id,
                                  score_observation(c, sc, "entered-in-error"));
    for (const auto& pps : obs.pps(p.id, from, to))
        observations.emplace_back(pps.observed_at, 1, pps.id, pps_observation(c, pps));
    std::sort(observations.begin(), observations.end(), [](const auto& a, const auto& b) {
        return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
               std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
    });
    for (auto& o : observations)
        entries.push_back(entry(std::move(std::get<3>(o))));

    for (const auto& a : doses) {
        const auto m = by_id.find(a.medication_id);
        if (m == by_id.end()) continue; // every dose names a medication of its patient
        entries.push_back(entry(medication_administration(c, a, *m->second)));
    }

    return {{"resourceType", "Bundle"},
            {"id", uuid_for("bundle", p.mrn, to_epoch(now))},
            {"type", "collection"},
            {"timestamp", format_utc(now)},
            {"entry", std::move(entries)}};
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
        const auto bundle = fhir_bundle(s, p, from, to, now);
        files.push_back(std::make_unique<app::PrivateFile>(paths[i], e.existing));
        s.audit("export.fhir", p.id,
                fmt::format("FHIR R4 Bundle of {} resources, {} to {}, to {}",
                            bundle["entry"].size(), e.from ? format_utc(from) : "all history",
                            e.to ? format_utc(to) : "now",
                            std::filesystem::absolute(paths[i]).string()));
        files.back()->write(bundle.dump(2) + "\n");
    }
    for (auto& f : files) // together at the end: a failed export leaves no file
        f->commit();
    return paths;
}

} // namespace solace::interop
