// The symptom, dose and PRN rules of DESIGN §3, each at its boundaries.
// Every instant is built explicitly in UTC: nothing here depends on TZ or the clock.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "clinical/rules.hpp"
#include "clinical/schedule.hpp"
#include "support.hpp"

using namespace solace;
using namespace solace::clinical;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using solace::test::count_rows;
using solace::test::utc;

namespace {

const Thresholds defaults{};

// One patient's chart, built up entry by entry; ids are assigned in order from 1.
struct Chart {
    PatientRecord r;

    explicit Chart(std::string zone = "UTC") {
        r.patient.id = 42;
        r.patient.mrn = "MRN1";
        r.patient.name = "Ada Lovelace";
        r.patient.time_zone = std::move(zone);
    }

    std::int64_t score(Symptom s, int value, Instant at, Reporter who = Reporter::patient) {
        Score sc;
        sc.id = static_cast<std::int64_t>(r.scores.size()) + 1;
        sc.patient_id = r.patient.id;
        sc.symptom = s;
        sc.value = value;
        sc.reporter = who;
        sc.observed_at = at;
        r.scores.push_back(sc);
        return sc.id;
    }

    void goal(Symptom s, int goal, Instant set_at) {
        r.goals.push_back(ComfortGoal{r.patient.id, s, goal, set_at});
    }

    std::int64_t med(std::string key, std::string name, std::string schedule, Instant start,
                     std::string indication = "") {
        Medication m;
        m.id = static_cast<std::int64_t>(r.medications.size()) + 1;
        m.patient_id = r.patient.id;
        m.key = std::move(key);
        m.name = std::move(name);
        m.schedule_text = schedule;
        m.schedule = parse_schedule(schedule);
        m.time_critical = default_time_critical(m.name, m.schedule);
        m.indication = std::move(indication);
        m.start = start;
        r.medications.push_back(m);
        return m.id;
    }

    Medication& medication(std::int64_t id) { return r.medications.at(std::size_t(id - 1)); }

    std::int64_t give(std::int64_t med_id, Instant at, DoseStatus status = DoseStatus::given) {
        Administration a;
        a.id = static_cast<std::int64_t>(r.administrations.size()) + 1;
        a.patient_id = r.patient.id;
        a.medication_id = med_id;
        a.given_at = at;
        a.status = status;
        if (status != DoseStatus::given) a.reason = "asleep";
        a.recorded_by = "nurse";
        r.administrations.push_back(a);
        // app/ hands them over sorted by given_at
        std::stable_sort(r.administrations.begin(), r.administrations.end(),
                         [](const Administration& x, const Administration& y) {
                             return x.given_at < y.given_at;
                         });
        return a.id;
    }
};

std::vector<std::string> rules_of(const std::vector<Flag>& flags) {
    std::vector<std::string> out;
    for (const auto& f : flags)
        out.push_back(f.rule);
    return out;
}

using Rules = std::vector<std::string>;

// The flags about one score, evaluated over a wide range.
std::vector<Flag> symptom_flags_for(const Chart& c, std::int64_t score_id,
                                    const Thresholds& t = defaults) {
    std::vector<Flag> out;
    for (auto& f : symptom_flags(c.r, utc(2020, 1, 1), utc(2030, 1, 1), t))
        if (f.id.ends_with(fmt::format("/s{}", score_id))) out.push_back(f);
    return out;
}

} // namespace

// ---------------------------------------------------------------------------- symptoms

TEST_CASE("A score of 7 or more raises symptom.severe", "[clinical]") {
    SECTION("7 is severe, 6 is not") {
        Chart c;
        const auto seven = c.score(Symptom::pain, 7, utc(2026, 3, 1, 10));
        Chart d;
        const auto six = d.score(Symptom::pain, 6, utc(2026, 3, 1, 10));
        REQUIRE(symptom_flags_for(c, seven).size() == 1);
        CHECK(symptom_flags_for(c, seven)[0].rule == "symptom.severe");
        CHECK(symptom_flags_for(d, six).empty());
    }
    SECTION("urgent for pain, nausea and breathing, a warning otherwise") {
        for (auto s : {Symptom::pain, Symptom::nausea, Symptom::breathing}) {
            Chart c;
            const auto id = c.score(s, 9, utc(2026, 3, 1, 10));
            INFO(code(s));
            CHECK(symptom_flags_for(c, id).at(0).severity == Severity::urgent);
        }
        for (auto s : {Symptom::appetite, Symptom::anxiety, Symptom::tiredness, Symptom::drowsiness,
                       Symptom::depression, Symptom::wellbeing}) {
            Chart c;
            const auto id = c.score(s, 7, utc(2026, 3, 1, 10));
            INFO(code(s));
            const auto flags = symptom_flags_for(c, id);
            REQUIRE(flags.size() == 1);
            CHECK(flags[0].rule == "symptom.severe");
            CHECK(flags[0].severity == Severity::warning);
        }
    }
    SECTION("the flag describes the score and carries its identity") {
        Chart c;
        const auto id = c.score(Symptom::breathing, 8, utc(2026, 3, 1, 10), Reporter::caregiver);
        const auto f = symptom_flags_for(c, id).at(0);
        CHECK(f.id == fmt::format("symptom.severe/MRN1/s{}", id));
        CHECK(f.mrn == "MRN1");
        CHECK(f.patient_id == 42);
        CHECK(f.at == utc(2026, 3, 1, 10));
        CHECK(f.symptom == Symptom::breathing);
        CHECK(f.med.empty());
        CHECK(f.reasons.empty());
        CHECK_FALSE(f.acknowledged);
        CHECK(f.detail == "Shortness of breath 8/10 (caregiver); severe.");
    }
}

TEST_CASE("A rise of exactly 2 points raises symptom.rise", "[clinical]") {
    Chart c;
    c.score(Symptom::anxiety, 1, utc(2026, 3, 1, 10));
    SECTION("2 points up") {
        const auto id = c.score(Symptom::anxiety, 3, utc(2026, 3, 2, 10));
        const auto flags = symptom_flags_for(c, id);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].rule == "symptom.rise");
        CHECK(flags[0].severity == Severity::warning);
        CHECK(flags[0].reasons.empty()); // still mild
        CHECK(flags[0].detail ==
              "Anxiety 3/10 (patient), up from 1 on 2026-03-01; a rise of 2 points.");
    }
    SECTION("1 point up is a trend, not a flag") {
        const auto id = c.score(Symptom::anxiety, 2, utc(2026, 3, 2, 10));
        CHECK(symptom_flags_for(c, id).empty());
    }
    SECTION("a fall is not a rise") {
        c.score(Symptom::anxiety, 5, utc(2026, 3, 2, 10));
        const auto id = c.score(Symptom::anxiety, 2, utc(2026, 3, 3, 10));
        CHECK(symptom_flags_for(c, id).empty());
    }
    SECTION("the agency can raise the threshold") {
        Thresholds t;
        t.rise_points = 3;
        const auto id = c.score(Symptom::anxiety, 3, utc(2026, 3, 2, 10));
        CHECK(symptom_flags_for(c, id, t).empty());
    }
}

TEST_CASE("The previous score counts when it is at most 14 days older", "[clinical]") {
    Chart c;
    c.score(Symptom::nausea, 1, utc(2026, 3, 1, 10));
    SECTION("exactly 14 days older") {
        const auto id = c.score(Symptom::nausea, 3, utc(2026, 3, 15, 10));
        CHECK(rules_of(symptom_flags_for(c, id)) == Rules{"symptom.rise"});
    }
    SECTION("14 days and 1 minute older is no previous score") {
        const auto id = c.score(Symptom::nausea, 3, utc(2026, 3, 15, 10, 1));
        CHECK(symptom_flags_for(c, id).empty());
    }
    SECTION("only the latest earlier score is the previous one") {
        c.score(Symptom::nausea, 2, utc(2026, 3, 5, 10));
        const auto id = c.score(Symptom::nausea, 3, utc(2026, 3, 6, 10));
        CHECK(symptom_flags_for(c, id).empty());
    }
}

