#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace solace::interop {

// JSON written as it is made, laid out as nlohmann::json::dump(2) lays it out (two-space
// indent, "key": value, empty containers as {} and []), so a document of any size needs no
// tree in memory. Bytes collect in a small buffer handed to `sink` as it fills and on flush().
// The caller keeps the calls well nested (a key before each object member, none in arrays).
class JsonWriter {
  public:
    explicit JsonWriter(std::function<void(std::string_view)> sink) : sink_(std::move(sink)) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(std::int64_t n);
    JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
    JsonWriter& value(std::size_t n) { return value(static_cast<std::int64_t>(n)); }
    JsonWriter& value(double n);
    JsonWriter& value(bool b);
    // Shorthand for key(k).value(v).
    template <class T> JsonWriter& field(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }
    void flush();

  private:
    void before_value();
    void open(char bracket);
    void close(char bracket);
    void newline_indent(std::size_t depth);
    void string(std::string_view s);
    void spill() {
        if (buffer_.size() >= 1 << 16) flush();
    }

    std::function<void(std::string_view)> sink_;
    std::string buffer_;
    std::vector<std::size_t> members_; // per open container: members written so far
    bool after_key_ = false;
};

} // namespace solace::interop
