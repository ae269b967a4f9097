// Two corrections of one row, made on two laptops offline (DESIGN §4, §7; schema 12): both are
// kept, the one recorded later is in force, history shows both. The second arrives as a pull
// would write it (sync::RowWriter). On one laptop a corrected row still cannot be corrected.
#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "app/doses.hpp"
#include "app/medications.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"
#include "store/medication_repository.hpp"
#include "store/migrations.hpp"
#include "store/observation_repository.hpp"
#include "support.hpp"
#include "sync/rows.hpp"

using namespace solace;
using namespace std::chrono_literals;
using solace::store::Database;
using solace::test::utc;

namespace {

// Laptop B, as its rows reach this laptop.
constexpr const char* laptop_b = "01890000-0000-7000-8000-0000000000bb";

// Nurse ann on this laptop, patient P1 in London with senna daily.
struct Laptop {
    test::TempDir dir;
    Database db{dir / "solace.db", Database::Mode::create_new};
    app::Session nurse = account();
    const Instant now = utc(2026, 7, 2, 20);
    Patient patient;

    Laptop() {
        Patient p;
        p.mrn = "P1";
        p.name = "Margaret Okafor";
        p.date_of_birth = date::year{1944} / 5 / 17;
        p.time_zone = "Europe/London";
        app::add_patient(nurse, p);
        Medication m;
        m.key = "senna";
        m.name = "Senna";
        m.schedule_text = "daily";
        m.start = utc(2026, 1, 1);
        app::add_medication(nurse, "P1", m);
        patient = nurse.patient("P1");
    }

    app::Session account() {
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-password"), {}},
                     0);
        return app::Session(db, *accounts.find("ann"));
    }

    std::string uuid_of(const std::string& table, std::int64_t id) {
        store::Statement s(db, "SELECT uuid FROM " + table + " WHERE id = ?");
        s.bind(1, id);
        REQUIRE(s.step());
        return s.text(0);
    }

    // Stores one row as a pull from the agency server does.
    void pull(const std::string& table, const nlohmann::json& row, std::int64_t counter) {
        store::Transaction tx(db);
        db.lift_bulk_guards();
        sync::RowWriter writer(db);
        CHECK(writer.store({row["uuid"], laptop_b, counter, table, row}));
        tx.commit();
    }
};

