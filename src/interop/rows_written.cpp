#include "interop/rows_written.hpp"

#include <functional>

namespace solace::interop {

namespace {
constexpr std::size_t filter_bits = std::size_t{1} << 26; // 8 MiB
// A key's bits all lie in one 512-bit block (one cache line): one memory miss per key, not
// one per probe.
constexpr std::size_t block_words = 8;
constexpr std::size_t blocks = filter_bits / 64 / block_words;
constexpr int probes = 4;

// The block of a key, from the hash's top bits (the probes take the low 36).
std::size_t block(std::uint64_t h) {
    return static_cast<std::size_t>((h >> 40) % blocks) * block_words;
}
// The `i`-th bit within the block (0..511), from 9 of the hash's low 36 bits each.
std::size_t bit(std::uint64_t h, int i) {
    return static_cast<std::size_t>((h >> (9 * i)) & 511u);
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
    // A file's rows come patient by patient: the last answer is usually the one asked for.
    if (last_ && last_->table == table && last_->patient_id == patient_id) return last_->fresh;
    auto key = std::make_pair(std::string(table), patient_id);
    auto it = new_to_.find(key);
    if (it == new_to_.end())
        it = new_to_.emplace(std::move(key), !present_.patient_has_rows(table, patient_id)).first;
    last_ = Answer{table, patient_id, it->second};
    return it->second;
}

std::uint64_t RowsWritten::hash(const char* table, std::string_view key) const {
    const std::uint64_t t = std::hash<std::string_view>{}(table);
    return std::hash<std::string_view>{}(key) ^ (t * 0x9e3779b97f4a7c15u);
}

bool RowsWritten::may_hold(const char* table, std::string_view key) const {
    if (bits_.empty()) return false;
    const auto h = hash(table, key);
    const auto* words = &bits_[block(h)];
    for (int i = 0; i < probes; ++i) {
        const auto b = bit(h, i);
        if (!(words[b / 64] >> (b % 64) & 1u)) return false;
    }
    return true;
}

void RowsWritten::add(const char* table, std::string_view key) {
    if (bits_.empty()) bits_.assign(filter_bits / 64, 0);
    const auto h = hash(table, key);
    auto* words = &bits_[block(h)];
    for (int i = 0; i < probes; ++i) {
        const auto b = bit(h, i);
        words[b / 64] |= std::uint64_t{1} << (b % 64);
    }
}

} // namespace solace::interop
