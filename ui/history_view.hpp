#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/snapshot.hpp"

namespace solace::ui {

// A patient's symptom history: per symptom, a chart over time (the severity bands behind,
// points by kind of reporter, the comfort goal as a dashed line, flags ringed in their
// severity's colour), then every entry in a table. A nurse corrects an entry from the table
// (a new score and a reason); a family account reads, the latest scores first in plain
// sentences, in larger type, and corrects only a score of its own within the hour.
//
// Beside the scores, the visits: each visit newest first with its time, who wrote it, its
// scores, PPS, whole note and the doses around it, searched by words in the notes; the PPS trend
// is charted with the symptoms.
//
// Draws from an app::PatientHistory it is handed between frames (show()); what it needs, a
// range loaded or a correction saved, it asks for through take_request().
// Keys: Up and Down choose an entry, Enter starts its correction (nurses); in the form Enter
// moves from the score to the reason and then saves, Escape cancels.
class HistoryView {
  public:
    struct Request {
        enum Kind { load, correct } kind = load;
        app::HistoryRange range = app::HistoryRange::month;
        std::int64_t score_id = 0; // correct: the current score, its new value and why
        int value = 0;
        std::string reason;
    };

    // A new patient: nothing loaded, last month, no form open.
    void start(bool nurse);
    // The history to draw, taken for the patient picture with this serial.
    void show(app::PatientHistory history, std::uint64_t picture_serial);
    // What was asked for failed: the reason shows, the typed correction stays.
    void refuse(std::string why);
    // A correction was saved: the form closes and says so; the next history shows it.
    void corrected(std::string message);

    void draw(const app::PatientPicture& picture);
    // The load or correction the last frame asked for, once.
    std::optional<Request> take_request();

    const app::PatientHistory* history() const { return history_ ? &*history_ : nullptr; }
    app::HistoryRange range() const { return range_; }
    bool correcting() const { return form_.has_value(); }
    // Why the last correction or load was refused; empty when it was not.
    const std::string& error() const { return error_; }
    // What the correction form holds (empty when none is open).
    std::string typed_value() const { return form_ ? form_->value : std::string(); }
    std::string typed_reason() const { return form_ ? form_->reason : std::string(); }
    // Whether the last frame drew any control that corrects an entry.
    bool offered_correction() const { return offered_correction_; }
    // The latest score of each symptom in plain words (shown to family accounts), newest first.
    const std::vector<std::string>& plain_lines() const { return plain_; }

    // What the History shows: the scores (charts, the entries) or the visits (notes, PPS).
    enum class Part { scores, visits };
    Part part() const { return part_; }
    void show_part(Part p) { part_ = p; }
    // The words the visit search holds, as if typed into its box.
    const std::string& search() const { return search_; }
    void set_search(std::string words);
    // The visits the timeline lists after the search (indices into history()->visits, newest
    // first), as of the last frame drawn.
    const std::vector<std::uint32_t>& listed_visits() const { return matches_; }

  private:
    struct Tick {
        float at = 0; // 0..1 across the range
        std::string label;
    };
    struct Form {
        std::uint32_t entry = 0;
        std::int64_t score_id = 0;
        std::string value;
        std::string reason;
        bool focus_value = true;
        bool focus_reason = false;
    };

    void request_load_if_stale(const app::PatientPicture& picture);
    void draw_toolbar();
    void draw_plain_words();
    void draw_charts();
    void draw_chart(const app::SymptomChart& chart, float width, std::size_t index);
    void draw_pps_chart(float width);
    void draw_visits();
    void draw_visit(const app::VisitLine& line);
    void refresh_matches();
    float chart_plot_height() const;
    void draw_form();
    void draw_table();
    void entry_tooltip(const app::HistoryEntry& e);
    void open_form(std::uint32_t entry);
    void submit_form();
    void select(std::uint32_t entry, bool scroll);
    const std::vector<Tick>& ticks(float width);
    const std::string& when_text(std::uint32_t entry);
    bool documented_late(const app::HistoryEntry& e) const;
    void rebuild_rows();

    bool nurse_ = true;
    app::HistoryRange range_ = app::HistoryRange::month;
    std::optional<app::PatientHistory> history_;
    std::uint64_t loads_ = 0; // histories shown so far: caches below name the one they are for

    // Which picture and range the history on screen (or the failure) was for, and what is
    // being fetched: a new request only when the wanted one is neither.
    struct Key {
        std::uint64_t serial = 0;
        app::HistoryRange range = app::HistoryRange::month;
        bool operator==(const Key&) const = default;
    };
    std::optional<Key> have_;
    std::optional<Key> asked_;
    std::optional<Request> request_;

    std::vector<std::string> plain_;       // family: the latest scores in sentences
    std::vector<std::string> chart_notes_; // per chart: "latest 8 of 10, Tue 3 Mar 19:30 ..."
    std::vector<std::string> when_;        // per entry, filled as rows are first drawn
    std::vector<Tick> ticks_;
    float ticks_width_ = -1;
    std::uint64_t ticks_for_ = 0;

    int filter_ = -1;                 // a Symptom, or -1 for all
    std::vector<std::uint32_t> rows_; // entries the table lists, newest first
    std::uint64_t rows_for_ = 0;
    int rows_filter_ = -2;

    std::optional<std::uint32_t> selected_; // an entry
    bool chosen_ = false;                   // by the user (else the newest, by default)
    bool scroll_to_selected_ = false;
    std::int64_t select_successor_of_ = 0; // after a correction: select the entry replacing it

    Part part_ = Part::scores;
    std::string pps_note_;        // "latest 40%, Tue 13 Jan"
    bool when_with_year_ = false; // some entry is from another year: its time shows the year
    bool any_late_ = false;       // some entry was documented late
    std::string search_;
    std::string matched_search_;
    std::vector<std::uint32_t> matches_; // visits whose notes hold the search's words
    std::uint64_t matches_for_ = 0;
    std::size_t visits_shown_ = 0; // of matches_, the first this many (a page at a time)

    std::optional<Form> form_;
    std::string error_;
    std::string status_;
    bool offered_correction_ = false;
    bool any_correctable_ = false; // of the history shown: a family member's own recent score
};

} // namespace solace::ui
