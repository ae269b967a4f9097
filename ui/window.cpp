#include "window.hpp"

#include <cstdio>

namespace solace::ui {
int run_window(int, char**) {
    std::fprintf(stderr, "solace: the window is not built yet\n");
    return 1;
}
} // namespace solace::ui
