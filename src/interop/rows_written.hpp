#pragma once
// What one import has written so far, so that a row is looked up in the database only when it
// could already be there. A patient with no rows in a table before the import can only meet,
// in that table, a row this import wrote; those rows are kept as a Bloom filter of their keys
// (8 MiB in cache-line blocks, allocated on first use; about 2 false hits in 10,000 at two
// million keys, and a hit only costs the lookup it would have made anyway).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/csv_rows.hpp"

namespace solace::interop {

class RowsWritten {
  public:
    explicit RowsWritten(store::CsvRows& present) : present_(present) {}

    // Whether a row of the patient's with this key (its UUID, or its values) may be in `table`:
    // false only when the patient had no rows there before the import and this import wrote
    // no such row.
    bool may_exist(const char* table, std::int64_t patient_id, std::string_view key);
    // A row just written, known by its UUID (may be empty) and its values.
    void wrote(const char* table, std::int64_t patient_id, std::string_view uuid,
               std::string_view values);

  private:
    // Whether `patient_id` had no rows in `table` when the import began (asked once).
    bool new_to(const char* table, std::int64_t patient_id);
    bool may_hold(const char* table, std::string_view key) const;
    void add(const char* table, std::string_view key);
    std::uint64_t hash(const char* table, std::string_view key) const;
    store::CsvRows& present_;
    std::map<std::pair<std::string, std::int64_t>, bool> new_to_;
    struct Answer {
        std::string table;
        std::int64_t patient_id = 0;
        bool fresh = false;
    };
    std::optional<Answer> last_;
    std::vector<std::uint64_t> bits_;
};

} // namespace solace::interop
