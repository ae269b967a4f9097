// The window's background sync (issue 10 item 8, DESIGN §7): a thread of its own pushes what
// was saved and pulls what others wrote; its status says where it stands. The [pgserver] tests
// run against the agency test cluster (tests/agency.hpp).
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "agency.hpp"
#include "app/clinic.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "store/account_repository.hpp"
#include "support.hpp"
#include "sync/background.hpp"
#include "sync/rows.hpp"

using namespace solace;
using State = sync::SyncStatus::State;

namespace {

// A pain score of `pain` for P1 now, as the visit form saves it.
void save_visit(const app::Session& s, int pain, const std::string& note) {
    app::VisitEntry v;
    v.mrn = "P1";
    v.at = now_utc();
    v.reporter = Reporter::nurse;
    v.scores.push_back({Symptom::pain, pain, note});
    app::record_visit(s, v);
}

// One signed-in laptop: its database, the account's session and the window's sync.
struct Laptop {
    store::Database db;
    app::Session session;
    std::atomic<int> changes{0};
    sync::BackgroundSync worker;
    Laptop(const std::string& path, const std::string& name, const std::string& password)
        : db(path, store::Database::Mode::open_existing),
          session(app::Session::login(db, name, password)),
          worker(path, session.account(), password, [this] { ++changes; }) {}
    sync::SyncStatus synced() {
        worker.wait();
        return worker.status();
    }
};

std::int64_t pain_scores(const std::string& path, int value, const std::string& note) {
    store::Database db(path, store::Database::Mode::open_existing);
    store::Statement s(db, "SELECT count(*) FROM observation WHERE item = 'pain' AND value = ?1 "
                           "AND note = ?2");
    s.bind(1, value).bind(2, note);
    s.step();
    return s.int64(0);
}

// A nurse's laptop database with P1, not enrolled anywhere.
std::filesystem::path lone_laptop(const test::TempDir& t) {
    const auto path = t / "solace.db";
    store::Database db(path, store::Database::Mode::create_new);
    store::AccountRepository accounts(db);
    accounts.add({0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                 to_epoch(now_utc()));
    const app::Session nurse(db, *accounts.find("ann"));
    app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                    "Europe/London", "pancreatic cancer"});
    return path;
}

} // namespace

TEST_CASE("A database that works alone: the background sync does nothing and says nothing") {
    test::TempDir t;
    const auto path = lone_laptop(t);
    Laptop laptop(path.string(), "ann", "ann-secret");
    save_visit(laptop.session, 4, "alone");
    laptop.worker.request();
    const auto s = laptop.synced();
    CHECK(s.state == State::alone);
    CHECK(s.problem.empty());
    CHECK(s.waiting == 0);
    CHECK(laptop.changes == 0);
}

TEST_CASE("An enrolled laptop whose server cannot be reached: offline, with the entries waiting") {
    test::TempDir t;
    const auto path = lone_laptop(t);
    {
        store::Database db(path, store::Database::Mode::open_existing);
        store::Statement link(db, "INSERT INTO sync_state (one, server) VALUES (1, ?1)");
        link.bind(1, "postgresql:///agency?host=" + (t / "no-server").string()).run();
    }
    Laptop laptop(path.string(), "ann", "ann-secret");
    auto s = laptop.synced();
    CHECK(s.state == State::offline);
    const auto before = s.waiting;
    CHECK(before == sync::waiting(laptop.db));
    CHECK(before > 0); // the patient, written before enrolment, goes up too
    CHECK_THAT(s.problem, Catch::Contains("cannot be reached"));

    save_visit(laptop.session, 6, "offline");
    laptop.worker.request();
    s = laptop.synced();
    CHECK(s.state == State::offline);
    CHECK(s.waiting > before);
    CHECK(s.waiting == sync::waiting(laptop.db));
    CHECK(pain_scores(path.string(), 6, "offline") == 1);
    CHECK(laptop.changes >= 4); // syncing, then offline, twice

    SECTION("locked: the password is wiped and nothing syncs until unlocked") {
        laptop.worker.pause();
        const int changes = laptop.changes;
        laptop.worker.request();
        laptop.worker.wait();
        CHECK(laptop.changes == changes);
        laptop.worker.resume("ann-secret");
        CHECK(laptop.synced().state == State::offline);
        CHECK(laptop.changes > changes);
    }
}

