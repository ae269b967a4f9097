#include "summary_view.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>

#include <GL/gl.h>
#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "domain/error.hpp"
#include "report/output.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace solace::ui {

namespace {

float text_width(const char* text) {
    return ImGui::CalcTextSize(text).x;
}

float button_width(const char* label) {
    return text_width(label) + ImGui::GetStyle().FramePadding.x * 2.0f;
}

// Weeks offered in the list: this one and the eleven before it (a quarter).
constexpr int weeks_offered = 12;

SummaryView::Textures& textures() {
    static SummaryView::Textures t;
    return t;
}

std::string home() {
    const char* h = std::getenv("HOME");
    return h && *h == '/' ? std::string(h) : std::string();
}

// XDG_DOCUMENTS_DIR from user-dirs.dirs: `XDG_DOCUMENTS_DIR="$HOME/Documents"`.
std::filesystem::path xdg_documents() {
    const std::string h = home();
    std::filesystem::path config;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x == '/')
        config = x;
    else if (!h.empty())
        config = std::filesystem::path(h) / ".config";
    else
        return {};
    std::ifstream in(config / "user-dirs.dirs");
    std::string line;
    while (std::getline(in, line)) {
        constexpr std::string_view key = "XDG_DOCUMENTS_DIR=";
        if (line.rfind(key, 0) != 0) continue;
        std::string value = line.substr(key.size());
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        if (value.rfind("$HOME", 0) == 0) value = h + value.substr(5);
        // The spec: "$HOME" alone means the documents folder is switched off.
        if (value.empty() || value[0] != '/' || value == h) return {};
        return value;
    }
    return {};
}

} // namespace

void SummaryView::set_textures(Textures t) {
    textures() = std::move(t);
}

void SummaryView::use_gl_textures() {
    set_textures({[](const report::PageImage& image) -> ImTextureID {
                      GLuint id = 0;
                      glGenTextures(1, &id);
                      glBindTexture(GL_TEXTURE_2D, id);
                      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
                      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
                      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
                      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
                      glPixelStorei(GL_UNPACK_ALIGNMENT, 1); // rows have no padding
                      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, image.width, image.height, 0, GL_RGBA,
                                   GL_UNSIGNED_BYTE, image.rgba.data());
                      glBindTexture(GL_TEXTURE_2D, 0);
                      return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(id));
                  },
                  [](ImTextureID t) {
                      const auto id = static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(t));
                      glDeleteTextures(1, &id);
                  }});
}

std::filesystem::path SummaryView::documents_folder() {
    std::error_code ec;
    if (auto d = xdg_documents(); !d.empty() && std::filesystem::is_directory(d, ec)) return d;
    if (auto h = home(); !h.empty()) return h;
    return std::filesystem::current_path(ec);
}

std::filesystem::path SummaryView::resolve_path(const std::string& typed,
                                                const std::filesystem::path& folder,
                                                const std::string& file_name) {
    std::string text = typed;
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.pop_back();
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.erase(0, 1);
    if (text.empty()) return {};
    std::filesystem::path p;
    if (text == "~" || text.rfind("~/", 0) == 0)
        p = std::filesystem::path(home()) / text.substr(std::min<std::size_t>(2, text.size()));
    else
        p = text;
    if (p.is_relative()) p = folder / p;
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) p /= file_name;
    return p;
}

SummaryView::~SummaryView() {
    release_pages();
}

void SummaryView::release_pages() {
    for (auto& p : page_list_)
        if (p.texture && textures().release) textures().release(p.texture);
    page_list_.clear();
}

void SummaryView::start(bool nurse) {
    nurse_ = nurse;
    weeks_.clear();
    weeks_for_.clear();
    chosen_ = 1;
    other_week_.reset();
    other_text_.clear();
    other_error_.clear();
    if (!paper_set_) {
        paper_ = report::default_paper(); // the locale's paper, as the command line uses
        paper_set_ = true;
    }
    summary_.reset();
    pages_ = 0;
    may_print_ = false;
    building_ = false;
    release_pages();
    folder_ = documents_folder().string();
    print_ = {};
    paper_chosen_ = false;
    path_.clear();
    path_edited_ = false;
    default_name_.clear();
    replace_path_.clear();
    message_.clear();
    message_is_error_ = false;
    busy_ = false;
    last_frame_ = -10;
    request_.reset();
}

