// The weekly summary (issue 5) end to end: data imported through the command line, the PDF
// written by `solace report`, then read back with poppler's pdftotext and pdfinfo. Weeks are
// explicit and in the past (2026-W10 is Mon 2 Mar to Sun 8 Mar 2026): nothing depends on the
// machine's zone or clock, and CUPS_SERVER points at nothing so no test ever prints on paper.
#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "domain/time.hpp"
#include "entries.hpp"
#include "report/output.hpp"
#include "report/weekly_summary.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/flag_repository.hpp"
#include "support.hpp"

using namespace solace;
using solace::test::run_solace;
using solace::test::TempDir;
using solace::test::utc;
using solace::test::write_file;

namespace {

const std::vector<std::string> nurse_env{"SOLACE_PASSWORD=bedside-1",
                                         "SOLACE_NEW_PASSWORD=bedside-1"};
const std::vector<std::string> family_env{"SOLACE_PASSWORD=family-1",
                                          "SOLACE_NEW_PASSWORD=family-1"};

const std::string greek = "Σοφία Παπαδοπούλου";
const std::string cyrillic = "Ольга Иванова";

std::string shell(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    ::pclose(p);
    return out;
}

// pdftotext -layout; one page when `page` > 0.
std::string pdf_text(const std::filesystem::path& pdf, int page = 0) {
    const std::string range = page > 0 ? fmt::format(" -f {0} -l {0}", page) : "";
    return shell(fmt::format("pdftotext -layout -enc UTF-8{} '{}' -", range, pdf.string()));
}

std::string pdf_info(const std::filesystem::path& pdf) {
    return shell(fmt::format("pdfinfo '{}'", pdf.string()));
}

int pdf_pages(const std::filesystem::path& pdf) {
    std::smatch m;
    const auto info = pdf_info(pdf);
    REQUIRE(std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))")));
    return std::stoi(m[1]);
}

// Runs of white space (columns, line ends) as one space, so table rows read as words.
std::string squeeze(const std::string& text) {
    return std::regex_replace(text, std::regex(R"(\s+)"), " ");
}

Instant local(const std::string& text, const char* zone) {
    return parse_time(text, "test").at(find_zone(zone));
}

struct Clinic {
    TempDir dir;
    std::string db = (dir / "clinic.db").string();
    std::string no_cups = "CUPS_SERVER=" + (dir / "no-cups.sock").string();

    Clinic() {
        REQUIRE(run_solace({"init", "--db", db, "--user", "ann"}, nurse_env).exit_code == 0);
        import("patients", "mrn,name,date_of_birth,time_zone,diagnosis\n"
                           "GR1," +
                               greek +
                               ",1944-07-19,Europe/Athens,pancreatic cancer\n"
                               "RU1," +
                               cyrillic +
                               ",1951-11-03,Europe/Moscow,breast cancer\n"
                               "NY1,Rosa Brennan,1941-04-02,America/New_York,ovarian cancer\n"
                               "LON1,Walter Moreau,1938-01-15,Europe/London,glioblastoma\n");
    }

    void import(const std::string& kind, const std::string& csv) {
        const auto r = solace::test::import_csv(dir.path, db, kind, csv, nurse_env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }

    test::CommandResult report(const std::string& mrn, const std::string& week,
                               std::vector<std::string> extra = {},
                               std::vector<std::string> env = nurse_env,
                               const std::string& user = "ann") {
        std::vector<std::string> args{"report", "--patient", mrn,      "--week", week,
                                      "--db",   db,          "--user", user};
        args.insert(args.end(), extra.begin(), extra.end());
        env.push_back(no_cups);
        return run_solace(args, env);
    }

    // Writes the PDF and returns its path; the test fails with stderr when it is refused.
    std::filesystem::path pdf(const std::string& mrn, const std::string& week,
                              std::vector<std::string> extra = {}) {
        const auto out = dir / (mrn + "-" + week + ".pdf");
        extra.insert(extra.end(), {"--out", out.string(), "--overwrite"});
        const auto r = report(mrn, week, extra);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("Wrote"));
        return out;
    }

    // In-process, as the nurse: for what the command line cannot do (visit notes, goals).
    template <class F> void as_nurse(F&& f) {
        store::Database d(db, store::Database::Mode::open_existing);
        auto account = store::AccountRepository(d).find("ann");
        REQUIRE(account);
        app::Session s(d, *account);
        f(s, d);
    }

