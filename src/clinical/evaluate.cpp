// All the rules together, in the order the nurse reads them: by time.
#include <algorithm>
#include <initializer_list>
#include <iterator>

#include "clinical/rule_support.hpp"
#include "clinical/rules.hpp"

namespace solace::clinical {

std::vector<Flag> evaluate(const PatientRecord& r, Instant from, Instant to, const Thresholds& t) {
    auto out = symptom_flags(r, from, to, t);
    for (auto* rules : {&dose_flags, &prn_flags, &bowel_flags}) {
        auto more = rules(r, from, to, t);
        out.insert(out.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
    }
    support::sort_flags(out);
    return out;
}

Instant in_care_until(const Patient& p, Instant to) {
    return p.discharged_at ? std::min(to, *p.discharged_at) : to;
}

bool is_escalated(const Flag& f, Instant as_of, const Thresholds& t) {
    return f.severity == Severity::urgent && !f.acknowledged &&
           as_of - f.at >= std::chrono::minutes{t.escalate_after_minutes};
}

void mark_escalated(std::vector<Flag>& flags, Instant as_of, const Thresholds& t) {
    for (auto& f : flags)
        f.escalated = is_escalated(f, as_of, t);
    std::stable_partition(flags.begin(), flags.end(), [](const Flag& f) { return f.escalated; });
}

} // namespace solace::clinical
