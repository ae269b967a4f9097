#include "support.hpp"

#include "app/session.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

namespace solace::test {

TempDir::TempDir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("solace-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

CommandResult run_solace(const std::vector<std::string>& args,
                         const std::vector<std::string>& env) {
    TempDir io;
    const auto out_path = io / "out", err_path = io / "err";
    const pid_t pid = fork();
    if (pid == 0) {
        const int in = open("/dev/null", O_RDONLY);
        const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        unsetenv("SOLACE_PASSWORD");
        unsetenv("SOLACE_NEW_PASSWORD");
        for (const auto& e : env)
            putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> argv{const_cast<char*>(SOLACE_EXE)};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(SOLACE_EXE, argv.data());
        _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), read_file(out_path),
            read_file(err_path), usage.ru_maxrss};
}

CommandResult import_csv(const std::filesystem::path& dir, const std::string& db,
                         const std::string& kind, const std::string& csv,
                         const std::vector<std::string>& env, const std::string& user) {
    const auto file = dir / (kind + ".csv");
    write_file(file, csv);
    return run_solace({"import", kind, file.string(), "--db", db, "--user", user}, env);
}

Instant utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
    return Instant{date::sys_days{date::year{y} / date::month{mo} / date::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

const std::string& password_hash(const std::string& password) {
    static std::map<std::string, std::string> hashes;
    auto it = hashes.find(password);
    if (it == hashes.end()) it = hashes.emplace(password, app::hash_password(password)).first;
    return it->second;
}

std::int64_t count_rows(store::Database& db, const std::string& table) {
    store::Statement s(db, "SELECT count(*) FROM " + table);
    s.step();
    return s.int64(0);
}

} // namespace solace::test
