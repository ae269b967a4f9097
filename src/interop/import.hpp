#pragma once
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/session.hpp"

namespace solace::interop {

enum class CsvKind { patients, observations, medications, administrations };
std::optional<CsvKind> parse_csv_kind(std::string_view text);
std::string_view code(CsvKind k);

// The header of each file, in DESIGN §5's order.
const std::vector<std::string>& csv_columns(CsvKind k);

// Every bad row of a refused import: nothing from the file was saved.
struct ImportError : std::runtime_error {
    ImportError(std::vector<std::string> problems, std::size_t total);
    std::vector<std::string> problems; // "line 7: score \"11\" is out of range ..."
    std::size_t total = 0;             // problems found, of which at most max_reported are kept
};

inline constexpr std::size_t max_reported_problems = 50;

class CsvReader;

// Imports the CSV in one transaction, all rows or none, as the session's account (roles
// checked per row), reading and writing one row at a time. Returns the rows imported; throws
// ImportError listing bad rows.
std::size_t import_csv(const app::Session& s, CsvKind kind, CsvReader& reader);
std::size_t import_csv(const app::Session& s, CsvKind kind, std::istream& in);
std::size_t import_csv(const app::Session& s, CsvKind kind, std::string_view text);

} // namespace solace::interop
