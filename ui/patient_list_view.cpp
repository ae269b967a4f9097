#include "patient_list_view.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <tuple>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "appearance.hpp"
#include "fonts.hpp"
#include "plain_words.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace solace::ui {

namespace {
enum Column { name_col, mrn_col, age_col, zone_col, diagnosis_col, flags_col };

bool contains_folded(std::string_view text, std::string_view part) {
    auto fold = [](char c) { return char(std::tolower(static_cast<unsigned char>(c))); };
    return std::search(text.begin(), text.end(), part.begin(), part.end(),
                       [&](char a, char b) { return fold(a) == fold(b); }) != text.end();
}

int count_of(const app::PatientRow& r, Severity s) {
    return r.open_by_severity[static_cast<int>(s)];
}

std::tuple<bool, int, int, int, std::int64_t, int> urgency(const app::PatientRow& r) {
    // Older is more urgent; no open flag at all is least.
    const std::int64_t waiting =
        r.oldest_open ? -to_epoch(*r.oldest_open) : std::numeric_limits<std::int64_t>::min();
    return {!r.problem.empty(),
            r.escalated,
            count_of(r, Severity::urgent),
            count_of(r, Severity::warning),
            waiting,
            count_of(r, Severity::info)};
}

// "2 urgent" in the worst severity's colour, then how many lesser ones besides ("+5" when
// `compact`).
void draw_flags(const app::PatientRow& r, bool compact) {
    const int worst = count_of(r, *r.worst);
    pill(fmt::format("{} {}", worst, code(*r.worst)), severity_fill(*r.worst),
         severity_ink(*r.worst));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%d urgent, %d warning, %d info: not yet acknowledged",
                          count_of(r, Severity::urgent), count_of(r, Severity::warning),
                          count_of(r, Severity::info));
    if (r.open_flags > worst) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
        ImGui::Text(compact ? "+%d" : "+%d more", r.open_flags - worst);
        ImGui::PopStyleColor();
    }
}

// Text that may not fit its column shows whole on hover.
void cell_text(const std::string& text) {
    ImGui::TextUnformatted(text.c_str());
    if (ImGui::IsItemHovered() && ImGui::GetItemRectSize().x > ImGui::GetColumnWidth())
        ImGui::SetTooltip("%s", text.c_str());
}
} // namespace

void PatientListView::sort(const app::PatientList& list) {
    order_.clear();
    for (int i = 0; i < int(list.patients.size()); ++i) {
        const auto& p = list.patients[std::size_t(i)];
        if (filter_.empty() || contains_folded(p.name, filter_) || contains_folded(p.mrn, filter_))
            order_.push_back(i);
    }
    auto key_less = [&](int a, int b) {
        const auto& x = list.patients[std::size_t(a)];
        const auto& y = list.patients[std::size_t(b)];
        switch (sort_column_) {
        case mrn_col:
            return x.mrn < y.mrn;
        case age_col:
            return x.age < y.age;
        case zone_col:
            return x.time_zone < y.time_zone;
        case diagnosis_col:
            return x.diagnosis < y.diagnosis;
        case flags_col:
            return more_urgent(y, x);
        default:
            return x.name < y.name;
        }
    };
    std::stable_sort(order_.begin(), order_.end(), [&](int a, int b) {
        return sort_ascending_ ? key_less(a, b) : key_less(b, a);
    });
    sorted_for_ = &list;
    sorted_at_ = list.taken_at;
    sorted_filter_ = filter_;
}

bool more_urgent(const app::PatientRow& a, const app::PatientRow& b) {
    return urgency(a) > urgency(b);
}

void PatientListView::start(std::string who, bool nurse) {
    account_ = std::move(who);
    nurse_ = nurse;
    filter_.clear();
    selected_.clear();
    error_.clear();
    sorted_for_ = nullptr;
}

