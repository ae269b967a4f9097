// The History view driven headless, its snapshot, and the plain words family accounts read.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cfloat>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "domain/error.hpp"
#include "entries.hpp"
#include "headless.hpp"
#include "imgui_internal.h"
#include "keys.hpp"
#include "plain_words.hpp"
#include "shell.hpp"
#include "store/account_repository.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"
#include "ui_drawn_text.hpp"
#include "widgets.hpp"
#include "wording.hpp"

using namespace solace;
using namespace std::chrono_literals;

namespace {

Instant utc(const char* text) {
    return *parse_time(text, "test").absolute;
}

// A database with a nurse (ann), a family account (fay) who may see P1, and P1 in New York
// with two visits: nausea 2 three hours ago, then pain 8 (severe) two hours ago, both scored by
// the patient; the pain documented two hours late. The newest entry, pain, is the first row of
// the History table.
struct History {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::unique_ptr<ui::Shell> shell;
    ui::Headless imgui{1200, 1300}; // tall enough to show the table below the charts

    History() {
        store::Database db(path, store::Database::Mode::create_new);
        store::AccountRepository accounts(db);
        accounts.add({0, "ann", Role::nurse, true, false, app::hash_password("ann-secret"), {}},
                     to_epoch(now_utc()));
        accounts.add({0, "fay", Role::family, false, false, app::hash_password("fay-secret"), {}},
                     to_epoch(now_utc()));
        const app::Session nurse(db, *accounts.find("ann"));
        const auto p =
            app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                            "America/New_York", "lung cancer"});
        accounts.link(accounts.find("fay")->id, p);
        app::VisitEntry v;
        v.mrn = "P1";
        v.at = now_utc() - 3h;
        v.reporter = Reporter::patient;
        v.scores = {{Symptom::nausea, 2, {}}};
        app::record_visit(nurse, v, v.at + 10min); // documented at the bedside
        // The pain is documented now, two hours after: late.
        v.at = now_utc() - 2h;
        v.scores = {{Symptom::pain, 8, {}}};
        app::record_visit(nurse, v);
    }

    // Signs in and opens P1's History; the first frame asks for the history, the shell
    // reads it between frames, the next frame draws it.
    void open_as(const std::string& name, const std::string& password) {
        shell = std::make_unique<ui::Shell>(path);
        imgui.draw = [this] { shell->draw(); };
        imgui.after_draw = [this] { shell->apply_pending(); };
        REQUIRE(shell->sign_in(name, password));
        REQUIRE(shell->open_patient("P1", ui::PatientView::Tab::history));
        for (int i = 0; i < 3; ++i) // tab shown, history asked for and read, history drawn
            imgui.frame();
        REQUIRE(view().history());
    }

    ui::HistoryView& view() { return shell->patient_view().history(); }

    // When the severe pain was scored (two hours before the fixture was made).
    Instant entry_time_of_pain() {
        store::Database db(path, store::Database::Mode::open_existing);
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        for (const auto& sc :
             store::ObservationRepository(db).scores(p->id, from_epoch(0), now_utc() + 1h))
            if (sc.symptom == Symptom::pain) return sc.observed_at;
        return {};
    }

    const app::HistoryEntry* entry(Symptom s) {
        for (const auto& e : view().history()->entries)
            if (e.score.symptom == s) return &e;
        return nullptr;
    }

    std::int64_t score_id(Symptom s) {
        store::Database db(path, store::Database::Mode::open_existing);
        const auto p = store::PatientRepository(db).find_by_mrn("P1");
        for (const auto& sc :
             store::ObservationRepository(db).scores(p->id, from_epoch(0), now_utc() + 1h))
            if (sc.symptom == s) return sc.id;
        return 0;
    }
};

} // namespace

