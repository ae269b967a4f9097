#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace solace::store {

// The rule of which row is in force, for the tables with corrections (observation,
// administration, bowel_movement, medication), as SQL conditions on the row `alias`. Two
// laptops offline may each correct one row: both corrections are kept, and the one recorded
// later (recorded_at, ties by uuid) is in force; history shows both (DESIGN §4, §7).

// Another correction of the row this one corrects was recorded after it.
inline std::string outranked(std::string_view table, std::string_view alias) {
    return fmt::format(
        " ({1}.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM {0} outranked_s "
        "WHERE outranked_s.supersedes = {1}.supersedes AND "
        "(outranked_s.recorded_at > {1}.recorded_at OR (outranked_s.recorded_at = "
        "{1}.recorded_at AND coalesce(outranked_s.uuid, '') > coalesce({1}.uuid, ''))))) ",
        table, alias);
}

// Nothing supersedes the row and no other correction of the row it corrects outranks it.
inline std::string in_force(std::string_view table, std::string_view alias) {
    return fmt::format(" (NOT EXISTS (SELECT 1 FROM {0} in_force_c WHERE in_force_c.supersedes = "
                       "{1}.id) AND NOT{2}) ",
                       table, alias, outranked(table, alias));
}

// The opposite: the row was corrected, or another correction of the same row is in force.
inline std::string replaced(std::string_view table, std::string_view alias) {
    return " NOT" + in_force(table, alias);
}

} // namespace solace::store
