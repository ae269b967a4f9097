#pragma once
#include <optional>
#include <string>

namespace solace::ui {

// Shown when the database cannot be opened: the reason in words, and a way on.
class OpenDatabaseView {
  public:
    struct Request {
        std::string path;
        bool create = false; // a new, empty database at `path`
    };

    // After a failed open: the reason in words.
    void show(std::string path, std::string problem);
    // Asked for by the nurse: no error, just the choice of file.
    void choose(std::string path);
    std::optional<Request> draw();

  private:
    std::string path_;
    std::string problem_;
    bool focus_ = true;
};

} // namespace solace::ui
