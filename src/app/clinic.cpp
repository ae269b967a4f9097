#include "app/clinic.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "app/flag_ids.hpp"
#include "clinical/rules.hpp"
#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "store/bowel_movement_repository.hpp"
#include "store/flag_repository.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "store/setting_repository.hpp"

namespace solace::app {

namespace {
bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}
} // namespace

void check_score(int value, std::string_view field) {
    if (value < min_score || value > max_score)
        throw ValidationError(fmt::format(
            "{} {} is out of range: ESAS-r scores go from 0 (none) to 10 (worst possible).", field,
            value));
}

void check_pps(int value) {
    if (value < 0 || value > 100 || value % 10 != 0)
        throw ValidationError(fmt::format(
            "pps {} is not a Palliative Performance Scale value: use 0 to 100 in steps of 10.",
            value));
}

void check_bristol_type(int value) {
    if (value < min_bristol_type || value > max_bristol_type)
        throw ValidationError(fmt::format("Bristol stool type {} is out of range: use {} (hard "
                                          "lumps) to {} (watery).",
                                          value, min_bristol_type, max_bristol_type));
}

void check_dose_reason(DoseStatus status, std::string_view reason) {
    check_text("reason", reason, false, max_reason_bytes);
    if (status != DoseStatus::given && blank(reason))
        throw ValidationError(fmt::format(
            "reason is empty: a dose recorded as {} needs a reason (e.g. \"asleep\", \"nausea\").",
            code(status)));
}

void check_medication_text(const Medication& m) {
    check_text("med", m.key, false, max_code_bytes);
    check_text("name", m.name, false, max_name_bytes);
    check_text("dose", m.dose, false, max_dose_bytes);
    check_text("route", m.route, false, max_route_bytes);
    check_text("schedule", m.schedule_text, false, max_name_bytes);
    check_text("indication", m.indication, false, max_name_bytes);
}

void check_patient(const Patient& p) {
    check_text("mrn", p.mrn, false, max_code_bytes);
    check_text("name", p.name, false, max_name_bytes);
    check_text("diagnosis", p.diagnosis, false, max_reason_bytes);
    check_text("on-call number", p.on_call_phone, false, max_phone_bytes);
    if (blank(p.mrn) || p.mrn.size() > 64)
        throw ValidationError(
            fmt::format("mrn \"{}\" is empty or longer than 64 characters.", p.mrn));
    if (blank(p.name) || p.name.size() > 200)
        throw ValidationError(
            fmt::format("name \"{}\" is empty or longer than 200 characters.", p.name));
    find_zone(p.time_zone);
    if (!p.date_of_birth.ok() ||
        date::sys_days{p.date_of_birth} > date::floor<date::days>(now_utc()))
        throw ValidationError(
            fmt::format("date_of_birth \"{}\" is not a past date.", format_date(p.date_of_birth)));
}

EntryTiming entry_timing(store::Database& db) {
    store::SettingRepository settings(db);
    EntryTiming t;
    // Out-of-range settings are held to the ranges EntryTiming names.
    if (auto v = settings.value("backdate_max_hours"))
        t.backdate_max = std::chrono::hours{std::clamp(*v, 1, 720)};
    if (auto v = settings.value("future_tolerance_minutes"))
        t.future_tolerance = std::chrono::minutes{std::clamp(*v, 0, 60)};
    if (auto v = settings.value("late_documentation_minutes"))
        t.late_documentation = std::chrono::minutes{*v};
    return t;
}

void check_entry_time(const EntryTiming& t, Instant at, Instant now, const date::time_zone* zone,
                      std::string_view field) {
    if (at < now - t.backdate_max)
        throw ValidationError(fmt::format(
            "{} {} is more than {} hours ago: an entry may be back-dated at most {} hours (it is "
            "now {}). Check the date, or ask an admin to record it.",
            field, format_local_short(at, zone), t.backdate_max.count(), t.backdate_max.count(),
            format_local_short(now, zone)));
    if (at > now + t.future_tolerance)
        throw ValidationError(fmt::format(
            "{} {} is in the future (it is now {}): record what has happened, at most {} minutes "
            "ahead.",
            field, format_local_short(at, zone), format_local_short(now, zone),
            t.future_tolerance.count()));
}

