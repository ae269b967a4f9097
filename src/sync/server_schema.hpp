#pragma once
#include <span>

#include "store/migrations.hpp"

namespace solace::sync {

// The migrations in schema/server/ (PostgreSQL), embedded at build time, in order.
std::span<const store::Migration> server_migrations();

} // namespace solace::sync
