#include "runner/scheduler.hpp"

#include <algorithm>
#include <cmath>

namespace mechsweep::runner {

void ChunkSizer::record(double task_seconds) {
  task_seconds = std::max(task_seconds, 1e-7);
  ++samples_;
  if (mean_seconds_ < 0) {
    mean_seconds_ = task_seconds;
    return;
  }
  // Exponential moving average that starts as a plain mean, so the first few
  // measurements count fully and later drift is still followed.
  const double weight = std::max(1.0 / static_cast<double>(samples_), 0.05);
  mean_seconds_ += weight * (task_seconds - mean_seconds_);
}

std::uint64_t ChunkSizer::next(std::uint64_t remaining, int workers) const {
  if (remaining == 0) return 0;
  // Until a task has been timed, hand out single tasks to measure them.
  std::uint64_t size = 1;
  if (mean_seconds_ > 0) {
    size = static_cast<std::uint64_t>(std::max(1.0, std::floor(target_seconds_ / mean_seconds_)));
  }
  const std::uint64_t fair_share = (remaining + 2 * static_cast<std::uint64_t>(workers) - 1) /
                                   (2 * static_cast<std::uint64_t>(std::max(workers, 1)));
  size = std::min({size, max_chunk_, std::max<std::uint64_t>(fair_share, 1), remaining});
  return size;
}

std::vector<std::uint64_t> TaskQueue::take(std::uint64_t count) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(count, remaining()));
  std::vector<std::uint64_t> out(pending_.begin() + static_cast<std::ptrdiff_t>(cursor_),
                                 pending_.begin() + static_cast<std::ptrdiff_t>(cursor_ + n));
  cursor_ += n;
  return out;
}

std::vector<TaskRun> consecutive_runs(std::span<const std::uint64_t> tasks) {
  std::vector<TaskRun> runs;
  for (const std::uint64_t task : tasks) {
    if (!runs.empty() && runs.back().first + runs.back().count == task) {
      ++runs.back().count;
    } else {
      runs.push_back({task, 1});
    }
  }
  return runs;
}

}  // namespace mechsweep::runner