Instant entry_time(std::string_view text, const date::time_zone* zone, Instant now,
                   std::string_view field) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return now;
    text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
    auto day = date::floor<date::days>(zone->to_local(now));
    constexpr std::string_view yesterday = "yesterday ";
    if (text.size() > yesterday.size() && text.substr(0, yesterday.size()) == yesterday) {
        day -= date::days{1};
        text.remove_prefix(yesterday.size());
    }
    int h = 0, m = 0;
    char colon = 0;
    if (text.size() >= 4 && text.size() <= 5 && text.find('-') == std::string_view::npos) {
        const std::string clock(text);
        std::istringstream in(clock);
        if (in >> h >> colon >> m && colon == ':' && in.peek() == std::char_traits<char>::eof() &&
            h >= 0 && h < 24 && m >= 0 && m < 60)
            return resolve_local(zone, day + std::chrono::hours{h} + std::chrono::minutes{m});
    } else if (day == date::floor<date::days>(zone->to_local(now))) {
        try {
            return parse_time(text, field).at(zone);
        } catch (const ValidationError&) {
        }
    }
    throw ValidationError(fmt::format(
        "{} \"{}\" is not a time: type it as 08:30, yesterday 20:00 or 2026-03-08 14:30 (leave it "
        "empty for now).",
        field, text));
}

bool documented_late(const EntryTiming& t, Instant at, Instant recorded_at) {
    return recorded_at - at > t.late_documentation;
}

std::int64_t add_patient(const Session& s, Patient p) {
    s.require_nurse("admit a patient");
    check_patient(p);
    store::PatientRepository patients(s.db());
    store::Transaction tx(s.db());
    if (patients.find_by_mrn(p.mrn))
        throw ValidationError(fmt::format("mrn \"{}\" is already used by another patient.", p.mrn));
    const auto id = patients.add(p, s.account().id, now_utc());
    s.audit("patient.add", id, fmt::format("added patient {}", p.mrn));
    tx.commit();
    return id;
}

void edit_patient(const Session& s, const Patient& changed, Instant now) {
    s.require_nurse("change a patient's details");
    check_patient(changed);
    store::PatientRepository patients(s.db());
    store::Transaction tx(s.db());
    auto p = s.patient(changed.mrn);
    std::vector<std::string> what;
    const auto note = [&](bool differs, std::string_view field) {
        if (differs) what.emplace_back(field);
    };
    note(p.name != changed.name, "name");
    note(p.date_of_birth != changed.date_of_birth, "date of birth");
    note(p.time_zone != changed.time_zone, "time zone");
    note(p.diagnosis != changed.diagnosis, "diagnosis");
    note(p.on_call_phone != changed.on_call_phone, "on-call number");
    if (what.empty())
        throw ValidationError(
            fmt::format("Nothing to save: the details of {} are as they were.", p.mrn));
    p.name = changed.name;
    p.date_of_birth = changed.date_of_birth;
    p.time_zone = changed.time_zone;
    p.diagnosis = changed.diagnosis;
    p.on_call_phone = changed.on_call_phone;
    const auto words = fmt::format("changed {}", fmt::join(what, ", "));
    patients.add_version(p, s.account().id, now, words);
    s.audit("patient.edit", p.id, fmt::format("{}: {}", p.mrn, words));
    tx.commit();
}

void check_discharge_reason(std::string_view reason, std::string_view field) {
    if (reason != "died" && reason != "transferred" && reason != "other")
        throw ValidationError(
            fmt::format("{} \"{}\" is not died, transferred or other.", field, reason));
}

void discharge_patient(const Session& s, std::string_view mrn, std::string_view reason, Instant at,
                       Instant now) {
    s.require_nurse("discharge a patient");
    check_discharge_reason(reason);
    store::PatientRepository patients(s.db());
    store::Transaction tx(s.db());
    auto p = s.patient(std::string(mrn));
    const auto* zone = find_zone(p.time_zone);
    // A death learnt of days later is still recorded at its time: no back-dating limit.
    if (at > now + entry_timing(s.db()).future_tolerance)
        throw ValidationError(fmt::format("The discharge time {} is in the future (it is now "
                                          "{}): record a discharge once it has happened.",
                                          format_local_short(at, zone),
                                          format_local_short(now, zone)));
    if (p.discharged_at)
        throw ValidationError(fmt::format("{} was already discharged ({}) on {}.", p.mrn,
                                          p.discharge_reason,
                                          format_local_short(*p.discharged_at, zone)));
    p.discharged_at = at;
    p.discharge_reason = std::string(reason);
    patients.add_version(p, s.account().id, now, fmt::format("discharged: {}", reason));
    s.audit("patient.discharge", p.id,
            fmt::format("discharged {} ({}) at {}", p.mrn, reason, format_utc(at)));
    tx.commit();
}

