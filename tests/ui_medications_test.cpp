// The Medications view driven headless: doses ticked, held and given as needed by key and by
// click, results read back from the database.
#include <catch2/catch.hpp>

#include "app/clinic.hpp"
#include "app/medications.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "headless.hpp"
#include "keys.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "store/medication_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"

using namespace solace;
using namespace std::chrono_literals;

namespace {

// The local clock time of `t` in `zone`, "HH:MM": a schedule whose dose is due now.
std::string clock_now(Instant t, const std::string& zone) {
    return date::format("%H:%M", date::floor<std::chrono::minutes>(
                                     date::zoned_seconds{find_zone(zone), t}.get_local_time()));
}

// A database with a nurse (ann), a family member (fay) of patient P1, and P1's medications:
// senna once a day, due now (its window open), and morphine IR as needed (at least 1 h apart),
// given ten minutes ago. The window is signed in as `who` with P1's medications open.
struct Ward {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::unique_ptr<ui::Shell> shell;
    ui::Headless imgui;

    explicit Ward(const std::string& who = "ann") {
        const auto now = now_utc();
        {
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            accounts.add(
                {0, "ann", Role::nurse, true, false, test::password_hash("ann-secret"), {}},
                to_epoch(now));
            accounts.add(
                {0, "fay", Role::family, false, false, test::password_hash("fay-secret"), {}},
                to_epoch(now));
            const app::Session nurse(db, *accounts.find("ann"));
            const auto pid =
                app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                                "Europe/London", "pancreatic cancer"});
            accounts.link(accounts.find("fay")->id, pid);
            Medication senna;
            senna.key = "senna";
            senna.name = "Senna";
            senna.dose = "15 mg";
            senna.route = "oral";
            senna.schedule_text = clock_now(now, "Europe/London");
            senna.start = now - date::days{2};
            app::add_medication(nurse, "P1", senna);
            Medication prn;
            prn.key = "morphine-ir";
            prn.name = "Morphine IR";
            prn.dose = "5 mg";
            prn.schedule_text = "prn q1h max 6";
            prn.indication = "pain";
            prn.start = now - date::days{2};
            app::add_medication(nurse, "P1", prn);
            app::record_dose(nurse, {"P1", "morphine-ir", now - 10min, DoseStatus::given, "", ""});
        }
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        REQUIRE(shell->sign_in(who, who + "-secret"));
        REQUIRE(shell->open_patient("P1", ui::PatientView::Tab::medications));
        imgui.frame();
        imgui.frame();
    }

    ui::MedicationsView& view() { return shell->patient_view().medications(); }

    // P1's administrations of `key`, oldest first.
    std::vector<Administration> recorded(const std::string& key) {
        store::Database db(path, store::Database::Mode::open_existing);
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        store::MedicationRepository meds(db);
        std::vector<Administration> out;
        for (const auto& a : meds.administrations(p->id, from_epoch(0), now_utc() + 1h)) {
            const auto list = meds.list(p->id);
            const auto m = std::find_if(list.begin(), list.end(), [&](const Medication& m) {
                return m.id == a.medication_id;
            });
            if (m != list.end() && m->key == key) out.push_back(a);
        }
        return out;
    }
};

} // namespace

TEST_CASE("Ticking a due dose records it as given, on time") {
    Ward ward;
    const auto* picture = ward.view().picture();
    REQUIRE(picture);
    REQUIRE(picture->doses.size() == 1);
    CHECK(app::dose_state(picture->doses[0], now_utc()) == app::DoseState::due_now);

    SECTION("with the G key") {
        ward.imgui.type("g");
    }
    SECTION("with one click") {
        REQUIRE(ward.imgui.click("Given"));
    }

    const auto saved = ward.recorded("senna");
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].status == DoseStatus::given);
    CHECK(saved[0].author == "ann");
    picture = ward.view().picture();
    REQUIRE(picture->doses[0].record);
    CHECK(app::dose_state(picture->doses[0], now_utc()) == app::DoseState::given_on_time);
    CHECK(ward.view().status().find("Senna") != std::string::npos);
}

