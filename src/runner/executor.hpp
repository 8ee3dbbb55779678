#pragma once
// Runs tasks of a plan and writes their rows to the store. This is the only
// place experiment code is called; a task that throws, or leaves NaN in a
// column that needs a number, is recorded as failed and the run goes on.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "runner/messages.hpp"
#include "store/store.hpp"
#include "sweep/plan.hpp"

namespace mechsweep::runner {

class TaskExecutor {
 public:
  TaskExecutor(const SweepPlan& plan, int rank) : plan_(plan), rank_(rank) {}

  // Computes `tasks` (ascending ids), writes them to `store` block by block
  // (one block per run of consecutive ids), and returns one report per task.
  // `between_tasks` runs after each task (the master serves requests there);
  // when it returns false the chunk stops there: the tasks computed so far are
  // written and reported, the rest stay pending (a stop signal).
  std::vector<TaskReport> run_chunk(std::span<const std::uint64_t> tasks, store::ResultStore& store,
                                    const std::function<bool()>& between_tasks);

  // Computes one task into `row`; returns its report (status, seconds, error).
  TaskReport run_task(std::uint64_t task, ResultRow& row) const;

 private:
  const SweepPlan& plan_;
  int rank_;
};

}  // namespace mechsweep::runner