TEST_CASE("The background sync also goes by itself, every so often") {
    test::TempDir t;
    const auto path = lone_laptop(t);
    {
        store::Database db(path, store::Database::Mode::open_existing);
        store::Statement link(db, "INSERT INTO sync_state (one, server) VALUES (1, ?1)");
        link.bind(1, "postgresql:///agency?host=" + (t / "no-server").string()).run();
    }
    std::atomic<int> changes{0};
    store::Database db(path, store::Database::Mode::open_existing);
    const auto account = *store::AccountRepository(db).find("ann");
    sync::BackgroundSync worker(
        path, account, "ann-secret", [&] { ++changes; }, std::chrono::milliseconds(20));
    // No request after the first sync: three more come round on their own (two changes each).
    for (int i = 0; i < 6000 && changes < 8; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(changes >= 8);
    CHECK(worker.status().state == State::offline);
}

TEST_CASE("The window pushes a save in the background, laptop B sees it after its sync, and an "
          "admin sees both laptops' last sync",
          "[pgserver]") {
    test::Agency a;
    if (!a.ready()) return;
    a.add("bea", "nurse");
    test::TempDir t;
    const auto path_a = a.enroll(t, "ann");
    const auto path_b = a.enroll(t, "bea");
    test::import(a, t, path_a, "ann", "patients", test::patients_csv);

    Laptop laptop_a(path_a, a.name("ann"), "pw-ann");
    CHECK(laptop_a.synced().state == State::synced);
    save_visit(laptop_a.session, 7, "saved in the window");
    CHECK(sync::waiting(laptop_a.db) > 0);
    laptop_a.worker.request(); // as the window does after each save
    auto s = laptop_a.synced();
    CHECK(s.state == State::synced);
    CHECK(s.waiting == 0);
    CHECK(sync::waiting(laptop_a.db) == 0);
    REQUIRE(s.last_sync);
    CHECK(now_utc() - *s.last_sync < std::chrono::minutes(1));

    Laptop laptop_b(path_b, a.name("bea"), "pw-bea");
    s = laptop_b.synced();
    CHECK(s.state == State::synced);
    CHECK(s.arrivals == 1); // the views on B take their snapshots again
    CHECK(pain_scores(path_b, 7, "saved in the window") == 1);
    laptop_b.worker.request(); // nothing new: nothing for the views to retake
    CHECK(laptop_b.synced().arrivals == 1);

    SECTION("an admin sees each device's last sync; a nurse is refused, here and by the server") {
        const auto device_a = laptop_a.db.device_uuid();
        const auto device_b = laptop_b.db.device_uuid();
        save_visit(laptop_b.session, 3, "from B");
        laptop_b.worker.request();
        CHECK(laptop_b.synced().state == State::synced);
        const auto devices = sync::devices(laptop_a.session, "pw-ann");
        REQUIRE(devices.size() == 2);
        CHECK(devices[0].device == device_b); // the latest push first
        CHECK(devices[0].account == a.name("bea"));
        CHECK(devices[1].device == device_a);
        CHECK(devices[1].account == a.name("ann"));
        CHECK(devices[0].last_counter >= 1);
        for (const auto& d : devices)
            CHECK(now_utc() - d.last_push < std::chrono::minutes(1));
        // The admin's window has them in its status after its next sync.
        laptop_a.worker.request();
        CHECK(laptop_a.synced().devices.size() == 2);
        CHECK(laptop_b.synced().devices.empty());

        CHECK_THROWS_AS(sync::devices(laptop_b.session, "pw-bea"), PermissionError);
        try {
            a.as("bea").exec("SELECT * FROM solace.devices()");
            FAIL("a nurse read the devices as raw SQL");
        } catch (const ServerRefused& e) {
            CHECK_THAT(e.what(), Catch::Contains("only an agency admin"));
        }
    }

    SECTION("with the server stopped the status says offline, and nothing is lost") {
        a.server_ctl("stop -m immediate");
        save_visit(laptop_a.session, 9, "while offline");
        laptop_a.worker.request();
        s = laptop_a.synced();
        CHECK(s.state == State::offline);
        CHECK(s.waiting > 0);
        CHECK(s.waiting == sync::waiting(laptop_a.db));
        a.server_ctl("start");
        laptop_a.worker.request();
        s = laptop_a.synced();
        CHECK(s.state == State::synced);
        CHECK(s.waiting == 0);
        CHECK(a.rows_from(laptop_a.db.device_uuid()) == sync::outbox_size(laptop_a.db, 0));
        laptop_b.worker.request();
        CHECK(laptop_b.synced().arrivals == 2);
        CHECK(pain_scores(path_b, 9, "while offline") == 1);
    }
}
