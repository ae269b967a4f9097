#include "store/draft_repository.hpp"

namespace solace::store {

void DraftRepository::put(std::int64_t account_id, std::int64_t patient_id, std::string_view kind,
                          std::string_view payload, Instant at) {
    Statement s(db_, "INSERT INTO draft (account_id, patient_id, kind, payload, updated_at) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, patient_id, kind) "
                     "DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at");
    s.bind(1, account_id).bind(2, patient_id).bind(3, kind).bind(4, payload).bind(5, to_epoch(at));
    s.run();
}

std::optional<Draft> DraftRepository::find(std::int64_t account_id, std::int64_t patient_id,
                                           std::string_view kind) {
    Statement s(db_, "SELECT payload, updated_at FROM draft WHERE account_id = ? AND "
                     "patient_id = ? AND kind = ?");
    s.bind(1, account_id).bind(2, patient_id).bind(3, kind);
    if (!s.step()) return std::nullopt;
    return Draft{s.text(0), from_epoch(s.int64(1))};
}

void DraftRepository::remove(std::int64_t account_id, std::int64_t patient_id,
                             std::string_view kind) {
    Statement s(db_, "DELETE FROM draft WHERE account_id = ? AND patient_id = ? AND kind = ?");
    s.bind(1, account_id).bind(2, patient_id).bind(3, kind);
    s.run();
}

std::map<std::string, std::string, std::less<>>
DraftRepository::preferences(std::int64_t account_id) {
    Statement s(db_, "SELECT key, value FROM account_preference WHERE account_id = ?");
    s.bind(1, account_id);
    std::map<std::string, std::string, std::less<>> out;
    while (s.step())
        out[s.text(0)] = s.text(1);
    return out;
}

void DraftRepository::set_preference(std::int64_t account_id, std::string_view key,
                                     std::string_view value) {
    Statement s(db_, "INSERT INTO account_preference (account_id, key, value) VALUES (?, ?, ?) "
                     "ON CONFLICT (account_id, key) DO UPDATE SET value = excluded.value");
    s.bind(1, account_id).bind(2, key).bind(3, value);
    s.run();
}

} // namespace solace::store
