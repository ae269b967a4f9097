#include "app/snapshot.hpp"

#include <algorithm>
#include <exception>

#include "app/clinic.hpp"

namespace solace::app {

namespace {
int age_on(date::year_month_day born, date::year_month_day today) {
    int years = int(today.year()) - int(born.year());
    if (date::month_day{today.month(), today.day()} < date::month_day{born.month(), born.day()})
        --years;
    return std::max(years, 0);
}

date::year_month_day today_in(const std::string& zone_name, Instant now) {
    try {
        const auto local = date::zoned_seconds{find_zone(zone_name), now}.get_local_time();
        return date::year_month_day{date::floor<date::days>(local)};
    } catch (const std::exception&) {
        return date::year_month_day{date::floor<date::days>(now)}; // unknown zone: UTC's date
    }
}
} // namespace

PatientList patient_list(const Session& s, Instant now, int days) {
    PatientList out;
    out.taken_at = now;
    out.flags_from = now - date::days{days};
    for (const auto& p : s.patients()) {
        PatientRow row;
        row.mrn = p.mrn;
        row.name = p.name;
        row.date_of_birth = format_date(p.date_of_birth);
        row.age = age_on(p.date_of_birth, today_in(p.time_zone, now));
        row.time_zone = p.time_zone;
        row.diagnosis = p.diagnosis;
        // One patient's bad data must not hide the whole list.
        try {
            for (const auto& f : patient_flags(s, p, out.flags_from, now)) {
                if (f.acknowledged) continue;
                ++row.open_flags;
                ++row.open_by_severity[static_cast<int>(f.severity)];
                if (!row.worst || f.severity > *row.worst) row.worst = f.severity;
            }
        } catch (const std::exception& e) {
            row.problem = e.what();
        }
        out.patients.push_back(std::move(row));
    }
    return out;
}

} // namespace solace::app
