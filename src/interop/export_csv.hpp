#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "app/session.hpp"

namespace solace::interop {

// Writes patients.csv, observations.csv, medications.csv and administrations.csv into `dir`
// in the import format, and corrections.csv: each corrected score's old and new value, who,
// when and why (current values; times with the patient's offset), for every patient
// the account may read, or only `mrn`. Importing them into a new database reproduces the data.
// Returns the number of data rows written.
std::size_t export_csv(const app::Session& s, const std::filesystem::path& dir,
                       const std::optional<std::string>& mrn = std::nullopt);

} // namespace solace::interop
