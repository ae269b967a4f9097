#include "store/identity.hpp"

#include <sodium.h>

#include <array>
#include <chrono>

namespace solace::store {

namespace {

// Random bytes taken from the system 4 KiB at a time: one getrandom call per row cost an
// import a fifth of its time.
void random_bytes(unsigned char* out, std::size_t n) {
    thread_local std::array<unsigned char, 4096> pool{};
    thread_local std::size_t used = pool.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (used == pool.size()) {
            randombytes_buf(pool.data(), pool.size());
            used = 0;
        }
        out[i] = pool[used];
        pool[used++] = 0; // a byte handed out is not kept
    }
}

} // namespace

std::string new_uuid() {
    std::array<unsigned char, 16> b{};
    random_bytes(b.data(), b.size());
    const auto ms =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    for (int i = 0; i < 6; ++i)
        b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
    b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0f)); // version 7
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f)); // variant 10
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(hex[b[i] >> 4]);
        out.push_back(hex[b[i] & 0x0f]);
    }
    return out;
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

} // namespace solace::store
