#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace solace::app {

// The environment variables that may hold a password or passphrase.
inline constexpr std::string_view secret_variables[] = {"SOLACE_PASSWORD", "SOLACE_NEW_PASSWORD",
                                                        "SOLACE_BACKUP_PASSPHRASE"};

// First thing in main: no core dumps (RLIMIT_CORE 0, PR_SET_DUMPABLE 0: a dump would hold
// passwords and patient rows, and dumpable processes can be read by the same user through
// ptrace), and the secret variables moved out of the environment (children inherit it and
// /proc/PID/environ shows it), their bytes overwritten.
void harden_process();

// The value `name` (one of secret_variables) had when harden_process moved it; without
// harden_process (tests), the environment's.
std::optional<std::string> secret_variable(std::string_view name);

} // namespace solace::app
