// The Shell's part for what guards a session (issue 6 items 6, 7, 8): the lock after minutes
// without input and the lock screen, the session bar with "Lock now", the audit log screen for
// admins, and the daily backup a nurse admin's window makes. (Shell members; declared in
// shell.hpp.)
//
// The daily backup needs a passphrase. When SOLACE_BACKUP_PASSPHRASE is set it is used without
// a word; otherwise the window asks once a day in a small popup, which may be answered "Not
// today": the session bar then says that today's backup was skipped and offers "Back up now".
#include <algorithm>
#include <chrono>
#include <exception>

#include <fmt/format.h>
#include <imgui.h>

#include "app/audit.hpp"
#include "app/backup.hpp"
#include "shell.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {
double clock_now() {
    return ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
}

// Anything the person at the keyboard did this frame.
bool input_this_frame() {
    if (!ImGui::GetCurrentContext()) return false;
    const ImGuiIO& io = ImGui::GetIO();
    if (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f || io.MouseWheel != 0.0f ||
        io.MouseWheelH != 0.0f || io.InputQueueCharacters.Size > 0)
        return true;
    for (bool down : io.MouseDown)
        if (down) return true;
    for (bool down : io.KeysDown)
        if (down) return true;
    return false;
}

// "solace-2026-03-08.solace-backup": the name app::daily_backup gives today's backup.
std::string todays_backup_name(Instant now) {
    const date::zoned_seconds local(date::current_zone(), now);
    const auto day = date::year_month_day{date::floor<date::days>(local.get_local_time())};
    return fmt::format("solace-{}.solace-backup", date::format("%F", day));
}

std::string local_clock(Instant t) {
    return date::format(
        "%H:%M", date::zoned_seconds(date::current_zone(), date::floor<std::chrono::minutes>(t)));
}
} // namespace

void Shell::set_daily_backup(std::filesystem::path folder, app::KdfLimits limits) {
    guard_.backup_folder = std::move(folder);
    guard_.backup_limits = limits;
}

void Shell::open_audit_log() {
    if (!session_ || !session_->account().is_admin) return;
    close_admin();
    guard_.audit_open = true;
    audit_view_.start();
}

void Shell::note_input() {
    guard_.last_input = clock_now();
    guard_.last_input_wall = now_utc();
}

// Seconds without input, by ImGui's clock or the wall clock, whichever says more: the first
// stops while a laptop sleeps, the second may be set back.
double Shell::idle_seconds() const {
    const double by_frames = clock_now() - guard_.last_input;
    const double by_wall = double((now_utc() - guard_.last_input_wall).count());
    return std::max(by_frames, by_wall);
}

bool Shell::lock_overdue() const {
    return session_ && !guard_.locked && guard_.lock_minutes > 0 &&
           idle_seconds() >= guard_.lock_minutes * 60.0;
}

void Shell::lock_now() {
    if (!session_ || guard_.locked) return;
    guard_.locked = true;
    lock_view_.start(account_words());
    lock_work();
}

void Shell::lock_work() {
    save_drafts_now(); // the visit being typed is in the database before the screen locks
    admin_view_.accounts().forget_passwords(); // none typed waits behind the lock screen
    if (sync_) sync_->pause();                 // the password is wiped until unlocked
    try {
        session_->lock();
    } catch (const std::exception&) {
        // The window locks even when the audit log cannot be written (a full disk).
    }
}

void Shell::unlock(const std::string& password) {
    if (!session_ || !guard_.locked) return;
    try {
        session_->unlock(password);
    } catch (const app::LoginDelayed& e) {
        lock_view_.delay(double(e.wait.count()));
        return;
    } catch (const std::exception& e) {
        lock_view_.refuse(e.what());
        return;
    }
    guard_.locked = false;
    if (sync_) sync_->resume(password);
    note_input();
    read_lock_minutes(); // an admin may have changed it meanwhile
}

void Shell::read_lock_minutes() {
    try {
        guard_.lock_minutes = int(app::lock_after(*db_).count());
    } catch (const std::exception&) {
        guard_.lock_minutes = app::default_lock_after_minutes;
    }
}

double Shell::session_wake_in() const {
    if (!session_) return -1.0;
    if (guard_.locked) return lock_view_.wake_in();
    if (guard_.lock_minutes <= 0) return -1.0;
    return std::max(0.0, guard_.lock_minutes * 60.0 - idle_seconds());
}

