#pragma once
// Helpers shared by the reliability tests (issue 6): a small clinic database, raw SQLite access
// that bypasses Solace (an attacker, or another program), and file fingerprints.
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/clinic.hpp"
#include "app/session.hpp"
#include "domain/time.hpp"
#include "entries.hpp"
#include "store/account_repository.hpp"
#include "store/audit_repository.hpp"
#include "store/database.hpp"
#include "support.hpp"

namespace solace::reliability {

inline constexpr const char* admin_password = "reliability-admin";

// Prints a count line of the crash, fault and stress runs, and appends it to the file named by
// SOLACE_RELIABILITY_LOG (./dev test shows that file after ctest, which hides passing output).
inline void report_count(const std::string& line) {
    std::cout << line << "\n";
    if (const char* log = std::getenv("SOLACE_RELIABILITY_LOG"); log && *log)
        std::ofstream(log, std::ios::app) << line << "\n";
}

// Argon2id is slow on purpose: each distinct password is hashed once per run.
inline const std::string& cached_hash(const std::string& password) {
    static std::map<std::string, std::string> hashes;
    auto it = hashes.find(password);
    if (it == hashes.end()) it = hashes.emplace(password, app::hash_password(password)).first;
    return it->second;
}

inline Instant at_utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return Instant{date::sys_days{date::year{y} / date::month{mo} / date::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{mi};
}

inline Patient make_patient(const std::string& mrn) {
    Patient p;
    p.mrn = mrn;
    p.name = "Patient " + mrn;
    p.date_of_birth = date::year{1944} / 6 / 2;
    p.time_zone = "UTC";
    return p;
}

// Adds an account with `password` (the admin's by default) and returns it.
inline Account add_account(store::Database& db, const std::string& name, Role role, bool admin,
                           std::vector<std::int64_t> patients = {},
                           const std::string& password = admin_password) {
    store::AccountRepository accounts(db);
    store::Transaction tx(db);
    accounts.add({0, name, role, admin, false, cached_hash(password), std::move(patients)}, 0);
    // As Solace does after every write: the audit log vouches for the new rows.
    store::AuditRepository(db).cover_new_rows("test", now_utc(), "account.add");
    tx.commit();
    return *accounts.find(name);
}

// The five core ESAS-r scores, all `value`.
inline app::VisitEntry core_visit(const std::string& mrn, Instant at, int value,
                                  std::string note = {}) {
    app::VisitEntry v;
    v.mrn = mrn;
    v.at = at;
    v.reporter = Reporter::patient;
    for (auto s :
         {Symptom::pain, Symptom::appetite, Symptom::nausea, Symptom::anxiety, Symptom::breathing})
        v.scores.push_back({s, value, {}});
    v.note = std::move(note);
    return v;
}

// A database with the admin nurse "ann", patient P1 and the medications "morphine-sr" (bid) and
// "oxy-ir" (PRN).
struct Clinic {
    test::TempDir dir;
    std::filesystem::path path = dir / "solace.db";
    std::optional<store::Database> db;
    std::optional<app::Session> ann;

    Clinic() {
        db.emplace(path, store::Database::Mode::create_new);
        ann.emplace(*db, add_account(*db, "ann", Role::nurse, true));
        app::add_patient(*ann, make_patient("P1"));
        medication("morphine-sr", "Morphine sulfate SR", "bid");
        medication("oxy-ir", "Oxycodone IR", "prn q1h max 6");
    }

    void medication(const std::string& key, const std::string& name, const std::string& schedule) {
        Medication m;
        m.key = key;
        m.name = name;
        m.schedule_text = schedule;
        m.indication = "pain";
        m.start = at_utc(2026, 1, 1);
        app::add_medication(*ann, "P1", m);
    }

    // Closes Solace's connection (so another process or a raw connection has the file).
    void close() {
        ann.reset();
        db.reset();
    }
};

// A SQLite connection that is not Solace's: no checks, no triggers of ours bypassed unless
// the caller drops them. For playing the attacker, or another program.
struct RawDb {
    sqlite3* db = nullptr;
    explicit RawDb(const std::filesystem::path& p) {
        sqlite3_open(p.c_str(), &db);
        sqlite3_busy_timeout(db, 5000);
    }
    ~RawDb() { sqlite3_close(db); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;
    int exec(const std::string& sql) const {
        return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    }
    std::string error() const { return sqlite3_errmsg(db); }
    std::int64_t scalar(const std::string& sql) const {
        sqlite3_stmt* st = nullptr;
        std::int64_t v = -1;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }
    std::string text(const std::string& sql) const {
        sqlite3_stmt* st = nullptr;
        std::string v;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK)
            while (sqlite3_step(st) == SQLITE_ROW) {
                const auto* t = sqlite3_column_text(st, 0);
                v += (v.empty() ? "" : "; ") +
                     std::string(t ? reinterpret_cast<const char*>(t) : "");
            }
        sqlite3_finalize(st);
        return v;
    }
};

// What a file is, to prove it was not touched: its bytes, size and modification time.
struct Fingerprint {
    std::string bytes;
    std::int64_t mtime_ns = 0;
    unsigned mode = 0;
    bool operator==(const Fingerprint&) const = default;
};

inline Fingerprint fingerprint(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return {test::read_file(p), st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
            static_cast<unsigned>(st.st_mode & 07777)};
}

inline unsigned file_mode(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return static_cast<unsigned>(st.st_mode & 07777);
}

} // namespace solace::reliability
