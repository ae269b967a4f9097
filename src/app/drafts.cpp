#include "app/drafts.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/draft_repository.hpp"

namespace solace::app {

namespace {
constexpr std::string_view visit_kind = "visit";

float nearest_scale(double v) {
    float best = text_scales[0];
    for (float s : text_scales)
        if (std::abs(double(s) - v) < std::abs(double(best) - v)) best = s;
    return best;
}
} // namespace

std::string visit_draft_json(const VisitEntry& v, bool more) {
    nlohmann::json scores = nlohmann::json::object();
    for (const auto& s : v.scores)
        scores[std::string(code(s.symptom))] = s.value;
    nlohmann::json j{
        {"reporter", code(v.reporter)}, {"scores", scores}, {"note", v.note}, {"more", more}};
    j["pps"] = v.pps ? nlohmann::json(*v.pps) : nlohmann::json(nullptr);
    if (v.bowel_movement) j["bowel_movement"] = v.bowel_movement->bristol_type;
    return j.dump();
}

std::optional<VisitDraft> parse_visit_draft(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return std::nullopt;
    VisitDraft d;
    if (auto it = j.find("reporter"); it != j.end() && it->is_string())
        d.visit.reporter = parse_reporter(it->get<std::string>()).value_or(Reporter::patient);
    if (auto it = j.find("scores"); it != j.end() && it->is_object())
        for (const auto& [name, value] : it->items()) {
            const auto sym = parse_symptom(name);
            if (!sym || !value.is_number_integer()) continue;
            const int v = value.get<int>();
            if (v < min_score || v > max_score) continue;
            d.visit.scores.push_back({*sym, v, {}});
        }
    // In the order the form shows them.
    std::sort(d.visit.scores.begin(), d.visit.scores.end(),
              [](const ScoreEntry& a, const ScoreEntry& b) { return a.symptom < b.symptom; });
    if (auto it = j.find("pps"); it != j.end() && it->is_number_integer()) {
        const int v = it->get<int>();
        if (v >= 0 && v <= 100 && v % 10 == 0) d.visit.pps = v;
    }
    if (auto it = j.find("bowel_movement"); it != j.end() && it->is_number_integer()) {
        const int v = it->get<int>();
        if (v >= min_bristol_type && v <= max_bristol_type)
            d.visit.bowel_movement = BowelMovementEntry{{}, v};
    }
    if (auto it = j.find("note"); it != j.end() && it->is_string())
        d.visit.note = it->get<std::string>();
    if (auto it = j.find("more"); it != j.end() && it->is_boolean()) d.more = it->get<bool>();
    if (nothing_entered(d.visit)) return std::nullopt;
    return d;
}

void keep_visit_draft(const Session& s, const Patient& p, const VisitEntry& v, bool more,
                      Instant now) {
    s.require_read(p);
    store::DraftRepository drafts(s.db());
    if (nothing_entered(v))
        drafts.remove(s.account().id, p.id, visit_kind); // nothing typed: nothing to offer back
    else
        drafts.put(s.account().id, p.id, visit_kind, visit_draft_json(v, more), now);
}

std::optional<VisitDraft> find_visit_draft(const Session& s, const Patient& p) {
    s.require_read(p);
    const auto row = store::DraftRepository(s.db()).find(s.account().id, p.id, visit_kind);
    if (!row) return std::nullopt;
    auto d = parse_visit_draft(row->payload);
    if (!d) return std::nullopt;
    d->visit.mrn = p.mrn;
    d->updated_at = row->updated_at;
    return d;
}

void clear_visit_draft(const Session& s, const Patient& p) {
    s.require_read(p);
    store::DraftRepository(s.db()).remove(s.account().id, p.id, visit_kind);
}

Preferences preferences(const Session& s) {
    Preferences out;
    if (!s.is_nurse()) out.text_scale = 1.25f; // family: larger text unless they chose otherwise
    const auto stored = store::DraftRepository(s.db()).preferences(s.account().id);
    if (auto it = stored.find("theme"); it != stored.end()) out.dark = it->second == "dark";
    if (auto it = stored.find("text_scale"); it != stored.end()) {
        try {
            out.text_scale = nearest_scale(std::stod(it->second));
        } catch (const std::exception&) {
            // An unreadable value: keep the default.
        }
    }
    return out;
}

void set_preferences(const Session& s, const Preferences& p) {
    store::DraftRepository drafts(s.db());
    store::Transaction tx(s.db());
    drafts.set_preference(s.account().id, "theme", p.dark ? "dark" : "light");
    drafts.set_preference(s.account().id, "text_scale",
                          fmt::format("{:.2f}", nearest_scale(double(p.text_scale))));
    tx.commit();
}

std::string last_printer(const Session& s) {
    const auto stored = store::DraftRepository(s.db()).preferences(s.account().id);
    const auto it = stored.find("printer");
    return it == stored.end() ? std::string() : it->second;
}

void remember_printer(const Session& s, std::string_view printer) {
    constexpr std::size_t longest_cups_name = 127;
    if (printer.empty() || printer.size() > longest_cups_name) return;
    store::DraftRepository(s.db()).set_preference(s.account().id, "printer", printer);
}

} // namespace solace::app
