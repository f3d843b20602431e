#include "kclinic/cli/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "kclinic/base/signing.h"

namespace kclinic::cli {

Status Errno(const std::string& what) {
  return Status(StatusCode::kUnavailable, what + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Errno("write");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncParentDir(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open the directory of " + path);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Errno("fsync the directory of " + path);
}

Result<std::string> ReadKeyFile(const std::string& path, const char* field, size_t bytes,
                                bool secret, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return InvalidArgument(field, "names no file");
  if (secret && (st.st_mode & 077) != 0) {
    return InvalidArgument(field, "can be read by other users: chmod 600 it first");
  }
  std::ifstream in(path, std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.size() == bytes) return raw;
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r' || raw.back() == ' ')) {
    raw.pop_back();
  }
  auto key = raw.size() == 2 * bytes ? HexDecode(raw) : std::nullopt;
  if (!key) {
    return InvalidArgument(field,
                           "is not " + what + " (" + std::to_string(2 * bytes) + " hex digits)");
  }
  return *key;
}

Status CreateKeyFile(const std::string& path, std::string_view key, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) {
      return InvalidArgument("to",
                             "already exists: a key is never overwritten (what it protects or "
                             "signs would be lost)");
    }
    return Errno("create " + path);
  }
  ::fchmod(fd, static_cast<mode_t>(mode));  // whatever the umask
  Status s = WriteAll(fd, HexEncode(key) + "\n");
  if (s.ok() && ::fsync(fd) != 0) s = Errno("fsync " + path);
  ::close(fd);
  if (s.ok()) s = SyncParentDir(path);
  return s;
}

}  // namespace kclinic::cli