bool Shell::draw_session_parts() {
    if (!session_) return false;
    ++guard_.frames;
    if (lock_overdue()) {
        // Back after the time ran out (a laptop woken from sleep): the input that woke it does
        // not count, and no patient data is drawn, not even for this frame.
        guard_.locked = true;
        lock_view_.start(account_words());
        later([this] { lock_work(); });
    } else if (!guard_.locked && input_this_frame()) {
        note_input();
    }
    if (guard_.locked) {
        if (auto r = lock_view_.draw()) {
            if (r->kind == LockView::Request::unlock)
                later([this, p = r->password] { unlock(p); });
            else
                later([this] {
                    guard_.locked = false;
                    guard_.audit_open = false;
                    close_admin();
                    sign_out();
                });
        }
        return true;
    }

    // The bar sits under the patient list and the audit log; the patient screen keeps all its
    // height for its views and offers "Lock now" beside its tabs (lock_tab()).
    const bool show_bar = screen_ != Screen::patient || guard_.audit_open || guard_.admin_open;
    SessionBar bar;
    if (guard_.lock_minutes > 0)
        bar.lock_words = fmt::format("Locks after {} minutes without input.", guard_.lock_minutes);
    bar.backup_words = guard_.backup_words;
    bar.backup_is_error = guard_.backup_is_error;
    bar.offer_backup = guard_.backup_offer;
    bar.sync_words = sync_words(sync_status_, now_utc());
    bar.sync_is_error = sync_status_.state == sync::SyncStatus::State::refused;
    bar.audit = session_->account().is_admin;
    bar.patients = session_->is_nurse();
    bar.audit_open = guard_.audit_open;
    bar.admin_open = guard_.admin_open;
    if (const auto a = show_bar ? bar.draw() : std::nullopt) {
        switch (*a) {
        case SessionBar::Action::lock:
            later([this] { lock_now(); });
            break;
        case SessionBar::Action::audit:
            if (guard_.audit_open)
                guard_.audit_open = false;
            else
                open_audit_log();
            break;
        case SessionBar::Action::admin:
            if (guard_.admin_open)
                later([this] { close_admin(); });
            else
                open_admin();
            break;
        case SessionBar::Action::backup_now:
            later([this] {
                guard_.backup_checked.clear(); // check again, and ask again
                guard_.backup_words.clear();
                guard_.backup_offer = false;
                guard_.backup_is_error = false;
                guard_.frames = std::max(guard_.frames, 2);
            });
            break;
        }
    }
    if (const auto answer = guard_.backup_prompt.draw()) {
        if (answer->skip) {
            guard_.backup_words = "Today's backup was skipped.";
            guard_.backup_offer = true;
        } else {
            guard_.backup_words = "Making today's backup…";
            guard_.backup_pending = answer->passphrase;
            guard_.backup_pending_at = guard_.frames;
        }
    }
    if (guard_.audit_open && session_->account().is_admin) {
        if (const auto r = audit_view_.draw()) later([this, r = *r] { audit_request(r); });
        return true;
    }
    if (guard_.admin_open && session_->is_nurse()) {
        if (auto r = admin_view_.draw())
            later([this, req = std::make_shared<AdminView::Request>(std::move(*r))] {
                admin_request(*req);
            });
        return true;
    }
    return false;
}

void Shell::audit_request(const AuditView::Request& r) {
    if (!session_) return;
    try {
        switch (r.kind) {
        case AuditView::Request::load:
            audit_view_.show(app::audit_entries(*session_, {}));
            break;
        case AuditView::Request::verify:
            audit_view_.verified(app::verify_audit(*session_));
            break;
        case AuditView::Request::close:
            guard_.audit_open = false;
            break;
        }
    } catch (const std::exception& e) {
        audit_view_.refuse(e.what());
    }
}

bool Shell::session_between_frames() {
    if (!session_) {
        take_lock_request(); // nothing to lock
        const bool was = guard_.signed_in;
        guard_.signed_in = false;
        guard_.locked = false;
        guard_.audit_open = false;
        close_admin();
        guard_.frames = 0;
        guard_.lock_minutes = 0;
        guard_.backup_pending.reset();
        return was;
    }
    bool changed = false;
    if (!guard_.signed_in) {
        guard_.signed_in = true;
        note_input();
        read_lock_minutes();
        changed = true;
    }
    if (lock_overdue() || (take_lock_request() && !guard_.locked)) {
        lock_now();
        return true;
    }
    if (guard_.locked) return changed;
    return daily_backup_step() || changed;
}

bool Shell::daily_backup_step() {
    const auto& a = session_->account();
    // Not on the first frame: the window shows itself before the backup holds it a moment.
    if (!guard_.backup_folder || !session_->is_nurse() || !a.is_admin || guard_.frames < 2)
        return false;
    if (guard_.backup_pending) {
        if (guard_.frames <= guard_.backup_pending_at) return true; // "Making…" is drawn first
        const std::string passphrase = std::move(*guard_.backup_pending);
        guard_.backup_pending.reset();
        try {
            const auto made = app::daily_backup(*session_, *guard_.backup_folder, passphrase,
                                                now_utc(), 7, guard_.backup_limits);
            guard_.backup_words =
                made ? fmt::format("Today's backup made at {}.", local_clock(now_utc()))
                     : "Today's backup is made.";
            guard_.backup_is_error = false;
            guard_.backup_offer = false;
        } catch (const std::exception& e) {
            guard_.backup_words = fmt::format("Today's backup failed: {}", e.what());
            guard_.backup_is_error = true;
            guard_.backup_offer = true;
        }
        return true;
    }
    const auto now = now_utc();
    const auto name = todays_backup_name(now);
    const auto key = a.name + " " + name;
    if (key == guard_.backup_checked || guard_.backup_prompt.is_open()) return false;
    guard_.backup_checked = key;
    std::error_code ec;
    if (std::filesystem::exists(*guard_.backup_folder / name, ec)) {
        guard_.backup_words = "Today's backup is made.";
        guard_.backup_is_error = false;
        guard_.backup_offer = false;
        return true;
    }
    if (auto p = app::backup_passphrase_from_environment()) {
        // Said on the next frame, made on the one after.
        guard_.backup_words = "Making today's backup…";
        guard_.backup_pending = std::move(*p);
        guard_.backup_pending_at = guard_.frames;
    } else {
        guard_.backup_prompt.open(guard_.backup_folder->string());
    }
    return true;
}

} // namespace solace::ui
