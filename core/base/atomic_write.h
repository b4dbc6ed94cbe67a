#pragma once
// The one way a file is written: a temp file beside the target, flushed to disk
// (fsync), renamed over the target, then the folder flushed, so a crash or power
// loss leaves either the old file or the new one, never half of one.
//
// Header-only so the runtime (which links nothing but the standard library) writes
// its `.tmn` files the same way as the rest of core.

#include <atomic>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "core/base/error.h"

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#define TM2_ATOMIC_WRITE_POSIX 1
#endif

namespace tm2 {

// Durable: the file and its folder are fsync'ed (results, plans, models, checkpoints).
// RenameOnly: still whole-or-nothing for readers, but no fsync (caches that are
// recomputed when lost; an fsync per cached sample would dominate feature extraction).
enum class FileSync { Durable, RenameOnly };

namespace atomic_write_detail {

// Unique per process and call: several threads (the feature cache's workers) may
// write beside the same target at once.
inline std::string tempPathFor(const std::string& path) {
    static std::atomic<unsigned long> counter{0};
#ifdef TM2_ATOMIC_WRITE_POSIX
    const long pid = static_cast<long>(::getpid());
#else
    const long pid = 0;
#endif
    return path + ".tmp-" + std::to_string(pid) + "-" + std::to_string(counter.fetch_add(1));
}

inline std::string parentFolder(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// fsync a file or folder by name; false when it cannot be opened or synced.
inline bool syncPath(const std::string& path, bool folder) {
#ifdef TM2_ATOMIC_WRITE_POSIX
    int flags = O_RDONLY;
#ifdef O_DIRECTORY
    if (folder) flags |= O_DIRECTORY;
#endif
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
#else
    (void)path;
    (void)folder;
    return true;
#endif
}

}  // namespace atomic_write_detail

// Replaces `path` with what `write(temp_path)` writes (for libraries that only save
// to a path, e.g. LibTorch archives). Throws tm2::Error naming `path`; the temp file
// is removed on any failure and the old file is left as it was.
inline void replaceFileAtomically(const std::string& path, const std::function<void(const std::string&)>& write,
                                  FileSync sync = FileSync::Durable) {
    namespace d = atomic_write_detail;
    const std::string tmp = d::tempPathFor(path);
    try {
        write(tmp);
    } catch (...) {
        std::remove(tmp.c_str());
        throw;
    }
    // Folders that refuse fsync (some network and virtual filesystems) still get the rename.
    if (sync == FileSync::Durable && !d::syncPath(tmp, false)) {
        std::FILE* probe = std::fopen(tmp.c_str(), "rb");
        if (!probe) throw Error(path + ": cannot write (the temporary file was not created)");
        std::fclose(probe);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Error(path + ": cannot replace the file (rename failed)");
    }
    if (sync == FileSync::Durable) d::syncPath(d::parentFolder(path), true);
}

// Replaces `path` with `bytes`, whole or not at all.
inline void writeFileAtomically(const std::string& path, std::string_view bytes,
                                FileSync sync = FileSync::Durable) {
    replaceFileAtomically(path, [&](const std::string& tmp) {
        std::FILE* out = std::fopen(tmp.c_str(), "wb");
        if (!out) throw Error(path + ": cannot open for writing");
        const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size() && std::fflush(out) == 0;
        const bool closed = std::fclose(out) == 0;
        if (!ok || !closed) throw Error(path + ": write failed (disk full?)");
    }, sync);
}

}  // namespace tm2
