#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/symptom.hpp"
#include "domain/time.hpp"

namespace solace {

// `08:00,20:00`, `daily`, `bid`, `tid`, `qid`: local clock times every day.
struct ClockSchedule {
    std::vector<std::chrono::minutes> times; // since local midnight, sorted, unique
};

// `q4h@06:00`: every N hours of elapsed time from the anchor on the start day.
struct IntervalSchedule {
    std::chrono::hours every{4}; // 1..24
    std::chrono::minutes anchor{0};
};

// `prn q30m max 6`: as needed, at least `min_interval` apart, at most `max_per_24h`.
struct PrnSchedule {
    std::chrono::minutes min_interval{0};
    std::optional<int> max_per_24h;
};

using Schedule = std::variant<ClockSchedule, IntervalSchedule, PrnSchedule>;

inline bool is_prn(const Schedule& s) {
    return std::holds_alternative<PrnSchedule>(s);
}

struct Medication {
    std::int64_t id = 0;
    std::int64_t patient_id = 0;
    std::string key; // short, unique per patient: "morphine-sr"
    std::string name;
    std::string dose;
    std::string route;
    std::string schedule_text;
    Schedule schedule;
    bool time_critical = false;
    std::string indication; // "pain" makes PRN doses count as breakthrough
    Instant start{};
    std::optional<Instant> end; // inclusive
    std::string uuid{};         // made where it was written (DESIGN §7); empty before it is stored
};

enum class DoseStatus { given, held, refused };
std::string_view code(DoseStatus s);
std::optional<DoseStatus> parse_dose_status(std::string_view text);

// A recorded administration (or a held/refused dose, with its reason).
struct Administration {
    std::int64_t id = 0;
    std::int64_t patient_id = 0;
    std::int64_t medication_id = 0;
    Instant given_at{};
    DoseStatus status = DoseStatus::given;
    std::string reason;                  // required when held or refused
    std::string recorded_by;             // who gave it, as written
    Reporter reporter = Reporter::nurse; // caregiver when a family member recorded it
    std::string author;                  // the account that wrote the row
    std::optional<std::int64_t> supersedes;
    std::string correction_reason;
    std::string uuid{}; // made where it was written (DESIGN §7); empty before it is stored
};

// One scheduled dose of a medication, with its window either side.
struct ScheduledDose {
    std::int64_t medication_id = 0;
    Instant due{};
    std::chrono::minutes window{60};
};

// True when the name holds a known opioid (DESIGN §5: default time-critical when scheduled).
bool names_opioid(std::string_view medication_name);
// A known opioid other than codeine and tramadol (DESIGN §3: these need a laxative beside them).
bool names_strong_opioid(std::string_view medication_name);
// A laxative of DESIGN §3's list (senna, docusate, macrogol, ...).
bool names_laxative(std::string_view medication_name);

} // namespace solace