namespace {
// What the history shows after a nurse corrected pain 8 to 3 with the reason "typed 8, meant 3".
void check_corrected(History& h) {
    CHECK_FALSE(h.view().correcting());
    const auto* pain = h.entry(Symptom::pain);
    REQUIRE(pain);
    CHECK(pain->score.value == 3);
    CHECK(pain->score.correction_reason == "typed 8, meant 3");
    CHECK(pain->score.author == "ann");
    REQUIRE(pain->replaced.size() == 1);
    CHECK(pain->replaced[0].value == 8);
    CHECK_FALSE(pain->flag); // 3 is mild: the severe flag went with the 8
    CHECK(h.view().history()->entries.size() == 2);

    // The database keeps both, the 3 current.
    store::Database db(h.path, store::Database::Mode::open_existing);
    const auto p = store::PatientRepository(db).find_by_mrn("P1");
    const auto replaced =
        store::ObservationRepository(db).replaced_scores(p->id, from_epoch(0), now_utc() + 1h);
    REQUIRE(replaced.size() == 1);
    CHECK(replaced[0].value == 8);
    CHECK(h.score_id(Symptom::pain) == pain->score.id);

    // The patient's open flags no longer hold the severe pain.
    const auto* picture = h.shell->patient_picture();
    REQUIRE(picture);
    CHECK(std::none_of(picture->flags.begin(), picture->flags.end(), [](const Flag& f) {
        return f.symptom == Symptom::pain && f.rule == "symptom.severe";
    }));
}
} // namespace

TEST_CASE("A nurse corrects an entry with the History form and the history shows the "
          "correction with its reason") {
    History h;
    h.open_as("ann", "ann-secret");
    auto& k = h.imgui;
    REQUIRE(h.entry(Symptom::pain));
    CHECK(h.entry(Symptom::pain)->flag == Severity::urgent); // severe pain is urgent
    CHECK(k.shows("Correct"));

    SECTION("by mouse") {
        REQUIRE(k.click("Correct")); // the first row: pain, the newest
        REQUIRE(h.view().correcting());
        k.frame(); // the form's score field takes the keyboard (the window draws a few frames
                   // after a click before a hand is back on the keys)
        k.type("3");
        k.press(ui::keys::tab); // on to the reason
        k.type("typed 8, meant 3");
        CHECK(h.view().typed_value() == "3");
        CHECK(h.view().typed_reason() == "typed 8, meant 3");
        REQUIRE(k.click("Save correction"));
        k.frame();
        INFO(h.view().error());
        check_corrected(h);
    }

    SECTION("and its row's tooltip tells the whole story") {
        REQUIRE(k.click("Correct"));
        k.frame();
        k.type("3");
        k.press(ui::keys::tab);
        k.type("typed 8, meant 3");
        REQUIRE(k.click("Save correction"));
        k.frame();
        // The pointer rests on the corrected row, left of its button: the tooltip is drawn.
        const auto it = std::find_if(ui::seen_items().begin(), ui::seen_items().end(),
                                     [](const ui::SeenItem& i) { return i.label == "Correct"; });
        REQUIRE(it != ui::seen_items().end());
        ImGui::GetIO().MousePos = ImVec2(40, (it->min.y + it->max.y) * 0.5f);
        k.frame();
        k.frame();
        const ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
        CHECK((tooltip && tooltip->Active));
        ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        check_corrected(h);
    }

    SECTION("by keyboard") {
        k.press(ui::keys::down); // to nausea
        k.press(ui::keys::up);   // back to pain
        k.press(ui::keys::enter);
        REQUIRE(h.view().correcting());
        k.type("3");
        k.press(ui::keys::enter); // on to the reason
        k.type("typed 8, meant 3");
        k.press(ui::keys::enter); // saves
        k.frame();
        check_corrected(h);
    }
}

TEST_CASE("A correction with no reason is not sent, and the form keeps what was typed") {
    History h;
    h.open_as("ann", "ann-secret");
    auto& k = h.imgui;
    k.press(ui::keys::enter);
    k.type("3");
    k.press(ui::keys::enter);
    k.press(ui::keys::enter); // an empty reason
    k.frame();
    CHECK(h.view().correcting());
    CHECK(k.shows("Save correction"));
    CHECK(h.entry(Symptom::pain)->score.value == 8);
    CHECK(h.entry(Symptom::pain)->replaced.empty());
    k.type("typed 8, meant 3"); // the reason field still has the keyboard, the 3 kept
    k.press(ui::keys::enter);
    k.frame();
    check_corrected(h);
}

