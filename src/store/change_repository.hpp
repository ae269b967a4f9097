#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace solace::store {

// Which patients gained rows since the last look. Clinical rows are only ever added
// (DESIGN §4: corrections and new versions are new rows), so a row id above the highest one
// seen is a new row. Every table with a patient_id column counts, so a table added later is
// watched too, except those the flags never read.
class ChangeRepository {
  public:
    explicit ChangeRepository(Database& db) : db_(db) {}

    // A value that differs after anything was committed, by this connection or another.
    std::int64_t version();

    struct Marks {
        std::vector<std::pair<std::string, std::int64_t>> highest_id; // by table
        std::string settings; // the whole setting table, as text: any change marks everyone
        bool operator==(const Marks&) const = default;
    };
    Marks marks();
    // The patients with rows in `now` that `before` did not have, each with the earliest
    // clinical time (seconds since the epoch) of its new rows: new scores, doses, bowel
    // movements and visits change no flag more than a day before their own time. `any_time`
    // when a new row may change flags of any age: a correction, an acknowledgement, a
    // medication version, a goal, the patient's details, a table of another kind. nullopt when
    // the change cannot be pinned to patients (settings changed, a table appeared).
    static constexpr std::int64_t any_time = std::numeric_limits<std::int64_t>::min();
    std::optional<std::map<std::int64_t, std::int64_t>> changed(const Marks& before,
                                                                const Marks& now);

  private:
    std::vector<std::string> patient_tables();
    Database& db_;
};

} // namespace solace::store
