#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.hpp"

namespace solace::ui {

// The admin's accounts (issue 11 item 5): add a nurse or a family account, disable or enable
// one, let a family account see another patient, give an account a new password. Passwords are
// typed twice in hidden fields and wiped once handed over or abandoned.
class AccountsView {
  public:
    struct Request {
        enum Kind { add, disable, enable, link, reset_password } kind = add;
        app::NewAccount account{}; // add
        std::string name{};        // disable, enable, link, reset_password
        std::string mrn{};         // link
        std::string password{};    // add, reset_password: wiped by whoever takes it
    };

    void show(std::vector<app::AccountRow> accounts);
    // Saved: the message shows; an added account is selected.
    void done(std::string message, const std::string& name = {});
    void refuse(std::string why);
    // The list fills the screen; choosing an account opens its page, which "< All accounts"
    // leaves.
    std::optional<Request> draw();

    // The form "Add an account" with the cursor in its name field.
    void start_adding();
    // The page of one account (tests, keys).
    void open(const std::string& name);
    // Leaving the screen: typed passwords go.
    void forget_passwords();
    // For tests: a typed password still held.
    bool holds_password() const { return !password_.empty() || !again_.empty(); }
    const std::string& error() const { return error_; }
    const std::string& message() const { return message_; }

  private:
    enum class Page { list, account, adding };
    const app::AccountRow* selected() const;
    void draw_list();
    std::optional<Request> draw_new();
    std::optional<Request> draw_account(const app::AccountRow& a);
    // Two hidden fields; true when Enter was pressed in one.
    bool draw_password_pair(const char* first_label);
    // The password typed when both fields agree and it is long enough; else the reason shows.
    std::optional<std::string> checked_password();

    std::vector<app::AccountRow> rows_;
    std::string selected_; // account name
    Page page_ = Page::list;
    bool focus_ = false;
    std::string name_;
    bool family_ = false;
    bool admin_ = false;
    std::string patient_; // MRN: the family account's patient, or one more to link
    std::string password_, again_;
    std::string error_, message_;
};

} // namespace solace::ui
