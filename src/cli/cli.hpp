#pragma once
#include <filesystem>
#include <string_view>

namespace solace::cli {

// True when argv[1] names a command-line verb (then the window is not opened).
bool is_verb(std::string_view arg);

// Runs `solace <verb> ...`; returns the process exit code. Output for programs goes to
// stdout, errors to stderr as a sentence a nurse could act on.
int run(int argc, char** argv);

// The window's own options (solace with no verb), as `solace --help` lists them.
extern const char* const window_options;

// $XDG_DATA_HOME/solace/solace.db, else ~/.local/share/solace/solace.db.
std::filesystem::path default_database_path();

// Exit codes: 1 bad input, 2 usage, 3 not allowed, 4 database problem, 5 not found,
// 6 agency server unreachable (nothing lost: try again).
enum Exit {
    ok = 0,
    bad_input = 1,
    usage = 2,
    not_allowed = 3,
    database = 4,
    not_found = 5,
    offline = 6
};

} // namespace solace::cli
