// Flags that stay honest (issue 11 item 6, DESIGN §3): an open flag is listed until it is
// acknowledged, whatever its age up to open_flag_horizon (a year), in the patient list's counts
// and in the Flags tab; an acknowledged one only for the chosen range. The command line's
// default range (`solace flags`, 7 days) stays as it was.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/flag_cache.hpp"
#include "app/list_worker.hpp"
#include "app/snapshot.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"

using namespace solace;
using namespace std::chrono_literals;
using solace::store::Database;
using solace::test::utc;

namespace {

// One patient in London and a nurse, with severe scores recorded when asked.
struct Ward {
    test::TempDir dir;
    Database db{dir / "solace.db", Database::Mode::create_new};
    app::Session nurse = [this] {
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-password"), {}},
                     0);
        return app::Session(db, *accounts.find("ann"));
    }();
    Patient patient = [this] {
        Patient p;
        p.mrn = "P1";
        p.name = "Margaret Okafor";
        p.date_of_birth = date::year{1944} / 5 / 17;
        p.time_zone = "Europe/London";
        app::add_patient(nurse, p);
        return nurse.patient("P1");
    }();

    // A score of 9 (urgent) at `at`, written then.
    void severe(Instant at, Symptom symptom = Symptom::pain) {
        app::VisitEntry v;
        v.mrn = "P1";
        v.at = at;
        v.reporter = Reporter::patient;
        v.scores.push_back({symptom, 9, ""});
        app::record_visit(nurse, v, at);
    }

    app::PatientRow row(Instant now, app::FlagCache* cache = nullptr) {
        auto list = app::patient_list(nurse, now, 7, cache);
        REQUIRE(list.patients.size() == 1);
        return list.patients[0];
    }
};

int urgent_count(const app::PatientRow& r) {
    return r.open_by_severity[static_cast<int>(Severity::urgent)];
}

} // namespace

TEST_CASE_METHOD(Ward,
                 "An urgent flag from 9 days ago stays in the list and the Flags tab until it is "
                 "acknowledged",
                 "[flags][open_flags]") {
    const Instant now = date::floor<std::chrono::seconds>(now_utc());
    severe(now - date::days{9});
    app::FlagCache cache;
    for (auto* c : {static_cast<app::FlagCache*>(nullptr), &cache}) {
        const auto r = row(now, c);
        CHECK(r.open_flags == 1);
        CHECK(urgent_count(r) == 1);
        CHECK(r.escalated == 1);
        CHECK(r.worst == Severity::urgent);
        CHECK(r.oldest_open == now - date::days{9});
    }
    // `solace flags` with its default range (7 days) does not show it, as before.
    CHECK(app::patient_flags(nurse, patient, now - date::days{7}, now).empty());

    const auto picture = app::patient_picture(nurse, "P1", now);
    REQUIRE(picture.flags.size() == 1);
    const auto f = picture.flags[0];
    CHECK(f.rule == "symptom.severe");
    CHECK_FALSE(f.acknowledged);
    CHECK(f.escalated);
    // The id `solace flags --from <10 days ago> --json` gives, and `solace ack` takes.
    const auto cli = app::patient_flags(nurse, patient, now - date::days{10}, now);
    REQUIRE(cli.size() == 1);
    CHECK(cli[0].id == f.id);

    app::acknowledge_flag(nurse, f.id, "GP visited", now);
    for (auto* c : {static_cast<app::FlagCache*>(nullptr), &cache}) {
        const auto r = row(now, c);
        CHECK(r.open_flags == 0);
        CHECK(r.escalated == 0);
        CHECK_FALSE(r.worst);
        CHECK_FALSE(r.oldest_open);
    }
    // Acknowledged, it is shown only for a range that holds it.
    CHECK(app::patient_picture(nurse, "P1", now).flags.empty());
    const auto month = app::patient_picture(nurse, "P1", now, 30);
    REQUIRE(month.flags.size() == 1);
    CHECK(month.flags[0].id == f.id);
    CHECK(month.flags[0].acknowledged);
    CHECK(month.flags[0].acknowledgement_note == "GP visited");
}

