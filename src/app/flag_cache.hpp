#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "app/session.hpp"
#include "domain/flag.hpp"
#include "store/change_repository.hpp"

namespace solace::app {

// Patients' flags kept between refreshes, so that refreshing a list costs what changed, not
// the whole agency. flags() gives exactly what patient_flags() gives; a patient's flags are
// worked out again only when
// - a row about them was added (any table with a patient_id: scores, doses, medications,
//   goals, acknowledgements), the settings changed, or the patient's details changed; or
// - the time passed the first moment at which their flags change by time alone (a dose
//   window closing, a flag leaving the window). That moment is found by judging the same rows
//   at later times, knowing nothing of the rules: flags are judged an hour ahead, and when
//   those differ, the first second that differs is searched for. This relies on time only
//   adding to what the rules see (a change by time is not undone by more time).
// shown_flags() gives exactly what app::shown_flags() gives: the window's flags as above, and
// the older open ones, judged over the whole open_flag_horizon at most once a day, or when a
// row about the patient was added that can reach back that far (an acknowledgement, a
// correction, a row dated before the last judgement; not a score saved now). Flags older than
// the window do not change by time except for escalation, which is marked again at each call:
// no rule raises a flag more than a day after its time (a missed dose waits only for its
// window to close), nor changes one more than a day before a new row's time.
// One per database connection, used from one thread.
class FlagCache {
  public:
    std::vector<Flag> flags(const Session& s, const Patient& p, Instant from, Instant to);
    std::vector<Flag> shown_flags(const Session& s, const Patient& p, Instant from, Instant to);
    // Each flag shown_flags() gives, with whether it is escalated at `to`, in no set order and
    // without copying them: a year of open flags, for counting.
    void visit_shown(const Session& s, const Patient& p, Instant from, Instant to,
                     const std::function<void(const Flag&, bool escalated)>& visit);

    // How far ahead one evaluation looks for changes by time.
    static constexpr std::chrono::hours look_ahead{1};

    struct Counts {
        std::size_t evaluated = 0; // read and judged
        std::size_t reused = 0;    // nothing changed
        // The open flags before the window (back to open_flag_horizon) read and judged.
        std::size_t older_evaluated = 0;
    };
    const Counts& counts() const { return counts_; }
    void forget() {
        entries_.clear();
        older_.clear();
        db_ = nullptr;
        version_.reset();
    }

  private:
    struct Entry {
        std::int64_t account_id = 0;
        Patient patient;
        std::chrono::seconds window{}; // to - from
        Instant judged_at{};
        Instant same_until{}; // the flags are these at any time in [judged_at, same_until]
        std::vector<Flag> flags;
    };
    // The open flags of the year before a window, for one patient.
    struct Older {
        std::int64_t account_id = 0;
        Patient patient;
        Instant judged_at{};
        Thresholds thresholds;
        std::vector<Flag> open; // not acknowledged, `at` in [judged_at - open_flag_horizon,
                                // judged_at - 1 day]
    };
    // How long Older stays good when no row about the patient was added.
    static constexpr std::chrono::days older_kept{1};
    void look_for_changes(store::Database& db);
    // The patient's Older for this window, judged again when it no longer holds.
    const Older& older(const Session& s, const Patient& p, Instant from, Instant to);

    std::map<std::int64_t, Entry> entries_; // by patient id
    std::map<std::int64_t, Older> older_;   // by patient id
    const store::Database* db_ = nullptr;
    std::optional<std::int64_t> version_;
    store::ChangeRepository::Marks marks_;
    Counts counts_;
};

} // namespace solace::app
