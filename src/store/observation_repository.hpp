#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "domain/score.hpp"
#include "store/database.hpp"

namespace solace::store {

// Visits, ESAS-r scores and PPS: the observation aggregate. Rows are only ever added.
class ObservationRepository {
  public:
    explicit ObservationRepository(Database& db);
    ~ObservationRepository();

    std::int64_t add_visit(const Visit& v, std::int64_t author_id, Instant now);
    // Adds a score (or, with `supersedes` set, a correction of one). Values are checked by
    // the caller; the table's CHECKs are the last line.
    std::int64_t add_score(const Score& s, Instant now);
    std::int64_t add_pps(std::int64_t patient_id, std::optional<std::int64_t> visit_id, int value,
                         Instant observed_at, std::int64_t author_id, Instant now,
                         Reporter reporter = Reporter::nurse, std::string_view note = {},
                         std::string_view uuid = {}); // empty: a new one

    // Current values (corrections applied) observed in [from, to], oldest first.
    std::vector<Score> scores(std::int64_t patient_id, Instant from, Instant to);
    // The last `n` current scores of one series observed before `before`, oldest first.
    std::vector<Score> scores_before(std::int64_t patient_id, Symptom s, Reporter r, Instant before,
                                     int n);
    std::optional<Score> score(std::int64_t id);
    // Whether the score is in force: not corrected, nor outranked by a later correction of the
    // score it corrects (store/in_force.hpp).
    bool in_force(std::int64_t id);
    // Scores that were replaced by a correction, observed in [from, to].
    std::vector<Score> replaced_scores(std::int64_t patient_id, Instant from, Instant to);
    std::vector<PpsScore> pps(std::int64_t patient_id, Instant from, Instant to);
    // Current scores, the scores corrections replaced (`replaced` true) and current PPS observed
    // in [from, to], in time order (at one instant scores before PPS, then by id), one row at a
    // time: memory holds one row, however long the history.
    void for_each_observation(std::int64_t patient_id, Instant from, Instant to,
                              const std::function<void(const Score&, bool replaced)>& score,
                              const std::function<void(const PpsScore&)>& pps);
    std::vector<Visit> visits(std::int64_t patient_id, Instant from, Instant to);
    // A visit and when it was written (its `at` may be hours before: documented after).
    struct WrittenVisit {
        Visit visit;
        Instant recorded_at{};
    };
    // As visits(), each with when it was written.
    std::vector<WrittenVisit> written_visits(std::int64_t patient_id, Instant from, Instant to);
    std::vector<ComfortGoal> goals(std::int64_t patient_id);
    void add_goal(const ComfortGoal& g, std::int64_t author_id, Instant now);

  private:
    Database& db_;
    std::unique_ptr<Statement> insert_score_; // reused: imports add many rows
};

} // namespace solace::store
