#include "shell.hpp"

#include <exception>

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/first_account.hpp"
#include "app/integrity.hpp"
#include "app/paths.hpp"
#include "domain/error.hpp"
#include "plain_words.hpp"
#include "wording.hpp"

namespace solace::ui {

Shell::Shell(std::filesystem::path database) : path_(std::move(database)) {
    open(path_, false);
}

Shell::~Shell() = default;

void Shell::open(const std::filesystem::path& path, bool create) {
    sync_.reset();
    list_worker_.reset();
    session_.reset();
    file_check_.reset();
    db_.reset();
    patients_ = {};
    path_ = path;
    try {
        if (create) {
            if (path.has_parent_path()) app::ensure_private_dir(path.parent_path());
        }
        // A damaged file is reported, never worked on: the check runs while the sign-in screen
        // is up, and the first sign-in waits for it.
        db_ =
            std::make_unique<store::Database>(path, create ? store::Database::Mode::create_new
                                                           : store::Database::Mode::open_existing);
        if (!create) file_check_.emplace(path);
        screen_ = app::has_accounts(*db_) ? Screen::login : Screen::first_account;
        login_view_.reset();
        login_view_.set_database(path.string());
        first_account_view_.set_database(path.string());
    } catch (const std::exception& e) {
        db_.reset();
        screen_ = Screen::open_database;
        open_view_.show(path.string(), e.what());
    }
}

bool Shell::file_sound() {
    if (!file_check_) return db_ != nullptr;
    const auto problem = file_check_->problem();
    file_check_.reset();
    if (!problem) return true;
    sync_.reset();
    list_worker_.reset();
    session_.reset();
    db_.reset();
    screen_ = Screen::open_database;
    open_view_.show(path_.string(), *problem);
    return false;
}

void Shell::create_first_nurse(const std::string& name, const std::string& password) {
    if (!file_sound()) return;
    try {
        // Another Solace may have created it meanwhile: then this one signs in instead.
        if (!app::create_first_nurse(*db_, name, password, "from the window")) {
            screen_ = Screen::login;
            login_view_.refuse("Someone has already created the first account of this database; "
                               "sign in with it.");
            return;
        }
    } catch (const std::exception& e) {
        first_account_view_.refuse(e.what());
        return;
    }
    sign_in(name, password);
}

bool Shell::sign_in(const std::string& name, const std::string& password) {
    if (!file_sound()) return false;
    try {
        session_.emplace(app::Session::login(*db_, name, password));
    } catch (const std::exception& e) {
        screen_ = Screen::login;
        login_view_.refuse(e.what());
        return false;
    }
    patient_list_view_.start(account_words(), session_->is_nurse());
    apply_preferences();
    screen_ = Screen::patients;
    list_worker_ = std::make_unique<app::PatientListWorker>(path_, session_->account(), [this] {
        if (wake_) wake_();
    });
    // The first list is waited for, as the sign-in itself is: there is no older one to show.
    // It counts the last week's flags; the worker goes on to count older open ones.
    refresh();
    list_worker_->wait_for_a_list();
    take_list();
    start_sync(password);
    return true;
}

std::string Shell::account_words() const {
    if (!session_) return {};
    const auto& a = session_->account();
    return fmt::format("{} ({}{})", a.name, code(a.role), a.is_admin ? ", admin" : "");
}

bool Shell::open_patient(const std::string& mrn, PatientView::Tab tab) {
    if (!session_) return false;
    keep_draft(true); // the patient being left, if any
    try {
        const auto patient = session_->patient(mrn);
        app::record_read(*session_, {patient}, "patient", "opened in the window");
        picture_ = app::patient_picture(*session_, mrn, now_utc());
    } catch (const std::exception& e) {
        picture_.reset();
        patient_list_view_.refuse(e.what());
        screen_ = Screen::patients;
        return false;
    }
    patient_view_.start(session_->is_nurse(), account_words(), tab);
    refresh_medications();
    offer_draft();
    screen_ = Screen::patient;
    return true;
}

void Shell::save_visit(app::VisitEntry visit) {
    if (!session_ || !picture_) return;
    try {
        visit.mrn = picture_->patient.mrn;
        const auto now = now_utc();
        visit.at = app::entry_time(patient_view_.visit().when_text(),
                                   find_zone(picture_->patient.time_zone), now, "the visit time");
        if (visit.bowel_movement) visit.bowel_movement->at = visit.at;
        app::record_visit(*session_, visit, now);
        sync_soon();
        forget_draft();
        const auto zone = picture_->patient.time_zone;
        picture_ = app::patient_picture(*session_, visit.mrn, now_utc());
        refresh();
        patient_view_.visit().saved(
            fmt::format("Saved for {}: {} score{}{}.", short_time(visit.at, zone),
                        visit.scores.size(), visit.scores.size() == 1 ? "" : "s",
                        std::string(visit.bowel_movement ? ", a bowel movement" : "") +
                            (visit.note.empty() ? "" : " and a note")));
        std::vector<std::pair<Symptom, int>> severe;
        for (const auto& s : visit.scores)
            if (band_of(s.value) == Band::severe) severe.emplace_back(s.symptom, s.value);
        if (!session_->is_nurse() && !severe.empty())
            patient_view_.visit().call_now(call_now_words(severe, picture_->patient.on_call_phone));
    } catch (const std::exception& e) {
        // The typed values stay in the form; the reason shows beside the Save button.
        patient_view_.visit().refuse(e.what());
    }
}

void Shell::acknowledge(const FlagsView::Acknowledge& a) {
    if (!session_ || !picture_) return;
    try {
        app::acknowledge_flag(*session_, a.flag_id, a.note, now_utc());
        sync_soon();
        picture_ = app::patient_picture(*session_, picture_->patient.mrn, now_utc());
        refresh();
        patient_view_.flags().start();
    } catch (const std::exception& e) {
        patient_view_.flags().refuse(e.what());
    }
}

void Shell::sign_out() {
    keep_draft(true);
    if (session_) {
        try {
            session_->audit("logout", std::nullopt, "");
        } catch (const std::exception&) {
            // Signing out must work even when the database cannot be written.
        }
    }
    sync_.reset(); // waits for a sync under way; the password is wiped
    list_worker_.reset();
    session_.reset();
    patients_ = {};
    picture_.reset();
    login_view_.reset();
    screen_ = db_ ? Screen::login : Screen::open_database;
}

void Shell::refresh() {
    if (session_ && list_worker_) list_worker_->request(now_utc());
}

bool Shell::take_list() {
    if (!list_worker_) return false;
    auto r = list_worker_->take();
    if (!r) return false;
    if (r->list) {
        patients_ = std::move(*r->list);
        patient_list_view_.list_changed();
        return true;
    }
    // The database went away under us (deleted, unmounted): say so where it can be fixed.
    sync_.reset();
    list_worker_.reset();
    session_.reset();
    db_.reset();
    picture_.reset();
    screen_ = Screen::open_database;
    open_view_.show(path_.string(), r->problem);
    return true;
}

void Shell::finish_list_refresh() {
    if (!list_worker_) return;
    list_worker_->wait();
    take_list();
}

void Shell::draw() {
    if (file_check_ && file_check_->done()) later([this] { file_sound(); });
    if (draw_session_parts()) return; // lock screen, audit log, session bar
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
            case PatientListView::Action::refresh: // and what others wrote, when online
                later([this] {
                    refresh();
                    sync_soon();
                });
                break;
            case PatientListView::Action::sign_out:
                later([this] { sign_out(); });
                break;
            case PatientListView::Action::open:
                // A family member comes to read the history; a nurse to log a visit.
                later([this, mrn = a->mrn] {
                    open_patient(mrn, session_->is_nurse() ? PatientView::Tab::visit
                                                           : PatientView::Tab::history);
                });
                break;
            }
        }
        break;
    case Screen::patient:
        if (!picture_) {
            screen_ = Screen::patients;
            break;
        }
        patient_view_.set_sync_line(sync_words(sync_status_, now_utc()),
                                    sync_status_.state == sync::SyncStatus::State::refused);
        if (auto a = patient_view_.draw(*picture_)) {
            switch (a->kind) {
            case PatientView::Action::back:
                later([this] {
                    keep_draft(true);
                    screen_ = Screen::patients;
                    picture_.reset();
                });
                break;
            case PatientView::Action::sign_out:
                later([this] { sign_out(); });
                break;
            case PatientView::Action::save_visit:
                later([this, v = std::move(a->visit)] { save_visit(v); });
                break;
            case PatientView::Action::acknowledge:
                later([this, ack = a->flag] { acknowledge(ack); });
                break;
            }
        }
        if (auto r = patient_view_.medications().take_request())
            later([this, r = std::move(*r)] { medication(r); });
        if (auto r = patient_view_.summary().take_request())
            later([this, r = std::move(*r)] { summary_request(r); });
        if (auto r = patient_view_.history().take_request())
            later([this, r = std::move(*r)] { history_request(r); });
        break;
    }
}

bool Shell::apply_pending() {
    if (auto a = take_appearance_request()) later([this, a = *a] { set_appearance(a); });
    keep_draft(false);
    const bool list_changed = take_list();
    const bool sync_changed = take_sync_status();          // may ask for a new list: rows arrived
    const bool session_changed = session_between_frames(); // the lock, the daily backup
    if (pending_.empty()) return session_changed || list_changed || sync_changed;
    auto work = std::move(pending_);
    pending_.clear();
    for (auto& f : work)
        f();
    return true;
}

} // namespace solace::ui
