// The Shell's part for display settings: the account's theme and text size, applied at sign-in
// and kept in the database when changed. (Shell members; declared in shell.hpp.)
#include <exception>

#include "app/drafts.hpp"
#include "appearance.hpp"
#include "shell.hpp"

namespace solace::ui {

void Shell::apply_preferences() {
    if (!session_) return;
    try {
        const auto p = app::preferences(*session_);
        apply_appearance({p.dark, p.text_scale});
        appearance_problem({});
    } catch (const std::exception& e) {
        appearance_problem(e.what()); // the window still opens, as it looked before
    }
}

void Shell::set_appearance(const Appearance& a) {
    apply_appearance(a);
    if (!session_) return;
    try {
        app::set_preferences(*session_, {a.dark, a.text_scale});
        appearance_problem({});
    } catch (const std::exception& e) {
        appearance_problem(e.what());
    }
}

} // namespace solace::ui
