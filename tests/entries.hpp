#pragma once
// Visits and doses of fixed past dates, written as if a minute after they happened, so they
// pass the 72-hour back-dating limit (DESIGN §3) whatever today's date.
#include <chrono>

#include "app/clinic.hpp"

namespace solace::test {

inline std::int64_t record_visit(const app::Session& s, const app::VisitEntry& v) {
    return app::record_visit(s, v, v.at + std::chrono::minutes{1});
}
inline std::int64_t record_dose(const app::Session& s, const app::DoseEntry& d) {
    return app::record_dose(s, d, d.at + std::chrono::minutes{1});
}

} // namespace solace::test
