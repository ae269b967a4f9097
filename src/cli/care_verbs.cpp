// Bedside verbs of DESIGN §5: patient add, patient discharge, visit add, goal set.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "domain/error.hpp"
#include "store/identity.hpp"

namespace solace::cli {

namespace {

struct VisitArgs {
    std::string mrn, at, reporter, note, bowel_movement;
    std::vector<std::string> scores;
    std::optional<int> pps;
    int bristol = 4;
};

struct PatientArgs {
    std::string mrn, name, born, zone, diagnosis, on_call;
};

// Edits: only what is given changes.
struct EditArgs {
    std::string mrn;
    std::optional<std::string> name, born, zone, diagnosis, on_call;
};

struct DischargeArgs {
    std::string mrn, reason, at;
};

struct GoalArgs {
    std::string mrn, symptom, at;
    int goal = 0;
};

// When the patient's local time, "now" when not given.
Instant time_or_now(const std::string& text, std::string_view field, const Patient& p) {
    if (text.empty()) return now_utc();
    return parse_time(text, field).at(find_zone(p.time_zone));
}

app::ScoreEntry parse_score(const std::string& text) {
    const auto eq = text.find('=');
    const auto symptom = parse_symptom(text.substr(0, eq));
    if (eq == std::string::npos || !symptom)
        throw ValidationError(fmt::format(
            "--score \"{}\" is not SYMPTOM=0..10 (e.g. --score pain=6; symptoms: pain, "
            "appetite, nausea, anxiety, breathing, tiredness, drowsiness, depression, wellbeing).",
            text));
    app::ScoreEntry e;
    e.symptom = *symptom;
    try {
        std::size_t used = 0;
        e.value = std::stoi(text.substr(eq + 1), &used);
        if (used != text.size() - eq - 1) throw std::invalid_argument("trailing");
    } catch (const std::logic_error&) {
        throw ValidationError(
            fmt::format("--score \"{}\": the score must be a whole number 0..10.", text));
    }
    return e;
}

int visit_add(const Common& c, const VisitArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto p = session.patient(a.mrn);
    const auto now = now_utc();
    app::VisitEntry v;
    v.mrn = a.mrn;
    // Up to 72 hours back (DESIGN §3): "08:30", "yesterday 20:00" or ISO 8601.
    v.at = app::entry_time(a.at, find_zone(p.time_zone), now, "--at");
    if (a.reporter.empty())
        v.reporter = session.is_nurse() ? Reporter::nurse : Reporter::caregiver;
    else if (auto r = parse_reporter(a.reporter))
        v.reporter = *r;
    else
        throw ValidationError(fmt::format(
            "--reporter \"{}\" is not patient, caregiver or nurse: who answered.", a.reporter));
    for (const auto& s : a.scores)
        v.scores.push_back(parse_score(s));
    v.pps = a.pps;
    v.note = a.note;
    if (!a.bowel_movement.empty())
        v.bowel_movement = app::BowelMovementEntry{
            time_or_now(a.bowel_movement, "--bowel-movement", p), a.bristol};
    v.uuid = store::new_uuid();
    app::record_visit(session, v, now);
    std::cout << nlohmann::json{{"id", v.uuid}}.dump() << "\n";
    return ok;
}

int patient_add(const Common& c, const PatientArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    Patient p;
    p.mrn = a.mrn;
    p.name = a.name;
    p.date_of_birth = parse_date(a.born, "--born");
    p.time_zone = a.zone;
    p.diagnosis = a.diagnosis;
    p.on_call_phone = a.on_call;
    p.uuid = store::new_uuid();
    app::add_patient(session, p);
    std::cout << nlohmann::json{{"id", p.uuid}, {"mrn", p.mrn}}.dump() << "\n";
    return ok;
}

int patient_edit(const Common& c, const EditArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    auto p = session.patient(a.mrn);
    if (a.name) p.name = *a.name;
    if (a.born) p.date_of_birth = parse_date(*a.born, "--born");
    if (a.zone) p.time_zone = *a.zone;
    if (a.diagnosis) p.diagnosis = *a.diagnosis;
    if (a.on_call) p.on_call_phone = *a.on_call;
    app::edit_patient(session, p);
    std::cout << fmt::format("Saved the new details of {}; the earlier ones are kept.\n", a.mrn);
    return ok;
}

int patient_discharge(const Common& c, const DischargeArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto p = session.patient(a.mrn);
    app::discharge_patient(session, a.mrn, a.reason, time_or_now(a.at, "--at", p));
    std::cout << fmt::format("{} discharged ({}): no dose flags after that; the record stays "
                             "readable.\n",
                             a.mrn, a.reason);
    return ok;
}

int goal_set(const Common& c, const GoalArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto p = session.patient(a.mrn);
    const auto symptom = parse_symptom(a.symptom);
    if (!symptom)
        throw ValidationError(fmt::format(
            "--symptom \"{}\" is not an ESAS-r symptom (pain, appetite, nausea, anxiety, "
            "breathing, tiredness, drowsiness, depression, wellbeing).",
            a.symptom));
    app::set_comfort_goal(session, a.mrn, *symptom, a.goal, time_or_now(a.at, "--at", p));
    std::cout << fmt::format("Comfort goal for {} of {}: {} or less.\n", a.mrn, a.symptom, a.goal);
    return ok;
}

} // namespace

void add_care_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    auto* patient = cli.add_subcommand("patient", "Admit, change or discharge a patient (nurses).");
    auto* admit = patient->add_subcommand(
        "add", "Admit a patient; prints {\"id\": UUID, \"mrn\": MRN}.\n"
               "  e.g. solace patient add --mrn P0042 --name \"Jean Brennan\" --born 1938-09-09 "
               "--zone Europe/London --on-call \"+44 20 7946 0000\" --db clinic.db --user ann");
    auto pa = std::make_shared<PatientArgs>();
    admit->add_option("--mrn", pa->mrn, "Medical record number, up to 64 characters")->required();
    admit->add_option("--name", pa->name, "Full name")->required();
    admit->add_option("--born", pa->born, "Date of birth, YYYY-MM-DD")->required();
    admit->add_option("--zone", pa->zone, "IANA time zone of the home, e.g. Europe/London")
        ->required();
    admit->add_option("--diagnosis", pa->diagnosis, "Diagnosis");
    admit->add_option("--on-call", pa->on_call, "The agency's 24-hour number for the family");
    add_db_option(admit, c);
    add_user_option(admit, c);
    verbs.push_back({admit, [&c, pa] { return patient_add(c, *pa); }});
    auto* edit = patient->add_subcommand(
        "edit", "Change a patient's details: a new version; the earlier ones stay.\n"
                "  e.g. solace patient edit P0042 --on-call \"+44 20 7946 1111\" --db clinic.db "
                "--user ann");
    auto ea = std::make_shared<EditArgs>();
    edit->add_option("MRN", ea->mrn, "The patient (the MRN itself does not change)")->required();
    edit->add_option("--name", ea->name, "Full name");
    edit->add_option("--born", ea->born, "Date of birth, YYYY-MM-DD");
    edit->add_option("--zone", ea->zone, "IANA time zone of the home, e.g. Europe/London");
    edit->add_option("--diagnosis", ea->diagnosis, "Diagnosis");
    edit->add_option("--on-call", ea->on_call, "The agency's 24-hour number for the family");
    add_db_option(edit, c);
    add_user_option(edit, c);
    verbs.push_back({edit, [&c, ea] { return patient_edit(c, *ea); }});
    auto* discharge = patient->add_subcommand(
        "discharge", "End care: no dose flags after it; the history stays readable.\n"
                     "  e.g. solace patient discharge P0042 --reason died --at "
                     "2026-03-08T04:10 --db clinic.db --user ann");
    auto da = std::make_shared<DischargeArgs>();
    discharge->add_option("MRN", da->mrn, "The patient")->required();
    discharge->add_option("--reason", da->reason, "died, transferred or other")->required();
    discharge->add_option("--at", da->at,
                          "When, ISO 8601 (default: now); no offset = patient's time");
    add_db_option(discharge, c);
    add_user_option(discharge, c);
    verbs.push_back({discharge, [&c, da] { return patient_discharge(c, *da); }});

