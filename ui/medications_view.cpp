#include "medications_view.hpp"

#include <algorithm>
#include <exception>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "fonts.hpp"
#include "keys.hpp"
#include "theme.hpp"
#include "widgets.hpp"
#include "wording.hpp"

namespace solace::ui {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string clock_of(std::chrono::minutes since_midnight) {
    return fmt::format("{:02}:{:02}", since_midnight.count() / 60, since_midnight.count() % 60);
}

// The schedule as a nurse would read it back.
std::string schedule_words(const Schedule& s) {
    if (const auto* c = std::get_if<ClockSchedule>(&s)) {
        std::string times;
        for (std::size_t i = 0; i < c->times.size(); ++i)
            times += (i == 0                     ? ""
                      : i + 1 == c->times.size() ? " and "
                                                 : ", ") +
                     clock_of(c->times[i]);
        const auto n = c->times.size();
        const std::string often = n == 1   ? "once a day"
                                  : n == 2 ? "twice a day"
                                  : n == 3 ? "three times a day"
                                           : fmt::format("{} times a day", n);
        return fmt::format("{} at {}", often, times);
    }
    if (const auto* i = std::get_if<IntervalSchedule>(&s))
        return fmt::format("every {} h, counting from {} on the start day", i->every.count(),
                           clock_of(i->anchor));
    const auto& p = std::get<PrnSchedule>(s);
    std::string out = "as needed";
    if (p.min_interval.count() > 0) out += ", at least " + span_words(p.min_interval) + " apart";
    if (p.max_per_24h) out += fmt::format(", at most {} in 24 h", *p.max_per_24h);
    return out;
}

std::string medication_words(std::string_view name, std::string_view dose, std::string_view route) {
    std::string out(name);
    if (!dose.empty()) out += fmt::format(" {}", dose);
    if (!route.empty()) out += fmt::format(", {}", route);
    return out;
}

ImVec4 rgb(int r, int g, int b) {
    return ImVec4(float(r) / 255.0f, float(g) / 255.0f, float(b) / 255.0f, 1.0f);
}

// A dose's state in words and colours: the words carry the meaning, the colour repeats it.
struct StateLook {
    std::string words;
    ImVec4 fill;
    ImVec4 ink;
    bool outline = false; // no fill: nothing to act on yet
};

StateLook look(const app::DoseRow& row, Instant now, const std::string& zone) {
    const auto& d = row.scheduled;
    const auto given = row.record ? clock_time(row.record->given_at, zone) : std::string{};
    const ImVec4 white(1, 1, 1, 1);
    switch (app::dose_state(row, now)) {
    case app::DoseState::upcoming:
        return {fmt::format("Due at {}", clock_time(d.due, zone)), ImVec4(0, 0, 0, 0), muted_ink(),
                true};
    case app::DoseState::due_now:
        return {fmt::format("Due now (until {})", clock_time(d.due + d.window, zone)),
                rgb(0, 82, 155), white};
    case app::DoseState::missed:
        return {"Missed", severity_fill(row.time_critical ? Severity::urgent : Severity::warning),
                severity_ink(row.time_critical ? Severity::urgent : Severity::warning)};
    case app::DoseState::given_on_time:
        return {fmt::format("Given {} \xC2\xB7 on time", given), rgb(0, 110, 50), white};
    case app::DoseState::given_late:
        return {fmt::format("Given {} \xC2\xB7 late", given), severity_fill(Severity::warning),
                severity_ink(Severity::warning)};
    case app::DoseState::given_early:
        return {fmt::format("Given {} \xC2\xB7 early", given), severity_fill(Severity::info),
                severity_ink(Severity::info)};
    case app::DoseState::held:
        return {fmt::format("Held: {}", row.record->reason), rgb(88, 70, 130), white};
    case app::DoseState::refused:
        return {fmt::format("Refused: {}", row.record->reason), rgb(88, 70, 130), white};
    }
    return {};
}

void outlined(const std::string& text, ImVec4 ink) {
    const ImVec2 pad(ImGui::GetFontSize() * 0.45f, ImGui::GetStyle().FramePadding.y * 0.5f);
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRect(ImVec2(at.x, at.y - pad.y),
                                        ImVec2(at.x + size.x + 2 * pad.x, at.y + size.y + pad.y),
                                        ImGui::GetColorU32(ink), ImGui::GetFontSize() * 0.4f);
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + pad.x, at.y), ImGui::GetColorU32(ink),
                                        text.c_str());
    ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y));
}