TEST_CASE("A family account sees the history with no correct control and correct_score "
          "refuses it") {
    History h;
    h.open_as("fay", "fay-secret");
    auto& k = h.imgui;
    CHECK(k.shows("30 days")); // the history is there
    CHECK_FALSE(k.shows("Correct"));
    CHECK_FALSE(h.view().offered_correction());
    k.press(ui::keys::enter); // a nurse's Enter would open the form
    CHECK_FALSE(h.view().correcting());
    CHECK_FALSE(k.shows("Save correction"));

    // Above the charts: the latest score of each symptom in plain words, newest first.
    const auto& lines = h.view().plain_lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].rfind("Pain was severe (8 of 10) ", 0) == 0);
    CHECK(lines[1].rfind("Nausea was mild (2 of 10) ", 0) == 0);

    // The window offers nothing, and the use case refuses anyway.
    store::Database db(h.path, store::Database::Mode::open_existing);
    const app::Session family(db, *store::AccountRepository(db).find("fay"));
    CHECK_THROWS_AS(app::correct_score(family, h.score_id(Symptom::pain), 3, "typed 8, meant 3"),
                    PermissionError);
    CHECK(store::ObservationRepository(db)
              .replaced_scores(store::PatientRepository(db).find_by_mrn("P1")->id, from_epoch(0),
                               now_utc() + 1h)
              .empty());
}

TEST_CASE("The range buttons load that range") {
    History h;
    h.open_as("ann", "ann-secret");
    CHECK(h.view().range() == app::HistoryRange::month);
    REQUIRE(h.imgui.click("7 days"));
    h.imgui.frame();
    REQUIRE(h.view().history());
    CHECK(h.view().history()->range == app::HistoryRange::week);
    CHECK(h.view().history()->to - h.view().history()->from == date::days{7});
    REQUIRE(h.imgui.click("All"));
    h.imgui.frame();
    CHECK(h.view().history()->range == app::HistoryRange::all);
    CHECK(h.view().history()->entries.size() == 2);
}

TEST_CASE("Plain words say a Tuesday 19:30 in New York as Tuesday evening, though it is "
          "Wednesday in UTC") {
    const std::string ny = "America/New_York";
    const auto tuesday_evening = utc("2026-03-04T00:30:00Z"); // Tue 3 Mar 19:30 EST
    const auto friday = utc("2026-03-06T17:00:00Z");          // Fri 6 Mar 12:00 EST
    CHECK(ui::plain_sentence(Symptom::pain, 8, tuesday_evening, friday, ny) ==
          "Pain was severe (8 of 10) on Tuesday evening.");

    SECTION("today, yesterday and the small hours") {
        const auto tuesday_noon = utc("2026-03-03T17:00:00Z");
        CHECK(ui::when_words(tuesday_evening, utc("2026-03-04T02:00:00Z"), ny) == "this evening");
        CHECK(ui::when_words(tuesday_noon, utc("2026-03-04T14:00:00Z"), ny) ==
              "yesterday afternoon");
        // 02:00 on Wednesday belongs to Tuesday night.
        CHECK(ui::when_words(utc("2026-03-04T07:00:00Z"), friday, ny) == "on Tuesday night");
        CHECK(ui::when_words(utc("2026-03-05T04:00:00Z"), friday, ny) == "on Wednesday night");
        CHECK(ui::when_words(utc("2026-03-06T04:00:00Z"), friday, ny) == "last night");
        CHECK(ui::when_words(utc("2026-03-06T06:00:00Z"), friday, ny) == "last night"); // 01:00
        CHECK(ui::when_words(utc("2026-03-06T14:00:00Z"), friday, ny) == "this morning");
    }

    SECTION("longer ago, with the date") {
        CHECK(ui::when_words(tuesday_evening, utc("2026-03-20T17:00:00Z"), ny) ==
              "on Tuesday 3 March in the evening");
        CHECK(ui::when_words(tuesday_evening, utc("2027-01-05T17:00:00Z"), ny) ==
              "on Tuesday 3 March 2026 in the evening");
    }

    SECTION("after the clocks go forward, still the local evening") {
        // Tue 10 Mar 19:30 EDT (UTC-4 since Sunday).
        CHECK(ui::when_words(utc("2026-03-10T23:30:00Z"), utc("2026-03-13T16:00:00Z"), ny) ==
              "on Tuesday evening");
    }

    SECTION("none and wellbeing read naturally") {
        CHECK(ui::how_words(Symptom::nausea, 0) == "No nausea (0 of 10)");
        CHECK(ui::how_words(Symptom::breathing, 5) == "Shortness of breath was moderate (5 of 10)");
        CHECK(ui::how_words(Symptom::wellbeing, 0) == "Wellbeing was at its best (0 of 10)");
        CHECK(ui::how_words(Symptom::wellbeing, 8) == "Wellbeing was severely poor (8 of 10)");
    }
}