TEST_CASE("Scores by a caregiver are not compared with scores by the patient", "[clinical]") {
    Chart c;
    c.score(Symptom::pain, 2, utc(2026, 3, 1, 10), Reporter::patient);
    const auto carer = c.score(Symptom::pain, 5, utc(2026, 3, 2, 10), Reporter::caregiver);
    SECTION("the caregiver's first score has no previous score") {
        CHECK(symptom_flags_for(c, carer).empty());
    }
    SECTION("the patient's next score is compared with the patient's last") {
        const auto id = c.score(Symptom::pain, 4, utc(2026, 3, 3, 10), Reporter::patient);
        const auto flags = symptom_flags_for(c, id);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].rule == "symptom.rise");
        CHECK(flags[0].detail.find("up from 2 on 2026-03-01") != std::string::npos);
    }
    SECTION("nor with the nurse's, and other symptoms never mix") {
        c.score(Symptom::anxiety, 0, utc(2026, 3, 2, 12), Reporter::nurse);
        const auto nurse = c.score(Symptom::pain, 4, utc(2026, 3, 3, 10), Reporter::nurse);
        CHECK(symptom_flags_for(c, nurse).empty());
    }
}

TEST_CASE("A higher band counts only with a change of at least 2 points", "[clinical]") {
    Chart c;
    SECTION("mild 3 to moderate 4 is one point: no flag") {
        c.score(Symptom::tiredness, 3, utc(2026, 3, 1, 10));
        const auto id = c.score(Symptom::tiredness, 4, utc(2026, 3, 2, 10));
        CHECK(symptom_flags_for(c, id).empty());
    }
    SECTION("mild 3 to moderate 5 is a rise with band_up as a reason") {
        c.score(Symptom::tiredness, 3, utc(2026, 3, 1, 10));
        const auto id = c.score(Symptom::tiredness, 5, utc(2026, 3, 2, 10));
        const auto f = symptom_flags_for(c, id).at(0);
        CHECK(f.rule == "symptom.rise");
        CHECK(f.reasons == Rules{"symptom.band_up"});
        CHECK(f.detail == "Tiredness 5/10 (patient), up from 3 on 2026-03-01; a rise of 2 points, "
                          "now moderate, was mild.");
    }
    SECTION("none 0 to mild 2") {
        c.score(Symptom::tiredness, 0, utc(2026, 3, 1, 10));
        const auto id = c.score(Symptom::tiredness, 2, utc(2026, 3, 2, 10));
        CHECK(symptom_flags_for(c, id).at(0).reasons == Rules{"symptom.band_up"});
    }
}

TEST_CASE("The most severe rule wins and the others become reasons", "[clinical]") {
    SECTION("severe pain after a rise is urgent severe, with rise and band_up as reasons") {
        Chart c("America/New_York");
        c.score(Symptom::pain, 5, utc(2026, 3, 1, 15));
        const auto id = c.score(Symptom::pain, 8, utc(2026, 3, 2, 15));
        const auto flags = symptom_flags_for(c, id);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].rule == "symptom.severe");
        CHECK(flags[0].severity == Severity::urgent);
        CHECK(flags[0].reasons == Rules{"symptom.rise", "symptom.band_up"});
        CHECK(flags[0].id == fmt::format("symptom.severe/MRN1/s{}", id));
        CHECK(flags[0].detail ==
              "Pain 8/10 (patient), up from 5 on 2026-03-01; severe, a rise of 3 points.");
    }
    SECTION("among warnings: severe before rise before above_goal") {
        Chart c;
        c.goal(Symptom::anxiety, 2, utc(2026, 1, 1));
        c.score(Symptom::anxiety, 5, utc(2026, 3, 1, 10));
        const auto id = c.score(Symptom::anxiety, 8, utc(2026, 3, 2, 10));
        const auto f = symptom_flags_for(c, id).at(0);
        CHECK(f.rule == "symptom.severe");
        CHECK(f.severity == Severity::warning);
        CHECK(f.reasons == Rules{"symptom.rise", "symptom.above_goal", "symptom.band_up"});
    }
    SECTION("rise before above_goal") {
        Chart c;
        c.goal(Symptom::appetite, 2, utc(2026, 1, 1));
        c.score(Symptom::appetite, 2, utc(2026, 3, 1, 10));
        const auto id = c.score(Symptom::appetite, 4, utc(2026, 3, 2, 10));
        const auto f = symptom_flags_for(c, id).at(0);
        CHECK(f.rule == "symptom.rise");
        CHECK(f.reasons == Rules{"symptom.above_goal", "symptom.band_up"});
    }
    SECTION("one flag per score") {
        Chart c;
        c.goal(Symptom::pain, 1, utc(2026, 1, 1));
        c.score(Symptom::pain, 1, utc(2026, 3, 1, 10));
        c.score(Symptom::pain, 2, utc(2026, 3, 2, 10));
        c.score(Symptom::pain, 3, utc(2026, 3, 3, 10));
        const auto id = c.score(Symptom::pain, 9, utc(2026, 3, 4, 10));
        const auto f = symptom_flags_for(c, id);
        REQUIRE(f.size() == 1);
        CHECK(f[0].rule == "symptom.severe");
        CHECK(f[0].reasons == Rules{"symptom.rise", "symptom.sustained_rise", "symptom.above_goal",
                                    "symptom.band_up"});
    }
}

TEST_CASE("A score above the comfort goal in force raises symptom.above_goal", "[clinical]") {
    Chart c;
    c.goal(Symptom::pain, 3, utc(2026, 3, 1, 9));
    SECTION("above the goal") {
        const auto id = c.score(Symptom::pain, 4, utc(2026, 3, 1, 10));
        const auto f = symptom_flags_for(c, id).at(0);
        CHECK(f.rule == "symptom.above_goal");
        CHECK(f.severity == Severity::warning);
        CHECK(f.detail == "Pain 4/10 (patient); above the comfort goal of 3.");
    }
    SECTION("at the goal is fine") {
        const auto id = c.score(Symptom::pain, 3, utc(2026, 3, 1, 10));
        CHECK(symptom_flags_for(c, id).empty());
    }
    SECTION("a goal set after the score is not in force for it") {
        c.goal(Symptom::pain, 1, utc(2026, 3, 1, 11));
        const auto id = c.score(Symptom::pain, 2, utc(2026, 3, 1, 10));
        CHECK(symptom_flags_for(c, id).empty());
    }
    SECTION("the latest goal set before the score is the one in force") {
        c.goal(Symptom::pain, 5, utc(2026, 3, 1, 9, 30));
        const auto id = c.score(Symptom::pain, 4, utc(2026, 3, 1, 10));
        CHECK(symptom_flags_for(c, id).empty());
        const auto later = c.score(Symptom::pain, 6, utc(2026, 3, 20, 10)); // no previous
        CHECK(rules_of(symptom_flags_for(c, later)) == Rules{"symptom.above_goal"});
    }
    SECTION("a goal for another symptom does not apply") {
        const auto id = c.score(Symptom::nausea, 4, utc(2026, 3, 1, 10));
        CHECK(symptom_flags_for(c, id).empty());
    }
}

TEST_CASE("Three rises in a row raise symptom.sustained_rise", "[clinical]") {
    Chart c;
    // Rises of one point, 4 days apart: no rise flag, no weekly means 2 points apart.
    c.score(Symptom::depression, 1, utc(2026, 2, 16));
    c.score(Symptom::depression, 2, utc(2026, 2, 20));
    const auto third = c.score(Symptom::depression, 3, utc(2026, 2, 24));
    SECTION("this score and the three before it strictly increase") {
        const auto id = c.score(Symptom::depression, 4, utc(2026, 3, 2));
        const auto f = symptom_flags_for(c, id);
        REQUIRE(f.size() == 1);
        CHECK(f[0].rule == "symptom.sustained_rise");
        CHECK(f[0].severity == Severity::warning);
        CHECK(f[0].detail == "Depression 4/10 (patient), up from 3 on 2026-02-24; higher each time "
                             "for 4 scores in a row.");
    }
    SECTION("two rises are not enough") {
        CHECK(symptom_flags_for(c, third).empty());
    }
    SECTION("a score equal to the one before breaks the run") {
        c.score(Symptom::depression, 3, utc(2026, 2, 26));
        const auto id = c.score(Symptom::depression, 4, utc(2026, 3, 2));
        CHECK(symptom_flags_for(c, id).empty());
    }
    SECTION("another reporter's scores do not join the run") {
        c.score(Symptom::depression, 0, utc(2026, 2, 26), Reporter::caregiver);
        const auto id = c.score(Symptom::depression, 4, utc(2026, 3, 2));
        CHECK(rules_of(symptom_flags_for(c, id)) == Rules{"symptom.sustained_rise"});
    }
}

