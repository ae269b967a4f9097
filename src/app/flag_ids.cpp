#include "app/flag_ids.hpp"

#include <string>

namespace solace::app {

std::map<std::int64_t, std::int64_t> correction_origins(store::Database& db,
                                                        std::int64_t patient_id) {
    // Up each correction's chain; ids grow along a chain, so the smallest reached is the first.
    store::Statement s(db, "WITH RECURSIVE up(id, prev) AS (SELECT id, supersedes FROM "
                           "observation WHERE patient_id = ? AND supersedes IS NOT NULL UNION "
                           "ALL SELECT up.id, o.supersedes FROM up JOIN observation o ON o.id = "
                           "up.prev WHERE o.supersedes IS NOT NULL) "
                           "SELECT id, min(prev) FROM up GROUP BY id");
    s.bind(1, patient_id);
    std::map<std::int64_t, std::int64_t> out;
    while (s.step())
        out.emplace(s.int64(0), s.int64(1));
    return out;
}

std::string stable_flag_id(const Flag& f, const std::map<std::int64_t, std::int64_t>& origins) {
    const auto slash = f.id.rfind("/s");
    if (slash == std::string::npos || slash + 2 >= f.id.size()) return f.id;
    std::int64_t id = 0;
    for (std::size_t i = slash + 2; i < f.id.size(); ++i) {
        if (f.id[i] < '0' || f.id[i] > '9') return f.id;
        id = id * 10 + (f.id[i] - '0');
    }
    const auto it = origins.find(id);
    if (it == origins.end()) return f.id;
    return f.id.substr(0, slash + 2) + std::to_string(it->second);
}

void use_stable_flag_ids(std::vector<Flag>& flags,
                         const std::map<std::int64_t, std::int64_t>& origins) {
    if (origins.empty()) return;
    for (auto& f : flags)
        f.id = stable_flag_id(f, origins);
}

} // namespace solace::app
