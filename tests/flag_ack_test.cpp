// An acknowledgement stays attached when the score it was about is corrected (DESIGN §3).
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/snapshot.hpp"
#include "entries.hpp"
#include "store/account_repository.hpp"
#include "store/observation_repository.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;
using solace::store::Database;

TEST_CASE("A flag acknowledged before its score was corrected stays acknowledged", "[flags]") {
    test::TempDir dir;
    Database db(dir / "solace.db", Database::Mode::create_new);
    store::AccountRepository accounts(db);
    accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-password"), {}}, 0);
    const app::Session nurse(db, *accounts.find("ann"));
    Patient p;
    p.mrn = "P1";
    p.name = "Margaret Okafor";
    p.date_of_birth = date::year{1944} / 5 / 17;
    p.time_zone = "Europe/London";
    app::add_patient(nurse, p);
    const auto now = date::floor<std::chrono::seconds>(now_utc());
    app::VisitEntry v;
    v.mrn = "P1";
    v.at = now - 2h;
    v.reporter = Reporter::patient;
    v.scores.push_back({Symptom::pain, 9, ""});
    app::record_visit(nurse, v, v.at);
    const auto patient = nurse.patient("P1");
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
