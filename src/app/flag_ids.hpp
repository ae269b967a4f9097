#pragma once
#include <cstdint>
#include <map>
#include <vector>

#include "domain/flag.hpp"
#include "store/database.hpp"

namespace solace::app {

// An acknowledgement stays attached when the score it was about is corrected (DESIGN §3): a
// symptom flag is named after the first score of its correction chain ("…/s<first id>").

// Each corrected score's id, mapped to the id of the first score of its chain.
std::map<std::int64_t, std::int64_t> correction_origins(store::Database& db,
                                                        std::int64_t patient_id);
// The flag's id with its score named by the chain's first id.
std::string stable_flag_id(const Flag& f, const std::map<std::int64_t, std::int64_t>& origins);
void use_stable_flag_ids(std::vector<Flag>& flags,
                         const std::map<std::int64_t, std::int64_t>& origins);

} // namespace solace::app
