#include "app/anchor.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include <fmt/format.h>

#include "app/paths.hpp"

namespace solace::app {

namespace {
std::string hex(const store::AuditHash& h) {
    char out[2 * 32 + 1];
    sodium_bin2hex(out, sizeof out, h.data(), h.size());
    return out;
}

std::filesystem::path anchors_dir(store::Database& db) {
    return state_dir() / "audit-heads" / db.device_uuid();
}

// Account names are letters, digits and .-_ (lower-cased here); anything else becomes '_'.
std::string file_name(std::string_view account) {
    std::string out;
    for (const char c : account) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(std::isalnum(u) || c == '-' || c == '_' ? static_cast<char>(std::tolower(u))
                                                              : '_');
    }
    return out.empty() || out[0] == '.' ? "_" + out : out;
}
} // namespace

std::optional<AuditHead> audit_head(store::Database& db) {
    store::Statement s(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!s.step()) return std::nullopt;
    AuditHead head{s.int64(0), {}};
    const auto bytes = s.blob(1);
    if (bytes.size() == head.hash.size()) std::copy(bytes.begin(), bytes.end(), head.hash.begin());
    return head;
}

std::string head_words(const AuditHead& head) {
    return fmt::format("row {}, {}", head.id, hex(head.hash).substr(0, 12));
}

std::filesystem::path anchor_path(store::Database& db, std::string_view account) {
    return anchors_dir(db) / file_name(account);
}

void record_anchor(store::Database& db, std::string_view account) {
    try {
        const auto head = audit_head(db);
        if (!head) return;
        ensure_private_dir(anchors_dir(db));
        write_private_file(
            anchor_path(db, account),
            fmt::format("{} {} {}\n", head->id, hex(head->hash), db.path().string()));
    } catch (const std::exception&) {
        // The write itself is committed; the log still verifies against its own chain.
    }
}

void forget_anchors(store::Database& db) {
    std::error_code ec;
    std::filesystem::remove_all(anchors_dir(db), ec);
}

std::optional<std::string> check_anchors(store::Database& db) {
    std::error_code ec;
    const auto dir = anchors_dir(db);
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        std::ifstream in(entry.path());
        std::int64_t id = 0;
        std::string seen;
        if (!(in >> id >> seen)) continue;
        store::Statement s(db, "SELECT hash FROM audit_log WHERE id = ?");
        s.bind(1, id);
        const auto who = entry.path().filename().string();
        if (!s.step()) {
            const auto head = audit_head(db);
            return fmt::format("the audit log ends at row {}, but the account \"{}\" saw it reach "
                               "row {} on this computer ({}): rows were cut from its end",
                               head ? head->id : 0, who, id, entry.path().string());
        }
        store::AuditHash h{};
        const auto bytes = s.blob(0);
        if (bytes.size() == h.size()) std::copy(bytes.begin(), bytes.end(), h.begin());
        if (hex(h) != seen)
            return fmt::format("audit row {} is not the row the account \"{}\" saw on this "
                               "computer ({}): the log was rewritten and its chain recomputed",
                               id, who, entry.path().string());
    }
    return std::nullopt;
}

} // namespace solace::app
