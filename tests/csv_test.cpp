// RFC 4180 reading and writing, and the export round trip (issue 2 item 7): importing the
// exported files into a new database and exporting again gives the same bytes.
// Times in the data carry explicit dates; nothing depends on TZ or the clock.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "app/clinic.hpp"
#include "domain/error.hpp"
#include "interop/csv.hpp"
#include "support.hpp"

using namespace solace;
using solace::interop::csv_field;
using solace::interop::csv_line;
using solace::interop::parse_csv;
using solace::test::read_file;
using solace::test::run_solace;
using solace::test::TempDir;
using solace::test::write_file;

using Fields = std::vector<std::string>;

TEST_CASE("CSV fields are split on commas outside quotes", "[csv]") {
    const auto rows = parse_csv("a,b,c\n1,\"two, three\",\"\"\"four\"\"\"\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"a", "b", "c"});
    CHECK(rows[1].fields == Fields{"1", "two, three", "\"four\""});
    CHECK(rows[0].line == 1);
    CHECK(rows[1].line == 2);
}

TEST_CASE("CSV empty fields, a missing final newline and blank lines are handled", "[csv]") {
    const auto rows = parse_csv("a,,c\n\n,,\nlast,row");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].fields == Fields{"a", "", "c"});
    CHECK(rows[1].fields == Fields{"", "", ""});
    CHECK(rows[1].line == 3);
    CHECK(rows[2].fields == Fields{"last", "row"});
    CHECK(rows[2].line == 4);
}

TEST_CASE("CSV line breaks inside quotes belong to the field and count as lines", "[csv]") {
    const auto rows = parse_csv("h1,h2\r\nx,\"one\ntwo\nthree\"\r\ny,z\r\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].fields == Fields{"x", "one\ntwo\nthree"});
    CHECK(rows[1].line == 2);
    CHECK(rows[2].fields == Fields{"y", "z"});
    CHECK(rows[2].line == 5);
}

TEST_CASE("CSV with a byte order mark and CRLF reads like plain LF", "[csv]") {
    const auto plain = parse_csv("name,note\nZoë,ok\n");
    const auto windows = parse_csv("\xEF\xBB\xBFname,note\r\nZoë,ok\r\n");
    REQUIRE(windows.size() == plain.size());
    for (std::size_t i = 0; i < plain.size(); ++i) {
        CHECK(windows[i].fields == plain[i].fields);
        CHECK(windows[i].line == plain[i].line);
    }
    CHECK(windows[0].fields[0] == "name");
}

TEST_CASE("CSV with a quote that is never closed is refused naming its line", "[csv]") {
    try {
        parse_csv("a,b\n1,2\n3,\"open\n4,5\n");
        FAIL("an unclosed quote should be refused");
    } catch (const ValidationError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("line 3:"));
    }
}

TEST_CASE("CSV fields are quoted only when they need it, and read back unchanged", "[csv]") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_line({"a", "b c", ""}) == "a,b c,\r\n");

    const Fields tricky{"",        "comma, inside", "\"quoted\"", "line\nbreak", "crlf\r\nbreak",
                        "ünïcödé", " spaced "};
    const auto rows = parse_csv(csv_line(tricky) + csv_line({"next"}));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == tricky);
    CHECK(rows[1].fields == Fields{"next"});
    CHECK(rows[1].line == 4);
}

TEST_CASE("CSV read from a stream gives the same records as from memory, across chunk edges",
          "[csv]") {
    // Records of growing length push quotes, doubled quotes and CRLFs across the reader's
    // 64 KiB chunk edges.
    std::string text = "\xEF\xBB\xBF"
                       "a,b\r\n";
    for (int i = 0; i < 3000; ++i)
        text += csv_line(
            {std::to_string(i), std::string(static_cast<std::size_t>(i % 97), 'x') + "\"q\"\r\nz"});
    std::istringstream in(text);
    interop::CsvReader reader(in);
    std::vector<interop::CsvRow> streamed;
    for (interop::CsvRow r; reader.next(r);)
        streamed.push_back(r);
    const auto whole = parse_csv(text);
    REQUIRE(streamed.size() == 3001);
    REQUIRE(whole.size() == streamed.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
        CHECK(streamed[i].fields == whole[i].fields);
        CHECK(streamed[i].line == whole[i].line);
    }
    CHECK(streamed[0].fields == Fields{"a", "b"});
    CHECK(streamed[3000].fields[1] == std::string(2999 % 97, 'x') + "\"q\"\r\nz");
}

