#include "app/list_worker.hpp"

#include <exception>
#include <memory>

#include "app/flag_cache.hpp"
#include "store/database.hpp"

namespace solace::app {

PatientListWorker::PatientListWorker(std::filesystem::path database, Account account,
                                     std::function<void()> ready)
    : path_(std::move(database)), account_(std::move(account)), ready_(std::move(ready)),
      thread_([this] { run(); }) {}

PatientListWorker::~PatientListWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        held_ = false;
    }
    changed_.notify_all();
    thread_.join();
}

void PatientListWorker::request(Instant now) {
    {
        std::lock_guard lock(mutex_);
        wanted_ = now;
    }
    changed_.notify_all();
}

std::optional<PatientListWorker::Result> PatientListWorker::take() {
    std::lock_guard lock(mutex_);
    auto out = std::move(done_);
    done_.reset();
    return out;
}

void PatientListWorker::wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return (!wanted_ || held_) && !working_; });
}

void PatientListWorker::wait_for_a_list() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return done_ || ((!wanted_ || held_) && !working_); });
}

void PatientListWorker::hold(bool held) {
    {
        std::lock_guard lock(mutex_);
        held_ = held;
    }
    changed_.notify_all();
}

void PatientListWorker::run() {
    std::unique_ptr<store::Database> db;
    FlagCache cache;
    bool first = true;
    for (;;) {
        Instant now{};
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return stopping_ || (wanted_ && !held_); });
            if (stopping_) return;
            now = *wanted_;
            wanted_.reset();
            working_ = true;
        }
        const auto publish = [&](Result r) {
            {
                std::lock_guard lock(mutex_);
                done_ = std::move(r);
            }
            if (ready_) ready_();
            changed_.notify_all();
        };
        Result r;
        try {
            if (!db)
                db = std::make_unique<store::Database>(path_, store::Database::Mode::open_existing);
            const Session session(*db, account_);
            if (first) {
                first = false;
                Result recent;
                recent.list = patient_list(session, now, 7, &cache, false);
                publish(std::move(recent));
            }
            r.list = patient_list(session, now, 7, &cache);
        } catch (const std::exception& e) {
            db.reset(); // opened again for the next request
            cache.forget();
            first = true;
            r.problem = e.what();
        }
        publish(std::move(r));
        { // finished only once the window was woken: wait() then sees both
            std::lock_guard lock(mutex_);
            working_ = false;
        }
        changed_.notify_all();
    }
}

} // namespace solace::app
