#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/session.hpp"
#include "store/database.hpp"

// The pieces every verb shares. Each verb file adds its subcommands and the function that
// runs them; cli.cpp parses, picks the verb that was given and reports errors uniformly.
namespace solace::cli {

struct Common {
    std::string db;
    std::string user;
    std::filesystem::path path() const;
};

struct Verb {
    CLI::App* command = nullptr;
    std::function<int()> run; // returns the exit code; throws solace errors
};

using Verbs = std::vector<Verb>;

void add_db_option(CLI::App* cmd, Common& c);
void add_user_option(CLI::App* cmd, Common& c);

// Reads a password or passphrase from the terminal without echo; nothing without a terminal.
std::optional<std::string> prompt_hidden(const std::string& prompt);

// The password of --user: SOLACE_PASSWORD or a terminal prompt.
std::string password_of(const Common& c);
// Logs in as --user with SOLACE_PASSWORD or a terminal prompt.
app::Session login(store::Database& db, const Common& c);
// The password for a new account: SOLACE_NEW_PASSWORD or a prompt typed twice.
std::string new_password(const std::string& name);
// Creates the folder of the default database path with mode 0700 when it is used.
void prepare_new_path(const Common& c);

// One function per verb group, each in its own file.
void add_account_verbs(CLI::App& cli, Common& c, Verbs& verbs); // init, user add
void add_data_verbs(CLI::App& cli, Common& c, Verbs& verbs);    // demo, import, export csv
void add_flag_verbs(CLI::App& cli, Common& c, Verbs& verbs);    // flags, ack
void add_admin_verbs(CLI::App& cli, Common& c, Verbs& verbs);   // audit, backup, restore, check
void add_report_verbs(CLI::App& cli, Common& c, Verbs& verbs);  // report
void add_care_verbs(CLI::App& cli, Common& c, Verbs& verbs);    // visit add, goal set
void add_sync_verbs(CLI::App& cli, Common& c, Verbs& verbs);    // server, enroll, sync

} // namespace solace::cli