bool typed(char lower) {
    for (ImWchar c : ImGui::GetIO().InputQueueCharacters)
        if (c == ImWchar(lower) || c == ImWchar(lower - 'a' + 'A')) return true;
    return false;
}

std::string ago_words(Instant then, Instant now) {
    const auto m = std::chrono::duration_cast<minutes>(now - then);
    if (m.count() < 1) return "just now";
    return span_words(m) + " ago";
}

constexpr const char* critical_choices[] = {"default (yes for a scheduled opioid)", "yes", "no"};

} // namespace

void MedicationsView::start(bool nurse) {
    nurse_ = nurse;
    selected_ = 0;
    reason_.reset();
    confirm_.reset();
    form_ = Form{};
    status_.clear();
    error_.clear();
    request_.reset();
}

void MedicationsView::done(std::string message) {
    reason_.reset();
    correcting_.reset();
    confirm_.reset();
    form_ = Form{};
    error_.clear();
    status_ = std::move(message);
}

void MedicationsView::refuse(std::string why) {
    if (sent_kind_ != Request::record_dose && form_.mode != Form::closed)
        form_.error = why; // beside the form's button, the fields as typed
    error_ = std::move(why);
    status_.clear();
}

std::optional<MedicationsView::Request> MedicationsView::take_request() {
    auto r = std::move(request_);
    request_.reset();
    return r;
}

const std::string& MedicationsView::warning_text() const {
    static const std::string none;
    return confirm_ ? confirm_->text : none;
}

const std::string& MedicationsView::reason_text() const {
    static const std::string none;
    return reason_ ? reason_->text : none;
}

std::vector<MedicationsView::Target> MedicationsView::targets(bool nurse) const {
    std::vector<Target> out;
    if (!picture_) return out;
    if (nurse) // a family account reads scheduled doses; recording them is the nurse's
        for (std::size_t i = 0; i < picture_->today.size(); ++i)
            out.push_back({false, i});
    for (std::size_t i = 0; i < picture_->lines.size(); ++i) {
        const auto& l = picture_->lines[i];
        if (is_prn(l.latest.schedule) && !l.stopped) out.push_back({true, i});
    }
    return out;
}

void MedicationsView::send(Request r) {
    sent_kind_ = r.kind;
    error_.clear();
    status_.clear();
    request_ = std::move(r);
}

