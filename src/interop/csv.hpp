#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace solace::interop {

struct CsvRow {
    int line = 0; // the file line the row starts on, 1-based (the header is line 1)
    std::vector<std::string> fields;
};

// RFC 4180: quoted fields with commas, doubled quotes and line breaks; CRLF or LF; a UTF-8
// BOM is skipped. Throws ValidationError naming the line for an unterminated quote.
std::vector<CsvRow> parse_csv(std::string_view text);

// Calls `row` for each record without keeping the whole file's rows in memory.
template <class F> void for_each_csv_row(std::string_view text, F&& row);

std::string csv_field(std::string_view value);                // quoted when it needs to be
std::string csv_line(const std::vector<std::string>& fields); // ends with "\r\n"

// ---- implementation of the streaming reader ----
namespace detail {
// Reads one record at `pos`; returns false at end of input.
bool next_csv_row(std::string_view text, std::size_t& pos, int& line, CsvRow& out);
} // namespace detail

template <class F> void for_each_csv_row(std::string_view text, F&& row) {
    std::size_t pos = 0;
    int line = 1;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
    CsvRow r;
    while (detail::next_csv_row(text, pos, line, r))
        row(r);
}

} // namespace solace::interop
