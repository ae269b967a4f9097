// The History view's visit timeline: each visit, newest first, with when it happened (and when
// it was written, if late), who wrote it, its scores, PPS, its whole note and the doses recorded
// around it; a search keeps the visits whose notes hold every word typed.
#include <algorithm>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "fonts.hpp"
#include "history_view.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {

// Visits drawn at once; "Show more" adds as many again (years of visits, each with a note of
// up to 20,000 characters, would cost every frame).
constexpr std::size_t visits_page = 30;

std::string dose_words(const app::VisitDose& d, const std::string& zone) {
    auto words = fmt::format("{} {}", clock_time(d.given_at, zone),
                             d.medication.empty() ? "a medication no longer listed" : d.medication);
    if (d.as_needed) words += " (as needed)";
    if (d.status != DoseStatus::given) words += fmt::format(", {}: {}", code(d.status), d.reason);
    if (!d.recorded_by.empty()) words += fmt::format(", by {}", d.recorded_by);
    return words;
}

} // namespace

void HistoryView::set_search(std::string words) {
    search_ = std::move(words);
}

void HistoryView::refresh_matches() {
    if (matches_for_ == loads_ && matched_search_ == search_) return;
    visits_shown_ = visits_page; // a new history or new words: the first page again
    matches_for_ = loads_;
    matched_search_ = search_;
    matches_ = app::visits_matching(*history_, search_);
}

void HistoryView::draw_visits() {
    const auto& h = *history_;
    const float fs = ImGui::GetFontSize();
    refresh_matches();

    // Beside the Scores and Visits buttons when it fits: at Larger text on 800 by 600 every line
    // above the first note counts.
    same_line_if_fits(fs * 10, fs * 1.5f);
    ImGui::SetNextItemWidth(std::min(fs * 14, ImGui::GetContentRegionAvail().x));
    ImGui::InputTextWithHint("##search", "Search the notes", &search_);
    refresh_matches();
    const auto count = search_.find_first_not_of(" \t") == std::string::npos
                           ? fmt::format("{} visits in these days", h.visits.size())
                           : fmt::format("{} of {} visits", matches_.size(), h.visits.size());
    same_line_if_fits(ImGui::CalcTextSize(count.c_str()).x, fs);
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::TextUnformatted(count.c_str());
    ImGui::PopStyleColor();

    if (!error_.empty()) error_message(error_); // a reload refused: these may be out of date
    if (h.visits.empty()) {
        muted("No visits in these days.");
        return;
    }
    if (matches_.empty()) {
        muted(fmt::format("No visit note in these days holds every word of \u201C{}\u201D.",
                          search_));
        return;
    }
    const std::size_t shown = std::min(matches_.size(), visits_shown_);
    for (std::size_t i = 0; i < shown; ++i) {
        ImGui::PushID(int(matches_[i]));
        draw_visit(h.visits[matches_[i]]);
        ImGui::PopID();
    }
    if (shown < matches_.size()) {
        ImGui::Spacing();
        const auto more = std::min(visits_page, matches_.size() - shown);
        if (button(fmt::format("Show {} more", more).c_str())) visits_shown_ += visits_page;
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        muted(fmt::format("{} older not shown", matches_.size() - shown));
    }
}

void HistoryView::draw_visit(const app::VisitLine& line) {
    const auto& h = *history_;
    const auto& zone = h.patient.time_zone;
    const auto& v = line.visit;
    const float fs = ImGui::GetFontSize();
    ImGui::Separator();

    // When and the PPS, then who wrote it and, if late, when.
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted(short_time(v.at, zone).c_str());
    ImGui::PopFont();
    if (v.pps) {
        const auto pps = fmt::format("PPS {}%", *v.pps);
        same_line_if_fits(ImGui::CalcTextSize(pps.c_str()).x, fs);
        ImGui::PushFont(fonts().bold);
        ImGui::TextUnformatted(pps.c_str());
        ImGui::PopFont();
    }

    const auto who =
        line.documented_late
            ? fmt::format("{}, written {} ({} after)", v.author, short_time(line.recorded_at, zone),
                          span_words(std::chrono::duration_cast<std::chrono::minutes>(
                              line.recorded_at - v.at)))
            : v.author;
    same_line_if_fits(ImGui::CalcTextSize(who.c_str()).x, fs * 0.6f);
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::TextUnformatted(who.c_str());
    ImGui::PopStyleColor();
    if (line.documented_late) {
        same_line_if_fits(ImGui::CalcTextSize("late entry").x + fs, fs * 0.6f);
        pill("late entry", severity_fill(Severity::info), severity_ink(Severity::info));
    }
    ImGui::PushTextWrapPos(0.0f);
    // The note whole, wrapped: what the next nurse reads first.
    if (!v.note.empty()) ImGui::TextUnformatted(v.note.c_str());
    // The scores, a line of "Pain 6 moderate · Nausea 2 mild"; each score's own note after.
    if (!line.scores.empty()) {
        std::string scores;
        std::string notes;
        for (auto i : line.scores) {
            const auto& s = h.entries[i].score;
            scores += fmt::format("{}{} {} {}{}", scores.empty() ? "" : "  \u00B7  ",
                                  info(s.symptom).label, s.value, label(band_of(s.value)),
                                  h.entries[i].replaced.empty() ? "" : " (corrected)");
            if (!s.note.empty())
                notes += fmt::format("{}{}: {}", notes.empty() ? "" : "\n", info(s.symptom).label,
                                     s.note);
        }
        ImGui::TextUnformatted(scores.c_str()); // wrapped at the pushed position
        if (!notes.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
            ImGui::TextUnformatted(notes.c_str());
            ImGui::PopStyleColor();
        }
    }
    if (!line.doses.empty()) {
        auto doses = fmt::format("Doses within {} h: ", app::visit_doses_within.count());
        for (std::size_t i = 0; i < line.doses.size(); ++i)
            doses += (i ? "; " : "") + dose_words(line.doses[i], zone);
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::TextUnformatted(doses.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
}

} // namespace solace::ui
