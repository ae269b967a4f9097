#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "store/audit_repository.hpp"

namespace solace::store {

// The tables whose rows audit entries vouch for (audit_log.row_table), every row of each.
std::span<const std::string_view> audited_tables();
bool is_audited_table(std::string_view table);

// SHA-256 over rows first..last (by id) of `table` exactly as stored: every column of every
// row in id order, each with its type and length, so any change to a row, a removed row or a
// row slipped in between changes the hash. Throws ValidationError for a table not audited.
AuditHash hash_rows(Database& db, std::string_view table, std::int64_t first, std::int64_t last);

} // namespace solace::store
