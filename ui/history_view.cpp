// The History view: what is loaded and chosen, its keys, and the order of its parts (the
// toolbar, charts, correction form and entries table, each drawn in a history_*.cpp of its own).
#include "history_view.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "fonts.hpp"
#include "history_marks.hpp"
#include "keys.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

using namespace history_marks;

void HistoryView::start(bool nurse) {
    nurse_ = nurse;
    range_ = app::HistoryRange::month;
    history_.reset();
    have_.reset();
    asked_.reset();
    request_.reset();
    plain_.clear();
    chart_notes_.clear();
    when_.clear();
    ticks_.clear();
    ticks_width_ = -1;
    filter_ = -1;
    rows_.clear();
    rows_filter_ = -2;
    selected_.reset();
    chosen_ = false;
    scroll_to_selected_ = false;
    select_successor_of_ = 0;
    form_.reset();
    error_.clear();
    status_.clear();
    offered_correction_ = false;
    part_ = Part::scores;
    pps_note_.clear();
    when_with_year_ = false;
    any_late_ = false;
    search_.clear();
    matched_search_.clear();
    matches_.clear();
    matches_for_ = 0;
    visits_shown_ = 0;
}

void HistoryView::show(app::PatientHistory history, std::uint64_t picture_serial) {
    // 0 when nothing was selected: score ids start at 1 (a plain id, not std::optional, since
    // GCC 12 at -O2 warns falsely that an optional's value may be used uninitialised).
    const std::int64_t selected_id = selected_ && history_ && *selected_ < history_->entries.size()
                                         ? history_->entries[*selected_].score.id
                                         : 0;
    history_ = std::move(history);
    ++loads_;
    have_ = Key{picture_serial, history_->range};
    asked_.reset();
    range_ = history_->range;
    error_.clear();
    const auto& h = *history_;
    const auto& zone = h.patient.time_zone;
    any_correctable_ = std::any_of(h.entries.begin(), h.entries.end(),
                                   [](const app::HistoryEntry& e) { return e.correctable; });

    when_.assign(h.entries.size(), std::string());
    chart_notes_.clear();
    plain_.clear();
    std::vector<std::uint32_t> latest;
    for (const auto& c : h.charts) {
        std::string note;
        if (c.latest) {
            const auto& s = h.entries[*c.latest].score;
            auto day = short_time(s.observed_at, zone); // "Wed 25 Nov 10:37": the day will do
            if (const auto space = day.rfind(' '); space != std::string::npos) day.resize(space);
            note = fmt::format("latest {} {}, {}", s.value, label(band_of(s.value)), day);
            latest.push_back(*c.latest);
        } else {
            note = "no scores in these days";
        }
        if (!c.goals.empty()) note += fmt::format("  \u00B7  goal {}", c.goals.back().goal);
        chart_notes_.push_back(std::move(note));
    }
    pps_note_ = h.pps.empty() ? std::string("none in these days")
                              : fmt::format("latest {}%, {}", h.pps.back().value,
                                            short_time(h.pps.back().observed_at, zone));
    // short_time gives "Tue 3 Mar 09:30", with the year as a fourth space-separated word for a
    // time in another year: the oldest and newest entries tell whether any has one.
    auto has_year = [&](Instant t) {
        const auto words = short_time(t, zone);
        return std::count(words.begin(), words.end(), ' ') > 3;
    };
    when_with_year_ = !h.entries.empty() && (has_year(h.entries.back().score.observed_at) ||
                                             has_year(h.entries.front().score.observed_at));
    any_late_ = std::any_of(h.entries.begin(), h.entries.end(),
                            [&](const app::HistoryEntry& e) { return documented_late(e); });

    std::sort(latest.begin(), latest.end()); // entries are newest first
    for (auto i : latest) {
        const auto& e = h.entries[i];
        plain_.push_back(
            plain_sentence(e.score.symptom, e.score.value, e.score.observed_at, h.taken_at, zone));
    }

    // Keep the selection on the same entry, or on the one that corrected it.
    selected_.reset();
    for (std::uint32_t i = 0; i < h.entries.size(); ++i) {
        const auto& e = h.entries[i];
        if ((selected_id != 0 && e.score.id == selected_id) ||
            (select_successor_of_ != 0 && e.score.supersedes == select_successor_of_)) {
            selected_ = i;
            break;
        }
    }
    select_successor_of_ = 0;
    if (!selected_ && !h.entries.empty()) {
        selected_ = 0;
        chosen_ = false;
    }
    if (form_) { // the entry being corrected may have moved, or gone
        const auto it = std::find_if(h.entries.begin(), h.entries.end(),
                                     [&](const auto& e) { return e.score.id == form_->score_id; });
        if (it == h.entries.end())
            form_.reset();
        else
            form_->entry = std::uint32_t(it - h.entries.begin());
    }
}

