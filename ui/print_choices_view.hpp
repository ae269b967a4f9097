#pragma once
#include <optional>
#include <string>
#include <vector>

#include "report/printer.hpp"

namespace solace::ui {

// The choices beside Print on the Summary tab (issue 15): which printer, how many copies, both
// sides where that printer offers it. The printers come from CUPS through the shell, between
// frames; the account's last printer is chosen first, else CUPS's default.
class PrintChoicesView {
  public:
    // Between frames: what CUPS offers (or, when `why_none` is not empty, why nothing could be
    // listed) and the printer this account printed to last. A choice already made is kept.
    void listed(std::vector<report::Printer> printers, std::string why_none,
                const std::string& last_printer);
    bool has_list() const { return has_list_; }

    // Draws the printer, copies and both-sides controls on the current line(s).
    void draw();

    // As chosen, on `paper`.
    report::PrintChoices choices(report::Paper paper) const;
    // The chosen printer's own paper, when it says.
    std::optional<report::Paper> printer_paper() const;

    // As the controls do.
    bool choose(const std::string& printer);
    void set_copies(int copies);
    void set_two_sided(bool on) { two_sided_ = on; }
    // True once after the printer was changed by hand (the paper may follow it).
    bool take_printer_changed();

    const std::vector<report::Printer>& printers() const { return printers_; }
    const report::Printer* chosen() const;

  private:
    std::vector<report::Printer> printers_;
    std::string why_none_;
    std::string chosen_; // a printer's name; empty: CUPS's default
    int copies_ = 1;
    bool two_sided_ = false;
    bool has_list_ = false;
    bool printer_changed_ = false;
};

} // namespace solace::ui
