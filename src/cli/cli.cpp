#include "cli/cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <termios.h>
#include <unistd.h>

#include "app/clinic.hpp"
#include "app/demo.hpp"
#include "app/session.hpp"
#include "domain/error.hpp"
#include "interop/export_csv.hpp"
#include "interop/import.hpp"
#include "store/database.hpp"
#include "store/patient_repository.hpp"

namespace solace::cli {

namespace {

constexpr std::string_view verbs[] = {"init", "user", "demo", "import", "export", "flags", "ack"};

// Reads a password without echo from the terminal; empty optional when there is none.
std::optional<std::string> prompt_password(const std::string& prompt) {
    if (!isatty(STDIN_FILENO)) return std::nullopt;
    std::cerr << prompt << std::flush;
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string line;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return line;
}

std::string password_from(const char* env, const std::string& prompt) {
    if (const char* p = std::getenv(env)) return p;
    if (auto p = prompt_password(prompt)) return *p;
    throw ValidationError(fmt::format(
        "No password given: set the environment variable {} or run this in a terminal.", env));
}

std::string new_password(const std::string& name) {
    if (const char* p = std::getenv("SOLACE_NEW_PASSWORD")) return p;
    auto first = prompt_password(fmt::format("New password for {}: ", name));
    if (!first)
        throw ValidationError("No password for the new account: set SOLACE_NEW_PASSWORD or run "
                              "this in a terminal.");
    auto again = prompt_password("Type it again: ");
    if (!again || *again != *first) throw ValidationError("The two passwords differ; try again.");
    return *first;
}

struct Common {
    std::string db;
    std::string user;
    std::filesystem::path path() const {
        return db.empty() ? default_database_path() : std::filesystem::path(db);
    }
};

void add_db(CLI::App* cmd, Common& c) {
    cmd->add_option("--db", c.db, "Database file (default: $XDG_DATA_HOME/solace/solace.db)");
}
void add_user(CLI::App* cmd, Common& c) {
    cmd->add_option("--user", c.user,
                    "Account to act as; password from SOLACE_PASSWORD or a prompt")
        ->required();
}

app::Session login(store::Database& db, const Common& c) {
    return app::Session::login(
        db, c.user, password_from("SOLACE_PASSWORD", fmt::format("Password for {}: ", c.user)));
}

void prepare_new_path(const std::filesystem::path& p, bool is_default) {
    if (is_default) {
        std::filesystem::create_directories(p.parent_path());
        std::filesystem::permissions(p.parent_path(), std::filesystem::perms::owner_all);
    }
}

// A flag for JSON output, DESIGN §5.
nlohmann::json to_json(const Flag& f) {
    nlohmann::json j{{"id", f.id},
                     {"patient", f.mrn},
                     {"rule", f.rule},
                     {"severity", std::string(code(f.severity))},
                     {"at", format_utc(f.at)},
                     {"reasons", f.reasons},
                     {"acknowledged", f.acknowledged},
                     {"detail", f.detail}};
    if (f.symptom) j["symptom"] = std::string(code(*f.symptom));
    if (!f.med.empty()) j["med"] = f.med;
    if (f.acknowledged) {
        j["acknowledged_by"] = f.acknowledged_by;
        j["acknowledged_at"] = f.acknowledged_at ? format_utc(*f.acknowledged_at) : "";
        j["acknowledgement_note"] = f.acknowledgement_note;
    }
    return j;
}

int report_error(std::string_view msg, int code) {
    std::cerr << "solace: " << msg << "\n";
    return code;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFoundError(fmt::format("Cannot read the file {}; check the path.", path));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

std::filesystem::path default_database_path() {
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
        return std::filesystem::path(x) / "solace" / "solace.db";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home ? home : ".") / ".local" / "share" / "solace" / "solace.db";
}

bool is_verb(std::string_view arg) {
    return std::find(std::begin(verbs), std::end(verbs), arg) != std::end(verbs) ||
           arg == "--help" || arg == "-h" || arg == "--version";
}

int run(int argc, char** argv) {
    CLI::App cli{"Solace: symptom and medication tracking for palliative home care.\n"
                 "With no verb, opens the window.",
                 "solace"};
    cli.set_version_flag("--version", std::string("solace ") + SOLACE_VERSION);
    cli.require_subcommand(1);
    Common c;

    auto* init = cli.add_subcommand(
        "init", "Create a new database whose first account is a nurse with admin rights.\n  e.g. "
                "SOLACE_NEW_PASSWORD=... solace init --db clinic.db --user ann");
    add_db(init, c);
    add_user(init, c);

    auto* user = cli.add_subcommand("user", "Manage accounts.");
    user->require_subcommand(1);
    auto* user_add = user->add_subcommand(
        "add", "Add an account (password from SOLACE_NEW_PASSWORD or a prompt).\n  e.g. solace "
               "user add maria --role family --patient P0001 --db clinic.db --user ann");
    std::string new_name, role = "nurse";
    std::vector<std::string> family_patients;
    bool make_admin = false;
    user_add->add_option("NAME", new_name, "The new account's name")->required();
    user_add->add_option("--role", role, "nurse or family")
        ->check(CLI::IsMember({"nurse", "family"}));
    user_add->add_option("--patient", family_patients, "MRN a family account may see (repeat)");
    user_add->add_flag("--admin", make_admin, "Give a nurse admin rights");
    add_db(user_add, c);
    add_user(user_add, c);

    auto* demo = cli.add_subcommand(
        "demo", "Create a database of synthetic patients, visits and doses, with demo accounts.\n  "
                "e.g. solace demo --db demo.db --patients 20 --days 90");
    app::DemoOptions demo_opts;
    add_db(demo, c);
    demo->add_option("--patients", demo_opts.patients, "How many patients (1..1000, default 8)");
    demo->add_option("--days", demo_opts.days, "Days of history up to now (1..3650, default 30)");
    demo->add_option("--seed", demo_opts.seed, "Random seed (default 1)");

    auto* import = cli.add_subcommand(
        "import", "Import a CSV file in one transaction: all rows or none.\n  e.g. solace import "
                  "observations scores.csv --db clinic.db --user ann");
    std::string kind_text, file;
    import->add_option("KIND", kind_text, "patients, observations, medications or administrations")
        ->required()
        ->check(CLI::IsMember({"patients", "observations", "medications", "administrations"}));
    import->add_option("FILE", file, "The CSV file")->required();
    add_db(import, c);
    add_user(import, c);

    auto* exp = cli.add_subcommand("export", "Export data.");
    exp->require_subcommand(1);
    auto* exp_csv = exp->add_subcommand(
        "csv", "Write the four CSV files, in the import format, into a folder.\n  e.g. solace "
               "export csv --out backup-csv --db clinic.db --user ann");
    std::string out_dir, export_mrn;
    exp_csv->add_option("--out", out_dir, "Folder to write into")->required();
    exp_csv->add_option("--patient", export_mrn, "Only this MRN");
    add_db(exp_csv, c);
    add_user(exp_csv, c);

    auto* flags = cli.add_subcommand(
        "flags", "List the flags about scores and doses.\n  e.g. solace flags --patient P0001 "
                 "--from 2026-03-01 --to 2026-03-08T12:00 --json --db clinic.db --user ann");
    std::string flag_mrn, from_text, to_text;
    bool as_json = false;
    flags->add_option("--patient", flag_mrn, "Only this MRN");
    flags->add_option("--from", from_text,
                      "Start (default: 7 days before --to); no offset = patient's local time");
    flags->add_option("--to", to_text, "End and evaluation time (default: now)");
    flags->add_flag("--json", as_json, "One JSON array on stdout");
    add_db(flags, c);
    add_user(flags, c);

    auto* ack = cli.add_subcommand(
        "ack", "Acknowledge a flag (nurses).\n  e.g. solace ack symptom.severe/P0001/s42 --note "
               "\"GP called\" --db clinic.db --user ann");
    std::string flag_id, ack_note;
    ack->add_option("FLAG-ID", flag_id, "The id shown by `solace flags`")->required();
    ack->add_option("--note", ack_note, "Optional note");
    add_db(ack, c);
    add_user(ack, c);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = cli.exit(e);
        return rc == 0 ? ok : usage;
    }

