#include "shell.hpp"

#include <exception>

#include <fmt/format.h>

#include "domain/error.hpp"
#include "store/account_repository.hpp"

namespace solace::ui {

Shell::Shell(std::filesystem::path database) : path_(std::move(database)) {
    open(path_, false);
}

Shell::~Shell() = default;

void Shell::open(const std::filesystem::path& path, bool create) {
    session_.reset();
    db_.reset();
    patients_ = {};
    path_ = path;
    try {
        if (create) {
            std::error_code ec;
            if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
        }
        db_ =
            std::make_unique<store::Database>(path, create ? store::Database::Mode::create_new
                                                           : store::Database::Mode::open_existing);
        const bool has_accounts = store::AccountRepository(*db_).count() > 0;
        screen_ = has_accounts ? Screen::login : Screen::first_account;
        login_view_.reset();
        login_view_.set_database(path.string());
        first_account_view_.set_database(path.string());
    } catch (const std::exception& e) {
        db_.reset();
        screen_ = Screen::open_database;
        open_view_.show(path.string(), e.what());
    }
}

void Shell::create_first_nurse(const std::string& name, const std::string& password) {
    try {
        const auto hash = app::hash_password(password);
        store::AccountRepository accounts(*db_);
        store::Transaction tx(*db_);
        // Another Solace may have created it meanwhile: then this one signs in instead.
        if (accounts.count() != 0) {
            screen_ = Screen::login;
            login_view_.refuse("Someone has already created the first account of this database; "
                               "sign in with it.");
            return;
        }
        accounts.add({0, name, Role::nurse, true, false, hash, {}}, to_epoch(now_utc()));
        app::Session(*db_, *accounts.find(name))
            .audit("account.add", std::nullopt,
                   fmt::format("first account {} (nurse, admin), from the window", name));
        tx.commit();
    } catch (const std::exception& e) {
        first_account_view_.refuse(e.what());
        return;
    }
    sign_in(name, password);
}

bool Shell::sign_in(const std::string& name, const std::string& password) {
    if (!db_) return false;
    try {
        session_.emplace(app::Session::login(*db_, name, password));
    } catch (const std::exception& e) {
        screen_ = Screen::login;
        login_view_.refuse(e.what());
        return false;
    }
    const auto& a = session_->account();
    patient_list_view_.set_account(
        fmt::format("{} ({}{})", a.name, code(a.role), a.is_admin ? ", admin" : ""));
    screen_ = Screen::patients;
    refresh();
    return true;
}

void Shell::sign_out() {
    if (session_) {
        try {
            session_->audit("logout", std::nullopt, "");
        } catch (const std::exception&) {
            // Signing out must work even when the database cannot be written.
        }
    }
    session_.reset();
    patients_ = {};
    login_view_.reset();
    screen_ = db_ ? Screen::login : Screen::open_database;
}

void Shell::refresh() {
    if (!session_) return;
    try {
        patients_ = app::patient_list(*session_, now_utc());
    } catch (const std::exception& e) {
        // The database went away under us (deleted, unmounted): say so where it can be fixed.
        session_.reset();
        db_.reset();
        screen_ = Screen::open_database;
        open_view_.show(path_.string(), e.what());
    }
}

void Shell::draw() {
    switch (screen_) {
    case Screen::open_database:
        if (auto r = open_view_.draw()) later([this, r = *r] { open(r.path, r.create); });
        break;
    case Screen::first_account:
        if (auto r = first_account_view_.draw())
            later([this, r = *r] { create_first_nurse(r.name, r.password); });
        break;
    case Screen::login:
        if (auto r = login_view_.draw()) later([this, r = *r] { sign_in(r.name, r.password); });
        if (login_view_.wants_other_database())
            later([this] {
                screen_ = Screen::open_database;
                open_view_.choose(path_.string());
            });
        break;
    case Screen::patients:
        if (auto a = patient_list_view_.draw(patients_)) {
            switch (a->kind) {
            case PatientListView::Action::refresh:
                later([this] { refresh(); });
                break;
            case PatientListView::Action::sign_out:
                later([this] { sign_out(); });
                break;
            case PatientListView::Action::open:
                break; // the patient's views come with the desktop issue
            }
        }
        break;
    }
}

bool Shell::apply_pending() {
    if (pending_.empty()) return false;
    auto work = std::move(pending_);
    pending_.clear();
    for (auto& f : work)
        f();
    return true;
}

} // namespace solace::ui
