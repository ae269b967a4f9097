#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "admin_view.hpp"
#include "app/integrity.hpp"
#include "app/list_worker.hpp"
#include "app/session.hpp"
#include "app/snapshot.hpp"
#include "appearance.hpp"
#include "audit_view.hpp"
#include "first_account_view.hpp"
#include "lock_view.hpp"
#include "login_view.hpp"
#include "open_database_view.hpp"
#include "patient_list_view.hpp"
#include "patient_view.hpp"
#include "store/database.hpp"
#include "sync/background.hpp"

namespace solace::ui {

// What the window shows and what it holds: the open database, who is signed in, and the
// snapshots the views draw from. Knows nothing of GLFW or OpenGL, so tests drive it headless.
//
// draw() only makes ImGui calls; what the nurse asked for is queued and done by
// apply_pending() between frames, where the database is touched and snapshots are retaken.
class Shell {
  public:
    enum class Screen { open_database, first_account, login, patients, patient };

    explicit Shell(std::filesystem::path database);
    ~Shell();
    Shell(const Shell&) = delete;
    Shell& operator=(const Shell&) = delete;

    void draw();
    // Runs what the last frame asked for; true when anything changed (draw a few more frames).
    bool apply_pending();

    // Signs in now (the automated screenshot does this); on failure the login screen says why.
    bool sign_in(const std::string& name, const std::string& password);
    void sign_out();
    // Opens one patient's views (from the list, or --patient for screenshots).
    bool open_patient(const std::string& mrn, PatientView::Tab tab = PatientView::Tab::visit);

    Screen screen() const { return screen_; }
    // True while the opened file's check runs in the background (see app::FileCheck).
    bool checking_file() const { return file_check_.has_value(); }
    // The list as last taken. Refreshes (after a save, an acknowledgement, Refresh) are worked
    // out on a thread of their own; the list shown changes between frames once one is ready.
    const app::PatientList& patient_list() const { return patients_; }
    // Waits for the refresh under way, if any, and shows its list (tests, screenshots).
    void finish_list_refresh();
    // The thread taking lists, while someone is signed in (tests hold it to see a frame drawn
    // during a refresh).
    app::PatientListWorker* list_worker() { return list_worker_.get(); }
    // Called from the worker's thread when a list is ready: the window wakes its loop.
    void set_wake(std::function<void()> wake) { wake_ = std::move(wake); }
    const app::Session* session() const { return session_ ? &*session_ : nullptr; }
    const app::PatientPicture* patient_picture() const { return picture_ ? &*picture_ : nullptr; }
    PatientView& patient_view() { return patient_view_; }
    const PatientListView& patient_list_view() const { return patient_list_view_; }

    // Agency server (shell_sync.cpp): the background sync of the signed-in account, and its
    // status as last taken between frames (state alone for a database that works alone).
    sync::BackgroundSync* background_sync() { return sync_.get(); }
    const sync::SyncStatus& sync_status() const { return sync_status_; }
    // Seconds until the status line's words change ("Synced 2 min ago"); negative: never.
    double sync_wake_in() const;

    // Keeps what is typed in the visit form as a draft now, not after its second (before a
    // lock, on quitting). Drafts are otherwise kept between frames by apply_pending().
    void save_drafts_now() { keep_draft(true); }
    // Seconds until a draft waiting for its second is due to be kept (the window wakes for it);
    // negative when nothing waits.
    double draft_due_in() const;

    // Lock, audit log and daily backup (shell_session.cpp). The window locks after the
    // setting lock_after_minutes without input, or at once with lock_now() (between frames).
    bool locked() const { return guard_.locked; }
    void lock_now();
    void open_audit_log();
    // Seconds until the window must wake for the lock or its countdown; negative: never.
    double session_wake_in() const;
    // A nurse admin's window backs up into `folder` once a day, keeping 7; without this call
    // (tests, scripted screenshots) it makes none.
    void set_daily_backup(std::filesystem::path folder,
                          app::KdfLimits limits = app::moderate_kdf());
    LockView& lock_view() { return lock_view_; }
    AuditView& audit_view() { return audit_view_; }
    // Patients (any nurse) and accounts (admins) (shell_admin.cpp), opened from the session bar;
    // a family account gets nothing.
    void open_admin(AdminView::Part part = AdminView::Part::patients);
    AdminView& admin_view() { return admin_view_; }
    const SessionGuard& guard() const { return guard_; }

  private:
    void open(const std::filesystem::path& path, bool create);
    // Waits for the file check; false (and the open-database screen says why) when damaged.
    bool file_sound();
    void create_first_nurse(const std::string& name, const std::string& password);
    void refresh();
    bool take_list(); // the worker's finished list, if any; true when it changed the screen
    void save_visit(app::VisitEntry visit);
    void acknowledge(const FlagsView::Acknowledge& a);
    // History (shell_history.cpp): the view's loads and corrections.
    void history_request(const HistoryView::Request& r);
    // Medications (shell_medications.cpp): the view's requests, and its snapshot.
    void medication(const MedicationsView::Request& r);
    void refresh_medications();
    // Display settings (shell_settings.cpp).
    void apply_preferences();
    void set_appearance(const Appearance& a);
    // Drafts (shell_drafts.cpp).
    void keep_draft(bool now);
    void offer_draft();
    void forget_draft();
    std::string account_words() const;
    // Summary (shell_summary.cpp): builds, page drawings, saves and prints.
    void summary_request(const SummaryView::Request& r);
    void list_printers(SummaryView& view);
    void remember_printer(const std::string& printer);
    // Session (shell_session.cpp).
    bool draw_session_parts(); // true when the lock screen or the audit log took the window
    bool session_between_frames();
    bool daily_backup_step();
    void note_input();
    double idle_seconds() const;
    bool lock_overdue() const;
    void lock_work();
    void unlock(const std::string& password);
    void read_lock_minutes();
    void audit_request(const AuditView::Request& r);
    // Patients and accounts (shell_admin.cpp).
    void close_admin();
    void admin_request(AdminView::Request& r);
    void load_admin_lists();
    void patient_request(const AdminPatientsView::Request& r);
    void account_request(AccountsView::Request& r);
    // Sync (shell_sync.cpp).
    void start_sync(const std::string& password);
    void sync_soon(); // after each save
    bool take_sync_status();
    void later(std::function<void()> f) { pending_.push_back(std::move(f)); }

    std::filesystem::path path_;
    std::unique_ptr<store::Database> db_;
    std::optional<app::FileCheck> file_check_; // of db_, running while the sign-in screen is up
    std::optional<app::Session> session_;
    app::PatientList patients_;
    std::function<void()> wake_; // before the worker: it calls this until it stops
    std::unique_ptr<app::PatientListWorker> list_worker_;
    std::unique_ptr<sync::BackgroundSync> sync_; // while signed in
    sync::SyncStatus sync_status_;
    std::optional<app::PatientPicture> picture_; // the patient open in the patient screen
    Screen screen_ = Screen::open_database;

    OpenDatabaseView open_view_;
    FirstAccountView first_account_view_;
    LoginView login_view_;
    PatientListView patient_list_view_;
    PatientView patient_view_;
    LockView lock_view_;
    AuditView audit_view_;
    AdminView admin_view_;
    SessionGuard guard_;

    std::vector<std::function<void()>> pending_;

    std::string draft_kept_;      // the visit draft as last kept (or found), JSON
    double draft_kept_at_ = -1e9; // ImGui's clock
    bool draft_waiting_ = false;  // typed since, waiting for its second
    PatientView::Tab draft_tab_ = PatientView::Tab::visit;
};

} // namespace solace::ui
