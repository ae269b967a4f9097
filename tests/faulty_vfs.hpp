#pragma once
// A SQLite VFS for tests (issue 6 item 2): wraps the default unix VFS and makes the Nth
// xWrite, xSync or xTruncate fail with SQLITE_IOERR or SQLITE_FULL (writes only, as with the
// real VFS), once (a hiccup) or from then on (a full or dying disk). Open a Database with
// vfs = faulty::name.
#include <sqlite3.h>

#include <cstring>
#include <stdexcept>

namespace solace::faulty {

inline constexpr const char* name = "solace-faulty";

enum Op : unsigned { write = 1, sync = 2, truncate = 4, any = 7 };
enum class Kind { ioerr, full };

struct Plan {
    int fail_at = 0; // 0: never fail; else the Nth counted call fails
    unsigned ops = any;
    Kind kind = Kind::ioerr;
    bool persistent = true; // keep failing after the first
    int calls = 0;          // counted calls so far
    int failures = 0;       // calls made to fail
};

inline Plan& plan() {
    static Plan p;
    return p;
}

// Starts counting from zero with a new plan; disarm() stops failing and counting.
inline void arm(int fail_at, unsigned ops, Kind kind, bool persistent) {
    plan() = Plan{fail_at, ops, kind, persistent, 0, 0};
}
inline void disarm() {
    plan().fail_at = 0;
}

namespace detail {

struct File {
    sqlite3_file base;
    sqlite3_file* real; // follows this struct in the same allocation
};

inline sqlite3_vfs*& real_vfs() {
    static sqlite3_vfs* v = nullptr;
    return v;
}

inline sqlite3_file* real(sqlite3_file* f) {
    return reinterpret_cast<File*>(f)->real;
}

// The error to return for this call, or SQLITE_OK.
inline int fault(Op op, int ioerr_code) {
    auto& p = plan();
    if (p.fail_at <= 0 || (p.ops & op) == 0) return SQLITE_OK;
    ++p.calls;
    if (p.calls < p.fail_at || (!p.persistent && p.failures > 0)) return SQLITE_OK;
    ++p.failures;
    // As the unix VFS does: a full disk shows up as SQLITE_FULL only from a write (ENOSPC);
    // a failed fsync or ftruncate is always SQLITE_IOERR_FSYNC or _TRUNCATE.
    return p.kind == Kind::full && op == write ? SQLITE_FULL : ioerr_code;
}

inline int x_close(sqlite3_file* f) {
    auto* r = real(f);
    const int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    f->pMethods = nullptr;
    return rc;
}
inline int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    return real(f)->pMethods->xRead(real(f), buf, n, off);
}
inline int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    if (const int rc = fault(write, SQLITE_IOERR_WRITE)) return rc;
    return real(f)->pMethods->xWrite(real(f), buf, n, off);
}
inline int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (const int rc = fault(truncate, SQLITE_IOERR_TRUNCATE)) return rc;
    return real(f)->pMethods->xTruncate(real(f), size);
}
inline int x_sync(sqlite3_file* f, int flags) {
    if (const int rc = fault(sync, SQLITE_IOERR_FSYNC)) return rc;
    return real(f)->pMethods->xSync(real(f), flags);
}
inline int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return real(f)->pMethods->xFileSize(real(f), size);
}
inline int x_lock(sqlite3_file* f, int l) {
    return real(f)->pMethods->xLock(real(f), l);
}
inline int x_unlock(sqlite3_file* f, int l) {
    return real(f)->pMethods->xUnlock(real(f), l);
}
inline int x_check_reserved_lock(sqlite3_file* f, int* out) {
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
inline int x_file_control(sqlite3_file* f, int op, void* arg) {
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
inline int x_sector_size(sqlite3_file* f) {
    return real(f)->pMethods->xSectorSize(real(f));
}
inline int x_device_characteristics(sqlite3_file* f) {
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
inline int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}
inline int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
inline void x_shm_barrier(sqlite3_file* f) {
    real(f)->pMethods->xShmBarrier(real(f));
}
inline int x_shm_unmap(sqlite3_file* f, int del) {
    return real(f)->pMethods->xShmUnmap(real(f), del);
}
inline int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
    return real(f)->pMethods->xFetch(real(f), off, n, out);
}
inline int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
    return real(f)->pMethods->xUnfetch(real(f), off, p);
}

