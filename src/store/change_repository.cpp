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

std::optional<std::set<std::int64_t>> ChangeRepository::changed(const Marks& before,
                                                                const Marks& now) {
    if (before.settings != now.settings || before.highest_id.size() != now.highest_id.size())
        return std::nullopt;
    std::set<std::int64_t> out;
    for (std::size_t i = 0; i < now.highest_id.size(); ++i) {
        const auto& [table, id] = now.highest_id[i];
        if (before.highest_id[i].first != table || id < before.highest_id[i].second)
            return std::nullopt; // not the same file any more
        if (id == before.highest_id[i].second) continue;
        Statement s(db_, fmt::format("SELECT DISTINCT patient_id FROM \"{}\" WHERE rowid > ? AND "
                                     "rowid <= ?",
                                     table));
        s.bind(1, before.highest_id[i].second).bind(2, id);
        while (s.step())
            out.insert(s.int64(0));
    }
    return out;
}

} // namespace solace::store
