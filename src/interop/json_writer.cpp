#include "interop/json_writer.hpp"

#include <fmt/format.h>

namespace solace::interop {

void JsonWriter::newline_indent(std::size_t depth) {
    buffer_ += '\n';
    buffer_.append(2 * depth, ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (members_.empty()) return; // the document itself
    if (members_.back()++ > 0) buffer_ += ',';
    newline_indent(members_.size());
}

void JsonWriter::open(char bracket) {
    before_value();
    buffer_ += bracket;
    members_.push_back(0);
}

void JsonWriter::close(char bracket) {
    const bool empty = members_.back() == 0;
    members_.pop_back();
    if (!empty) newline_indent(members_.size());
    buffer_ += bracket;
    spill();
}

JsonWriter& JsonWriter::begin_object() {
    open('{');
    return *this;
}
JsonWriter& JsonWriter::end_object() {
    close('}');
    return *this;
}
JsonWriter& JsonWriter::begin_array() {
    open('[');
    return *this;
}
JsonWriter& JsonWriter::end_array() {
    close(']');
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
    if (members_.back()++ > 0) buffer_ += ',';
    newline_indent(members_.size());
    string(k);
    buffer_ += ": ";
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    before_value();
    string(s);
    spill();
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t n) {
    before_value();
    fmt::format_to(std::back_inserter(buffer_), "{}", n);
    return *this;
}

JsonWriter& JsonWriter::value(double n) {
    before_value();
    // The shortest text that reads back as the same number; "30.0", not "30", as nlohmann.
    const auto text = fmt::format("{}", n);
    buffer_ += text;
    if (text.find_first_of(".en") == std::string::npos) buffer_ += ".0";
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    buffer_ += b ? "true" : "false";
    return *this;
}

void JsonWriter::string(std::string_view s) {
    buffer_ += '"';
    for (const char c : s) {
        switch (c) {
        case '"':
            buffer_ += "\\\"";
            break;
        case '\\':
            buffer_ += "\\\\";
            break;
        case '\b':
            buffer_ += "\\b";
            break;
        case '\f':
            buffer_ += "\\f";
            break;
        case '\n':
            buffer_ += "\\n";
            break;
        case '\r':
            buffer_ += "\\r";
            break;
        case '\t':
            buffer_ += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                fmt::format_to(std::back_inserter(buffer_), "\\u{:04x}",
                               static_cast<unsigned>(static_cast<unsigned char>(c)));
            else
                buffer_ += c;
        }
    }
    buffer_ += '"';
}

void JsonWriter::flush() {
    if (buffer_.empty()) return;
    sink_(buffer_);
    buffer_.clear();
}

} // namespace solace::interop
