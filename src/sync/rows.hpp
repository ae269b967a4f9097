#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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

// This device's rows with a counter in (after, through], in counter order: a step of the
// outbox (counters have no gap, so a step of n counters holds at most n rows).
std::vector<TravellingRow> outbox(store::Database& db, std::int64_t after, std::int64_t through);
// The highest counter among this device's synced rows; 0 when it wrote none.
std::int64_t newest_counter(store::Database& db);
// How many rows wait in the outbox.
std::int64_t outbox_size(store::Database& db, std::int64_t after);

// Stores rows that came from the server, keeping their uuid, device and counter; a row already
// here is skipped. An author unknown here becomes an account that cannot sign in here.
// Returns the rows stored. Runs inside the caller's transaction.
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
    std::int64_t local_id(std::string_view table, const std::string& uuid);
    std::int64_t author_id(const std::string& name);
    store::Statement& prepared(const std::string& sql);
    store::Database& db_;
    std::map<std::string, std::unique_ptr<store::Statement>> statements_; // by SQL
    std::map<std::string, std::int64_t> authors_;
    std::vector<std::string> mrns_given_way_;
};

} // namespace solace::sync
