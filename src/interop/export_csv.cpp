#include "interop/export_csv.hpp"

#include <fstream>

#include <fmt/format.h>

#include "domain/error.hpp"
#include "interop/csv.hpp"
#include "interop/import.hpp"
#include "store/medication_repository.hpp"
#include "store/observation_repository.hpp"

namespace solace::interop {

namespace {
const Instant beginning = from_epoch(-(std::int64_t{1} << 40));
const Instant ending = from_epoch(std::int64_t{1} << 40);

class CsvFile {
  public:
    CsvFile(const std::filesystem::path& dir, CsvKind kind)
        : path_(dir / (std::string(code(kind)) + ".csv")), out_(path_, std::ios::binary) {
        if (!out_)
            throw StoreError(fmt::format("Solace could not write {}; check the folder exists and "
                                         "may be written.",
                                         path_.string()));
        out_ << csv_line(csv_columns(kind));
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
        mf(dir, CsvKind::medications), af(dir, CsvKind::administrations);
    store::ObservationRepository obs(s.db());
    store::MedicationRepository meds(s.db());
    for (const auto& p : patients) {
        const auto* zone = find_zone(p.time_zone);
        pf.row({p.mrn, p.name, format_date(p.date_of_birth), p.time_zone, p.diagnosis});
        for (const auto& sc : obs.scores(p.id, beginning, ending))
            of.row({p.mrn, format_local(sc.observed_at, zone), std::string(code(sc.symptom)),
                    std::to_string(sc.value), std::string(code(sc.reporter)), sc.note});
        for (const auto& pps : obs.pps(p.id, beginning, ending))
            of.row({p.mrn, format_local(pps.observed_at, zone), "pps", std::to_string(pps.value),
                    std::string(code(pps.reporter)), pps.note});
        const auto list = meds.list(p.id);
        for (const auto& m : list)
            mf.row({p.mrn, m.key, m.name, m.dose, m.route, m.schedule_text,
                    m.time_critical ? "yes" : "no", m.indication, format_local(m.start, zone),
                    m.end ? format_local(*m.end, zone) : ""});
        for (const auto& a : meds.administrations(p.id, beginning, ending)) {
            std::string key;
            for (const auto& m : list)
                if (m.id == a.medication_id) key = m.key;
            af.row({p.mrn, key, format_local(a.given_at, zone), std::string(code(a.status)),
                    a.reason, a.recorded_by});
        }
    }
    pf.close();
    of.close();
    mf.close();
    af.close();
    s.audit("export.csv",
            mrn && !patients.empty() ? std::optional(patients.front().id) : std::nullopt,
            fmt::format("CSV export of {} patient(s) to {}", patients.size(), dir.string()));
    return pf.rows() + of.rows() + mf.rows() + af.rows();
}

} // namespace solace::interop
