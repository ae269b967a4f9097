// The Shell's part for the agency server (issue 10 item 8): the background sync started at
// sign-in, asked for after each save and paused while the window is locked; the open views
// retaken when rows arrive; each device's last sync for admins, in the audit log screen.
// (Shell members; declared in shell.hpp.)
#include <algorithm>
#include <cmath>
#include <exception>

#include <date/tz.h>
#include <fmt/format.h>

#include "app/clinic.hpp"
#include "shell.hpp"

namespace solace::ui {

namespace {

// Seconds in a minute: the status line says "N min ago".
constexpr double minute_seconds = 60.0;

std::vector<AuditView::DeviceRow> device_rows(const std::vector<sync::DeviceSync>& devices) {
    const date::time_zone* zone = date::current_zone();
    std::vector<AuditView::DeviceRow> rows;
    for (const auto& d : devices)
        rows.push_back({d.device, d.account,
                        date::format("%Y-%m-%d %H:%M", date::zoned_seconds(zone, d.last_push)),
                        fmt::format("{}", d.last_counter)});
    return rows;
}

} // namespace

void Shell::start_sync(const std::string& password) {
    sync_status_ = {};
    sync_ = std::make_unique<sync::BackgroundSync>(path_, session_->account(), password, [this] {
        if (wake_) wake_();
    });
}

void Shell::sync_soon() {
    if (sync_) sync_->request();
}

bool Shell::take_sync_status() {
    if (!sync_) {
        if (sync_status_.version == 0) return false;
        sync_status_ = {};
        return true;
    }
    auto s = sync_->status();
    if (s.version == sync_status_.version) return false;
    const bool arrived = s.arrivals != sync_status_.arrivals;
    sync_status_ = std::move(s);
    if (session_ && session_->account().is_admin)
        audit_view_.show_devices(device_rows(sync_status_.devices));
    if (!arrived || !session_) return true;
    // Others' rows arrived: the list, the patient open and its doses are taken again.
    refresh();
    if (picture_) {
        try {
            picture_ = app::patient_picture(*session_, picture_->patient.mrn, now_utc());
        } catch (const std::exception&) {
            // The picture shown stays; the next save or sync takes it again.
        }
        refresh_medications();
    }
    return true;
}

double Shell::sync_wake_in() const {
    if (sync_status_.state != sync::SyncStatus::State::synced || !sync_status_.last_sync)
        return -1.0;
    const double since = double((now_utc() - *sync_status_.last_sync).count());
    return minute_seconds - std::fmod(std::max(since, 0.0), minute_seconds) + 0.01;
}

} // namespace solace::ui