TEST_CASE("A weekly mean 2 points above the week before raises symptom.sustained_rise",
          "[clinical]") {
    const Instant t = utc(2026, 3, 15, 12);
    Chart c;
    c.score(Symptom::wellbeing, 2, t - days{13});
    c.score(Symptom::wellbeing, 3, t - days{9});
    SECTION("means 4.5 against 2.5: exactly 2 above") {
        c.score(Symptom::wellbeing, 5, t - days{5});
        const auto id = c.score(Symptom::wellbeing, 4, t);
        const auto f = symptom_flags_for(c, id);
        REQUIRE(f.size() == 1);
        CHECK(f[0].rule == "symptom.sustained_rise");
        CHECK(f[0].detail == "Wellbeing 4/10 (patient), down from 5 on 2026-03-10; the 7-day "
                             "average is 4.5, up from 2.5 the 7 days before.");
    }
    SECTION("means 4 against 2.5 are only 1.5 above") {
        c.score(Symptom::wellbeing, 4, t - days{5});
        const auto id = c.score(Symptom::wellbeing, 4, t);
        c.score(Symptom::wellbeing, 10, t + days{1}); // later scores are not in its week
        CHECK(symptom_flags_for(c, id).empty());
    }
    SECTION("each window needs two scores") {
        Chart d;
        d.score(Symptom::wellbeing, 1, t - days{10}); // alone in the earlier week
        d.score(Symptom::wellbeing, 4, t - days{5});
        const auto id = d.score(Symptom::wellbeing, 4, t); // means 4 against 1
        CHECK(symptom_flags_for(d, id).empty());
        Thresholds one;
        one.sustained_min_scores = 1;
        CHECK(rules_of(symptom_flags_for(d, id, one)) == Rules{"symptom.sustained_rise"});
    }
    SECTION("a score exactly 7 days before belongs to the earlier week") {
        c.score(Symptom::wellbeing, 1, t - days{7});
        c.score(Symptom::wellbeing, 4, t - days{5});
        // recent (t-7d, t]: 4, 4 = 4; before (t-14d, t-7d]: 2, 3, 1 = 2
        const auto id = c.score(Symptom::wellbeing, 4, t);
        CHECK(rules_of(symptom_flags_for(c, id)) == Rules{"symptom.sustained_rise"});
    }
    SECTION("a score exactly 14 days before is outside both weeks") {
        c.score(Symptom::wellbeing, 0, t - days{14}); // would make the earlier mean lower
        c.score(Symptom::wellbeing, 4, t - days{5});
        const auto id = c.score(Symptom::wellbeing, 4, t);
        CHECK(symptom_flags_for(c, id).empty());
    }
}

TEST_CASE("Symptom flags are evaluated as of to and reported between from and to", "[clinical]") {
    Chart c;
    c.score(Symptom::pain, 8, utc(2026, 3, 1, 10));
    const auto inside = c.score(Symptom::pain, 9, utc(2026, 3, 2, 10));
    c.score(Symptom::pain, 1, utc(2026, 3, 3, 10));
    SECTION("only scores in [from, to] are flagged, earlier ones still count as previous") {
        const auto flags = symptom_flags(c.r, utc(2026, 3, 2, 10), utc(2026, 3, 2, 10), defaults);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].id == fmt::format("symptom.severe/MRN1/s{}", inside));
        CHECK(flags[0].detail.find("up from 8") != std::string::npos);
    }
    SECTION("an empty range has no flags") {
        CHECK(symptom_flags(c.r, utc(2026, 3, 3), utc(2026, 3, 2), defaults).empty());
    }
    SECTION("a score after to is not seen") {
        Chart d;
        d.score(Symptom::anxiety, 1, utc(2026, 3, 1, 10));
        const auto later = d.score(Symptom::anxiety, 9, utc(2026, 3, 5, 10));
        CHECK(symptom_flags(d.r, utc(2026, 3, 1), utc(2026, 3, 5, 9), defaults).empty());
        CHECK(symptom_flags(d.r, utc(2026, 3, 1), utc(2026, 3, 5, 10), defaults).at(0).id ==
              fmt::format("symptom.severe/MRN1/s{}", later));
    }
}

TEST_CASE("The look-back covers the rules' longest memory", "[clinical]") {
    CHECK(score_lookback(defaults) == days{14});
    Thresholds t;
    t.sustained_window_days = 10;
    CHECK(score_lookback(t) == days{20});
    CHECK(dose_lookback(defaults) == hours{48});
}

// ---------------------------------------------------------------------------- doses

TEST_CASE("A dose given at its window edge is on time, a minute outside is late or early",
          "[clinical]") {
    struct Case {
        const char* name;
        const char* schedule;
        int window;
    };
    const auto k = GENERATE(Case{"Morphine SR", "bid", 30}, Case{"Senna", "bid", 60},
                            Case{"Dexamethasone", "daily", 120});
    INFO(k.name << " " << k.schedule << " window " << k.window);
    Chart c;
    const auto med = c.med("m", k.name, k.schedule, utc(2026, 3, 1));
    const Instant due = utc(2026, 3, 2, 8);
    const minutes w{k.window};
    const Instant to = utc(2026, 3, 2, 18);
    auto flags_given_at = [&](Instant given) {
        Chart one = c;
        one.give(med, given);
        std::vector<Flag> out;
        for (auto& f : dose_flags(one.r, utc(2026, 3, 2, 6), to, defaults))
            if (f.at == due) out.push_back(f);
        return out;
    };
    SECTION("at due + window") {
        CHECK(flags_given_at(due + w).empty());
    }
    SECTION("a minute inside the late edge") {
        CHECK(flags_given_at(due + w - minutes{1}).empty());
    }
    SECTION("a minute after the window closed is late") {
        const auto f = flags_given_at(due + w + minutes{1});
        REQUIRE(f.size() == 1);
        CHECK(f[0].rule == "dose.late");
        CHECK(f[0].severity == Severity::warning);
    }
    SECTION("at due - window") {
        CHECK(flags_given_at(due - w).empty());
    }
    SECTION("a minute inside the early edge") {
        CHECK(flags_given_at(due - w + minutes{1}).empty());
    }
    SECTION("a minute before the window opened is early") {
        const auto f = flags_given_at(due - w - minutes{1});
        REQUIRE(f.size() == 1);
        CHECK(f[0].rule == "dose.early");
        CHECK(f[0].severity == Severity::info);
    }
}

TEST_CASE("A late dose says how late in the patient's local time", "[clinical]") {
    Chart c("America/New_York");
    const auto med = c.med("morphine-sr", "Morphine SR", "bid", utc(2026, 3, 1, 5));
    const Instant due = utc(2026, 3, 2, 13); // 08:00 EST
    c.give(med, due + minutes{47});
    c.give(med, utc(2026, 3, 3, 1)); // the 20:00 dose, on time
    const auto flags = dose_flags(c.r, utc(2026, 3, 2, 12), utc(2026, 3, 3, 3), defaults);
    REQUIRE(flags.size() == 1);
    const auto& f = flags[0];
    CHECK(f.rule == "dose.late");
    CHECK(f.at == due);
    CHECK(f.med == "morphine-sr");
    CHECK_FALSE(f.symptom);
    CHECK(f.mrn == "MRN1");
    CHECK(f.patient_id == 42);
    CHECK(f.id == fmt::format("dose.late/MRN1/m{}@{}", med, to_epoch(due)));
    CHECK(f.detail == "Morphine SR 08:00 dose was given 47 min late (window ±30 min).");
}

