// The History's visit timeline (issue 11, item 4): each visit with when it happened and when it
// was written, who wrote it, its scores, PPS, note and the doses recorded around it, newest
// first; the PPS trend; and the search in notes.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;
using solace::store::Database;
using solace::test::utc;

namespace {

// P1 in New York (EST, UTC-5 in January). Ann's visit on Mon 12 Jan 10:00 (15:00 UTC), written
// at the bedside: pain 6, nausea 2, PPS 50, a note; oxycodone IR at 08:30 and 12:00 (2 h after:
// listed), senna at 07:59 (just over 2 h before: not). Bob's visit on Tue 13 Jan 09:00, written
// at 17:40 (documented late): drowsiness 7 with a note of its own, PPS 40. A visit 40 days
// before, outside the last 30 days. Another patient's visit, which P1's history never holds.
struct Timeline {
    test::TempDir dir;
    Database db{dir / "solace.db", Database::Mode::create_new};
    std::unique_ptr<app::Session> ann, bob;
    const Instant monday_visit = utc(2026, 1, 12, 15);
    const Instant tuesday_visit = utc(2026, 1, 13, 14);
    const Instant now = utc(2026, 1, 13, 23);

    Timeline() {
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-password"), {}},
                     0);
        accounts.add({0, "bob", Role::nurse, true, false, test::password_hash("bob-password"), {}},
                     0);
        ann = std::make_unique<app::Session>(db, *accounts.find("ann"));
        bob = std::make_unique<app::Session>(db, *accounts.find("bob"));
        for (const char* mrn : {"P1", "P2"}) {
            Patient p;
            p.mrn = mrn;
            p.name = std::string("Patient ") + mrn;
            p.date_of_birth = date::year{1944} / 5 / 17;
            p.time_zone = "America/New_York";
            app::add_patient(*ann, p);
        }
        Medication oxy;
        oxy.key = "oxy-ir";
        oxy.name = "Oxycodone IR";
        oxy.dose = "5 mg";
        oxy.schedule_text = "prn q1h max 6";
        oxy.indication = "pain";
        oxy.start = utc(2025, 11, 1);
        app::add_medication(*ann, "P1", oxy);
        Medication senna;
        senna.key = "senna";
        senna.name = "Senna";
        senna.schedule_text = "daily";
        senna.start = utc(2025, 11, 1);
        app::add_medication(*ann, "P1", senna);

        visit(*ann, "P1", utc(2025, 12, 4, 15), 60, "Settled in at home.", {},
              utc(2025, 12, 4, 15));
        visit(*ann, "P1", monday_visit, 50,
              "Pain settled after the breakthrough dose. Daughter staying overnight.",
              {{Symptom::nausea, 2, {}}, {Symptom::pain, 6, {}}}, monday_visit + 20min);
        visit(*bob, "P1", tuesday_visit, 40, "Drowsy, eating little.",
              {{Symptom::drowsiness, 7, "worse since the night"}}, utc(2026, 1, 13, 22, 40));
        visit(*ann, "P2", tuesday_visit, 30, "Drowsy too, but another patient.", {}, tuesday_visit);

        dose("oxy-ir", monday_visit - 90min);
        dose("oxy-ir", monday_visit + 2h);
        dose("senna", monday_visit - 2h - 1min);
    }

    void visit(const app::Session& s, const char* mrn, Instant at, int pps, const char* note,
               std::vector<app::ScoreEntry> scores, Instant written) {
        app::VisitEntry v;
        v.mrn = mrn;
        v.at = at;
        v.reporter = Reporter::patient;
        v.scores = std::move(scores);
        v.pps = pps;
        v.note = note;
        app::record_visit(s, v, written);
    }

    void dose(const char* med, Instant at) {
        app::record_dose(*ann, {"P1", med, at, DoseStatus::given, "", "", ""}, at + 5min);
    }

    app::PatientHistory history(app::HistoryRange range = app::HistoryRange::month) {
        return app::patient_history(*ann, "P1", now, range);
    }
};

} // namespace

