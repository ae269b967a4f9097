// libFuzzer target: clinical::parse_schedule and the expansion of what it accepts.
#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    solace::fuzz::schedule_one(data, size);
    return 0;
}
