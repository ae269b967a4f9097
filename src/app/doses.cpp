#include "app/doses.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "app/clinic.hpp"
#include "domain/error.hpp"
#include "store/identity.hpp"
#include "store/medication_repository.hpp"
#include "store/patient_repository.hpp"

namespace solace::app {

bool names_benzodiazepine(std::string_view name) {
    static constexpr std::array<std::string_view, 10> benzodiazepines{
        "midazolam", "lorazepam", "diazepam", "clonazepam",       "alprazolam",
        "temazepam", "oxazepam",  "clobazam", "chlordiazepoxide", "nitrazepam"};
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::any_of(benzodiazepines.begin(), benzodiazepines.end(),
                       [&](std::string_view b) { return lower.find(b) != std::string::npos; });
}

bool names_controlled(std::string_view name) {
    return names_opioid(name) || names_benzodiazepine(name);
}

std::string correct_dose(const Session& s, const DoseCorrection& c, Instant now) {
    s.require_nurse("correct a dose");
    store::MedicationRepository meds(s.db());
    const auto found = store::is_uuid(c.dose_id) ? meds.administration(c.dose_id) : std::nullopt;
    if (!found)
        throw NotFoundError(fmt::format(
            "There is no dose with id {}; copy the id that `dose record` printed (a UUID).",
            c.dose_id));
    const auto& old = found->record;
    const auto p = store::PatientRepository(s.db()).find(old.patient_id);
    s.require_read(*p);
    if (found->voided)
        throw ValidationError(fmt::format(
            "The dose {} was already marked entered in error; record a new dose instead.",
            c.dose_id));
    if (found->superseded)
        throw ValidationError(fmt::format(
            "The dose {} was already corrected; correct its latest version instead.", c.dose_id));
    if (std::all_of(c.reason.begin(), c.reason.end(),
                    [](unsigned char ch) { return std::isspace(ch); }))
        throw ValidationError("reason is empty: a correction needs a reason (e.g. \"given at "
                              "08:00, not 10:00\").");
    if (c.entered_in_error && (c.status || c.at))
        throw ValidationError("A dose entered in error is only marked so: leave out the new "
                              "status and time.");
    if (!c.entered_in_error && !c.status && !c.at)
        throw ValidationError("Say what to correct: a new --status, a new --at, or "
                              "--status entered-in-error.");
    const auto uuid = store::new_uuid();
    store::Transaction tx(s.db());
    if (c.entered_in_error) {
        meds.void_administration(old.id, c.reason, s.account().id, now, uuid);
        s.audit("dose.void", p->id,
                fmt::format("{} {} at {} entered in error: {}", found->med_key, code(old.status),
                            format_utc(old.given_at), c.reason));
    } else {
        Administration a = old;
        if (c.at) {
            check_entry_time(entry_timing(s.db()), *c.at, now, find_zone(p->time_zone),
                             "the corrected time");
            a.given_at = *c.at;
        }
        if (c.status) {
            a.status = *c.status;
            if (a.status == DoseStatus::given)
                a.reason.clear();
            else if (a.reason.empty())
                a.reason = c.reason; // why it was held or refused
        }
        a.supersedes = old.id;
        a.correction_reason = c.reason;
        a.uuid = uuid;
        meds.add_administration(a, s.account().id, now);
        s.audit("dose.correct", p->id,
                fmt::format("{} {} at {} corrected to {} at {}: {}", found->med_key,
                            code(old.status), format_utc(old.given_at), code(a.status),
                            format_utc(a.given_at), c.reason));
    }
    tx.commit();
    return uuid;
}

} // namespace solace::app
