#pragma once
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/snapshot.hpp"
#include "store/account_repository.hpp"

namespace solace::app {

// Takes patient lists on a thread of its own, with its own connection to the database (a
// connection is never shared between threads) and its own FlagCache, so that the window keeps
// drawing the list it has while the next one is worked out. Its first list counts the recent
// window only, and is followed at once by the full one: judging a year of open flags for every
// patient takes seconds on a big agency, and the list must show right after sign-in.
class PatientListWorker {
  public:
    // `ready` runs on the worker's thread each time a list is ready to take (the window wakes
    // its event loop with it).
    PatientListWorker(std::filesystem::path database, Account account,
                      std::function<void()> ready = {});
    ~PatientListWorker(); // waits for the list being taken, if any, then stops
    PatientListWorker(const PatientListWorker&) = delete;
    PatientListWorker& operator=(const PatientListWorker&) = delete;

    // A list as of `now`; a request not yet started is replaced by the newer one.
    void request(Instant now);

    struct Result {
        std::optional<PatientList> list;
        std::string problem; // why there is no list (the database went away)
    };
    // The newest finished list, once; nothing while none is ready.
    std::optional<Result> take();
    // Blocks until every request so far is finished, the full list after the first included.
    void wait();
    // Blocks until a list is ready to take, or nothing is being worked out (sign-in).
    void wait_for_a_list();

    // Tests: while held, requests wait and are not started.
    void hold(bool held);

  private:
    void run();

    std::filesystem::path path_;
    Account account_;
    std::function<void()> ready_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<Instant> wanted_;
    bool working_ = false;
    bool held_ = false;
    bool stopping_ = false;
    std::optional<Result> done_;
    std::thread thread_; // last: starts once everything above is ready
};

} // namespace solace::app
