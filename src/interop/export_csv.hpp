#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "app/session.hpp"

namespace solace::interop {

// Writes patients.csv, observations.csv (scores, PPS, bowel movements), medications.csv
// (every version), administrations.csv and goals.csv into `dir` in the import format, every
// row with its UUID (`id`) and corrections after the rows they replace (`replaces`), for every
// patient the account may read, or only `mrn`: importing them into a new database reproduces
// it row for row. Also corrections.csv, for people: each corrected score's old and new value,
// who, when and why. Times carry the patient's offset. Returns the number of data rows written.
std::size_t export_csv(const app::Session& s, const std::filesystem::path& dir,
                       const std::optional<std::string>& mrn = std::nullopt);

} // namespace solace::interop
