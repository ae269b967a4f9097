#pragma once
#include <filesystem>
#include <string_view>
#include <vector>

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

// Whether a file Solace writes may take the place of one already there (`--overwrite`).
enum class Existing { refuse, overwrite };

// The one way Solace writes a file (CSV, PDF, FHIR, backups, logs, settings): a new file beside
// the target with an unpredictable name (O_EXCL|O_NOFOLLOW|O_CLOEXEC, mode 0600 whatever the
// umask), flushed to disk and renamed into place by commit(); removed if never committed, so a
// failed or interrupted write leaves nothing. A symbolic link at the target is always refused
// (it could send patient data anywhere); an existing file unless `existing` is overwrite.
// Throws StoreError in words.
class PrivateFile {
  public:
    explicit PrivateFile(std::filesystem::path target, Existing existing = Existing::refuse);
    ~PrivateFile();
    PrivateFile(const PrivateFile&) = delete;
    PrivateFile& operator=(const PrivateFile&) = delete;

    void write(const void* data, std::size_t size);
    void write(std::string_view text) { write(text.data(), text.size()); }
    void write(const std::vector<unsigned char>& v) { write(v.data(), v.size()); }
    const std::filesystem::path& target() const { return target_; }
    const std::filesystem::path& temp() const { return temp_; } // to check before commit
    void commit();

  private:
    std::filesystem::path target_, temp_;
    Existing existing_;
    int fd_ = -1;
};

// Refuses what PrivateFile would refuse at `target`, before any work is done.
void check_target(const std::filesystem::path& target, Existing existing);

// Writes `content` to `path` with mode 0600, whatever the umask, through a temporary file in
// the same folder renamed over `path`, so a reader never sees half a file. Throws StoreError.
void write_private_file(const std::filesystem::path& path, std::string_view content,
                        Existing existing = Existing::overwrite);

} // namespace solace::app
