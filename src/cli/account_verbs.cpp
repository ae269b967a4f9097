#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "app/process.hpp"
#include "cli/cli.hpp"
#include "cli/verb.hpp"
#include "domain/error.hpp"
#include "store/account_repository.hpp"

namespace solace::cli {

namespace {

struct UserAdd {
    std::string name, role = "nurse";
    std::vector<std::string> patients;
    bool admin = false;
};

int init(const Common& c) {
    if (c.user.empty() || c.user.size() > 64)
        throw ValidationError("--user must be 1 to 64 characters.");
    // The first account's password: SOLACE_NEW_PASSWORD, else the login variable, else a prompt.
    const auto login_password = app::secret_variable("SOLACE_PASSWORD");
    const auto hash = app::hash_password(
        app::secret_variable("SOLACE_NEW_PASSWORD") || !login_password ? new_password(c.user)
                                                                       : *login_password);
    prepare_new_path(c);
    store::Database db(c.path(), store::Database::Mode::create_new);
    store::AccountRepository accounts(db);
    store::Transaction tx(db);
    accounts.add({0, c.user, Role::nurse, true, false, hash, {}}, to_epoch(now_utc()));
    app::Session(db, *accounts.find(c.user))
        .audit("account.add", std::nullopt,
               fmt::format("created database; first account {} (nurse, admin)", c.user));
    tx.commit();
    std::cout << fmt::format("Created {} with the nurse account {} (admin).\n", c.path().string(),
                             c.user);
    return ok;
}

int user_add(const Common& c, const UserAdd& u) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    auto session = login(db, c);
    session.require_admin("add accounts");
    const auto role = u.role == "family" ? Role::family : Role::nurse;
    if (u.name.empty() || u.name.size() > 64)
        throw ValidationError("NAME must be 1 to 64 characters.");
    if (role == Role::nurse && !u.patients.empty())
        throw ValidationError("--patient is for family accounts; a nurse sees every patient.");
    if (role == Role::family && u.patients.empty())
        throw ValidationError("A family account needs at least one --patient MRN it may see.");
    if (role == Role::family && u.admin)
        throw ValidationError("A family account cannot be an admin.");
    Account a{0, u.name, role, u.admin, false, "", {}};
    for (const auto& mrn : u.patients)
        a.patient_ids.push_back(session.patient(mrn).id);
    store::AccountRepository accounts(db);
    if (accounts.find(u.name))
        throw ValidationError(fmt::format("An account named \"{}\" already exists.", u.name));
    a.password_hash = app::hash_password(new_password(u.name));
    store::Transaction tx(db);
    accounts.add(a, to_epoch(now_utc()), session.account().id);
    session.audit("account.add", std::nullopt,
                  fmt::format("{} ({}) patients: {}", u.name, u.role, fmt::join(u.patients, " ")));
    tx.commit();
    std::cout << fmt::format("Added the {} account {}.\n", u.role, u.name);
    return ok;
}

} // namespace

void add_account_verbs(CLI::App& cli, Common& c, Verbs& verbs) {
    auto* init_cmd = cli.add_subcommand(
        "init", "Create a new database whose first account is a nurse with admin rights.\n"
                "  e.g. SOLACE_NEW_PASSWORD=... solace init --db clinic.db --user ann");
    add_db_option(init_cmd, c);
    add_user_option(init_cmd, c);
    verbs.push_back({init_cmd, [&c] { return init(c); }});

    auto* user = cli.add_subcommand("user", "Manage accounts.");
    user->require_subcommand(1);
    auto* add = user->add_subcommand(
        "add",
        "Add an account (password from SOLACE_NEW_PASSWORD or a prompt).\n"
        "  e.g. solace user add maria --role family --patient P0001 --db clinic.db --user ann");
    auto u = std::make_shared<UserAdd>();
    add->add_option("NAME", u->name, "The new account's name")->required();
    add->add_option("--role", u->role, "nurse or family (default nurse)")
        ->check(CLI::IsMember({"nurse", "family"}));
    add->add_option("--patient", u->patients, "MRN a family account may see (repeat)");
    add->add_flag("--admin", u->admin, "Give a nurse admin rights");
    add_db_option(add, c);
    add_user_option(add, c);
    verbs.push_back({add, [&c, u] { return user_add(c, *u); }});
}

} // namespace solace::cli