TEST_CASE("A history holds only its range, newest first, with corrections and flags") {
    test::TempDir dir;
    store::Database db(dir / "solace.db", store::Database::Mode::create_new);
    store::AccountRepository accounts(db);
    accounts.add({0, "ann", Role::nurse, true, false, app::hash_password("ann-secret"), {}},
                 to_epoch(now_utc()));
    const app::Session nurse(db, *accounts.find("ann"));
    app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                    "Europe/London", "pancreatic cancer"});
    const auto now = now_utc();
    auto visit = [&](Instant at, int pain) {
        app::VisitEntry v;
        v.mrn = "P1";
        v.at = at;
        v.scores = {{Symptom::pain, pain, {}}};
        test::record_visit(nurse, v); // documented as it happened
    };
    visit(now - date::days{40}, 2);
    visit(now - date::days{20}, 3);
    visit(now - date::days{3}, 8);
    app::set_comfort_goal(nurse, "P1", Symptom::pain, 3, now - date::days{30});

    const auto week = app::patient_history(nurse, "P1", now, app::HistoryRange::week);
    REQUIRE(week.entries.size() == 1);
    CHECK(week.entries[0].score.value == 8);
    CHECK(week.entries[0].flag == Severity::urgent);
    REQUIRE(week.charts.size() == 5); // the core symptoms, scored or not
    CHECK(week.charts[0].symptom == Symptom::pain);
    CHECK(week.charts[0].points.size() == 1);
    REQUIRE(week.charts[0].goals.size() == 1);
    CHECK(week.charts[0].goals[0].goal == 3);

    const auto month = app::patient_history(nurse, "P1", now, app::HistoryRange::month);
    REQUIRE(month.entries.size() == 2);
    CHECK(month.entries[0].score.value == 8); // newest first
    CHECK(month.entries[1].score.value == 3);

    const auto all = app::patient_history(nurse, "P1", now, app::HistoryRange::all);
    REQUIRE(all.entries.size() == 3);
    CHECK(all.from == all.entries.back().score.observed_at);

    app::correct_score(nurse, all.entries[0].score.id, 6, "misheard");
    const auto corrected = app::patient_history(nurse, "P1", now + 1s, app::HistoryRange::week);
    REQUIRE(corrected.entries.size() == 1);
    CHECK(corrected.entries[0].score.value == 6);
    REQUIRE(corrected.entries[0].replaced.size() == 1);
    CHECK(corrected.entries[0].replaced[0].value == 8);
    CHECK(corrected.entries[0].score.correction_reason == "misheard");
    CHECK(corrected.entries[0].flag); // 6 is above the goal of 3
}

TEST_CASE("A chart of years of scores keeps a bounded number of points and every worst day") {
    test::TempDir dir;
    store::Database db(dir / "solace.db", store::Database::Mode::create_new);
    store::AccountRepository accounts(db);
    accounts.add({0, "ann", Role::nurse, true, false, app::hash_password("ann-secret"), {}},
                 to_epoch(now_utc()));
    const app::Session nurse(db, *accounts.find("ann"));
    const auto pid =
        app::add_patient(nurse, Patient{0, "P1", "Mary Test", date::year{1950} / 3 / 14,
                                        "Europe/London", "pancreatic cancer"});
    const auto now = now_utc();
    const int days = 3 * 365;
    {
        store::ObservationRepository obs(db);
        store::Transaction tx(db);
        for (int d = days; d > 0; --d) {
            Score s;
            s.patient_id = pid;
            s.symptom = Symptom::pain;
            s.value = d == 500 ? 10 : 2; // one very bad day
            s.reporter = Reporter::patient;
            s.observed_at = now - date::days{d};
            s.author_id = nurse.account().id;
            obs.add_score(s, now);
        }
        tx.commit();
    }
    const auto all = app::patient_history(nurse, "P1", now, app::HistoryRange::all);
    CHECK(all.entries.size() == std::size_t(days));
    CHECK(all.thinned);
    const auto& pain = all.charts[0];
    CHECK(pain.scores == std::size_t(days));
    CHECK(pain.points.size() <= app::max_chart_points);
    CHECK(std::any_of(pain.points.begin(), pain.points.end(),
                      [](const app::ChartPoint& p) { return p.value == 10; }));
    CHECK(std::is_sorted(pain.points.begin(), pain.points.end(),
                         [](const auto& a, const auto& b) { return a.at < b.at; }));
}