TEST_CASE("An early dose says how early", "[clinical]") {
    Chart c("Europe/London");
    const auto med = c.med("dex", "Dexamethasone", "daily", utc(2026, 6, 1));
    c.give(med, utc(2026, 6, 2, 4)); // 05:00 BST, three hours before 08:00 BST
    const auto flags = dose_flags(c.r, utc(2026, 6, 2), utc(2026, 6, 2, 12), defaults);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].rule == "dose.early");
    CHECK(flags[0].detail == "Dexamethasone 08:00 dose was given 3 h early (window ±2 h).");
}

TEST_CASE("dose.missed is raised only once the window has closed at to", "[clinical]") {
    Chart c;
    const auto senna = c.med("senna", "Senna", "daily", utc(2026, 3, 1));
    const auto morphine = c.med("morphine", "Morphine SR", "daily", utc(2026, 3, 1));
    const Instant due = utc(2026, 3, 2, 8);
    SECTION("not while the window is open, even at its last second") {
        CHECK(dose_flags(c.r, utc(2026, 3, 2), due, defaults).empty());
        CHECK(dose_flags(c.r, utc(2026, 3, 2), due + minutes{30}, defaults).size() == 0);
        const auto flags = dose_flags(c.r, utc(2026, 3, 2), due + minutes{120}, defaults);
        CHECK(rules_of(flags) == Rules{"dose.missed"}); // morphine's 30 min window closed
        CHECK(flags[0].med == "morphine");
    }
    SECTION("a second after the window closed, it is missed") {
        const auto flags =
            dose_flags(c.r, utc(2026, 3, 2), due + minutes{120} + seconds{1}, defaults);
        REQUIRE(flags.size() == 2);
        CHECK(rules_of(flags) == Rules{"dose.missed", "dose.missed"});
        for (const auto& f : flags) {
            CHECK(f.at == due);
            if (f.med == "morphine") {
                CHECK(f.severity == Severity::urgent); // time-critical
                CHECK(f.id == fmt::format("dose.missed/MRN1/m{}@{}", morphine, to_epoch(due)));
            } else {
                CHECK(f.med == "senna");
                CHECK(f.severity == Severity::warning);
                CHECK(f.id == fmt::format("dose.missed/MRN1/m{}@{}", senna, to_epoch(due)));
                CHECK(f.detail == "Nothing was recorded for the Senna 08:00 dose (given, held or "
                                  "refused); its window closed at 10:00.");
            }
        }
    }
    SECTION("a dose recorded after to is not seen") {
        c.give(morphine, due + minutes{40});
        CHECK(rules_of(dose_flags(c.r, utc(2026, 3, 2), due + minutes{35}, defaults)) ==
              Rules{"dose.missed"});
        CHECK(rules_of(dose_flags(c.r, utc(2026, 3, 2), due + minutes{40}, defaults)) ==
              Rules{"dose.late"});
    }
}

TEST_CASE("A held or refused dose covers its scheduled dose", "[clinical]") {
    const auto status = GENERATE(DoseStatus::held, DoseStatus::refused);
    INFO(code(status));
    Chart c;
    const auto med = c.med("morphine", "Morphine SR", "bid", utc(2026, 3, 1));
    SECTION("within its window") {
        c.give(med, utc(2026, 3, 2, 8, 5), status);
        c.give(med, utc(2026, 3, 2, 20), DoseStatus::given);
        CHECK(dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 2, 23), defaults).empty());
    }
    SECTION("outside its window it is neither late nor early") {
        c.give(med, utc(2026, 3, 2, 10), status);
        c.give(med, utc(2026, 3, 2, 18), status);
        CHECK(dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 2, 23), defaults).empty());
    }
}

TEST_CASE("A record covers the one scheduled dose nearest to it", "[clinical]") {
    Chart c;
    const auto med = c.med("senna", "Senna", "bid", utc(2026, 3, 1));
    const Instant from = utc(2026, 3, 2);
    const Instant to = utc(2026, 3, 2, 23);
    SECTION("one record covers one dose only") {
        c.give(med, utc(2026, 3, 2, 8, 5));
        const auto flags = dose_flags(c.r, from, to, defaults);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].rule == "dose.missed");
        CHECK(flags[0].at == utc(2026, 3, 2, 20));
    }
    SECTION("a record between two doses goes to the nearer one") {
        c.give(med, utc(2026, 3, 2, 14, 30)); // 5.5 h before 20:00, 6.5 h after 08:00
        const auto flags = dose_flags(c.r, from, to, defaults);
        REQUIRE(flags.size() == 2);
        CHECK(flags[0].rule == "dose.missed");
        CHECK(flags[0].at == utc(2026, 3, 2, 8));
        CHECK(flags[1].rule == "dose.early");
        CHECK(flags[1].at == utc(2026, 3, 2, 20));
        CHECK(flags[1].detail == "Senna 20:00 dose was given 5 h 30 min early (window ±1 h).");
    }
    SECTION("two records near one dose: the nearer takes it, the other the next dose") {
        c.give(med, utc(2026, 3, 2, 9, 30));
        c.give(med, utc(2026, 3, 2, 8, 10));
        const auto flags = dose_flags(c.r, from, to, defaults);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].rule == "dose.early");
        CHECK(flags[0].at == utc(2026, 3, 2, 20));
    }
    SECTION("a record equally near two doses covers the earlier") {
        c.give(med, utc(2026, 3, 2, 14));
        const auto flags = dose_flags(c.r, from, to, defaults);
        REQUIRE(flags.size() == 2);
        CHECK(flags[0].rule == "dose.late");
        CHECK(flags[0].at == utc(2026, 3, 2, 8));
        CHECK(flags[1].rule == "dose.missed");
    }
    SECTION("a record is matched to a dose before from") {
        // 13:00 is 5 h after the 08:00 dose, 7 h before 20:00: it was the morning dose.
        c.give(med, utc(2026, 3, 2, 13));
        const auto flags = dose_flags(c.r, utc(2026, 3, 2, 10), to, defaults);
        CHECK(rules_of(flags) == Rules{"dose.missed"});
        CHECK(flags.at(0).at == utc(2026, 3, 2, 20));
    }
    SECTION("a dose given early for a dose after to is not taken for an earlier one") {
        // At 19:30 the 20:00 dose was given 19:10; the 08:00 dose was never recorded.
        c.give(med, utc(2026, 3, 2, 19, 10));
        const auto flags = dose_flags(c.r, from, utc(2026, 3, 2, 19, 30), defaults);
        CHECK(rules_of(flags) == Rules{"dose.missed"});
        CHECK(flags.at(0).at == utc(2026, 3, 2, 8));
    }
    SECTION("a record more than 24 hours away covers nothing") {
        Chart d;
        const auto daily = d.med("dex", "Dexamethasone", "daily", utc(2026, 3, 5));
        d.give(daily, utc(2026, 3, 4, 7));
        const auto flags = dose_flags(d.r, utc(2026, 3, 5), utc(2026, 3, 5, 11), defaults);
        CHECK(rules_of(flags) == Rules{"dose.missed"});
    }
}

TEST_CASE("Doses are judged on the patient's wall clock across the DST change", "[clinical]") {
    Chart c("America/New_York");
    const auto med = c.med("senna", "Senna", "02:30", utc(2026, 3, 1));
    // On 2026-03-08 the 02:30 dose is due at 03:30 EDT, 07:30 UTC.
    c.give(med, utc(2026, 3, 8, 7, 40));
    CHECK(dose_flags(c.r, utc(2026, 3, 8), utc(2026, 3, 8, 12), defaults).empty());
    Chart late = c;
    late.r.administrations.clear();
    late.give(med, utc(2026, 3, 8, 10)); // 06:00 EDT
    const auto flags = dose_flags(late.r, utc(2026, 3, 8), utc(2026, 3, 8, 12), defaults);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].rule == "dose.late");
    CHECK(flags[0].at == utc(2026, 3, 8, 7, 30));
    CHECK(flags[0].detail == "Senna 03:30 dose was given 2 h 30 min late (window ±2 h).");
}

