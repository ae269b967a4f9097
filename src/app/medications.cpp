#include "app/medications.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "store/flag_repository.hpp"
#include "store/medication_repository.hpp"

namespace solace::app {

namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

void require_reason(std::string_view reason, std::string_view what) {
    check_text("reason", reason, false, max_reason_bytes);
    if (blank(reason))
        throw ValidationError(fmt::format(
            "reason is empty: {} needs a reason (e.g. \"dose increased by Dr Lee\").", what));
}

// The version of `key` with no successor: every other version has one that starts later.
Medication latest_version(store::MedicationRepository& meds, const Patient& p,
                          std::string_view key) {
    std::optional<Medication> latest;
    for (auto& m : meds.list(p.id))
        if (m.key == key &&
            (!latest || std::tie(m.start, m.id) > std::tie(latest->start, latest->id)))
            latest = std::move(m);
    if (!latest)
        throw NotFoundError(
            fmt::format("med \"{}\" is not a medication of patient {}.", key, p.mrn));
    return *latest;
}

void require_after_start(const Medication& latest, Instant at, const Patient& p,
                         std::string_view what) {
    if (at <= latest.start)
        throw ValidationError(fmt::format(
            "{} \"{}\" at {}: that is not after the start of its current version ({}); choose a "
            "later time.",
            what, latest.key, format_local_short(at, find_zone(p.time_zone)),
            format_local_short(latest.start, find_zone(p.time_zone))));
}

date::local_days local_day(const date::time_zone* zone, Instant t) {
    return date::floor<date::days>(zone->to_local(t));
}

} // namespace

std::int64_t change_medication(const Session& s, const std::string& mrn, const std::string& key,
                               Medication fields, Instant from, std::string_view reason) {
    const auto p = s.patient(mrn);
    s.require_nurse("add or change a medication");
    require_reason(reason, "a change of medication");
    fields.key = key;
    check_medication_text(fields);
    if (blank(fields.name))
        throw ValidationError(fmt::format("name is empty for medication \"{}\".", key));
    fields.schedule = clinical::parse_schedule(fields.schedule_text);
    if (fields.end && *fields.end < from)
        throw ValidationError(
            fmt::format("end {} is before the change at {} for medication \"{}\".",
                        format_utc(*fields.end), format_utc(from), key));
    store::MedicationRepository meds(s.db());
    store::Transaction tx(s.db());
    const auto latest = latest_version(meds, p, key);
    require_after_start(latest, from, p, "change");
    fields.id = 0;
    fields.uuid.clear(); // a new version is a row of its own
    fields.patient_id = p.id;
    fields.key = latest.key;
    fields.start = from;
    const auto id = meds.add(fields, s.account().id, now_utc(), latest.id, reason);
    s.audit("medication.change", p.id,
            fmt::format("{} version {} replaces {} from {}: {} {} {} ({})", key, id, latest.id,
                        format_utc(from), fields.name, fields.dose, fields.schedule_text, reason));
    tx.commit();
    return id;
}

std::int64_t stop_medication(const Session& s, const std::string& mrn, const std::string& key,
                             Instant at, std::string_view reason) {
    const auto p = s.patient(mrn);
    s.require_nurse("stop a medication");
    require_reason(reason, "stopping a medication");
    store::MedicationRepository meds(s.db());
    store::Transaction tx(s.db());
    auto latest = latest_version(meds, p, key);
    require_after_start(latest, at, p, "stop");
    if (latest.end && *latest.end < at)
        throw ValidationError(fmt::format("med \"{}\" already ended at {}.", key,
                                          format_local_short(*latest.end, find_zone(p.time_zone))));
    const auto old_id = latest.id;
    latest.id = 0;
    latest.uuid.clear();
    latest.start = at;
    latest.end = at;
    const auto id = meds.add(latest, s.account().id, now_utc(), old_id, reason);
    s.audit("medication.stop", p.id,
            fmt::format("{} stopped at {} (version {} replaces {}): {}", key, format_utc(at), id,
                        old_id, reason));
    tx.commit();
    return id;
}