TEST_CASE("The All range over years of every symptom by every reporter draws within ImGui's "
          "vertex limit") {
    History h;
    {
        store::Database db(h.path, store::Database::Mode::open_existing);
        const auto pid = store::PatientRepository(db).find_by_mrn("P1")->id;
        const auto author = store::AccountRepository(db).find("ann")->id;
        const auto now = now_utc();
        store::ObservationRepository obs(db);
        store::Transaction tx(db);
        for (int d = 4 * 365; d > 0; --d)
            for (const auto& sym : all_symptoms())
                for (auto rep : {Reporter::patient, Reporter::caregiver, Reporter::nurse}) {
                    Score s;
                    s.patient_id = pid;
                    s.symptom = sym.symptom;
                    s.value = (d * 7 + int(sym.symptom) * 3 + int(rep)) % 11;
                    s.reporter = rep;
                    s.observed_at = now - date::days{d} - std::chrono::hours{int(rep)};
                    s.author_id = author;
                    obs.add_score(s, now);
                }
        tx.commit();
    }
    h.open_as("ann", "ann-secret");
    REQUIRE(h.imgui.click("All")); // an ImGui assertion would abort here
    h.imgui.frame();
    REQUIRE(h.view().history());
    CHECK(h.view().history()->charts.size() == all_symptoms().size());
    CHECK(h.view().history()->thinned);
    for (int i = 0; i < 3; ++i)
        h.imgui.frame();
    CHECK(h.imgui.shows("Correct"));
}

TEST_CASE("History marks an entry documented more than an hour after it happened") {
    History h;
    h.open_as("ann", "ann-secret");
    const auto text = test::drawn_text(h.imgui);
    const auto first = text.find("lateentry");
    REQUIRE(first != std::string::npos);
    CHECK(text.find("lateentry", first + 1) == std::string::npos); // the pain, not the nausea
    const auto& timing = h.view().history()->timing;
    CHECK(app::documented_late(timing, h.entry(Symptom::pain)->score.observed_at,
                               h.entry(Symptom::pain)->score.recorded_at));
    CHECK_FALSE(app::documented_late(timing, h.entry(Symptom::nausea)->score.observed_at,
                                     h.entry(Symptom::nausea)->score.recorded_at));
}

TEST_CASE("A time from another year carries its year, and this year's none") {
    const std::string zone = "Europe/London";
    const auto now = now_utc();
    const auto year = int(date::year_month_day{date::floor<date::days>(now)}.year());
    const auto last_year =
        *parse_time(fmt::format("{}-07-14T09:30:00Z", year - 1), "test").absolute;
    CHECK(ui::short_time(last_year, zone).find(std::to_string(year - 1)) != std::string::npos);
    CHECK(ui::time_with_zone(last_year, zone).find(std::to_string(year - 1)) != std::string::npos);
    CHECK(ui::short_time(now, zone).find(std::to_string(year)) == std::string::npos);
}

TEST_CASE("History shows a nurse what an as-needed dose did to the score after it") {
    History h;
    {
        store::Database db(h.path, store::Database::Mode::open_existing);
        const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
        Medication m;
        m.key = "oxy-ir";
        m.name = "Oxycodone IR";
        m.schedule_text = "prn q1h max 6";
        m.indication = "pain";
        m.start = now_utc() - 72h;
        app::add_medication(nurse, "P1", m);
        const auto pain_at = h.entry_time_of_pain();
        app::record_dose(nurse, {"P1", "oxy-ir", pain_at + 5min, DoseStatus::given, "", ""});
        app::VisitEntry v;
        v.mrn = "P1";
        v.at = pain_at + 45min;
        v.reporter = Reporter::patient;
        v.scores = {{Symptom::pain, 4, {}}};
        app::record_visit(nurse, v);
    }
    h.open_as("ann", "ann-secret");
    const auto* after = h.entry(Symptom::pain);
    REQUIRE(after);
    CHECK(after->prn_effect == "pain 8 \u2192 4, 40 min after oxy-ir");
    // The row begins with it (drawn_text shows the arrow as '?'); the tooltip has it whole.
    CHECK_THAT(test::drawn_text(h.imgui), Catch::Contains("Pain4moderatePatientannpain8?4,"));
    SECTION("a family member reads the scores without the medication words") {
        h.open_as("fay", "fay-secret");
        CHECK_THAT(test::drawn_text(h.imgui), !Catch::Contains("oxy-ir"));
    }
}