TEST_CASE("A held dose without a reason is refused and the typed values stay") {
    Ward ward;
    ward.imgui.type("h"); // held: asks why
    REQUIRE(ward.view().entering_reason());
    ward.imgui.press(ui::keys::enter); // no reason typed
    CHECK(ward.recorded("senna").empty());
    CHECK(ward.view().entering_reason());
    CHECK(ward.view().error().find("needs a reason") != std::string::npos);

    SECTION("and once a reason is typed it is saved") {
        ward.imgui.type("asleep");
        ward.imgui.press(ui::keys::enter);
        const auto saved = ward.recorded("senna");
        REQUIRE(saved.size() == 1);
        CHECK(saved[0].status == DoseStatus::held);
        CHECK(saved[0].reason == "asleep");
        CHECK_FALSE(ward.view().entering_reason());
        CHECK(app::dose_state(ward.view().picture()->doses[0], now_utc()) == app::DoseState::held);
    }

    SECTION("and a reason the database cannot take yet stays typed, with why") {
        ward.imgui.type("asleep");
        {
            // Another program holds the write lock: the save waits, then gives up in words.
            store::Database other(ward.path, store::Database::Mode::open_existing);
            other.exec("BEGIN IMMEDIATE");
            ward.imgui.press(ui::keys::enter);
            CHECK(ward.view().error().find("busy") != std::string::npos);
            CHECK(ward.view().entering_reason());
            CHECK(ward.view().reason_text() == "asleep");
            other.exec("ROLLBACK");
        }
        CHECK(ward.recorded("senna").empty());
        ward.imgui.press(ui::keys::enter); // once the lock is gone, the same values save
        REQUIRE(ward.recorded("senna").size() == 1);
        CHECK(ward.recorded("senna")[0].reason == "asleep");
    }
}

TEST_CASE("A PRN dose too soon shows the warning before saving") {
    Ward ward;
    REQUIRE(ward.recorded("morphine-ir").size() == 1);
    ward.imgui.press(ui::keys::down); // from senna to morphine IR
    ward.imgui.type("g");
    CHECK(ward.view().warning_shown());
    CHECK(ward.view().warning_text().find("at least 1 h apart") != std::string::npos);
    CHECK(ward.recorded("morphine-ir").size() == 1); // not saved yet

    SECTION("Escape gives it up") {
        ward.imgui.press(ui::keys::escape);
        CHECK_FALSE(ward.view().warning_shown());
        CHECK(ward.recorded("morphine-ir").size() == 1);
    }
    SECTION("Enter records it anyway, and it is flagged too soon") {
        ward.imgui.press(ui::keys::enter);
        CHECK(ward.recorded("morphine-ir").size() == 2);
        const auto* p = ward.shell->patient_picture();
        REQUIRE(p);
        CHECK(std::any_of(p->flags.begin(), p->flags.end(),
                          [](const Flag& f) { return f.rule == "prn.too_soon"; }));
    }
}

TEST_CASE("The PRN preview warns of a dose too soon and not of one an hour later") {
    Ward ward;
    const auto* p = ward.view().picture();
    REQUIRE(p);
    const auto later = app::preview_dose(*p, "morphine-ir", now_utc() + 2h, DoseStatus::given);
    CHECK(later.flags.empty());
    const auto soon = app::preview_dose(*p, "morphine-ir", now_utc(), DoseStatus::given);
    REQUIRE(soon.flags.size() == 1);
    CHECK(soon.flags[0].rule == "prn.too_soon");
}

