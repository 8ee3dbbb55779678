#pragma once
// An exclusive advisory lock on a store, held by the rank that owns the run
// (rank 0). The lock lives in "<store>.lock" beside the store; the kernel drops
// it when the process dies, so a killed run never leaves a stale lock behind.

#include <filesystem>

namespace mechsweep::store {

class StoreLock {
 public:
  // Throws Error ("... is in use by another mechsweep run (pid P on host H)")
  // if another process holds the lock.
  explicit StoreLock(const std::filesystem::path& store);
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;
  ~StoreLock();

 private:
  std::filesystem::path lock_path_;
  int fd_ = -1;
};

}  // namespace mechsweep::store
