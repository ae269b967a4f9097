#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "app/paths.hpp"
#include "app/session.hpp"

namespace solace::interop {

// Writes patients.csv, observations.csv (scores, PPS, bowel movements), medications.csv
// (every version), administrations.csv and goals.csv into `dir` in the import format, every
// row with its UUID (`id`) and corrections after the rows they replace (`replaces`), for every
// patient the account may read, or only `mrn`: importing them into a new database reproduces
// it row for row. Also corrections.csv, for people: each corrected score's old and new value,
// who, when and why. Times carry the patient's offset. Returns the number of data rows written.
// The export is in the audit log (who, which patients, where) before the first byte is written;
// the files appear together at the end, private to their owner (app::PrivateFile), and a failed
// export leaves none. Existing files are refused unless `existing` is overwrite. Cells that a
// spreadsheet would run as formulas get a leading ' (escape_formula) unless `raw`.
struct CsvExportOptions {
    app::Existing existing = app::Existing::refuse;
    bool raw = false;
};
std::size_t export_csv(const app::Session& s, const std::filesystem::path& dir,
                       const std::optional<std::string>& mrn = std::nullopt,
                       const CsvExportOptions& options = {});

} // namespace solace::interop