    void visit_note(const std::string& mrn, Instant at, const std::string& note) {
        as_nurse([&](const app::Session& s, store::Database&) {
            app::VisitEntry v;
            v.mrn = mrn;
            v.at = at;
            v.note = note;
            test::record_visit(s, v);
        });
    }

    std::int64_t audit_count(const std::string& action) {
        store::Database d(db, store::Database::Mode::open_existing);
        store::Statement s(d, "SELECT count(*) FROM audit_log WHERE action = ?");
        s.bind(1, action);
        s.step();
        return s.int64(0);
    }
};

// A typical week for GR1 (Athens, UTC+2 in March): morphine SR bid (time-critical, window
// 30 min) with one dose late, one early, one missed, one held, one refused and nine on time;
// three pain PRN doses on Tuesday (breakthrough); pain rising to 8; a caregiver score; a PPS;
// a visit note; a comfort goal; one flag acknowledged.
void typical_week(Clinic& c) {
    c.import("medications",
             "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
             "GR1,morphine-sr,Morphine SR,30 mg,oral,bid,,pain,2026-02-20,\n"
             "GR1,morphine-ir,Morphine IR,5 mg,oral,prn q1h max 6,,pain,2026-02-20,\n");
    c.import("administrations", "patient,med,given_at,status,reason,recorded_by\n"
                                "GR1,morphine-sr,2026-03-02T08:10,given,,\n"
                                "GR1,morphine-sr,2026-03-02T20:00,given,,\n"
                                "GR1,morphine-sr,2026-03-03T09:15,given,,\n" // late
                                "GR1,morphine-sr,2026-03-03T20:05,given,,\n"
                                "GR1,morphine-sr,2026-03-04T08:00,given,,\n"
                                // Wed 20:00: nothing (missed)
                                "GR1,morphine-sr,2026-03-05T08:05,held,asleep,\n"
                                "GR1,morphine-sr,2026-03-05T20:00,given,,\n"
                                "GR1,morphine-sr,2026-03-06T08:00,given,,\n"
                                "GR1,morphine-sr,2026-03-06T20:02,refused,nausea,\n"
                                "GR1,morphine-sr,2026-03-07T07:00,given,,\n" // early
                                "GR1,morphine-sr,2026-03-07T20:00,given,,\n"
                                "GR1,morphine-sr,2026-03-08T08:00,given,,\n"
                                "GR1,morphine-sr,2026-03-08T20:10,given,,\n"
                                "GR1,morphine-ir,2026-03-03T10:00,given,,\n"
                                "GR1,morphine-ir,2026-03-03T14:00,given,,\n"
                                "GR1,morphine-ir,2026-03-03T18:00,given,,\n"
                                "GR1,morphine-ir,2026-03-05T12:00,given,,\n");
    c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                             "GR1,2026-02-25T10:00,pain,2,patient,\n"
                             "GR1,2026-02-27T10:00,pain,3,patient,\n"
                             "GR1,2026-03-02T10:00,pain,3,patient,\n"
                             "GR1,2026-03-03T10:00,pain,5,patient,\n"
                             "GR1,2026-03-04T10:00,pain,8,patient,\n"
                             "GR1,2026-03-05T10:00,pain,6,patient,\n"
                             "GR1,2026-03-06T10:00,pain,4,patient,\n"
                             "GR1,2026-03-07T20:00,pain,7,caregiver,crying out at night\n"
                             "GR1,2026-03-02T10:00,nausea,2,patient,\n"
                             "GR1,2026-03-04T10:00,nausea,3,patient,\n"
                             "GR1,2026-03-04T10:00,pps,50,nurse,\n");
    c.as_nurse([&](const app::Session& s, store::Database&) {
        app::set_comfort_goal(s, "GR1", Symptom::pain, 3,
                              local("2026-02-20T09:00", "Europe/Athens"));
    });
    c.visit_note("GR1", local("2026-03-02T10:00", "Europe/Athens"),
                 "Pain worse at night; daughter asks about a syringe driver.");
    // Acknowledge the severe score of Wednesday, as a nurse would have that day.
    const auto r = run_solace({"flags", "--patient", "GR1", "--from", "2026-03-04T09:00", "--to",
                               "2026-03-04T11:00", "--json", "--db", c.db, "--user", "ann"},
                              nurse_env);
    REQUIRE(r.exit_code == 0);
    std::string id;
    for (const auto& f : nlohmann::json::parse(r.out))
        if (f["rule"] == "symptom.severe") id = f["id"];
    REQUIRE_FALSE(id.empty());
    c.as_nurse([&](const app::Session& s, store::Database& d) {
        const auto p = s.patient("GR1");
        REQUIRE(store::FlagRepository(d).acknowledge(
            id, p.id, s.account().id, local("2026-03-04T12:30", "Europe/Athens"), "GP called"));
    });
}

} // namespace

