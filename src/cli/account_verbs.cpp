#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "app/accounts.hpp"
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
    const auto session = login(db, c);
    const app::NewAccount a{u.name, u.role == "family" ? Role::family : Role::nurse, u.admin,
                            u.patients};
    session.require_admin("add accounts");
    // The same rules as the window's, said in the command line's words first.
    if (a.role == Role::family && a.patients.empty())
        throw ValidationError("A family account needs at least one --patient MRN it may see.");
    if (a.role == Role::nurse && !a.patients.empty())
        throw ValidationError("--patient is for family accounts; a nurse sees every patient.");
    app::check_new_account(session, a); // before asking for the new password
    auto password = new_password(u.name);
    app::add_account(session, a, password);
    app::wipe(password);
    std::cout << fmt::format("Added the {} account {}.\n", u.role, u.name);
    return ok;
}

int user_link(const Common& c, const std::string& name, const std::string& mrn) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    app::link_family(session, name, mrn);
    std::cout << fmt::format("{} now also sees {}.\n", name, mrn);
    return ok;
}

int user_password(const Common& c, const std::string& name) {
    store::Database db(c.path(), store::Database::Mode::open_existing);
    const auto session = login(db, c);
    session.require_admin("reset a password"); // before asking for it
    auto password = new_password(name);
    app::reset_password(session, name, password);
    app::wipe(password);
    std::cout << fmt::format("{} has a new password; the old one no longer works.\n", name);
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

    auto* link = user->add_subcommand(
        "link", "Let a family account see one more patient (admins).\n"
                "  e.g. solace user link maria --patient P0002 --db clinic.db --user ann");
    auto l = std::make_shared<std::pair<std::string, std::string>>();
    link->add_option("NAME", l->first, "The family account")->required();
    link->add_option("--patient", l->second, "The patient's MRN")->required();
    add_db_option(link, c);
    add_user_option(link, c);
    verbs.push_back({link, [&c, l] { return user_link(c, l->first, l->second); }});

    auto* password = user->add_subcommand(
        "password", "Give an account a new password (admins; from SOLACE_NEW_PASSWORD or a "
                    "prompt).\n"
                    "  e.g. solace user password maria --db clinic.db --user ann");
    auto name = std::make_shared<std::string>();
    password->add_option("NAME", *name, "The account")->required();
    add_db_option(password, c);
    add_user_option(password, c);
    verbs.push_back({password, [&c, name] { return user_password(c, *name); }});
}

} // namespace solace::cli
