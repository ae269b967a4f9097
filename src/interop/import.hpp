#pragma once
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/session.hpp"

namespace solace::interop {

// Visits are Solace's own file (not in DESIGN §5's list): a visit's time and note, which its
// observations name in their optional `visit` column.
enum class CsvKind { patients, visits, observations, medications, administrations, goals };
std::optional<CsvKind> parse_csv_kind(std::string_view text);
std::string_view code(CsvKind k);

// The columns each file must have, in DESIGN §5's order.
const std::vector<std::string>& csv_columns(CsvKind k);
// Those and the optional ones an export writes after them: `id` (the row's UUID) on every
// file, `replaces` on observations and administrations, `reason` on observations (an
// administration has its own: a correction's reason there) and `visit` on observations.
const std::vector<std::string>& export_columns(CsvKind k);

// Every bad row of a refused import: nothing from the file was saved.
struct ImportError : std::runtime_error {
    ImportError(std::vector<std::string> problems, std::size_t total);
    std::vector<std::string> problems; // "line 7: score \"11\" is out of range ..."
    std::size_t total = 0;             // problems found, of which at most max_reported are kept
};

inline constexpr std::size_t max_reported_problems = 50;

class CsvReader;

struct ImportCounts {
    std::size_t imported = 0;
    std::size_t skipped = 0; // already present (same id, or the same values): never stored twice
    // Observations whose `visit` is not in the database (visits.csv not imported first):
    // stored on their own, as without the column.
    std::size_t without_visit = 0;
};

// Imports the CSV in one transaction, all rows or none, as the session's account (roles
// checked per row), reading and writing one row at a time. A row already present is skipped
// and counted. Throws ImportError listing bad rows.
ImportCounts import_rows(const app::Session& s, CsvKind kind, CsvReader& reader);
ImportCounts import_rows(const app::Session& s, CsvKind kind, std::istream& in);
// As import_rows; returns the rows imported.
std::size_t import_csv(const app::Session& s, CsvKind kind, CsvReader& reader);
std::size_t import_csv(const app::Session& s, CsvKind kind, std::istream& in);
std::size_t import_csv(const app::Session& s, CsvKind kind, std::string_view text);

} // namespace solace::interop