date::local_days patient_day(const Patient& p, Instant t) {
    return local_day(find_zone(p.time_zone), t);
}

MedicationsPicture medications_picture(const Session& s, std::string_view mrn, Instant now,
                                       std::optional<date::local_days> day) {
    MedicationsPicture out;
    out.taken_at = now;
    out.patient = s.patient(mrn);
    const auto* zone = find_zone(out.patient.time_zone);
    const auto today = local_day(zone, now);
    out.day = day.value_or(today);
    if (out.day > today)
        throw ValidationError(fmt::format(
            "{} is after today ({}) for patient {}: the record shows today and the days before.",
            date::format("%F", out.day), date::format("%F", today), out.patient.mrn));
    out.is_today = out.day == today;
    out.day_start = resolve_local(zone, date::local_seconds{out.day});
    out.day_end = resolve_local(zone, date::local_seconds{out.day + date::days{1}}) - seconds{1};
    out.thresholds = store::FlagRepository(s.db()).thresholds();
    const auto& t = out.thresholds;
    const minutes widest_window{std::max(
        {t.critical_window_minutes, t.multi_daily_window_minutes, t.daily_window_minutes})};
    out.judged_at = out.is_today ? now : std::min(now, out.day_end + widest_window);

    store::MedicationRepository meds(s.db());
    auto& r = out.record;
    r.patient = out.patient;
    r.medications = meds.list(out.patient.id);
    out.first_day = today - mar_days_back;
    for (const auto& m : r.medications)
        out.first_day = std::min(out.first_day, local_day(zone, m.start));
    // Matching the day's doses looks two days back and one ahead; the PRN rules one day back.
    const auto from = std::min(out.day_start, out.judged_at - hours{24}) -
                      clinical::dose_lookback(out.thresholds) - hours{24};
    r.administrations = meds.administrations(out.patient.id, from, out.judged_at);

    // Records up to judged_at count, doses due after the day do not.
    const auto to = std::max(out.day_end, out.judged_at);
    for (const auto& o : clinical::dose_outcomes(r, out.day_start, to, out.thresholds)) {
        if (o.dose.due > out.day_end) continue;
        DoseRow row;
        row.key = o.med->key;
        row.name = o.med->name;
        row.dose = o.med->dose;
        row.route = o.med->route;
        row.time_critical = o.med->time_critical;
        row.scheduled = o.dose;
        if (o.record) row.record = *o.record;
        out.doses.push_back(std::move(row));
    }
    std::stable_sort(out.doses.begin(), out.doses.end(), [](const DoseRow& a, const DoseRow& b) {
        return std::tie(a.scheduled.due, a.name) < std::tie(b.scheduled.due, b.name);
    });

    for (const auto& m : r.medications) { // by key, then start
        if (!out.lines.empty() && out.lines.back().latest.key == m.key) {
            out.lines.back().latest = m;
            ++out.lines.back().versions;
        } else {
            out.lines.push_back({m, 1, false});
        }
    }
    for (auto& l : out.lines)
        l.stopped = l.latest.end && *l.latest.end < now;
    std::stable_sort(out.lines.begin(), out.lines.end(),
                     [](const MedicationLine& a, const MedicationLine& b) {
                         return is_prn(a.latest.schedule) < is_prn(b.latest.schedule);
                     });

    for (const auto& a : r.administrations)
        if (a.given_at >= out.day_start && a.given_at <= out.day_end) out.recorded.push_back(a);
    std::reverse(out.recorded.begin(), out.recorded.end());
    out.changes = meds.dose_changes(
        out.patient.id, out.is_today ? out.day_start - hours{72} : out.day_start, out.day_end);
    return out;
}

