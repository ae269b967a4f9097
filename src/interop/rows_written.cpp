#include "interop/rows_written.hpp"

#include <functional>

namespace solace::interop {

namespace {
constexpr std::size_t filter_bits = std::size_t{1} << 26; // 8 MiB
constexpr int probes = 4;

// The `i`-th bit of a key, by double hashing one 64-bit hash.
std::size_t bit(std::uint64_t h, int i) {
    const std::uint64_t lo = h & 0xffffffffu, hi = (h >> 32) | 1u;
    return static_cast<std::size_t>((lo + static_cast<std::uint64_t>(i) * hi) % filter_bits);
}
} // namespace

bool RowsWritten::may_exist(const char* table, std::int64_t patient_id, std::string_view key) {
    return !new_to(table, patient_id) || may_hold(table, key);
}

void RowsWritten::wrote(const char* table, std::int64_t patient_id, std::string_view uuid,
                        std::string_view values) {
    if (!new_to(table, patient_id)) return; // looked up in the database anyway
    if (!uuid.empty()) add(table, uuid);
    add(table, values);
}

bool RowsWritten::new_to(const char* table, std::int64_t patient_id) {
    const auto key = std::make_pair(std::string(table), patient_id);
    if (const auto it = new_to_.find(key); it != new_to_.end()) return it->second;
    const bool fresh = !present_.patient_has_rows(table, patient_id);
    new_to_.emplace(key, fresh);
    return fresh;
}

std::uint64_t RowsWritten::hash(const char* table, std::string_view key) const {
    const std::uint64_t t = std::hash<std::string_view>{}(table);
    return std::hash<std::string_view>{}(key) ^ (t * 0x9e3779b97f4a7c15u);
}

bool RowsWritten::may_hold(const char* table, std::string_view key) const {
    if (bits_.empty()) return false;
    const auto h = hash(table, key);
    for (int i = 0; i < probes; ++i) {
        const auto b = bit(h, i);
        if (!(bits_[b / 64] >> (b % 64) & 1u)) return false;
    }
    return true;
}

void RowsWritten::add(const char* table, std::string_view key) {
    if (bits_.empty()) bits_.assign(filter_bits / 64, 0);
    const auto h = hash(table, key);
    for (int i = 0; i < probes; ++i) {
        const auto b = bit(h, i);
        bits_[b / 64] |= std::uint64_t{1} << (b % 64);
    }
}

} // namespace solace::interop
