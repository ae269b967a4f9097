#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/audit.hpp"

namespace solace::ui {

// The audit log for admins (issue 6 item 6): every event, newest first, with the time on this
// computer's clock, the account, the action, the patient and what changed; "Verify chain"
// re-computes the hash chain and names the first broken link. Loaded by the shell between
// frames; the table draws only the rows in sight.
class AuditView {
  public:
    struct Request {
        enum Kind { load, verify, close } kind = load;
    };

    // Opened: nothing loaded yet; the first draw asks for the log.
    void start();
    void show(std::vector<app::AuditEntry> entries);
    void verified(const store::AuditVerification& v);
    void refuse(std::string why);
    // Each device's last sync with the agency server (admins of an enrolled database), shown
    // above the log; none for a database that works alone.
    struct DeviceRow {
        std::string device, account, last_sync, entries;
    };
    void show_devices(std::vector<DeviceRow> rows) { devices_ = std::move(rows); }
    std::optional<Request> draw();

    // For tests.
    std::size_t rows() const { return rows_.size(); }
    const std::string& verification() const { return verification_; }
    bool chain_ok() const { return chain_ok_; }
    const std::string& error() const { return error_; }

  private:
    struct Row {
        std::string time, account, action, patient, detail;
    };
    void filter();

    void draw_devices();

    std::vector<Row> rows_; // newest first
    std::vector<DeviceRow> devices_;
    std::vector<int> shown_;
    std::string find_;
    std::optional<std::string> filtered_for_; // nothing: the rows changed, filter again
    std::string zone_;
    bool loaded_ = false;
    bool asked_ = false;
    std::string verification_;
    bool chain_ok_ = false;
    std::string error_;
};

} // namespace solace::ui