const report::IsoWeek& SummaryView::week() const {
    static const report::IsoWeek none;
    if (other_week_) return *other_week_;
    if (chosen_ < weeks_.size()) return weeks_[chosen_].week;
    return none;
}

void SummaryView::choose_week(std::size_t index) {
    if (index >= weeks_.size()) return;
    chosen_ = index;
    other_week_.reset();
    other_error_.clear();
    rebuild();
}

void SummaryView::make_weeks(const app::PatientPicture& picture) {
    const date::time_zone* zone = nullptr;
    try {
        zone = find_zone(picture.patient.time_zone);
    } catch (const std::exception&) {
        zone = date::current_zone();
    }
    const auto local = date::zoned_seconds(zone, picture.taken_at).get_local_time();
    const auto key = fmt::format("{} {}", zone->name(),
                                 date::floor<date::days>(local).time_since_epoch().count());
    zone_ = zone;
    now_ = picture.taken_at;
    if (key == weeks_for_) return;
    const bool had = !weeks_.empty();
    const auto before = week();
    weeks_for_ = key;
    weeks_.clear();
    const auto monday = report::monday_of(report::parse_week("this", picture.taken_at, zone));
    for (int i = 0; i < weeks_offered; ++i) {
        const auto w = report::week_of(monday - date::days{7 * i});
        const auto dates = report::week_dates(w);
        std::string label;
        if (i == 0)
            label = fmt::format("This week: {}", dates);
        else if (i == 1)
            label = fmt::format("Last week: {}", dates);
        else
            label = dates;
        weeks_.push_back({w, fmt::format("{}  ({})", label, report::format_week(w))});
    }
    // A new week began while the view was open: "last week" now means another week.
    if (had && !other_week_ && !(week() == before)) rebuild();
}

void SummaryView::rebuild() {
    ++generation_;
    building_ = true;
    // Pages drawn at 1.5 pixels a point at the standard text size (a page reads like paper),
    // less where the window is narrower, so a page is never shrunk again on screen.
    const double fit = (width_ - font_ * 1.5) / report::page_size(paper_).width;
    const double scale = std::clamp(std::min(1.5 * font_ / 18.0, fit), 0.5, 4.0);
    request_ = Request{Request::build, week(), {paper_}, 0, scale, {}, false, {}, generation_};
}

std::optional<SummaryView::Request> SummaryView::take_request() {
    auto r = std::move(request_);
    request_.reset();
    return r;
}

void SummaryView::show(std::uint64_t generation, report::WeeklySummary summary, int pages,
                       bool may_print) {
    if (generation != generation_) return; // another week was chosen meanwhile
    summary_ = std::move(summary);
    pages_ = pages;
    may_print_ = may_print;
    building_ = false;
    // The pages shown so far stay until their new drawings arrive: no flicker on a refresh.
    for (std::size_t i = std::size_t(std::max(pages, 0)); i < page_list_.size(); ++i)
        if (page_list_[i].texture && textures().release) textures().release(page_list_[i].texture);
    page_list_.resize(std::size_t(std::max(pages, 0)));
    for (auto& p : page_list_)
        p.drawn = false;
    // The usual name follows the week, also in a folder the nurse typed: a summary of this
    // week must not go out under last week's name.
    const auto usual = report::default_file_name(*summary_);
    if (!path_edited_)
        path_ = (std::filesystem::path(folder_) / usual).string();
    else if (!default_name_.empty() && std::filesystem::path(path_).filename() == default_name_)
        path_ = (std::filesystem::path(path_).parent_path() / usual).string();
    default_name_ = usual;
    replace_path_.clear();
}

void SummaryView::page_drawn(std::uint64_t generation, int page, report::PageImage image) {
    if (generation != generation_ || page < 0 || std::size_t(page) >= page_list_.size()) return;
    auto& p = page_list_[std::size_t(page)];
    if (p.texture && textures().release) textures().release(p.texture);
    p.texture = nullptr;
    p.width = image.width;
    p.height = image.height;
    p.drawn = true;
    if (textures().upload) {
        p.texture = textures().upload(image);
        p.image = {};
    } else {
        p.image = std::move(image); // headless: the pixels are kept for tests to look at
    }
}

const report::PageImage* SummaryView::preview(int page) const {
    if (page < 0 || std::size_t(page) >= page_list_.size()) return nullptr;
    const auto& p = page_list_[std::size_t(page)];
    return p.drawn && !p.image.rgba.empty() ? &p.image : nullptr;
}