DoseState dose_state(const DoseRow& row, Instant now) {
    const auto& d = row.scheduled;
    if (row.record) {
        switch (row.record->status) {
        case DoseStatus::held:
            return DoseState::held;
        case DoseStatus::refused:
            return DoseState::refused;
        case DoseStatus::given:
            break;
        }
        if (row.record->given_at > d.due + d.window) return DoseState::given_late;
        if (row.record->given_at < d.due - d.window) return DoseState::given_early;
        return DoseState::given_on_time;
    }
    if (now > d.due + d.window) return DoseState::missed;
    if (now >= d.due - d.window) return DoseState::due_now;
    return DoseState::upcoming;
}

Instant judging_time(const MedicationsPicture& p, Instant now) {
    return p.is_today ? now : p.judged_at;
}

const Medication* version_at(const clinical::PatientRecord& record, std::string_view key,
                             Instant at) {
    const Medication *before = nullptr, *first = nullptr;
    for (const auto& m : record.medications) {
        if (m.key != key) continue;
        if (m.start <= at && (!m.end || at <= *m.end)) return &m;
        if (m.start <= at) before = &m;
        if (!first) first = &m;
    }
    return before ? before : first;
}

PrnStanding prn_standing(const MedicationsPicture& p, std::string_view key, Instant now) {
    PrnStanding out;
    const auto* current = version_at(p.record, key, now);
    if (!current) return out;
    std::vector<Instant> given; // in (now - 24 h, now], oldest first
    for (const auto& a : p.record.administrations) {
        if (a.status != DoseStatus::given || a.given_at > now || a.given_at <= now - hours{24})
            continue;
        const auto m = std::find_if(p.record.medications.begin(), p.record.medications.end(),
                                    [&](const Medication& m) { return m.id == a.medication_id; });
        if (m != p.record.medications.end() && m->key == key) given.push_back(a.given_at);
    }
    std::sort(given.begin(), given.end());
    out.in_last_24h = int(given.size());
    if (given.empty()) return out;
    out.last_given = given.back();
    const auto* prn = std::get_if<PrnSchedule>(&current->schedule);
    if (!prn) return out;
    Instant next = given.back() + prn->min_interval;
    if (prn->max_per_24h && out.in_last_24h >= *prn->max_per_24h) {
        // The next dose is allowed once enough of these have left the 24 hours.
        const auto leaving = given[std::size_t(out.in_last_24h - *prn->max_per_24h)];
        next = std::max(next, leaving + hours{24});
    }
    if (next > now) out.next_allowed = next;
    return out;
}

DosePreview preview_dose(const MedicationsPicture& p, std::string_view key, Instant at,
                         DoseStatus status) {
    DosePreview out;
    const auto* med = version_at(p.record, key, at);
    if (!med) return out;
    clinical::PatientRecord r = p.record;
    Administration a;
    a.id = -1; // not saved: an id no stored record has
    a.patient_id = p.patient.id;
    a.medication_id = med->id;
    a.given_at = at;
    a.status = status;
    const auto pos =
        std::upper_bound(r.administrations.begin(), r.administrations.end(), at,
                         [](Instant t, const Administration& x) { return t < x.given_at; });
    r.administrations.insert(pos, a);
    const auto to = std::max(at, p.taken_at);

    if (is_prn(med->schedule)) {
        for (auto& f : clinical::prn_flags(r, at, to, p.thresholds))
            if (f.id.ends_with("/a-1")) out.flags.push_back(std::move(f));
        return out;
    }
    for (const auto& o : clinical::dose_outcomes(r, at - hours{24}, at + hours{24}, p.thresholds))
        if (o.record && o.record->id == -1) out.covers = o.dose;
    if (out.covers) {
        for (auto& f :
             clinical::dose_flags(r, out.covers->due, std::max(to, out.covers->due), p.thresholds))
            if (f.at == out.covers->due && f.med == med->key &&
                (f.rule == "dose.late" || f.rule == "dose.early"))
                out.flags.push_back(std::move(f));
    }
    return out;
}

} // namespace solace::app
