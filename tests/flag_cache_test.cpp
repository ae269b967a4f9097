// The flag cache (issue 16) gives exactly what a full evaluation gives: a randomised history
// of scores, corrections, late documentation, doses (given, held, refused, corrected),
// medication versions, comfort goals, acknowledgements and a changed threshold, for patients
// in zones that change their clocks during the run, compared after every small change and
// every step of time, with writes from this connection and from another.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "app/flag_cache.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "clinical/schedule.hpp"
#include "store/account_repository.hpp"
#include "store/bowel_movement_repository.hpp"
#include "store/database.hpp"
#include "store/flag_repository.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"

using namespace solace;
using solace::test::utc;

namespace {

constexpr const char* nurse_password = "cache-password";

struct Agency {
    solace::test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    store::Database db{path, store::Database::Mode::create_new};
    store::Database other{path, store::Database::Mode::open_existing}; // another laptop's writes
    std::int64_t nurse_id = 0;
    std::optional<app::Session> session;
    std::vector<Patient> patients;
    std::mt19937 rng{20261201};
    Instant now = utc(2026, 3, 6, 12);

    Agency() {
        // Thousands of single-row commits: the test does not need them on the disk.
        db.exec("PRAGMA synchronous=OFF");
        other.exec("PRAGMA synchronous=OFF");
        store::AccountRepository accounts(db);
        nurse_id = accounts.add(
            {0, "ann", Role::nurse, true, false, solace::test::password_hash(nurse_password), {}},
            to_epoch(now));
        session.emplace(db, *accounts.find("ann"));
        // Clocks go forward on 8 March in New York and 29 March in London and Berlin; Sydney's
        // go back on 5 April.
        const char* zones[] = {"America/New_York", "Europe/London", "Europe/Berlin",
                               "Australia/Sydney"};
        for (int i = 0; i < 4; ++i) {
            Patient p;
            p.mrn = fmt::format("C{}", i + 1);
            p.name = fmt::format("Patient {}", i + 1);
            p.date_of_birth = date::year{1940 + i} / 3 / 1;
            p.time_zone = zones[i];
            p.id = store::PatientRepository(db).add(p, nurse_id, now);
            patients.push_back(p);
            medication(p, "morphine-sr", "Morphine sulfate SR", "08:00,20:00", "pain", true);
            medication(p, "haloperidol", "Haloperidol", i % 2 ? "q4h@06:00" : "tid", "nausea",
                       false);
            medication(p, "oxy-ir", "Oxycodone IR", "prn q1h max 4", "pain", false);
            medication(p, "lorazepam", "Lorazepam", "prn q30m max 2", "anxiety", false);
        }
        // Three weeks of history before the run starts.
        const Instant start = now;
        for (now = start - date::days{21}; now < start; now += std::chrono::hours{3})
            for (const auto& p : patients) {
                score(p, now);
                dose(p, now);
            }
        // A bowel movement two days before the run: bowel.none comes with time alone.
        now = start - date::days{2};
        for (const auto& p : patients)
            bowel_movement(p);
        now = start;
    }

    store::Database& writer() { return pick(2) ? other : db; }
    bool pick(int one_in) { return std::uniform_int_distribution<int>(1, one_in)(rng) == 1; }
    int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
    const Patient& any_patient() { return patients[std::size_t(between(0, 3))]; }

    void medication(const Patient& p, const std::string& key, const std::string& name,
                    const std::string& schedule, const std::string& indication, bool critical,
                    std::optional<std::int64_t> supersedes = std::nullopt,
                    std::optional<Instant> start = std::nullopt) {
        Medication m;
        m.patient_id = p.id;
        m.key = key;
        m.name = name;
        m.dose = "5 mg";
        m.route = "oral";
        m.schedule_text = schedule;
        m.schedule = clinical::parse_schedule(schedule);
        m.time_critical = critical;
        m.indication = indication;
        m.start = start.value_or(now - date::days{30});
        store::MedicationRepository(writer()).add(m, nurse_id, now, supersedes,
                                                  supersedes ? "dose changed" : "");
    }

