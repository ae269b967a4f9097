#pragma once
// One agency on the test cluster for the agency server tests (issue 10): ctest starts the
// cluster (tests/pg_server.sh; SOLACE_PG_SERVER names its folder).
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "support.hpp"
#include "sync/rows.hpp"
#include "sync/server.hpp"

namespace solace::test {

inline std::string server_dir() {
    const char* d = std::getenv("SOLACE_PG_SERVER");
    return d ? d : "";
}

// One agency: a fresh database on the test cluster, account names unique to it.
struct Agency {
    std::string dir = server_dir();
    std::string dba_password;
    std::string db;
    std::string prefix;
    Agency() {
        if (dir.empty() || std::filesystem::exists(dir + "/unavailable")) {
            WARN("SKIPPED: no PostgreSQL server for the agency tests");
            return;
        }
        dba_password = read_file(dir + "/password");
        while (!dba_password.empty() && dba_password.back() == '\n')
            dba_password.pop_back();
        static std::atomic<int> n{0};
        prefix = fmt::format("t{}x{}_", getpid(), n++);
        db = prefix + "agency";
        solace::sync::Server dba(fmt::format("postgresql:///solace?host={}/sock", dir),
                                 "solace_dba", dba_password);
        dba.exec("CREATE DATABASE " + db);
        const auto r = run_solace({"server", "init", "--server", dba_url(), "--user", name("ann")},
                                  {"SOLACE_NEW_PASSWORD=pw-ann", "PGPASSWORD=" + dba_password});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
    bool ready() const { return !db.empty(); }
    std::string name(const std::string& n) const { return prefix + n; }
    std::string url() const { return fmt::format("postgresql:///{}?host={}/sock", db, dir); }
    std::string dba_url() const {
        return fmt::format("postgresql://solace_dba@/{}?host={}/sock", db, dir);
    }
    void add(const std::string& n, const std::string& role, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"server", "user",     "add", name(n),  "--role",
                                      role,     "--server", url(), "--user", name("ann")};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = run_solace(args, {"SOLACE_PASSWORD=pw-ann", "SOLACE_NEW_PASSWORD=pw-" + n});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
    std::string enroll(const TempDir& t, const std::string& n) {
        const auto db_path = (t / (n + ".db")).string();
        const auto r = run_solace({"enroll", "--server", url(), "--user", name(n), "--db", db_path},
                                  {"SOLACE_PASSWORD=pw-" + n});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return db_path;
    }
    CommandResult sync(const std::string& db_path, const std::string& n) {
        return run_solace({"sync", "--db", db_path, "--user", name(n)},
                          {"SOLACE_PASSWORD=pw-" + n});
    }
    std::vector<std::string> env(const std::string& n) const { return {"SOLACE_PASSWORD=pw-" + n}; }
    // Raw SQL as a Solace account's own PostgreSQL role, as psql would.
    solace::sync::Server as(const std::string& n) const {
        return solace::sync::Server(url(), name(n), "pw-" + n);
    }
    // Raw SQL as the agency's database administrator (sees past row-level security).
    solace::sync::Server dba() const { return solace::sync::Server(dba_url(), "", dba_password); }
    // How many rows the server holds from the device.
    std::int64_t rows_from(const std::string& device) const {
        return dba()
            .exec("SELECT count(*) FROM solace.synced_row WHERE device = $1::uuid", {device})
            .int64(0, 0);
    }
    void server_ctl(const std::string& what) const {
        const auto cmd = fmt::format(
            "{} /usr/lib/postgresql/15/bin/pg_ctl -D {}/data -l {}/server.log -w {} >/dev/null",
            getuid() == 0 ? "runuser -u postgres --" : "", dir, dir, what);
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
};

inline nlohmann::json counts(const CommandResult& r) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

inline const std::string patients_csv = "mrn,name,date_of_birth,time_zone,diagnosis\n"
                                        "P1,Ada One,1940-01-01,Europe/London,lung\n"
                                        "P2,Bo Two,1950-02-02,Europe/London,bowel\n";

inline void import(const Agency& a, const TempDir& t, const std::string& db, const std::string& who,
                   const std::string& kind, const std::string& csv) {
    const auto r = import_csv(t.path, db, kind, csv, a.env(who), a.name(who));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

inline std::string scores(const std::string& mrn, int day, int hour, int pain,
                          const std::string& note) {
    return fmt::format("{},2026-11-{:02}T{:02}:00:00Z,pain,{},nurse,{}\n", mrn, day, hour, pain,
                       note);
}

// The synced rows a laptop holds, table by table.
inline std::map<std::string, std::int64_t> synced_rows(const std::string& db_path) {
    solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
    std::map<std::string, std::int64_t> n;
    for (const auto table : solace::sync::synced_tables())
        n[std::string(table)] = count_rows(db, std::string(table));
    return n;
}

// This laptop's own rows (every one of them must be on the server once after a sync).
inline std::int64_t own_rows(const std::string& db_path) {
    solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
    return solace::sync::outbox_size(db, 0);
}

inline std::string device_of(const std::string& db_path) {
    solace::store::Database db(db_path, solace::store::Database::Mode::open_existing);
    return db.device_uuid();
}

} // namespace solace::test
