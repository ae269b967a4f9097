#pragma once
#include <optional>
#include <string>

namespace solace::ui {

// Account name and password; Enter signs in.
class LoginView {
  public:
    struct Request {
        std::string name;
        std::string password;
    };

    // The database shown under the form, so a nurse knows which file she is signing in to.
    void set_database(std::string path) { database_ = std::move(path); }
    // After a failed sign-in: the reason, the password cleared, the cursor back in it.
    void refuse(std::string why);
    void reset(); // after signing out: empty form, cursor in the name
    std::optional<Request> draw();
    // Asked to pick another database file instead.
    bool wants_other_database() const { return other_database_; }

  private:
    enum class Focus { none, name, password };
    std::string name_;
    std::string password_;
    std::string error_;
    std::string database_;
    Focus focus_ = Focus::name;
    bool other_database_ = false;
};

} // namespace solace::ui
