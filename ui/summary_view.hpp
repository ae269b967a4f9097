#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/snapshot.hpp"
#include "print_choices_view.hpp"
#include "report/pdf.hpp"
#include "report/weekly_summary.hpp"

namespace solace::ui {

// The weekly summary for the oncologist (issue 5 item 5): choose the week, see its pages as
// they will print, save the PDF, print it. The summary is built and its pages drawn by the
// shell between frames (requests below); draw() only shows what it was given.
//
// Printing is offered only when the account may print (nurses always; family accounts while
// the agency's setting family_may_print allows it), as report::may_print says at build time.
class SummaryView {
  public:
    struct Request {
        enum Kind {
            build,  // the summary of `week`, then its pages one by one
            render, // page `page` of the summary shown
            save,   // the PDF to `path`
            print,  // as `choices` say
        } kind = build;
        report::IsoWeek week;
        report::PdfOptions options;
        int page = 0;
        double scale = 1.5; // pixels per point for the preview
        std::string path;
        bool replace = false;         // save: the nurse said to replace the file already there
        report::PrintChoices choices; // for print
        std::uint64_t generation = 0; // which build a render belongs to
    };

    // Turns a page's RGBA pixels into something ImGui::Image draws, and frees it. The window
    // sets OpenGL's (use_gl_textures); headless there is none and pages are shown as frames.
    struct Textures {
        std::function<ImTextureID(const report::PageImage&)> upload;
        std::function<void(ImTextureID)> release;
    };
    static void use_gl_textures();
    static void set_textures(Textures t);

    SummaryView() = default;
    ~SummaryView();
    SummaryView(const SummaryView&) = delete;
    SummaryView& operator=(const SummaryView&) = delete;

    // A new patient: nothing built; the week list is made on the first draw.
    void start(bool nurse);
    void draw(const app::PatientPicture& picture);
    std::optional<Request> take_request();

    // Between frames, from the shell: the summary built for `generation`, its page count and
    // whether this account may print it; then each page as it is drawn.
    void show(std::uint64_t generation, report::WeeklySummary summary, int pages, bool may_print);
    void page_drawn(std::uint64_t generation, int page, report::PageImage image);
    // Between frames, from the shell: the printers CUPS offers (see PrintChoicesView::listed).
    // Unless a paper was chosen by hand, the paper follows the chosen printer's.
    void printers_listed(std::vector<report::Printer> printers, std::string why_none,
                         const std::string& last_printer);
    // After a save or print: what happened, in words; `error` in the error colour.
    void said(std::string message, bool error);
    // Before a save, from the shell: a file is already at `path`; the view asks whether to
    // replace it (Replace sends the save again with `replace`).
    void ask_replace(std::string path);
    bool asking_replace() const { return !replace_path_.empty(); }

    // For the shell and tests.
    const report::WeeklySummary* summary() const { return summary_ ? &*summary_ : nullptr; }
    std::uint64_t generation() const { return generation_; }
    int pages() const { return pages_; }
    int pages_drawn() const;
    bool print_offered() const { return summary_ && may_print_; }
    PrintChoicesView& print_choices() { return print_; }
    report::Paper paper() const { return paper_; }
    const std::string& message() const { return message_; }
    bool message_is_error() const { return message_is_error_; }
    const std::string& path() const { return path_; }
    // As if typed in the Save to field.
    void set_path(std::string path) {
        path_ = std::move(path);
        path_edited_ = true;
    }
    // Page `page` as drawn, where there is no texture to hold it (headless); else null.
    const report::PageImage* preview(int page) const;
    const report::IsoWeek& week() const;
    // Chooses the week at `index` of the list (0 this week, 1 last week, ...), as the combo does.
    void choose_week(std::size_t index);

    // Where a PDF is saved when the path is left as offered: the XDG documents folder
    // (xdg-user-dirs), else the home folder.
    static std::filesystem::path documents_folder();
    // `typed` as a file to write: ~ expanded, a relative path under `folder`, a folder gets
    // `file_name` inside it.
    static std::filesystem::path resolve_path(const std::string& typed,
                                              const std::filesystem::path& folder,
                                              const std::string& file_name);

  private:
    struct Page {
        int width = 0, height = 0;
        ImTextureID texture = nullptr;
        report::PageImage image; // kept only where there is no texture (headless)
        bool drawn = false;
    };
    struct WeekChoice {
        report::IsoWeek week;
        std::string label;
    };
    void make_weeks(const app::PatientPicture& picture);
    void rebuild();
    void release_pages();
    void draw_controls();
    void draw_print();
    void draw_replace_question();
    void draw_pages();
    void follow_printer_paper();

    bool nurse_ = true;
    std::vector<WeekChoice> weeks_;
    std::string weeks_for_;                 // the zone and local day the list was made for
    const date::time_zone* zone_ = nullptr; // the patient's
    Instant now_{};                         // when the list was made
    std::size_t chosen_ = 1;                // last week: the one a nurse prints for the oncologist
    std::optional<report::IsoWeek> other_week_;
    std::string other_text_;
    std::string other_error_;
    report::Paper paper_ = report::Paper::a4;
    bool paper_set_ = false;
    bool paper_chosen_ = false; // by hand: it no longer follows the printer

    std::optional<report::WeeklySummary> summary_;
    std::uint64_t generation_ = 0;
    int pages_ = 0;
    bool may_print_ = false;
    bool building_ = false;
    std::vector<Page> page_list_;

    std::string folder_; // where saves go unless the path says otherwise
    std::string path_;
    bool path_edited_ = false;
    std::string default_name_; // the usual file name of the summary shown
    std::string replace_path_; // a file already there, while asking whether to replace it
    PrintChoicesView print_;
    std::string message_;
    bool message_is_error_ = false;
    bool busy_ = false; // a save or print is on its way

    int last_frame_ = -10; // to notice the tab being shown again
    float width_ = 1200;   // the view's width and text size in the last frame: the pages' scale
    float font_ = 18;
    std::optional<Request> request_;
};

} // namespace solace::ui