void MedicationsView::record(const app::DoseRow& row, DoseStatus status, Instant now) {
    const auto& zone = picture_->patient.time_zone;
    Request r;
    r.kind = Request::record_dose;
    r.dose.mrn = picture_->patient.mrn;
    r.dose.med = row.key;
    r.dose.status = status;
    if (status != DoseStatus::given) {
        if (!reason_ || reason_->key != row.key || reason_->due != row.scheduled.due ||
            reason_->status != status) {
            reason_ = ReasonEntry{row.key, row.scheduled.due, status, {}, true};
            error_.clear();
            return;
        }
        if (blank(reason_->text)) {
            error_ = fmt::format("A {} dose needs a reason (e.g. \"asleep\", \"nausea\"): type it "
                                 "beside the dose, then Enter.",
                                 code(status));
            reason_->focus = true;
            return;
        }
        r.dose.reason = reason_->text;
        // Dated at the dose it is about, so it covers that dose and no other; a dose not yet
        // due is held now (a record dated later would not be seen until then).
        r.dose.at = std::min(row.scheduled.due, now);
        r.what = fmt::format("{} {} dose {}: {}", row.name, clock_time(row.scheduled.due, zone),
                             code(status), reason_->text);
    } else {
        const auto at = given_time(now);
        if (!at) return;
        r.dose.at = *at;
        r.what = fmt::format("{} given at {}", row.name, short_time(*at, zone));
    }
    const auto preview = app::preview_dose(*picture_, row.key, r.dose.at, status);
    if (preview.covers && preview.covers->due != row.scheduled.due) {
        Confirm c;
        c.request = r;
        c.title = "This counts for another dose";
        c.text = fmt::format(
            "Recorded now, this {} of {} counts for the {} dose, the nearest in time, not the {} "
            "one.{}",
            status == DoseStatus::given ? "dose" : code(status), row.name,
            short_time(preview.covers->due, zone), clock_time(row.scheduled.due, zone),
            status == DoseStatus::given
                ? fmt::format(" To say the {} dose was not given, record it held or refused.",
                              clock_time(row.scheduled.due, zone))
                : std::string{});
        c.severity = Severity::info;
        confirm_ = std::move(c);
        return;
    }
    if (status == DoseStatus::given && (row.time_critical || app::names_controlled(row.name))) {
        Confirm c;
        c.title = fmt::format("Confirm: {} is {}", row.name,
                              app::names_controlled(row.name) ? "a controlled medication"
                                                              : "time-critical");
        c.text =
            fmt::format("Record {} given at {}?", medication_words(row.name, row.dose, row.route),
                        short_time(r.dose.at, zone));
        c.request = std::move(r);
        c.severity = Severity::info;
        confirm_ = std::move(c);
        return;
    }
    send(std::move(r));
}

std::optional<Instant> MedicationsView::given_time(Instant now) {
    try {
        return app::entry_time(when_, find_zone(picture_->patient.time_zone), now,
                               "the time given");
    } catch (const ValidationError& e) {
        error_ = e.what();
        status_.clear();
        return std::nullopt;
    }
}

void MedicationsView::draw_when() {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Given at:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11.0f);
    if (focus_when_) {
        ImGui::SetKeyboardFocusHere();
        focus_when_ = false;
    }
    ImGui::InputTextWithHint("##given-at", "now", &when_);
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted("T, then e.g. 08:00 or yesterday 20:00, up to 72 hours back");
}

void MedicationsView::give_prn(const app::MedicationLine& line, Instant now) {
    const auto& zone = picture_->patient.time_zone;
    Request r;
    r.kind = Request::record_dose;
    r.dose.mrn = picture_->patient.mrn;
    r.dose.med = line.latest.key;
    r.dose.status = DoseStatus::given;
    const auto at = given_time(now);
    if (!at) return;
    r.dose.at = *at;
    r.what = fmt::format("{} (as needed) given at {}", line.latest.name, short_time(*at, zone));
    const auto preview = app::preview_dose(*picture_, line.latest.key, *at, DoseStatus::given);
    Confirm c;
    c.request = r;
    c.severity = Severity::info;
    if (preview.flags.empty()) {
        if (nurse_ && !app::names_controlled(line.latest.name)) {
            send(std::move(r));
            return;
        }
        c.title = fmt::format("Confirm: {} given at {}?", line.latest.name, short_time(*at, zone));
        c.text =
            fmt::format("Record one dose of {} given at {}.",
                        medication_words(line.latest.name, line.latest.dose, line.latest.route),
                        short_time(*at, zone));
        confirm_ = std::move(c);
        return;
    }
    std::string rules;
    for (const auto& f : preview.flags) {
        c.severity = std::max(c.severity, f.severity);
        rules += (rules.empty() ? "" : ", ") + rule_words(f.rule);
        c.text += (c.text.empty() ? "" : " ") + f.detail;
    }
    c.title = fmt::format("Not saved yet: this dose would be {}", rules);
    confirm_ = std::move(c);
}

