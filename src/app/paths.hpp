#pragma once
#include <filesystem>
#include <string_view>

// Where Solace keeps its files: the XDG Base Directory Specification (0.8), never the working
// directory or the folder of the executable. Each *_dir() is the base with "solace" appended;
// nothing is created until ensure_private_dir() is called on it.
namespace solace::app {

// $XDG_DATA_HOME/solace, else ~/.local/share/solace: the database, drafts, backups.
std::filesystem::path data_dir();
// $XDG_CONFIG_HOME/solace, else ~/.config/solace: settings.
std::filesystem::path config_dir();
// $XDG_STATE_HOME/solace, else ~/.local/state/solace: logs.
std::filesystem::path state_dir();

std::filesystem::path default_database_path(); // data_dir()/solace.db
std::filesystem::path drafts_dir();            // data_dir()/drafts
std::filesystem::path backups_dir();           // data_dir()/backups
std::filesystem::path settings_path();         // config_dir()/settings.json
std::filesystem::path log_dir();               // state_dir()

// Creates `dir` and any missing parents, each with mode 0700 whatever the umask (the spec's mode
// for base directories; the files hold health data). Folders that already exist are left as
// they are. Returns `dir`. Throws StoreError in words.
const std::filesystem::path& ensure_private_dir(const std::filesystem::path& dir);

// Writes `content` to `path` with mode 0600, whatever the umask, through a temporary file in
// the same folder renamed over `path`, so a reader never sees half a file. Throws StoreError.
void write_private_file(const std::filesystem::path& path, std::string_view content);

// The same, written in pieces: a file of any size in a few kB of memory. `path` appears only
// on commit(); a writer destroyed before that leaves nothing behind.
class PrivateFileWriter {
  public:
    explicit PrivateFileWriter(std::filesystem::path path);
    ~PrivateFileWriter();
    PrivateFileWriter(const PrivateFileWriter&) = delete;
    PrivateFileWriter& operator=(const PrivateFileWriter&) = delete;
    void write(std::string_view bytes);
    void commit(); // fsync, then rename over `path`

  private:
    [[noreturn]] void fail(const char* doing);
    std::filesystem::path path_;
    std::string temp_;
    int fd_ = -1;
};

} // namespace solace::app
