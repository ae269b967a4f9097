// The command line end to end (DESIGN §5) on temporary databases, through the built `solace`
// executable. Times are explicit (--from/--to) so nothing depends on TZ or the clock; the one
// test that needs "recent" data (ack looks back a year from now) builds its times from now.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "domain/time.hpp"
#include "entries.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"

using namespace solace;
using solace::store::Database;
using solace::test::read_file;
using solace::test::run_solace;
using solace::test::TempDir;
using solace::test::write_file;

using solace::test::count_rows;
using solace::test::utc;

namespace {

constexpr const char* ann_password = "ann-password";

std::int64_t count_rows(const std::filesystem::path& path, const std::string& table) {
    Database db(path, Database::Mode::open_existing);
    store::Statement s(db, "SELECT count(*) FROM " + table);
    REQUIRE(s.step());
    return s.int64(0);
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

const std::vector<std::string> as_ann_env{std::string("SOLACE_PASSWORD=") + ann_password};

// A database made through the library (one Argon2 hash for the whole file): the nurse "ann"
// (admin) and patient P1 in New York, with a daily non-opioid medication from 2026-07-01.
struct Clinic {
    TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::vector<std::string> as_ann{"--db", path.string(), "--user", "ann"};

    Clinic() {
        Database db(path, Database::Mode::create_new);
        store::AccountRepository accounts(db);
        accounts.add(
            {0, "ann", Role::nurse, true, false, solace::test::password_hash(ann_password), {}}, 0);
        const app::Session nurse(db, *accounts.find("ann"));
        Patient p;
        p.mrn = "P1";
        p.name = "Margaret Okafor";
        p.date_of_birth = date::year{1944} / 5 / 17;
        p.time_zone = "America/New_York";
        app::add_patient(nurse, p);
        Medication m;
        m.key = "senna";
        m.name = "Senna";
        m.schedule_text = "daily";    // 08:00 local, a 120-minute window either side
        m.start = utc(2026, 7, 1, 4); // midnight EDT
        app::add_medication(nurse, "P1", m);
    }

    void scores(const std::vector<std::pair<Instant, int>>& pain) {
        Database db(path, Database::Mode::open_existing);
        const app::Session nurse(db, *store::AccountRepository(db).find("ann"));
        for (const auto& [at, value] : pain) {
            app::VisitEntry v;
            v.mrn = "P1";
            v.at = at;
            v.reporter = Reporter::patient;
            v.scores.push_back({Symptom::pain, value, ""});
            test::record_visit(nurse, v);
        }
    }

    test::CommandResult solace(const std::vector<std::string>& args,
                               const std::vector<std::string>& env = as_ann_env) const {
        return run_solace(with(args, as_ann), env);
    }
};

// Every error is a sentence for a person, on stderr, with nothing on stdout.
void check_refusal(const test::CommandResult& r) {
    CHECK(r.exit_code != 0);
    CHECK(r.out.empty());
    REQUIRE_FALSE(r.err.empty());
    CHECK_THAT(r.err, Catch::StartsWith("solace: "));
    CHECK_THAT(r.err, Catch::EndsWith(".\n"));
}

nlohmann::json parse_json(const std::string& text) {
    INFO(text);
    REQUIRE(nlohmann::json::accept(text));
    auto j = nlohmann::json::parse(text);
    REQUIRE(j.is_array());
    return j;
}

const nlohmann::json* find_flag(const nlohmann::json& flags, const std::string& rule,
                                const std::string& at) {
    for (const auto& f : flags)
        if (f.at("rule") == rule && f.at("at") == at) return &f;
    return nullptr;
}

} // namespace

TEST_CASE("init creates a database whose first account can add another account", "[cli]") {
    TempDir dir;
    const auto db = (dir / "clinic.db").string();
    auto r = run_solace({"init", "--db", db, "--user", "ann"}, {"SOLACE_NEW_PASSWORD=ann-secret"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("ann"));
    {
        Database opened(db, Database::Mode::open_existing);
        const auto a = store::AccountRepository(opened).find("ann");
        REQUIRE(a);
        CHECK(a->role == Role::nurse);
        CHECK(a->is_admin);
        CHECK(a->password_hash.rfind("$argon2id$", 0) == 0);
    }

    r = run_solace({"user", "add", "bob", "--role", "nurse", "--db", db, "--user", "ann"},
                   {"SOLACE_PASSWORD=ann-secret", "SOLACE_NEW_PASSWORD=bob-secret"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("bob"));

    // bob logs in with his own password, sees no patients yet, and is not an admin.
    r = run_solace({"flags", "--json", "--from", "2026-07-01T00:00Z", "--to", "2026-07-02T00:00Z",
                    "--db", db, "--user", "bob"},
                   {"SOLACE_PASSWORD=bob-secret"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(parse_json(r.out).empty());
    r = run_solace({"user", "add", "carl", "--db", db, "--user", "bob"},
                   {"SOLACE_PASSWORD=bob-secret", "SOLACE_NEW_PASSWORD=carl-secret"});
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("admin"));
    CHECK(count_rows(db, "account") == 2);
}

TEST_CASE("user add for a family account needs a patient that exists", "[cli]") {
    Clinic c;
    const std::vector<std::string> env{as_ann_env[0], "SOLACE_NEW_PASSWORD=rosa-secret"};
    auto r = c.solace({"user", "add", "rosa", "--role", "family"}, env);
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("--patient"));
    r = c.solace({"user", "add", "rosa", "--role", "family", "--patient", "P404"}, env);
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("\"P404\""));
    CHECK(count_rows(c.path, "account") == 1);

    r = c.solace({"user", "add", "rosa", "--role", "family", "--patient", "P1"}, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    Database db(c.path, Database::Mode::open_existing);
    const auto rosa = store::AccountRepository(db).find("rosa");
    REQUIRE(rosa);
    CHECK(rosa->role == Role::family);
    REQUIRE(rosa->patient_ids.size() == 1);
    CHECK(rosa->patient_ids[0] == store::PatientRepository(db).find_by_mrn("P1")->id);
}

TEST_CASE("A second account with the same name is refused", "[cli]") {
    Clinic c;
    const auto r = c.solace({"user", "add", "ANN", "--role", "nurse"},
                            {as_ann_env[0], "SOLACE_NEW_PASSWORD=another-secret"});
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("ANN") && Catch::Contains("exists"));
    CHECK(count_rows(c.path, "account") == 1);
}

TEST_CASE("A wrong password is refused with a sentence and nothing is written", "[cli]") {
    Clinic c;
    const auto csv = c.dir / "scores.csv";
    write_file(csv, "patient,observed_at,symptom,score,reporter,note\n"
                    "P1,2026-07-01T10:00,pain,3,patient,\n");
    const std::vector<std::string> wrong{"SOLACE_PASSWORD=not-the-password",
                                         "SOLACE_NEW_PASSWORD=eve-secret"};

    auto r = c.solace({"import", "observations", csv.string()}, wrong);
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("Wrong account name or password"));
    CHECK(r.exit_code == 3);
    r = c.solace({"user", "add", "eve", "--role", "nurse"}, wrong);
    check_refusal(r);
    CHECK(count_rows(c.path, "observation") == 0);
    CHECK(count_rows(c.path, "account") == 1);
}

TEST_CASE("A verb run with no password and no terminal says how to give one", "[cli]") {
    Clinic c;
    const auto r = c.solace({"flags", "--json"}, {});
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("SOLACE_PASSWORD"));
}

