#pragma once
// `solace flags --json` as the scenario tests read it.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace solace::test {

// The flags of `mrn` between `from` and `to`, as `user` (password in `env`) reads them.
inline nlohmann::json flags_json(const std::string& db, const std::string& mrn,
                                 const std::string& from, const std::string& to,
                                 const std::vector<std::string>& env,
                                 const std::string& user = "ann") {
    const auto r = run_solace({"flags", "--patient", mrn, "--from", from, "--to", to, "--json",
                               "--db", db, "--user", user},
                              env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

// "rule@at" for each flag, in the order printed.
inline std::vector<std::string> rules_of(const nlohmann::json& flags) {
    std::vector<std::string> out;
    for (const auto& f : flags)
        out.push_back(f["rule"].get<std::string>() + "@" + f["at"].get<std::string>());
    return out;
}

} // namespace solace::test
