#include "interop/csv.hpp"

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::interop {

namespace detail {

bool next_csv_row(std::string_view text, std::size_t& pos, int& line, CsvRow& out) {
    // Skip blank lines between records.
    while (pos < text.size() && (text[pos] == '\n' || text[pos] == '\r')) {
        if (text[pos] == '\n') ++line;
        ++pos;
    }
    if (pos >= text.size()) return false;
    out.line = line;
    out.fields.clear();
    std::string field;
    bool quoted = false, was_quoted = false;
    const int start_line = line;
    while (pos < text.size()) {
        const char c = text[pos];
        if (quoted) {
            if (c == '"') {
                if (pos + 1 < text.size() && text[pos + 1] == '"') {
                    field += '"';
                    pos += 2;
                    continue;
                }
                quoted = false;
                ++pos;
                continue;
            }
            if (c == '\n') ++line;
            field += c;
            ++pos;
            continue;
        }
        if (c == '"' && field.empty() && !was_quoted) {
            quoted = was_quoted = true;
            ++pos;
            continue;
        }
        if (c == ',') {
            out.fields.push_back(std::move(field));
            field.clear();
            was_quoted = false;
            ++pos;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
            ++pos;
            ++line;
            out.fields.push_back(std::move(field));
            return true;
        }
        field += c;
        ++pos;
    }
    if (quoted)
        throw ValidationError(fmt::format(
            "line {}: a quoted field is never closed; add the missing '\"'.", start_line));
    out.fields.push_back(std::move(field));
    return true;
}

} // namespace detail

std::vector<CsvRow> parse_csv(std::string_view text) {
    std::vector<CsvRow> rows;
    for_each_csv_row(text, [&](const CsvRow& r) { rows.push_back(r); });
    return rows;
}

std::string csv_field(std::string_view v) {
    if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += csv_field(fields[i]);
    }
    return out + "\r\n";
}

} // namespace solace::interop
