#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "app/doses.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "domain/error.hpp"
#include "store/identity.hpp"
#include "store/medication_repository.hpp"
#include "store/patient_repository.hpp"

namespace solace::cli {

namespace {

struct DoseArgs {
    std::string mrn, med, status, at, reason;
};

struct CorrectArgs {
    std::string id, reason, status, at;
};

// `--at` in the patient's zone when it has no offset; now when it is empty.
Instant entry_time(const std::string& text, const Patient& p, Instant now) {
    return app::entry_time(text, find_zone(p.time_zone), now, "--at");
}

int dose_record(const Common& c, const DoseArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto p = session.patient(a.mrn);
    const auto now = now_utc();
    app::DoseEntry d;
    d.mrn = a.mrn;
    d.med = a.med;
    d.at = entry_time(a.at, p, now);
    d.status = *parse_dose_status(a.status); // CLI11 checked the value
    d.reason = a.reason;
    d.uuid = store::new_uuid();
    app::record_dose(session, d, now);
    std::cout << nlohmann::json{{"id", d.uuid}}.dump() << "\n";
    return ok;
}

int dose_correct(const Common& c, const CorrectArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto now = now_utc();
    app::DoseCorrection d;
    d.dose_id = a.id;
    d.reason = a.reason;
    if (a.status == "entered-in-error")
        d.entered_in_error = true;
    else if (!a.status.empty())
        d.status = *parse_dose_status(a.status); // CLI11 checked the value
    if (!a.at.empty()) {
        // The patient's zone, for an --at without offset.
        const auto found = store::MedicationRepository(db).administration(a.id);
        if (!found)
            throw NotFoundError(fmt::format("There is no dose with id {}; copy the id that "
                                            "`dose record` printed (a UUID).",
                                            a.id));
        const auto p = store::PatientRepository(db).find(found->record.patient_id);
        d.at = app::entry_time(a.at, find_zone(p->time_zone), now, "--at");
    }
    const auto id = app::correct_dose(session, d, now);
    std::cout << nlohmann::json{{"id", id}}.dump() << "\n";
    return ok;
}

} // namespace

// Declared in cli.cpp, which calls it beside the other groups.
void add_entry_verbs(CLI::App& cli, Common& c, Verbs& verbs);

void add_entry_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    auto* dose = cli.add_subcommand("dose", "Record or correct a dose.");
    dose->require_subcommand(1);
    auto* record = dose->add_subcommand(
        "record", "Record a dose given, held or refused at --at (default now; up to 72 hours\n"
                  "back, at most 5 minutes ahead). Prints {\"id\": DOSE_ID}.\n"
                  "  e.g. solace dose record P0001 --med morphine-sr --status given --at "
                  "2026-03-08T08:00 --db clinic.db --user ann");
    auto d = std::make_shared<DoseArgs>();
    record->add_option("MRN", d->mrn, "The patient")->required();
    record->add_option("--med", d->med, "The medication key (e.g. morphine-sr)")->required();
    record->add_option("--status", d->status, "given, held or refused")
        ->required()
        ->check(CLI::IsMember({"given", "held", "refused"}));
    record->add_option("--at", d->at,
                       "When it was given, ISO 8601; no offset = patient's local time");
    record->add_option("--reason", d->reason, "Why it was held or refused (required then)");
    add_db_option(record, c);
    add_user_option(record, c);
    verbs.push_back({record, [&c, d] { return dose_record(c, *d); }});

    auto* correct = dose->add_subcommand(
        "correct", "Correct a dose record (nurses): a new record supersedes it, or it is marked\n"
                   "entered in error; nothing is deleted. Prints {\"id\": ID} of the new row.\n"
                   "  e.g. solace dose correct 0193... --reason \"given at 08:00, not 10:00\" "
                   "--at 2026-03-08T08:00 --db clinic.db --user ann");
    auto k = std::make_shared<CorrectArgs>();
    correct->add_option("DOSE_ID", k->id, "The id `dose record` printed (the export's id)")
        ->required();
    correct->add_option("--reason", k->reason, "Why it is corrected")->required();
    correct->add_option("--status", k->status, "given, held, refused or entered-in-error")
        ->check(CLI::IsMember({"given", "held", "refused", "entered-in-error"}));
    correct->add_option("--at", k->at,
                        "When it was really given, ISO 8601; no offset = patient's local time");
    add_db_option(correct, c);
    add_user_option(correct, c);
    verbs.push_back({correct, [&c, k] { return dose_correct(c, *k); }});
}

} // namespace solace::cli
