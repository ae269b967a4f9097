#include "sync/rows.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

#include "domain/error.hpp"
#include "store/account_repository.hpp"

namespace solace::sync {

namespace {

constexpr std::array synced_tables_list{
    std::string_view{"patient"},        std::string_view{"patient_version"},
    std::string_view{"visit"},          std::string_view{"medication"},
    std::string_view{"observation"},    std::string_view{"comfort_goal"},
    std::string_view{"administration"}, std::string_view{"administration_void"},
    std::string_view{"bowel_movement"}, std::string_view{"flag_acknowledgement"},
};

// An account that arrives as the author of pulled rows: no password can match this.
constexpr const char* no_sign_in_here = "$argon2id$v=19$m=65536,t=2,p=1$bm8tc2lnbi1pbg$none";

// The table a reference column points to; empty when the column is a plain value.
std::string_view referenced_table(std::string_view table, std::string_view column) {
    if (column == "patient_id") return "patient";
    if (column == "visit_id") return "visit";
    if (column == "medication_id") return "medication";
    if (column == "administration_id") return "administration";
    if (column == "supersedes") return table;
    if (column == "author_id") return "account";
    return {};
}

// Ids remembered per table while pulling: about 5 MB each at most.
constexpr std::size_t remembered_ids_per_table = 50000;

bool is_local_only(std::string_view column) {
    return column == "id" || column == "device" || column == "counter";
}

} // namespace

std::span<const std::string_view> synced_tables() {
    return synced_tables_list;
}

std::int64_t outbox_size(store::Database& db, std::int64_t after) {
    std::int64_t n = 0;
    for (auto table : synced_tables_list) {
        store::Statement s(db, fmt::format("SELECT count(*) FROM {} WHERE counter > ?1 AND "
                                           "device = (SELECT uuid FROM local_device)",
                                           table));
        s.bind(1, after);
        if (s.step()) n += s.int64(0);
    }
    return n;
}

std::int64_t newest_counter(store::Database& db) {
    std::int64_t newest = 0;
    for (auto table : synced_tables_list) {
        store::Statement s(db, fmt::format("SELECT max(counter) FROM {} WHERE device = ?1", table));
        s.bind(1, db.device_uuid());
        if (s.step() && !s.is_null(0)) newest = std::max(newest, s.int64(0));
    }
    return newest;
}

namespace {

// Appends `text` as a JSON string (RFC 8259 escapes; other bytes as they are).
void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text, plain, i - plain);
        plain = i + 1;
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else {
            out += fmt::format("\\u{:04x}", c);
        }
    }
    out.append(text, plain, text.size() - plain);
    out += '"';
}

// The UUIDs (names, for accounts) of rows one table's rows refer to, by local id, with a
// bounded memory of those already looked up (rows mostly refer to a few patients and
// medications, or the visit just before them).
class References {
  public:
    References(store::Database& db, std::string_view from) : db_(db), from_(from) {}
    const std::string& look_up(std::string_view to, std::int64_t id) {
        auto& t = tables_[std::string(to)];
        if (auto it = t.names.find(id); it != t.names.end()) return it->second;
        if (!t.query)
            t.query = std::make_unique<store::Statement>(
                db_, to == "account" ? std::string("SELECT name FROM account WHERE id = ?1")
                                     : fmt::format("SELECT uuid FROM {} WHERE id = ?1", to));
        auto& q = *t.query;
        q.reset();
        q.bind(1, id);
        if (!q.step())
            throw StoreError(fmt::format("A {} row refers to {} row {}, which is missing; "
                                         "run solace check.",
                                         from_, to, id));
        if (t.names.size() >= remembered_ids_per_table) t.names.clear();
        auto& name = t.names[id] = q.text(0);
        q.reset();
        return name;
    }

  private:
    struct Table {
        std::unique_ptr<store::Statement> query;
        std::unordered_map<std::int64_t, std::string> names;
    };
    store::Database& db_;
    std::string_view from_;
    std::map<std::string, Table, std::less<>> tables_;
};

} // namespace

