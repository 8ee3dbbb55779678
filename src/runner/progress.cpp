#include "runner/progress.hpp"

#include <unistd.h>

#include <string>

namespace mechsweep::runner {
namespace {

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e8) return "?";
  const auto s = static_cast<long long>(seconds + 0.5);
  char buffer[32];
  if (s >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", s / 3600, (s / 60) % 60);
  } else if (s >= 60) {
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%llds", s);
  }
  return buffer;
}

}  // namespace

ProgressReporter::ProgressReporter(std::uint64_t total, std::uint64_t already_done, std::FILE* out, bool quiet)
    : total_(total),
      already_done_(already_done),
      out_(out),
      quiet_(quiet),
      tty_(isatty(fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void ProgressReporter::update(std::uint64_t done, std::uint64_t failed) {
  if (quiet_ || total_ == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (now - last_print_ < std::chrono::seconds(1)) return;
    last_print_ = now;
    print(done, failed, false);
    return;
  }
  const int decile = static_cast<int>((10 * (done + failed)) / total_);
  if (decile > last_decile_ && decile < 10) {
    last_decile_ = decile;
    print(done, failed, false);
  }
}

void ProgressReporter::finish(std::uint64_t done, std::uint64_t failed) {
  if (quiet_) return;
  print(done, failed, true);
}

void ProgressReporter::print(std::uint64_t done, std::uint64_t failed, bool final_line) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::uint64_t finished = done + failed;
  const std::uint64_t this_segment = finished > already_done_ ? finished - already_done_ : 0;
  const double rate = elapsed > 0 ? static_cast<double>(this_segment) / elapsed : 0;
  const double eta = rate > 0 ? static_cast<double>(total_ - finished) / rate : -1;
  const double percent = total_ ? 100.0 * static_cast<double>(finished) / static_cast<double>(total_) : 100.0;
  std::fprintf(out_, "%s%llu/%llu tasks (%.0f%%)  %.1f tasks/s  %s %s  failed %llu%s", tty_ ? "\r" : "",
               static_cast<unsigned long long>(finished), static_cast<unsigned long long>(total_), percent, rate,
               final_line ? "elapsed" : "ETA", format_duration(final_line ? elapsed : eta).c_str(),
               static_cast<unsigned long long>(failed), tty_ && !final_line ? "   " : "\n");
  std::fflush(out_);
}

}  // namespace mechsweep::runner
