#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/medication.hpp"
#include "store/database.hpp"

namespace solace::store {

// Medications and their administrations. A change is a new version that supersedes the old
// from its own start on; the old version's effective end is then the new one's start.
class MedicationRepository {
  public:
    explicit MedicationRepository(Database& db);
    ~MedicationRepository();

    std::int64_t add(const Medication& m, std::int64_t author_id, Instant now,
                     std::optional<std::int64_t> supersedes = std::nullopt,
                     std::string_view change_reason = {});
    // Every version in effect at some time, with effective ends, by key then start.
    std::vector<Medication> list(std::int64_t patient_id);
    // The version of `key` in effect at `at` (or the nearest one), if the key exists.
    std::optional<Medication> find(std::int64_t patient_id, std::string_view key, Instant at);
    bool key_exists(std::int64_t patient_id, std::string_view key);

    std::int64_t add_administration(const Administration& a, std::int64_t author_id, Instant now);
    // Current records (corrections applied) given in [from, to], oldest first.
    std::vector<Administration> administrations(std::int64_t patient_id, Instant from, Instant to);
    // As administrations(), one row at a time: memory holds one row, however long the history.
    void for_each_administration(std::int64_t patient_id, Instant from, Instant to,
                                 const std::function<void(const Administration&)>& row);
    // The medication versions with a current dose record in [from, to].
    std::set<std::int64_t> medications_given(std::int64_t patient_id, Instant from, Instant to);

    // A dose record by its uuid, and whether a correction or a void has replaced it.
    struct DoseRecord {
        Administration record;
        std::string med_key;
        bool superseded = false;
        bool voided = false;
    };
    std::optional<DoseRecord> administration(std::string_view uuid);
    // Marks a record entered in error: it stays, and counts for nothing from then on.
    std::int64_t void_administration(std::int64_t administration_id, std::string_view reason,
                                     std::int64_t author_id, Instant now,
                                     std::string_view uuid = {});

    // What a correction or a void changed, for the MAR and the weekly summary.
    struct DoseChange {
        std::string med_key;
        Instant was_given_at{};
        DoseStatus was_status = DoseStatus::given;
        std::optional<Instant> now_given_at; // empty: entered in error
        std::optional<DoseStatus> now_status;
        std::string reason;
        std::string author;
        Instant recorded_at{};
    };
    // Every correction and void of a record given (before or after) in [from, to], by time.
    std::vector<DoseChange> dose_changes(std::int64_t patient_id, Instant from, Instant to);

  private:
    Database& db_;
    std::unique_ptr<Statement> insert_administration_;
};

} // namespace solace::store