void MedicationsView::draw(bool nurse) {
    nurse_ = nurse;
    if (!picture_) {
        muted("Loading the medications\xE2\x80\xA6");
        return;
    }
    const Instant now = now_utc();
    if (now > picture_->day_end && refresh_asked_for_ != picture_->day_end && !request_) {
        refresh_asked_for_ = picture_->day_end; // past midnight: today is another day
        Request r;
        r.kind = Request::refresh;
        request_ = std::move(r);
    }
    const auto all = targets(nurse);
    selected_ = std::clamp(selected_, 0, std::max(0, int(all.size()) - 1));

    // Keys first, so this frame already shows what they did.
    ImGuiIO& io = ImGui::GetIO();
    if (confirm_ && !io.WantTextInput) {
        if (enter_pressed()) {
            send(confirm_->request);
            confirm_.reset();
        } else if (key_pressed(keys::escape)) {
            confirm_.reset();
        }
    } else if (reason_ && key_pressed(keys::escape)) {
        reason_.reset();
        error_.clear();
    } else if (reason_ && !io.WantTextInput && enter_pressed()) {
        // Enter left the reason field (or came before it took the keyboard): save it.
        for (const auto& row : picture_->today)
            if (row.key == reason_->key && row.scheduled.due == reason_->due) {
                record(row, reason_->status, now);
                break;
            }
    } else if (correcting_) {
        if (key_pressed(keys::escape)) correcting_.reset();
    } else if (!io.WantTextInput && form_.mode == Form::closed && typed('t')) {
        focus_when_ = true;
    } else if (nurse && !io.WantTextInput && form_.mode == Form::closed && typed('a')) {
        open_form(Form::add, nullptr);
    } else if (!io.WantTextInput && !all.empty() && form_.mode == Form::closed) {
        // No letter records a dose while a form is open: a stray click out of a field must not
        // turn the next word typed into doses.
        if (key_pressed(keys::down)) selected_ = std::min(selected_ + 1, int(all.size()) - 1);
        if (key_pressed(keys::up)) selected_ = std::max(selected_ - 1, 0);
        const Target& t = all[std::size_t(selected_)];
        if (t.prn) {
            if (typed('g')) give_prn(picture_->lines[t.index], now);
        } else {
            // The keys do what the row's buttons offer: nothing once a dose is recorded (the
            // record covers its dose; another would count for the next one).
            const auto& row = picture_->today[t.index];
            if (typed('g') && !row.record)
                record(row, DoseStatus::given, now);
            else if (typed('h') && !row.record)
                record(row, DoseStatus::held, now);
            else if (typed('r') && !row.record)
                record(row, DoseStatus::refused, now);
        }
    }

    const auto& zone = picture_->patient.time_zone;
    heading(fmt::format(
        "Today's doses \xC2\xB7 {}",
        date::format("%A %e %B", date::zoned_seconds{find_zone(zone), picture_->day_start})));
    muted(fmt::format("Times are the patient's own clock ({}).{}", zone,
                      nurse ? " Up and Down choose a dose; G records it given, H held, R "
                              "refused (held and refused ask a reason); A adds a medication."
                            : " Up and Down choose an as-needed medication; G records a dose "
                              "you gave."));
    draw_when();
    if (!error_.empty()) error_message(error_);
    if (!status_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, good_ink());
        paragraph(status_);
        ImGui::PopStyleColor();
    }
    draw_confirm();
    // An open form comes first, under its message, wherever its button was: in view with its
    // first field taking the keys, and "Added" shown where the nurse is looking.
    if (nurse && form_.mode != Form::closed) {
        if (form_.scroll) {
            ImGui::SetScrollY(0);
            form_.scroll = false;
        }
        draw_form();
        ImGui::Spacing();
    }

    draw_today(nurse, now, all);
    ImGui::Spacing();
    draw_prn(now, all);
    ImGui::Spacing();
    draw_recorded();
    ImGui::Spacing();
    draw_list(nurse);
}