std::vector<OutgoingRow> outbox(store::Database& db, std::int64_t after, std::int64_t through) {
    std::vector<OutgoingRow> rows;
    const std::string device = db.device_uuid();
    for (auto table : synced_tables_list) {
        store::Statement s(db, fmt::format("SELECT * FROM {} WHERE device = ?2 AND counter > ?1 "
                                           "AND counter <= ?3 ORDER BY counter",
                                           table));
        s.bind(1, after).bind(2, device).bind(3, through);
        References references(db, table);
        // What each column is, read once: its name as JSON, and the table it refers to.
        struct Column {
            std::string key;
            std::string_view to;
            bool local_only = false;
        };
        std::vector<Column> columns;
        int uuid_at = -1, counter_at = -1;
        for (int c = 0; c < s.column_count(); ++c) {
            const std::string name = s.column_name(c);
            if (name == "uuid") uuid_at = c;
            if (name == "counter") counter_at = c;
            Column column{"", referenced_table(table, name), is_local_only(name)};
            append_json_string(column.key, name);
            column.key += ':';
            columns.push_back(std::move(column));
        }
        if (uuid_at < 0 || counter_at < 0)
            throw StoreError(
                fmt::format("The {} table has no uuid or counter; run solace check.", table));
        while (s.step()) {
            OutgoingRow r{s.int64(counter_at), s.text(uuid_at), table, "{"};
            for (int c = 0; c < s.column_count(); ++c) {
                const auto& column = columns[static_cast<std::size_t>(c)];
                if (column.local_only) continue;
                if (r.row.size() > 1) r.row += ',';
                r.row += column.key;
                if (s.is_null(c)) {
                    r.row += "null";
                } else if (!column.to.empty()) {
                    append_json_string(r.row, references.look_up(column.to, s.int64(c)));
                } else if (s.column_type(c) == SQLITE_INTEGER) {
                    fmt::format_to(std::back_inserter(r.row), "{}", s.int64(c));
                } else if (s.column_type(c) == SQLITE_TEXT) {
                    append_json_string(r.row, s.bytes(c));
                } else {
                    throw StoreError(fmt::format("{}.{} holds a value that cannot be synced.",
                                                 table, s.column_name(c)));
                }
            }
            r.row += '}';
            rows.push_back(std::move(r));
        }
    }
    std::sort(rows.begin(), rows.end(),
              [](const OutgoingRow& a, const OutgoingRow& b) { return a.counter < b.counter; });
    return rows;
}

std::string json_array(const std::vector<OutgoingRow>& rows) {
    std::string out = "[";
    for (const auto& r : rows) {
        if (out.size() > 1) out += ',';
        out += "{\"uuid\":";
        append_json_string(out, r.uuid);
        fmt::format_to(std::back_inserter(out),
                       ",\"counter\":{},\"tbl\":\"{}\",\"row\":", r.counter, r.table);
        out += r.row;
        out += '}';
    }
    out += ']';
    return out;
}

RowWriter::TableWriter& RowWriter::writer(std::string_view table) {
    auto it = tables_.find(table);
    if (it != tables_.end()) return it->second;
    auto& w = tables_[std::string(table)];
    w.present = std::make_unique<store::Statement>(
        db_, fmt::format("SELECT 1 FROM {} WHERE uuid = ?1", table));
    w.find_id = std::make_unique<store::Statement>(
        db_, fmt::format("SELECT id FROM {} WHERE uuid = ?1", table));
    return w;
}

void RowWriter::remember(TableWriter& w, const std::string& uuid, std::int64_t id) {
    // Rows refer mostly to their patient, medication or the visit just before them: a bounded
    // memory of recent ids answers nearly every look-up.
    if (w.ids.size() >= remembered_ids_per_table) w.ids.clear();
    w.ids.emplace(uuid, id);
}

std::int64_t RowWriter::local_id(std::string_view table, const std::string& uuid) {
    auto& w = writer(table);
    if (auto it = w.ids.find(uuid); it != w.ids.end()) return it->second;
    auto& q = *w.find_id;
    q.reset();
    q.bind(1, uuid);
    if (!q.step())
        throw StoreError(fmt::format("A row from the agency server refers to {} {}, which has not "
                                     "arrived here; sync again.",
                                     table, uuid));
    const auto id = q.int64(0);
    q.reset();
    remember(w, uuid, id);
    return id;
}

std::int64_t RowWriter::author_id(const std::string& name) {
    if (auto it = authors_.find(name); it != authors_.end()) return it->second;
    store::AccountRepository accounts(db_);
    auto found = accounts.find(name);
    std::int64_t id = 0;
    if (found) {
        id = found->id;
    } else {
        // Known here as an author only; it signs in here once enrolled.
        Account a{0, name, Role::nurse, false, true, no_sign_in_here, {}};
        id = accounts.add(a, to_epoch(now_utc()));
    }
    authors_[name] = id;
    return id;
}