TEST_CASE("PRN medications and doses outside the medication's dates raise no dose flags",
          "[clinical]") {
    Chart c;
    c.med("oramorph", "Oramorph", "prn q1h max 6", utc(2026, 3, 1), "pain");
    const auto senna = c.med("senna", "Senna", "bid", utc(2026, 3, 2, 12));
    c.medication(senna).end = utc(2026, 3, 3, 8);
    const auto flags = dose_flags(c.r, utc(2026, 3, 1), utc(2026, 3, 5), defaults);
    CHECK(rules_of(flags) == Rules{"dose.missed", "dose.missed"});
    CHECK(flags[0].at == utc(2026, 3, 2, 20));
    CHECK(flags[1].at == utc(2026, 3, 3, 8));
}

// ---------------------------------------------------------------------------- PRN

namespace {
// The PRN rules about the doses themselves: these charts have no scores, so every dose for a
// scored symptom would also raise prn.no_follow_up, which has its own test case below.
std::vector<Flag> prn_dose_flags(const PatientRecord& r, Instant from, Instant to,
                                 const Thresholds& t) {
    auto flags = prn_flags(r, from, to, t);
    std::erase_if(flags, [](const Flag& f) { return f.rule == "prn.no_follow_up"; });
    return flags;
}
} // namespace

TEST_CASE("A PRN dose sooner than its minimum interval raises prn.too_soon", "[clinical]") {
    Chart c;
    const auto med = c.med("oxynorm", "Oxycodone IR", "prn q2h", utc(2026, 3, 1), "dyspnoea");
    c.give(med, utc(2026, 3, 2, 23));
    SECTION("exactly the interval later is fine") {
        c.give(med, utc(2026, 3, 3, 1));
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 4), defaults).empty());
    }
    SECTION("a minute sooner is too soon, across midnight") {
        const auto second = c.give(med, utc(2026, 3, 3, 0, 59));
        const auto flags = prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 4), defaults);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].rule == "prn.too_soon");
        CHECK(flags[0].severity == Severity::warning);
        CHECK(flags[0].at == utc(2026, 3, 3, 0, 59));
        CHECK(flags[0].med == "oxynorm");
        CHECK(flags[0].id == fmt::format("prn.too_soon/MRN1/a{}", second));
        CHECK(flags[0].reasons.empty());
        CHECK(flags[0].detail == "Oxycodone IR as-needed dose given 1 h 59 min after the "
                                 "previous dose at 23:00 (at least 2 h apart).");
    }
    SECTION("held doses do not count as the previous dose") {
        c.give(med, utc(2026, 3, 3, 0), DoseStatus::refused);
        c.give(med, utc(2026, 3, 3, 1));
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 4), defaults).empty());
    }
    SECTION("other medications do not count") {
        const auto other = c.med("midaz", "Midazolam", "prn q2h", utc(2026, 3, 1), "agitation");
        c.give(other, utc(2026, 3, 3, 0));
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 4), defaults).empty());
    }
}

TEST_CASE("More PRN doses than the maximum in any 24 hours raises prn.over_max", "[clinical]") {
    Chart c;
    const auto med = c.med("oramorph", "Oramorph", "prn max 3", utc(2026, 3, 1), "dyspnoea");
    c.give(med, utc(2026, 3, 2, 22));
    c.give(med, utc(2026, 3, 2, 23));
    c.give(med, utc(2026, 3, 3, 0, 30));
    SECTION("the fourth dose within 24 hours, across midnight") {
        const auto fourth = c.give(med, utc(2026, 3, 3, 21, 59));
        const auto flags = prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 4), defaults);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].rule == "prn.over_max");
        CHECK(flags[0].severity == Severity::urgent);
        CHECK(flags[0].id == fmt::format("prn.over_max/MRN1/a{}", fourth));
        CHECK(flags[0].detail ==
              "Oramorph: 4 as-needed doses within 24 hours, more than the maximum of 3.");
    }
    SECTION("exactly 24 hours after the first, the first is out of the window") {
        c.give(med, utc(2026, 3, 3, 22));
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 4), defaults).empty());
    }
    SECTION("each dose over the maximum is flagged") {
        c.give(med, utc(2026, 3, 3, 1));
        c.give(med, utc(2026, 3, 3, 2));
        const auto flags = prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 4), defaults);
        CHECK(rules_of(flags) == Rules{"prn.over_max", "prn.over_max"});
    }
    SECTION("only flags whose dose lies in [from, to] are reported") {
        c.give(med, utc(2026, 3, 3, 1));
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 3, 1, 1), utc(2026, 3, 4), defaults).empty());
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 3, 1), utc(2026, 3, 3, 1), defaults).size() == 1);
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 3, 0, 59), defaults).empty());
    }
    SECTION("a PRN schedule with no maximum never raises it") {
        Chart d;
        const auto para = d.med("para", "Paracetamol", "prn", utc(2026, 3, 1), "fever");
        for (int h = 0; h < 10; ++h)
            d.give(para, utc(2026, 3, 2, h));
        CHECK(prn_dose_flags(d.r, utc(2026, 3, 2), utc(2026, 3, 4), defaults).empty());
    }
}

TEST_CASE("A dose both too soon and over the maximum is one over_max flag", "[clinical]") {
    Chart c;
    const auto med = c.med("oramorph", "Oramorph", "prn q1h max 2", utc(2026, 3, 1), "cough");
    c.give(med, utc(2026, 3, 2, 10));
    c.give(med, utc(2026, 3, 2, 12));
    const auto third = c.give(med, utc(2026, 3, 2, 12, 30));
    const auto flags = prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 3), defaults);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].rule == "prn.over_max");
    CHECK(flags[0].reasons == Rules{"prn.too_soon"});
    CHECK(flags[0].id == fmt::format("prn.over_max/MRN1/a{}", third));
    CHECK(flags[0].detail == "Oramorph: 3 as-needed doses within 24 hours, more than the maximum "
                             "of 2; this one given 30 min after the previous dose at 12:00 (at "
                             "least 1 h apart).");
}

TEST_CASE("Three pain PRN doses within 24 hours raise one prn.breakthrough", "[clinical]") {
    Chart c("Europe/London");
    const auto oramorph = c.med("oramorph", "Oramorph", "prn", utc(2026, 3, 1), "pain");
    const auto oxy = c.med("oxynorm", "Oxycodone IR", "prn", utc(2026, 3, 1), "  Pain ");
    const auto cyclizine = c.med("cyclizine", "Cyclizine", "prn", utc(2026, 3, 1), "nausea");
    c.give(oramorph, utc(2026, 3, 2, 20));
    c.give(oxy, utc(2026, 3, 3, 2)); // after midnight
    SECTION("the third dose across two medications and midnight") {
        const auto third = c.give(oxy, utc(2026, 3, 3, 19, 59));
        const auto flags = prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 5), defaults);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].rule == "prn.breakthrough");
        CHECK(flags[0].severity == Severity::warning);
        CHECK(flags[0].med == "oxynorm");
        CHECK(flags[0].id == fmt::format("prn.breakthrough/MRN1/a{}", third));
        CHECK(flags[0].detail == "3 as-needed doses for pain within 24 hours (the first at "
                                 "2026-03-02 20:00 GMT): review the baseline pain medication.");
    }
    SECTION("exactly 24 hours after the first, only two are in the window") {
        c.give(oxy, utc(2026, 3, 3, 20));
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 5), defaults).empty());
    }
    SECTION("doses for another indication and held doses do not count") {
        c.give(cyclizine, utc(2026, 3, 3, 3));
        c.give(oramorph, utc(2026, 3, 3, 4), DoseStatus::held);
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 5), defaults).empty());
    }
    SECTION("one flag per episode, a new one after the count fell below 3") {
        c.give(oramorph, utc(2026, 3, 3, 10)); // third: flagged
        c.give(oramorph, utc(2026, 3, 3, 12)); // fourth: same episode
        c.give(oxy, utc(2026, 3, 4, 14));      // alone in its 24 hours
        c.give(oxy, utc(2026, 3, 4, 15));
        const auto again = c.give(oxy, utc(2026, 3, 4, 16));
        const auto flags = prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 5), defaults);
        REQUIRE(rules_of(flags) == Rules{"prn.breakthrough", "prn.breakthrough"});
        CHECK(flags[0].at == utc(2026, 3, 3, 10));
        CHECK(flags[1].at == utc(2026, 3, 4, 16));
        CHECK(flags[1].id == fmt::format("prn.breakthrough/MRN1/a{}", again));
    }
    SECTION("an episode that began before from is not flagged again inside it") {
        c.give(oramorph, utc(2026, 3, 3, 10));
        c.give(oramorph, utc(2026, 3, 3, 12));
        CHECK(prn_dose_flags(c.r, utc(2026, 3, 3, 11), utc(2026, 3, 5), defaults).empty());
    }
    SECTION("a dose that is also too soon raises both flags") {
        Chart d;
        const auto m = d.med("oramorph", "Oramorph", "prn q1h", utc(2026, 3, 1), "pain");
        d.give(m, utc(2026, 3, 2, 10));
        d.give(m, utc(2026, 3, 2, 12));
        d.give(m, utc(2026, 3, 2, 12, 30));
        const auto flags = prn_dose_flags(d.r, utc(2026, 3, 2), utc(2026, 3, 3), defaults);
        CHECK(rules_of(flags) == Rules{"prn.breakthrough", "prn.too_soon"});
    }
    SECTION("the agency's threshold") {
        Thresholds t;
        t.breakthrough_doses = 2;
        const auto flags = prn_dose_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 5), t);
        REQUIRE(flags.size() == 1);
        CHECK(flags[0].at == utc(2026, 3, 3, 2));
    }
}

