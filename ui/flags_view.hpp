#pragma once
#include <optional>
#include <string>

#include "app/snapshot.hpp"

namespace solace::ui {

// The patient's flags: open ones first, by severity then time, each with its rule's sentence;
// a nurse acknowledges one with an optional note. Acknowledged ones below, with who and when.
// Keys: Up and Down choose an open flag, Enter starts its acknowledgement, Enter again saves it
// (with the note typed, if any), Escape cancels. Open flags show a page at a time (a year of
// flags nobody acknowledged can run to hundreds), with a button for the next page.
class FlagsView {
  public:
    struct Acknowledge {
        std::string flag_id;
        std::string note;
    };

    void start();
    void refuse(std::string why);
    std::optional<Acknowledge> draw(const app::PatientPicture& picture, bool nurse);

  private:
    static constexpr std::size_t open_page = 50;
    std::size_t open_shown_ = open_page; // how many open flags are drawn
    int selected_ = 0;                   // among the open flags, in the order shown
    std::string acknowledging_;          // the flag whose note is being typed
    std::string note_;
    bool focus_note_ = false;
    std::string error_;
};

} // namespace solace::ui
