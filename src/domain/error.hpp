#pragma once
#include <stdexcept>
#include <string>

namespace solace {

// Input that breaks a rule of the data: the message names the field and the value.
struct ValidationError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The logged-in account's role does not allow the action.
struct PermissionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The database could not be opened, read or written (corrupt, locked, full, not Solace's).
struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Something asked for does not exist (a patient, a medication, an account).
struct NotFoundError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The agency server cannot be reached (no network, server down): nothing was lost, try later.
struct ServerUnreachable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The agency server refused what was sent (a rewritten audit log, a right the account lacks).
struct ServerRefused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace solace
