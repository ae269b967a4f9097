#include "cli/cli.hpp"

#include <iostream>

#include <fmt/format.h>

#include "cli/verb.hpp"
#include "domain/error.hpp"

namespace solace::cli {

// visit add, dose record and dose correct (entry_verbs.cpp).
void add_entry_verbs(CLI::App& cli, Common& c, Verbs& verbs);

namespace {

// Every verb group; a new group adds its function here.
void add_all_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    add_account_verbs(cli, c, verbs);
    add_data_verbs(cli, c, verbs);
    add_flag_verbs(cli, c, verbs);
    add_admin_verbs(cli, c, verbs); // after the account verbs: it extends `user`
    add_report_verbs(cli, c, verbs);
    add_care_verbs(cli, c, verbs);
    add_entry_verbs(cli, c, verbs);
    add_sync_verbs(cli, c, verbs);
}

int report_error(std::string_view msg, int code) {
    std::cerr << "solace: " << msg << "\n";
    return code;
}

} // namespace

bool is_verb(std::string_view arg) {
    if (arg == "--help" || arg == "-h" || arg == "--version") return true;
    CLI::App cli;
    Common c;
    Verbs verbs;
    add_all_verbs(cli, c, verbs);
    for (const auto* sub : cli.get_subcommands({}))
        if (sub->get_name() == arg) return true;
    return false;
}

const char* const window_options =
    "With no verb, solace opens the window:\n"
    "  solace [--db PATH] [--patient MRN] [--view TAB] [--size WxH]\n"
    "  --db PATH          the database file (default: $XDG_DATA_HOME/solace/solace.db)\n"
    "  --patient MRN      open this patient after signing in\n"
    "  --view TAB         that patient's tab: visit, medications, history, flags or summary;\n"
    "                     or lock, or audit, patients-admin or accounts (admins), for that\n"
    "                     screen instead\n"
    "  --size WxH         the window's size in pixels, e.g. 800x600 (at least 320x240)\n"
    "  --screenshot FILE  save the window as a PNG after the frames below, then quit\n"
    "  --frames N         draw N frames, then quit\n"
    "  --type KEYS        type KEYS into the window first (a tab character is Tab)\n"
    "  With --frames, the account in SOLACE_USER signs in with SOLACE_PASSWORD.\n";

int run(int argc, char** argv) {
    CLI::App cli{"Solace: symptom and medication tracking for palliative home care.", "solace"};
    cli.footer(window_options);
    cli.set_version_flag("--version", std::string("solace ") + SOLACE_VERSION);
    cli.require_subcommand(1);
    Common c;
    Verbs verbs;
    add_all_verbs(cli, c, verbs);
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? ok : usage;
    }
    try {
        for (const auto& v : verbs)
            if (v.command->parsed()) return v.run();
        return report_error("Name a verb; see solace --help.", usage);
    } catch (const ServerUnreachable& e) {
        return report_error(e.what(), offline);
    } catch (const ServerRefused& e) {
        return report_error(e.what(), not_allowed);
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
}

} // namespace solace::cli