TEST_CASE("A family account sees no add, stop or held controls, and gives a PRN dose") {
    SECTION("a nurse sees them all") {
        Ward ward("ann");
        CHECK(ward.imgui.shows("Given"));
        CHECK(ward.imgui.shows("Held\xE2\x80\xA6"));
        CHECK(ward.imgui.shows("Refused\xE2\x80\xA6"));
        CHECK(ward.imgui.shows("Stop\xE2\x80\xA6"));
        CHECK(ward.imgui.shows("Change\xE2\x80\xA6"));
        CHECK(ward.imgui.draws("Add a medication\xE2\x80\xA6")); // below the lists
        CHECK(ward.imgui.shows("Give now"));
    }
    SECTION("a family member sees today's doses and only Give now") {
        Ward ward("fay");
        REQUIRE(ward.view().picture());
        CHECK(ward.view().picture()->doses.size() == 1); // read, not recorded
        CHECK_FALSE(ward.imgui.shows("Given"));
        CHECK_FALSE(ward.imgui.shows("Held\xE2\x80\xA6"));
        CHECK_FALSE(ward.imgui.shows("Refused\xE2\x80\xA6"));
        CHECK_FALSE(ward.imgui.shows("Stop\xE2\x80\xA6"));
        CHECK_FALSE(ward.imgui.shows("Change\xE2\x80\xA6"));
        CHECK_FALSE(ward.imgui.shows("Add a medication\xE2\x80\xA6"));
        CHECK(ward.imgui.shows("Give now"));

        ward.imgui.type("h"); // no key records a scheduled dose either
        CHECK_FALSE(ward.view().entering_reason());
        CHECK(ward.recorded("senna").empty());

        REQUIRE(ward.imgui.click("Give now"));
        REQUIRE(ward.view().warning_shown()); // ten minutes after the last one
        REQUIRE(ward.imgui.click("Record anyway  (Enter)"));
        const auto saved = ward.recorded("morphine-ir");
        REQUIRE(saved.size() == 2);
        CHECK(saved[1].reporter == Reporter::caregiver);
        CHECK(saved[1].author == "fay");
    }
}

TEST_CASE("A nurse adds a medication, sees a schedule error while typing, changes and stops it") {
    Ward ward;
    auto& k = ward.imgui;
    // A opens the form at the top of the view (its button is below the lists, out of sight).
    k.type("a");
    k.frame(); // its first field takes the keyboard
    // Tab goes on: key, name, dose, route, schedule.
    k.type("haloperidol");
    k.press(ui::keys::tab);
    k.type("Haloperidol");
    k.press(ui::keys::tab);
    k.type("0.5 mg");
    k.press(ui::keys::tab);
    k.type("oral");
    k.press(ui::keys::tab);
    k.type("q25h");
    // Shown while typing, before any button is pressed.
    CHECK(ward.view().schedule_error().find("q25h") != std::string::npos);
    k.press(ui::keys::backspace);
    k.press(ui::keys::backspace);
    k.press(ui::keys::backspace);
    k.type("8h@06:00");
    CHECK(ward.view().schedule_error().empty());
    REQUIRE(k.click("Add medication"));
    INFO(ward.view().error());
    CHECK(ward.view().status() == "Added Haloperidol.");

    SECTION("a second one with the same key is refused, its values kept in the form") {
        k.type("a");
        k.frame();
        k.type("haloperidol");
        k.press(ui::keys::tab);
        k.type("Haloperidol again");
        k.press(ui::keys::tab);
        k.press(ui::keys::tab);
        k.press(ui::keys::tab); // past dose and route to the schedule
        k.type("bid");
        REQUIRE(k.click("Add medication"));
        CHECK(ward.view().error().find("already exists") != std::string::npos);
        CHECK(k.shows("Add medication")); // the form is still open, as typed
    }
    const auto* p = ward.view().picture();
    REQUIRE(p);
    const auto line = std::find_if(p->lines.begin(), p->lines.end(),
                                   [](const auto& l) { return l.latest.key == "haloperidol"; });
    REQUIRE(line != p->lines.end());
    CHECK(line->latest.schedule_text == "q8h@06:00");

    // Change and stop through the use cases the view's forms call.
    store::Database db(ward.path, store::Database::Mode::open_existing);
    const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
    Medication more = line->latest;
    more.dose = "1 mg";
    const auto from = now_utc() + 1h;
    const auto changed = app::change_medication(nurse, "P1", "haloperidol", more, from, "agitated");
    const auto stopped = app::stop_medication(nurse, "P1", "haloperidol", from + 24h, "settled");
    const auto pid = store::PatientRepository(db).find_by_mrn("P1")->id;
    std::vector<Medication> versions;
    for (const auto& m : store::MedicationRepository(db).list(pid))
        if (m.key == "haloperidol") versions.push_back(m);
    REQUIRE(versions.size() == 3); // nothing updated: each change is a version
    CHECK(versions[0].end == from - 1s);
    CHECK(versions[1].id == changed);
    CHECK(versions[1].dose == "1 mg");
    CHECK(versions[1].end == from + 24h - 1s);
    CHECK(versions[2].id == stopped);
    CHECK(versions[2].start == from + 24h);
    CHECK(versions[2].end == from + 24h);
    CHECK_THROWS_AS(app::stop_medication(nurse, "P1", "haloperidol", from, "again"),
                    ValidationError);
}