    try {
        const auto path = c.path();
        if (init->parsed()) {
            prepare_new_path(path, c.db.empty());
            const auto hash = app::hash_password(std::getenv("SOLACE_NEW_PASSWORD") ||
                                                         !std::getenv("SOLACE_PASSWORD")
                                                     ? new_password(c.user)
                                                     : std::string(std::getenv("SOLACE_PASSWORD")));
            if (c.user.empty() || c.user.size() > 64)
                throw ValidationError("--user must be 1 to 64 characters.");
            store::Database db(path, store::Database::Mode::create_new);
            store::AccountRepository accounts(db);
            store::Transaction tx(db);
            accounts.add({0, c.user, Role::nurse, true, false, hash, {}}, to_epoch(now_utc()));
            app::Session(db, *accounts.find(c.user))
                .audit("account.add", std::nullopt,
                       fmt::format("created database; first account {} (nurse, admin)", c.user));
            tx.commit();
            std::cout << fmt::format("Created {} with the nurse account {} (admin).\n",
                                     path.string(), c.user);
            return ok;
        }
        if (demo->parsed()) {
            prepare_new_path(path, c.db.empty());
            const auto accounts = app::create_demo(path, demo_opts);
            std::cout << fmt::format(
                "Created demo database {} with {} patients over {} days.\nAccounts:\n",
                path.string(), demo_opts.patients, demo_opts.days);
            for (const auto& a : accounts)
                std::cout << fmt::format("  {:<8} password {:<14} {}\n", a.name, a.password,
                                         a.role);
            return ok;
        }

        store::Database db(path, store::Database::Mode::open_existing);
        auto session = login(db, c);

        if (user_add->parsed()) {
            session.require_admin("add accounts");
            const auto r = role == "family" ? Role::family : Role::nurse;
            if (r == Role::nurse && !family_patients.empty())
                throw ValidationError(
                    "--patient is for family accounts; a nurse sees every patient.");
            if (r == Role::family && family_patients.empty())
                throw ValidationError(
                    "A family account needs at least one --patient MRN it may see.");
            if (r == Role::family && make_admin)
                throw ValidationError("A family account cannot be an admin.");
            if (new_name.empty() || new_name.size() > 64)
                throw ValidationError("NAME must be 1 to 64 characters.");
            Account a{0, new_name, r, make_admin, false, "", {}};
            for (const auto& mrn : family_patients)
                a.patient_ids.push_back(session.patient(mrn).id);
            store::AccountRepository accounts(db);
            if (accounts.find(new_name))
                throw ValidationError(
                    fmt::format("An account named \"{}\" already exists.", new_name));
            a.password_hash = app::hash_password(new_password(new_name));
            store::Transaction tx(db);
            accounts.add(a, to_epoch(now_utc()));
            session.audit("account.add", std::nullopt,
                          fmt::format("{} ({}) patients: {}", new_name, role,
                                      fmt::join(family_patients, " ")));
            tx.commit();
            std::cout << fmt::format("Added the {} account {}.\n", role, new_name);
            return ok;
        }
        if (import->parsed()) {
            const auto kind = *interop::parse_csv_kind(kind_text);
            const auto text = read_file(file);
            try {
                const auto n = interop::import_csv(session, kind, text);
                std::cout << fmt::format("Imported {} {} rows from {}.\n", n, kind_text, file);
                return ok;
            } catch (const interop::ImportError& e) {
                std::cerr << fmt::format("solace: nothing was imported from {}: {} problem(s).\n",
                                         file, e.total);
                for (const auto& p : e.problems)
                    std::cerr << "  " << p << "\n";
                if (e.total > e.problems.size())
                    std::cerr << fmt::format("  ... and {} more.\n", e.total - e.problems.size());
                return bad_input;
            }
        }
        if (exp_csv->parsed()) {
            const auto n = interop::export_csv(
                session, out_dir, export_mrn.empty() ? std::nullopt : std::optional(export_mrn));
            std::cout << fmt::format("Wrote {} rows into {}.\n", n, out_dir);
            return ok;
        }
        if (flags->parsed()) {
            std::vector<Patient> patients;
            if (!flag_mrn.empty())
                patients.push_back(session.patient(flag_mrn));
            else
                patients = session.patients();
            const auto now = now_utc();
            std::optional<TimeInput> from_in, to_in;
            if (!from_text.empty()) from_in = parse_time(from_text, "--from", true);
            if (!to_text.empty()) to_in = parse_time(to_text, "--to", true);
            std::vector<Flag> all;
            for (const auto& p : patients) {
                const auto* zone = find_zone(p.time_zone);
                const auto to = to_in ? to_in->end_at(zone) : now;
                const auto from = from_in ? from_in->at(zone) : to - date::days{7};
                if (from > to)
                    throw ValidationError(fmt::format("--from {} is after --to {}.", from_text,
                                                      to_text.empty() ? "now" : to_text));
                auto f = app::patient_flags(session, p, from, to);
                all.insert(all.end(), f.begin(), f.end());
            }
            std::stable_sort(all.begin(), all.end(), [](const Flag& a, const Flag& b) {
                return std::tie(a.at, a.mrn, a.rule, a.id) < std::tie(b.at, b.mrn, b.rule, b.id);
            });
            if (as_json) {
                auto arr = nlohmann::json::array();
                for (const auto& f : all)
                    arr.push_back(to_json(f));
                std::cout << arr.dump(2) << "\n";
                return ok;
            }
            if (all.empty()) {
                std::cout << "No flags.\n";
                return ok;
            }
            std::cout << fmt::format("{:<8} {:<20} {:<7} {:<22} {:<4} {}\n", "SEVERITY",
                                     "AT (local)", "PATIENT", "RULE", "ACK", "DETAIL");
            for (const auto& f : all) {
                const auto& p =
                    *std::find_if(patients.begin(), patients.end(),
                                  [&](const Patient& x) { return x.id == f.patient_id; });
                std::cout << fmt::format("{:<8} {:<20} {:<7} {:<22} {:<4} {}\n    id {}\n",
                                         code(f.severity),
                                         format_local_short(f.at, find_zone(p.time_zone)), f.mrn,
                                         f.rule, f.acknowledged ? "yes" : "no", f.detail, f.id);
            }
            return ok;
        }
        if (ack->parsed()) {
            const auto f = app::acknowledge_flag(session, flag_id, ack_note, now_utc());
            std::cout << fmt::format("Acknowledged {} ({}).\n", f.id, f.detail);
            return ok;
        }
    } catch (const ValidationError& e) {
        return report_error(e.what(), bad_input);
    } catch (const PermissionError& e) {
        return report_error(e.what(), not_allowed);
    } catch (const NotFoundError& e) {
        return report_error(e.what(), not_found);
    } catch (const StoreError& e) {
        return report_error(e.what(), database);
    } catch (const std::filesystem::filesystem_error& e) {
        return report_error(fmt::format("A file could not be created or read: {}.", e.what()),
                            database);
    } catch (const std::exception& e) {
        return report_error(fmt::format("Unexpected problem: {}.", e.what()), database);
    }
    return ok;
}

} // namespace solace::cli
