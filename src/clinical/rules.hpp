#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/flag.hpp"
#include "domain/medication.hpp"
#include "domain/patient.hpp"
#include "domain/score.hpp"

namespace solace::clinical {

// Everything the rules need about one patient, loaded by app/ with bounded queries.
// Scores are current values only (corrections already applied), sorted by observed_at.
// Administrations are those recorded up to the evaluation time, sorted by given_at.
struct PatientRecord {
    Patient patient;
    std::vector<Score> scores;
    std::vector<ComfortGoal> goals; // every goal change, sorted by set_at
    std::vector<Medication> medications;
    std::vector<Administration> administrations;
    // Current bowel movements (corrections applied, entered-in-error left out), by
    // occurred_at; at least the latest one before the evaluation time.
    std::vector<BowelMovement> bowel_movements;
};

// The evaluation time, or the end of care if the patient was discharged (or died) before it:
// the dose, PRN and bowel rules judge nothing after it (DESIGN §5).
Instant in_care_until(const Patient& p, Instant to);

// How far before `from` the rules look: app/ loads at least this much history.
std::chrono::seconds score_lookback(const Thresholds& t);
std::chrono::seconds dose_lookback(const Thresholds& t);

// The flags whose `at` lies in [from, to], evaluated as of `to`: nothing after `to` is
// seen, and a dose whose window is still open at `to` is not missed yet.
// Pure: no SQL, no clock. Acknowledgement fields are left empty for app/ to fill.
std::vector<Flag> symptom_flags(const PatientRecord& r, Instant from, Instant to,
                                const Thresholds& t);
std::vector<Flag> dose_flags(const PatientRecord& r, Instant from, Instant to, const Thresholds& t);

// One scheduled dose due in [from, to] and the record that covers it, if any: the matching
// dose_flags judges (one record, one dose, nearest first), for views that show doses rather
// than flags. Records after `to` are not seen. Pointers are into `r`.
struct DoseOutcome {
    const Medication* med = nullptr;
    ScheduledDose dose;
    const Administration* record = nullptr;
};
std::vector<DoseOutcome> dose_outcomes(const PatientRecord& r, Instant from, Instant to,
                                       const Thresholds& t);
std::vector<Flag> prn_flags(const PatientRecord& r, Instant from, Instant to, const Thresholds& t);
// med.no_laxative and bowel.none: opioid bowel care (DESIGN §3, NICE CG140).
std::vector<Flag> bowel_flags(const PatientRecord& r, Instant from, Instant to,
                              const Thresholds& t);

// A PRN dose's effect: the first score of its symptom (by its indication) 15..90 minutes
// after it and not after `as_of`, against the latest score before it: "pain 8 → 4, 40 min
// after morphine-ir". Empty when the indication is no scored symptom or no score followed.
std::string prn_effect(const PatientRecord& r, const Medication& med, const Administration& dose,
                       const Thresholds& t, Instant as_of);
// The same, with the score that tells it (null, and the text empty, when there is none).
struct PrnEffect {
    const Score* after = nullptr; // the first score of its symptom 15..90 minutes after
    std::string text;
};
PrnEffect prn_follow_up(const PatientRecord& r, const Medication& med, const Administration& dose,
                        const Thresholds& t, Instant as_of);
// The symptom a PRN indication is about ("pain", "breathlessness", ...), if any.
std::optional<Symptom> indication_symptom(std::string_view indication);

// Marks urgent flags still unacknowledged escalate_after_minutes after their time, as of
// `as_of`, and puts escalated flags first (the rest keep their order).
void mark_escalated(std::vector<Flag>& flags, Instant as_of, const Thresholds& t);
// Whether `f` is escalated at `as_of`: urgent, unacknowledged, escalate_after_minutes old.
bool is_escalated(const Flag& f, Instant as_of, const Thresholds& t);
std::vector<Flag> evaluate(const PatientRecord& r, Instant from, Instant to, const Thresholds& t);

} // namespace solace::clinical
