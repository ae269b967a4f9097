// libFuzzer target: the RFC 4180 reader and the importer of every CSV kind.
#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static solace::fuzz::ImportBench bench;
    solace::fuzz::csv_import_one(bench, data, size);
    return 0;
}
