#include "store/row_hash.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <array>

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::store {

namespace {
constexpr std::array audited_tables_list{
    std::string_view{"account"},
    std::string_view{"account_version"},
    std::string_view{"account_patient"},
    std::string_view{"patient"},
    std::string_view{"patient_version"},
    std::string_view{"visit"},
    std::string_view{"observation"},
    std::string_view{"comfort_goal"},
    std::string_view{"medication"},
    std::string_view{"administration"},
    std::string_view{"bowel_movement"},
    std::string_view{"flag_acknowledgement"},
    std::string_view{"administration_void"},
};

void feed(crypto_hash_sha256_state& st, const void* p, std::size_t n) {
    crypto_hash_sha256_update(&st, static_cast<const unsigned char*>(p), n);
}

void feed_u64(crypto_hash_sha256_state& st, std::uint64_t u) {
    unsigned char b[8];
    for (int i = 7; i >= 0; --i) {
        b[i] = static_cast<unsigned char>(u & 0xff);
        u >>= 8;
    }
    feed(st, b, sizeof b);
}
} // namespace

std::span<const std::string_view> audited_tables() {
    return audited_tables_list;
}

bool is_audited_table(std::string_view table) {
    for (auto t : audited_tables_list)
        if (t == table) return true;
    return false;
}

AuditHash hash_rows(Database& db, std::string_view table, std::int64_t first, std::int64_t last) {
    if (!is_audited_table(table))
        throw ValidationError(fmt::format("{} is not a table whose rows are audited.", table));
    Statement s(
        db,
        fmt::format("SELECT rowid, * FROM {} WHERE rowid BETWEEN ? AND ? ORDER BY rowid", table));
    s.bind(1, first).bind(2, last);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    constexpr std::string_view label = "solace rows v1";
    feed(st, label.data(), label.size());
    while (s.step()) {
        const int columns = s.column_count();
        feed_u64(st, static_cast<std::uint64_t>(columns));
        for (int c = 0; c < columns; ++c) {
            const int type = s.column_type(c);
            const unsigned char tag = static_cast<unsigned char>(type);
            feed(st, &tag, 1);
            if (type == SQLITE_INTEGER) {
                feed_u64(st, static_cast<std::uint64_t>(s.int64(c)));
            } else if (type == SQLITE_FLOAT) {
                const auto text = s.text(c); // SQLite's own rendering: stable across runs
                feed_u64(st, text.size());
                feed(st, text.data(), text.size());
            } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
                const auto bytes = s.blob(c);
                feed_u64(st, bytes.size());
                feed(st, bytes.data(), bytes.size());
            }
        }
    }
    AuditHash out;
    crypto_hash_sha256_final(&st, out.data());
    return out;
}

} // namespace solace::store