TEST_CASE("A dose's state reads from its window either side and what was recorded") {
    app::DoseRow row;
    row.scheduled.due = test::utc(2026, 3, 8, 8, 0);
    row.scheduled.window = 60min;
    const auto due = row.scheduled.due;
    CHECK(app::dose_state(row, due - 61min) == app::DoseState::upcoming);
    CHECK(app::dose_state(row, due - 60min) == app::DoseState::due_now);
    CHECK(app::dose_state(row, due + 60min) == app::DoseState::due_now);
    CHECK(app::dose_state(row, due + 61min) == app::DoseState::missed);

    Administration a;
    a.given_at = due + 60min;
    row.record = a;
    CHECK(app::dose_state(row, due + 2h) == app::DoseState::given_on_time);
    row.record->given_at = due + 61min;
    CHECK(app::dose_state(row, due + 2h) == app::DoseState::given_late);
    row.record->given_at = due - 61min;
    CHECK(app::dose_state(row, due + 2h) == app::DoseState::given_early);
    row.record->status = DoseStatus::held;
    CHECK(app::dose_state(row, due + 2h) == app::DoseState::held);
    row.record->status = DoseStatus::refused;
    CHECK(app::dose_state(row, due + 2h) == app::DoseState::refused);
}

TEST_CASE("A change of medication keeps the doses recorded against the version before it") {
    Ward ward;
    ward.imgui.type("g"); // senna given now
    REQUIRE(ward.recorded("senna").size() == 1);
    {
        store::Database db(ward.path, store::Database::Mode::open_existing);
        const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
        auto fields = ward.view().picture()->lines.front().latest;
        fields.dose = "30 mg";
        app::change_medication(nurse, "P1", "senna", fields, now_utc() + 1min, "constipated");
        const auto p = app::medications_picture(nurse, "P1", now_utc());
        REQUIRE(p.doses.size() == 1); // today's dose belongs to the first version
        REQUIRE(p.doses[0].record);
        CHECK(p.doses[0].dose == "15 mg");
        CHECK(app::dose_state(p.doses[0], now_utc()) == app::DoseState::given_on_time);
        const auto line = std::find_if(p.lines.begin(), p.lines.end(),
                                       [](const auto& l) { return l.latest.key == "senna"; });
        REQUIRE(line != p.lines.end());
        CHECK(line->versions == 2);
        CHECK(line->latest.dose == "30 mg");
    }
}

namespace {
// Adds midazolam (a benzodiazepine) as needed for P1: the first PRN row, below senna.
void add_midazolam(const std::filesystem::path& path) {
    store::Database db(path, store::Database::Mode::open_existing);
    const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
    Medication m;
    m.key = "midazolam";
    m.name = "Midazolam";
    m.dose = "2.5 mg";
    m.route = "subcutaneous";
    m.schedule_text = "prn q1h max 6";
    m.indication = "anxiety";
    m.start = now_utc() - date::days{2};
    app::add_medication(nurse, "P1", m);
}
} // namespace

