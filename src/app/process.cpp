#include "app/process.hpp"

#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <map>

namespace solace::app {

namespace {
bool hardened = false;
std::map<std::string, std::string, std::less<>>& moved() {
    static std::map<std::string, std::string, std::less<>> values;
    return values;
}
} // namespace

void harden_process() {
    const rlimit none{0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    for (const auto name : secret_variables) {
        const std::string key(name);
        if (char* value = std::getenv(key.c_str())) {
            moved()[key] = value;
            sodium_memzero(value, std::strlen(value)); // the bytes /proc/PID/environ shows
            ::unsetenv(key.c_str());
        }
    }
    hardened = true;
}

std::optional<std::string> secret_variable(std::string_view name) {
    if (const auto it = moved().find(name); it != moved().end()) return it->second;
    if (hardened) return std::nullopt;
    if (const char* v = std::getenv(std::string(name).c_str())) return std::string(v);
    return std::nullopt;
}

} // namespace solace::app