TEST_CASE("init on an existing file refuses and leaves it intact", "[cli]") {
    Clinic c;
    const auto before = read_file(c.path);
    auto r = run_solace({"init", "--db", c.path.string(), "--user", "mallory"},
                        {"SOLACE_NEW_PASSWORD=mallory-pw"});
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("already exists"));
    CHECK(read_file(c.path) == before);

    const auto notes = c.dir / "notes.txt";
    write_file(notes, "not a database\n");
    r = run_solace({"init", "--db", notes.string(), "--user", "mallory"},
                   {"SOLACE_NEW_PASSWORD=mallory-pw"});
    check_refusal(r);
    CHECK(read_file(notes) == "not a database\n");
}

TEST_CASE("A verb on a missing database says how to create one and creates nothing", "[cli]") {
    TempDir dir;
    const auto missing = dir / "missing.db";
    const auto csv = dir / "scores.csv";
    write_file(csv, "patient,observed_at,symptom,score,reporter,note\n");
    const auto r = run_solace(
        {"import", "observations", csv.string(), "--db", missing.string(), "--user", "ann"},
        as_ann_env);
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("solace init"));
    CHECK_THAT(r.err, Catch::Contains(missing.string()));
    CHECK_FALSE(std::filesystem::exists(missing));
}

TEST_CASE("A verb on a file that is not a Solace database is refused", "[cli]") {
    TempDir dir;
    const auto notes = dir / "notes.db";
    write_file(notes, "");
    const auto r =
        run_solace({"flags", "--json", "--db", notes.string(), "--user", "ann"}, as_ann_env);
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("not a Solace database"));
    CHECK(std::filesystem::file_size(notes) == 0);
}

