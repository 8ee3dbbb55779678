#pragma once
// Progress on stderr: done/total, rate, ETA and failures. On a terminal the
// line is redrawn at most once a second; otherwise (logs, SLURM output) one
// line is printed at every 10% so logs stay short.

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace mechsweep::runner {

class ProgressReporter {
 public:
  ProgressReporter(std::uint64_t total, std::uint64_t already_done, std::FILE* out, bool quiet);
  void update(std::uint64_t done, std::uint64_t failed);
  void finish(std::uint64_t done, std::uint64_t failed);

 private:
  void print(std::uint64_t done, std::uint64_t failed, bool final_line);

  std::uint64_t total_;
  std::uint64_t already_done_;
  std::FILE* out_;
  bool quiet_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  int last_decile_ = 0;
};

}  // namespace mechsweep::runner