TEST_CASE("The visit timeline holds each visit with its time, author, scores, PPS, note and "
          "the doses around it, newest first") {
    Timeline t;
    const auto h = t.history();
    REQUIRE(h.visits.size() == 2); // the visit 40 days before is outside the last 30 days

    const auto& tuesday = h.visits[0];
    CHECK(tuesday.visit.at == t.tuesday_visit);
    CHECK(tuesday.recorded_at == utc(2026, 1, 13, 22, 40));
    CHECK(tuesday.documented_late); // 8 h 40 min after
    CHECK(tuesday.visit.author == "bob");
    CHECK(tuesday.visit.pps == 40);
    CHECK(tuesday.visit.note == "Drowsy, eating little.");
    REQUIRE(tuesday.scores.size() == 1);
    CHECK(h.entries[tuesday.scores[0]].score.symptom == Symptom::drowsiness);
    CHECK(h.entries[tuesday.scores[0]].score.value == 7);
    CHECK(tuesday.doses.empty());

    const auto& monday = h.visits[1];
    CHECK(monday.visit.at == t.monday_visit);
    CHECK_FALSE(monday.documented_late); // 20 min after
    CHECK(monday.visit.author == "ann");
    CHECK(monday.visit.pps == 50);
    CHECK(monday.visit.note ==
          "Pain settled after the breakthrough dose. Daughter staying overnight.");
    REQUIRE(monday.scores.size() == 2); // in ESAS-r order, pain first, as entered or not
    CHECK(h.entries[monday.scores[0]].score.symptom == Symptom::pain);
    CHECK(h.entries[monday.scores[0]].score.value == 6);
    CHECK(h.entries[monday.scores[1]].score.symptom == Symptom::nausea);
    // Oxycodone 90 min before and exactly 2 h after; senna 2 h 1 min before is not listed.
    REQUIRE(monday.doses.size() == 2);
    CHECK(monday.doses[0].given_at == t.monday_visit - 90min);
    CHECK(monday.doses[0].medication == "Oxycodone IR 5 mg");
    CHECK(monday.doses[0].as_needed);
    CHECK(monday.doses[0].status == DoseStatus::given);
    CHECK(monday.doses[1].given_at == t.monday_visit + 2h);

    // The PPS trend, oldest first.
    REQUIRE(h.pps.size() == 2);
    CHECK(h.pps[0].value == 50);
    CHECK(h.pps[1].value == 40);

    SECTION("All reaches back to the first visit") {
        const auto all = t.history(app::HistoryRange::all);
        REQUIRE(all.visits.size() == 3);
        CHECK(all.visits[2].visit.note == "Settled in at home.");
        CHECK(all.pps.size() == 3);
    }
    SECTION("A corrected score shows its new value in its visit") {
        app::correct_score(*t.ann, h.entries[monday.scores[0]].score.id, 3, "typed 6, meant 3");
        const auto again = t.history();
        REQUIRE(again.visits[1].scores.size() == 2);
        CHECK(again.entries[again.visits[1].scores[0]].score.value == 3);
    }
}

TEST_CASE("Searching the notes keeps the visits whose note holds every word, in any case") {
    Timeline t;
    const auto h = t.history();
    REQUIRE(h.visits.size() == 2);
    using V = std::vector<std::uint32_t>;
    CHECK(app::visits_matching(h, "") == V{0, 1});
    CHECK(app::visits_matching(h, "   ") == V{0, 1});
    CHECK(app::visits_matching(h, "drowsy") == V{0}); // not the other patient's visit
    CHECK(app::visits_matching(h, "DAUGHTER  overnight") == V{1});
    CHECK(app::visits_matching(h, "settled") == V{1}); // "Settled in" is outside the range
    CHECK(app::visits_matching(h, "daughter drowsy").empty());
    CHECK(app::visits_matching(h, "morphine").empty());
    // A score's own note counts as the visit's.
    CHECK(app::visits_matching(h, "night") == V{0, 1});
    CHECK(app::visits_matching(h, "since the") == V{0});
}
