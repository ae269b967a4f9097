#include "app/paths.hpp"

#include <fcntl.h>
#include <pwd.h>
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

void write_private_file(const std::filesystem::path& path, std::string_view content) {
    PrivateFileWriter out(path);
    out.write(content);
    out.commit();
}

PrivateFileWriter::PrivateFileWriter(std::filesystem::path path)
    : path_(std::move(path)), temp_(path_.string() + ".XXXXXX") {
    fd_ = ::mkstemp(temp_.data()); // mode 0600
    if (fd_ < 0)
        throw StoreError(fmt::format("Solace could not write {}: {}. Check the folder exists and "
                                     "may be written.",
                                     path_.string(), std::strerror(errno)));
}

PrivateFileWriter::~PrivateFileWriter() {
    if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(temp_.c_str());
    }
}

void PrivateFileWriter::fail(const char* doing) {
    const int e = errno;
    ::close(fd_);
    ::unlink(temp_.c_str());
    fd_ = -1;
    throw StoreError(
        fmt::format("Solace could not {} {}: {}.", doing, path_.string(), std::strerror(e)));
}

void PrivateFileWriter::write(std::string_view content) {
    for (std::size_t done = 0; done < content.size();) {
        const auto n = ::write(fd_, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write");
        }
        done += static_cast<std::size_t>(n);
    }
}

void PrivateFileWriter::commit() {
    if (::fsync(fd_) != 0) fail("save");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
        ::unlink(temp_.c_str());
        throw StoreError(fmt::format("Solace could not save {} (disk full?).", path_.string()));
    }
    if (::rename(temp_.c_str(), path_.c_str()) != 0) {
        const int e = errno;
        ::unlink(temp_.c_str());
        throw StoreError(
            fmt::format("Solace could not write {}: {}.", path_.string(), std::strerror(e)));
    }
}

} // namespace solace::app
