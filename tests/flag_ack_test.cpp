// An acknowledgement stays attached when the score it was about is corrected (DESIGN §3), and
// on every laptop: flags name their rows by UUID (DESIGN §7).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "app/clinic.hpp"
#include "app/snapshot.hpp"
#include "entries.hpp"
#include "store/account_repository.hpp"
#include "store/flag_repository.hpp"
#include "store/identity.hpp"
#include "store/observation_repository.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;
using solace::store::Database;

namespace {

// One patient with a severe pain score two hours ago, signed in as a nurse.
struct SevereScore {
    test::TempDir dir;
    Database db{dir / "solace.db", Database::Mode::create_new};
    app::Session nurse = [this] {
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-password"), {}},
                     0);
        return app::Session(db, *accounts.find("ann"));
    }();
    Instant now = date::floor<std::chrono::seconds>(now_utc());
    Patient patient = [this] {
        Patient p;
        p.mrn = "P1";
        p.name = "Margaret Okafor";
        p.date_of_birth = date::year{1944} / 5 / 17;
        p.time_zone = "Europe/London";
        app::add_patient(nurse, p);
        app::VisitEntry v;
        v.mrn = "P1";
        v.at = now - 2h;
        v.reporter = Reporter::patient;
        v.scores.push_back({Symptom::pain, 9, ""});
        app::record_visit(nurse, v, v.at);
        return nurse.patient("P1");
    }();
};

} // namespace

TEST_CASE_METHOD(SevereScore,
                 "A flag acknowledged before its score was corrected stays acknowledged",
                 "[flags]") {
    auto flags = app::patient_flags(nurse, patient, now - 24h, now);
    REQUIRE(flags.size() == 1);
    const auto id = flags[0].id;
    app::acknowledge_flag(nurse, id, "GP called", now);

    // Typed 9, meant 8: still severe, the same flag, still acknowledged; twice over.
    const auto first = store::ObservationRepository(db).scores(patient.id, now - 24h, now).at(0).id;
    const auto second = app::correct_score(nurse, first, 8, "typed 9, meant 8");
    app::correct_score(nurse, second, 7, "meant 7");
    flags = app::patient_flags(nurse, patient, now - 24h, now);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].id == id);
    CHECK(flags[0].acknowledged);
    CHECK(flags[0].acknowledgement_note == "GP called");

    const auto history = app::patient_history(nurse, "P1", now, app::HistoryRange::week);
    REQUIRE(history.entries.size() == 1);
    CHECK(history.entries[0].score.value == 7);
    CHECK(history.entries[0].flag);
    CHECK(history.entries[0].flag_acknowledged);
}

TEST_CASE_METHOD(SevereScore,
                 "A flag names its score by the score's UUID, the same on every laptop",
                 "[flags]") {
    const auto score = store::ObservationRepository(db).scores(patient.id, now - 24h, now).at(0);
    REQUIRE(store::is_uuid(score.uuid));
    const auto flags = app::patient_flags(nurse, patient, now - 24h, now);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].id == "symptom.severe/P1/s" + score.uuid);
    // Corrected, it keeps the first score's UUID.
    const auto corrected = app::correct_score(nurse, score.id, 8, "typed 9, meant 8");
    const auto after = app::patient_flags(nurse, patient, now - 24h, now);
    REQUIRE(after.size() == 1);
    CHECK(after[0].id == flags[0].id);
    CHECK(store::ObservationRepository(db).score(corrected)->uuid != score.uuid);
}

TEST_CASE_METHOD(SevereScore,
                 "An acknowledgement recorded under the score's local id still counts after the "
                 "upgrade",
                 "[flags]") {
    // Flag ids named local row ids before they named UUIDs: such a row is in older files.
    const auto score = store::ObservationRepository(db).scores(patient.id, now - 24h, now).at(0);
    const auto old_id = fmt::format("symptom.severe/P1/s{}", score.id);
    {
        store::Transaction tx(db);
        REQUIRE(store::FlagRepository(db).acknowledge(old_id, patient.id, nurse.account().id,
                                                      now - 1h, "seen at the visit"));
        tx.commit();
    }
    const auto flags = app::patient_flags(nurse, patient, now - 24h, now);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].id == "symptom.severe/P1/s" + score.uuid);
    CHECK(flags[0].acknowledged);
    CHECK(flags[0].acknowledgement_note == "seen at the visit");
    CHECK_THROWS_WITH(app::acknowledge_flag(nurse, flags[0].id, "again", now),
                      Catch::Contains("already acknowledged by ann"));
    const auto history = app::patient_history(nurse, "P1", now, app::HistoryRange::week);
    REQUIRE(history.entries.size() == 1);
    CHECK(history.entries[0].flag_acknowledged);
}