TEST_CASE("A typical week's summary names the patient in Greek and fits on two A4 pages",
          "[report]") {
    Clinic c;
    typical_week(c);
    const auto pdf = c.pdf("GR1", "2026-W10", {"--paper", "a4"});
    const auto text = pdf_text(pdf);
    const auto flat = squeeze(text);
    CHECK_THAT(text, Catch::Contains(greek));
    CHECK_THAT(flat, Catch::Contains("MRN GR1"));
    CHECK_THAT(flat, Catch::Contains("born 19 Jul 1944 (age 81)"));
    CHECK_THAT(flat, Catch::Contains("Week 2026-W10: Mon 2 Mar – Sun 8 Mar 2026"));
    CHECK_THAT(flat, Catch::Contains("1 visit · 8 scores (7 patient, 1 caregiver) · 17 doses "
                                     "recorded"));
    const int pages = pdf_pages(pdf);
    CHECK(pages <= 2);
    CHECK_THAT(flat, Catch::Contains(fmt::format("Page 1 of {}", pages)));
    CHECK_THAT(pdf_info(pdf), Catch::Contains("595.276 x 841.89 pts (A4)"));

    SECTION("Symptoms give last, lowest, highest and the change against last week") {
        CHECK_THAT(flat, Catch::Contains("Pain comfort goal ≤ 3"));
        CHECK_THAT(flat, Catch::Contains("Last 7 (severe, caregiver) · low 3 · high 8"));
        // Patient scores only: 5.2 this week against 2.5 the week before.
        CHECK_THAT(flat, Catch::Contains("Patient-rated mean 5.2; week before 2.5"));
        CHECK_THAT(flat, Catch::Contains("↑ 2.7 worse"));
        CHECK_THAT(flat, Catch::Contains("Mean 2.5; none scored the week before"));
    }
    SECTION("Flags are listed most severe first, with their acknowledgement") {
        CHECK_THAT(flat, Catch::Contains("URGENT Wed 4 Mar 10:00 Severe score — Pain 8/10"));
        CHECK_THAT(flat, Catch::Contains("Acknowledged by ann on Wed 4 Mar 12:30: “GP called”"));
        CHECK_THAT(flat, Catch::Contains("Dose missed — Nothing was recorded for the Morphine SR "
                                         "20:00 dose"));
        CHECK_THAT(flat, Catch::Contains("Breakthrough pain medication"));
        CHECK(flat.find("URGENT") < flat.find("WARNING"));
        CHECK(flat.rfind("URGENT") < flat.find("WARNING"));
    }
    SECTION("Adherence counts each kind of dose, and PRN use marks the breakthrough day") {
        // Due, on time, late, early, missed, held, refused, given.
        CHECK_THAT(flat, Catch::Contains("Morphine SR 30 mg oral 14 9 1 1 1 1 1 79%"));
        CHECK_THAT(flat, Catch::Contains("Morphine IR 5 mg · 3* · 1 · · · 4"));
        CHECK_THAT(flat, Catch::Contains("Breakthrough day"));
    }
    SECTION("PPS and notes carry their local time and author") {
        CHECK_THAT(flat, Catch::Contains("Wed 4 Mar 10:00: 50%"));
        CHECK_THAT(flat, Catch::Contains("Mon 2 Mar 10:00 · ann Pain worse at night; daughter "
                                         "asks about a syringe driver."));
        CHECK_THAT(flat, Catch::Contains("Pain 7, caregiver crying out at night"));
    }
    SECTION("Writing is audited") {
        CHECK(c.audit_count("report.write") == 1);
    }
}

