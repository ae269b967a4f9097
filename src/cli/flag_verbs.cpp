#include <algorithm>
#include <iostream>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/audit.hpp"
#include "app/clinic.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "domain/error.hpp"

namespace solace::cli {

namespace {

struct FlagArgs {
    std::string mrn, from, to;
    bool json = false;
};

// A flag for JSON output, DESIGN §5.
nlohmann::json to_json(const Flag& f) {
    nlohmann::json j{{"id", f.id},
                     {"patient", f.mrn},
                     {"rule", f.rule},
                     {"severity", std::string(code(f.severity))},
                     {"at", format_utc(f.at)},
                     {"reasons", f.reasons},
                     {"escalated", f.escalated},
                     {"acknowledged", f.acknowledged},
                     {"detail", f.detail}};
    if (f.symptom) j["symptom"] = std::string(code(*f.symptom));
    if (!f.med.empty()) j["med"] = f.med;
    if (f.acknowledged) {
        j["acknowledged_by"] = f.acknowledged_by;
        j["acknowledged_at"] = f.acknowledged_at ? format_utc(*f.acknowledged_at) : "";
        j["acknowledgement_note"] = f.acknowledgement_note;
    }
    return j;
}

int flags(const Common& c, const FlagArgs& a) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    std::vector<Patient> patients;
    if (!a.mrn.empty())
        patients.push_back(session.patient(a.mrn));
    else
        patients = session.patients();
    app::record_read(session, patients, "flags");
    const auto now = now_utc();
    // Without an offset, --from/--to are each patient's local time.
    std::optional<TimeInput> from_in, to_in;
    if (!a.from.empty()) from_in = parse_time(a.from, "--from", true);
    if (!a.to.empty()) to_in = parse_time(a.to, "--to", true);
    std::vector<std::pair<Flag, const date::time_zone*>> all;
    for (const auto& p : patients) {
        const auto* zone = find_zone(p.time_zone);
        // Evaluated as of now at the latest: a dose due later today is not missed yet.
        const auto to = to_in ? std::min(to_in->end_at(zone), now) : now;
        const auto from = from_in ? from_in->at(zone) : to - date::days{7};
        if (from > to && (!to_in || to_in->end_at(zone) < from))
            throw ValidationError(
                fmt::format("--from {} is after --to {}.", a.from, a.to.empty() ? "now" : a.to));
        for (auto& f : app::patient_flags(session, p, from, to))
            all.emplace_back(std::move(f), zone);
    }
    std::stable_sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
        const auto& a = x.first;
        const auto& b = y.first;
        // Escalated flags first (DESIGN §3), then by time.
        return std::tie(b.escalated, a.at, a.mrn, a.rule, a.id) <
               std::tie(a.escalated, b.at, b.mrn, b.rule, b.id);
    });
    if (a.json) {
        // Laid out as one array's dump(2), one flag at a time: no document of every flag in
        // memory (years of flags took three times the memory of the flags themselves).
        if (all.empty()) {
            std::cout << "[]\n";
            return ok;
        }
        std::cout << "[";
        const char* between = "\n  ";
        for (const auto& [f, zone] : all) {
            std::cout << between;
            for (const char c : to_json(f).dump(2)) {
                std::cout << c;
                if (c == '\n') std::cout << "  ";
            }
            between = ",\n  ";
        }
        std::cout << "\n]\n";
        return ok;
    }
    if (all.empty()) {
        std::cout << "No flags.\n";
        return ok;
    }
    std::cout << fmt::format("{:<9} {:<22} {:<8} {:<22} {:<4} {}\n", "SEVERITY", "AT (local)",
                             "PATIENT", "RULE", "ACK", "DETAIL");
    for (const auto& [f, zone] : all)
        std::cout << fmt::format("{:<9} {:<22} {:<8} {:<22} {:<4} {}\n{:>10}id {}\n",
                                 f.escalated ? "ESCALATED" : code(f.severity),
                                 format_local_short(f.at, zone), f.mrn, f.rule,
                                 f.acknowledged ? "yes" : "no", f.detail, "", f.id);
    return ok;
}

int ack(const Common& c, const std::string& id, const std::string& note) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    const auto f = app::acknowledge_flag(session, id, note, now_utc());
    std::cout << fmt::format("Acknowledged {}: {}\n", f.id, f.detail);
    return ok;
}

} // namespace

void add_flag_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    auto* cmd = cli.add_subcommand(
        "flags", "List the flags about scores and doses, evaluated as of --to.\n"
                 "  e.g. solace flags --patient P0001 --from 2026-03-01 --to 2026-03-08T12:00 "
                 "--json --db clinic.db --user ann");
    auto a = std::make_shared<FlagArgs>();
    cmd->add_option("--patient", a->mrn, "Only this MRN (default: every patient you may see)");
    cmd->add_option(
        "--from", a->from,
        "Start, ISO 8601 (default: 7 days before --to); no offset = patient's local time");
    cmd->add_option("--to", a->to, "End and evaluation time (default: now)");
    cmd->add_flag("--json", a->json, "Print one JSON array on stdout");
    add_db_option(cmd, c);
    add_user_option(cmd, c);
    verbs.push_back({cmd, [&c, a] { return flags(c, *a); }});

    auto* ack_cmd = cli.add_subcommand("ack", "Acknowledge a flag (nurses).\n"
                                              "  e.g. solace ack symptom.severe/P0001/s42 --note "
                                              "\"GP called\" --db clinic.db --user ann");
    auto id = std::make_shared<std::pair<std::string, std::string>>();
    ack_cmd->add_option("FLAG-ID", id->first, "The id shown by `solace flags`")->required();
    ack_cmd->add_option("--note", id->second, "Optional note");
    add_db_option(ack_cmd, c);
    add_user_option(ack_cmd, c);
    verbs.push_back({ack_cmd, [&c, id] { return ack(c, id->first, id->second); }});
}

} // namespace solace::cli