// ---------------------------------------------------------------------------- all rules

TEST_CASE("evaluate gathers every rule's flags ordered by time, rule and id", "[clinical]") {
    Chart c;
    c.score(Symptom::pain, 9, utc(2026, 3, 2, 9));
    c.score(Symptom::nausea, 8, utc(2026, 3, 2, 9));
    const auto senna = c.med("senna", "Senna", "daily", utc(2026, 3, 1));
    const auto oramorph = c.med("oramorph", "Oramorph", "prn q4h", utc(2026, 3, 1), "pain");
    c.give(oramorph, utc(2026, 3, 2, 8));
    c.give(oramorph, utc(2026, 3, 2, 9));
    (void)senna;
    const auto flags = evaluate(c.r, utc(2026, 3, 2), utc(2026, 3, 2, 12), defaults);
    // The 08:00 dose's pain score came 60 min after it; the 09:00 dose's none by 12:00.
    CHECK(rules_of(flags) == Rules{"dose.missed", "prn.no_follow_up", "prn.too_soon",
                                   "symptom.severe", "symptom.severe"});
    CHECK(flags[0].at == utc(2026, 3, 2, 8));
    CHECK(flags[3].symptom == Symptom::pain); // s1 before s2 at the same time
    CHECK(flags[4].symptom == Symptom::nausea);
    for (std::size_t i = 1; i < flags.size(); ++i) {
        const auto& a = flags[i - 1];
        const auto& b = flags[i];
        CHECK(std::tie(a.at, a.rule, a.id) < std::tie(b.at, b.rule, b.id));
    }
    for (const auto& f : flags) {
        CHECK(f.mrn == "MRN1");
        CHECK(f.patient_id == 42);
    }
}

// ---------------------------------------------------------------------------- round two (issue 12)

TEST_CASE("symptom.sustained_rise needs all four scores within 14 days of the newest",
          "[clinical]") {
    const auto run = [](Instant first, Instant newest) {
        Chart c;
        c.score(Symptom::depression, 1, first);
        c.score(Symptom::depression, 2, utc(2026, 2, 20));
        c.score(Symptom::depression, 3, utc(2026, 2, 24));
        return rules_of(symptom_flags_for(c, c.score(Symptom::depression, 4, newest)));
    };
    CHECK(run(utc(2026, 2, 16, 0, 1), utc(2026, 3, 2)) == Rules{"symptom.sustained_rise"});
    CHECK(run(utc(2026, 2, 16), utc(2026, 3, 2)) == Rules{"symptom.sustained_rise"});
    CHECK(run(utc(2026, 2, 16), utc(2026, 3, 2, 0, 1)).empty());
    SECTION("a tuned span") {
        Thresholds t;
        t.sustained_span_days = 20;
        Chart c;
        c.score(Symptom::depression, 1, utc(2026, 2, 10));
        c.score(Symptom::depression, 2, utc(2026, 2, 20));
        c.score(Symptom::depression, 3, utc(2026, 2, 24));
        const auto id = c.score(Symptom::depression, 4, utc(2026, 3, 2));
        CHECK(rules_of(symptom_flags_for(c, id, t)) == Rules{"symptom.sustained_rise"});
        CHECK(symptom_flags_for(c, id).empty());
    }
}

TEST_CASE("A second given record inside a given dose's window is dose.duplicate", "[clinical]") {
    Chart c;
    // Time-critical (a scheduled opioid): window ±30 min.
    const auto morphine = c.med("morphine-sr", "Morphine SR", "bid", utc(2026, 3, 1));
    const Instant from = utc(2026, 3, 2);
    const Instant to = utc(2026, 3, 2, 23);
    c.give(morphine, utc(2026, 3, 2, 8));
    c.give(morphine, utc(2026, 3, 2, 20)); // the evening dose, on time
    SECTION("20 minutes after: a duplicate, not the evening dose early") {
        const auto again = c.give(morphine, utc(2026, 3, 2, 8, 20));
        const auto flags = dose_flags(c.r, from, to, defaults);
        REQUIRE(rules_of(flags) == Rules{"dose.duplicate"});
        CHECK(flags[0].at == utc(2026, 3, 2, 8, 20));
        CHECK(flags[0].severity == Severity::urgent);
        CHECK(flags[0].med == "morphine-sr");
        CHECK(flags[0].id == fmt::format("dose.duplicate/MRN1/a{}", again));
        CHECK(flags[0].detail == "Morphine SR 08:00 dose recorded given again at 08:20 by nurse "
                                 "(nurse), already given at 08:00 by nurse (nurse): a possible "
                                 "double dose; check with whoever gave it.");
    }
    SECTION("exactly at the window's edge is still a duplicate") {
        c.give(morphine, utc(2026, 3, 2, 8, 30));
        CHECK(rules_of(dose_flags(c.r, from, to, defaults)) == Rules{"dose.duplicate"});
    }
    SECTION("one minute past the window it is not") {
        Chart d;
        const auto m = d.med("morphine-sr", "Morphine SR", "bid", utc(2026, 3, 1));
        d.give(m, utc(2026, 3, 2, 8));
        d.give(m, utc(2026, 3, 2, 8, 31));
        // Nearest-first matching: the evening dose given early, as before.
        CHECK(rules_of(dose_flags(d.r, from, to, defaults)) == Rules{"dose.early"});
    }
    SECTION("the second record nearer the due time is still the duplicate: the first stands") {
        Chart d;
        const auto m = d.med("morphine-sr", "Morphine SR", "bid", utc(2026, 3, 1));
        d.give(m, utc(2026, 3, 2, 7, 45));
        const auto again = d.give(m, utc(2026, 3, 2, 8, 1));
        d.give(m, utc(2026, 3, 2, 20));
        const auto flags = dose_flags(d.r, from, to, defaults);
        REQUIRE(rules_of(flags) == Rules{"dose.duplicate"});
        CHECK(flags[0].id == fmt::format("dose.duplicate/MRN1/a{}", again));
    }
    SECTION("a held record then a given one is no duplicate") {
        Chart d;
        const auto m = d.med("morphine-sr", "Morphine SR", "bid", utc(2026, 3, 1));
        d.give(m, utc(2026, 3, 2, 8), DoseStatus::held);
        d.give(m, utc(2026, 3, 2, 8, 10)); // the patient woke: the 08:00 dose after all
        d.give(m, utc(2026, 3, 2, 20));
        CHECK(dose_flags(d.r, from, to, defaults).empty());
    }
    SECTION("a nurse and a daughter both give it: warning when not time-critical") {
        Chart d;
        const auto m = d.med("senna", "Senna", "bid", utc(2026, 3, 1));
        d.give(m, utc(2026, 3, 2, 8));
        const auto again = d.give(m, utc(2026, 3, 2, 8, 50));
        auto& a = d.r.administrations.back();
        REQUIRE(a.id == again);
        a.reporter = Reporter::caregiver;
        a.recorded_by = "Maria (daughter)";
        d.give(m, utc(2026, 3, 2, 20));
        const auto flags = dose_flags(d.r, from, to, defaults);
        REQUIRE(rules_of(flags) == Rules{"dose.duplicate"});
        CHECK(flags[0].severity == Severity::warning);
        CHECK(flags[0].detail.find("by Maria (daughter) (caregiver)") != std::string::npos);
    }
    SECTION("a duplicate does not hide the next dose being missed") {
        Chart d;
        const auto m = d.med("morphine-sr", "Morphine SR", "bid", utc(2026, 3, 1));
        d.give(m, utc(2026, 3, 2, 8));
        d.give(m, utc(2026, 3, 2, 8, 20));
        CHECK(rules_of(dose_flags(d.r, from, to, defaults)) ==
              Rules{"dose.duplicate", "dose.missed"});
    }
    SECTION("the duplicate is judged on the wall clock across spring-forward") {
        Chart d("America/New_York");
        const auto m = d.med("morphine-sr", "Morphine SR", "02:30", utc(2026, 3, 1));
        // 2026-03-08 02:30 does not exist: due 03:30 EDT = 07:30Z, window ±30 min.
        d.give(m, utc(2026, 3, 8, 7, 30));
        d.give(m, utc(2026, 3, 8, 8, 0));
        const auto flags = dose_flags(d.r, utc(2026, 3, 8), utc(2026, 3, 8, 12), defaults);
        REQUIRE(rules_of(flags) == Rules{"dose.duplicate"});
        CHECK(flags[0].detail.find("03:30 dose recorded given again at 04:00") !=
              std::string::npos);
    }
    SECTION("a dose outcome view does not take the duplicate for the next dose") {
        Chart d;
        const auto m = d.med("morphine-sr", "Morphine SR", "bid", utc(2026, 3, 1));
        d.give(m, utc(2026, 3, 2, 8));
        d.give(m, utc(2026, 3, 2, 8, 20));
        const auto outcomes = dose_outcomes(d.r, from, to, defaults);
        REQUIRE(outcomes.size() == 2);
        CHECK(outcomes[0].record->given_at == utc(2026, 3, 2, 8));
        CHECK(outcomes[1].record == nullptr);
    }
}