void MedicationsView::draw_confirm() {
    if (!confirm_) return;
    // A box as tall as its contents, in the warning's colour, above the doses.
    const ImVec4 fill = severity_fill(confirm_->severity);
    const float pad = ImGui::GetFontSize() * 0.6f;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->ChannelsSplit(2);
    ImGui::GetWindowDrawList()->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(top.x + pad, top.y + pad));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - pad);
    pill(fmt::format("{}: {}", code(confirm_->severity), confirm_->title), fill,
         severity_ink(confirm_->severity));
    paragraph(confirm_->text);
    ImGui::PopTextWrapPos();
    if (button("Record anyway  (Enter)")) {
        send(confirm_->request);
        confirm_.reset();
    }
    ImGui::SameLine();
    if (button("Cancel  (Esc)")) confirm_.reset();
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + pad;
    const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
    ImGui::GetWindowDrawList()->ChannelsSetCurrent(0);
    ImGui::GetWindowDrawList()->AddRect(top, ImVec2(right, bottom), ImGui::GetColorU32(fill),
                                        ImGui::GetFontSize() * 0.3f, 0, 3.0f);
    ImGui::GetWindowDrawList()->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(top.x, bottom));
    ImGui::Dummy(ImVec2(right - top.x, ImGui::GetStyle().ItemSpacing.y));
}