    // A score observed up to `late` before it is recorded (late documentation), sometimes by
    // a caregiver, sometimes a few minutes ahead of the clock.
    void score(const Patient& p, Instant at, std::chrono::minutes late = {}) {
        Score s;
        s.patient_id = p.id;
        const auto& symptoms = all_symptoms();
        s.symptom =
            symptoms[std::size_t(between(0, pick(3) ? int(symptoms.size()) - 1 : 4))].symptom;
        s.value = between(0, 10);
        s.reporter = pick(4) ? Reporter::caregiver : Reporter::patient;
        s.observed_at = at - late;
        s.author_id = nurse_id;
        store::ObservationRepository(writer()).add_score(s, at);
    }

    void correct_a_score(const Patient& p) {
        auto recent = store::ObservationRepository(db).scores(p.id, now - date::days{10}, now);
        if (recent.empty()) return;
        auto s = recent[std::size_t(between(0, int(recent.size()) - 1))];
        s.supersedes = s.id;
        s.value = between(0, 10);
        s.uuid.clear(); // a correction is a new row, with its own id
        s.correction_reason = "typed the wrong value";
        store::ObservationRepository(writer()).add_score(s, now);
    }

    void dose(const Patient& p, Instant at) {
        auto meds = store::MedicationRepository(db).list(p.id);
        if (meds.empty()) return;
        const auto& m = meds[std::size_t(between(0, int(meds.size()) - 1))];
        Administration a;
        a.patient_id = p.id;
        a.medication_id = m.id;
        a.given_at = at - std::chrono::minutes{between(0, 90)};
        const int status = between(0, 9);
        a.status = status == 0   ? DoseStatus::held
                   : status == 1 ? DoseStatus::refused
                                 : DoseStatus::given;
        if (a.status != DoseStatus::given) a.reason = "asleep";
        a.recorded_by = "ann";
        store::MedicationRepository(writer()).add_administration(a, nurse_id, at);
    }

    void correct_a_dose(const Patient& p) {
        auto recent =
            store::MedicationRepository(db).administrations(p.id, now - date::days{3}, now);
        if (recent.empty()) return;
        auto a = recent[std::size_t(between(0, int(recent.size()) - 1))];
        a.supersedes = a.id;
        a.uuid.clear(); // a correction is a new row, with its own id
        a.given_at += std::chrono::minutes{between(-120, 120)};
        a.correction_reason = "wrong time";
        store::MedicationRepository(writer()).add_administration(a, nurse_id, now);
    }

    void new_version(const Patient& p) {
        auto meds = store::MedicationRepository(db).list(p.id);
        const auto& m = meds[std::size_t(between(0, int(meds.size()) - 1))];
        if (is_prn(m.schedule)) return;
        const char* schedules[] = {"bid", "tid", "qid", "daily", "08:00,20:00", "q6h@02:00"};
        medication(p, m.key, m.name, schedules[between(0, 5)], m.indication, m.time_critical, m.id,
                   now - std::chrono::hours{between(0, 48)});
    }

    // Told at a visit, up to three days back: bowel.none starts counting from it.
    void bowel_movement(const Patient& p) {
        BowelMovement b;
        b.patient_id = p.id;
        b.occurred_at = now - std::chrono::hours{between(0, 72)};
        b.bristol_type = between(1, 7);
        b.reporter = Reporter::caregiver;
        store::BowelMovementRepository(writer()).add(b, nurse_id, now);
    }

    void goal(const Patient& p) {
        ComfortGoal g{p.id, all_symptoms()[std::size_t(between(0, 4))].symptom, between(2, 6),
                      now - std::chrono::hours{between(0, 72)}};
        store::ObservationRepository(writer()).add_goal(g, nurse_id, now);
    }

    // A row from weeks before, as another laptop's pull or an import brings: a score (severe
    // now and then: an open flag before the week) or a dose (a missed dose found given).
    void old_row(const Patient& p) {
        const Instant at =
            now - date::days{between(8, 40)} - std::chrono::minutes{between(0, 1439)};
        if (pick(2))
            score(p, at);
        else
            dose(p, at);
    }

