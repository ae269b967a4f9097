// FHIR R4 export (issue 7): Bundles written through the command line, checked by the official
// FHIR R4 JSON schema (the npm validator in tests/fhir, installed by ./dev test) and by reading
// their codes, values and times.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"
#include "store/observation_repository.hpp"
#include "store/patient_repository.hpp"
#include "support.hpp"

using nlohmann::json;
using solace::test::read_file;
using solace::test::run_solace;
using solace::test::TempDir;
using solace::test::write_file;

namespace {

const std::vector<std::string> nurse_env{"SOLACE_PASSWORD=bedside-1",
                                         "SOLACE_NEW_PASSWORD=bedside-1"};
const std::vector<std::string> family_env{"SOLACE_PASSWORD=family-pw-1",
                                          "SOLACE_NEW_PASSWORD=family-pw-1"};

const std::filesystem::path fhir_tools =
    std::filesystem::path(SOLACE_SOURCE_DIR) / "tests" / "fhir";

struct Validation {
    int exit_code = -1;
    std::string output;
};

// Runs tests/fhir/validate.js (the FHIR R4 JSON schema, on Node.js) over `files`.
Validation validate(const std::vector<std::filesystem::path>& files) {
    if (!std::filesystem::exists(fhir_tools / "node_modules" / "@asymmetrik" /
                                 "fhir-json-schema-validator" / "fhir.schema.json"))
        FAIL("The FHIR validator is not installed: run ./dev test, or npm ci --prefix tests/fhir.");
    std::string cmd = "node '" + (fhir_tools / "validate.js").string() + "'";
    for (const auto& f : files)
        cmd += " '" + f.string() + "'";
    cmd += " 2>&1";
    Validation v;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
        v.output.append(buf, n);
    const int status = ::pclose(pipe);
    v.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return v;
}

void require_valid(const std::vector<std::filesystem::path>& files) {
    const auto v = validate(files);
    INFO(v.output);
    REQUIRE(v.exit_code == 0);
    CHECK_THAT(v.output, Catch::Contains(std::to_string(files.size()) + " of " +
                                         std::to_string(files.size()) + " file(s) valid"));
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// Two patients (New York and London) imported through the command line, with scores by each
// kind of reporter, a PPS, a scheduled opioid, an interval medication, a PRN, and doses given,
// held and refused; then one score corrected through the library.
struct Clinic {
    TempDir dir;
    std::string db = (dir / "clinic.db").string();

    Clinic() {
        REQUIRE(run_solace({"init", "--db", db, "--user", "ann"}, nurse_env).exit_code == 0);
        import("patients", "mrn,name,date_of_birth,time_zone,diagnosis\n"
                           "NY1,Rosa Brennan,1941-04-02,America/New_York,pancreatic cancer\n"
                           "LON1,Walter Moreau,1938-01-15,Europe/London,glioblastoma\n");
        import("medications",
               "patient,med,name,dose,route,schedule,time_critical,indication,start,end\n"
               "NY1,morphine-sr,Morphine sulfate SR,30 mg,oral,bid,,pain,2026-03-01,\n"
               "NY1,dex,Dexamethasone,4 mg,oral,q6h@06:00,no,appetite,2026-03-07,2026-03-20\n"
               "NY1,oxy-ir,Oxycodone IR,2.5 mg,oral,prn q30m max 6,,pain,2026-03-01,\n"
               "LON1,senna,Senna,7.5 mg,oral,daily,no,constipation,2026-06-01,\n");
        import("observations", "patient,observed_at,symptom,score,reporter,note\n"
                               "NY1,2026-02-01T10:00,pain,2,patient,\n"
                               "NY1,2026-03-08T02:30,pain,6,patient,woke at night\n"
                               "NY1,2026-03-08T09:00,tiredness,5,caregiver,\n"
                               "NY1,2026-03-08T09:00,nausea,3,nurse,\n"
                               "NY1,2026-03-08T09:00,pps,60,nurse,\n"
                               "LON1,2026-07-01T10:00,breathing,4,patient,\n");
        import("administrations", "patient,med,given_at,status,reason,recorded_by\n"
                                  "NY1,morphine-sr,2026-03-08T08:05,given,,\n"
                                  "NY1,morphine-sr,2026-03-08T20:00,held,\"asleep, family asked "
                                  "not to wake\",Bea\n"
                                  "NY1,oxy-ir,2026-03-08T03:00,given,,daughter\n"
                                  "NY1,dex,2026-03-08T12:10,refused,nausea,\n");
        correct_nausea();
    }

    void import(const std::string& kind, const std::string& csv) {
        const auto r = solace::test::import_csv(dir.path, db, kind, csv, nurse_env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }

    // The nurse misread the form: nausea was 4, not 3.
    void correct_nausea() {
        solace::store::Database d(db, solace::store::Database::Mode::open_existing);
        const solace::app::Session nurse(d, *solace::store::AccountRepository(d).find("ann"));
        const auto p = solace::store::PatientRepository(d).find_by_mrn("NY1");
        REQUIRE(p);
        for (const auto& s : solace::store::ObservationRepository(d).scores(
                 p->id, solace::from_epoch(0), solace::from_epoch(std::int64_t{1} << 40)))
            if (s.symptom == solace::Symptom::nausea)
                solace::app::correct_score(nurse, s.id, 4, "misread the form");
    }

    solace::test::CommandResult solace(std::vector<std::string> args,
                                       const std::string& user = "ann",
                                       const std::vector<std::string>& env = nurse_env) const {
        for (const auto& a : {std::string("--db"), db, std::string("--user"), user})
            args.push_back(a);
        return run_solace(args, env);
    }
};

std::vector<json> resources(const json& bundle, const std::string& type) {
    std::vector<json> out;
    for (const auto& e : bundle.at("entry"))
        if (e.at("resource").at("resourceType") == type) out.push_back(e.at("resource"));
    return out;
}

const json* observation(const std::vector<json>& all, const std::string& code,
                        const std::string& status) {
    for (const auto& o : all)
        if (o.at("code").at("coding").at(0).at("code") == code && o.at("status") == status)
            return &o;
    return nullptr;
}

std::string reporter(const json& r) {
    for (const auto& x : r.at("extension"))
        if (x.at("url") == "urn:solace:fhir:extension:reporter")
            return x.at("valueCode").get<std::string>();
    return "";
}

const json* by_key(const std::vector<json>& requests, const std::string& key) {
    for (const auto& r : requests)
        if (r.at("identifier").at(0).at("value") == key) return &r;
    return nullptr;
}

} // namespace

TEST_CASE("A patient's FHIR Bundle passes the FHIR R4 schema and carries its codes, values and "
          "local times",
          "[fhir]") {
    Clinic c;
    const auto file = c.dir / "NY1.json";
    const auto r = c.solace({"export", "fhir", "--patient", "NY1", "--from", "2026-03-01", "--to",
                             "2026-03-31", "--out", file.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains(file.string()));
    require_valid({file});
    CHECK(mode_of(file) == 0600);

    const auto bundle = json::parse(read_file(file));
    CHECK(bundle.at("resourceType") == "Bundle");
    CHECK(bundle.at("type") == "collection");
    CHECK_THAT(bundle.at("timestamp").get<std::string>(), Catch::EndsWith("Z"));
    for (const auto& e : bundle.at("entry"))
        CHECK(e.at("fullUrl") == "urn:uuid:" + e.at("resource").at("id").get<std::string>());

    { // The Patient, with MRN, birth date and time zone
        const auto patients = resources(bundle, "Patient");
        REQUIRE(patients.size() == 1);
        const auto& p = patients[0];
        CHECK(bundle.at("entry").at(0).at("resource") == p);
        CHECK(p.at("identifier").at(0).at("value") == "NY1");
        CHECK(p.at("identifier").at(0).at("type").at("coding").at(0).at("code") == "MR");
        CHECK(p.at("name").at(0).at("text") == "Rosa Brennan");
        CHECK(p.at("birthDate") == "1941-04-02");
        CHECK(p.at("extension").at(0).at("url") ==
              "http://hl7.org/fhir/StructureDefinition/timezone");
        CHECK(p.at("extension").at(0).at("valueCode") == "America/New_York");
    }

    const auto patient_ref = bundle.at("entry").at(0).at("fullUrl").get<std::string>();
    const auto observations = resources(bundle, "Observation");

    { // Scores: LOINC and SNOMED CT codes, survey category, value and the patient's offset
        // pain, tiredness, nausea corrected (amended + entered-in-error), PPS; February's pain
        // is before --from.
        CHECK(observations.size() == 5);
        const auto* pain = observation(observations, "112494-0", "final");
        REQUIRE(pain);
        CHECK(pain->at("code").at("coding") ==
              json::parse(R"([{"system":"http://loinc.org","code":"112494-0"},
                              {"system":"http://snomed.info/sct","code":"22253000"}])"));
        CHECK(pain->at("code").at("text") == "Pain");
        CHECK(pain->at("category").at(0).at("coding").at(0).at("code") == "survey");
        CHECK(pain->at("category").at(0).at("coding").at(0).at("system") ==
              "http://terminology.hl7.org/CodeSystem/observation-category");
        CHECK(pain->at("valueInteger") == 6);
        // 02:30 does not exist on the spring-forward day: 03:30 EDT.
        CHECK(pain->at("effectiveDateTime") == "2026-03-08T03:30:00-04:00");
        CHECK(pain->at("subject").at("reference") == patient_ref);
        CHECK(pain->at("note").at(0).at("text") == "woke at night");
        CHECK(reporter(*pain) == "patient");
        CHECK(pain->at("performer").at(0).at("reference") == patient_ref);

        const auto* tired = observation(observations, "112495-7", "final");
        REQUIRE(tired);
        CHECK(tired->at("code").at("coding").size() == 1); // no SNOMED CT code in DESIGN §3
        CHECK(tired->at("valueInteger") == 5);
        CHECK(tired->at("effectiveDateTime") == "2026-03-08T09:00:00-04:00");
        CHECK(reporter(*tired) == "caregiver");
        CHECK(tired->at("performer").at(0).at("type") == "RelatedPerson");
    }

    { // A corrected score is amended and the score it replaced entered-in-error
        const auto* now = observation(observations, "112497-3", "amended");
        const auto* was = observation(observations, "112497-3", "entered-in-error");
        REQUIRE(now);
        REQUIRE(was);
        CHECK(now->at("valueInteger") == 4);
        CHECK(was->at("valueInteger") == 3);
        CHECK(now->at("effectiveDateTime") == was->at("effectiveDateTime"));
        CHECK_THAT(now->at("note").at(0).at("text").get<std::string>(),
                   Catch::Contains("misread the form"));
        CHECK(reporter(*now) == "nurse");
        CHECK(now->at("performer").at(0).at("display") == "ann");
        CHECK(observation(observations, "112497-3", "final") == nullptr);
    }

    { // The PPS is an Observation with its own documented code
        const auto* pps = observation(observations, "pps", "final");
        REQUIRE(pps);
        CHECK(pps->at("code").at("coding").at(0).at("system") == "urn:solace:fhir:code:assessment");
        CHECK(pps->at("valueInteger") == 60);
        CHECK(pps->at("effectiveDateTime") == "2026-03-08T09:00:00-04:00");
    }

    const auto requests = resources(bundle, "MedicationRequest");
    { // Medications: clock times, an interval and a PRN as FHIR timing
        REQUIRE(requests.size() == 3);
        const auto* morphine = by_key(requests, "morphine-sr");
        REQUIRE(morphine);
        CHECK(morphine->at("status") == "active");
        CHECK(morphine->at("intent") == "order");
        CHECK(morphine->at("medicationCodeableConcept").at("text") == "Morphine sulfate SR");
        CHECK(morphine->at("authoredOn") == "2026-03-01T00:00:00-05:00");
        const auto& bid = morphine->at("dosageInstruction").at(0);
        CHECK(bid.at("timing").at("repeat") == json::parse(R"({
              "boundsPeriod": {"start": "2026-03-01T00:00:00-05:00"},
              "frequency": 2, "period": 1, "periodUnit": "d",
              "timeOfDay": ["08:00:00", "20:00:00"]})"));
        CHECK(bid.at("doseAndRate").at(0).at("doseQuantity") ==
              json::parse(R"({"value": 30, "unit": "mg"})"));
        CHECK(bid.at("route").at("text") == "oral");
        CHECK(bid.contains("additionalInstruction")); // a scheduled opioid is time-critical
        CHECK_FALSE(bid.contains("asNeededBoolean"));

        const auto* dex = by_key(requests, "dex");
        REQUIRE(dex);
        CHECK(dex->at("dosageInstruction").at(0).at("timing").at("repeat") == json::parse(R"({
              "boundsPeriod": {"start": "2026-03-07T06:00:00-05:00",
                               "end": "2026-03-20T23:59:59-04:00"},
              "frequency": 1, "period": 6, "periodUnit": "h"})"));
        CHECK(dex->at("reasonCode").at(0).at("text") == "appetite");
        CHECK_FALSE(dex->at("dosageInstruction").at(0).contains("additionalInstruction"));

        const auto* oxy = by_key(requests, "oxy-ir");
        REQUIRE(oxy);
        const auto& prn = oxy->at("dosageInstruction").at(0);
        CHECK(prn.at("asNeededBoolean") == true);
        CHECK(prn.at("timing").at("repeat").at("period") == 30);
        CHECK(prn.at("timing").at("repeat").at("periodUnit") == "min");
        CHECK(prn.at("maxDosePerPeriod").at("numerator").at("value") == 6);
        CHECK(prn.at("maxDosePerPeriod").at("denominator") ==
              json::parse(R"({"value": 24, "unit": "h", "system": "http://unitsofmeasure.org",
                              "code": "h"})"));
        CHECK(prn.at("doseAndRate").at(0).at("doseQuantity").at("value") == 2.5);
    }

    { // Doses: completed, or not-done with the reason for held and refused
        const auto doses = resources(bundle, "MedicationAdministration");
        REQUIRE(doses.size() == 4);
        const auto request_url = [&](const std::string& key) {
            for (const auto& e : bundle.at("entry"))
                if (e.at("resource").at("resourceType") == "MedicationRequest" &&
                    e.at("resource").at("identifier").at(0).at("value") == key)
                    return e.at("fullUrl").get<std::string>();
            return std::string();
        };
        const auto at = [&](const std::string& when) -> const json& {
            for (const auto& d : doses)
                if (d.at("effectiveDateTime") == when) return d;
            FAIL("no dose at " << when);
            return doses.front();
        };
        const auto& given = at("2026-03-08T08:05:00-04:00");
        CHECK(given.at("status") == "completed");
        CHECK(given.at("request").at("reference") == request_url("morphine-sr"));
        CHECK(given.at("subject").at("reference") == patient_ref);
        CHECK(given.at("dosage").at("dose") == json::parse(R"({"value": 30, "unit": "mg"})"));
        CHECK_FALSE(given.contains("statusReason"));

        const auto& held = at("2026-03-08T20:00:00-04:00");
        CHECK(held.at("status") == "not-done");
        CHECK(held.at("statusReason").at(0).at("coding").at(0).at("code") == "held");
        CHECK(held.at("statusReason").at(0).at("text") == "asleep, family asked not to wake");
        CHECK(held.at("performer").at(0).at("actor").at("display") == "Bea");
        CHECK_FALSE(held.contains("dosage"));

        const auto& refused = at("2026-03-08T12:10:00-04:00");
        CHECK(refused.at("status") == "not-done");
        CHECK(refused.at("statusReason").at(0).at("coding").at(0).at("code") == "refused");
        CHECK(refused.at("request").at("reference") == request_url("dex"));

        const auto& prn = at("2026-03-08T03:00:00-04:00");
        CHECK(prn.at("status") == "completed");
        CHECK(prn.at("request").at("reference") == request_url("oxy-ir"));
    }
}

TEST_CASE("Exporting the same data twice gives the same resource ids", "[fhir]") {
    Clinic c;
    const auto a = c.dir / "a.json", b = c.dir / "b.json";
    REQUIRE(c.solace({"export", "fhir", "--patient", "NY1", "--out", a.string()}).exit_code == 0);
    REQUIRE(c.solace({"export", "fhir", "--patient", "NY1", "--out", b.string()}).exit_code == 0);
    const auto ja = json::parse(read_file(a)), jb = json::parse(read_file(b));
    REQUIRE(ja.at("entry").size() == jb.at("entry").size());
    for (std::size_t i = 0; i < ja.at("entry").size(); ++i)
        CHECK(ja.at("entry").at(i).at("fullUrl") == jb.at("entry").at(i).at("fullUrl"));
    // Without --from/--to, the whole history: February's pain score is in.
    CHECK(observation(resources(ja, "Observation"), "112494-0", "final") != nullptr);
    CHECK(resources(ja, "Observation").size() == 6);
}

TEST_CASE("Without --patient each readable patient gets a Bundle in the folder, and a family "
          "account only its own",
          "[fhir]") {
    Clinic c;
    auto r = c.solace({"user", "add", "maria", "--role", "family", "--patient", "LON1"}, "ann",
                      {"SOLACE_PASSWORD=bedside-1", "SOLACE_NEW_PASSWORD=family-pw-1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);

    SECTION("A nurse exports every patient, into a folder created private") {
        const auto out = c.dir / "bundles";
        r = c.solace({"export", "fhir", "--out", out.string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(mode_of(out) == 0700);
        CHECK(mode_of(out / "NY1.json") == 0600);
        require_valid({out / "NY1.json", out / "LON1.json"});
        const auto lon = json::parse(read_file(out / "LON1.json"));
        const auto obs = resources(lon, "Observation");
        REQUIRE(obs.size() == 1);
        CHECK(obs[0].at("effectiveDateTime") == "2026-07-01T10:00:00+01:00");
        CHECK(obs[0].at("code").at("coding").at(1).at("code") == "267036007");
        CHECK(resources(lon, "MedicationRequest").size() == 1);
    }

    SECTION("A family account gets only the patient it may see") {
        const auto out = c.dir / "family";
        r = c.solace({"export", "fhir", "--out", out.string()}, "maria", family_env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(std::filesystem::exists(out / "LON1.json"));
        CHECK_FALSE(std::filesystem::exists(out / "NY1.json"));
        require_valid({out / "LON1.json"});
    }

    SECTION("A family account asking for another patient is told there is none") {
        const auto file = c.dir / "ny.json";
        r = c.solace({"export", "fhir", "--patient", "NY1", "--out", file.string()}, "maria",
                     family_env);
        CHECK(r.exit_code == 5);
        CHECK_THAT(r.err, Catch::Contains("NY1"));
        CHECK_FALSE(std::filesystem::exists(file));
    }
}

TEST_CASE("Every FHIR export is written to the audit log", "[fhir]") {
    Clinic c;
    REQUIRE(c.solace({"export", "fhir", "--out", (c.dir / "all").string()}).exit_code == 0);
    solace::store::Database d(c.db, solace::store::Database::Mode::open_existing);
    solace::store::Statement s(
        d, "SELECT count(*), count(DISTINCT patient_id) FROM audit_log WHERE action = "
           "'export.fhir' AND account = 'ann'");
    REQUIRE(s.step());
    CHECK(s.int64(0) == 2);
    CHECK(s.int64(1) == 2);
}

TEST_CASE("export fhir refuses a bad time range and a file where a folder is needed", "[fhir]") {
    Clinic c;
    auto r = c.solace({"export", "fhir", "--patient", "NY1", "--from", "2026-03-31", "--to",
                       "2026-03-01", "--out", (c.dir / "x.json").string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("--from"));
    r = c.solace({"export", "fhir", "--patient", "NY1", "--from", "March", "--out",
                  (c.dir / "x.json").string()});
    CHECK(r.exit_code == 1);
    write_file(c.dir / "plain-file", "x");
    r = c.solace({"export", "fhir", "--out", (c.dir / "plain-file").string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("folder"));
    r = c.solace({"export", "fhir", "--patient", "NY1"});
    CHECK(r.exit_code == 2); // --out is required
}

TEST_CASE("The FHIR validator rejects a Bundle that breaks the R4 schema", "[fhir]") {
    Clinic c;
    const auto file = c.dir / "NY1.json";
    REQUIRE(c.solace({"export", "fhir", "--patient", "NY1", "--out", file.string()}).exit_code ==
            0);
    const auto valid = json::parse(read_file(file));
    const std::vector<std::pair<std::string, std::function<void(json&)>>> breakages{
        {"a score given as text",
         [](json& b) {
             for (auto& e : b["entry"])
                 if (e["resource"]["resourceType"] == "Observation")
                     e["resource"]["valueInteger"] = "6";
         }},
        {"an element R4 does not have",
         [](json& b) { b["entry"][0]["resource"]["favouriteColour"] = "blue"; }},
        {"an empty status", [](json& b) { b["entry"][1]["resource"]["status"] = ""; }},
    };
    for (const auto& [what, breakage] : breakages) {
        auto bundle = valid;
        breakage(bundle);
        const auto broken = c.dir / "broken.json";
        write_file(broken, bundle.dump());
        const auto v = validate({broken});
        INFO(what << ": " << v.output);
        CHECK(v.exit_code == 1);
        CHECK_THAT(v.output, Catch::Contains("INVALID"));
    }
}
