#pragma once
// Dynamic scheduling without MPI: which tasks go next, and how many.

#include <cstdint>
#include <span>
#include <vector>

namespace mechsweep::runner {

// Chunk sizes adapt to the measured task time: a chunk should take about
// `target_seconds`, so tiny tasks do not flood the master with messages; and
// no chunk may exceed a share of what is left (guided self-scheduling), so
// long tasks do not leave ranks idle at the end.
class ChunkSizer {
 public:
  explicit ChunkSizer(double target_seconds = 0.25, std::uint64_t max_chunk = 4096)
      : target_seconds_(target_seconds), max_chunk_(max_chunk) {}

  void record(double task_seconds);  // one finished task's wall time
  std::uint64_t next(std::uint64_t remaining, int workers) const;
  double mean_task_seconds() const { return mean_seconds_; }

 private:
  double target_seconds_;
  std::uint64_t max_chunk_;
  double mean_seconds_ = -1;  // < 0: nothing measured yet
  std::uint64_t samples_ = 0;
};

// The tasks still to run, in task-id order, handed out front to back.
class TaskQueue {
 public:
  explicit TaskQueue(std::vector<std::uint64_t> pending) : pending_(std::move(pending)) {}
  std::vector<std::uint64_t> take(std::uint64_t count);
  std::uint64_t remaining() const { return pending_.size() - cursor_; }
  bool empty() const { return remaining() == 0; }

 private:
  std::vector<std::uint64_t> pending_;
  std::size_t cursor_ = 0;
};

// Splits ascending task ids into runs of consecutive ids: [first, count).
struct TaskRun {
  std::uint64_t first;
  std::uint64_t count;
};
std::vector<TaskRun> consecutive_runs(std::span<const std::uint64_t> tasks);

}  // namespace mechsweep::runner