TEST_CASE_METHOD(Ward,
                 "An open flag older than a year is no longer listed and can no longer be "
                 "acknowledged, but one just inside the year is",
                 "[flags][open_flags]") {
    const Instant now = date::floor<std::chrono::seconds>(now_utc());
    severe(now - date::days{730}, Symptom::pain);
    severe(now - app::open_flag_horizon + 1h, Symptom::breathing);
    app::FlagCache cache;
    for (auto* c : {static_cast<app::FlagCache*>(nullptr), &cache}) {
        const auto r = row(now, c);
        CHECK(r.open_flags == 1);
        CHECK(r.oldest_open == now - app::open_flag_horizon + 1h);
    }
    const auto picture = app::patient_picture(nurse, "P1", now);
    REQUIRE(picture.flags.size() == 1);
    CHECK(picture.flags[0].symptom == Symptom::breathing);

    // Two years back it is still a flag, never acknowledged, but past where anyone looks.
    const auto all = app::patient_flags(nurse, patient, now - date::days{800}, now);
    REQUIRE(all.size() == 2);
    const auto old = std::find_if(all.begin(), all.end(),
                                  [](const Flag& f) { return f.symptom == Symptom::pain; });
    REQUIRE(old != all.end());
    CHECK_FALSE(old->acknowledged);
    CHECK_THROWS_WITH(app::acknowledge_flag(nurse, old->id, "", now),
                      Catch::Contains("in the last year"));
    CHECK_NOTHROW(app::acknowledge_flag(nurse, picture.flags[0].id, "", now));
    CHECK(row(now, &cache).open_flags == 0);
}

TEST_CASE_METHOD(Ward,
                 "A flag leaving the week across the clocks going forward is counted once, and "
                 "the year before the week is judged once a day",
                 "[flags][open_flags][flag_cache]") {
    // London's clocks go forward at 01:00 UTC on 29 March 2026; the score is the day before.
    const Instant at = utc(2026, 3, 28, 12);
    severe(at);
    app::FlagCache cache;
    using std::chrono::seconds;
    const Instant times[] = {
        at + date::days{7} - seconds{1}, at + date::days{7}, at + date::days{7} + seconds{1},
        at + date::days{7} + 20h,        at + date::days{8}, at + date::days{8} + 1h};
    for (const auto t : times) {
        INFO(format_utc(t));
        const auto cached = row(t, &cache);
        const auto full = row(t);
        CHECK(cached.open_flags == 1);
        CHECK(full.open_flags == 1);
        CHECK(cached.escalated == 1);
        CHECK(full.escalated == 1);
        CHECK(cached.oldest_open == at);
        REQUIRE(app::patient_picture(nurse, "P1", t).flags.size() == 1);
    }
    // Judged over the year at the first look, again a day later; not at every look.
    CHECK(cache.counts().older_evaluated == 2);
}

TEST_CASE_METHOD(Ward,
                 "The window's first list counts the week at once, and the list worker follows "
                 "it with the older open flags",
                 "[flags][open_flags]") {
    const Instant now = date::floor<std::chrono::seconds>(now_utc());
    severe(now - date::days{9});
    severe(now - date::days{1}, Symptom::breathing);

    const auto recent = app::patient_list(nurse, now, 7, nullptr, false);
    CHECK_FALSE(recent.older_counted);
    REQUIRE(recent.patients.size() == 1);
    CHECK(recent.patients[0].open_flags == 1);
    CHECK(app::patient_list(nurse, now).older_counted);

    app::PatientListWorker worker(dir / "solace.db", nurse.account());
    worker.request(now);
    worker.wait_for_a_list();
    const auto first = worker.take();
    REQUIRE(first);
    REQUIRE(first->list);
    REQUIRE(first->list->patients.size() == 1);
    // The week alone, or already the whole year when the worker was that quick.
    CHECK(first->list->patients[0].open_flags == (first->list->older_counted ? 2 : 1));
    worker.wait();
    if (!first->list->older_counted) {
        const auto full = worker.take();
        REQUIRE(full);
        REQUIRE(full->list);
        CHECK(full->list->older_counted);
        CHECK(full->list->patients[0].open_flags == 2);
    }
    // Later lists count the year straight away.
    worker.request(now + std::chrono::minutes{1});
    worker.wait_for_a_list();
    const auto later = worker.take();
    REQUIRE(later);
    REQUIRE(later->list);
    CHECK(later->list->older_counted);
    CHECK(later->list->patients[0].open_flags == 2);
}