namespace {
void bowel(Chart& c, Instant at, int type = 4) {
    BowelMovement b;
    b.id = static_cast<std::int64_t>(c.r.bowel_movements.size()) + 1;
    b.patient_id = c.r.patient.id;
    b.occurred_at = at;
    b.bristol_type = type;
    c.r.bowel_movements.push_back(b);
}
} // namespace

TEST_CASE("A scheduled strong opioid with no laxative beside it is med.no_laxative", "[clinical]") {
    const Instant from = utc(2026, 3, 1);
    const Instant to = utc(2026, 3, 10);
    SECTION("from the opioid's start, in the patient's zone") {
        Chart c("Europe/London");
        c.med("morphine-sr", "Morphine sulfate SR", "bid", utc(2026, 3, 2, 9));
        const auto flags = bowel_flags(c.r, from, to, defaults);
        REQUIRE(rules_of(flags) == Rules{"med.no_laxative"});
        CHECK(flags[0].at == utc(2026, 3, 2, 9));
        CHECK(flags[0].severity == Severity::warning);
        CHECK(flags[0].med == "morphine-sr");
        CHECK(flags[0].detail.find("since 2026-03-02 09:00") != std::string::npos);
    }
    SECTION("a laxative started with it, scheduled or as needed, covers it") {
        for (std::string schedule : {"bid", "prn q4h"}) {
            Chart c;
            c.med("oxy", "Oxycodone", "bid", utc(2026, 3, 2));
            c.med("lax", "Macrogol", schedule, utc(2026, 3, 2));
            INFO(schedule);
            CHECK(bowel_flags(c.r, from, to, defaults).empty());
        }
    }
    SECTION("codeine, tramadol and PRN opioids are not judged") {
        Chart c;
        c.med("cod", "Codeine phosphate", "qid", utc(2026, 3, 2));
        c.med("tram", "Tramadol", "bid", utc(2026, 3, 2));
        c.med("oramorph", "Oramorph", "prn q1h", utc(2026, 3, 2), "pain");
        CHECK(bowel_flags(c.r, from, to, defaults).empty());
    }
    SECTION("the gap begins the second after the laxative's last day") {
        Chart c;
        c.med("fent", "Fentanyl patch", "daily", utc(2026, 3, 2));
        const auto senna = c.med("senna", "Senna", "bid", utc(2026, 3, 2));
        c.medication(senna).end = utc(2026, 3, 5, 23, 59, 59);
        const auto flags = bowel_flags(c.r, from, to, defaults);
        REQUIRE(rules_of(flags) == Rules{"med.no_laxative"});
        CHECK(flags[0].at == utc(2026, 3, 6));
        SECTION("not when judged before then") {
            CHECK(bowel_flags(c.r, from, utc(2026, 3, 5, 23, 59, 59), defaults).empty());
        }
        SECTION("one flag per gap: a new laxative closes it, its end opens another") {
            const auto lax = c.med("lact", "Lactulose", "bid", utc(2026, 3, 7));
            c.medication(lax).end = utc(2026, 3, 8, 12);
            const auto more = bowel_flags(c.r, from, to, defaults);
            REQUIRE(rules_of(more) == Rules{"med.no_laxative", "med.no_laxative"});
            CHECK(more[1].at == utc(2026, 3, 8, 12, 0, 1));
            CHECK(more[0].id != more[1].id);
        }
    }
}

TEST_CASE("72 hours without a bowel movement on a strong opioid is bowel.none", "[clinical]") {
    Chart c("America/New_York");
    c.med("morphine-sr", "Morphine SR", "bid", utc(2026, 3, 1));
    c.med("senna", "Senna", "bid", utc(2026, 3, 1));
    const Instant from = utc(2026, 3, 1);
    SECTION("no flag for a patient with no bowel movement ever recorded") {
        CHECK(bowel_flags(c.r, from, utc(2026, 3, 20), defaults).empty());
    }
    // 2026-03-07 12:00 EST; 72 h of elapsed time later is 2026-03-10 12:00Z, 08:00 EDT:
    // the spring-forward night lies between.
    bowel(c, utc(2026, 3, 7, 17), 2);
    SECTION("at exactly 72 h, with its time when the 72 h ran out") {
        const auto flags = bowel_flags(c.r, from, utc(2026, 3, 10, 17), defaults);
        REQUIRE(rules_of(flags) == Rules{"bowel.none"});
        CHECK(flags[0].at == utc(2026, 3, 10, 17));
        CHECK(flags[0].med == "morphine-sr");
        CHECK(flags[0].detail == "No bowel movement for 72 h or more (the last on 2026-03-07 "
                                 "12:00, Bristol type 2), on Morphine SR.");
    }
    SECTION("a minute before the 72 h, nothing") {
        CHECK(bowel_flags(c.r, from, utc(2026, 3, 10, 16, 59), defaults).empty());
    }
    SECTION("a later movement resets it") {
        bowel(c, utc(2026, 3, 9, 17));
        CHECK(bowel_flags(c.r, from, utc(2026, 3, 12, 16, 59), defaults).empty());
        CHECK(rules_of(bowel_flags(c.r, from, utc(2026, 3, 12, 17), defaults)) ==
              Rules{"bowel.none"});
    }
    SECTION("no opioid in force when the 72 h ran out, no flag") {
        c.r.medications[0].end = utc(2026, 3, 9);
        CHECK(bowel_flags(c.r, from, utc(2026, 3, 11), defaults).empty());
    }
    SECTION("an opioid stopped after the 72 h ran out: the flag stays") {
        c.r.medications[0].end = utc(2026, 3, 11);
        CHECK(rules_of(bowel_flags(c.r, from, utc(2026, 3, 12), defaults)) == Rules{"bowel.none"});
    }
    SECTION("an opioid started after the 72 h ran out: from its start") {
        c.r.medications[0].start = utc(2026, 3, 11, 9);
        CHECK(bowel_flags(c.r, from, utc(2026, 3, 11, 8, 59), defaults).empty());
        const auto flags = bowel_flags(c.r, from, utc(2026, 3, 12), defaults);
        REQUIRE(rules_of(flags) == Rules{"bowel.none"});
        CHECK(flags[0].at == utc(2026, 3, 11, 9));
    }
    SECTION("a tuned threshold") {
        Thresholds t;
        t.bowel_none_hours = 48;
        const auto flags = bowel_flags(c.r, from, utc(2026, 3, 9, 17), t);
        REQUIRE(rules_of(flags) == Rules{"bowel.none"});
        CHECK(flags[0].at == utc(2026, 3, 9, 17));
    }
}