bool nothing_entered(const VisitEntry& v) {
    return v.scores.empty() && !v.pps && !v.bowel_movement && blank(v.note);
}

std::int64_t record_visit(const Session& s, const VisitEntry& v, Instant now) {
    const auto p = s.patient(v.mrn);
    s.require_write_score(p, v.reporter);
    if (nothing_entered(v))
        throw ValidationError("The visit is empty: enter at least one score, the PPS, a bowel "
                              "movement or a note.");
    if (v.bowel_movement) check_bristol_type(v.bowel_movement->bristol_type);
    check_text("the note", v.note, true, max_note_chars);
    for (const auto& sc : v.scores) {
        check_score(sc.value, code(sc.symptom));
        check_text("the note", sc.note, true, max_note_chars);
    }
    if (v.pps) {
        s.require_nurse("record the PPS");
        check_pps(*v.pps);
    }
    check_entry_time(entry_timing(s.db()), v.at, now, find_zone(p.time_zone), "the visit time");
    store::ObservationRepository obs(s.db());
    store::Transaction tx(s.db());
    const auto visit_id =
        obs.add_visit({0, p.id, v.at, v.pps, v.note, "", v.uuid}, s.account().id, now);
    for (const auto& sc : v.scores) {
        Score row;
        row.patient_id = p.id;
        row.visit_id = visit_id;
        row.symptom = sc.symptom;
        row.value = sc.value;
        row.reporter = v.reporter;
        row.observed_at = v.at;
        row.note = sc.note;
        row.author_id = s.account().id;
        obs.add_score(row, now);
    }
    if (v.pps) obs.add_pps(p.id, visit_id, *v.pps, v.at, s.account().id, now);
    if (v.bowel_movement) {
        BowelMovement b;
        b.patient_id = p.id;
        b.visit_id = visit_id;
        b.occurred_at = v.bowel_movement->at;
        b.bristol_type = v.bowel_movement->bristol_type;
        b.reporter = v.reporter;
        store::BowelMovementRepository(s.db()).add(b, s.account().id, now);
    }
    s.audit(
        "visit.add", p.id,
        fmt::format("visit {} with {} scores at {}", visit_id, v.scores.size(), format_utc(v.at)));
    tx.commit();
    return visit_id;
}

std::string correction_refusal(const Account& who, const Score& current, const Score& first,
                               Instant now) {
    if (who.role == Role::nurse) return {};
    if (current.author_id != who.id || first.author_id != who.id ||
        current.reporter != Reporter::caregiver)
        return "A family account corrects only a score it recorded itself; ask the nurse to "
               "correct this one.";
    if (now - first.recorded_at > family_correction_window)
        return fmt::format("This score was recorded more than {} min ago: a family account "
                           "corrects its own scores within {} min of recording them; ask the "
                           "nurse to correct it.",
                           family_correction_window.count(), family_correction_window.count());
    return {};
}

std::int64_t correct_score(const Session& s, std::int64_t score_id, int value,
                           std::string_view reason, Instant now) {
    store::ObservationRepository obs(s.db());
    auto old = obs.score(score_id);
    if (!old) throw NotFoundError(fmt::format("There is no score with id {}.", score_id));
    const auto p = store::PatientRepository(s.db()).find(old->patient_id);
    s.require_read(*p);
    if (!obs.in_force(old->id))
        throw ValidationError(
            fmt::format("The score {} was already corrected; correct the one in force (its latest "
                        "correction) instead.",
                        score_id));
    if (!s.is_nurse()) {
        Score first = *old;
        for (int hops = 0; first.supersedes && hops < 1000; ++hops) { // bounded: bad data
            const auto before = obs.score(*first.supersedes);
            if (!before) break;
            first = *before;
        }
        if (const auto why = correction_refusal(s.account(), *old, first, now); !why.empty())
            throw PermissionError(why);
    }
    check_score(value);
    check_text("reason", reason, false, max_reason_bytes);
    if (blank(reason))
        throw ValidationError(
            "reason is empty: a correction needs a reason (e.g. \"typed 8, meant 3\").");
    store::Transaction tx(s.db());
    Score row = *old;
    row.value = value;
    row.supersedes = old->id;
    row.correction_reason = std::string(reason);
    row.author_id = s.account().id;
    row.uuid.clear(); // a correction is a row of its own
    const auto id = obs.add_score(row, now);
    s.audit("score.correct", p->id,
            fmt::format("score {} ({} {}) corrected to {} as {}: {}", old->id, code(old->symptom),
                        old->value, value, id, reason));
    tx.commit();
    return id;
}

