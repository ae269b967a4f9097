#pragma once
// The bodies of the fuzz targets, shared by the libFuzzer programs (fuzz_*.cpp) and the
// regression test that replays the corpus and every crash ever found
// (tests/reliability_fuzz_test.cpp). An input may be refused with Solace's own errors
// (ValidationError, ImportError, PermissionError, NotFoundError); anything else escaping,
// a sanitizer report or a broken invariant is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <date/tz.h>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "clinical/schedule.hpp"
#include "domain/error.hpp"
#include "interop/csv.hpp"
#include "interop/import.hpp"
#include "store/account_repository.hpp"
#include "store/database.hpp"

namespace solace::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The schedule grammar of DESIGN §3; what parses must also expand without trouble.
inline void schedule_one(const std::uint8_t* data, std::size_t size) {
    Schedule parsed;
    try {
        parsed = clinical::parse_schedule(as_text(data, size));
    } catch (const ValidationError&) {
        return;
    }
    Medication m;
    m.key = "m";
    m.name = "fuzzed";
    m.schedule_text = std::string(as_text(data, size));
    m.schedule = parsed;
    m.time_critical = clinical::default_time_critical(m.name, parsed);
    // Across a spring-forward day in a zone with DST.
    m.start = Instant{std::chrono::seconds{1774746000}}; // 2026-03-29 01:00Z, London's DST day
    const auto* zone = date::locate_zone("Europe/London");
    const auto from = m.start - std::chrono::hours{24}, to = m.start + std::chrono::hours{72};
    Thresholds t;
    const auto doses = clinical::expand(m, zone, from, to, t);
    for (std::size_t i = 0; i < doses.size(); ++i) {
        if (doses[i].due < from || doses[i].due > to)
            throw std::logic_error("expand returned a dose outside [from, to]");
        if (i > 0 && doses[i].due < doses[i - 1].due)
            throw std::logic_error("expand returned doses out of order");
    }
    (void)clinical::dose_window(m, t);
}

// A database with one admin nurse, patients P1 and P2, and two medications of P1; rebuilt
// now and then so successful imports do not make it grow without end.
class ImportBench {
  public:
    ImportBench() { reset(); }
    ~ImportBench() { remove(); }
    ImportBench(const ImportBench&) = delete;
    ImportBench& operator=(const ImportBench&) = delete;

    const app::Session& session() {
        if (++uses_ % 2000 == 0) reset();
        return *session_;
    }

  private:
    void remove() {
        session_.reset();
        db_.reset();
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path_.string() + suffix, ec);
    }
    void reset() {
        remove();
        path_ = std::filesystem::temp_directory_path() /
                ("solace-fuzz-" + std::to_string(::getpid()) + ".db");
        db_ = std::make_unique<store::Database>(path_, store::Database::Mode::create_new);
        db_->exec("PRAGMA synchronous=OFF"); // a scratch file: speed over durability
        store::AccountRepository accounts(*db_);
        // A fixed Argon2id string: no account ever signs in here.
        accounts.add({0,
                      "ann",
                      Role::nurse,
                      true,
                      false,
                      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA",
                      {}},
                     0);
        session_ = std::make_unique<app::Session>(*db_, *accounts.find("ann"));
        for (const char* mrn : {"P1", "P2"}) {
            Patient p;
            p.mrn = mrn;
            p.name = std::string("Patient ") + mrn;
            p.date_of_birth = date::year{1950} / 5 / 17;
            p.time_zone = "America/New_York";
            app::add_patient(*session_, p);
        }
        for (const auto& [key, schedule] :
             {std::pair{"morphine-sr", "bid"}, std::pair{"oxy-ir", "prn q1h max 6"}}) {
            Medication m;
            m.key = key;
            m.name = key;
            m.schedule_text = schedule;
            m.indication = "pain";
            m.start = Instant{std::chrono::seconds{1767225600}};
            app::add_medication(*session_, "P1", m);
        }
    }

    std::filesystem::path path_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<app::Session> session_;
    long uses_ = 0;
};

// The first byte picks the file kind (in this order, so the corpus keeps its meaning); the rest
// is the CSV text, parsed on its own and then imported.
inline void csv_import_one(ImportBench& bench, const std::uint8_t* data, std::size_t size) {
    if (size == 0) return;
    constexpr interop::CsvKind kinds[] = {
        interop::CsvKind::patients,    interop::CsvKind::observations,
        interop::CsvKind::medications, interop::CsvKind::administrations,
        interop::CsvKind::goals,       interop::CsvKind::visits};
    const auto kind = kinds[data[0] % std::size(kinds)];
    const auto text = as_text(data + 1, size - 1);
    try {
        const auto rows = interop::parse_csv(text);
        for (const auto& r : rows)
            if (r.line < 1) throw std::logic_error("parse_csv gave a line number below 1");
    } catch (const ValidationError&) {
    }
    try {
        interop::import_csv(bench.session(), kind, text);
        // Whatever was accepted holds no control character in a one-line field (issue 13).
        store::Statement s(bench.session().db(),
                           "SELECT count(*) FROM patient WHERE mrn GLOB ('*[' || char(1) || '-' || "
                           "char(31) || ']*') OR instr(CAST(mrn AS BLOB), x'00') > 0");
        if (s.step() && s.int64(0) > 0)
            throw std::logic_error("an MRN with a control character was stored");
    } catch (const interop::ImportError& e) {
        if (e.problems.empty() || e.problems.size() > interop::max_reported_problems ||
            e.total < e.problems.size())
            throw std::logic_error("an ImportError that lists no problem or too many");
    } catch (const ValidationError&) {
    } catch (const PermissionError&) {
    } catch (const NotFoundError&) {
    }
}

} // namespace solace::fuzz