void HistoryView::refuse(std::string why) {
    error_ = std::move(why);
    if (asked_) {
        have_ = asked_;
        asked_.reset();
    }
}

void HistoryView::corrected(std::string message) {
    if (form_) select_successor_of_ = form_->score_id;
    form_.reset();
    error_.clear();
    status_ = std::move(message);
}

std::optional<HistoryView::Request> HistoryView::take_request() {
    auto r = std::move(request_);
    request_.reset();
    return r;
}

void HistoryView::request_load_if_stale(const app::PatientPicture& picture) {
    const Key want{picture.serial, range_};
    if (have_ == want || asked_ == want) return;
    if (request_) return; // a correction is on its way; the load follows it
    asked_ = want;
    request_ = Request{Request::load, range_, 0, 0, {}};
}

void HistoryView::draw(const app::PatientPicture& picture) {
    offered_correction_ = false;
    request_load_if_stale(picture);

    draw_toolbar();
    if (!history_ || history_->patient.id != picture.patient.id) {
        if (!error_.empty())
            error_message(error_);
        else
            muted("Reading the history\u2026");
        return;
    }

    if (part_ == Part::visits) {
        draw_visits();
        return;
    }

    rebuild_rows();
    // Keys: choose an entry, start its correction.
    const bool down = key_pressed(keys::down), up = key_pressed(keys::up);
    if (!ImGui::GetIO().WantTextInput && !form_ && !rows_.empty()) {
        // Looked up only on a key: rows_ may hold every entry of years.
        const auto pos = selected_ && (down || up)
                             ? std::find(rows_.begin(), rows_.end(), *selected_)
                             : rows_.end();
        if (down) {
            select(pos == rows_.end() ? rows_.front() : *std::min(pos + 1, rows_.end() - 1), true);
        } else if (up) {
            select(pos == rows_.end() || pos == rows_.begin() ? rows_.front() : *(pos - 1), true);
        } else if (nurse_ && enter_pressed() && selected_ &&
                   std::find(rows_.begin(), rows_.end(), *selected_) != rows_.end()) {
            open_form(*selected_); // only an entry the table shows
        }
    }
    if (form_ && key_pressed(keys::escape)) {
        form_.reset();
        error_.clear();
    }

    if (!nurse_) draw_plain_words();
    draw_charts();
    ImGui::Spacing();
    draw_form(); // with the reason a correction or a reload was refused
    draw_table();
}

void HistoryView::draw_plain_words() {
    heading("Latest scores");
    if (plain_.empty()) {
        paragraph("Nothing has been recorded in these days.");
        return;
    }
    // plain_ follows the latest entries newest first; the reporter goes beside each sentence.
    std::vector<std::uint32_t> latest;
    for (const auto& c : history_->charts)
        if (c.latest) latest.push_back(*c.latest);
    std::sort(latest.begin(), latest.end());
    for (std::size_t i = 0; i < plain_.size() && i < latest.size(); ++i) {
        const auto& e = history_->entries[latest[i]];
        ImGui::TextUnformatted(plain_[i].c_str());
        const auto who = fmt::format("\u2014 {}{}", reporter_words(e.score.reporter),
                                     e.replaced.empty() ? "" : " (corrected)");
        same_line_if_fits(ImGui::CalcTextSize(who.c_str()).x);
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextUnformatted(who.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Spacing();
}

void HistoryView::select(std::uint32_t entry, bool scroll) {
    selected_ = entry;
    chosen_ = true;
    scroll_to_selected_ = scroll;
}

} // namespace solace::ui
