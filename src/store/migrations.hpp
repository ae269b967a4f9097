#pragma once
#include <span>
#include <string_view>

namespace solace::store {

struct Migration {
    int version; // from the file name: 0001_initial.sql is 1
    std::string_view name;
    std::string_view sql;
};

// The migrations in schema/, embedded at build time, in order.
std::span<const Migration> shipped_migrations();

} // namespace solace::store
