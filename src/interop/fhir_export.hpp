#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/paths.hpp"
#include "app/session.hpp"
#include "domain/patient.hpp"
#include "domain/time.hpp"

// FHIR R4 (4.0.1) export: one Bundle of type `collection` per patient. The mapping, also in
// README.md "FHIR export":
//
// - Entries have `fullUrl` "urn:uuid:<id>" and `id` <id>; references between them use the
//   fullUrl. Ids are name-based (BLAKE2b of resource kind, MRN and row id, shaped as an RFC 9562
//   version-8 UUID), so exporting the same row again gives the same id.
// - Patient: identifier = the MRN (type v2-0203 `MR`), name.text, birthDate, and the IANA zone
//   in the HL7 extension http://hl7.org/fhir/StructureDefinition/timezone.
// - Observation per ESAS-r score: status `final`; category `survey`; code = the item's LOINC
//   code, plus its SNOMED CT code where DESIGN §3 gives one, text = the ESAS-r wording;
//   valueInteger 0..10; effectiveDateTime in the patient's zone with its offset; issued = when
//   it was recorded (UTC). A correction is `amended` (its reason in `note`); each score it
//   replaced is exported too, as `entered-in-error`.
// - Who answered (ESAS-r scores from patients, family and nurses are not compared with each
//   other) is carried twice: `performer` says who it was (the Patient itself; a RelatedPerson
//   "Family caregiver" by display; a Practitioner with the nurse's account name), and the
//   extension `fhir_reporter_extension` carries the kind as valueCode patient|caregiver|nurse,
//   which is what a program should read.
// - PPS: an Observation like the scores with valueInteger 0..100 (steps of 10). LOINC has no
//   code we could verify for the Palliative Performance Scale (89243-0 is Karnofsky, 89247-1 is
//   ECOG), so its code is `pps` in Solace's own system `fhir_assessment_system`, with text.
// - MedicationRequest per medication version: intent `order`; status `active`, or `completed`
//   once its end has passed; identifier = the medication key (system `fhir_medication_key_
//   system`); medicationCodeableConcept.text = the name; reasonCode.text = the indication;
//   dosageInstruction: text = dose, route and schedule as written; timing.repeat.boundsPeriod =
//   start..end; clock times -> frequency n per 1 d with timeOfDay; `q4h@06:00` -> frequency 1
//   per 4 h with boundsPeriod.start at the first dose; PRN -> asNeededBoolean true, its minimum
//   interval as frequency 1 per period, its maximum as maxDosePerPeriod n per 24 h;
//   doseAndRate.doseQuantity when the dose reads "<number> <unit>"; time-critical medications
//   say so in additionalInstruction.text.
// - MedicationAdministration per current dose record: `completed` when given; `not-done` when
//   held or refused, with statusReason = code held|refused in `fhir_dose_status_system` and the
//   reason as text; performer.actor.display = who gave it as written (type RelatedPerson when a
//   family member recorded it); request = its MedicationRequest; the reporter extension as for
//   scores.
namespace solace::interop {

inline constexpr std::string_view fhir_reporter_extension = "urn:solace:fhir:extension:reporter";
inline constexpr std::string_view fhir_assessment_system = "urn:solace:fhir:code:assessment";
inline constexpr std::string_view fhir_dose_status_system = "urn:solace:fhir:code:dose-status";
inline constexpr std::string_view fhir_medication_key_system = "urn:solace:fhir:medication-key";

class JsonWriter;

// Writes one patient's Bundle: scores, PPS and doses observed or given in [from, to], and the
// medication versions in effect at some time in it (or that those doses were given from).
// `now` stamps the Bundle and decides whether a medication is still active. Rows are read and
// written one at a time, so memory does not grow with the history. Returns the entries
// written. Does not audit.
std::size_t write_fhir_bundle(const app::Session& s, const Patient& p, Instant from, Instant to,
                              Instant now, JsonWriter& out);

struct FhirExport {
    // One patient: `out` is the file to write (or a folder to write <MRN>.json into).
    // None: every patient the account may read, one <MRN>.json each in the folder `out`.
    std::optional<std::string> mrn;
    // Without an offset, each patient's local time; a date alone is the start of that day for
    // `from` and its end for `to`. None: the whole history.
    std::optional<TimeInput> from, to;
    std::filesystem::path out;
    app::Existing existing = app::Existing::refuse; // --overwrite
};

// Writes the Bundles (mode 0600; a folder it creates gets 0700), audits each as
// `export.fhir`, and returns the files written, in patient order.
std::vector<std::filesystem::path> export_fhir(const app::Session& s, const FhirExport& e,
                                               Instant now);

} // namespace solace::interop