std::vector<int> values(const std::vector<Score>& scores) {
    std::vector<int> out;
    for (const auto& s : scores)
        out.push_back(s.value);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("Two corrections of one score from two laptops: both kept, the later recorded in force",
          "[two-corrections]") {
    Laptop l;
    const auto observed = utc(2026, 7, 2, 18);
    Score first;
    first.patient_id = l.patient.id;
    first.symptom = Symptom::pain;
    first.value = 6;
    first.reporter = Reporter::patient;
    first.observed_at = observed;
    first.author_id = l.nurse.account().id;
    const auto first_id = store::ObservationRepository(l.db).add_score(first, observed);
    // Here, ann corrects 6 to 3 at 19:00; on laptop B, offline, bea corrected 6 to 8.
    const auto ann_id =
        app::correct_score(l.nurse, first_id, 3, "typed 6, meant 3", utc(2026, 7, 2, 19));
    const auto b_recorded_at = GENERATE(utc(2026, 7, 2, 18, 30), utc(2026, 7, 2, 19, 30));
    const bool b_later = b_recorded_at > utc(2026, 7, 2, 19);
    INFO("laptop B's correction recorded " << (b_later ? "later" : "earlier"));
    l.pull("observation",
           {{"uuid", store::new_uuid()},
            {"patient_id", l.patient.uuid},
            {"visit_id", nullptr},
            {"item", "pain"},
            {"value", 8},
            {"reporter", "patient"},
            {"observed_at", to_epoch(observed)},
            {"note", ""},
            {"author_id", "bea"},
            {"recorded_at", to_epoch(b_recorded_at)},
            {"supersedes", l.uuid_of("observation", first_id)},
            {"correction_reason", "asked again: 8"}},
           1);
    const int in_force = b_later ? 8 : 3;

    store::ObservationRepository obs(l.db);
    const auto current = obs.scores(l.patient.id, observed - 1h, l.now);
    REQUIRE(current.size() == 1);
    CHECK(current[0].value == in_force);
    CHECK(values(obs.replaced_scores(l.patient.id, observed - 1h, l.now)) ==
          (b_later ? std::vector<int>{3, 6} : std::vector<int>{6, 8}));

    // Flags are judged on the one in force: pain 8 is severe, 3 is not.
    const auto flags = app::patient_flags(l.nurse, l.patient, observed - 1h, l.now);
    const bool severe = std::any_of(flags.begin(), flags.end(),
                                    [](const Flag& f) { return f.rule == "symptom.severe"; });
    CHECK(severe == b_later);

    // History: one pain entry, the one in force, with both the other correction and the
    // original beside it.
    const auto history = app::patient_history(l.nurse, "P1", l.now, app::HistoryRange::week);
    REQUIRE(history.entries.size() == 1);
    CHECK(history.entries[0].score.value == in_force);
    CHECK(values(history.entries[0].replaced) ==
          (b_later ? std::vector<int>{3, 6} : std::vector<int>{6, 8}));
    CHECK(history.entries[0].replaced.back().value == 6); // the first score stays last

    // Here, the nurse corrects the one in force; the others are refused, saying why.
    CHECK_THROWS_WITH(app::correct_score(l.nurse, first_id, 4, "again", l.now),
                      Catch::Contains("already corrected"));
    const auto winner = current[0].id;
    // The correction outranked: ann's own here, or the one pulled from B.
    for (const auto& r : obs.replaced_scores(l.patient.id, observed - 1h, l.now)) {
        if (!r.supersedes) continue;
        CHECK(r.id == (b_later ? ann_id : r.id));
        CHECK(r.value == (b_later ? 3 : 8));
        CHECK_THROWS_WITH(app::correct_score(l.nurse, r.id, 4, "again", l.now),
                          Catch::Contains("already corrected"));
    }
    CHECK_NOTHROW(app::correct_score(l.nurse, winner, 5, "settled at 5", l.now));
    const auto after = obs.scores(l.patient.id, observed - 1h, l.now + 1h);
    REQUIRE(after.size() == 1);
    CHECK(after[0].value == 5);
}

TEST_CASE("Two corrections of one dose record from two laptops: the later recorded is the dose",
          "[two-corrections]") {
    Laptop l;
    // Senna recorded as given at 12:00 BST (late); ann here corrects the time to 08:00.
    app::DoseEntry d{"P1", "senna", utc(2026, 7, 1, 11), DoseStatus::given, "", ""};
    d.uuid = store::new_uuid();
    app::record_dose(l.nurse, d, utc(2026, 7, 1, 11));
    const auto ann_uuid = app::correct_dose(
        l.nurse, {d.uuid, "given at 08:00, typed 12:00", {}, false, utc(2026, 7, 1, 7)},
        utc(2026, 7, 1, 12));
    // On laptop B, offline, bea corrected the same record: it was held, not given.
    const auto b_recorded_at = GENERATE(utc(2026, 7, 1, 11, 30), utc(2026, 7, 1, 12, 30));
    const bool b_later = b_recorded_at > utc(2026, 7, 1, 12);
    INFO("laptop B's correction recorded " << (b_later ? "later" : "earlier"));
    const auto med = store::MedicationRepository(l.db).list(l.patient.id).at(0);
    const auto b_uuid = store::new_uuid();
    l.pull("administration",
           {{"uuid", b_uuid},
            {"patient_id", l.patient.uuid},
            {"medication_id", med.uuid},
            {"given_at", to_epoch(utc(2026, 7, 1, 11))},
            {"status", "held"},
            {"reason", "asleep"},
            {"recorded_by", ""},
            {"reporter", "nurse"},
            {"author_id", "bea"},
            {"recorded_at", to_epoch(b_recorded_at)},
            {"supersedes", d.uuid},
            {"correction_reason", "was held, not given"}},
           1);

    store::MedicationRepository meds(l.db);
    const auto doses = meds.administrations(l.patient.id, utc(2026, 6, 30), l.now);
    REQUIRE(doses.size() == 1);
    CHECK(doses[0].uuid == (b_later ? b_uuid : ann_uuid));
    CHECK(doses[0].status == (b_later ? DoseStatus::held : DoseStatus::given));
    // Both corrections are listed with the day's changes.
    CHECK(meds.dose_changes(l.patient.id, utc(2026, 6, 30), l.now).size() == 2);
    // The loser and the original are no longer doses in force: correcting them is refused.
    CHECK(meds.administration(b_later ? ann_uuid : b_uuid)->superseded);
    CHECK_THROWS_WITH(app::correct_dose(l.nurse, {d.uuid, "again", DoseStatus::refused}, l.now),
                      Catch::Contains("already corrected"));
    CHECK_THROWS_WITH(app::correct_dose(l.nurse,
                                        {b_later ? ann_uuid : b_uuid, "again", DoseStatus::refused},
                                        l.now),
                      Catch::Contains("already corrected"));

    // The MAR of 1 July shows the dose in force.
    const auto mar =
        app::medications_picture(l.nurse, "P1", l.now, date::local_days{date::year{2026} / 7 / 1});
    REQUIRE(mar.doses.size() == 1);
    REQUIRE(mar.doses[0].record);
    CHECK(mar.doses[0].record->uuid == (b_later ? b_uuid : ann_uuid));
    CHECK(app::dose_state(mar.doses[0], mar.judged_at) ==
          (b_later ? app::DoseState::held : app::DoseState::given_on_time));
    CHECK(mar.changes.size() == 2);
}

TEST_CASE("A database made by the release before schema 12 upgrades in place, keeping its "
          "corrections, and then holds two corrections of one score",
          "[two-corrections]") {
    test::TempDir dir;
    const auto path = dir / "old.db";
    const auto all = store::shipped_migrations();
    REQUIRE(all.back().version == 12);
    {
        Database old(path, Database::Mode::create_new, all.first(all.size() - 1));
        REQUIRE(old.schema_version() == 11);
        store::AccountRepository(old).add(
            {0, "ann", Role::nurse, true, false, test::password_hash("ann-password"), {}}, 0);
        app::Session ann(old, *store::AccountRepository(old).find("ann"));
        Patient p;
        p.mrn = "P1";
        p.name = "Margaret Okafor";
        p.date_of_birth = date::year{1944} / 5 / 17;
        p.time_zone = "Europe/London";
        app::add_patient(ann, p);
        Score sc;
        sc.patient_id = ann.patient("P1").id;
        sc.symptom = Symptom::pain;
        sc.value = 6;
        sc.reporter = Reporter::patient;
        sc.observed_at = utc(2026, 7, 2, 18);
        sc.author_id = ann.account().id;
        const auto id = store::ObservationRepository(old).add_score(sc, utc(2026, 7, 2, 18));
        app::correct_score(ann, id, 3, "typed 6, meant 3", utc(2026, 7, 2, 19));
        // The release before refuses a second correction of one score in the database itself.
        CHECK_THROWS(old.exec("INSERT INTO observation (patient_id, item, value, reporter, "
                              "observed_at, author_id, recorded_at, supersedes, "
                              "correction_reason, uuid, device, counter) SELECT patient_id, item, "
                              "8, reporter, observed_at, author_id, recorded_at + 60, "
                              "supersedes, 'x', '01890000-0000-7000-8000-000000000001', device, "
                              "counter + 100 FROM observation WHERE supersedes IS NOT NULL"));
    }
    Database db(path, Database::Mode::open_existing);
    CHECK(db.schema_version() == 12);
    CHECK_FALSE(db.schema_problem());
    const auto ann = app::Session(db, *store::AccountRepository(db).find("ann"));
    store::ObservationRepository obs(db);
    const auto pid = ann.patient("P1").id;
    auto current = obs.scores(pid, utc(2026, 7, 2), utc(2026, 7, 3));
    REQUIRE(current.size() == 1);
    CHECK(current[0].value == 3);
    db.exec("INSERT INTO observation (patient_id, item, value, reporter, observed_at, author_id, "
            "recorded_at, supersedes, correction_reason, uuid, device, counter) SELECT "
            "patient_id, item, 8, reporter, observed_at, author_id, recorded_at + 60, supersedes, "
            "'x', '01890000-0000-7000-8000-000000000001', device, counter + 100 FROM observation "
            "WHERE supersedes IS NOT NULL");
    current = obs.scores(pid, utc(2026, 7, 2), utc(2026, 7, 3));
    REQUIRE(current.size() == 1);
    CHECK(current[0].value == 8);
    // The guard against INSERT OR REPLACE still holds.
    CHECK_THROWS(db.exec("INSERT OR REPLACE INTO observation SELECT * FROM observation LIMIT 1"));
}