TEST_CASE("import reports the bad line on stderr and imports nothing", "[cli]") {
    Clinic c;
    const auto csv = c.dir / "scores.csv";
    write_file(csv, "patient,observed_at,symptom,score,reporter,note\n"
                    "P1,2026-07-01T10:00,pain,3,patient,\n"
                    "P1,2026-07-01T10:00,nausea,2,patient,\n"
                    "P1,2026-07-01T10:00,anxiety,11,patient,\n");
    auto r = c.solace({"import", "observations", csv.string()});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("nothing was imported"));
    CHECK_THAT(r.err, Catch::Contains("line 4: score 11"));
    CHECK(count_rows(c.path, "observation") == 0);

    write_file(csv, "patient,observed_at,symptom,score,reporter,note\n"
                    "P1,2026-07-01T10:00,pain,3,patient,\n");
    r = c.solace({"import", "observations", csv.string()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Imported 1"));
    CHECK(count_rows(c.path, "observation") == 1);
}

TEST_CASE("import of a file that does not exist names the file", "[cli]") {
    Clinic c;
    const auto missing = (c.dir / "nope.csv").string();
    const auto r = c.solace({"import", "observations", missing});
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains(missing));
}

TEST_CASE("A verb with a wrong argument is a usage error", "[cli]") {
    Clinic c;
    const auto r = c.solace({"import", "recipes", "x.csv"});
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
}

