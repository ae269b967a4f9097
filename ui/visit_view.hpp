#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "app/clinic.hpp"
#include "app/snapshot.hpp"

namespace solace::ui {

// The nurse's visit: ESAS-r scores, who answered, PPS and a note, typed from the keyboard.
// A digit sets the score of the row in focus ("1" then "0" within a second gives 10), Enter or
// Tab moves on, Shift+Tab goes back, Backspace clears, Ctrl+S saves.
class VisitView {
  public:
    // Starts an empty visit; a family account answers as caregiver and records no PPS.
    void start(bool nurse);
    // After a save: the form empties and says so. After a refusal: the values stay.
    void saved(std::string message);
    // After a family member saved a severe score: what to do now, above the form until the
    // next save or patient (plain_words call_now_words).
    void call_now(std::string words) { call_now_ = std::move(words); }
    const std::string& call_now_text() const { return call_now_; }
    void refuse(std::string why);

    // The visit to save, when the nurse asks; `at` is left for the caller to set.
    std::optional<app::VisitEntry> draw(const app::PatientPicture& picture);

    // What is typed so far (for drafts and tests).
    app::VisitEntry entry() const;
    bool more() const { return more_; }
    int focus_row() const { return row_; }
    // When the visit happened, as typed ("" = now, "08:30", "yesterday 20:00"); Ctrl+T edits it.
    const std::string& when_text() const { return when_; }

    // A visit typed earlier and never saved (after a lock, a switch or a crash): offered above
    // the form until the user restores or discards it. `when` reads "14:32" or "Tue 3 Mar 14:32".
    enum class DraftAnswer { restored, discarded };
    void offer_draft(app::VisitEntry draft, bool more, std::string when);
    bool offering_draft() const { return offer_.has_value(); }
    // Restore or Discard, once, as clicked in the last frame.
    std::optional<DraftAnswer> take_draft_answer();
    // Puts a draft's values in the form.
    void restore(const app::VisitEntry& draft, bool more);
    // Why the typing could not be kept as a draft (empty: it was).
    void draft_problem(std::string why) { draft_problem_ = std::move(why); }

  private:
    struct Row {
        enum Kind { symptom, pps, bowel, note } kind = symptom;
        Symptom item = Symptom::pain;
    };
    std::vector<Row> rows() const;
    static std::string row_label(const Row& row);
    void digit(const Row& row, int d, double now);
    void clear(const Row& row);
    void move(int by);
    void draw_score_row(const app::PatientPicture& picture, std::size_t i, const Row& row);
    // The score before (same kind of reporter) and the flag the typed one would raise.
    void draw_before(const app::PatientPicture& picture, const Row& row);
    // A row's label, bold on the current row, wrapped at the column's edge.
    static void draw_label(const std::string& label, bool current);
    void draw_would_raise(const Row& row);
    // One button per value, `first` to `last` by `step`, fitted to the cell; the one clicked.
    std::optional<int> value_buttons(int first, int last, int step, std::optional<int> chosen);
    // A row of one button per value, `first` to `last` by `step`; returns the one clicked.
    std::optional<int> draw_choice_row(std::size_t i, const char* label, const char* tip, int first,
                                       int last, int step, std::optional<int> chosen);
    void draw_note_row(std::size_t i);
    void update_preview(const app::PatientPicture& picture);

    bool nurse_ = true;
    Reporter reporter_ = Reporter::patient;
    std::array<std::optional<int>, 9> scores_{}; // by Symptom
    std::optional<int> pps_;
    std::optional<int> bowel_; // Bristol stool type of a bowel movement since the last visit
    std::string note_;
    std::string when_;
    bool more_ = false; // the optional ESAS-r items shown
    // Too narrow for four columns (a small window or large text): "before" and "would raise"
    // go on a second line under each score's buttons.
    bool narrow_ = false;
    bool scroll_to_row_ = false; // the row moved by keyboard: scroll it into sight
    void keep_in_sight(float row_top);

    int row_ = 0;
    bool focus_note_ = false; // give the note field the keyboard next frame
    bool note_active_ = false;
    bool focus_when_ = false;
    bool when_active_ = false;
    // After a save or clear: an active text field would write its old text back next frame.
    bool drop_text_focus_ = false;
    void draw_when();
    int last_digit_ = -1; // for "1 then 0"
    int last_digit_row_ = -1;
    double last_digit_at_ = 0;

    std::string status_;
    bool status_is_error_ = false;
    std::string call_now_;

    struct Offer {
        app::VisitEntry draft;
        bool more = false;
        std::string when;
    };
    std::optional<Offer> offer_;
    std::optional<DraftAnswer> draft_answer_;
    std::string draft_problem_;
    void draw_offer();

    // The flags the typed scores would raise, recomputed only when a score changes.
    std::vector<Flag> preview_;
    bool preview_stale_ = true;
    const app::PatientPicture* preview_for_ = nullptr;
    Instant preview_taken_at_{};
};

} // namespace solace::ui
