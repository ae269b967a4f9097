#include "store/change_repository.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace solace::store {

namespace {
// Tables with a patient_id that the flags never read: the audit log grows with every read,
// drafts are rewritten in place, and who may see whom is checked on every call.
constexpr const char* not_read_by_flags[] = {"audit_log", "draft", "account_patient"};
} // namespace

std::int64_t ChangeRepository::version() {
    Statement s(db_, "PRAGMA data_version");
    s.step();
    // data_version counts other connections' commits; total_changes this connection's rows.
    return s.int64(0) * 1'000'000'007LL + db_.total_changes();
}

std::vector<std::string> ChangeRepository::patient_tables() {
    Statement s(db_, "SELECT m.name FROM sqlite_schema m WHERE m.type = 'table' AND "
                     "m.name NOT LIKE 'sqlite_%' AND EXISTS (SELECT 1 FROM "
                     "pragma_table_info(m.name) c WHERE c.name = 'patient_id') ORDER BY m.name");
    std::vector<std::string> out;
    while (s.step()) {
        auto name = s.text(0);
        if (std::find(std::begin(not_read_by_flags), std::end(not_read_by_flags), name) ==
            std::end(not_read_by_flags))
            out.push_back(std::move(name));
    }
    return out;
}

ChangeRepository::Marks ChangeRepository::marks() {
    Marks m;
    for (auto& table : patient_tables()) {
        Statement s(db_, fmt::format("SELECT coalesce(max(rowid), 0) FROM \"{}\"", table));
        s.step();
        m.highest_id.emplace_back(std::move(table), s.int64(0));
    }
    Statement s(db_, "SELECT key, value FROM setting ORDER BY key");
    while (s.step())
        m.settings += fmt::format("{}={};", s.text(0), s.text(1));
    return m;
}

namespace {
// The tables of clinical rows that are only ever added at their own time, and that time's
// column; a row with `supersedes` set is a correction, which may reach back any distance.
struct TimedTable {
    const char* name;
    const char* at;
    bool corrects;
};
constexpr TimedTable timed_tables[] = {{"observation", "observed_at", true},
                                       {"administration", "given_at", true},
                                       {"bowel_movement", "occurred_at", true},
                                       {"visit", "at", false}};

std::string earliest_query(const std::string& table) {
    for (const auto& t : timed_tables)
        if (table == t.name)
            return fmt::format("SELECT patient_id, min({}), {} FROM \"{}\" WHERE rowid > ? AND "
                               "rowid <= ? GROUP BY patient_id",
                               t.at, t.corrects ? "max(supersedes IS NOT NULL)" : "0", table);
    return fmt::format("SELECT DISTINCT patient_id, 0, 1 FROM \"{}\" WHERE rowid > ? AND "
                       "rowid <= ?",
                       table);
}
} // namespace

std::optional<std::map<std::int64_t, std::int64_t>> ChangeRepository::changed(const Marks& before,
                                                                              const Marks& now) {
    if (before.settings != now.settings || before.highest_id.size() != now.highest_id.size())
        return std::nullopt;
    std::map<std::int64_t, std::int64_t> out;
    for (std::size_t i = 0; i < now.highest_id.size(); ++i) {
        const auto& [table, id] = now.highest_id[i];
        if (before.highest_id[i].first != table || id < before.highest_id[i].second)
            return std::nullopt; // not the same file any more
        if (id == before.highest_id[i].second) continue;
        Statement s(db_, earliest_query(table));
        s.bind(1, before.highest_id[i].second).bind(2, id);
        while (s.step()) {
            const std::int64_t at = s.int64(2) != 0 ? any_time : s.int64(1);
            const auto [it, added] = out.try_emplace(s.int64(0), at);
            if (!added) it->second = std::min(it->second, at);
        }
    }
    return out;
}

} // namespace solace::store
