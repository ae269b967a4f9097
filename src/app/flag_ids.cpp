#include "app/flag_ids.hpp"

#include <charconv>
#include <optional>
#include <utility>

namespace solace::app {

std::map<std::int64_t, ScoreOrigin> correction_origins(store::Database& db,
                                                       std::int64_t patient_id) {
    // Up each correction's chain; ids grow along a chain, so the smallest reached is the first.
    store::Statement s(db, "WITH RECURSIVE up(id, prev) AS (SELECT id, supersedes FROM "
                           "observation WHERE patient_id = ? AND supersedes IS NOT NULL UNION "
                           "ALL SELECT up.id, o.supersedes FROM up JOIN observation o ON o.id = "
                           "up.prev WHERE o.supersedes IS NOT NULL), "
                           "first(id, origin) AS (SELECT id, min(prev) FROM up GROUP BY id) "
                           "SELECT f.id, f.origin, o.uuid FROM first f "
                           "JOIN observation o ON o.id = f.origin");
    s.bind(1, patient_id);
    std::map<std::int64_t, ScoreOrigin> out;
    while (s.step())
        out.emplace(s.int64(0), ScoreOrigin{s.int64(1), s.text(2)});
    return out;
}

namespace {

// The subject as the rules name it: a kind letter and a local id, at the end of the flag id
// ("…/s42", "…/a7", "…/b3", or "…/m5@1767225600" for a scheduled dose).
struct LocalSubject {
    char kind = 0;
    std::int64_t id = 0;
    std::size_t digits_at = 0, digits_end = 0;
};

std::optional<LocalSubject> local_subject(std::string_view flag_id) {
    const auto slash = flag_id.rfind('/');
    if (slash == std::string_view::npos || slash + 2 >= flag_id.size()) return std::nullopt;
    const char kind = flag_id[slash + 1];
    if (kind != 's' && kind != 'a' && kind != 'b' && kind != 'm') return std::nullopt;
    LocalSubject out{kind, 0, slash + 2, slash + 2};
    const char* first = flag_id.data() + out.digits_at;
    const char* last = flag_id.data() + flag_id.size();
    const auto [end, ec] = std::from_chars(first, last, out.id);
    if (ec != std::errc{} || end == first || (end != last && *end != '@')) return std::nullopt;
    out.digits_end = static_cast<std::size_t>(end - flag_id.data());
    return out;
}

// Renames every id in place; one pass over the record whatever the number of ids.
void rename(const std::vector<std::string*>& ids, const clinical::PatientRecord& r,
            const std::map<std::int64_t, ScoreOrigin>& origins) {
    std::map<std::pair<char, std::int64_t>, std::string> uuid_of;
    for (const auto* id : ids)
        if (const auto sub = local_subject(*id)) uuid_of[{sub->kind, sub->id}];
    if (uuid_of.empty()) return;
    const auto found = [&](char kind, std::int64_t id, const std::string& uuid) {
        if (const auto it = uuid_of.find({kind, id}); it != uuid_of.end()) it->second = uuid;
    };
    for (const auto& sc : r.scores) {
        if (const auto o = origins.find(sc.id); o != origins.end()) {
            found('s', sc.id, o->second.uuid);
            found('s', o->second.id, o->second.uuid);
        } else {
            found('s', sc.id, sc.uuid);
        }
    }
    for (const auto& a : r.administrations)
        found('a', a.id, a.uuid);
    for (const auto& b : r.bowel_movements)
        found('b', b.id, b.uuid);
    for (const auto& m : r.medications)
        found('m', m.id, m.uuid);
    for (auto* id : ids) {
        const auto sub = local_subject(*id);
        if (!sub) continue;
        const auto& uuid = uuid_of[{sub->kind, sub->id}];
        if (!uuid.empty()) id->replace(sub->digits_at, sub->digits_end - sub->digits_at, uuid);
    }
}

} // namespace

void use_travelling_flag_ids(std::vector<Flag>& flags, const clinical::PatientRecord& r,
                             const std::map<std::int64_t, ScoreOrigin>& origins) {
    std::vector<std::string*> ids;
    for (auto& f : flags)
        ids.push_back(&f.id);
    rename(ids, r, origins);
}

Acknowledgements travelling_acknowledgements(const Acknowledgements& acks,
                                             const clinical::PatientRecord& r,
                                             const std::map<std::int64_t, ScoreOrigin>& origins) {
    std::vector<std::pair<std::string, const store::Acknowledgement*>> named;
    for (const auto& [id, ack] : acks)
        named.emplace_back(id, &ack);
    std::vector<std::string*> ids;
    for (auto& n : named)
        ids.push_back(&n.first);
    rename(ids, r, origins);
    Acknowledgements out;
    // Two acknowledgements of one flag (an old local one and a new one): the earlier stands.
    for (const auto& [id, ack] : named)
        if (auto [it, added] = out.emplace(id, *ack); !added && ack->at < it->second.at)
            it->second = *ack;
    return out;
}

} // namespace solace::app