std::int64_t add_medication(const Session& s, const std::string& mrn, Medication m) {
    const auto p = s.patient(mrn);
    s.require_nurse("add or change a medication");
    check_medication_text(m);
    if (blank(m.key) || m.key.size() > 64)
        throw ValidationError(
            fmt::format("med \"{}\" is empty or longer than 64 characters.", m.key));
    if (blank(m.name))
        throw ValidationError(fmt::format("name is empty for medication \"{}\".", m.key));
    m.schedule = clinical::parse_schedule(m.schedule_text);
    if (m.end && *m.end < m.start)
        throw ValidationError(fmt::format("end {} is before start {} for medication \"{}\".",
                                          format_utc(*m.end), format_utc(m.start), m.key));
    m.patient_id = p.id;
    store::MedicationRepository meds(s.db());
    store::Transaction tx(s.db());
    if (meds.key_exists(p.id, m.key))
        throw ValidationError(fmt::format(
            "med \"{}\" already exists for patient {}; choose another key.", m.key, p.mrn));
    const auto id = meds.add(m, s.account().id, now_utc());
    s.audit("medication.add", p.id, fmt::format("{} ({}) {}", m.key, m.name, m.schedule_text));
    tx.commit();
    return id;
}

std::int64_t record_dose(const Session& s, const DoseEntry& d, Instant now) {
    const auto p = s.patient(d.mrn);
    store::MedicationRepository meds(s.db());
    const auto m = meds.find(p.id, d.med, d.at);
    if (!m)
        throw NotFoundError(
            fmt::format("med \"{}\" is not a medication of patient {}.", d.med, p.mrn));
    s.require_write_dose(p, *m);
    check_dose_reason(d.status, d.reason);
    check_entry_time(entry_timing(s.db()), d.at, now, find_zone(p.time_zone), "the dose time");
    Administration a;
    a.patient_id = p.id;
    a.medication_id = m->id;
    a.given_at = d.at;
    a.status = d.status;
    a.reason = d.reason;
    a.recorded_by = d.recorded_by.empty() ? s.account().name : d.recorded_by;
    a.reporter = s.is_nurse() ? Reporter::nurse : Reporter::caregiver;
    a.uuid = d.uuid;
    store::Transaction tx(s.db());
    const auto id = meds.add_administration(a, s.account().id, now);
    s.audit("dose.add", p.id, fmt::format("{} {} at {}", d.med, code(d.status), format_utc(d.at)));
    tx.commit();
    return id;
}

void set_comfort_goal(const Session& s, const std::string& mrn, Symptom symptom, int goal,
                      Instant at) {
    const auto p = s.patient(mrn);
    s.require_nurse("set a comfort goal");
    check_score(goal, "goal");
    store::Transaction tx(s.db());
    store::ObservationRepository(s.db()).add_goal({p.id, symptom, goal, at, {}}, s.account().id,
                                                  now_utc());
    s.audit("goal.set", p.id, fmt::format("{} goal {}", code(symptom), goal));
    tx.commit();
}

