#include "app/demo.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "app/session.hpp"
#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"

namespace solace::app {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr const char* zones[] = {"America/New_York",    "Europe/London", "Australia/Lord_Howe",
                                 "America/Chicago",     "Europe/Paris",  "Australia/Sydney",
                                 "America/Los_Angeles", "Europe/Berlin"};
constexpr const char* given_names[] = {"Margaret", "Jean",   "Arthur", "Eleni",  "Olga", "Samuel",
                                       "Rosa",     "Walter", "Ingrid", "Tomasz", "Aiko", "Dmitri"};
constexpr const char* family_names[] = {"Okafor",  "Lindqvist", "Papadopoulou", "Brennan",
                                        "Ivanova", "Moreau",    "Nakamura",     "Kowalski",
                                        "Haddad",  "Fitzgerald"};
constexpr const char* diagnoses[] = {"metastatic pancreatic cancer",
                                     "non-small cell lung cancer",
                                     "metastatic breast cancer",
                                     "glioblastoma",
                                     "ovarian cancer with peritoneal spread",
                                     "metastatic colorectal cancer"};

class Generator {
  public:
    Generator(store::Database& db, const DemoOptions& o, std::int64_t nurse, std::int64_t family)
        : db_(db), o_(o), rng_(o.seed), nurse_(nurse), family_(family), obs_(db), meds_(db) {}

    std::int64_t patient(int index, Instant end) {
        const auto first_day = end - date::days{o_.days};
        Patient p;
        p.mrn = fmt::format("P{:04}", index + 1);
        p.name = fmt::format("{} {}", pick(given_names), pick(family_names));
        p.date_of_birth = date::year_month_day{date::year{1935 + uniform(0, 45)},
                                               date::month{static_cast<unsigned>(uniform(1, 12))},
                                               date::day{static_cast<unsigned>(uniform(1, 28))}};
        p.time_zone = zones[index % std::size(zones)];
        p.diagnosis = pick(diagnoses);
        p.on_call_phone = "555-0100"; // made up: the demo agency's 24-hour number
        const auto* zone = find_zone(p.time_zone);
        p.id = store::PatientRepository(db_).add(p, nurse_, end);

        const auto start_day = date::floor<date::days>(zone->to_local(first_day));
        const Instant med_start = resolve_local(zone, date::local_seconds{start_day});
        const auto med = [&](const char* key, const char* name, const char* dose, const char* route,
                             const char* schedule, const char* indication, Instant start) {
            Medication m;
            m.patient_id = p.id;
            m.key = key;
            m.name = name;
            m.dose = dose;
            m.route = route;
            m.schedule_text = schedule;
            m.schedule = clinical::parse_schedule(schedule);
            m.time_critical = clinical::default_time_critical(name, m.schedule);
            m.indication = indication;
            m.start = start;
            m.id = meds_.add(m, nurse_, end);
            return m;
        };
        // A pain crisis about 60% of the way through that settles after a dose change;
        // an opioid started two-thirds through brings nausea for a few days.
        const int crisis_day = o_.days * 6 / 10;
        const int opioid_day = o_.days * 2 / 3;
        std::vector<Medication> scheduled{
            med("morphine-sr", "Morphine sulfate SR", "30 mg", "oral", "bid", "pain", med_start),
            med("dexamethasone", "Dexamethasone", "4 mg", "oral", "daily", "appetite", med_start)};
        if (opioid_day > 0)
            scheduled.push_back(med("oxycodone-sr", "Oxycodone SR", "10 mg", "oral", "08:00,20:00",
                                    "pain", med_start + date::days{opioid_day}));
        const auto prn_pain =
            med("morphine-ir", "Morphine IR", "5 mg", "oral", "prn q1h max 6", "pain", med_start);
        const auto prn_anxiety = med("lorazepam", "Lorazepam", "0.5 mg", "sublingual",
                                     "prn q4h max 3", "anxiety", med_start);
        const auto thresholds = Thresholds{};
        for (const auto& m : scheduled)
            for (const auto& d : clinical::expand(m, zone, m.start, end, thresholds))
                scheduled_dose(p.id, m, d);

        for (int day = 0; day < o_.days; ++day) {
            const auto local_day = start_day + date::days{day};
            const double crisis = std::max(0.0, 1.0 - std::abs(day - crisis_day) / 4.0);
            const double nausea = day >= opioid_day && day < opioid_day + 5 ? 1.0 : 0.0;
            const auto visit_at = resolve_local(zone, date::local_seconds{local_day} + hours{9} +
                                                          minutes{uniform(0, 180)});
            if (visit_at >= end) break;
            Visit v{0, p.id, visit_at, std::nullopt, "", ""};
            if (day % 7 == 0) v.pps = std::max(10, 60 - 10 * (day * 4 / std::max(1, o_.days)));
            if (uniform(0, 3) == 0) v.note = pick_note(crisis, nausea);
            // Written at the bedside, as its scores are: no visit reads as documented late.
            const auto visit_id = obs_.add_visit(v, nurse_, visit_at);
            const double decline = static_cast<double>(day) / o_.days;
            score(p.id, visit_id, Symptom::pain, 2 + 2 * decline + 6 * crisis, Reporter::patient,
                  visit_at);
            score(p.id, visit_id, Symptom::appetite, 2 + 3 * decline + 3 * nausea,
                  Reporter::patient, visit_at);
            score(p.id, visit_id, Symptom::nausea, 1 + 6 * nausea, Reporter::patient, visit_at);
            score(p.id, visit_id, Symptom::anxiety, 2 + 2 * crisis, Reporter::patient, visit_at);
            score(p.id, visit_id, Symptom::breathing, 1 + 3 * decline, Reporter::patient, visit_at);
            if (v.pps) obs_.add_pps(p.id, visit_id, *v.pps, visit_at, nurse_, end);
            // Anxiety at night, seen by the family.
            const auto night = resolve_local(zone, date::local_seconds{local_day} + hours{22} +
                                                       minutes{uniform(0, 90)});
            if (night < end && uniform(0, 2) == 0) {
                Score c;
                c.patient_id = p.id;
                c.symptom = Symptom::anxiety;
                c.value = clamp(3 + 2 * decline + 2 * crisis + noise());
                c.reporter = Reporter::caregiver;
                c.observed_at = night;
                c.note = c.value >= 7 ? "Restless, calling out at night." : "";
                c.author_id = index == 0 ? family_ : nurse_;
                obs_.add_score(c, end);
            }
            // PRN doses: more in the crisis.
            const int prn_count =
                std::max(0, static_cast<int>(std::lround(crisis * 4 + noise() * 0.7)));
            for (int k = 0; k < prn_count; ++k)
                prn_dose(p.id, prn_pain,
                         resolve_local(zone, date::local_seconds{local_day} + hours{7 + k * 4} +
                                                 minutes{uniform(0, 120)}),
                         end);
            if (uniform(0, 4) == 0) prn_dose(p.id, prn_anxiety, night + minutes{10}, end);
        }
        return p.id;
    }

