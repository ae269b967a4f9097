#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "app/backup.hpp"
#include "domain/time.hpp"

namespace solace::ui {

// The lock screen (issue 6 item 7): no patient data at all, only that Solace is locked, for
// which account, and the password field of that account. Wrong passwords are refused by the
// app as at sign-in, five in a row delaying the next try; the wait counts down here.
class LockView {
  public:
    struct Request {
        enum Kind { unlock, sign_out } kind = unlock;
        std::string password;
    };

    // Just locked: an empty field with the cursor in it.
    void start(std::string account);
    // A wrong password: the reason, the field emptied.
    void refuse(std::string why);
    // Too many wrong passwords: no try before `seconds` from now (ImGui's clock).
    void delay(double seconds);
    std::optional<Request> draw();

    // Seconds until the countdown shown changes (the window wakes for it); negative: none.
    double wake_in() const;
    const std::string& error() const { return error_; }
    // Whole seconds left before the next try, 0 when one may be made now.
    int wait_left() const;

  private:
    std::string account_;
    std::string password_;
    std::string error_;
    double retry_at_ = 0; // ImGui's clock
    bool focus_ = true;
};

// The thin bar along the bottom of the window while someone is signed in: Lock now, when the
// window locks by itself, today's backup, the sync status, (for nurses) "Admissions and
// discharges", which for admins is "Patients and accounts", and (for admins) the audit log.
struct SessionBar {
    enum class Action { lock, audit, admin, backup_now };
    std::string lock_words;   // "Locks after 10 minutes without input."
    std::string backup_words; // empty: nothing to say about backups
    bool backup_is_error = false;
    bool offer_backup = false; // "Back up now": today's was skipped or failed
    std::string sync_words;    // the agency server's status line; empty: works alone
    bool sync_is_error = false;
    bool audit = false;      // the account is an admin
    bool patients = false;   // the account is a nurse: admissions, discharges, comfort goals
    bool audit_open = false; // the audit log is on screen
    bool admin_open = false; // patients and accounts are on screen
    std::optional<Action> draw() const;
};

// "Lock now" at the right end of a tab bar (the patient screen, which has no session bar);
// the shell takes the request between frames.
void lock_tab();
void lock_button(); // the same, where the views are buttons, not tabs
bool take_lock_request();

// Asks once for the passphrase of the daily backup (when SOLACE_BACKUP_PASSPHRASE is unset):
// typed twice, at least app::min_backup_passphrase_length characters, or "Not today".
class BackupPrompt {
  public:
    struct Answer {
        bool skip = false;
        std::string passphrase;
    };
    void open(std::string folder);
    bool is_open() const { return open_; }
    std::optional<Answer> draw();

  private:
    bool open_ = false;
    bool focus_ = false;
    std::string folder_;
    std::string first_, second_;
    std::string error_;
};

// Where the window keeps its daily backups of `database`: the data directory's backups folder
// for the default database, a folder named after the file under it for any other, so two
// databases never take each other's place among the seven kept.
std::filesystem::path daily_backup_folder(const std::filesystem::path& database);

// What the shell keeps about the lock, the daily backup and the audit log screen.
struct SessionGuard {
    bool signed_in = false; // a session was seen between frames
    bool locked = false;
    int lock_minutes = 0;      // 0: not read yet
    double last_input = 0;     // ImGui's clock
    Instant last_input_wall{}; // the wall clock too: a suspended laptop still locks
    int frames = 0;            // drawn since signing in

    std::optional<std::filesystem::path> backup_folder; // none: no daily backup (tests, scripts)
    app::KdfLimits backup_limits = app::moderate_kdf();
    std::string backup_checked;                // account and local day last checked
    std::optional<std::string> backup_pending; // the passphrase, for the next frame
    int backup_pending_at = 0;                 // `frames` when it was set: the note shows first
    std::string backup_words;
    bool backup_is_error = false;
    bool backup_offer = false;
    BackupPrompt backup_prompt;

    bool audit_open = false;
    bool admin_open = false; // "Patients and accounts"
};

} // namespace solace::ui