TEST_CASE("The summary model counts doses through the flags' matching", "[report]") {
    Clinic c;
    typical_week(c);
    c.as_nurse([&](const app::Session& s, store::Database&) {
        const auto w =
            report::build_weekly_summary(s, s.patient("GR1"), {2026, 10}, utc(2026, 6, 1));
        REQUIRE(w.adherence.size() == 1);
        const auto& a = w.adherence.front();
        CHECK(a.due == 14);
        CHECK(a.on_time == 9);
        CHECK(a.late == 1);
        CHECK(a.early == 1);
        CHECK(a.missed == 1);
        CHECK(a.held == 1);
        CHECK(a.refused == 1);
        CHECK(a.given_percent == 79);
        REQUIRE(w.prn.size() == 1);
        CHECK(w.prn[0].per_day == std::array<int, 7>{0, 3, 0, 1, 0, 0, 0});
        CHECK(w.breakthrough_day ==
              std::array<bool, 7>{false, true, false, false, false, false, false});
        REQUIRE_FALSE(w.flags.empty());
        for (std::size_t i = 1; i < w.flags.size(); ++i)
            CHECK(w.flags[i - 1].flag.severity >= w.flags[i].flag.severity);
        REQUIRE(w.symptoms.size() == 2);
        CHECK(w.symptoms[0].trend == 1);
        CHECK(w.symptoms[0].compared == Reporter::patient);
        CHECK(w.symptoms[0].goal == 3);
        CHECK(report::default_file_name(w) == "GR1-2026-W10.pdf");
    });
}

TEST_CASE("The summary and the history tell a PRN dose's effect, and escalated flags come first",
          "[report]") {
    Clinic c;
    typical_week(c);
    // 40 minutes after Tuesday's 10:00 morphine IR the pain was 4 (5 at the dose).
    c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                             "GR1,2026-03-03T10:40,pain,4,caregiver,\n");
    c.as_nurse([&](const app::Session& s, store::Database&) {
        const auto w =
            report::build_weekly_summary(s, s.patient("GR1"), {2026, 10}, utc(2026, 6, 1));
        REQUIRE(w.prn.size() == 1);
        // The other three doses had no pain score 15 to 90 minutes after them.
        CHECK(w.prn[0].effects ==
              std::vector<std::string>{"Tue 10:00: pain 5 → 4, 40 min after morphine-ir"});
        // Wednesday's missed 20:00 morphine SR (time-critical, so urgent) was never
        // acknowledged; the severe pain of Wednesday was, within hours.
        REQUIRE_FALSE(w.flags.empty());
        CHECK(w.flags[0].flag.escalated);
        CHECK(w.flags[0].flag.rule == "dose.missed");
        for (const auto& l : w.flags) {
            INFO(l.flag.id);
            CHECK(l.flag.escalated ==
                  (l.flag.severity == Severity::urgent && !l.flag.acknowledged));
        }
        const auto h = app::patient_history(s, "GR1", utc(2026, 3, 9), app::HistoryRange::week);
        int with_effect = 0;
        for (const auto& e : h.entries)
            if (!e.prn_effect.empty()) {
                ++with_effect;
                CHECK(e.score.value == 4);
                CHECK(e.prn_effect == "pain 5 → 4, 40 min after morphine-ir");
            }
        CHECK(with_effect == 1);
    });
    const auto flat = squeeze(pdf_text(c.pdf("GR1", "2026-W10")));
    CHECK_THAT(flat, Catch::Contains("escalated: escalated first, then most severe"));
    CHECK_THAT(flat, Catch::Contains("Escalated: urgent and still not acknowledged."));
    CHECK_THAT(flat,
               Catch::Contains("Effect of Morphine IR (the first score 15–90 min after each dose): "
                               "Tue 10:00: pain 5 → 4, 40 min after morphine-ir."));
}

TEST_CASE("A week across the spring-forward change shows New York's local times", "[report]") {
    Clinic c;
    // 2026-03-08 02:00 EST becomes 03:00 EDT: 22:00 on Saturday is UTC-5, 10:00 Sunday UTC-4.
    c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                             "NY1,2026-03-07T22:00,pain,4,patient,\n"
                             "NY1,2026-03-08T10:00,pain,8,patient,\n");
    c.visit_note("NY1", utc(2026, 3, 8, 13, 15), "Seen after the clocks changed.");
    const auto flat = squeeze(pdf_text(c.pdf("NY1", "2026-W10")));
    CHECK_THAT(flat, Catch::Contains("Clocks went forward on Sun 8 Mar 03:00 (EST → EDT)"));
    CHECK_THAT(flat, Catch::Contains("Sun 8 Mar 10:00 Severe score — Pain 8/10"));
    CHECK_THAT(flat, Catch::Contains("Sun 8 Mar 09:15 · ann Seen after the clocks changed."));
}

