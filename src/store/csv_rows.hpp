#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/medication.hpp"
#include "domain/score.hpp"
#include "store/database.hpp"

namespace solace::store {

// Rows as a CSV export writes them (DESIGN §5) and what an import asks before it writes one:
// every row, corrections and what they replaced alike, each with its UUID, so that exporting
// then importing into a new database reproduces it row for row.

// A score, a PPS or a bowel movement (item "bowel_movement", value the Bristol type 1..7).
struct ObservationRow {
    std::string item; // a symptom code, "pps" or "bowel_movement"
    int value = 0;
    Reporter reporter = Reporter::patient;
    Instant observed_at{};
    std::string note;
    std::string uuid;
    std::string replaces; // the UUID of the row this one corrects, or empty
    std::string reason;   // why, for a correction
    std::string visit;    // the UUID of its visit, or empty
};

// A visit: its time and note; its scores, PPS and bowel movements name it by UUID.
struct VisitRow {
    Instant at{};
    std::string note;
    std::string uuid;
};

struct AdministrationRow {
    std::string med_key;
    Instant given_at{};
    DoseStatus status = DoseStatus::given;
    std::string reason; // why held or refused
    std::string recorded_by;
    std::string uuid;
    std::string replaces;
    std::string correction_reason;
};

// A dose record marked entered in error: the mark's own id and reason, and the dose it voids.
struct DoseVoidRow {
    std::string med_key;
    Instant given_at{}; // of the dose it voids
    std::string reason;
    std::string author; // the nurse who marked it
    std::string uuid;
    std::string voids; // the UUID of the dose
};

class CsvRows {
  public:
    explicit CsvRows(Database& db) : db_(db) {}

    void for_each_visit(std::int64_t patient_id, const std::function<void(const VisitRow&)>& row);
    // In the order they were written, so that a correction comes after what it replaces.
    void for_each_observation(std::int64_t patient_id,
                              const std::function<void(const ObservationRow&)>& row);
    void for_each_administration(std::int64_t patient_id,
                                 const std::function<void(const AdministrationRow&)>& row);
    // The doses marked entered in error, in the order they were marked.
    void for_each_void(std::int64_t patient_id, const std::function<void(const DoseVoidRow&)>& row);
    // Whether the dose record `administration_id` is marked entered in error.
    bool is_voided(std::int64_t administration_id);
    // Every version as written (its own end, not the one a later version gives it), by key
    // then start: a later version of a key follows the one it ends.
    std::vector<Medication> medication_versions(std::int64_t patient_id);
    // The version of `key` no later version replaced (its id and start), if the key exists.
    std::optional<Medication> current_version(std::int64_t patient_id, std::string_view key);
    // Every goal set, oldest first.
    std::vector<ComfortGoal> goals(std::int64_t patient_id);

    // The local id of the row with this UUID in `table` (visit, observation, bowel_movement,
    // administration, administration_void, medication, comfort_goal, patient), if there is one.
    std::optional<std::int64_t> id_of(std::string_view table, std::string_view uuid);
    // The patient's row with these values, if any (a correction: one that corrects
    // `replaces`); a row without a UUID is known by its values.
    std::optional<std::int64_t> find_observation(std::int64_t patient_id, const ObservationRow& r,
                                                 std::optional<std::int64_t> replaces);
    std::optional<std::int64_t> find_administration(std::int64_t patient_id,
                                                    const AdministrationRow& r,
                                                    std::optional<std::int64_t> replaces);
    bool has_goal(std::int64_t patient_id, const ComfortGoal& g);
    std::optional<std::int64_t> find_visit(std::int64_t patient_id, const VisitRow& v);
    // The patient whose visit this is, if the visit exists.
    std::optional<std::int64_t> visit_patient(std::int64_t visit_id);
    // Whether the patient has any row in `table` (visit, observation, bowel_movement,
    // administration).
    bool patient_has_rows(std::string_view table, std::int64_t patient_id);
    // Whether a row of `table` was already corrected (a correction supersedes it).
    bool is_corrected(std::string_view table, std::int64_t id);
    // The row's patient, reason (why held or refused) and status, for an administration.
    struct Corrected {
        std::int64_t patient_id = 0;
        std::string item; // observations: its item; administrations: its status
        std::string reason;
    };
    std::optional<Corrected> corrected_row(std::string_view table, std::int64_t id);

  private:
    Database& db_;
};

} // namespace solace::store
