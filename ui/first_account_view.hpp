#pragma once
#include <optional>
#include <string>

namespace solace::ui {

// A database with no account yet: its first account is a nurse with admin rights.
class FirstAccountView {
  public:
    struct Request {
        std::string name;
        std::string password;
    };

    void set_database(std::string path) { database_ = std::move(path); }
    void refuse(std::string why);
    std::optional<Request> draw();

  private:
    std::string name_;
    std::string password_;
    std::string again_;
    std::string error_;
    std::string database_;
    bool focus_ = true;
};

} // namespace solace::ui
