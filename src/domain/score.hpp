#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "domain/symptom.hpp"
#include "domain/time.hpp"

namespace solace {

// Characters a note may hold (the schema's CHECK on every note column).
inline constexpr std::size_t max_note_chars = 20000;

// One ESAS-r score. Rows are never changed: a correction is a new Score whose
// `supersedes` names the one it replaces.
struct Score {
    std::int64_t id = 0;
    std::int64_t patient_id = 0;
    std::optional<std::int64_t> visit_id;
    Symptom symptom = Symptom::pain;
    int value = 0; // 0..10, 10 = worst possible
    Reporter reporter = Reporter::patient;
    Instant observed_at{};
    std::string note;
    std::int64_t author_id = 0;
    std::string author; // account name
    Instant recorded_at{};
    std::optional<std::int64_t> supersedes;
    std::string correction_reason;
    std::string uuid{}; // made where it was written (DESIGN §7); empty before it is stored
};

// Palliative Performance Scale: 0..100 in steps of 10.
struct PpsScore {
    std::int64_t id = 0;
    std::int64_t patient_id = 0;
    int value = 0;
    Instant observed_at{};
    std::string author;
    Reporter reporter = Reporter::nurse; // as recorded; imports may give another
    std::string note;
};

struct ComfortGoal {
    std::int64_t patient_id = 0;
    Symptom symptom = Symptom::pain;
    int goal = 0; // 0..10: a score above it is above goal
    Instant set_at{};
    std::string uuid{}; // made where it was written (DESIGN §7); empty before it is stored
};

// The Bristol stool type: 1 (separate hard lumps) to 7 (watery).
inline constexpr int min_bristol_type = 1;
inline constexpr int max_bristol_type = 7;

// A bowel movement and its Bristol stool type; the bowel rules only need when, but the type
// shows constipation or overflow.
struct BowelMovement {
    std::int64_t id = 0;
    std::int64_t patient_id = 0;
    std::optional<std::int64_t> visit_id;
    Instant occurred_at{};
    int bristol_type = 4; // min_bristol_type..max_bristol_type
    Reporter reporter = Reporter::nurse;
    std::string note;
    std::string author;
    Instant recorded_at{};
    std::optional<std::int64_t> supersedes;
    std::string correction_reason;
    bool entered_in_error = false;
    std::string uuid{}; // made where it was written (DESIGN §7); empty before it is stored
};

// A nurse's visit: the scores taken together, a PPS and a note.
struct Visit {
    std::int64_t id = 0;
    std::int64_t patient_id = 0;
    Instant at{};
    std::optional<int> pps;
    std::string note;
    std::string author;
    std::string uuid{}; // made where it was written (DESIGN §7); empty before it is stored
};

} // namespace solace
