// The admin's verbs: audit verify/list, backup, restore, check, user disable/enable.

#include <iostream>

#include <date/tz.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/audit.hpp"
#include "app/backup.hpp"
#include "app/integrity.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "domain/error.hpp"

namespace solace::cli {

namespace {

struct AuditArgs {
    std::string mrn, from, to;
    bool json = false;
};

struct FileArgs {
    std::string file, out, name;
};

store::Database open(const Common& c) {
    return store::Database(c.path(), store::Database::Mode::open_existing);
}

int audit_verify(const Common& c) {
    auto db = open(c);
    if (const auto& problem = db.schema_problem()) { // signing in would write
        std::cout << "The audit log cannot be trusted: the file's safeguards were changed.\n";
        std::cerr << "solace: " << *problem << "\n";
        return database;
    }
    const auto session = login(db, c);
    const auto v = app::verify_audit(session);
    if (v.ok()) {
        std::cout << fmt::format("The audit log is intact: {} events, each linked to the one "
                                 "before.\n",
                                 v.rows);
        return ok;
    }
    std::cout << fmt::format("The audit log is BROKEN at event {}: {}.\n", *v.first_broken,
                             v.problem);
    std::cerr << fmt::format("solace: The audit log of {} has been altered outside Solace (first "
                             "broken link: event {}). Keep this file as evidence and tell the "
                             "agency's privacy officer.\n",
                             c.path().string(), *v.first_broken);
    return database;
}

int audit_list(const Common& c, const AuditArgs& a) {
    auto db = open(c);
    const auto session = login(db, c);
    // Audit times are not any one patient's; an input without an offset is this computer's.
    const auto* zone = date::current_zone();
    app::AuditFilter f;
    if (!a.mrn.empty()) f.mrn = a.mrn;
    if (!a.from.empty()) f.from = parse_time(a.from, "--from", true).at(zone);
    if (!a.to.empty()) f.to = parse_time(a.to, "--to", true).end_at(zone);
    if (f.from > f.to)
        throw ValidationError(fmt::format("--from {} is after --to {}.", a.from, a.to));
    const auto entries = app::audit_entries(session, f);
    if (a.json) {
        auto arr = nlohmann::json::array();
        for (const auto& e : entries)
            arr.push_back(
                {{"id", e.id},
                 {"at", format_utc(e.at)},
                 {"account", e.account},
                 {"action", e.action},
                 {"patient", e.patient.empty() ? nlohmann::json() : nlohmann::json(e.patient)},
                 {"detail", e.detail}});
        std::cout << arr.dump(2) << "\n";
        return ok;
    }
    if (entries.empty()) {
        std::cout << "No audit events.\n";
        return ok;
    }
    std::cout << fmt::format("{:>6} {:<22} {:<12} {:<20} {:<8} {}\n", "ID", "AT (local)", "ACCOUNT",
                             "ACTION", "PATIENT", "DETAIL");
    for (const auto& e : entries)
        std::cout << fmt::format("{:>6} {:<22} {:<12} {:<20} {:<8} {}\n", e.id,
                                 format_local_short(e.at, zone), e.account, e.action, e.patient,
                                 e.detail);
    return ok;
}

int user_enable(const Common& c, const std::string& name, bool disable) {
    auto db = open(c);
    const auto session = login(db, c);
    app::set_account_disabled(session, name, disable);
    std::cout << fmt::format("{} the account {}.\n", disable ? "Disabled" : "Enabled", name);
    return ok;
}

int check(const Common& c, bool full) {
    auto db = open(c);
    if (auto problem = app::check_database(db, full)) {
        std::cerr << "solace: " << *problem << "\n";
        return database;
    }
    std::cout << fmt::format("{} passed its check (PRAGMA {}): no damage found.\n",
                             c.path().string(), full ? "integrity_check" : "quick_check");
    return ok;
}

std::string backup_passphrase(bool twice) {
    if (auto p = app::backup_passphrase_from_environment()) return *p;
    auto first = prompt_hidden("Backup passphrase: ");
    if (!first)
        throw ValidationError(fmt::format("No backup passphrase given: set the environment "
                                          "variable {} or run this in a terminal.",
                                          app::backup_passphrase_variable));
    if (twice) {
        auto again = prompt_hidden("Type it again: ");
        if (!again || *again != *first)
            throw ValidationError("The two passphrases differ; try again.");
    }
    return *first;
}

int backup(const Common& c, const FileArgs& a) {
    auto db = open(c);
    const auto session = login(db, c);
    session.require_admin("make a backup");
    const auto passphrase = backup_passphrase(true);
    app::backup_database(session, a.out, passphrase);
    std::cout << fmt::format("Wrote the encrypted backup {}. Keep the passphrase safe: without it "
                             "the backup cannot be restored.\n",
                             a.out);
    return ok;
}

int restore(const Common& c, const FileArgs& a) {
    if (c.db.empty())
        throw ValidationError("Name the new database with --db NEW; restore never overwrites a "
                              "database.");
    app::restore_database(a.file, c.path(), backup_passphrase(false));
    std::cout << fmt::format("Restored {} into the new database {}.\n", a.file, c.path().string());
    return ok;
}

} // namespace

void add_admin_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    auto* audit =
        cli.add_subcommand("audit", "Check and read the tamper-evident audit log (admins).");
    audit->require_subcommand(1);
    auto* verify = audit->add_subcommand(
        "verify",
        "Recompute the audit log's hash chain; names the first broken link and exits "
        "non-zero when there is one.\n  e.g. solace audit verify --db clinic.db --user ann");
    add_db_option(verify, c);
    add_user_option(verify, c);
    verbs.push_back({verify, [&c] { return audit_verify(c); }});

