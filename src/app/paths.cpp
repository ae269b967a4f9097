#include "app/paths.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "domain/error.hpp"

namespace solace::app {

namespace {

std::filesystem::path home_dir() {
    if (const char* h = std::getenv("HOME"); h && *h == '/') return h;
    // No HOME (a service, a cron job): the account's home from the password database.
    std::vector<char> buf(16384);
    passwd pw{};
    passwd* found = nullptr;
    if (getpwuid_r(getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found && found->pw_dir &&
        *found->pw_dir == '/')
        return found->pw_dir;
    throw StoreError("Solace cannot tell where your home folder is (HOME is not set); set HOME "
                     "or give the database with --db PATH.");
}

// The spec: a relative path in an XDG variable is invalid and is ignored.
std::filesystem::path base(const char* variable, const char* fallback_under_home) {
    if (const char* x = std::getenv(variable); x && *x == '/') return std::filesystem::path(x);
    return home_dir() / fallback_under_home;
}

} // namespace

std::filesystem::path data_dir() {
    return base("XDG_DATA_HOME", ".local/share") / "solace";
}
std::filesystem::path config_dir() {
    return base("XDG_CONFIG_HOME", ".config") / "solace";
}
std::filesystem::path state_dir() {
    return base("XDG_STATE_HOME", ".local/state") / "solace";
}

std::filesystem::path default_database_path() {
    return data_dir() / "solace.db";
}
std::filesystem::path drafts_dir() {
    return data_dir() / "drafts";
}
std::filesystem::path backups_dir() {
    return data_dir() / "backups";
}
std::filesystem::path settings_path() {
    return config_dir() / "settings.json";
}
std::filesystem::path log_dir() {
    return state_dir();
}

const std::filesystem::path& ensure_private_dir(const std::filesystem::path& dir) {
    std::filesystem::path so_far;
    for (const auto& part : dir) {
        so_far /= part;
        if (::mkdir(so_far.c_str(), 0700) == 0) {
            ::chmod(so_far.c_str(), 0700); // mkdir's mode is masked by the umask
        } else if (errno != EEXIST) {
            throw StoreError(fmt::format("Solace could not create the folder {}: {}.",
                                         so_far.string(), std::strerror(errno)));
        }
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw StoreError(fmt::format(
            "{} exists but is not a folder; move it away or choose another path.", dir.string()));
    return dir;
}

void check_target(const std::filesystem::path& target, Existing existing) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0) return;
    if (S_ISLNK(st.st_mode))
        throw StoreError(fmt::format("{} is a symbolic link; Solace never writes through one (it "
                                     "could send patient data elsewhere). Remove it or choose "
                                     "another name.",
                                     target.string()));
    if (S_ISDIR(st.st_mode))
        throw StoreError(fmt::format("{} is a folder; give a file name.", target.string()));
    if (existing == Existing::refuse)
        throw StoreError(fmt::format("{} already exists; Solace will not overwrite it. Choose "
                                     "another name (or, on the command line, add --overwrite).",
                                     target.string()));
}

PrivateFile::PrivateFile(std::filesystem::path target, Existing existing)
    : target_(std::move(target)), existing_(existing) {
    check_target(target_, existing_);
    const auto dir = target_.has_parent_path() ? target_.parent_path() : ".";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw StoreError(
            fmt::format("The folder {} does not exist; create it first.", dir.string()));
    if (sodium_init() < 0) throw StoreError("The cryptography library could not start.");
    unsigned char random[12];
    randombytes_buf(random, sizeof random);
    char name[2 * sizeof random + 1];
    sodium_bin2hex(name, sizeof name, random, sizeof random);
    temp_ = dir / fmt::format(".{}.{}.partial", target_.filename().string(), name);
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        temp_.clear();
        throw StoreError(fmt::format("Solace could not create a file in {} ({}). Check that you "
                                     "may write there.",
                                     dir.string(), std::strerror(errno)));
    }
    ::fchmod(fd_, S_IRUSR | S_IWUSR); // whatever the umask
}

PrivateFile::~PrivateFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!temp_.empty()) ::unlink(temp_.c_str());
}

void PrivateFile::write(const void* data, std::size_t size) {
    const auto* p = static_cast<const char*>(data);
    while (size > 0) {
        const auto n = ::write(fd_, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw StoreError(fmt::format("Solace could not write {} ({}); nothing was kept. Check "
                                         "that the disk has room.",
                                         target_.string(), std::strerror(errno)));
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void PrivateFile::commit() {
    const int synced = ::fsync(fd_);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (synced != 0 || closed != 0)
        throw StoreError(fmt::format("Solace could not finish writing {} ({}); nothing was kept.",
                                     target_.string(), std::strerror(errno)));
    // rename() replaces a symbolic link planted meanwhile, never follows it; without
    // --overwrite, RENAME_NOREPLACE refuses a file that appeared meanwhile.
    const int flags = existing_ == Existing::refuse ? RENAME_NOREPLACE : 0;
    int renamed = ::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, target_.c_str(), flags);
    if (renamed != 0 && errno == EINVAL && flags != 0) { // a file system without the flag
        check_target(target_, Existing::refuse);
        renamed = ::rename(temp_.c_str(), target_.c_str());
    }
    if (renamed != 0) {
        const int e = errno;
        if (e == EEXIST) check_target(target_, Existing::refuse);
        throw StoreError(fmt::format("Solace could not create {} ({}); nothing was kept.",
                                     target_.string(), std::strerror(e)));
    }
    temp_.clear();
    const auto dir = target_.has_parent_path() ? target_.parent_path() : ".";
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd); // the new name survives a power cut
        ::close(dfd);
    }
}

void write_private_file(const std::filesystem::path& path, std::string_view content,
                        Existing existing) {
    PrivateFile file(path, existing);
    file.write(content);
    file.commit();
}

} // namespace solace::app