TEST_CASE("A week with no visits or scores says so in a plain sentence on one page", "[report]") {
    Clinic c;
    const auto pdf = c.pdf("LON1", "2026-W10");
    const auto flat = squeeze(pdf_text(pdf));
    CHECK_THAT(flat, Catch::Contains("No visits or scores were recorded this week."));
    CHECK_THAT(flat, Catch::Contains("Walter Moreau"));
    CHECK(pdf_pages(pdf) == 1);
    CHECK(flat.find("Symptoms") == std::string::npos);
}

TEST_CASE("A week with only caregiver scores says so, for a Cyrillic name", "[report]") {
    Clinic c;
    c.import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                             "RU1,2026-03-03T19:00,anxiety,6,caregiver,\n"
                             "RU1,2026-03-05T19:00,anxiety,4,caregiver,\n");
    const auto text = pdf_text(c.pdf("RU1", "2026-W10"));
    CHECK_THAT(text, Catch::Contains(cyrillic));
    CHECK_THAT(squeeze(text),
               Catch::Contains("Only caregiver (family) scores were recorded this week"));
}

TEST_CASE("A very long note and name wrap, and the note continues on the next page", "[report]") {
    Clinic c;
    const std::string name = "Maximiliana Alexandrina Wilhelmina von Hohenzollern-Sigmaringen "
                             "y Borbón-Dos Sicilias de la Santísima Trinidad Fairweather";
    c.import("patients", "mrn,name,date_of_birth,time_zone,diagnosis\n"
                         "LONG1," +
                             name + ",1949-02-11,Europe/Madrid,mesothelioma\n");
    std::string note = "START OF NOTE.";
    for (int i = 0; i < 180; ++i)
        note += fmt::format(" Sentence {} of a long handover about the night, the family and the "
                            "pump.",
                            i);
    note += " END OF NOTE.";
    c.visit_note("LONG1", local("2026-03-04T11:00", "Europe/Madrid"), note);
    const auto pdf = c.pdf("LONG1", "2026-W10");
    const int pages = pdf_pages(pdf);
    REQUIRE(pages >= 2);
    CHECK_THAT(pdf_text(pdf, 1), Catch::Contains("START OF NOTE."));
    CHECK_THAT(pdf_text(pdf, pages), Catch::Contains("END OF NOTE."));
    const auto flat = squeeze(pdf_text(pdf));
    CHECK_THAT(flat, Catch::Contains("Fairweather"));
    CHECK_THAT(flat, Catch::Contains(fmt::format("Page {} of {}", pages, pages)));
}

TEST_CASE("Paper is A4 by default, Letter by option or from a US locale", "[report]") {
    Clinic c;
    SECTION("--paper letter") {
        CHECK_THAT(pdf_info(c.pdf("LON1", "2026-W10", {"--paper", "letter"})),
                   Catch::Contains("612 x 792 pts (letter)"));
    }
    SECTION("LC_ALL=en_US.UTF-8") {
        const auto out = c.dir / "us.pdf";
        auto env = nurse_env;
        env.push_back("LC_ALL=en_US.UTF-8");
        REQUIRE(c.report("LON1", "2026-W10", {"--out", out.string()}, env).exit_code == 0);
        CHECK_THAT(pdf_info(out), Catch::Contains("612 x 792 pts (letter)"));
    }
    SECTION("LC_ALL=C.UTF-8") {
        const auto out = c.dir / "c.pdf";
        auto env = nurse_env;
        env.push_back("LC_ALL=C.UTF-8");
        REQUIRE(c.report("LON1", "2026-W10", {"--out", out.string()}, env).exit_code == 0);
        CHECK_THAT(pdf_info(out), Catch::Contains("595.276 x 841.89 pts (A4)"));
    }
    SECTION("An unknown size is refused") {
        const auto r = c.report("LON1", "2026-W10", {"--paper", "a5"});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("use a4 or letter"));
    }
}

