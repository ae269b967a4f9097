#include <iostream>

#include <fmt/format.h>

#include "app/demo.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "interop/export_csv.hpp"
#include "interop/import.hpp"

namespace solace::cli {

namespace {

struct ImportArgs {
    std::string kind, file;
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

int import(const Common& c, const ImportArgs& a) {
    const auto kind = *interop::parse_csv_kind(a.kind);
    const auto text = read_text_file(a.file);
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    try {
        const auto n = interop::import_csv(session, kind, text);
        std::cout << fmt::format("Imported {} {} rows from {}.\n", n, a.kind, a.file);
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

int export_csv(const Common& c, const std::string& out, const std::string& mrn) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto n =
        interop::export_csv(session, out, mrn.empty() ? std::nullopt : std::optional(mrn));
    std::cout << fmt::format("Wrote {} rows into {}.\n", n, out);
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
        ->add_option("KIND", a->kind, "patients, observations, medications or administrations")
        ->required()
        ->check(CLI::IsMember({"patients", "observations", "medications", "administrations"}));
    import_cmd->add_option("FILE", a->file, "The CSV file (header row, UTF-8)")->required();
    add_db_option(import_cmd, c);
    add_user_option(import_cmd, c);
    verbs.push_back({import_cmd, [&c, a] { return import(c, *a); }});

    auto* exp = cli.add_subcommand("export", "Export data.");
    exp->require_subcommand(1);
    auto* csv = exp->add_subcommand(
        "csv", "Write patients, observations, medications and administrations CSVs into a folder.\n"
               "  e.g. solace export csv --out exported --patient P0001 --db clinic.db --user ann");
    auto out = std::make_shared<std::pair<std::string, std::string>>();
    csv->add_option("--out", out->first, "Folder to write into")->required();
    csv->add_option("--patient", out->second, "Only this MRN");
    add_db_option(csv, c);
    add_user_option(csv, c);
    verbs.push_back({csv, [&c, out] { return export_csv(c, out->first, out->second); }});
}

} // namespace solace::cli
