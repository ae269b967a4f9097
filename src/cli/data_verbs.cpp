#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "app/demo.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "interop/export_csv.hpp"
#include "interop/fhir_export.hpp"
#include "interop/import.hpp"

namespace solace::cli {

namespace {

struct ImportArgs {
    std::string kind, file;
};

struct FhirArgs {
    std::string mrn, from, to, out;
    bool overwrite = false;
};

int demo(const Common& c, const app::DemoOptions& o) {
    prepare_new_path(c);
    const auto accounts = app::create_demo(c.path(), o);
    std::cout << fmt::format("Created demo database {} with {} patients over {} days.\nAccounts:\n",
                             c.path().string(), o.patients, o.days);
    for (const auto& a : accounts)
        std::cout << fmt::format("  {:<8} password {:<14} {}\n", a.name, a.password, a.role);
    return ok;
}

// 1204 -> "1,204": counts a nurse reads at a glance.
std::string thousands(std::size_t n) {
    auto digits = std::to_string(n);
    for (auto i = digits.size(); i > 3; i -= 3)
        digits.insert(i - 3, ",");
    return digits;
}

int import(const Common& c, const ImportArgs& a) {
    const auto kind = *interop::parse_csv_kind(a.kind);
    std::ifstream in(a.file, std::ios::binary);
    if (!in) throw NotFoundError(fmt::format("Cannot read the file {}; check the path.", a.file));
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    try {
        const auto n = interop::import_rows(session, kind, in);
        std::cout << fmt::format("Imported {} {} rows from {}", n.imported, a.kind, a.file);
        if (n.skipped > 0)
            std::cout << fmt::format("; {} {} already present, skipped", thousands(n.skipped),
                                     n.skipped == 1 ? "row" : "rows");
        std::cout << ".\n";
        if (n.without_visit > 0)
            std::cout << fmt::format(
                "{} {} a visit that is not in this database, so {} stored on {} own; import "
                "visits.csv before observations.csv to keep each visit's scores together.\n",
                thousands(n.without_visit), n.without_visit == 1 ? "row names" : "rows name",
                n.without_visit == 1 ? "it is" : "they are",
                n.without_visit == 1 ? "its" : "their");
        return ok;
    } catch (const interop::ImportError& e) {
        std::cerr << fmt::format("solace: nothing was imported from {}: {} problem(s).\n", a.file,
                                 e.total);
        for (const auto& p : e.problems)
            std::cerr << "  " << p << "\n";
        if (e.total > e.problems.size())
            std::cerr << fmt::format("  ... and {} more.\n", e.total - e.problems.size());
        return bad_input;
    }
}

struct CsvArgs {
    std::string out, mrn;
    bool overwrite = false, raw = false;
};

int export_csv(const Common& c, const CsvArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    interop::CsvExportOptions o;
    o.existing = a.overwrite ? app::Existing::overwrite : app::Existing::refuse;
    o.raw = a.raw;
    const auto n =
        interop::export_csv(session, a.out, a.mrn.empty() ? std::nullopt : std::optional(a.mrn), o);
    std::cout << fmt::format("Wrote {} rows into {}.\n", n, a.out);
    return ok;
}

int export_fhir(const Common& c, const FhirArgs& a) {
    interop::FhirExport e;
    if (!a.mrn.empty()) e.mrn = a.mrn;
    if (!a.from.empty()) e.from = parse_time(a.from, "--from", true);
    if (!a.to.empty()) e.to = parse_time(a.to, "--to", true);
    e.out = a.out;
    if (a.overwrite) e.existing = app::Existing::overwrite;
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto files = interop::export_fhir(session, e, now_utc());
    if (files.empty()) std::cout << "No patients to export: this account may read none.\n";
    for (const auto& f : files)
        std::cout << fmt::format("Wrote {}\n", f.string());
    return ok;
}

} // namespace

void add_data_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    auto* demo_cmd = cli.add_subcommand(
        "demo", "Create a database of synthetic patients, visits and doses, with demo accounts.\n"
                "  e.g. solace demo --db demo.db --patients 20 --days 90 --seed 7");
    auto o = std::make_shared<app::DemoOptions>();
    add_db_option(demo_cmd, c);
    demo_cmd->add_option("--patients", o->patients, "How many patients (1..1000, default 8)");
    demo_cmd->add_option("--days", o->days, "Days of history up to now (1..3650, default 30)");
    demo_cmd->add_option("--seed", o->seed, "Random seed (default 1)");
    verbs.push_back({demo_cmd, [&c, o] { return demo(c, *o); }});