TEST_CASE("A PRN dose with no score of its symptom 15 to 90 minutes after is prn.no_follow_up",
          "[clinical]") {
    Chart c("Europe/London");
    const auto oramorph = c.med("morphine-ir", "Oramorph", "prn q1h", utc(2026, 3, 1), "pain");
    const Instant from = utc(2026, 3, 2);
    const Instant given = utc(2026, 3, 2, 10);
    c.score(Symptom::pain, 8, utc(2026, 3, 2, 9, 50));
    c.give(oramorph, given);
    const auto follow = [&](Instant to) { return rules_of(prn_flags(c.r, from, to, defaults)); };
    SECTION("judged only once 90 minutes have passed") {
        CHECK(follow(given + minutes{89}).empty());
        CHECK(follow(given + minutes{90}) == Rules{"prn.no_follow_up"});
        const auto f = prn_flags(c.r, from, given + minutes{90}, defaults).at(0);
        CHECK(f.severity == Severity::info);
        CHECK(f.at == given);
        CHECK(f.symptom == Symptom::pain);
        CHECK(f.detail ==
              "No pain score 15 to 90 min after the 10:00 Oramorph as-needed dose: was it "
              "effective?");
    }
    SECTION("a score at 15 or at 90 minutes, by anyone, is the follow-up") {
        for (int m : {15, 90}) {
            Chart d = c;
            d.score(Symptom::pain, 4, given + minutes{m}, Reporter::caregiver);
            INFO(m);
            CHECK(rules_of(prn_flags(d.r, from, utc(2026, 3, 3), defaults)).empty());
        }
    }
    SECTION("at 14 or 91 minutes, or of another symptom, it is not") {
        for (auto [m, s] : {std::pair{14, Symptom::pain}, std::pair{91, Symptom::pain},
                            std::pair{40, Symptom::nausea}}) {
            Chart d = c;
            d.score(s, 4, given + minutes{m});
            INFO(m);
            CHECK(rules_of(prn_flags(d.r, from, utc(2026, 3, 3), defaults)) ==
                  Rules{"prn.no_follow_up"});
        }
    }
    SECTION("indications that are no ESAS-r symptom are not judged") {
        Chart d;
        const auto halo = d.med("halo", "Haloperidol", "prn q2h", utc(2026, 3, 1), "agitation");
        d.give(halo, given);
        CHECK(rules_of(prn_flags(d.r, from, utc(2026, 3, 3), defaults)).empty());
    }
    SECTION("breathlessness is the breathing score") {
        Chart d;
        const auto mid = d.med("midaz", "Morphine", "prn q1h", utc(2026, 3, 1), "Breathlessness");
        d.give(mid, given);
        const auto f = prn_flags(d.r, from, utc(2026, 3, 3), defaults);
        REQUIRE(rules_of(f) == Rules{"prn.no_follow_up"});
        CHECK(f[0].symptom == Symptom::breathing);
    }
}

TEST_CASE("A PRN dose's effect reads pain 8 → 4, 40 min after morphine-ir", "[clinical]") {
    Chart c;
    const auto oramorph =
        c.med("morphine-ir", "Oramorph", "prn q1h max 2", utc(2026, 3, 1), "pain");
    c.score(Symptom::pain, 8, utc(2026, 3, 2, 9, 50));
    const auto first = c.give(oramorph, utc(2026, 3, 2, 10));
    c.score(Symptom::pain, 4, utc(2026, 3, 2, 10, 40), Reporter::nurse);
    c.score(Symptom::pain, 2, utc(2026, 3, 2, 11, 0));
    const auto& dose = c.r.administrations.at(std::size_t(first - 1));
    CHECK(prn_effect(c.r, c.r.medications[0], dose, defaults, utc(2026, 3, 3)) ==
          "pain 8 → 4, 40 min after morphine-ir");
    SECTION("a score after the evaluation time is not seen yet") {
        CHECK(prn_effect(c.r, c.r.medications[0], dose, defaults, utc(2026, 3, 2, 10, 39)).empty());
        CHECK(prn_effect(c.r, c.r.medications[0], dose, defaults, utc(2026, 3, 2, 10, 40)) ==
              "pain 8 → 4, 40 min after morphine-ir");
    }
    SECTION("and ends the PRN flags' detail") {
        c.give(oramorph, utc(2026, 3, 2, 10, 30)); // too soon
        c.give(oramorph, utc(2026, 3, 2, 11, 30)); // over the maximum of 2
        const auto flags = prn_flags(c.r, utc(2026, 3, 2), utc(2026, 3, 3), defaults);
        bool found = false;
        for (const auto& f : flags)
            if (f.rule == "prn.too_soon") {
                found = true;
                // 10:30's first score 15..90 min after is 11:00's 2; the last before it, 8.
                CHECK(f.detail.ends_with(" Effect: pain 8 → 2, 30 min after morphine-ir."));
            }
        CHECK(found);
    }
    SECTION("none when no score followed in time") {
        Chart d;
        const auto m = d.med("morphine-ir", "Oramorph", "prn q1h", utc(2026, 3, 1), "pain");
        const auto id = d.give(m, utc(2026, 3, 2, 10));
        d.score(Symptom::pain, 3, utc(2026, 3, 2, 11, 31));
        CHECK(prn_effect(d.r, d.r.medications[0], d.r.administrations.at(std::size_t(id - 1)),
                         defaults, utc(2026, 3, 3))
                  .empty());
    }
}

TEST_CASE("An urgent flag unacknowledged 4 hours after its time is escalated and first",
          "[clinical]") {
    Chart c;
    c.score(Symptom::pain, 9, utc(2026, 3, 2, 8));
    c.score(Symptom::tiredness, 8, utc(2026, 3, 2, 7)); // a warning: never escalated
    const auto judged = [&](Instant as_of, bool acked = false) {
        auto flags = symptom_flags(c.r, utc(2026, 3, 2), as_of, defaults);
        for (auto& f : flags)
            f.acknowledged = acked;
        mark_escalated(flags, as_of, defaults);
        return flags;
    };
    SECTION("3 h 59 min: not yet") {
        const auto f = judged(utc(2026, 3, 2, 11, 59));
        REQUIRE(f.size() == 2);
        CHECK_FALSE(f[0].escalated);
        CHECK_FALSE(f[1].escalated);
        CHECK(f[0].symptom == Symptom::tiredness);
    }
    SECTION("exactly 4 h: escalated, and first") {
        const auto f = judged(utc(2026, 3, 2, 12));
        REQUIRE(f.size() == 2);
        CHECK(f[0].escalated);
        CHECK(f[0].symptom == Symptom::pain);
        CHECK_FALSE(f[1].escalated);
    }
    SECTION("acknowledged: never") {
        for (const auto& f : judged(utc(2026, 3, 3), true))
            CHECK_FALSE(f.escalated);
    }
}
