#include "interop/csv.hpp"

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::interop {

namespace {
constexpr std::size_t chunk_bytes = 1 << 16;

bool starts_formula(std::string_view cell) {
    return !cell.empty() &&
           std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
}

// The cell without the export's formula mark (escape_formula), if it has one.
std::string_view formula_unescaped(std::string_view cell) {
    if (cell.size() > 1 && cell.front() == '\'' &&
        (starts_formula(cell.substr(1)) ||
         (cell.size() > 2 && cell[1] == '\'' && starts_formula(cell.substr(2)))))
        cell.remove_prefix(1);
    return cell;
}

// Field `n` of `out` becomes `text`, in the string already there when there is one: rows of a
// file have the same fields, so after the first row reading allocates nothing.
void set_field(CsvRow& out, std::size_t n, std::string_view text) {
    if (n < out.fields.size())
        out.fields[n].assign(text);
    else
        out.fields.emplace_back(text);
}
} // namespace

CsvReader::CsvReader(std::string_view text) : cur_(text.data()), end_(text.data() + text.size()) {
    skip_bom();
}

CsvReader::CsvReader(std::istream& in) : in_(&in), chunk_(chunk_bytes) {
    skip_bom();
}

bool CsvReader::fill() {
    if (!in_) return false;
    in_->read(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
    const auto got = static_cast<std::size_t>(in_->gcount());
    if (in_->bad())
        throw ValidationError(
            fmt::format("line {}: the file could not be read to its end.", line_));
    cur_ = chunk_.data();
    end_ = cur_ + got;
    return got > 0;
}

void CsvReader::skip_bom() {
    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (peek() < 0) return;
    if (end_ - cur_ >= 2 &&
        (std::string_view(cur_, 2) == "\xFF\xFE" || std::string_view(cur_, 2) == "\xFE\xFF"))
        throw ValidationError("line 1: the file is UTF-16 text; Solace reads UTF-8. Save it "
                              "again as \"CSV UTF-8\" and import that.");
    // The three bytes may straddle a chunk boundary only in a stream shorter than a chunk.
    if (static_cast<std::size_t>(end_ - cur_) >= bom.size() &&
        std::string_view(cur_, bom.size()) == bom)
        cur_ += bom.size();
}

bool CsvReader::next(CsvRow& out) {
    // Skip blank lines between records.
    for (int c = peek(); c == '\n' || c == '\r'; c = peek()) {
        if (c == '\n') ++line_;
        ++cur_;
    }
    if (peek() < 0) return false;
    out.line = line_;
    std::size_t n = 0; // fields read
    std::string field;
    bool quoted = false, was_quoted = false;
    std::size_t bytes = 0;
    for (int c = peek(); c >= 0; c = peek()) {
        ++cur_;
        if (++bytes > max_csv_record_bytes)
            throw ValidationError(
                fmt::format("line {}: the record is longer than {} MiB; a quote is probably never "
                            "closed. Add the missing '\"'.",
                            out.line, max_csv_record_bytes >> 20));
        if (quoted) {
            if (c == '"') {
                if (peek() == '"') {
                    field += '"';
                    ++cur_;
                } else {
                    quoted = false;
                }
                continue;
            }
            if (c == '\n') ++line_;
            field += static_cast<char>(c);
            continue;
        }
        if (c == '"' && field.empty() && !was_quoted) {
            quoted = was_quoted = true;
            continue;
        }
        // RFC 4180, strictly: "1"0 is not read as 10, nor 1"0 as a field with a quote in it.
        if (c == '"')
            throw ValidationError(fmt::format("line {}: a '\"' inside a field that is not quoted; "
                                              "put the whole field in quotes and double the '\"'.",
                                              line_));
        if (was_quoted && c != ',' && c != '\r' && c != '\n')
            throw ValidationError(fmt::format("line {}: text after the closing quote of a field; "
                                              "put the whole field in quotes.",
                                              line_));
        if (c == ',') {
            set_field(out, n++, formula_unescaped(field));
            field.clear();
            was_quoted = false;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && peek() == '\n') ++cur_;
            ++line_;
            set_field(out, n++, formula_unescaped(field));
            out.fields.resize(n);
            return true;
        }
        field += static_cast<char>(c);
    }
    if (quoted)
        throw ValidationError(fmt::format(
            "line {}: a quoted field is never closed; add the missing '\"'.", out.line));
    set_field(out, n++, formula_unescaped(field));
    out.fields.resize(n);
    return true;
}

std::vector<CsvRow> parse_csv(std::string_view text) {
    std::vector<CsvRow> rows;
    CsvReader reader(text);
    for (CsvRow r; reader.next(r);)
        rows.push_back(r);
    return rows;
}

std::string escape_formula(std::string_view cell) {
    if (starts_formula(cell) ||
        (cell.size() > 1 && cell.front() == '\'' && starts_formula(cell.substr(1)))) {
        std::string out(cell.size() + 1, '\'');
        cell.copy(out.data() + 1, cell.size()); // not "'" + string: GCC 12's false -Wrestrict
        return out;
    }
    return std::string(cell);
}

std::string unescape_formula(std::string_view cell) {
    return std::string(formula_unescaped(cell));
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