TEST_CASE("CSV record longer than the limit is refused naming its line, without reading on",
          "[csv]") {
    std::string text = "a,b\n1,\"open\n";
    text += std::string(interop::max_csv_record_bytes, 'y');
    std::istringstream in(text);
    interop::CsvReader reader(in);
    interop::CsvRow r;
    REQUIRE(reader.next(r));
    try {
        reader.next(r);
        FAIL("a record past the limit should be refused");
    } catch (const ValidationError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("line 2:") && Catch::Contains("quote"));
    }
}

namespace {

constexpr const char* nurse_password = "round-trip-pw";

const char* const kinds[] = {"patients", "medications", "observations", "administrations"};

// Creates a database at `db` with the nurse "ann" via `solace init`, imports the four files
// from `in`, and exports them to `out`.
void import_and_export(const std::filesystem::path& db, const std::filesystem::path& in,
                       const std::filesystem::path& out) {
    auto r = run_solace({"init", "--db", db.string(), "--user", "ann"},
                        {std::string("SOLACE_NEW_PASSWORD=") + nurse_password});
    REQUIRE(r.exit_code == 0);
    const std::vector<std::string> as_ann{"--db", db.string(), "--user", "ann"};
    const std::vector<std::string> env{std::string("SOLACE_PASSWORD=") + nurse_password};
    for (const char* kind : kinds) {
        std::vector<std::string> args{"import", kind, (in / (std::string(kind) + ".csv")).string()};
        args.insert(args.end(), as_ann.begin(), as_ann.end());
        r = run_solace(args, env);
        INFO(kind << ": " << r.err);
        REQUIRE(r.exit_code == 0);
    }
    std::vector<std::string> args{"export", "csv", "--out", out.string()};
    args.insert(args.end(), as_ann.begin(), as_ann.end());
    r = run_solace(args, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

} // namespace

TEST_CASE("Exported CSV files import into a new database that exports the same bytes",
          "[csv][cli]") {
    TempDir dir;
    const auto source = dir / "source";
    std::filesystem::create_directories(source);
    write_file(source / "patients.csv",
               "mrn,name,date_of_birth,time_zone,diagnosis\n"
               "P1,\"O'Brien, Margaret\",1941-02-03,America/New_York,\"pancreatic cancer, liver "
               "\"\"mets\"\"\"\n"
               "P2,Aiko Nakamura,1950-12-31,Pacific/Auckland,\n");
    write_file(source / "medications.csv",
               "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
               "P1,morphine-sr,Morphine sulfate SR,30 mg,oral,bid,,pain,2026-03-01,\n"
               "P1,oxy-ir,Oxycodone IR,5 mg,oral,prn q1h max 6,,pain,2026-03-01,2026-12-31\n"
               "P2,ondansetron,Ondansetron,4 mg,\"sublingual, dissolving\",tid,no,nausea,"
               "2026-06-01T08:00,\n");
    write_file(source / "observations.csv",
               "patient,observed_at,symptom,score,reporter,note\n"
               "P1,2026-03-08T02:30,pain,6,patient,\"woke at night,\ntook a while to settle\"\n"
               "P1,2026-03-08T09:00,nausea,2,nurse,\n"
               "P1,2026-03-08T09:00,pain,4,nurse,\n"
               "P1,2026-11-01T01:30,anxiety,7,caregiver,\"said \"\"scared\"\"\"\n"
               "P1,2026-07-01T10:00:00Z,pps,60,nurse,\n"
               "P2,2026-07-01T10:00,breathing,4,patient,\n"
               "P2,2026-04-05T02:30,wellbeing,5,patient,Zoë visited\n");
    write_file(source / "administrations.csv",
               "patient,med,given_at,status,reason,recorded_by\n"
               "P1,morphine-sr,2026-03-08T08:05,given,,\n"
               "P1,morphine-sr,2026-03-08T20:00,held,\"asleep, family asked not to wake\",Bea\n"
               "P1,oxy-ir,2026-03-08T03:00,given,,daughter\n"
               "P2,ondansetron,2026-07-01T14:10,refused,nausea gone,\n");

    import_and_export(dir / "a.db", source, dir / "export-a");
    import_and_export(dir / "b.db", dir / "export-a", dir / "export-b");

    for (const char* kind : kinds) {
        const auto name = std::string(kind) + ".csv";
        const auto a = read_file(dir / "export-a" / name);
        const auto b = read_file(dir / "export-b" / name);
        INFO(name);
        REQUIRE_FALSE(a.empty());
        CHECK(a == b);
    }

    // The export is the data, not just self-consistent: spot-check what was imported.
    const auto patients = read_file(dir / "export-a" / "patients.csv");
    CHECK_THAT(patients, Catch::StartsWith("mrn,name,date_of_birth,time_zone,diagnosis,id,on_call,"
                                           "discharged_at,discharge_reason\r\n"));
    CHECK_THAT(patients, Catch::Contains("P1,\"O'Brien, Margaret\",1941-02-03,America/New_York,"
                                         "\"pancreatic cancer, liver \"\"mets\"\"\","));
    const auto observations = read_file(dir / "export-a" / "observations.csv");
    // 02:30 in the spring-forward gap became 03:30 EDT; 01:30 on fall-back its first (EDT) one.
    CHECK_THAT(observations,
               Catch::Contains("P1,2026-03-08T03:30:00-04:00,pain,6,patient,\"woke at night,\n"
                               "took a while to settle\","));
    CHECK_THAT(observations,
               Catch::Contains("P1,2026-11-01T01:30:00-04:00,anxiety,7,caregiver,\"said "
                               "\"\"scared\"\"\","));
    CHECK_THAT(observations, Catch::Contains("P1,2026-07-01T06:00:00-04:00,pps,60,nurse,,"));
    CHECK_THAT(observations, Catch::Contains("P2,2026-07-01T10:00:00+12:00,breathing,4,patient,"));
    CHECK_THAT(observations, Catch::Contains("P2,2026-04-05T02:30:00+13:00,wellbeing,5,patient,"));
    const auto medications = read_file(dir / "export-a" / "medications.csv");
    CHECK_THAT(medications, Catch::Contains("P1,morphine-sr,Morphine sulfate SR,30 mg,oral,bid,"
                                            "yes,pain,2026-03-01T00:00:00-05:00,,"));
    CHECK_THAT(medications, Catch::Contains("2026-12-31T23:59:59-05:00,"));
    CHECK_THAT(medications, Catch::Contains("\"sublingual, dissolving\",tid,no,nausea"));
    const auto doses = read_file(dir / "export-a" / "administrations.csv");
    CHECK_THAT(doses, Catch::Contains("P1,morphine-sr,2026-03-08T20:00:00-04:00,held,\"asleep, "
                                      "family asked not to wake\",Bea,"));
    CHECK_THAT(doses, Catch::Contains("P1,morphine-sr,2026-03-08T08:05:00-04:00,given,,ann,"));
    CHECK_THAT(doses, Catch::Contains("P2,ondansetron,2026-07-01T14:10:00+12:00,refused,nausea "
                                      "gone,ann,"));
    const auto count_lines = [](const std::string& s) {
        std::size_t n = 0;
        for (std::size_t p = 0; (p = s.find("\r\n", p)) != std::string::npos; p += 2)
            ++n;
        return n;
    };
    CHECK(count_lines(patients) == 3);
    CHECK(count_lines(observations) == 8);
    CHECK(count_lines(medications) == 4);
    CHECK(count_lines(doses) == 5);
}

TEST_CASE("The PPS keeps its reporter and note through export", "[csv][cli]") {
    TempDir dir;
    const auto source = dir / "source";
    std::filesystem::create_directories(source);
    write_file(source / "patients.csv", "mrn,name,date_of_birth,time_zone,diagnosis\n"
                                        "P1,Jean Brennan,1938-09-09,Europe/London,\n");
    write_file(source / "medications.csv",
               "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n");
    write_file(source / "observations.csv", "patient,observed_at,symptom,score,reporter,note\n"
                                            "P1,2026-07-01T10:00,pps,40,caregiver,\n"
                                            "P1,2026-07-02T10:00,pps,30,nurse,\"in bed, most of "
                                            "the day\"\n");
    write_file(source / "administrations.csv", "patient,med,given_at,status,reason,recorded_by\n");
    import_and_export(dir / "a.db", source, dir / "out");
    const auto observations = read_file(dir / "out" / "observations.csv");
    CHECK_THAT(observations, Catch::Contains("P1,2026-07-01T10:00:00+01:00,pps,40,caregiver,,"));
    CHECK_THAT(observations, Catch::Contains("P1,2026-07-02T10:00:00+01:00,pps,30,nurse,\"in bed, "
                                             "most of the day\","));
}

TEST_CASE("A corrected score exports after what it replaced, and in corrections.csv both values",
          "[csv]") {
    TempDir dir;
    const std::vector<std::string> env{"SOLACE_PASSWORD=bedside-1",
                                       "SOLACE_NEW_PASSWORD=bedside-1"};
    const auto db = (dir / "a.db").string();
    REQUIRE(run_solace({"init", "--db", db, "--user", "ann"}, env).exit_code == 0);
    write_file(dir / "p.csv", "mrn,name,date_of_birth,time_zone,diagnosis\n"
                              "P1,Jean Brennan,1938-09-09,Europe/London,\n");
    write_file(dir / "o.csv", "patient,observed_at,symptom,score,reporter,note\n"
                              "P1,2026-07-01T10:00,pain,8,patient,\n");
    REQUIRE(run_solace(
                {"import", "patients", (dir / "p.csv").string(), "--db", db, "--user", "ann"}, env)
                .exit_code == 0);
    REQUIRE(
        run_solace(
            {"import", "observations", (dir / "o.csv").string(), "--db", db, "--user", "ann"}, env)
            .exit_code == 0);
    {
        store::Database d(db, store::Database::Mode::open_existing);
        const auto nurse = app::Session::login(d, "ann", "bedside-1");
        store::Statement id(d, "SELECT id FROM observation");
        REQUIRE(id.step());
        app::correct_score(nurse, id.int64(0), 3, "typed 8, meant 3");
    }
    const auto out = dir / "out";
    const auto r =
        run_solace({"export", "csv", "--out", out.string(), "--db", db, "--user", "ann"}, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // The score as first recorded, then its correction naming it: an import rebuilds both.
    const auto observations = read_file(out / "observations.csv");
    const auto first = observations.find("P1,2026-07-01T10:00:00+01:00,pain,8,patient,,");
    const auto correction = observations.find("P1,2026-07-01T10:00:00+01:00,pain,3,patient,,");
    REQUIRE(first != std::string::npos);
    REQUIRE(correction != std::string::npos);
    CHECK(first < correction);
    const auto id = observations.substr(first + 45, 36);
    CHECK_THAT(observations, Catch::EndsWith("," + id + ",\"typed 8, meant 3\",\r\n"));
    const auto corrections = read_file(out / "corrections.csv");
    CHECK_THAT(corrections, Catch::StartsWith("patient,observed_at,symptom,reporter,replaced_score,"
                                              "score,corrected_at,corrected_by,reason\r\n"));
    CHECK_THAT(corrections, Catch::Contains("P1,2026-07-01T10:00:00+01:00,pain,patient,8,3,"));
    CHECK_THAT(corrections, Catch::EndsWith(",ann,\"typed 8, meant 3\"\r\n"));
}