TEST_CASE("The document metadata names the patient, the week and the author", "[report]") {
    Clinic c;
    const auto info = pdf_info(c.pdf("GR1", "2026-W10"));
    CHECK_THAT(info, Catch::Contains("Weekly summary: " + greek + " (GR1), 2026-W10"));
    CHECK_THAT(squeeze(info), Catch::Contains("Author: ann"));
    CHECK_THAT(info, Catch::Contains("CreationDate:"));
}

TEST_CASE("A week that is not a week is refused with an example", "[report]") {
    Clinic c;
    for (const char* bad : {"2026-10", "W10", "2026-W54", "2026-W00", "next"}) {
        const auto r = c.report("LON1", bad);
        INFO(bad);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("2026-W10"));
    }
    const auto r = c.report("LON1", "2025-W53");
    CHECK_THAT(r.err, Catch::Contains("2025 has 52 ISO weeks"));
    CHECK_THAT(c.report("LON1", "2099-W01").err, Catch::Contains("has not started yet"));
}

TEST_CASE("This week and last week are accepted and shown as their ISO week", "[report]") {
    Clinic c;
    for (const char* week : {"this", "last"}) {
        INFO(week);
        const auto r = c.report("LON1", week, {"--out", (c.dir / "w.pdf").string(), "--overwrite"});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(squeeze(pdf_text(c.dir / "w.pdf")), Catch::Matches(".*Week \\d{4}-W\\d{2}: .*"));
    }
}

TEST_CASE("Printing without CUPS fails with a clear sentence and is not audited", "[report]") {
    Clinic c;
    const auto r = c.report("LON1", "2026-W10", {"--print"});
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Catch::Contains("CUPS"));
    CHECK_THAT(r.err, Catch::Contains("not running"));
    CHECK(c.audit_count("report.print") == 0);
    SECTION("--printer needs --print") {
        CHECK(c.report("LON1", "2026-W10", {"--printer", "ward"}).exit_code == 2);
    }
}

TEST_CASE("A family account reports only its own patient, and prints only when allowed",
          "[report]") {
    Clinic c;
    const auto added = run_solace({"user", "add", "maria", "--role", "family", "--patient", "GR1",
                                   "--db", c.db, "--user", "ann"},
                                  {"SOLACE_PASSWORD=bedside-1", "SOLACE_NEW_PASSWORD=family-1"});
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    const auto out = c.dir / "family.pdf";
    SECTION("Their own patient's summary can be saved") {
        const auto r = c.report("GR1", "2026-W10", {"--out", out.string()}, family_env, "maria");
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(std::filesystem::exists(out));
    }
    SECTION("Another patient is not found") {
        const auto r = c.report("NY1", "2026-W10", {"--out", out.string()}, family_env, "maria");
        CHECK(r.exit_code == 5);
        CHECK_FALSE(std::filesystem::exists(out));
    }
    SECTION("Printing is refused when the agency switched it off") {
        {
            store::Database d(c.db, store::Database::Mode::open_existing);
            d.exec("INSERT INTO setting (key, value) VALUES ('family_may_print', 0)");
        }
        const auto r = c.report("GR1", "2026-W10", {"--print"}, family_env, "maria");
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("may not print"));
    }
    SECTION("Printing is allowed by default, so it reaches CUPS") {
        const auto r = c.report("GR1", "2026-W10", {"--print"}, family_env, "maria");
        CHECK(r.exit_code == 5);
        CHECK_THAT(r.err, Catch::Contains("CUPS"));
    }
}

std::vector<std::string> split(const std::string& text, char at) {
    std::vector<std::string> parts(1);
    for (char ch : text)
        if (ch == at)
            parts.emplace_back();
        else
            parts.back() += ch;
    return parts;
}