FlagInputs flag_inputs(const Session& s, const Patient& p, Instant from, Instant through) {
    s.require_read(p);
    FlagInputs in;
    store::FlagRepository flags(s.db());
    in.thresholds = flags.thresholds();
    const auto& t = in.thresholds;
    store::ObservationRepository obs(s.db());
    store::MedicationRepository meds(s.db());

    auto& r = in.record;
    r.patient = p;
    const auto score_from = from - clinical::score_lookback(t);
    r.scores = obs.scores(p.id, score_from, through);
    // The run rule looks back a fixed number of scores, however old: fetch those for each
    // series that has a score to judge and fewer than that many in the look-back.
    std::map<std::pair<Symptom, Reporter>, int> looked_back;
    std::set<std::pair<Symptom, Reporter>> judged;
    for (const auto& sc : r.scores) {
        if (sc.observed_at < from)
            ++looked_back[{sc.symptom, sc.reporter}];
        else
            judged.insert({sc.symptom, sc.reporter});
    }
    for (const auto& [sym, rep] : judged) {
        if (looked_back[{sym, rep}] >= t.sustained_run) continue;
        auto older = obs.scores_before(p.id, sym, rep, score_from, t.sustained_run);
        r.scores.insert(r.scores.end(), older.begin(), older.end());
    }
    std::stable_sort(r.scores.begin(), r.scores.end(),
                     [](const Score& a, const Score& b) { return a.observed_at < b.observed_at; });
    r.goals = obs.goals(p.id);
    r.medications = meds.list(p.id);
    r.administrations = meds.administrations(p.id, from - clinical::dose_lookback(t), through);
    r.bowel_movements = store::BowelMovementRepository(s.db()).current(p.id, from, through);
    in.correction_origins = correction_origins(s.db(), p.id);
    in.acknowledgements =
        travelling_acknowledgements(flags.acknowledgements(p.id), r, in.correction_origins);
    return in;
}

std::vector<Flag> judge_flags(const FlagInputs& in, Instant from, Instant to) {
    auto out = clinical::evaluate(in.record, from, to, in.thresholds);
    use_travelling_flag_ids(out, in.record, in.correction_origins);
    for (auto& f : out) {
        if (auto it = in.acknowledgements.find(f.id); it != in.acknowledgements.end()) {
            f.acknowledged = true;
            f.acknowledged_by = it->second.by;
            f.acknowledged_at = it->second.at;
            f.acknowledgement_note = it->second.note;
        }
    }
    clinical::mark_escalated(out, to, in.thresholds);
    return out;
}

std::vector<Flag> patient_flags(const Session& s, const Patient& p, Instant from, Instant to) {
    // Judged as of now at the latest: a dose due later today is not missed yet.
    to = std::min(to, now_utc());
    if (from > to) return {};
    return judge_flags(flag_inputs(s, p, from, to), from, to);
}

std::vector<Flag> shown_of(std::vector<Flag> flags, Instant from) {
    std::erase_if(flags, [&](const Flag& f) { return f.acknowledged && f.at < from; });
    return flags;
}

std::vector<Flag> shown_flags(const Session& s, const Patient& p, Instant from, Instant to) {
    to = std::min(to, now_utc());
    return shown_of(patient_flags(s, p, std::min(from, to - open_flag_horizon), to), from);
}

Flag acknowledge_flag(const Session& s, std::string_view flag_id, std::string_view note,
                      Instant now) {
    s.require_nurse("acknowledge a flag");
    check_text("the note", note, true, max_ack_note_bytes);
    // Flag ids read rule/MRN/subject.
    const auto first = flag_id.find('/');
    const auto second = first == std::string_view::npos ? first : flag_id.find('/', first + 1);
    if (second == std::string_view::npos)
        throw ValidationError(
            fmt::format("flag \"{}\" is not a flag id; copy one from `solace flags --json` (it "
                        "reads rule/MRN/subject).",
                        flag_id));
    const auto p = s.patient(flag_id.substr(first + 1, second - first - 1));
    const auto flags = patient_flags(s, p, now - open_flag_horizon, now);
    const auto it =
        std::find_if(flags.begin(), flags.end(), [&](const Flag& f) { return f.id == flag_id; });
    if (it == flags.end())
        throw NotFoundError(fmt::format("There is no flag \"{}\" in the last year for patient {}.",
                                        flag_id, p.mrn));
    Flag f = *it;
    store::Transaction tx(s.db());
    if (f.acknowledged ||
        !store::FlagRepository(s.db()).acknowledge(flag_id, p.id, s.account().id, now, note))
        throw ValidationError(fmt::format("The flag \"{}\" was already acknowledged by {}.",
                                          flag_id, f.acknowledged_by));
    s.audit("flag.acknowledge", p.id, fmt::format("{} {}", flag_id, note));
    tx.commit();
    f.acknowledged = true;
    f.acknowledged_by = s.account().name;
    f.acknowledged_at = now;
    f.acknowledgement_note = std::string(note);
    return f;
}

} // namespace solace::app
