#include "print_choices_view.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <imgui.h>

#include "widgets.hpp"

namespace solace::ui {

namespace {

// A printer as the list shows it: its name, its description when that says more, and why it
// would not print now.
std::string printer_words(const report::Printer& p) {
    std::string words = p.name;
    if (!p.description.empty() && p.description != p.name)
        words += fmt::format(" — {}", p.description);
    if (p.is_default) words += "  (default)";
    if (p.stopped)
        words += "  (stopped)";
    else if (!p.accepting)
        words += "  (not taking jobs)";
    return words;
}

} // namespace

void PrintChoicesView::listed(std::vector<report::Printer> printers, std::string why_none,
                              const std::string& last_printer) {
    printers_ = std::move(printers);
    why_none_ = std::move(why_none);
    auto known = [&](const std::string& name) {
        return std::any_of(printers_.begin(), printers_.end(),
                           [&](const report::Printer& p) { return p.name == name; });
    };
    if (!has_list_ && !last_printer.empty() && known(last_printer)) chosen_ = last_printer;
    if (!chosen_.empty() && !known(chosen_)) chosen_.clear();
    if (chosen_.empty())
        for (const auto& p : printers_)
            if (p.is_default) chosen_ = p.name;
    if (chosen_.empty() && !printers_.empty()) chosen_ = printers_.front().name;
    has_list_ = true;
}

const report::Printer* PrintChoicesView::chosen() const {
    for (const auto& p : printers_)
        if (p.name == chosen_) return &p;
    return nullptr;
}

bool PrintChoicesView::choose(const std::string& printer) {
    if (printer == chosen_) return true;
    for (const auto& p : printers_)
        if (p.name == printer) {
            chosen_ = printer;
            printer_changed_ = true;
            return true;
        }
    return false;
}

void PrintChoicesView::set_copies(int copies) {
    copies_ = std::clamp(copies, 1, report::max_copies);
}

bool PrintChoicesView::take_printer_changed() {
    const bool changed = printer_changed_;
    printer_changed_ = false;
    return changed;
}

report::PrintChoices PrintChoicesView::choices(report::Paper paper) const {
    const auto* p = chosen();
    return {chosen_, copies_, paper, two_sided_ && p && p->two_sided};
}

std::optional<report::Paper> PrintChoicesView::printer_paper() const {
    const auto* p = chosen();
    return p ? p->paper : std::nullopt;
}

void PrintChoicesView::draw() {
    const float em = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Printer");
    ImGui::SameLine();
    if (printers_.empty()) {
        muted(has_list_ ? (why_none_.empty() ? "CUPS has no printers set up; Print tries the "
                                               "default printer."
                                             : why_none_)
                        : "Looking for printers…");
    } else {
        float width = em * 12.0f;
        for (const auto& p : printers_)
            width = std::max(width, ImGui::CalcTextSize(printer_words(p).c_str()).x);
        ImGui::SetNextItemWidth(std::min(width + ImGui::GetFrameHeight() * 1.5f, em * 30.0f));
        const auto* current = chosen();
        if (ImGui::BeginCombo("##printer", current ? printer_words(*current).c_str() : "")) {
            for (const auto& p : printers_) {
                const bool selected = p.name == chosen_;
                if (ImGui::Selectable(printer_words(p).c_str(), selected)) choose(p.name);
                if (selected) ImGui::SetItemDefaultFocus();
            }
            ImGui::EndCombo();
        }
    }
    ImGui::SameLine(0.0f, em);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Copies");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 6.0f);
    int copies = copies_;
    if (ImGui::InputInt("##copies", &copies, 1, 5)) set_copies(copies);
    if (const auto* p = chosen(); p && p->two_sided) {
        ImGui::SameLine(0.0f, em);
        ImGui::Checkbox("Both sides", &two_sided_);
    }
}

} // namespace solace::ui
