#include "interop/export_csv.hpp"

#include <map>

#include <fmt/format.h>

#include "domain/error.hpp"
#include "interop/csv.hpp"
#include "interop/import.hpp"
#include "store/csv_rows.hpp"
#include "store/observation_repository.hpp"

namespace solace::interop {

namespace {
const Instant beginning = from_epoch(-(std::int64_t{1} << 40));
const Instant ending = from_epoch(std::int64_t{1} << 40);

class CsvFile {
  public:
    CsvFile(const std::filesystem::path& dir, CsvKind kind, const CsvExportOptions& o)
        : CsvFile(dir, std::string(code(kind)), export_columns(kind), o) {}
    CsvFile(const std::filesystem::path& dir, const std::string& name,
            const std::vector<std::string>& columns, const CsvExportOptions& o)
        : file_(dir / (name + ".csv"), o.existing), raw_(o.raw) {
        file_.write(csv_line(columns));
    }
    void row(std::vector<std::string> fields) {
        if (!raw_)
            for (auto& f : fields)
                f = escape_formula(f);
        file_.write(csv_line(fields));
        ++rows_;
    }
    std::size_t rows() const { return rows_; }
    void commit() { file_.commit(); }

  private:
    app::PrivateFile file_;
    bool raw_;
    std::size_t rows_ = 0;
};
// What each correction replaced: kept beside the import files, which hold current values.
const std::vector<std::string> correction_columns{"patient",      "observed_at",    "symptom",
                                                  "reporter",     "replaced_score", "score",
                                                  "corrected_at", "corrected_by",   "reason"};

void write_corrections(CsvFile& out, const Patient& p, const date::time_zone* zone,
                       store::ObservationRepository& obs, const std::vector<Score>& current) {
    const auto replaced = obs.replaced_scores(p.id, beginning, ending);
    if (replaced.empty()) return;
    // Two laptops offline may each correct one score: a row for each correction.
    std::multimap<std::int64_t, const Score*> by_replaced;
    for (const auto* list : {&current, &replaced})
        for (const auto& sc : *list)
            if (sc.supersedes) by_replaced.emplace(*sc.supersedes, &sc);
    for (const auto& old : replaced) {
        const auto [first, last] = by_replaced.equal_range(old.id);
        for (auto it = first; it != last; ++it) {
            const auto& c = *it->second;
            out.row({p.mrn, format_local(old.observed_at, zone), std::string(code(old.symptom)),
                     std::string(code(old.reporter)), std::to_string(old.value),
                     std::to_string(c.value), format_local(c.recorded_at, zone), c.author,
                     c.correction_reason});
        }
    }
}
} // namespace

std::size_t export_csv(const app::Session& s, const std::filesystem::path& dir,
                       const std::optional<std::string>& mrn, const CsvExportOptions& o) {
    std::vector<Patient> patients;
    if (mrn)
        patients.push_back(s.patient(*mrn));
    else
        patients = s.patients();
    app::ensure_private_dir(dir);
    const std::string names[] = {std::string(code(CsvKind::patients)),
                                 std::string(code(CsvKind::visits)),
                                 std::string(code(CsvKind::observations)),
                                 std::string(code(CsvKind::medications)),
                                 std::string(code(CsvKind::administrations)),
                                 std::string(code(CsvKind::goals)),
                                 "corrections"};
    for (const auto& name : names) // refused before anything is logged or written
        app::check_target(dir / (name + ".csv"), o.existing);
    {
        // One event per patient, so `audit list --patient` shows it; an export of no patient
        // is logged too.
        const auto where = std::filesystem::absolute(dir).string();
        std::vector<std::pair<std::optional<std::int64_t>, std::string>> events;
        if (patients.empty())
            events.emplace_back(std::nullopt, "CSV export of no patient to " + where);
        for (const auto& p : patients)
            events.emplace_back(p.id, fmt::format("CSV export of {} (one of {} patients) to {}",
                                                  p.mrn, patients.size(), where));
        s.audit_read("export.csv", events); // on record before any file, never waits for a writer
    }

    CsvFile pf(dir, CsvKind::patients, o), vf(dir, CsvKind::visits, o),
        of(dir, CsvKind::observations, o), mf(dir, CsvKind::medications, o),
        af(dir, CsvKind::administrations, o), gf(dir, CsvKind::goals, o),
        cf(dir, "corrections", correction_columns, o);
    store::ObservationRepository obs(s.db());
    store::CsvRows rows(s.db());
    for (const auto& p : patients) {
        const auto* zone = find_zone(p.time_zone);
        pf.row({p.mrn, p.name, format_date(p.date_of_birth), p.time_zone, p.diagnosis, p.uuid,
                p.on_call_phone, p.discharged_at ? format_local(*p.discharged_at, zone) : "",
                p.discharge_reason});
        write_corrections(cf, p, zone, obs, obs.scores(p.id, beginning, ending));
        rows.for_each_visit(p.id, [&](const store::VisitRow& v) {
            vf.row({p.mrn, format_local(v.at, zone), v.note, v.uuid});
        });
        // Every row as written, corrections after what they replace.
        rows.for_each_observation(p.id, [&](const store::ObservationRow& o) {
            of.row({p.mrn, format_local(o.observed_at, zone), o.item, std::to_string(o.value),
                    std::string(code(o.reporter)), o.note, o.uuid, o.replaces, o.reason, o.visit});
        });
        for (const auto& m : rows.medication_versions(p.id))
            mf.row({p.mrn, m.key, m.name, m.dose, m.route, m.schedule_text,
                    m.time_critical ? "yes" : "no", m.indication, format_local(m.start, zone),
                    m.end ? format_local(*m.end, zone) : "", m.uuid});
        // A correction's reason is why it was corrected; a held or refused dose it makes keeps
        // the reason of the dose it replaces (as `dose correct` does).
        rows.for_each_administration(p.id, [&](const store::AdministrationRow& a) {
            af.row({p.mrn, a.med_key, format_local(a.given_at, zone), std::string(code(a.status)),
                    a.replaces.empty() ? a.reason : a.correction_reason, a.recorded_by, a.uuid,
                    a.replaces});
        });
        // A dose entered in error: a row that replaces it with that status (as `dose correct
        // --status entered-in-error` does), after every dose.
        rows.for_each_void(p.id, [&](const store::DoseVoidRow& v) {
            af.row({p.mrn, v.med_key, format_local(v.given_at, zone), "entered-in-error", v.reason,
                    v.author, v.uuid, v.voids});
        });
        for (const auto& g : rows.goals(p.id))
            gf.row({p.mrn, std::string(code(g.symptom)), std::to_string(g.goal),
                    format_local(g.set_at, zone), g.uuid});
    }
    for (auto* f : {&pf, &vf, &of, &mf, &af, &gf, &cf})
        f->commit();
    return pf.rows() + vf.rows() + of.rows() + mf.rows() + af.rows() + gf.rows();
}

} // namespace solace::interop