std::optional<TravellingRow> RowWriter::give_way_on_mrn(const TravellingRow& patient) {
    if (!patient.row.contains("mrn") || !patient.row["mrn"].is_string()) return std::nullopt;
    const auto mrn = patient.row["mrn"].get<std::string>();
    if (!mrn_taken_)
        mrn_taken_ =
            std::make_unique<store::Statement>(db_, "SELECT uuid FROM patient WHERE mrn = ?1");
    auto& taken = *mrn_taken_;
    taken.reset();
    taken.bind(1, mrn);
    const bool clash = taken.step() && taken.text(0) != patient.uuid;
    taken.reset();
    if (!clash || patient.uuid.size() < 8) return std::nullopt;
    // The UUID's random end, not its start (a time: two admissions minutes apart share it).
    constexpr std::size_t longest_mrn = 64, mark = 9;
    auto renamed = patient;
    renamed.row["mrn"] =
        mrn.substr(0, longest_mrn - mark) + "~" + patient.uuid.substr(patient.uuid.size() - 8);
    if (renamed.row["mrn"] == mrn)
        throw StoreError(fmt::format("Two patients have the MRN {}; sync stopped.", mrn));
    mrns_given_way_.push_back(fmt::format(
        "Two patients have the MRN {} (admitted on two laptops?): the one from the agency "
        "server, {}, is kept here as {}. Check which is right; nothing was lost.",
        mrn, patient.row.value("name", std::string("no name")),
        renamed.row["mrn"].get<std::string>()));
    return renamed;
}

store::Statement& RowWriter::insert_for(std::string_view table, TableWriter& w,
                                        const nlohmann::json& row) {
    bool same = w.insert && w.columns.size() == row.size();
    if (same) {
        auto c = w.columns.begin();
        for (auto it = row.begin(); it != row.end(); ++it, ++c)
            if (it.key() != *c) {
                same = false;
                break;
            }
    }
    if (same) {
        w.insert->reset();
        return *w.insert;
    }
    std::string columns, marks;
    w.columns.clear();
    for (auto it = row.begin(); it != row.end(); ++it) {
        const auto& column = it.key();
        if (is_local_only(column) ||
            column.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
            throw ServerRefused(fmt::format("The agency server sent a {} row with the column "
                                            "\"{}\", which Solace does not know here.",
                                            table, column));
        w.columns.push_back(column);
        columns += column + ", ";
        marks += fmt::format("?{}, ", w.columns.size());
    }
    const auto n = w.columns.size();
    w.insert.reset();
    w.insert = std::make_unique<store::Statement>(
        db_, fmt::format("INSERT INTO {} ({}device, counter) VALUES ({}?{}, ?{})", table, columns,
                         marks, n + 1, n + 2));
    return *w.insert;
}

bool RowWriter::store(const TravellingRow& r) {
    if (r.table == "patient")
        if (auto renamed = give_way_on_mrn(r)) return store(*renamed);
    if (std::find(synced_tables_list.begin(), synced_tables_list.end(), r.table) ==
        synced_tables_list.end())
        throw ServerRefused(fmt::format("The agency server sent a row of an unknown table \"{}\"; "
                                        "update Solace on this laptop.",
                                        r.table));
    const auto uuid_at = r.row.is_object() ? r.row.find("uuid") : r.row.end();
    if (uuid_at == r.row.end() || !uuid_at->is_string())
        throw ServerRefused("The agency server sent a row that is not one (no UUID of its own).");
    const auto& uuid = uuid_at->get_ref<const std::string&>();
    auto& w = writer(r.table);
    // A row already here (pulled before, or sent from here) is skipped: the guards of the
    // append-only tables refuse a second insert of a UUID before any ON CONFLICT is weighed.
    auto& present = *w.present;
    present.reset();
    present.bind(1, uuid);
    const bool already_here = present.step();
    present.reset();
    if (already_here) return false;
    auto& insert = insert_for(r.table, w, r.row);
    int i = 0;
    for (auto it = r.row.begin(); it != r.row.end(); ++it) {
        ++i;
        const auto& value = it.value();
        if (value.is_null()) {
            insert.bind_null(i);
        } else if (auto to = referenced_table(r.table, it.key()); !to.empty()) {
            if (!value.is_string())
                throw ServerRefused(fmt::format("The agency server sent a {} row whose {} is not "
                                                "a UUID or name.",
                                                r.table, it.key()));
            const auto& key = value.get_ref<const std::string&>();
            insert.bind(i, to == "account" ? author_id(key) : local_id(to, key));
        } else if (value.is_number_integer()) {
            insert.bind(i, value.get<std::int64_t>());
        } else if (value.is_string()) {
            insert.bind(i, value.get_ref<const std::string&>());
        } else {
            throw ServerRefused(fmt::format("The agency server sent a {} row whose {} is neither "
                                            "a number nor text.",
                                            r.table, it.key()));
        }
    }
    const auto n = static_cast<int>(w.columns.size());
    insert.bind(n + 1, r.device).bind(n + 2, r.counter);
    insert.run();
    remember(w, uuid, db_.last_insert_id());
    return true;
}

} // namespace solace::sync