  private:
    template <std::size_t N> const char* pick(const char* const (&a)[N]) {
        return a[static_cast<std::size_t>(uniform(0, static_cast<int>(N) - 1))];
    }
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    double noise() { return std::normal_distribution<double>(0.0, 0.45)(rng_); }
    static int clamp(double v) { return std::clamp(static_cast<int>(std::lround(v)), 0, 10); }

    std::string pick_note(double crisis, double nausea) {
        if (crisis > 0.5)
            return "Pain worse overnight, breakthrough doses used. Discussed dose increase with "
                   "GP.";
        if (nausea > 0)
            return "Nauseous since the new opioid; ondansetron suggested. Eating little.";
        constexpr const char* notes[] = {
            "Comfortable, sitting out in the chair.", "Slept poorly; daughter staying over.",
            "Mouth care done. Family coping well.", "Drowsy in the afternoon, settled."};
        return pick(notes);
    }

    void score(std::int64_t pid, std::int64_t visit, Symptom s, double level, Reporter r,
               Instant at) {
        Score sc;
        sc.patient_id = pid;
        sc.visit_id = visit;
        sc.symptom = s;
        sc.value = clamp(level + noise());
        sc.reporter = r;
        sc.observed_at = at;
        sc.author_id = nurse_;
        obs_.add_score(sc, at);
    }

    void scheduled_dose(std::int64_t pid, const Medication& m, const ScheduledDose& d) {
        const int roll = uniform(0, 99);
        if (roll < 4) return; // missed
        Administration a;
        a.patient_id = pid;
        a.medication_id = m.id;
        a.recorded_by = "nurse";
        a.given_at = d.due + minutes{uniform(-15, 20)};
        if (roll < 7) {
            a.status = DoseStatus::held;
            a.reason = "Asleep, family asked not to wake";
        } else if (roll < 9) {
            a.status = DoseStatus::refused;
            a.reason = "Nauseous, could not swallow";
        } else if (roll < 15) {
            a.given_at = d.due + d.window + minutes{uniform(5, 60)}; // late
        } else if (roll < 16) {
            a.given_at = d.due - d.window - minutes{uniform(5, 30)}; // early
        }
        meds_.add_administration(a, nurse_, a.given_at);
    }

    void prn_dose(std::int64_t pid, const Medication& m, Instant at, Instant end) {
        if (at >= end) return;
        Administration a;
        a.patient_id = pid;
        a.medication_id = m.id;
        a.given_at = at;
        a.recorded_by = "nurse";
        meds_.add_administration(a, nurse_, at);
    }

    store::Database& db_;
    DemoOptions o_;
    std::mt19937_64 rng_;
    std::int64_t nurse_, family_;
    store::ObservationRepository obs_;
    store::MedicationRepository meds_;
};

} // namespace

std::vector<DemoAccount> create_demo(const std::filesystem::path& path, const DemoOptions& o) {
    if (o.patients < 1 || o.patients > 1000)
        throw ValidationError(
            fmt::format("--patients {} is out of range: use 1 to 1000.", o.patients));
    if (o.days < 1 || o.days > 3650)
        throw ValidationError(fmt::format("--days {} is out of range: use 1 to 3650.", o.days));
    store::Database db(path, store::Database::Mode::create_new);
    const std::vector<DemoAccount> accounts{{"nurse", "solace-nurse", "nurse (admin)"},
                                            {"nurse2", "solace-nurse2", "nurse"},
                                            {"family", "solace-family", "family of P0001"}};
    store::AccountRepository repo(db);
    store::Transaction tx(db);
    const auto now = now_utc();
    const auto nurse = repo.add(
        {0, "nurse", Role::nurse, true, false, hash_password("solace-nurse"), {}}, to_epoch(now));
    repo.add({0, "nurse2", Role::nurse, false, false, hash_password("solace-nurse2"), {}},
             to_epoch(now));
    // The family account is linked once its patient exists.
    const auto family =
        repo.add({0, "family", Role::family, false, false, hash_password("solace-family"), {}},
                 to_epoch(now));
    Generator gen(db, o, nurse, family);
    for (int i = 0; i < o.patients; ++i) {
        const auto pid = gen.patient(i, now);
        if (i == 0) repo.link(family, pid);
    }
    Session(db, *repo.find("nurse"))
        .audit("demo", std::nullopt,
               fmt::format("demo database: {} patients over {} days", o.patients, o.days));
    tx.commit();
    return accounts;
}

} // namespace solace::app
