// The symptom rules of DESIGN §3: severe, rise, band_up, above_goal, sustained_rise.
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "clinical/rule_support.hpp"
#include "clinical/rules.hpp"

namespace solace::clinical {

namespace {

using std::chrono::days;

// Precedence among rules of equal severity, and the order of `reasons`.
enum class SymptomRule { severe, rise, sustained_rise, above_goal, band_up };
constexpr std::array all_rules{SymptomRule::severe, SymptomRule::rise, SymptomRule::sustained_rise,
                               SymptomRule::above_goal, SymptomRule::band_up};

std::string_view rule_name(SymptomRule r) {
    switch (r) {
    case SymptomRule::severe:
        return "symptom.severe";
    case SymptomRule::rise:
        return "symptom.rise";
    case SymptomRule::sustained_rise:
        return "symptom.sustained_rise";
    case SymptomRule::above_goal:
        return "symptom.above_goal";
    case SymptomRule::band_up:
        return "symptom.band_up";
    }
    return "symptom.severe";
}

// The scores of one symptom by one kind of reporter, oldest first: proxies rate
// differently, so only these are compared with each other.
struct Series {
    std::vector<const Score*> scores;
    std::vector<long> sums; // sums[k]: the values of scores[0..k), for window means

    const Score& operator[](std::size_t i) const { return *scores[i]; }
    // The first of scores[0..end) observed after `t`.
    std::size_t first_after(Instant t, std::size_t end) const {
        const auto it =
            std::partition_point(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(end),
                                 [&](const Score* s) { return s->observed_at <= t; });
        return static_cast<std::size_t>(it - scores.begin());
    }
};

// What the rules found about one score; `text` holds each matched rule's phrase.
struct Finding {
    std::optional<Severity> matched[all_rules.size()];
    std::string text[all_rules.size()];