TEST_CASE("A controlled medication is never recorded by one key: G asks, Enter records") {
    Ward ward;
    add_midazolam(ward.path);
    REQUIRE(ward.shell->open_patient("P1", ui::PatientView::Tab::medications));
    ward.imgui.frame();
    ward.imgui.frame();
    ward.imgui.press(ui::keys::down); // from senna to midazolam
    ward.imgui.type("g");
    REQUIRE(ward.view().warning_shown());
    CHECK(ward.view().warning_text().find("Midazolam 2.5 mg") != std::string::npos);
    CHECK(ward.recorded("midazolam").empty());
    ward.imgui.type("g"); // a second stray G records nothing either
    CHECK(ward.recorded("midazolam").empty());

    SECTION("Enter records it once") {
        ward.imgui.press(ui::keys::enter);
        CHECK(ward.recorded("midazolam").size() == 1);
        CHECK_FALSE(ward.view().warning_shown());
    }
    SECTION("Escape records nothing") {
        ward.imgui.press(ui::keys::escape);
        CHECK(ward.recorded("midazolam").empty());
    }
}

TEST_CASE("T takes the time a dose was given: a dose documented later keeps its own time") {
    Ward ward;
    add_midazolam(ward.path);
    REQUIRE(ward.shell->open_patient("P1", ui::PatientView::Tab::medications));
    ward.imgui.frame();
    ward.imgui.frame();
    ward.imgui.type("t");
    ward.imgui.frame(); // the field takes the keyboard
    ward.imgui.type("yesterday 20:00");
    ward.imgui.press(ui::keys::enter); // leaves the field
    ward.imgui.press(ui::keys::down);
    ward.imgui.type("g");
    REQUIRE(ward.view().warning_shown());
    ward.imgui.press(ui::keys::enter);
    const auto saved = ward.recorded("midazolam");
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].given_at ==
          app::entry_time("yesterday 20:00", find_zone("Europe/London"), now_utc()));
    store::Database db(ward.path, store::Database::Mode::open_existing);
    store::Statement late(db, "SELECT recorded_at - given_at FROM administration WHERE uuid = ?");
    late.bind(1, saved[0].uuid);
    REQUIRE(late.step());
    CHECK(late.int64(0) > 3600); // written now, for last night
}

TEST_CASE("A nurse marks a dose entered in error from the record: it stays, counting for nothing") {
    Ward ward;
    ward.imgui.type("g"); // senna given
    REQUIRE(ward.recorded("senna").size() == 1);
    ward.imgui.frame();
    REQUIRE(ward.imgui.click("Correct\xE2\x80\xA6"));
    REQUIRE(ward.view().correcting());
    ward.imgui.type("g"); // no letter records a dose while correcting: it is the reason's
    CHECK(ward.recorded("senna").size() == 1);
    ward.imgui.press(ui::keys::backspace);
    REQUIRE(ward.imgui.click("entered in error"));
    ward.imgui.frame();
    ward.imgui.type("wrong patient's chart");
    ward.imgui.press(ui::keys::enter);
    CHECK_FALSE(ward.view().correcting());
    CHECK(ward.recorded("senna").empty());
    store::Database db(ward.path, store::Database::Mode::open_existing);
    store::Statement s(db, "SELECT count(*) FROM administration WHERE medication_id IN "
                           "(SELECT id FROM medication WHERE med_key = 'senna')");
    REQUIRE(s.step());
    CHECK(s.int64(0) == 1); // the record stays
    const auto text = test::drawn_text(ward.imgui);
    CHECK_THAT(text, Catch::Contains("Corrections"));
    CHECK_THAT(text, Catch::Contains("enteredinerror.wrongpatient'schart"));
}