    auto* import_cmd = cli.add_subcommand(
        "import", "Import a CSV file in one transaction: all rows or none.\n"
                  "  e.g. solace import observations scores.csv --db clinic.db --user ann");
    auto a = std::make_shared<ImportArgs>();
    import_cmd
        ->add_option("KIND", a->kind,
                     "patients, visits, observations, medications, administrations or goals "
                     "(in that order for a whole export)")
        ->required()
        ->check(CLI::IsMember(
            {"patients", "visits", "observations", "medications", "administrations", "goals"}));
    import_cmd->add_option("FILE", a->file, "The CSV file (header row, UTF-8)")->required();
    add_db_option(import_cmd, c);
    add_user_option(import_cmd, c);
    verbs.push_back({import_cmd, [&c, a] { return import(c, *a); }});

    auto* exp = cli.add_subcommand(
        "export", "Export data: csv (the import format) or fhir (FHIR R4 JSON Bundles).\n"
                  "  e.g. solace export fhir --patient P0001 --out P0001.json --db clinic.db "
                  "--user ann");
    exp->require_subcommand(1);
    auto* csv = exp->add_subcommand(
        "csv", "Write the patients, visits, observations, medications, administrations and goals\n"
               "CSVs (the import files) and corrections.csv into a folder.\n"
               "  e.g. solace export csv --out exported --patient P0001 --db clinic.db --user ann");
    auto out = std::make_shared<CsvArgs>();
    csv->add_option("--out", out->out, "Folder to write into (made private to you)")->required();
    csv->add_option("--patient", out->mrn, "Only this MRN");
    csv->add_flag("--overwrite", out->overwrite, "Replace CSV files already in the folder");
    csv->add_flag("--raw", out->raw,
                  "Keep cells that start with = + - @ as they are (a spreadsheet may run them "
                  "as formulas); by default they get a leading '");
    add_db_option(csv, c);
    add_user_option(csv, c);
    verbs.push_back({csv, [&c, out] { return export_csv(c, *out); }});

    auto* fhir = exp->add_subcommand(
        "fhir", "Write FHIR R4 JSON: one Bundle (type collection) per patient with the Patient,\n"
                "score and PPS Observations, MedicationRequests and MedicationAdministrations.\n"
                "  e.g. solace export fhir --patient P0001 --from 2026-03-01 --to 2026-03-31 "
                "--out P0001.json --db clinic.db --user ann\n"
                "  e.g. solace export fhir --out bundles/ --db clinic.db --user ann   (one "
                "<MRN>.json per patient)");
    auto f = std::make_shared<FhirArgs>();
    fhir->add_option("--out", f->out,
                     "With --patient: the file to write; without: a folder (created, mode 0700)")
        ->required();
    fhir->add_flag("--overwrite", f->overwrite, "Replace Bundles already there");
    fhir->add_option("--patient", f->mrn, "Only this MRN (default: every patient you may see)");
    fhir->add_option("--from", f->from,
                     "Start, ISO 8601 (default: all history); no offset = patient's local time");
    fhir->add_option("--to", f->to, "End, ISO 8601, inclusive (default: all history)");
    add_db_option(fhir, c);
    add_user_option(fhir, c);
    verbs.push_back({fhir, [&c, f] { return export_fhir(c, *f); }});
}

} // namespace solace::cli