    auto a = std::make_shared<AuditArgs>();
    auto* list = audit->add_subcommand(
        "list",
        "Show the audit log, oldest first.\n"
        "  e.g. solace audit list --patient P0001 --from 2026-03-01 --db clinic.db --user ann");
    list->add_option("--patient", a->mrn, "Only events about this patient (MRN)");
    list->add_option("--from", a->from, "Start time (ISO 8601; without offset: this computer's)");
    list->add_option("--to", a->to, "End time (a date alone: to the end of that day)");
    list->add_flag("--json", a->json, "Print a JSON array");
    add_db_option(list, c);
    add_user_option(list, c);
    verbs.push_back({list, [&c, a] { return audit_list(c, *a); }});

    auto f = std::make_shared<FileArgs>();
    auto* backup_cmd = cli.add_subcommand(
        "backup",
        "Write an encrypted copy of the database, safe while Solace is in use (admins).\n"
        "  Passphrase from SOLACE_BACKUP_PASSPHRASE or a prompt.\n"
        "  e.g. solace backup --out /media/usb/clinic.solace-backup --db clinic.db --user ann");
    backup_cmd->add_option("--out", f->out, "The backup file to create (never overwritten)")
        ->required();
    add_db_option(backup_cmd, c);
    add_user_option(backup_cmd, c);
    verbs.push_back({backup_cmd, [&c, f] { return backup(c, *f); }});

    auto* restore_cmd = cli.add_subcommand(
        "restore", "Check an encrypted backup and restore it as a NEW database file.\n"
                   "  e.g. solace restore clinic.solace-backup --db restored.db");
    restore_cmd->add_option("FILE", f->file, "The backup file")->required();
    add_db_option(restore_cmd, c);
    verbs.push_back({restore_cmd, [&c, f] { return restore(c, *f); }});

    auto* check_cmd =
        cli.add_subcommand("check", "Check the database file for damage (PRAGMA quick_check).\n"
                                    "  e.g. solace check --db clinic.db");
    auto full = std::make_shared<bool>(false);
    check_cmd->add_flag("--full", *full,
                        "Run PRAGMA integrity_check: slower, also compares every index with its "
                        "table");
    add_db_option(check_cmd, c);
    verbs.push_back({check_cmd, [&c, full] { return check(c, *full); }});

    // `user` belongs to the account verbs; disable and enable join it.
    auto* user = cli.get_subcommand("user");
    for (const bool disable : {true, false}) {
        auto* cmd = user->add_subcommand(
            disable ? "disable" : "enable",
            disable ? "Disable an account: it can no longer sign in anywhere (admins).\n"
                      "  e.g. solace user disable maria --db clinic.db --user ann"
                    : "Enable a disabled account, and let it try its password again at once "
                      "(admins).\n"
                      "  e.g. solace user enable maria --db clinic.db --user ann");
        cmd->add_option("NAME", f->name, "The account")->required();
        add_db_option(cmd, c);
        add_user_option(cmd, c);
        verbs.push_back({cmd, [&c, f, disable] { return user_enable(c, f->name, disable); }});
    }
}

} // namespace solace::cli
