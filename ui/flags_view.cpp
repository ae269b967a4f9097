#include "flags_view.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "fonts.hpp"
#include "keys.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

void FlagsView::start() {
    open_shown_ = open_page;
    selected_ = 0;
    acknowledging_.clear();
    note_.clear();
    error_.clear();
}

void FlagsView::refuse(std::string why) {
    error_ = std::move(why);
}

std::optional<FlagsView::Acknowledge> FlagsView::draw(const app::PatientPicture& picture,
                                                      bool nurse) {
    std::optional<Acknowledge> out;
    const auto& flags = picture.flags;
    const auto open_count =
        std::count_if(flags.begin(), flags.end(), [](const Flag& f) { return !f.acknowledged; });
    const auto& zone = picture.patient.time_zone;
    std::vector<const Flag*> open_flags;
    for (const auto& f : flags)
        if (!f.acknowledged) open_flags.push_back(&f);
    const std::size_t open_hidden = open_flags.size() - std::min(open_flags.size(), open_shown_);
    open_flags.resize(open_flags.size() - open_hidden);
    selected_ = std::clamp(selected_, 0, std::max(0, int(open_flags.size()) - 1));

    // Keys first, so this frame shows what they did.
    if (!ImGui::GetIO().WantTextInput && !open_flags.empty()) {
        if (key_pressed(keys::down))
            selected_ = std::min(selected_ + 1, int(open_flags.size()) - 1);
        if (key_pressed(keys::up)) selected_ = std::max(selected_ - 1, 0);
        if (nurse && acknowledging_.empty() && enter_pressed()) {
            acknowledging_ = open_flags[std::size_t(selected_)]->id;
            note_.clear();
            focus_note_ = true;
            error_.clear();
        }
    }
    if (!acknowledging_.empty() && key_pressed(keys::escape)) acknowledging_.clear();

    if (!error_.empty()) error_message(error_);
    const ImGuiTableFlags table_flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                        ImGuiTableFlags_BordersOuter |
                                        ImGuiTableFlags_SizingStretchProp;
    // Narrow (800 px at Larger text): two columns, the flag and what happened, with the
    // acknowledgement under what happened; five columns there would squeeze the words to a letter.
    const bool narrow = nurse && ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 44.0f;
    const int nurse_columns = narrow ? 2 : 5;
    // The last column's cell, or under what happened when narrow.
    auto last_cell = [&] {
        if (narrow)
            ImGui::Spacing();
        else
            ImGui::TableNextColumn();
    };
    auto setup = [&](const char* last) { // no last column when `last` is null
        if (!nurse) { // a family member reads what each is about in words, no severity codes
            // The sentence names what it is about: no column of its own, room for the words.
            ImGui::TableSetupColumn(phrase(Phrase::nurse_when_column).data(), 0, 1.3f);
            ImGui::TableSetupColumn(phrase(Phrase::nurse_what_column).data(), 0, 3.0f);
            if (last) ImGui::TableSetupColumn(last, 0, 1.6f);
            ImGui::TableHeadersRow();
            return;
        }
        if (narrow) {
            ImGui::TableSetupColumn("Flag", ImGuiTableColumnFlags_WidthFixed,
                                    ImGui::GetFontSize() * 6.0f);
            ImGui::TableSetupColumn("What happened", 0, 1.0f);
            ImGui::TableHeadersRow();
            return;
        }
        ImGui::TableSetupColumn("Severity", ImGuiTableColumnFlags_WidthFixed,
                                ImGui::GetFontSize() * 6.0f);
        ImGui::TableSetupColumn("When", ImGuiTableColumnFlags_WidthFixed,
                                ImGui::GetFontSize() * 10.5f);
        ImGui::TableSetupColumn("About", ImGuiTableColumnFlags_WidthFixed,
                                ImGui::GetFontSize() * 9.0f);
        ImGui::TableSetupColumn("What happened", 0, 3.0f);
        if (last) ImGui::TableSetupColumn(last, 0, 1.6f);
        ImGui::TableHeadersRow();
    };
    const auto& medications = picture.medications;
    auto common = [&](const Flag& f) {
        if (!nurse) {
            ImGui::TableNextColumn();
            paragraph(when_words(f.at, picture.taken_at, zone));
            ImGui::TableNextColumn();
            paragraph(flag_words(f, medications, picture.taken_at, zone));
            return;
        }
        ImGui::TableNextColumn();
        pill(code(f.severity), severity_fill(f.severity), severity_ink(f.severity));
        if (!narrow) ImGui::TableNextColumn();
        paragraph(short_time(f.at, zone));
        if (!narrow) ImGui::TableNextColumn();
        ImGui::PushFont(fonts().bold);
        paragraph(subject_words(f)); // a long medication name wraps in its column
        ImGui::PopFont();
        ImGui::TableNextColumn();
        paragraph(f.detail);
        if (!f.reasons.empty() && ImGui::IsItemHovered()) {
            std::string also;
            for (const auto& r : f.reasons)
                also += (also.empty() ? "" : ", ") + rule_words(r);
            ImGui::SetTooltip("Rule: %s. Also: %s.", rule_words(f.rule).c_str(), also.c_str());
        }
    };

    if (nurse) {
        heading(fmt::format("Open flags ({})", open_count));
        muted(fmt::format("Every flag not yet acknowledged, from the last year. Times are the "
                          "patient's own clock ({}). Up and Down choose a flag, Enter "
                          "acknowledges it.",
                          zone));
    } else {
        heading(say(Phrase::nurse_open_heading, open_count));
        muted(say(
            Phrase::nurse_about,
            std::chrono::duration_cast<date::days>(picture.taken_at - picture.flags_from).count()));
    }
    if (open_count == 0) {
        ImGui::TextColored(good_ink(), "%s",
                           nurse ? "Nothing open: every flag is acknowledged."
                                 : phrase(Phrase::nurse_all_seen).data());
    } else if (ImGui::BeginTable("open", nurse ? nurse_columns : 2, table_flags)) {
        // A family account reads flags; acknowledging them is the nurse's.
        setup(nurse ? "Acknowledge" : nullptr);
        for (std::size_t i = 0; i < open_flags.size(); ++i) {
            const Flag& f = *open_flags[i];
            ImGui::PushID(f.id.c_str());
            ImGui::TableNextRow();
            if (nurse && int(i) == selected_)
                ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1,
                                       ImGui::GetColorU32(ImGuiCol_Header));
            common(f);
            if (!nurse) {
                ImGui::PopID();
                continue;
            }
            last_cell();
            if (acknowledging_ != f.id) {
                if (button("Acknowledge")) {
                    selected_ = int(i);
                    acknowledging_ = f.id;
                    note_.clear();
                    focus_note_ = true;
                    error_.clear();
                }
            } else {
                ImGui::SetNextItemWidth(-1);
                if (focus_note_) {
                    ImGui::SetKeyboardFocusHere();
                    focus_note_ = false;
                }
                const bool enter = ImGui::InputTextWithHint("##note", "note (optional)", &note_,
                                                            ImGuiInputTextFlags_EnterReturnsTrue);
                if (button("Acknowledge") || enter) out = Acknowledge{f.id, note_};
                ImGui::SameLine();
                if (button("Cancel")) acknowledging_.clear();
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (open_hidden > 0) {
        const auto more = std::min(open_hidden, open_page);
        if (nurse)
            muted(fmt::format("{} more open, older or less severe.", open_hidden));
        else
            muted(say(Phrase::nurse_open_more, open_hidden));
        if (button(nurse ? fmt::format("Show {} more", more).c_str()
                         : say(Phrase::nurse_show_more, more).c_str()))
            open_shown_ += open_page;
    }

    ImGui::Spacing();
    const auto done = std::ptrdiff_t(flags.size()) - open_count;
    heading(nurse ? fmt::format("Acknowledged ({})", done) : say(Phrase::nurse_seen_heading, done));
    if (nurse) muted(fmt::format("Since {}.", short_time(picture.flags_from, zone)));
    if (done > 0 && ImGui::BeginTable("acknowledged", nurse ? nurse_columns : 3, table_flags)) {
        setup(nurse ? "Acknowledged by" : phrase(Phrase::nurse_seen_column).data());
        for (const auto& f : flags) {
            if (!f.acknowledged) continue;
            ImGui::PushID(f.id.c_str());
            ImGui::TableNextRow();
            common(f);
            if (nurse) {
                last_cell();
                paragraph(
                    fmt::format("{}{}, {}", narrow ? "Acknowledged by " : "", f.acknowledged_by,
                                f.acknowledged_at ? short_time(*f.acknowledged_at, zone) : ""));
            } else {
                ImGui::TableNextColumn();
                paragraph(say(Phrase::nurse_seen_by, f.acknowledged_by,
                              f.acknowledged_at
                                  ? when_words(*f.acknowledged_at, picture.taken_at, zone)
                                  : ""));
            }
            if (!f.acknowledgement_note.empty())
                muted("\u201C" + f.acknowledgement_note + "\u201D");
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    return out;
}

} // namespace solace::ui
