#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "domain/error.hpp"
#include "sync/sync.hpp"

namespace solace::cli {

namespace {

struct ServerArgs {
    std::string server;
    std::string name, role = "nurse";
    std::vector<std::string> patients;
};

void print_counts(const sync::SyncCounts& n) {
    std::cout << nlohmann::ordered_json{{"pushed", n.pushed},
                                        {"pulled", n.pulled},
                                        {"waiting", n.waiting}}
                     .dump()
              << "\n";
    for (const auto& note : n.notes)
        std::cerr << note << "\n";
}

int server_init(const Common& c, const ServerArgs& a) {
    if (sync::upgrade_server(a.server, c.user)) {
        std::cout << fmt::format("The agency server is up to date; {} is already its admin.\n",
                                 c.user);
        return ok;
    }
    sync::init_server(a.server, c.user, new_password(c.user));
    std::cout << fmt::format("The agency server is ready; {} is its first admin.\n", c.user);
    return ok;
}

int server_user_add(const Common& c, const ServerArgs& a) {
    const auto admin_password = password_of(c);
    sync::add_server_account(a.server, c.user, admin_password, a.name,
                             a.role == "family" ? Role::family : Role::nurse, a.patients,
                             new_password(a.name));
    std::cout << fmt::format("Added the {} account {} on the agency server.\n", a.role, a.name);
    return ok;
}

int server_user_disable(const Common& c, const ServerArgs& a, bool disabled) {
    sync::set_server_account_disabled(a.server, c.user, password_of(c), a.name, disabled);
    std::cout << fmt::format("{} the account {} on the agency server; each laptop follows at its "
                             "next sync.\n",
                             disabled ? "Disabled" : "Enabled", a.name);
    return ok;
}

int enroll(const Common& c, const ServerArgs& a) {
    prepare_new_path(c);
    sync::enroll(c.path(), a.server, c.user, password_of(c));
    std::cout << fmt::format("Enrolled {} in {}; it signs in here offline too.\n", c.user,
                             c.path().string());
    return ok;
}

int run_sync(const Common& c) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto password = password_of(c);
    auto session = app::Session::login(db, c.user, password);
    try {
        print_counts(sync::sync(session, password));
    } catch (const ServerUnreachable&) {
        print_counts({0, 0, sync::waiting(db), {}});
        throw;
    }
    return ok;
}

} // namespace

void add_sync_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    auto a = std::make_shared<ServerArgs>();
    auto add_server_option = [&](CLI::App* cmd) {
        cmd->add_option("--server", a->server,
                        "The agency server: postgresql://HOST/DB?sslmode=verify-full")
            ->required();
    };

    auto* server = cli.add_subcommand("server", "The agency's PostgreSQL server (DESIGN §7).");
    server->require_subcommand(1);
    auto* init = server->add_subcommand(
        "init", "Create Solace's schema in the agency's PostgreSQL database and its first admin\n"
                "account, a PostgreSQL role of the same name (password from SOLACE_NEW_PASSWORD\n"
                "or a prompt). Connects as the role the URL names, which may create roles.\n"
                "  e.g. PGPASSWORD=... solace server init --server postgresql://dba@host/agency "
                "--user ann");
    add_server_option(init);
    add_user_option(init, c);
    verbs.push_back({init, [&c, a] { return server_init(c, *a); }});

    auto* user = server->add_subcommand("user", "Accounts on the agency server.");
    user->require_subcommand(1);
    auto* add = user->add_subcommand(
        "add", "Add an account on the agency server (as the admin --user; the new account's\n"
               "password from SOLACE_NEW_PASSWORD or a prompt).\n"
               "  e.g. solace server user add maria --role family --patient P0001 "
               "--server URL --user ann");
    add->add_option("NAME", a->name, "The new account's name")->required();
    add->add_option("--role", a->role, "nurse or family (default nurse)")
        ->check(CLI::IsMember({"nurse", "family"}));
    add->add_option("--patient", a->patients, "MRN a family account may see (repeat)");
    add_server_option(add);
    add_user_option(add, c);
    verbs.push_back({add, [&c, a] { return server_user_add(c, *a); }});
    for (const bool disabled : {true, false}) {
        auto* cmd = user->add_subcommand(
            disabled ? "disable" : "enable",
            disabled ? "Disable an account on the agency server: it signs in nowhere after\n"
                       "each laptop's next sync.\n"
                       "  e.g. solace server user disable bea --server URL --user ann"
                     : "Enable an account on the agency server again.\n"
                       "  e.g. solace server user enable bea --server URL --user ann");
        cmd->add_option("NAME", a->name, "The account")->required();
        add_server_option(cmd);
        add_user_option(cmd, c);
        verbs.push_back({cmd, [&c, a, disabled] { return server_user_disable(c, *a, disabled); }});
    }

    auto* enroll_cmd = cli.add_subcommand(
        "enroll", "Create this laptop's database for an account of the agency server (or add the\n"
                  "account to it) and pull what the account may see.\n"
                  "  e.g. solace enroll --server URL --user bea --db laptop.db");
    add_server_option(enroll_cmd);
    add_db_option(enroll_cmd, c);
    add_user_option(enroll_cmd, c);
    verbs.push_back({enroll_cmd, [&c, a] { return enroll(c, *a); }});

    auto* sync_cmd = cli.add_subcommand(
        "sync", "Push what waits here to the agency server and pull what is new; prints\n"
                "{\"pushed\": N, \"pulled\": N, \"waiting\": N}. Exit 6 when the server cannot be\n"
                "reached (nothing is lost: sync again later).\n"
                "  e.g. solace sync --db laptop.db --user bea");
    add_db_option(sync_cmd, c);
    add_user_option(sync_cmd, c);
    verbs.push_back({sync_cmd, [&c] { return run_sync(c); }});
}

} // namespace solace::cli
