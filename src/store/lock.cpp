#include "store/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "core/error.hpp"

namespace mechsweep::store {

namespace {

std::string in_quotes(const std::filesystem::path& file) { return "'" + file.string() + "'"; }

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// "pid P on host H" from the lock file's "pid P host H", or what it holds.
std::string describe_holder(int fd) {
  char text[512] = {};
  const ssize_t got = ::pread(fd, text, sizeof text - 1, 0);
  std::string content = got > 0 ? std::string(text, static_cast<std::size_t>(got)) : std::string();
  while (!content.empty() && (content.back() == '\n' || content.back() == ' ')) content.pop_back();
  const auto host = content.find(" host ");
  if (content.rfind("pid ", 0) == 0 && host != std::string::npos) {
    return content.substr(0, host) + " on host" + content.substr(host + 5);
  }
  return content.empty() ? "holder unknown" : content;
}

// flock() is not implemented on some network filesystems.
bool flock_unsupported(int error) {
  return error == ENOSYS || error == EINVAL || error == ENOTSUP || error == EOPNOTSUPP;
}

// True when `fd` is still the file at `path`: a holder that was releasing the
// lock may have unlinked it between our open() and flock().
bool still_linked(int fd, const std::filesystem::path& path) {
  struct stat opened {};
  struct stat named {};
  return ::fstat(fd, &opened) == 0 && ::stat(path.c_str(), &named) == 0 && opened.st_dev == named.st_dev &&
         opened.st_ino == named.st_ino;
}

}  // namespace

StoreLock::StoreLock(const std::filesystem::path& store) : lock_path_(store.string() + ".lock") {
  for (int attempt = 0;; ++attempt) {
    fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      const int error = errno;
      throw Error("cannot create the lock file " + in_quotes(lock_path_) + " for store " + in_quotes(store) + ": " +
                  std::strerror(error));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      if (error == EWOULDBLOCK) {
        const std::string holder = describe_holder(fd_);
        ::close(fd_);
        fd_ = -1;
        throw Error("store " + in_quotes(store) + " is in use by another mechsweep run (" + holder + ")");
      }
      if (!flock_unsupported(error)) {
        ::close(fd_);
        fd_ = -1;
        throw Error("cannot lock " + in_quotes(lock_path_) + " for store " + in_quotes(store) + ": " +
                    std::strerror(error));
      }
      std::cerr << "warning: the filesystem of " << in_quotes(lock_path_) << " does not support flock; store "
                << in_quotes(store) << " is not protected against a second run writing it at the same time\n";
      break;
    }
    if (still_linked(fd_, lock_path_) || attempt == 10) break;
    ::close(fd_);  // we locked a file its holder had just removed: try the new one
    fd_ = -1;
  }
  const std::string holder = "pid " + std::to_string(::getpid()) + " host " + host_name() + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, holder.data(), holder.size(), 0) < 0) {
    const int error = errno;
    std::cerr << "warning: cannot write the holder into " << in_quotes(lock_path_) << ": " << std::strerror(error)
              << "\n";
  }
}

StoreLock::~StoreLock() {
  if (fd_ < 0) return;
  // Unlink while still holding the lock, so a waiting process that then locks
  // the old file sees (through still_linked) that it is gone.
  ::unlink(lock_path_.c_str());
  ::close(fd_);
}

}  // namespace mechsweep::store
