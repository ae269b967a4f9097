#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace solace::store {

// Where a synced row was written (DESIGN §7): its UUID, the device that wrote it and that
// device's counter (1, 2, 3 ... with no gap across all tables of one device).
struct RowIdentity {
    std::string uuid;
    std::string device;
    std::int64_t counter = 0;
};

// A new UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids made later
// sort later and their index grows at the end. Lower-case, 36 characters.
std::string new_uuid();

// True for the 36-character 8-4-4-4-12 hexadecimal form (either case).
bool is_uuid(std::string_view s);

} // namespace solace::store
