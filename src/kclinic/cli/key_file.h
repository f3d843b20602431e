// Key files and the file writes around them, shared by the backups' encryption key
// (backup_command.cc) and the audit anchors' signing key (audit_anchor_command.cc): a key is
// written once as hex digits, mode 0600, never over another, and read back only while no other
// user can read it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kclinic/base/status.h"

namespace kclinic::cli {

// Unavailable: "WHAT: strerror(errno)".
Status Errno(const std::string& what);
// Writes all of `data` to `fd`.
Status WriteAll(int fd, std::string_view data);
// fsyncs the directory holding `path`, so that a file created or renamed into it survives a crash.
Status SyncParentDir(const std::string& path);

// Reads a key of `bytes` bytes from `path`: 2*bytes hex digits (what CreateKeyFile writes) or
// the raw bytes. InvalidArgument naming `field` when there is no such file, when other users can
// read it (`secret`: a public key may be readable), or when it holds no such key (`what` names
// the command that writes one).
Result<std::string> ReadKeyFile(const std::string& path, const char* field, size_t bytes,
                                bool secret, const std::string& what);
// Writes `key` as hex and a newline to a new file at `path` with `mode`, synced with its
// directory. InvalidArgument (field "to") when the file exists: a key is never overwritten.
Status CreateKeyFile(const std::string& path, std::string_view key, int mode = 0600);

}  // namespace kclinic::cli
