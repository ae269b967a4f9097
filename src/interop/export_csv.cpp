#include "interop/export_csv.hpp"

#include <fstream>
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
    CsvFile(const std::filesystem::path& dir, CsvKind kind)
        : CsvFile(dir, std::string(code(kind)), export_columns(kind)) {}
    CsvFile(const std::filesystem::path& dir, const std::string& name,
            const std::vector<std::string>& columns)
        : path_(dir / (name + ".csv")), out_(path_, std::ios::binary) {
        if (!out_)
            throw StoreError(fmt::format("Solace could not write {}; check the folder exists and "
                                         "may be written.",
                                         path_.string()));
        out_ << csv_line(columns);
    }
    void row(const std::vector<std::string>& fields) {
        out_ << csv_line(fields);
        ++rows_;
    }
    std::size_t rows() const { return rows_; }
    void close() {
        out_.close();
        if (!out_) throw StoreError(fmt::format("Writing {} failed (disk full?).", path_.string()));
    }

  private:
    std::filesystem::path path_;
    std::ofstream out_;
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
    std::map<std::int64_t, const Score*> by_replaced;
    for (const auto* list : {&current, &replaced})
        for (const auto& sc : *list)
            if (sc.supersedes) by_replaced[*sc.supersedes] = &sc;
    for (const auto& old : replaced) {
        const auto it = by_replaced.find(old.id);
        if (it == by_replaced.end()) continue;
        const auto& c = *it->second;
        out.row({p.mrn, format_local(old.observed_at, zone), std::string(code(old.symptom)),
                 std::string(code(old.reporter)), std::to_string(old.value),
                 std::to_string(c.value), format_local(c.recorded_at, zone), c.author,
                 c.correction_reason});
    }
}
} // namespace

std::size_t export_csv(const app::Session& s, const std::filesystem::path& dir,
                       const std::optional<std::string>& mrn) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::vector<Patient> patients;
    if (mrn)
        patients.push_back(s.patient(*mrn));
    else
        patients = s.patients();

    CsvFile pf(dir, CsvKind::patients), of(dir, CsvKind::observations),
        mf(dir, CsvKind::medications), af(dir, CsvKind::administrations), gf(dir, CsvKind::goals),
        cf(dir, "corrections", correction_columns);
    store::ObservationRepository obs(s.db());
    store::CsvRows rows(s.db());
    for (const auto& p : patients) {
        const auto* zone = find_zone(p.time_zone);
        pf.row({p.mrn, p.name, format_date(p.date_of_birth), p.time_zone, p.diagnosis, p.uuid});
        write_corrections(cf, p, zone, obs, obs.scores(p.id, beginning, ending));
        // Every row as written, corrections after what they replace.
        rows.for_each_observation(p.id, [&](const store::ObservationRow& o) {
            of.row({p.mrn, format_local(o.observed_at, zone), o.item, std::to_string(o.value),
                    std::string(code(o.reporter)), o.note, o.uuid, o.replaces, o.reason});
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
        for (const auto& g : rows.goals(p.id))
            gf.row({p.mrn, std::string(code(g.symptom)), std::to_string(g.goal),
                    format_local(g.set_at, zone), g.uuid});
    }
    pf.close();
    of.close();
    mf.close();
    af.close();
    gf.close();
    cf.close();
    s.audit_read("export.csv",
                 mrn && !patients.empty() ? std::optional(patients.front().id) : std::nullopt,
                 fmt::format("CSV export of {} patient(s) to {}", patients.size(), dir.string()));
    return pf.rows() + of.rows() + mf.rows() + af.rows() + gf.rows();
}

} // namespace solace::interop
