#include <cstring>

#include "app/process.hpp"
#include "cli/cli.hpp"
#include "window.hpp"

int main(int argc, char** argv) {
    solace::app::harden_process();
    if (argc > 1 && solace::cli::is_verb(argv[1])) return solace::cli::run(argc, argv);
    return solace::ui::run_window(argc, argv);
}