int SummaryView::pages_drawn() const {
    return int(
        std::count_if(page_list_.begin(), page_list_.end(), [](const Page& p) { return p.drawn; }));
}

void SummaryView::ask_replace(std::string path) {
    replace_path_ = std::move(path);
    message_.clear();
    busy_ = false;
}

void SummaryView::said(std::string message, bool error) {
    replace_path_.clear();
    message_ = std::move(message);
    message_is_error_ = error;
    busy_ = false;
    building_ = false;
}

void SummaryView::draw(const app::PatientPicture& picture) {
    // Shown again after another tab: the data may have changed there, so the summary is
    // made afresh (between frames, by the shell).
    width_ = ImGui::GetContentRegionAvail().x;
    font_ = ImGui::GetFontSize();
    const int frame = ImGui::GetFrameCount();
    const bool shown_again = frame > last_frame_ + 1;
    last_frame_ = frame;
    make_weeks(picture);
    if (shown_again) rebuild();

    draw_controls();
    ImGui::Spacing();
    draw_pages();
}

void SummaryView::draw_controls() {
    const float em = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Week");
    ImGui::SameLine();
    float combo = em * 20.0f;
    for (const auto& w : weeks_)
        combo = std::max(combo, ImGui::CalcTextSize(w.label.c_str()).x);
    ImGui::SetNextItemWidth(combo + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2);
    const std::string preview = other_week_
                                    ? fmt::format("{}  ({})", report::week_dates(*other_week_),
                                                  report::format_week(*other_week_))
                                : chosen_ < weeks_.size() ? weeks_[chosen_].label
                                                          : std::string();
    if (ImGui::BeginCombo("##week", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
        for (std::size_t i = 0; i < weeks_.size(); ++i) {
            const bool selected = !other_week_ && i == chosen_;
            if (ImGui::Selectable(weeks_[i].label.c_str(), selected)) choose_week(i);
            if (selected) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    same_line_if_fits(text_width("or") + em * 6.5f + button_width("Show week") + spacing * 2);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("or");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 6.5f);
    const bool typed = ImGui::InputTextWithHint("##other", "2026-W10", &other_text_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if (button("Show week") || typed) {
        try {
            const auto w =
                report::parse_week(other_text_, now_, zone_ ? zone_ : date::current_zone());
            other_week_ = w;
            other_error_.clear();
            rebuild();
        } catch (const std::exception& e) {
            other_error_ = e.what();
        }
    }
    same_line_if_fits(text_width("Paper") + em * 5.5f + spacing, em * 1.5f);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Paper");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 5.5f);
    if (ImGui::BeginCombo("##paper", paper_ == report::Paper::a4 ? "A4" : "Letter")) {
        for (auto p : {report::Paper::a4, report::Paper::letter})
            if (ImGui::Selectable(p == report::Paper::a4 ? "A4" : "Letter", p == paper_) &&
                p != paper_) {
                paper_ = p;
                paper_chosen_ = true;
                rebuild();
            }
        ImGui::EndCombo();
    }
    if (!other_error_.empty()) error_message(other_error_);

    const bool ready = summary_ && !building_ && !busy_;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Save to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(
        em * 12.0f,
        std::min(em * 32.0f, ImGui::GetContentRegionAvail().x - button_width("Save PDF") - em)));
    if (ImGui::InputText("##path", &path_)) {
        path_edited_ = true;
        replace_path_.clear();
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(!ready);
    if (button("Save PDF") && ready) {
        const auto file = resolve_path(path_, folder_, report::default_file_name(*summary_));
        if (file.empty()) {
            said("Type where to save the PDF, e.g. " +
                     (std::filesystem::path(folder_) / report::default_file_name(*summary_))
                         .string(),
                 true);
        } else {
            busy_ = true;
            message_ = "Saving…";
            message_is_error_ = false;
            request_ = Request{Request::save, summary_->week, {paper_}, 0,          0,
                               file.string(), false,          {},       generation_};
        }
    }
    ImGui::EndDisabled();
    if (!replace_path_.empty()) draw_replace_question();
    // Printing only where the account may print: no button that would be refused.
    if (may_print_ && summary_) draw_print();
    if (!message_.empty()) {
        if (message_is_error_)
            error_message(message_);
        else {
            ImGui::PushStyleColor(ImGuiCol_Text, good_ink());
            paragraph(message_);
            ImGui::PopStyleColor();
        }
    }
}

void SummaryView::draw_replace_question() {
    const std::filesystem::path there(replace_path_);
    paragraph(fmt::format("{} is already in {}. Replace it with this summary?",
                          there.filename().string(), there.parent_path().string()));
    if (button("Replace")) {
        busy_ = true;
        message_ = "Saving…";
        message_is_error_ = false;
        request_ = Request{Request::save, summary_->week, {paper_}, 0,          0,
                           replace_path_, true,           {},       generation_};
        replace_path_.clear();
    }
    ImGui::SameLine();
    if (button("Keep it")) {
        replace_path_.clear();
        said("Nothing was saved. Type another name in Save to.", false);
    }
}

void SummaryView::draw_print() {
    const bool ready = summary_ && !building_ && !busy_;
    print_.draw();
    if (print_.take_printer_changed()) follow_printer_paper();
    same_line_if_fits(button_width("Print"), ImGui::GetFontSize());
    ImGui::BeginDisabled(!ready);
    if (button("Print") && ready) {
        busy_ = true;
        message_ = "Sending to the printer…";
        message_is_error_ = false;
        request_ = Request{Request::print, summary_->week,         {paper_},   0, 0, {},
                           false,          print_.choices(paper_), generation_};
    }
    ImGui::EndDisabled();
}

void SummaryView::printers_listed(std::vector<report::Printer> printers, std::string why_none,
                                  const std::string& last_printer) {
    print_.listed(std::move(printers), std::move(why_none), last_printer);
    follow_printer_paper();
}

void SummaryView::follow_printer_paper() {
    if (paper_chosen_) return;
    const auto paper = print_.printer_paper().value_or(report::default_paper());
    if (paper == paper_) return;
    paper_ = paper;
    rebuild();
}

void SummaryView::draw_pages() {
    if (!summary_) {
        muted(building_ ? "Making the summary…" : "");
        return;
    }
    const auto& w = *summary_;
    const int flags = int(w.flags.size());
    std::string facts = fmt::format(
        "{} {} for the oncologist  ·  {} {}  ·  {} {}  ·  {} {}  ·  {} doses recorded", pages_,
        pages_ == 1 ? "page" : "pages", w.visits, w.visits == 1 ? "visit" : "visits", w.scores(),
        w.scores() == 1 ? "score" : "scores", flags, flags == 1 ? "flag" : "flags",
        w.doses_recorded);
    if (w.empty())
        facts = fmt::format("{} {}  ·  nothing was recorded this week; the summary says so", pages_,
                            pages_ == 1 ? "page" : "pages");
    else if (w.caregiver_only())
        facts += "  ·  every score this week is the family's";
    muted(facts);

    ImGui::BeginChild("pages", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    const float em = ImGui::GetFontSize();
    for (std::size_t i = 0; i < page_list_.size(); ++i) {
        const auto& p = page_list_[i];
        // The drawing's own size when it fits; narrower windows scale it down.
        float width = p.width > 0 ? float(p.width) : em * 40.0f;
        float height = p.height > 0 ? float(p.height) : width * 1.414f;
        const float avail = ImGui::GetContentRegionAvail().x - em;
        if (width > avail && avail > em * 10.0f) {
            height *= avail / width;
            width = avail;
        }
        centre_block(width);
        muted(fmt::format("Page {} of {}", i + 1, page_list_.size()));
        centre_block(width);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        auto* dl = ImGui::GetWindowDrawList();
        const float shadow = std::max(2.0f, em * 0.2f);
        dl->AddRectFilled(ImVec2(at.x + shadow, at.y + shadow),
                          ImVec2(at.x + width + shadow, at.y + height + shadow),
                          IM_COL32(0, 0, 0, 40));
        if (p.texture) {
            ImGui::Image(p.texture, ImVec2(width, height));
        } else {
            dl->AddRectFilled(at, ImVec2(at.x + width, at.y + height),
                              IM_COL32(255, 255, 255, 255));
            const char* words = p.drawn ? "Page drawn (no preview here)" : "Drawing the page…";
            const ImVec2 size = ImGui::CalcTextSize(words);
            dl->AddText(ImVec2(at.x + (width - size.x) * 0.5f, at.y + height * 0.45f),
                        IM_COL32(90, 90, 90, 255), words);
            ImGui::Dummy(ImVec2(width, height));
        }
        dl->AddRect(at, ImVec2(at.x + width, at.y + height), IM_COL32(120, 120, 120, 255));
        ImGui::Dummy(ImVec2(0, em));
    }
    ImGui::EndChild();
}

} // namespace solace::ui
