#include "sync/background.hpp"

#include <cstring>
#include <exception>
#include <memory>
#include <new>

#include <sodium.h>

#include "app/session.hpp"
#include "domain/error.hpp"
#include "store/database.hpp"

namespace solace::sync {

KeptPassword::KeptPassword(std::string_view text) : size_(text.size()) {
    if (sodium_init() < 0) throw std::bad_alloc();
    bytes_ = static_cast<char*>(sodium_malloc(size_ + 1));
    if (!bytes_) throw std::bad_alloc();
    std::memcpy(bytes_, text.data(), size_);
    bytes_[size_] = '\0';
}

KeptPassword::~KeptPassword() {
    sodium_free(bytes_); // wipes it first
}

std::string_view KeptPassword::text() const {
    return {bytes_, size_};
}

namespace {

// Entries waiting for the server; `known` when the database cannot say now.
std::int64_t waiting_or(store::Database& db, std::int64_t known) {
    try {
        return waiting(db);
    } catch (const std::exception&) {
        return known;
    }
}

} // namespace

BackgroundSync::BackgroundSync(std::filesystem::path database, Account account,
                               std::string_view password, std::function<void()> changed,
                               std::chrono::milliseconds every)
    : path_(std::move(database)), account_(std::move(account)),
      changed_callback_(std::move(changed)), every_(every) {
    password_.emplace(password);
    thread_ = std::thread([this] { run(); });
}

BackgroundSync::~BackgroundSync() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void BackgroundSync::request() {
    {
        std::lock_guard lock(mutex_);
        wanted_ = true;
    }
    changed_.notify_all();
}

SyncStatus BackgroundSync::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void BackgroundSync::pause() {
    std::lock_guard lock(mutex_);
    password_.reset();
}

void BackgroundSync::resume(std::string_view password) {
    {
        std::lock_guard lock(mutex_);
        password_.emplace(password);
        wanted_ = true; // what was saved before the lock, and what others wrote meanwhile
    }
    changed_.notify_all();
}

void BackgroundSync::wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return (!wanted_ || !password_ || stopping_) && !working_; });
}

void BackgroundSync::publish(const SyncStatus& s) {
    {
        std::lock_guard lock(mutex_);
        const auto version = status_.version + 1;
        status_ = s;
        status_.version = version;
    }
    if (changed_callback_) changed_callback_();
}

void BackgroundSync::run() {
    std::unique_ptr<store::Database> db;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            // Woken by a request, or the time came round.
            changed_.wait_for(lock, every_, [&] { return stopping_ || (wanted_ && password_); });
            if (stopping_) return;
            if (!password_) continue; // locked
            wanted_ = false;
            working_ = true;
        }
        sync_once(db);
        {
            std::lock_guard lock(mutex_);
            working_ = false;
        }
        changed_.notify_all();
    }
}

void BackgroundSync::sync_once(std::unique_ptr<store::Database>& db) {
    SyncStatus s = status();
    try {
        if (!db)
            db = std::make_unique<store::Database>(path_, store::Database::Mode::open_existing);
        const auto link = sync_link(*db);
        if (!link) { // works alone: nothing to say, nothing to do
            if (s.state != SyncStatus::State::alone) publish(SyncStatus{});
            return;
        }
        if (!s.last_sync && link->last_sync_at) s.last_sync = from_epoch(*link->last_sync_at);
        s.waiting = waiting(*db);
    } catch (const std::exception& e) {
        db.reset(); // opened again next time
        // Not known to be enrolled: the window says why elsewhere (a file gone, damaged).
        if (s.state == SyncStatus::State::alone) return;
        s.state = SyncStatus::State::refused;
        s.problem = e.what();
        publish(s);
        return;
    }
    std::string password;
    {
        std::lock_guard lock(mutex_);
        if (!password_) return; // locked meanwhile
        password.assign(password_->text());
    }
    s.state = SyncStatus::State::syncing;
    publish(s);
    try {
        app::Session session(*db, account_);
        const auto counts = sync(session, password);
        s.state = SyncStatus::State::synced;
        s.problem.clear();
        s.last_sync = now_utc();
        s.waiting = counts.waiting;
        if (counts.pulled > 0) ++s.arrivals;
        if (account_.is_admin) {
            try {
                s.devices = devices(session, password);
            } catch (const std::exception&) {
                // A server older than solace.devices(): the list stays as it was.
            }
        }
    } catch (const ServerUnreachable& e) {
        s.state = SyncStatus::State::offline;
        s.problem = e.what();
        s.waiting = waiting_or(*db, s.waiting);
    } catch (const std::exception& e) {
        s.state = SyncStatus::State::refused;
        s.problem = e.what();
        s.waiting = waiting_or(*db, s.waiting);
    }
    sodium_memzero(password.data(), password.size());
    publish(s);
}

} // namespace solace::sync