    bool has(SymptomRule r) const { return matched[static_cast<std::size_t>(r)].has_value(); }
    void set(SymptomRule r, Severity s, std::string phrase) {
        matched[static_cast<std::size_t>(r)] = s;
        text[static_cast<std::size_t>(r)] = std::move(phrase);
    }
};

Severity severe_severity(Symptom s) {
    // These three are distressing and treatable within hours at home.
    return s == Symptom::pain || s == Symptom::nausea || s == Symptom::breathing
               ? Severity::urgent
               : Severity::warning;
}

// The previous score of the series, when it is recent enough to compare with.
const Score* previous(const Series& series, std::size_t i, const Thresholds& t) {
    if (i == 0) return nullptr;
    const Score* prev = series.scores[i - 1];
    if (series[i].observed_at - prev->observed_at > days{t.rise_lookback_days}) return nullptr;
    return prev;
}

void severe(Finding& f, const Score& s, const Thresholds& t) {
    if (s.value >= t.severe_score) f.set(SymptomRule::severe, severe_severity(s.symptom), "severe");
}

void rise(Finding& f, const Score& s, const Score* prev, const Thresholds& t) {
    if (prev && s.value - prev->value >= t.rise_points)
        f.set(SymptomRule::rise, Severity::warning,
              fmt::format("a rise of {} points", s.value - prev->value));
}

void band_up(Finding& f, const Score& s, const Score* prev, const Thresholds& t) {
    // A higher band by a 1-point change (3 -> 4) is only a trend arrow: 1 point is the
    // minimal clinically important difference, so the rise threshold applies here too.
    if (!prev || band_of(s.value) <= band_of(prev->value) || s.value - prev->value < t.rise_points)
        return;
    f.set(SymptomRule::band_up, Severity::info,
          fmt::format("now {}, was {}", label(band_of(s.value)), label(band_of(prev->value))));
}

void above_goal(Finding& f, const Score& s, const std::vector<ComfortGoal>& goals) {
    const ComfortGoal* in_force = nullptr;
    for (const auto& g : goals)
        if (g.symptom == s.symptom && g.set_at <= s.observed_at &&
            (!in_force || g.set_at >= in_force->set_at))
            in_force = &g;
    if (in_force && s.value > in_force->goal)
        f.set(SymptomRule::above_goal, Severity::warning,
              fmt::format("above the comfort goal of {}", in_force->goal));
}

void sustained_rise(Finding& f, const Series& series, std::size_t i, const Thresholds& t) {
    const auto run = static_cast<std::size_t>(std::max(t.sustained_run, 1));
    if (i >= run) {
        // The whole run lies within sustained_span_days of this score: four rises over two
        // months are not a sustained rise.
        bool rising =
            series[i].observed_at - series[i - run].observed_at <= days{t.sustained_span_days};
        for (std::size_t k = i - run + 1; k <= i && rising; ++k)
            rising = series[k].value > series[k - 1].value;
        if (rising) {
            f.set(SymptomRule::sustained_rise, Severity::warning,
                  fmt::format("higher each time for {} scores in a row", run + 1));
            return;
        }
    }
    // The mean of the window up to this score against the window before it. Integer
    // sums so that "exactly 2 points above" is exact.
    const Instant at = series[i].observed_at;
    const days window{t.sustained_window_days};
    const std::size_t end = i + 1; // later scores are not part of this one's week
    const std::size_t recent = series.first_after(at - window, end);
    const std::size_t before = series.first_after(at - 2 * window, recent);
    const long recent_n = long(end - recent), before_n = long(recent - before);
    const long recent_sum = series.sums[end] - series.sums[recent];
    const long before_sum = series.sums[recent] - series.sums[before];
    if (recent_n < t.sustained_min_scores || before_n < t.sustained_min_scores) return;
    if (recent_sum * before_n - before_sum * recent_n <
        t.sustained_mean_points * recent_n * before_n)
        return;
    f.set(SymptomRule::sustained_rise, Severity::warning,
          fmt::format("the {}-day average is {:.1f}, up from {:.1f} the {} days before",
                      t.sustained_window_days, double(recent_sum) / double(recent_n),
                      double(before_sum) / double(before_n), t.sustained_window_days));
}

std::optional<Flag> flag_for(const PatientRecord& r, const Series& series, std::size_t i,
                             const Thresholds& t, const date::time_zone* zone) {
    const Score& s = series[i];
    const Score* prev = previous(series, i, t);
    Finding f;
    severe(f, s, t);
    rise(f, s, prev, t);
    sustained_rise(f, series, i, t);
    above_goal(f, s, r.goals);
    band_up(f, s, prev, t);

    std::optional<std::size_t> top;
    for (std::size_t k = 0; k < all_rules.size(); ++k)
        if (f.matched[k] && (!top || *f.matched[k] > *f.matched[*top])) top = k;
    if (!top) return std::nullopt;

    Flag flag = support::make_flag(r, rule_name(all_rules[*top]), *f.matched[*top], s.observed_at,
                                   fmt::format("s{}", s.id));
    flag.symptom = s.symptom;
    std::string phrases = f.text[*top];
    for (std::size_t k = 0; k < all_rules.size(); ++k) {
        if (k == *top || !f.matched[k]) continue;
        flag.reasons.emplace_back(rule_name(all_rules[k]));
        // "now severe" says nothing "severe" has not said.
        if (all_rules[k] == SymptomRule::band_up && f.has(SymptomRule::severe)) continue;
        phrases += ", " + f.text[k];
    }
    std::string trend;
    if (prev) {
        const auto when = support::local_date(prev->observed_at, zone);
        if (s.value > prev->value)
            trend = fmt::format(", up from {} on {}", prev->value, when);
        else if (s.value < prev->value)
            trend = fmt::format(", down from {} on {}", prev->value, when);
        else
            trend = fmt::format(", the same as on {}", when);
    }
    flag.detail = fmt::format("{} {}/10 ({}){}; {}.", info(s.symptom).label, s.value,
                              code(s.reporter), trend, phrases);
    return flag;
}

} // namespace

std::chrono::seconds score_lookback(const Thresholds& t) {
    return days{std::max(2 * t.sustained_window_days, t.rise_lookback_days)};
}

std::vector<Flag> symptom_flags(const PatientRecord& r, Instant from, Instant to,
                                const Thresholds& t) {
    std::vector<Flag> out;
    if (from > to) return out;
    const auto* zone = find_zone(r.patient.time_zone);

    std::map<std::pair<Symptom, Reporter>, Series> by_kind;
    for (const auto& s : r.scores)
        if (s.observed_at <= to) by_kind[{s.symptom, s.reporter}].scores.push_back(&s);
    for (auto& [kind, series] : by_kind) {
        auto& scores = series.scores;
        // app/ sorts already; a stable sort keeps equal times in the order given.
        std::stable_sort(scores.begin(), scores.end(), [](const Score* a, const Score* b) {
            return a->observed_at < b->observed_at;
        });
        series.sums.assign(1, 0);
        for (const Score* s : scores)
            series.sums.push_back(series.sums.back() + s->value);
        for (std::size_t i = 0; i < scores.size(); ++i) {
            if (scores[i]->observed_at < from) continue;
            if (auto flag = flag_for(r, series, i, t, zone)) out.push_back(std::move(*flag));
        }
    }
    support::sort_flags(out);
    return out;
}

} // namespace solace::clinical
