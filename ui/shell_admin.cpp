// The Shell's part for "Patients and accounts" (issue 11 item 5): a nurse admits, changes and
// discharges patients and sets comfort goals; an admin also keeps the accounts. The views' requests
// are done here between frames through app/, which checks the role again; lists are read afresh
// after each change. (Shell members; declared in shell.hpp.)
#include <exception>

#include <fmt/format.h>

#include "app/accounts.hpp"
#include "app/clinic.hpp"
#include "shell.hpp"

namespace solace::ui {

void Shell::open_admin(AdminView::Part part) {
    if (!session_ || !session_->is_nurse()) return;
    guard_.audit_open = false;
    guard_.admin_open = true;
    admin_view_.start(part, session_->account().is_admin);
}

void Shell::close_admin() {
    guard_.admin_open = false;
    admin_view_.stop();
}

void Shell::load_admin_lists() {
    admin_view_.patients().show(session_->patients());
    if (admin_view_.with_accounts()) admin_view_.accounts().show(app::account_list(*session_));
}

void Shell::admin_request(AdminView::Request& r) {
    if (!session_) return;
    try {
        switch (r.kind) {
        case AdminView::Request::load:
            load_admin_lists();
            break;
        case AdminView::Request::close:
            close_admin();
            break;
        case AdminView::Request::patient:
            patient_request(*r.patient_request);
            break;
        case AdminView::Request::account:
            account_request(*r.account_request);
            break;
        }
    } catch (const std::exception& e) {
        admin_view_.patients().refuse(e.what());
        admin_view_.accounts().refuse(e.what());
    }
    if (r.account_request) app::wipe(r.account_request->password);
}

void Shell::patient_request(const AdminPatientsView::Request& r) {
    auto& view = admin_view_.patients();
    try {
        using Kind = AdminPatientsView::Request::Kind;
        std::string done;
        std::string admitted;
        if (r.kind == Kind::admit || r.kind == Kind::edit) {
            const auto& d = r.details;
            Patient p;
            p.mrn = d.mrn;
            p.name = d.name;
            p.date_of_birth = parse_date(d.born, "The date of birth");
            find_zone(d.zone, "The time zone");
            p.time_zone = d.zone;
            p.diagnosis = d.diagnosis;
            p.on_call_phone = d.on_call;
            if (r.kind == Kind::admit) {
                app::add_patient(*session_, p);
                done = fmt::format("Admitted {} ({}).", p.name, p.mrn);
                admitted = p.mrn;
            } else {
                app::edit_patient(*session_, p);
                done = fmt::format("Saved the new details of {}.", p.mrn);
            }
        } else if (r.kind == Kind::discharge) {
            const auto p = session_->patient(r.mrn);
            const auto now = now_utc();
            const auto at = app::entry_time(r.when, find_zone(p.time_zone), now, "The time");
            app::discharge_patient(*session_, p.mrn, r.reason, at, now);
            done = r.reason == "died"
                       ? fmt::format("Recorded the death of {}.", p.name)
                       : fmt::format("Recorded the discharge of {} ({}).", p.name, r.reason);
        } else {
            app::set_comfort_goal(*session_, r.mrn, r.symptom, r.goal, now_utc());
            done = fmt::format("Comfort goal for {}: {} at most {}.", r.mrn, info(r.symptom).label,
                               r.goal);
        }
        sync_soon();
        refresh(); // the patient list
        view.show(session_->patients());
        view.done(std::move(done), admitted);
    } catch (const std::exception& e) {
        view.refuse(e.what());
    }
}

void Shell::account_request(AccountsView::Request& r) {
    auto& view = admin_view_.accounts();
    try {
        using Kind = AccountsView::Request::Kind;
        std::string done, added;
        switch (r.kind) {
        case Kind::add:
            app::add_account(*session_, r.account, r.password);
            done = fmt::format("Added the account {}. Give them the password in person.",
                               r.account.name);
            added = r.account.name;
            break;
        case Kind::disable:
        case Kind::enable:
            app::set_account_disabled(*session_, r.name, r.kind == Kind::disable);
            done = fmt::format("{} can {} sign in.", r.name,
                               r.kind == Kind::disable ? "no longer" : "again");
            break;
        case Kind::link:
            app::link_family(*session_, r.name, r.mrn);
            done = fmt::format("{} now also sees {}.", r.name, r.mrn);
            break;
        case Kind::reset_password:
            app::reset_password(*session_, r.name, r.password);
            done = fmt::format("{} has a new password; the old one no longer works.", r.name);
            break;
        }
        app::wipe(r.password);
        sync_soon();
        view.show(app::account_list(*session_));
        view.done(std::move(done), added);
    } catch (const std::exception& e) {
        app::wipe(r.password);
        view.refuse(e.what());
    }
}

} // namespace solace::ui