    auto* visit = cli.add_subcommand("visit", "Visits.");
    auto* add = visit->add_subcommand(
        "add", "Log a visit (back-dated with --at, up to 72 hours); prints {\"id\": UUID}.\n"
               "  e.g. solace visit add P0001 --score pain=6 --score nausea=2 --pps 50 "
               "--bowel-movement 2026-03-08T07:00 --bristol 4 --db clinic.db --user ann");
    auto v = std::make_shared<VisitArgs>();
    add->add_option("MRN", v->mrn, "The patient")->required();
    add->add_option("--at", v->at,
                    "When it happened (default: now): 08:30, \"yesterday 20:00\" or ISO 8601; "
                    "no offset = patient's time");
    add->add_option("--reporter", v->reporter,
                    "Who answered: patient, caregiver or nurse (default: nurse for a nurse, "
                    "caregiver for a family account)");
    add->add_option("--score", v->scores, "SYMPTOM=0..10, repeatable");
    add->add_option("--pps", v->pps, "Palliative Performance Scale, 0..100 in steps of 10");
    add->add_option("--bowel-movement", v->bowel_movement,
                    "When the last bowel movement was, ISO 8601");
    add->add_option("--bristol", v->bristol,
                    "Its Bristol stool type, 1 (hard lumps) .. 7 (watery); default 4");
    add->add_option("--note", v->note, "A note");
    add_db_option(add, c);
    add_user_option(add, c);
    verbs.push_back({add, [&c, v] { return visit_add(c, *v); }});

    auto* goal = cli.add_subcommand("goal", "Comfort goals.");
    auto* set = goal->add_subcommand(
        "set", "Set a comfort goal, in force from --at (default now).\n"
               "  e.g. solace goal set P0001 --symptom pain --goal 3 --db clinic.db --user ann");
    auto g = std::make_shared<GoalArgs>();
    set->add_option("MRN", g->mrn, "The patient")->required();
    set->add_option("--symptom", g->symptom, "The ESAS-r symptom, e.g. pain")->required();
    set->add_option("--goal", g->goal, "0..10: a score above it is above goal")->required();
    set->add_option("--at", g->at, "In force from, ISO 8601 (default: now)");
    add_db_option(set, c);
    add_user_option(set, c);
    verbs.push_back({set, [&c, g] { return goal_set(c, *g); }});
}

} // namespace solace::cli
