#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include "app/paths.hpp"
#include "app/process.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "domain/error.hpp"

namespace solace::cli {

std::optional<std::string> prompt_hidden(const std::string& prompt) {
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

std::filesystem::path Common::path() const {
    return db.empty() ? default_database_path() : std::filesystem::path(db);
}

void add_db_option(CLI::App* cmd, Common& c) {
    cmd->add_option("--db", c.db, "Database file (default: $XDG_DATA_HOME/solace/solace.db)");
}

void add_user_option(CLI::App* cmd, Common& c) {
    cmd->add_option("--user", c.user,
                    "Account to act as; password from SOLACE_PASSWORD or a prompt")
        ->required();
}

std::string password_of(const Common& c) {
    std::string password;
    if (auto p = app::secret_variable("SOLACE_PASSWORD"))
        password = *p;
    else if (auto typed = prompt_hidden(fmt::format("Password for {}: ", c.user)))
        password = *typed;
    else
        throw ValidationError("No password given: set the environment variable SOLACE_PASSWORD "
                              "or run this in a terminal.");
    return password;
}

app::Session login(store::Database& db, const Common& c) {
    return app::Session::login(db, c.user, password_of(c));
}

std::string new_password(const std::string& name) {
    if (auto p = app::secret_variable("SOLACE_NEW_PASSWORD")) return *p;
    auto first = prompt_hidden(fmt::format("New password for {}: ", name));
    if (!first)
        throw ValidationError("No password for the new account: set SOLACE_NEW_PASSWORD or run "
                              "this in a terminal.");
    auto again = prompt_hidden("Type it again: ");
    if (!again || *again != *first) throw ValidationError("The two passwords differ; try again.");
    return *first;
}

void prepare_new_path(const Common& c) {
    if (!c.db.empty()) return; // a path the user gave: its folder is theirs to make
    app::ensure_private_dir(c.path().parent_path());
}

std::filesystem::path default_database_path() {
    return app::default_database_path();
}

} // namespace solace::cli
