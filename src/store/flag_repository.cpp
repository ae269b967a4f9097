#include "store/flag_repository.hpp"

#include <utility>

namespace solace::store {

bool FlagRepository::acknowledge(std::string_view flag_id, std::int64_t patient_id,
                                 std::int64_t author_id, Instant at, std::string_view note) {
    // One acknowledgement per flag from this laptop; another device's may arrive by sync.
    Statement seen(db_, "SELECT 1 FROM flag_acknowledgement WHERE flag_id = ?");
    seen.bind(1, flag_id);
    if (seen.step()) return false;
    Statement s(db_, "INSERT INTO flag_acknowledgement (flag_id, patient_id, acknowledged_at, "
                     "author_id, note, uuid, device, counter) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, flag_id).bind(2, patient_id).bind(3, to_epoch(at)).bind(4, author_id).bind(5, note);
    bind_identity(s, 6, db_, {}).run();
    return true;
}

std::map<std::string, Acknowledgement, std::less<>>
FlagRepository::acknowledgements(std::int64_t patient_id) {
    Statement s(db_, "SELECT f.flag_id, a.name, f.acknowledged_at, f.note FROM "
                     "flag_acknowledgement f JOIN account a ON a.id = f.author_id WHERE "
                     "f.patient_id = ? ORDER BY f.acknowledged_at DESC, f.id DESC");
    s.bind(1, patient_id);
    std::map<std::string, Acknowledgement, std::less<>> out;
    while (s.step())
        out[s.text(0)] = {s.text(1), from_epoch(s.int64(2)), s.text(3)};
    return out;
}

Thresholds FlagRepository::thresholds() {
    Thresholds t;
    const std::pair<const char*, int*> fields[] = {
        {"severe_score", &t.severe_score},
        {"rise_points", &t.rise_points},
        {"rise_lookback_days", &t.rise_lookback_days},
        {"sustained_run", &t.sustained_run},
        {"sustained_window_days", &t.sustained_window_days},
        {"sustained_mean_points", &t.sustained_mean_points},
        {"sustained_min_scores", &t.sustained_min_scores},
        {"critical_window_minutes", &t.critical_window_minutes},
        {"frequent_interval_hours", &t.frequent_interval_hours},
        {"multi_daily_window_minutes", &t.multi_daily_window_minutes},
        {"daily_window_minutes", &t.daily_window_minutes},
        {"breakthrough_doses", &t.breakthrough_doses},
        {"sustained_span_days", &t.sustained_span_days},
        {"bowel_none_hours", &t.bowel_none_hours},
        {"prn_follow_up_from_minutes", &t.prn_follow_up_from_minutes},
        {"prn_follow_up_to_minutes", &t.prn_follow_up_to_minutes},
        {"escalate_after_minutes", &t.escalate_after_minutes},
    };
    Statement s(db_, "SELECT key, value FROM setting");
    while (s.step()) {
        const auto key = s.text(0);
        for (auto& [name, field] : fields)
            if (key == name) *field = s.integer(1);
    }
    return t;
}

} // namespace solace::store
