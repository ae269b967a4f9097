#pragma once

namespace solace::ui {

// Opens the window (`solace` with no verb): --db PATH, --screenshot FILE.png.
int run_window(int argc, char** argv);

} // namespace solace::ui
