#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/account_repository.hpp"
#include "sync/sync.hpp"

namespace solace::sync {

// The window syncs this often when nothing was saved (DESIGN §7: "every few minutes").
inline constexpr std::chrono::minutes sync_every{3};

// The account's password while it is signed in, for the server: kept in memory that is never
// swapped out (libsodium), wiped when replaced or freed.
class KeptPassword {
  public:
    explicit KeptPassword(std::string_view text);
    ~KeptPassword();
    KeptPassword(const KeptPassword&) = delete;
    KeptPassword& operator=(const KeptPassword&) = delete;
    std::string_view text() const;

  private:
    char* bytes_ = nullptr;
    std::size_t size_ = 0;
};

// Where the window's sync stands, for its status line.
struct SyncStatus {
    enum class State {
        alone,   // not enrolled with an agency server: nothing to say
        syncing, // a sync is under way
        synced,  // the last sync went through
        offline, // the server could not be reached; `waiting` entries wait for it
        refused, // the server (or this database) refused: `problem` says why
    };
    State state = State::alone;
    std::optional<Instant> last_sync; // the last sync that went through
    std::int64_t waiting = 0;         // entries written here that the server does not hold yet
    std::string problem;              // in words, when offline or refused
    std::uint64_t arrivals = 0;       // syncs that brought rows: views retake their snapshots
    std::vector<DeviceSync> devices;  // each device's last push (admins only; else empty)
    std::uint64_t version = 0;        // one more at each change
};

// Syncs the signed-in account's database with its agency server on a thread of its own, with
// its own connection (a connection is never shared between threads): at once, after each
// save (request()), and every `every`. Never blocks the caller, except the destructor, which
// waits for a sync under way. Does nothing while the database works alone.
class BackgroundSync {
  public:
    // `changed` runs on the worker's thread whenever the status changes (the window wakes its
    // loop with it).
    BackgroundSync(std::filesystem::path database, Account account, std::string_view password,
                   std::function<void()> changed = {},
                   std::chrono::milliseconds every = sync_every);
    ~BackgroundSync();
    BackgroundSync(const BackgroundSync&) = delete;
    BackgroundSync& operator=(const BackgroundSync&) = delete;

    // Syncs soon (something was saved); requests made during a sync make one more after it.
    void request();
    SyncStatus status() const;
    // The window locked: the password is wiped and nothing syncs until resume().
    void pause();
    void resume(std::string_view password);
    // Blocks until every request so far is done (tests, scripted screenshots).
    void wait();

  private:
    void run();
    void publish(const SyncStatus& s);
    void sync_once(std::unique_ptr<store::Database>& db);

    std::filesystem::path path_;
    Account account_;
    std::function<void()> changed_callback_;
    std::chrono::milliseconds every_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<KeptPassword> password_; // none while paused
    SyncStatus status_;
    bool wanted_ = true; // the first sync starts at once
    bool working_ = false;
    bool stopping_ = false;
    std::thread thread_; // last: starts once everything above is ready
};

} // namespace solace::sync