void MedicationsView::draw_today(bool nurse, Instant now, const std::vector<Target>& all) {
    const auto& zone = picture_->patient.time_zone;
    const auto& today = picture_->today;
    if (today.empty()) {
        muted("No scheduled doses today.");
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("today", nurse ? 4 : 3, flags)) return;
    ImGui::TableSetupColumn("Due", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 4.0f);
    ImGui::TableSetupColumn("Medication", 0, 3.0f);
    ImGui::TableSetupColumn("What happened", 0, 2.6f);
    // Wide enough for its three buttons, or a reason and its two, at any text size.
    const auto& style = ImGui::GetStyle();
    const float buttons = ImGui::CalcTextSize("Given").x +
                          ImGui::CalcTextSize("Held\xE2\x80\xA6").x +
                          ImGui::CalcTextSize("Refused\xE2\x80\xA6").x + style.FramePadding.x * 6 +
                          style.ItemSpacing.x * 2;
    const float reason = ImGui::GetFontSize() * 6.0f + ImGui::CalcTextSize("Save").x +
                         ImGui::CalcTextSize("Cancel").x + style.FramePadding.x * 4 +
                         style.ItemSpacing.x * 2;
    if (nurse)
        ImGui::TableSetupColumn("Record", ImGuiTableColumnFlags_WidthFixed,
                                std::max(buttons, reason));
    ImGui::TableHeadersRow();
    const Target* chosen = all.empty() ? nullptr : &all[std::size_t(selected_)];
    for (std::size_t i = 0; i < today.size(); ++i) {
        const auto& row = today[i];
        ImGui::PushID(int(i));
        ImGui::TableNextRow();
        if (nurse && chosen && !chosen->prn && chosen->index == i)
            ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_Header));
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::PushFont(fonts().bold);
        ImGui::TextUnformatted(clock_time(row.scheduled.due, zone).c_str());
        ImGui::PopFont();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const auto words = medication_words(row.name, row.dose, row.route);
        paragraph(words);
        if (row.time_critical) { // beside the name when it fits, else below it
            const char* critical = "\xC2\xB7 time-critical";
            if (ImGui::CalcTextSize(words.c_str()).x + ImGui::CalcTextSize(critical).x +
                    ImGui::GetStyle().ItemSpacing.x <
                ImGui::GetContentRegionAvail().x)
                ImGui::SameLine();
            else
                critical += 3; // no separator at the start of a line
            ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
            ImGui::TextUnformatted(critical);
            ImGui::PopStyleColor();
        }
        ImGui::TableNextColumn();
        // On the text line of the row's buttons, as AlignTextToFramePadding puts text.
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetStyle().FramePadding.y);
        const auto l = look(row, now, zone);
        if (l.outline)
            outlined(l.words, l.ink);
        else
            pill(l.words, l.fill, l.ink);
        if (ImGui::IsItemHovered()) {
            const auto& d = row.scheduled;
            if (row.record)
                ImGui::SetTooltip(
                    "Window %s to %s. Recorded by %s.", clock_time(d.due - d.window, zone).c_str(),
                    clock_time(d.due + d.window, zone).c_str(), row.record->recorded_by.c_str());
            else
                ImGui::SetTooltip(
                    "Window %s to %s (%s either side).", clock_time(d.due - d.window, zone).c_str(),
                    clock_time(d.due + d.window, zone).c_str(), span_words(d.window).c_str());
        }
        if (nurse) {
            ImGui::TableNextColumn();
            const bool entering =
                reason_ && reason_->key == row.key && reason_->due == row.scheduled.due;
            if (entering) {
                ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
                if (reason_->focus) {
                    ImGui::SetKeyboardFocusHere();
                    reason_->focus = false;
                }
                const auto hint = fmt::format("why {}?", code(reason_->status));
                const bool enter = ImGui::InputTextWithHint(
                    "##reason", hint.c_str(), &reason_->text, ImGuiInputTextFlags_EnterReturnsTrue);
                ImGui::SameLine();
                if (button("Save") || enter) record(row, reason_->status, now);
                ImGui::SameLine();
                if (reason_ && button("Cancel")) {
                    reason_.reset();
                    error_.clear();
                }
            } else if (!row.record) {
                if (button("Given")) record(row, DoseStatus::given, now);
                ImGui::SameLine();
                if (button("Held\xE2\x80\xA6")) record(row, DoseStatus::held, now);
                ImGui::SameLine();
                if (button("Refused\xE2\x80\xA6")) record(row, DoseStatus::refused, now);
            } else {
                ImGui::AlignTextToFramePadding();
                ImGui::PushStyleColor(ImGuiCol_Text, muted_ink());
                ImGui::Text("by %s", row.record->recorded_by.c_str());
                ImGui::PopStyleColor();
            }
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

void MedicationsView::draw_prn(Instant now, const std::vector<Target>& all) {
    const auto& zone = picture_->patient.time_zone;
    heading("As needed (PRN)");
    bool any = false;
    for (const auto& l : picture_->lines)
        any |= is_prn(l.latest.schedule) && !l.stopped;
    if (!any) {
        muted("No as-needed medication.");
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("prn", 4, flags)) return;
    ImGui::TableSetupColumn("Medication", 0, 2.2f);
    ImGui::TableSetupColumn("How often", 0, 2.0f);
    ImGui::TableSetupColumn("Last 24 hours", 0, 2.0f);
    ImGui::TableSetupColumn("Give", 0, 1.6f);
    ImGui::TableHeadersRow();
    const Target* chosen = all.empty() ? nullptr : &all[std::size_t(selected_)];
    for (std::size_t i = 0; i < picture_->lines.size(); ++i) {
        const auto& line = picture_->lines[i];
        const auto& m = line.latest;
        if (!is_prn(m.schedule) || line.stopped) continue;
        ImGui::PushID(int(i));
        ImGui::TableNextRow();
        if (chosen && chosen->prn && chosen->index == i)
            ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_Header));
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        paragraph(medication_words(m.name, m.dose, m.route));
        if (!m.indication.empty()) muted("for " + m.indication);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        paragraph(schedule_words(m.schedule));
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const auto standing = app::prn_standing(*picture_, m.key, now);
        const auto& prn = std::get<PrnSchedule>(m.schedule);
        if (standing.last_given) {
            paragraph(fmt::format("{} given{}; last at {} ({})", standing.in_last_24h,
                                  prn.max_per_24h ? fmt::format(" of {}", *prn.max_per_24h) : "",
                                  clock_time(*standing.last_given, zone),
                                  ago_words(*standing.last_given, now)));
        } else {
            paragraph("none given");
        }
        ImGui::TableNextColumn();
        if (button("Give now")) {
            selected_ = int(std::find_if(all.begin(), all.end(),
                                         [&](const Target& t) { return t.prn && t.index == i; }) -
                            all.begin());
            give_prn(line, now);
        }
        if (standing.next_allowed) {
            ImGui::PushStyleColor(ImGuiCol_Text, error_ink());
            paragraph(fmt::format("not before {}", clock_time(*standing.next_allowed, zone)));
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

void MedicationsView::draw_list(bool nurse) {
    const auto& zone = picture_->patient.time_zone;
    heading("Medications");
    if (picture_->lines.empty()) muted("No medication yet.");
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
    if (!picture_->lines.empty() && ImGui::BeginTable("list", nurse ? 4 : 3, flags)) {
        ImGui::TableSetupColumn("Medication", 0, 2.2f);
        ImGui::TableSetupColumn("Schedule", 0, 2.4f);
        ImGui::TableSetupColumn("In force", 0, 2.0f);
        if (nurse) ImGui::TableSetupColumn("Change", 0, 1.6f);
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < picture_->lines.size(); ++i) {
            const auto& line = picture_->lines[i];
            const auto& m = line.latest;
            ImGui::PushID(int(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            paragraph(medication_words(m.name, m.dose, m.route));
            muted(m.key + (m.indication.empty() ? "" : " \xC2\xB7 for " + m.indication));
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            paragraph(m.schedule_text + " \xE2\x80\x94 " + schedule_words(m.schedule));
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (line.stopped)
                paragraph(fmt::format("stopped {}", short_time(*m.end, zone)));
            else
                paragraph(fmt::format("since {}{}", short_time(m.start, zone),
                                      m.end ? ", until " + short_time(*m.end, zone) : ""));
            if (line.versions > 1) muted(fmt::format("{} versions", line.versions));
            if (nurse) {
                ImGui::TableNextColumn();
                if (button("Change\xE2\x80\xA6")) open_form(Form::change, &line);
                if (!line.stopped) {
                    ImGui::SameLine();
                    if (button("Stop\xE2\x80\xA6")) open_form(Form::stop, &line);
                }
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (nurse && form_.mode == Form::closed && button("Add a medication\xE2\x80\xA6"))
        open_form(Form::add, nullptr);
}

void MedicationsView::open_form(Form::Mode mode, const app::MedicationLine* line) {
    form_ = Form{};
    form_.mode = mode;
    error_.clear();
    status_.clear();
    if (line) {
        const auto& m = line->latest;
        form_.key = m.key;
        form_.name = m.name;
        form_.dose = m.dose;
        form_.route = m.route;
        form_.schedule = m.schedule_text;
        form_.indication = m.indication;
        form_.critical = m.time_critical == clinical::default_time_critical(m.name, m.schedule) ? 0
                         : m.time_critical                                                      ? 1
                                                                                                : 2;
    }
}

void MedicationsView::draw_form() {
    ImGui::Spacing();
    const bool add = form_.mode == Form::add;
    const bool stop = form_.mode == Form::stop;
    heading(add    ? std::string("Add a medication")
            : stop ? fmt::format("Stop {}", form_.name)
                   : fmt::format("Change {} (a new version from a time on)", form_.name));
    const float field = ImGui::GetFontSize() * 16.0f;
    const auto& zone = picture_->patient.time_zone;

    bool submit = false;
    auto text_field = [&](const char* label, const char* id, std::string* value, const char* hint) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(label);
        ImGui::SameLine(ImGui::GetFontSize() * 9.0f);
        ImGui::SetNextItemWidth(field);
        // The form's first field takes the keyboard as it opens, once in view (ImGui does not
        // focus an item scrolled out of sight).
        if (form_.focus && ImGui::IsRectVisible(ImVec2(field, ImGui::GetFrameHeight()))) {
            ImGui::SetKeyboardFocusHere();
            form_.focus = false;
        }
        // Enter in any field does what the form's button does.
        if (ImGui::InputTextWithHint(id, hint, value, ImGuiInputTextFlags_EnterReturnsTrue))
            submit = true;
    };
    if (!stop) {
        if (add) text_field("Key", "##key", &form_.key, "short, e.g. morphine-sr");
        text_field("Name", "##name", &form_.name, "e.g. Morphine sulfate SR");
        text_field("Dose", "##dose", &form_.dose, "e.g. 30 mg");
        text_field("Route", "##route", &form_.route, "e.g. oral");
        text_field("Schedule", "##schedule", &form_.schedule,
                   "08:00,20:00  bid  q4h@06:00  prn q1h max 6");
        // Read back, or its error shown, as it is typed (this frame's text).
        if (form_.schedule != form_.schedule_checked) {
            form_.schedule_checked = form_.schedule;
            form_.schedule_error.clear();
            form_.schedule_words.clear();
            if (!blank(form_.schedule)) {
                try {
                    form_.schedule_words = schedule_words(clinical::parse_schedule(form_.schedule));
                } catch (const std::exception& e) {
                    form_.schedule_error = e.what();
                }
            }
        }
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        if (!form_.schedule_error.empty()) {
            // Under the field, as wide as the form: the message is a sentence or two.
            ImGui::NewLine();
            ImGui::SetCursorPosX(ImGui::GetFontSize() * 9.0f);
            ImGui::BeginGroup();
            ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x);
            error_message(form_.schedule_error);
            ImGui::PopTextWrapPos();
            ImGui::EndGroup();
        } else if (!form_.schedule_words.empty()) {
            ImGui::TextColored(good_ink(), "%s", form_.schedule_words.c_str());
        } else {
            muted("clock times, daily/bid/tid/qid, q4h@06:00 or prn q30m max 6");
        }
        text_field("For", "##indication", &form_.indication, "indication, e.g. pain");
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Time-critical");
        ImGui::SameLine(ImGui::GetFontSize() * 9.0f);
        ImGui::SetNextItemWidth(field * 1.5f);
        ImGui::Combo("##critical", &form_.critical, critical_choices,
                     int(std::size(critical_choices)));
    }
    const auto when_label = add ? "Starts" : stop ? "Stop at" : "From";
    text_field(when_label, "##when", &form_.when, "now, or 2026-03-08 14:00");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted(fmt::format("the patient's local time ({})", zone));
    if (!add) text_field("Reason", "##reason", &form_.reason, "needed, e.g. pain not controlled");

    const char* go = add ? "Add medication" : stop ? "Stop medication" : "Save new version";
    if (button(go) || submit) submit_form();
    ImGui::SameLine();
    if (button("Cancel")) form_ = Form{};
    if (!form_.error.empty()) error_message(form_.error);
}

void MedicationsView::submit_form() {
    const auto& p = picture_->patient;
    Request r;
    r.key = form_.key;
    r.reason = form_.reason;
    form_.error.clear();
    try {
        const auto* zone = find_zone(p.time_zone);
        r.at = blank(form_.when) ? now_utc()
                                 : parse_time(form_.when, form_.mode == Form::add    ? "start"
                                                          : form_.mode == Form::stop ? "stop time"
                                                                                     : "from")
                                       .at(zone);
        if (form_.mode != Form::stop) {
            if (!form_.schedule_error.empty()) throw ValidationError(form_.schedule_error);
            Medication& m = r.med;
            m.key = form_.key;
            m.name = form_.name;
            m.dose = form_.dose;
            m.route = form_.route;
            m.schedule_text = form_.schedule;
            m.schedule = clinical::parse_schedule(form_.schedule);
            m.time_critical = form_.critical == 0
                                  ? clinical::default_time_critical(m.name, m.schedule)
                                  : form_.critical == 1;
            m.indication = form_.indication;
            m.start = r.at;
        }
    } catch (const std::exception& e) {
        form_.error = e.what();
        return;
    }
    if (form_.mode != Form::add && blank(form_.reason)) {
        form_.error = "A reason is needed: say why (e.g. \"pain not controlled\").";
        return;
    }
    switch (form_.mode) {
    case Form::add:
        r.kind = Request::add;
        r.what = fmt::format("Added {}.", form_.name);
        break;
    case Form::change:
        r.kind = Request::change;
        r.what = fmt::format("Changed {} from {}.", form_.name, short_time(r.at, p.time_zone));
        break;
    case Form::stop:
        r.kind = Request::stop;
        r.what = fmt::format("Stopped {} at {}.", form_.name, short_time(r.at, p.time_zone));
        break;
    case Form::closed:
        return;
    }
    send(std::move(r));
}

} // namespace solace::ui