    void acknowledge(const Patient& p) {
        const auto flags = app::patient_flags(*session, p, now - date::days{7}, now);
        if (flags.empty()) return;
        const auto& f = flags[std::size_t(between(0, int(flags.size()) - 1))];
        store::FlagRepository(writer()).acknowledge(f.id, p.id, nurse_id, now, "seen");
    }

    void change_threshold() {
        writer().exec(fmt::format("INSERT INTO setting (key, value) VALUES ('severe_score', {}) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                  between(6, 8)));
    }

    void one_change() {
        const auto& p = any_patient();
        switch (between(0, 11)) {
        case 0:
        case 1:
        case 2:
            score(p, now);
            break;
        case 3:
            score(p, now, std::chrono::minutes{between(60, 72 * 60)}); // documented late
            break;
        case 4:
            score(p, now, -std::chrono::minutes{between(1, 5)}); // a few minutes ahead
            break;
        case 5:
            correct_a_score(p);
            break;
        case 6:
        case 7:
            dose(p, now);
            break;
        case 8:
            correct_a_dose(p);
            break;
        case 9:
            if (pick(4))
                new_version(p);
            else if (pick(2))
                goal(p);
            else
                bowel_movement(p);
            break;
        case 10:
            acknowledge(p);
            break;
        case 11:
            if (pick(8)) change_threshold();
            break;
        }
    }

    void step_time() {
        using namespace std::chrono;
        switch (between(0, 9)) {
        case 0:
            now += hours{between(1, 48)};
            break;
        case 1:
        case 2:
            now += seconds{between(1, 120)};
            break;
        default:
            now += minutes{between(1, 40)};
        }
    }
};

} // namespace

TEST_CASE("Cached flags equal a full evaluation after every change and every step of time",
          "[flag_cache]") {
    Agency a;
    app::FlagCache cache;
    int compared = 0, differing = 0;
    for (int step = 0; step < 300; ++step) {
        if (a.pick(2)) a.one_change();
        a.step_time();
        for (const auto& p : a.patients) {
            const auto from = a.now - date::days{7};
            const auto full = app::patient_flags(*a.session, p, from, a.now);
            const auto cached = cache.flags(*a.session, p, from, a.now);
            ++compared;
            if (cached != full) {
                ++differing;
                INFO("step " << step << ", " << p.mrn << " at " << format_utc(a.now));
                CHECK(cached.size() == full.size());
                for (std::size_t i = 0; i < std::min(cached.size(), full.size()); ++i)
                    CHECK(cached[i].id + " " + cached[i].detail ==
                          full[i].id + " " + full[i].detail);
            }
        }
    }
    CHECK(differing == 0);
    // The run ends after the DST changes, and the cache did reuse flags (not a full
    // evaluation in disguise) while also evaluating again after changes and time.
    CHECK(a.now > utc(2026, 4, 6));
    INFO("evaluated " << cache.counts().evaluated << ", reused " << cache.counts().reused);
    CHECK(cache.counts().reused > std::size_t(compared) / 3);
    CHECK(cache.counts().evaluated > 200);
}

TEST_CASE("The patient list is the same with and without the cache", "[flag_cache]") {
    Agency a;
    app::FlagCache cache;
    for (int step = 0; step < 60; ++step) {
        a.one_change();
        a.step_time();
        const auto full = app::patient_list(*a.session, a.now);
        const auto cached = app::patient_list(*a.session, a.now, 7, &cache);
        REQUIRE(full.patients.size() == cached.patients.size());
        for (std::size_t i = 0; i < full.patients.size(); ++i) {
            const auto& f = full.patients[i];
            const auto& c = cached.patients[i];
            CHECK(f.open_flags == c.open_flags);
            CHECK(f.worst == c.worst);
            CHECK(f.escalated == c.escalated);
            for (int k = 0; k < 3; ++k)
                CHECK(f.open_by_severity[k] == c.open_by_severity[k]);
        }
    }
}

TEST_CASE("A dose window closing changes cached flags at the second it closes", "[flag_cache]") {
    Agency a;
    app::FlagCache cache;
    const auto& p = a.patients[1];           // London; morphine 08:00 and 20:00, ±30 min
    const Instant due = utc(2026, 3, 7, 20); // London is on UTC until 29 March
    const auto flags_at = [&](Instant t) {
        return cache.flags(*a.session, p, t - date::days{7}, t);
    };
    const auto missed = [&](const std::vector<Flag>& flags) {
        return std::count_if(flags.begin(), flags.end(), [&](const Flag& f) {
            return f.rule == "dose.missed" && f.at == due && f.med == "morphine-sr";
        });
    };
    // Nothing recorded after the history ends (6 March, 12:00): the 20:00 dose of 7 March is
    // missed once 20:30 has passed, not before.
    CHECK(missed(flags_at(due)) == 0);
    CHECK(missed(flags_at(due + std::chrono::minutes{30})) == 0);
    CHECK(missed(flags_at(due + std::chrono::minutes{30} + std::chrono::seconds{1})) == 1);
    CHECK(cache.counts().reused >= 1);
}

TEST_CASE("Flags that come with time alone change cached flags at their second", "[flag_cache]") {
    Agency a;
    app::FlagCache cache;
    const auto& p = a.patients[1]; // London, on UTC until 29 March
    const auto flags_at = [&](Instant t) {
        return cache.flags(*a.session, p, t - date::days{7}, t);
    };
    const auto count = [](const std::vector<Flag>& flags, auto&& which) {
        return std::count_if(flags.begin(), flags.end(), which);
    };
    using std::chrono::minutes;
    using std::chrono::seconds;
    SECTION("an urgent missed dose is escalated 4 h after it was due") {
        // Nothing recorded after 6 March 12:00: 7 March's 08:00 morphine is missed at 08:30.
        const Instant due = utc(2026, 3, 7, 8);
        const auto escalated = [&](Instant t) {
            return count(flags_at(t), [&](const Flag& f) {
                return f.rule == "dose.missed" && f.at == due && f.escalated;
            });
        };
        CHECK(escalated(due + minutes{60}) == 0);
        CHECK(escalated(due + minutes{240} - seconds{1}) == 0);
        CHECK(escalated(due + minutes{240}) == 1);
        CHECK(flags_at(due + minutes{240}).front().escalated); // first in the list
    }
    SECTION("bowel.none at the second 72 h have passed") {
        const Instant last = a.now - std::chrono::hours{1};
        BowelMovement b;
        b.patient_id = p.id;
        b.occurred_at = last;
        store::BowelMovementRepository(a.db).add(b, a.nurse_id, a.now);
        const auto none = [&](Instant t) {
            return count(flags_at(t), [](const Flag& f) { return f.rule == "bowel.none"; });
        };
        CHECK(none(a.now) == 0);
        CHECK(none(last + std::chrono::hours{72} - seconds{1}) == 0);
        CHECK(none(last + std::chrono::hours{72}) == 1);
    }
    SECTION("prn.no_follow_up once 90 minutes have passed with no score") {
        const auto meds = store::MedicationRepository(a.db).list(p.id);
        const auto oxy = std::find_if(meds.begin(), meds.end(),
                                      [](const Medication& m) { return m.key == "oxy-ir"; });
        REQUIRE(oxy != meds.end());
        Administration d;
        d.patient_id = p.id;
        d.medication_id = oxy->id;
        d.given_at = a.now;
        d.recorded_by = "ann";
        const auto id = store::MedicationRepository(a.db).add_administration(d, a.nurse_id, a.now);
        store::Statement uuid(a.db, "SELECT uuid FROM administration WHERE id = ?1");
        uuid.bind(1, id);
        REQUIRE(uuid.step());
        const auto subject = "/a" + uuid.text(0); // flags name the dose by its UUID
        const auto no_follow_up = [&](Instant t) {
            return count(flags_at(t), [&](const Flag& f) {
                return f.rule == "prn.no_follow_up" && f.id.ends_with(subject);
            });
        };
        CHECK(no_follow_up(d.given_at + minutes{10}) == 0);
        CHECK(no_follow_up(d.given_at + minutes{90} - seconds{1}) == 0);
        CHECK(no_follow_up(d.given_at + minutes{90}) == 1);
    }
    CHECK(cache.counts().reused + cache.counts().evaluated >= 3);
}

TEST_CASE("Cached shown flags (the week and older open ones) equal a full evaluation as flags "
          "age out of the week and old ones are acknowledged",
          "[flag_cache][open_flags]") {
    Agency a;
    app::FlagCache cache;
    const auto key = [](std::vector<Flag> flags) {
        std::sort(flags.begin(), flags.end(),
                  [](const Flag& x, const Flag& y) { return x.id < y.id; });
        std::vector<std::string> out;
        for (const auto& f : flags)
            out.push_back(fmt::format("{} {} {} {}", f.id, f.acknowledged, f.escalated, f.detail));
        return out;
    };
    std::size_t older_open = 0, older_acknowledged = 0;
    for (int step = 0; step < 150; ++step) {
        if (a.pick(2)) a.one_change();
        if (a.pick(8)) a.old_row(a.any_patient());
        a.step_time();
        const auto from = a.now - date::days{7};
        for (const auto& p : a.patients) {
            const auto full = app::shown_flags(*a.session, p, from, a.now);
            INFO("step " << step << ", " << p.mrn << " at " << format_utc(a.now));
            CHECK(key(cache.shown_flags(*a.session, p, from, a.now)) == key(full));
            const auto older =
                std::count_if(full.begin(), full.end(), [&](const Flag& f) { return f.at < from; });
            older_open += std::size_t(older);
            // Now and then (one look in ten) an open flag from before the week is acknowledged.
            if (older == 0 || !a.pick(10)) continue;
            const auto f =
                std::find_if(full.begin(), full.end(), [&](const Flag& f) { return f.at < from; });
            store::FlagRepository(a.writer()).acknowledge(f->id, p.id, a.nurse_id, a.now, "old");
            ++older_acknowledged;
        }
    }
    INFO("older open " << older_open << ", acknowledged " << older_acknowledged);
    CHECK(older_open > 100);
    CHECK(older_acknowledged > 5);
    // The year before the week was not judged at every look.
    CHECK(cache.counts().older_evaluated < std::size_t(150 * 4) / 2);
}

TEST_CASE("A score saved now does not judge the year before the week again, a score from weeks "
          "before does, and both show",
          "[flag_cache][open_flags]") {
    using namespace std::chrono_literals;
    Agency a;
    app::FlagCache cache;
    const Patient& p = a.patients.front();
    const auto look = [&] {
        return cache.shown_flags(*a.session, p, a.now - date::days{7}, a.now);
    };
    const auto severe_pain = [&](Instant at) {
        Score s;
        s.patient_id = p.id;
        s.symptom = Symptom::pain;
        s.value = 9;
        s.reporter = Reporter::patient;
        s.observed_at = at;
        s.author_id = a.nurse_id;
        store::ObservationRepository(a.db).add_score(s, a.now);
    };
    const auto severe_at = [](const std::vector<Flag>& flags, Instant at) {
        return std::count_if(flags.begin(), flags.end(), [&](const Flag& f) {
            return f.rule == "symptom.severe" && f.at == at && !f.acknowledged;
        });
    };
    look();
    const auto judged = cache.counts().older_evaluated;
    a.now += 5min;
    severe_pain(a.now); // saved now
    auto shown = look();
    CHECK(severe_at(shown, a.now) == 1);
    CHECK(cache.counts().older_evaluated == judged);
    // Three weeks back, pulled from another laptop: an open flag before the week.
    a.now += 5min;
    const Instant weeks_ago = a.now - date::days{21} + 7min;
    severe_pain(weeks_ago);
    shown = look();
    CHECK(severe_at(shown, weeks_ago) == 1);
    CHECK(cache.counts().older_evaluated == judged + 1);
    CHECK(shown.size() == app::shown_flags(*a.session, p, a.now - date::days{7}, a.now).size());
}
