#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/database.hpp"

// Rows as they travel to and from the agency server (DESIGN §7): every column but the local
// integer id, with references to other rows by UUID and authors by account name.
namespace solace::sync {

// The tables whose rows go to the server, in an order where a row's references come first.
std::span<const std::string_view> synced_tables();

struct TravellingRow {
    std::string uuid;
    std::string device;
    std::int64_t counter = 0;
    std::string table;
    nlohmann::json row; // an object: column -> value
};

// One of this device's rows on its way to the server: the row an object of column -> value
// in JSON, references by UUID and authors by account name.
struct OutgoingRow {
    std::int64_t counter = 0;
    std::string uuid;
    std::string_view table;
    std::string row;
};
// This device's rows with a counter in (after, through], in counter order (counters have no
// gap, so a step of n counters holds at most n rows).
std::vector<OutgoingRow> outbox(store::Database& db, std::int64_t after, std::int64_t through);
// `rows` as the JSON array solace.ingest takes: [{"uuid", "counter", "tbl", "row"}].
std::string json_array(const std::vector<OutgoingRow>& rows);
// The highest counter among this device's synced rows; 0 when it wrote none.
std::int64_t newest_counter(store::Database& db);
// How many rows wait in the outbox.
std::int64_t outbox_size(store::Database& db, std::int64_t after);

// Stores rows that came from the server, keeping their uuid, device and counter; a row already
// here is skipped. An author unknown here becomes an account that cannot sign in here.
// Returns the rows stored. Runs inside the caller's transaction, and lives no longer than it
// (the local ids it remembers would outlive a rollback).
//
// A patient whose MRN is already another patient's here (the same person admitted on two
// laptops while offline) is kept under "MRN~xxxxxxxx" (the end of its UUID): nothing is lost,
// the pull goes on, and `mrns_given_way` says which, for the nurse to sort out.
class RowWriter {
  public:
    explicit RowWriter(store::Database& db) : db_(db) {}
    bool store(const TravellingRow& r);
    // Sentences, one per patient kept under another MRN.
    const std::vector<std::string>& mrns_given_way() const { return mrns_given_way_; }

  private:
    std::optional<TravellingRow> give_way_on_mrn(const TravellingRow& patient);
    // One table's statements, prepared once: the insert is remade only when a row comes
    // with other columns (rows of one table normally share theirs).
    struct TableWriter {
        std::unique_ptr<store::Statement> present;
        std::unique_ptr<store::Statement> find_id;
        std::vector<std::string> columns;
        std::unique_ptr<store::Statement> insert;
        std::unordered_map<std::string, std::int64_t> ids; // uuid -> local id, as remembered
    };
    TableWriter& writer(std::string_view table);
    store::Statement& insert_for(std::string_view table, TableWriter& w, const nlohmann::json& row);
    std::int64_t local_id(std::string_view table, const std::string& uuid);
    std::int64_t author_id(const std::string& name);
    void remember(TableWriter& w, const std::string& uuid, std::int64_t id);
    store::Database& db_;
    std::map<std::string, TableWriter, std::less<>> tables_;
    std::map<std::string, std::int64_t> authors_;
    std::unique_ptr<store::Statement> mrn_taken_;
    std::vector<std::string> mrns_given_way_;
};

} // namespace solace::sync