std::optional<PatientListView::Action> PatientListView::draw(const app::PatientList& list) {
    std::optional<Action> out;
    begin_screen("patients");

    // Top bar: where we are, who is signed in, and the ways out.
    heading("Patients");
    ImGui::SameLine();
    const float buttons = ImGui::CalcTextSize("Refresh").x + ImGui::CalcTextSize("Sign out").x +
                          ImGui::CalcTextSize("Display").x + ImGui::GetStyle().FramePadding.x * 6 +
                          ImGui::GetStyle().ItemSpacing.x * 2;
    const float who_width = ImGui::CalcTextSize(account_.c_str()).x;
    align_right(buttons + who_width + ImGui::GetStyle().ItemSpacing.x);
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    ImGui::TextUnformatted(account_.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    display_menu();
    ImGui::SameLine();
    if (button("Refresh")) out = Action{Action::refresh, {}};
    ImGui::SameLine();
    if (button("Sign out")) out = Action{Action::sign_out, {}};

    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.0f);
    const bool enter_in_search = ImGui::InputTextWithHint(
        "##find", "Find a patient by name or MRN", &filter_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (sorted_for_ != &list || sorted_at_ != list.taken_at || sorted_filter_ != filter_)
        sort(list);
    const auto total = list.patients.size();
    const auto count = filter_.empty()
                           ? fmt::format("{} {}", total, total == 1 ? "patient" : "patients")
                           : fmt::format("{} of {} {} match", order_.size(), total,
                                         total == 1 ? "patient" : "patients");
    const auto counts = !nurse_ ? count
                        : list.older_counted
                            ? count + ". Open flags: not yet acknowledged (the last year)."
                            : count + ". Open flags: not yet acknowledged, the last 7 days "
                                      "(counting older ones...).";
    // Beside the search when it fits there on one line, else under it: wrapped lines would
    // start under the search field.
    same_line_if_fits(ImGui::CalcTextSize(counts.c_str()).x);
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
    paragraph(counts);
    ImGui::PopStyleColor();
    // Enter in the search opens the one patient it found.
    if (enter_in_search && order_.size() == 1) {
        selected_ = list.patients[std::size_t(order_[0])].mrn;
        out = Action{Action::open, selected_};
        error_.clear();
    }

    if (!error_.empty()) error_message(error_);

    const ImGuiTableFlags flags =
        ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
        ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
        ImGuiTableFlags_NoBordersInBodyUntilResize | ImGuiTableFlags_SizingStretchProp;
    // As tall as its rows, so a short list does not trail an empty grid; scrolls when longer.
    // A family member's rows hold two lines, for the count of things for the nurse in words.
    const float row_height = ImGui::GetFrameHeight() * (nurse_ ? 1.15f : 2.3f);
    const float header_height = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
    const float rows_height = float(order_.size()) * row_height + header_height + 2.0f;
    const ImVec2 table_size(0, std::min(ImGui::GetContentRegionAvail().y, rows_height));
    // A narrow window or large text keeps the columns a nurse decides by (who, MRN, age, open
    // flags) wide enough to read; the zone and diagnosis show on hovering the name.
    const bool compact = ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 48.0f;
    const ImGuiTableColumnFlags in_full = compact ? ImGuiTableColumnFlags_Disabled : 0;
    if (ImGui::BeginTable("patients", 6, flags, table_size)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Patient", ImGuiTableColumnFlags_DefaultSort, 2.2f, name_col);
        ImGui::TableSetupColumn("MRN", 0, 1.0f, mrn_col);
        ImGui::TableSetupColumn(compact ? "Age" : "Age (born)", 0, compact ? 0.6f : 1.4f, age_col);
        ImGui::TableSetupColumn("Time zone", in_full, 1.6f, zone_col);
        ImGui::TableSetupColumn("Diagnosis", in_full, 2.4f, diagnosis_col);
        const auto flags_heading =
            nurse_ ? std::string("Open flags") : std::string(phrase(Phrase::nurse_column));
        ImGui::TableSetupColumn(flags_heading.c_str(), ImGuiTableColumnFlags_PreferSortDescending,
                                1.9f, flags_col);
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
            specs && specs->SpecsDirty && specs->SpecsCount > 0) {
            sort_column_ = int(specs->Specs[0].ColumnUserID);
            sort_ascending_ = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
            specs->SpecsDirty = false;
            sort(list);
        }

        // Only the rows in sight are built: the frame costs the same for 10 or 1000 patients.
        ImGuiListClipper clipper;
        clipper.Begin(int(order_.size()), row_height);
        while (clipper.Step())
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                const int i = order_[std::size_t(row)];
                const auto& p = list.patients[std::size_t(i)];
                ImGui::TableNextRow(0, row_height);
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                const bool selected = p.mrn == selected_;
                ImGui::PushFont(fonts().bold);
                if (ImGui::Selectable(
                        p.name.c_str(), selected,
                        ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick,
                        ImVec2(0, row_height - ImGui::GetStyle().CellPadding.y * 2))) {
                    selected_ = p.mrn;
                    if (ImGui::IsMouseDoubleClicked(0)) {
                        out = Action{Action::open, p.mrn};
                        error_.clear();
                    }
                }
                ImGui::PopFont();
                if (compact && ImGui::IsItemHovered())
                    ImGui::SetTooltip("%s\n%s\n%s", p.name.c_str(), p.diagnosis.c_str(),
                                      p.time_zone.c_str());
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(p.mrn.c_str());
                ImGui::TableNextColumn();
                if (compact)
                    ImGui::Text("%d", p.age);
                else
                    ImGui::Text("%d (%s)", p.age, p.date_of_birth.c_str());
                ImGui::TableNextColumn();
                cell_text(p.time_zone);
                ImGui::TableNextColumn();
                cell_text(p.diagnosis);
                ImGui::TableNextColumn();
                if (!p.problem.empty()) {
                    ImGui::PushStyleColor(ImGuiCol_Text, error_ink());
                    ImGui::TextUnformatted("could not check");
                    ImGui::PopStyleColor();
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.problem.c_str());
                } else if (p.open_flags == 0 || !p.worst) {
                    ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
                    ImGui::TextUnformatted(nurse_ ? "none" : nurse_count_words(0).c_str());
                    ImGui::PopStyleColor();
                } else if (!nurse_) { // a count in words, not the nurses' triage
                    paragraph(nurse_count_words(p.open_flags)); // a family has few rows: wraps
                } else {
                    draw_flags(p, compact);
                }
            }
        ImGui::EndTable();
    }

    // Keyboard: up and down move the selection, Enter opens the patient.
    if (!ImGui::GetIO().WantTextInput && !order_.empty()) {
        auto at = std::find_if(order_.begin(), order_.end(), [&](int i) {
            return list.patients[std::size_t(i)].mrn == selected_;
        });
        const int pos = at == order_.end() ? -1 : int(at - order_.begin());
        const int last = int(order_.size()) - 1;
        int next = pos;
        if (key_pressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) next = std::min(pos + 1, last);
        if (key_pressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) next = std::max(pos - 1, 0);
        if (next != pos && next >= 0)
            selected_ = list.patients[std::size_t(order_[std::size_t(next)])].mrn;
        if (pos >= 0 && enter_pressed()) out = Action{Action::open, selected_};
    }
    end_screen();
    return out;
}

} // namespace solace::ui
