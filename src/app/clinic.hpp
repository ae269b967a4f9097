#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/flag_ids.hpp"
#include "app/session.hpp"
#include "clinical/rules.hpp"
#include "domain/flag.hpp"
#include "domain/medication.hpp"
#include "domain/score.hpp"
#include "store/flag_repository.hpp"

namespace solace::app {

// Range checks shared by every path in; each throws ValidationError naming field and value.
void check_score(int value, std::string_view field = "score");
void check_pps(int value);
void check_bristol_type(int value);
void check_dose_reason(DoseStatus status, std::string_view reason);
void check_patient(const Patient& p);
// Every text field of a medication: UTF-8, one line, within its column's length.
void check_medication_text(const Medication& m);

// When an entry happened against when it is written (DESIGN §3), from the agency settings.
struct EntryTiming {
    std::chrono::hours backdate_max{72};         // backdate_max_hours: how far back, 1..720
    std::chrono::minutes future_tolerance{5};    // future_tolerance_minutes: clock drift, 0..60
    std::chrono::minutes late_documentation{60}; // late_documentation_minutes: marked late after
};
EntryTiming entry_timing(store::Database& db);
// ValidationError naming `field` when `at` lies more than backdate_max before `now`, or more
// than future_tolerance after it; `zone` shows the times as the nurse typed them.
void check_entry_time(const EntryTiming& t, Instant at, Instant now, const date::time_zone* zone,
                      std::string_view field = "at");
// When an entry happened, as typed: empty is `now`; "08:30" is today at 08:30 and
// "yesterday 20:00" yesterday at 20:00, in `zone`; otherwise ISO 8601 (parse_time; no offset =
// `zone`). ValidationError naming `field` when it is none of these.
Instant entry_time(std::string_view text, const date::time_zone* zone, Instant now,
                   std::string_view field = "time");
// True when the entry was written more than late_documentation after it happened.
bool documented_late(const EntryTiming& t, Instant at, Instant recorded_at);

struct ScoreEntry {
    Symptom symptom = Symptom::pain;
    int value = 0;
    std::string note;
};

// A bowel movement told at a visit: when, and its Bristol stool type (1..7).
struct BowelMovementEntry {
    Instant at{};
    int bristol_type = 4;
};

// A visit as the nurse enters it: all scores by one reporter, at one time.
struct VisitEntry {
    std::string mrn;
    Instant at{};
    Reporter reporter = Reporter::patient;
    std::vector<ScoreEntry> scores;
    std::optional<int> pps;
    std::string note;
    std::optional<BowelMovementEntry> bowel_movement{};
    std::string uuid{}; // empty: a new one is made
};

struct DoseEntry {
    std::string mrn;
    std::string med; // key
    Instant at{};
    DoseStatus status = DoseStatus::given;
    std::string reason;
    std::string recorded_by; // empty: the logged-in account
    std::string uuid{};      // empty: a new one is made
};

// Whether a visit holds nothing to keep: no score, PPS, bowel movement or note.
bool nothing_entered(const VisitEntry& v);

// The use cases. Each checks the role, validates, writes in one transaction and audits.
// Admits a patient (nurses: on an agency, every laptop's nurse admits, and only the first
// account is an admin); ValidationError for an MRN already used.
std::int64_t add_patient(const Session& s, Patient p);
// A new version of the patient with `changed`'s name, date of birth, time zone, diagnosis and
// on-call number (the MRN names the patient and does not change; a discharge stays). Nurses
// only, as admitting; ValidationError when nothing differs.
void edit_patient(const Session& s, const Patient& changed, Instant now = now_utc());
// Why care ended: died, transferred or other; a ValidationError naming `field` otherwise.
void check_discharge_reason(std::string_view reason, std::string_view field = "The reason");
// Ends care (DESIGN §5): a new version of the patient with when (not ahead of `now`) and why:
// died, transferred or other. No dose, PRN or bowel flag comes after it; the record stays
// readable. Nurses only, once per patient.
void discharge_patient(const Session& s, std::string_view mrn, std::string_view reason, Instant at,
                       Instant now = now_utc());
// Visits and doses are written at `now` and must have happened within entry_timing() of it.
std::int64_t record_visit(const Session& s, const VisitEntry& v, Instant now = now_utc());
// A nurse corrects any score; a family account only its own (see correction_refusal).
std::int64_t correct_score(const Session& s, std::int64_t score_id, int value,
                           std::string_view reason, Instant now = now_utc());
// How long after recording a score a family member may still correct it: long enough to see a
// mistap at once; after it, the nurse corrects it.
inline constexpr std::chrono::minutes family_correction_window{60};
// Why `who` may not correct the score `current` at `now`, in words; empty when it may. `first`
// is the row its correction chain began with (`current` itself when never corrected). Nurses
// may correct any score. A family account only a caregiver score it recorded itself, not since
// corrected by anyone else, within family_correction_window of first recording it. An agency
// server judges a family member's correction the same way (schema/server/0003).
std::string correction_refusal(const Account& who, const Score& current, const Score& first,
                               Instant now);
std::int64_t add_medication(const Session& s, const std::string& mrn, Medication m);
std::int64_t record_dose(const Session& s, const DoseEntry& d, Instant now = now_utc());
void set_comfort_goal(const Session& s, const std::string& mrn, Symptom symptom, int goal,
                      Instant at);

// Flags for one patient with `at` in [from, to], evaluated as of `to`, with acknowledgements.
std::vector<Flag> patient_flags(const Session& s, const Patient& p, Instant from, Instant to);

// How far back an open flag is looked for: a year. Up to this age it is listed until it is
// acknowledged (DESIGN §3), and acknowledge_flag finds it.
inline constexpr std::chrono::days open_flag_horizon{366};

// The flags a nurse is shown for [from, to]: those with `at` in it, and before it every flag
// still open (not acknowledged) back to to - open_flag_horizon; evaluated as of `to`.
std::vector<Flag> shown_flags(const Session& s, const Patient& p, Instant from, Instant to);
// Of `flags` (judged over [to - open_flag_horizon, to]), those shown for [from, to].
std::vector<Flag> shown_of(std::vector<Flag> flags, Instant from);

// patient_flags in two steps, so that one read serves several evaluation times (FlagCache).
// What the rules read for flags from `from` on, judged as of any time up to `through`: the
// rules ignore rows after the time they judge at, and extra older history changes nothing.
struct FlagInputs {
    clinical::PatientRecord record;
    Thresholds thresholds;
    Acknowledgements acknowledgements; // by flag id, subjects named by UUID (flag_ids.hpp)
    std::map<std::int64_t, ScoreOrigin> correction_origins;
};
FlagInputs flag_inputs(const Session& s, const Patient& p, Instant from, Instant through);
// The flags with `at` in [from, to], evaluated as of `to` (to <= through), acknowledgements
// filled in. No SQL, no clock.
std::vector<Flag> judge_flags(const FlagInputs& in, Instant from, Instant to);
// Finds the flag among the patient's recent flags and acknowledges it (nurses only).
Flag acknowledge_flag(const Session& s, std::string_view flag_id, std::string_view note,
                      Instant now);

} // namespace solace::app