inline const sqlite3_io_methods& methods() {
    static const sqlite3_io_methods m = {3,
                                         x_close,
                                         x_read,
                                         x_write,
                                         x_truncate,
                                         x_sync,
                                         x_file_size,
                                         x_lock,
                                         x_unlock,
                                         x_check_reserved_lock,
                                         x_file_control,
                                         x_sector_size,
                                         x_device_characteristics,
                                         x_shm_map,
                                         x_shm_lock,
                                         x_shm_barrier,
                                         x_shm_unmap,
                                         x_fetch,
                                         x_unfetch};
    return m;
}

inline int x_open(sqlite3_vfs*, sqlite3_filename zname, sqlite3_file* f, int flags, int* out) {
    auto* file = reinterpret_cast<File*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    std::memset(file->real, 0, static_cast<std::size_t>(real_vfs()->szOsFile));
    const int rc = real_vfs()->xOpen(real_vfs(), zname, file->real, flags, out);
    f->pMethods = file->real->pMethods ? &methods() : nullptr;
    return rc;
}
inline int x_delete(sqlite3_vfs*, const char* z, int sync_dir) {
    return real_vfs()->xDelete(real_vfs(), z, sync_dir);
}
inline int x_access(sqlite3_vfs*, const char* z, int flags, int* out) {
    return real_vfs()->xAccess(real_vfs(), z, flags, out);
}
inline int x_full_pathname(sqlite3_vfs*, const char* z, int n, char* out) {
    return real_vfs()->xFullPathname(real_vfs(), z, n, out);
}
inline int x_randomness(sqlite3_vfs*, int n, char* out) {
    return real_vfs()->xRandomness(real_vfs(), n, out);
}
inline int x_sleep(sqlite3_vfs*, int us) {
    return real_vfs()->xSleep(real_vfs(), us);
}
inline int x_current_time(sqlite3_vfs*, double* t) {
    return real_vfs()->xCurrentTime(real_vfs(), t);
}
inline int x_get_last_error(sqlite3_vfs*, int n, char* z) {
    return real_vfs()->xGetLastError(real_vfs(), n, z);
}
inline int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* t) {
    return real_vfs()->xCurrentTimeInt64(real_vfs(), t);
}

} // namespace detail

// Registers the VFS (once; not as the default).
inline void install() {
    static sqlite3_vfs vfs{};
    if (detail::real_vfs()) return;
    sqlite3_initialize();
    auto* real = sqlite3_vfs_find(nullptr);
    if (!real) throw std::runtime_error("no default SQLite VFS");
    detail::real_vfs() = real;
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(detail::File)) + real->szOsFile;
    vfs.mxPathname = real->mxPathname;
    vfs.zName = name;
    vfs.xOpen = detail::x_open;
    vfs.xDelete = detail::x_delete;
    vfs.xAccess = detail::x_access;
    vfs.xFullPathname = detail::x_full_pathname;
    vfs.xDlOpen = real->xDlOpen;
    vfs.xDlError = real->xDlError;
    vfs.xDlSym = real->xDlSym;
    vfs.xDlClose = real->xDlClose;
    vfs.xRandomness = detail::x_randomness;
    vfs.xSleep = detail::x_sleep;
    vfs.xCurrentTime = detail::x_current_time;
    vfs.xGetLastError = detail::x_get_last_error;
    vfs.xCurrentTimeInt64 = detail::x_current_time_int64;
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK)
        throw std::runtime_error("could not register the faulty VFS");
}

} // namespace solace::faulty