// The lines of one page's body, as pdftotext -layout reads them: after the header (its last
// line is the patient's `diagnosis`, below "Page N of M") and before the footer ("Made ...").
std::vector<std::string> body_lines(const std::string& page_text, const std::string& diagnosis) {
    std::vector<std::string> lines;
    bool body = false;
    std::size_t at = 0;
    while (at < page_text.size()) {
        auto end = page_text.find('\n', at);
        if (end == std::string::npos) end = page_text.size();
        const auto line = page_text.substr(at, end - at);
        at = end + 1;
        if (line.find_first_not_of(" \f") == std::string::npos) continue;
        if (line.find("Made ") != std::string::npos &&
            line.find("with Solace") != std::string::npos)
            break;
        if (body && !(lines.empty() && line.find(diagnosis) != std::string::npos))
            lines.push_back(line);
        if (std::regex_search(line, std::regex(R"(Page \d+ of \d+)"))) body = true;
    }
    return lines;
}

TEST_CASE("A table continuing on the next page repeats its header, and no page ends on a heading",
          "[report]") {
    Clinic c;
    typical_week(c);
    std::string meds = "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n";
    std::string given = "patient,med,given_at,status,reason,recorded_by\n";
    constexpr int remedies = 40;
    for (int i = 1; i <= remedies; ++i) {
        meds += fmt::format("GR1,remedy-{0},Remedy {0},{0} mg,oral,prn q4h max 6,,comfort,"
                            "2026-02-20,\n",
                            i);
        given += fmt::format("GR1,remedy-{},2026-03-0{}T11:00,given,,\n", i, 2 + i % 7);
    }
    c.import("medications", meds);
    c.import("administrations", given);
    const std::regex heading(R"(^\s*(Symptoms \(ESAS-r|Flags raised this week|Scheduled )"
                             R"(medications: doses|As-needed \(PRN\) doses|Palliative )"
                             R"(Performance Scale|Notes \())");
    // A row starts with the name and dose ("Morphine IR 5 mg"); a flag's detail may also wrap
    // to a line starting with the name ("Morphine IR as-needed dose: was it effective?").
    const std::regex prn_row(R"(^\s*(Remedy (\d+) \2 mg|Morphine IR 5 mg))");
    const std::regex prn_header(R"(^\s*Medication\s+Mon 2\s+Tue 3.*Total)");
    c.as_nurse([&](const app::Session& s, store::Database&) {
        const auto patient = s.patient("GR1");
        const auto week =
            report::parse_week("2026-W10", utc(2026, 4, 1), find_zone("Europe/Athens"));
        const auto full = report::build_weekly_summary(s, patient, week, utc(2026, 4, 1));
        REQUIRE(full.prn.size() == remedies + 1);
        // From one PRN row to all of them: the sections below the table move down the pages,
        // so each heading comes near a page's foot in some of these.
        for (std::size_t rows = 1; rows <= full.prn.size(); ++rows) {
            auto w = full;
            w.prn.resize(rows);
            const auto pdf = c.dir / "breaks.pdf";
            test::write_file(pdf, report::render_pdf(w).bytes);
            // pdftotext ends each page with a form feed.
            std::vector<std::string> pages;
            for (const auto& text = pdf_text(pdf); const auto& page : split(text, '\f'))
                if (!page.empty()) pages.push_back(page);
            std::vector<int> rows_on_page;
            for (std::size_t page = 0; page < pages.size(); ++page) {
                INFO("PRN rows " << rows << ", page " << page + 1 << " of " << pages.size());
                const auto lines = body_lines(pages[page], "pancreatic cancer");
                REQUIRE_FALSE(lines.empty());
                CHECK_FALSE(std::regex_search(lines.back(), heading));
                int count = 0, header_at = -1, first_row_at = -1;
                for (std::size_t i = 0; i < lines.size(); ++i) {
                    if (std::regex_search(lines[i], prn_header) && header_at < 0)
                        header_at = static_cast<int>(i);
                    if (std::regex_search(lines[i], prn_row)) {
                        if (first_row_at < 0) first_row_at = static_cast<int>(i);
                        ++count;
                    }
                }
                if (count == 0) continue;
                CHECK(header_at >= 0);
                CHECK(header_at < first_row_at);
                if (!rows_on_page.empty()) // the table goes on from the page before
                    CHECK_THAT(lines.front(),
                               Catch::Contains("As-needed (PRN) doses given per day (continued)"));
                rows_on_page.push_back(count);
            }
            int total = 0;
            for (int n : rows_on_page) {
                total += n;
                // Never a row alone on either side of a break.
                if (rows_on_page.size() > 1) CHECK(n >= 2);
            }
            CHECK(total == static_cast<int>(rows));
        }
    });
}
