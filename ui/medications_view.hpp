#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/clinic.hpp"
#include "app/doses.hpp"
#include "app/medications.hpp"
#include "app/snapshot.hpp"

namespace solace::ui {

// One day's doses for the patient as a checklist in the patient's local time (today unless
// another day is chosen), the as-needed (PRN) medications, what was recorded on the day, and,
// for a nurse, the medication list with add, change (a new version from a time on) and stop.
//
// Keys: Up and Down choose a dose (scheduled, then PRN); G records it given, H held, R refused
// (held and refused ask a reason: Enter saves it, Escape cancels); A opens the form to add a
// medication; T edits "Given at", the time of doses given (empty: now; e.g. 08:00). Giving a
// time-critical or controlled (opioid, benzodiazepine) medication asks to confirm with Enter, and
// so does every dose a family member records. A PRN dose that would be too soon or over the maximum
// is not saved before the warning is answered (Enter records it anyway, Escape cancels). No letter
// records anything while a form is open. A family account sees today's doses read-only and gives
// PRN doses.
//
// The day chooser at the top (Previous day, Next day, Today; keys Page Up or [, Page Down or ],
// and Home, which nothing else in the window takes) shows a past day's record: each scheduled dose
// and what happened to it, judged once its window closed, the PRN doses given, the records and
// their corrections. It reaches back to the first medication's start, and at least
// app::mar_days_back days. A past day is read-only: no letter and no button records a dose there
// (a dose given then is recorded on today's page with "Given at", up to 72 hours back); a
// nurse still corrects a recorded dose from its row.
class MedicationsView {
  public:
    struct Request {
        enum Kind {
            record_dose,
            add,
            change,
            stop,
            refresh, // a new day began in the patient's zone, or another day was chosen: the
                     // snapshot of chosen_day() is retaken
            correct_dose,
        } kind = record_dose;
        app::DoseCorrection correction; // correct_dose
        app::DoseEntry dose;            // dose: mrn, med, at, status and reason
        Medication med;                 // add: the new medication; change: the new fields
        std::string key;                // change, stop
        Instant at{};                   // change: from; stop: when
        std::string reason;             // change, stop
        std::string what;               // in words, for the message once it is done
    };

    // A new patient: no forms open, nothing chosen.
    void start(bool nurse);
    // The day to show: empty for today (it follows the clock past midnight).
    std::optional<date::local_days> chosen_day() const { return day_; }
    // The snapshot to draw, swapped in whole after each change.
    void show(app::MedicationsPicture picture) { picture_ = std::move(picture); }
    const app::MedicationsPicture* picture() const { return picture_ ? &*picture_ : nullptr; }
    // After a request was done: forms close and say so. After a refusal: the values stay.
    void done(std::string message);
    void refuse(std::string why);

    void draw(bool nurse);
    // What the user asked for during the last draw, once.
    std::optional<Request> take_request();

    // For tests: what the view shows.
    const std::string& error() const { return error_; }
    const std::string& status() const { return status_; }
    bool warning_shown() const { return confirm_.has_value(); }
    const std::string& warning_text() const;
    bool entering_reason() const { return reason_.has_value(); }
    bool correcting() const { return correcting_.has_value(); }
    const std::string& reason_text() const;
    int selected() const { return selected_; }
    // The add/change form's schedule, as parsed while it is typed (empty: understood).
    const std::string& schedule_error() const { return form_.schedule_error; }

  private:
    struct Target { // a row Up and Down move through
        bool prn = false;
        std::size_t index = 0; // into picture.doses, or picture.lines
    };
    struct ReasonEntry {
        std::string key;
        Instant due{};
        DoseStatus status = DoseStatus::held;
        std::string text;
        bool focus = true;
    };
    struct Confirm {
        Request request;
        std::string title;
        std::string text;
        Severity severity = Severity::warning;
    };
    struct Form {
        enum Mode { closed, add, change, stop } mode = closed;
        std::string key, name, dose, route, schedule, indication, when, reason;
        int critical = 0;             // 0 default (scheduled opioids), 1 yes, 2 no
        std::string schedule_checked; // the text schedule_words describes
        std::string schedule_words;
        std::string schedule_error;
        std::string error;
        bool scroll = true; // to the top of the view, where it is drawn, as it opens
        bool focus = true;  // its first field takes the keyboard
    };

    // A recorded dose being corrected in the "Recorded today" table.
    struct Correction {
        std::string dose_id;
        std::string what; // "Senna 08:00 given"
        int status = 0;   // 0 as it was, then given, held, refused, entered in error
        std::string when; // empty: the time as it was
        std::string reason;
        bool focus = true;
    };
    std::optional<Correction> correcting_;
    void draw_correction();
    void submit_correction();
    void draw_changes();
    bool past_day() const { return picture_ && !picture_->is_today; }
    void draw_day_chooser();
    // Asks for `day`'s snapshot (empty or today: today); what was being entered for the old day
    // closes.
    void choose_day(std::optional<date::local_days> day);
    void draw_prn_given(); // a past day's as-needed doses

    std::vector<Target> targets(bool nurse) const;
    void record(const app::DoseRow& row, DoseStatus status, Instant now);
    // The time typed in "Given at" (empty: now); nothing, with the reason shown, when unreadable.
    std::optional<Instant> given_time(Instant now);
    void draw_when();
    void give_prn(const app::MedicationLine& line, Instant now);
    void send(Request r);
    void draw_confirm();
    void draw_today(bool nurse, Instant now, const std::vector<Target>& all);
    void draw_prn(Instant now, const std::vector<Target>& all);
    void draw_recorded();
    void draw_list(bool nurse);
    void draw_form();
    void open_form(Form::Mode mode, const app::MedicationLine* line);
    void submit_form();

    std::optional<app::MedicationsPicture> picture_;
    bool nurse_ = true;
    int selected_ = 0; // among targets()
    std::optional<ReasonEntry> reason_;
    std::optional<Confirm> confirm_;
    Form form_;
    std::string when_; // "Given at", as typed
    bool focus_when_ = false;
    std::string status_;
    std::string error_;
    std::optional<Request> request_;
    // The last request sent, for where refusals show.
    Request::Kind sent_kind_ = Request::record_dose;
    Instant refresh_asked_for_{};         // the day_end after which a new day's refresh was asked
    std::optional<date::local_days> day_; // chosen_day()
};

} // namespace solace::ui
