#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "clinical/rules.hpp"
#include "domain/flag.hpp"
#include "store/database.hpp"
#include "store/flag_repository.hpp"

namespace solace::app {

// The rules name a flag's subject by local row id ("symptom.severe/P001/s42"). Solace shows
// and stores it named by the row's UUID instead ("…/s<uuid>"), so that an acknowledgement
// made on one laptop attaches to the same flag on every laptop (DESIGN §7), and a symptom flag
// is named after the first score of its correction chain, so that its acknowledgement stays
// when the score is corrected (DESIGN §3).

// The first score of a corrected score's chain.
struct ScoreOrigin {
    std::int64_t id = 0;
    std::string uuid;
};
// Each corrected score's id, mapped to the first score of its chain.
std::map<std::int64_t, ScoreOrigin> correction_origins(store::Database& db,
                                                       std::int64_t patient_id);

// Renames the flags' subjects by UUID, finding the rows in the record the rules judged. An id
// whose row is not in the record stays as it is.
void use_travelling_flag_ids(std::vector<Flag>& flags, const clinical::PatientRecord& r,
                             const std::map<std::int64_t, ScoreOrigin>& origins);
// Acknowledgements made before flags were named by UUID carry local ids: renamed the same way.
using Acknowledgements = std::map<std::string, store::Acknowledgement, std::less<>>;
Acknowledgements travelling_acknowledgements(const Acknowledgements& acks,
                                             const clinical::PatientRecord& r,
                                             const std::map<std::int64_t, ScoreOrigin>& origins);

} // namespace solace::app
