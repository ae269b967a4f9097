#pragma once
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace solace::interop {

struct CsvRow {
    int line = 0; // the file line the row starts on, 1-based (the header is line 1)
    std::vector<std::string> fields;
};

// A record longer than this is refused: it is almost always a quote never closed, and the
// longest field Solace keeps (a note) is far shorter. Bounds the memory one record takes.
inline constexpr std::size_t max_csv_record_bytes = 1 << 20;

// RFC 4180, one record at a time: quoted fields with commas, doubled quotes and line breaks;
// CRLF or LF; a UTF-8 BOM is skipped. Reads a stream in fixed chunks, so memory does not grow
// with the file. Throws ValidationError naming the line for an unterminated quote or a record
// over max_csv_record_bytes.
class CsvReader {
  public:
    explicit CsvReader(std::string_view text); // text must outlive the reader
    explicit CsvReader(std::istream& in);      // so must the stream
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    // The next record into `out`; false at the end of the input.
    bool next(CsvRow& out);

  private:
    bool fill(); // false at the end of the input
    int peek() { return cur_ < end_ || fill() ? static_cast<unsigned char>(*cur_) : -1; }
    void skip_bom();

    const char* cur_ = nullptr;
    const char* end_ = nullptr;
    std::istream* in_ = nullptr;
    std::vector<char> chunk_;
    int line_ = 1;
};

// Every record of `text` (tests and small inputs; the importer reads with CsvReader).
std::vector<CsvRow> parse_csv(std::string_view text);

// A spreadsheet runs a cell that starts with = + - @ tab or CR as a formula (=HYPERLINK(...),
// +cmd|...): the export puts a ' before such a cell (and before a ' that would otherwise be
// read as this mark), as OWASP advises; the reader takes it off again.
std::string escape_formula(std::string_view cell);
std::string unescape_formula(std::string_view cell);

std::string csv_field(std::string_view value);                // quoted when it needs to be
std::string csv_line(const std::vector<std::string>& fields); // ends with "\r\n"

} // namespace solace::interop
