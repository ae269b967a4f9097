// All the rules together, in the order the nurse reads them: by time.
#include <initializer_list>
#include <iterator>

#include "clinical/rule_support.hpp"
#include "clinical/rules.hpp"

namespace solace::clinical {

std::vector<Flag> evaluate(const PatientRecord& r, Instant from, Instant to, const Thresholds& t) {
    auto out = symptom_flags(r, from, to, t);
    for (auto* rules : {&dose_flags, &prn_flags}) {
        auto more = rules(r, from, to, t);
        out.insert(out.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
    }
    support::sort_flags(out);
    return out;
}

} // namespace solace::clinical