TEST_CASE("demo creates accounts, prints their passwords, and they work", "[cli]") {
    TempDir dir;
    const auto db = (dir / "demo.db").string();
    const auto r = run_solace({"demo", "--db", db, "--patients", "3", "--days", "10"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // "  family   password solace-family  family of P0001"
    const std::regex account_line(R"(^\s+(\S+)\s+password\s+(\S+)\s+(.*)$)");
    std::map<std::string, std::string> passwords;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
        if (std::smatch m; std::regex_match(line, m, account_line)) passwords[m[1]] = m[2];
    REQUIRE(passwords.count("nurse") == 1);
    REQUIRE(passwords.count("family") == 1);
    {
        Database opened(db, Database::Mode::open_existing);
        CHECK(store::PatientRepository(opened).list().size() == 3);
        CHECK(store::AccountRepository(opened).count() ==
              static_cast<std::int64_t>(passwords.size()));
    }
    CHECK(count_rows(db, "observation") > 0);
    CHECK(count_rows(db, "administration") > 0);

    // The family account logs in with its printed password and sees only its own patient.
    const auto flags = run_solace({"flags", "--json", "--db", db, "--user", "family"},
                                  {"SOLACE_PASSWORD=" + passwords["family"]});
    INFO(flags.err);
    REQUIRE(flags.exit_code == 0);
    for (const auto& f : parse_json(flags.out))
        CHECK(f.at("patient") == "P0001");
    const auto refused =
        run_solace({"flags", "--json", "--patient", "P0002", "--db", db, "--user", "family"},
                   {"SOLACE_PASSWORD=" + passwords["family"]});
    check_refusal(refused);

    const auto again = run_solace({"demo", "--db", db, "--patients", "1", "--days", "1"});
    check_refusal(again);
    CHECK_THAT(again.err, Catch::Contains("already exists"));
}

TEST_CASE("flags --json prints one array of flags with DESIGN's fields", "[cli]") {
    Clinic c;
    c.scores({{utc(2026, 7, 1, 14), 3}, {utc(2026, 7, 2, 14), 8}});
    const auto r =
        c.solace({"flags", "--json", "--from", "2026-07-01T00:00Z", "--to", "2026-07-02T15:00Z"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto flags = parse_json(r.out);
    REQUIRE_FALSE(flags.empty());
    const std::regex utc_time(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$)");
    for (const auto& f : flags) {
        INFO(f.dump());
        REQUIRE(f.is_object());
        CHECK(f.at("patient") == "P1");
        CHECK(f.at("rule").is_string());
        CHECK_THAT(f.at("severity").get<std::string>(),
                   Catch::Equals("urgent") || Catch::Equals("warning") || Catch::Equals("info"));
        CHECK(std::regex_match(f.at("at").get<std::string>(), utc_time));
        CHECK(f.at("reasons").is_array());
        CHECK(f.at("acknowledged") == false);
        CHECK_FALSE(f.at("detail").get<std::string>().empty());
        CHECK((f.contains("symptom") || f.contains("med")));
    }
    // Pain 3 -> 8 a day later: severe (urgent for pain), also a rise and a band change.
    const auto* severe = find_flag(flags, "symptom.severe", "2026-07-02T14:00:00Z");
    REQUIRE(severe);
    CHECK(severe->at("severity") == "urgent");
    CHECK(severe->at("symptom") == "pain");
    const auto reasons = severe->at("reasons").get<std::vector<std::string>>();
    CHECK(std::find(reasons.begin(), reasons.end(), "symptom.rise") != reasons.end());
    // The senna dose due 08:00 EDT (12:00Z) on 07-01 was missed: nothing was recorded by the
    // time its window closed at 14:00Z.
    const auto* missed = find_flag(flags, "dose.missed", "2026-07-01T12:00:00Z");
    REQUIRE(missed);
    CHECK(missed->at("med") == "senna");
    CHECK(missed->at("severity") == "warning");
}

TEST_CASE("flags evaluates as of --to: later scores and open dose windows do not count", "[cli]") {
    Clinic c;
    c.scores({{utc(2026, 7, 1, 14), 3}, {utc(2026, 7, 2, 14), 8}});
    // 13:00Z on 07-02: the second score is not yet recorded, the 08:00 EDT dose window (until
    // 14:00Z) is still open.
    const auto r =
        c.solace({"flags", "--json", "--from", "2026-07-01T00:00Z", "--to", "2026-07-02T13:00Z"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto flags = parse_json(r.out);
    CHECK_FALSE(find_flag(flags, "symptom.severe", "2026-07-02T14:00:00Z"));
    CHECK(find_flag(flags, "dose.missed", "2026-07-01T12:00:00Z"));
    CHECK_FALSE(find_flag(flags, "dose.missed", "2026-07-02T12:00:00Z"));

    const auto later =
        c.solace({"flags", "--json", "--from", "2026-07-01T00:00Z", "--to", "2026-07-02T14:30Z"});
    REQUIRE(later.exit_code == 0);
    CHECK(find_flag(parse_json(later.out), "dose.missed", "2026-07-02T12:00:00Z"));
}

TEST_CASE("flags reads --from and --to without offset in the patient's zone, not the machine's",
          "[cli]") {
    Clinic c;
    c.scores({{utc(2026, 7, 1, 14), 3}, {utc(2026, 7, 2, 14), 8}});
    // 10:30 EDT is 14:30Z: the severe score at 14:00Z is in; at 09:30 EDT it is not yet.
    const std::vector<std::string> in{"flags",      "--json", "--from",
                                      "2026-07-01", "--to",   "2026-07-02T10:30"};
    const std::vector<std::string> out{"flags",      "--json", "--from",
                                       "2026-07-01", "--to",   "2026-07-02T09:30"};
    std::string first;
    for (const char* tz : {"TZ=UTC", "TZ=Pacific/Auckland", "TZ=America/Los_Angeles"}) {
        INFO(tz);
        const auto r = c.solace(in, {as_ann_env[0], tz});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(find_flag(parse_json(r.out), "symptom.severe", "2026-07-02T14:00:00Z"));
        if (first.empty()) first = r.out;
        CHECK(r.out == first);
        const auto before = c.solace(out, {as_ann_env[0], tz});
        REQUIRE(before.exit_code == 0);
        CHECK_FALSE(find_flag(parse_json(before.out), "symptom.severe", "2026-07-02T14:00:00Z"));
    }
}

TEST_CASE("flags refuses a --from after --to and an unreadable time", "[cli]") {
    Clinic c;
    auto r = c.solace({"flags", "--from", "2026-07-03", "--to", "2026-07-01"});
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("2026-07-03"));
    r = c.solace({"flags", "--from", "last week"});
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("--from \"last week\""));
}

TEST_CASE("ack marks a flag acknowledged, and flags then shows it", "[cli]") {
    Clinic c;
    // ack looks for the flag in the year up to now, so this data is recent whatever the clock.
    const auto base = date::floor<std::chrono::hours>(now_utc()) - std::chrono::hours{48};
    c.scores({{base, 2}, {base + std::chrono::hours{24}, 9}});
    const auto severe_at = format_utc(base + std::chrono::hours{24});
    const std::vector<std::string> window{"flags",  "--json",
                                          "--from", format_utc(base - std::chrono::hours{1}),
                                          "--to",   format_utc(base + std::chrono::hours{25})};
    auto r = c.solace(window);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto before = parse_json(r.out);
    const auto* severe = find_flag(before, "symptom.severe", severe_at);
    REQUIRE(severe);
    CHECK(severe->at("acknowledged") == false);
    const auto id = severe->at("id").get<std::string>();

    r = c.solace({"ack", id, "--note", "GP called, dose increased"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains(id));

    r = c.solace(window);
    REQUIRE(r.exit_code == 0);
    const auto flags = parse_json(r.out);
    severe = find_flag(flags, "symptom.severe", severe_at);
    REQUIRE(severe);
    CHECK(severe->at("acknowledged") == true);
    CHECK(severe->at("acknowledged_by") == "ann");
    CHECK(severe->at("acknowledgement_note") == "GP called, dose increased");
    for (const auto& f : flags)
        if (f.at("id") != id) CHECK(f.at("acknowledged") == false);

    r = c.solace({"ack", id});
    check_refusal(r);
    CHECK_THAT(r.err, Catch::Contains("already acknowledged"));
    r = c.solace({"ack", "symptom.severe/P1/s999999"});
    check_refusal(r);
    CHECK(count_rows(c.path, "flag_acknowledgement") == 1);
}

TEST_CASE("export csv writes the five files with their headers", "[cli]") {
    Clinic c;
    c.scores({{utc(2026, 7, 1, 14), 3}});
    const auto out = c.dir / "export";
    const auto r = c.solace({"export", "csv", "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(read_file(out / "patients.csv"),
               Catch::StartsWith("mrn,name,date_of_birth,time_zone,diagnosis,id,on_call,"
                                 "discharged_at,discharge_reason\r\nP1,"));
    CHECK_THAT(read_file(out / "observations.csv"),
               Catch::Contains("P1,2026-07-01T10:00:00-04:00,pain,3,patient,"));
    CHECK_THAT(read_file(out / "medications.csv"), Catch::Contains("P1,senna,Senna"));
    CHECK_THAT(read_file(out / "administrations.csv"),
               Catch::Equals("patient,med,given_at,status,reason,recorded_by,id,replaces\r\n"));
    CHECK_THAT(read_file(out / "goals.csv"), Catch::Equals("patient,symptom,goal,set_at,id\r\n"));
}
