#include "runner/executor.hpp"

#include <chrono>
#include <cmath>
#include <exception>

#include "runner/scheduler.hpp"

namespace mechsweep::runner {
namespace {

// Why a finished row is not acceptable, or "" if it is.
std::string row_problem(const ResultRow& row, const ParamPoint& point) {
  const auto columns = row.columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const ColumnSpec& spec = columns[c];
    if (spec.is_ragged()) {
      const std::size_t expected = spec.ragged_length(point);
      if (row.ragged(c).size() != expected) {
        return "ragged column '" + spec.name + "' has " + std::to_string(row.ragged(c).size()) +
               " values, expected " + std::to_string(expected);
      }
      if (!spec.nan_allowed) {
        for (const double v : row.ragged(c)) {
          if (std::isnan(v)) return "column '" + spec.name + "' holds NaN where a number is required";
        }
      }
    } else if (!spec.nan_allowed && std::isnan(row.scalar(c))) {
      return "column '" + spec.name + "' is NaN where a number is required";
    }
  }
  return {};
}

}  // namespace

TaskReport TaskExecutor::run_task(std::uint64_t task, ResultRow& row) const {
  TaskReport report;
  report.task = task;
  row.reset();
  const auto start = std::chrono::steady_clock::now();
  try {
    const ParamPoint point = plan_.point(task);
    plan_.experiment().run(point, plan_.task_seed(task), row);
    report.error = row_problem(row, point);
  } catch (const std::exception& e) {
    report.error = e.what();
    if (report.error.empty()) report.error = "task threw an exception without a message";
  } catch (...) {
    report.error = "task threw a non-standard exception";
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.status = report.error.empty() ? store::kDone : store::kFailed;
  if (report.status == store::kFailed) row.reset();
  return report;
}

std::vector<TaskReport> TaskExecutor::run_chunk(std::span<const std::uint64_t> tasks, store::ResultStore& store,
                                                const std::function<bool()>& between_tasks) {
  const auto columns = std::span<const ColumnSpec>(plan_.experiment().info().columns);
  ResultRow row(columns);
  std::vector<TaskReport> reports;
  reports.reserve(tasks.size());
  store::ResultBlock block;
  bool go_on = true;
  for (const TaskRun& run : consecutive_runs(tasks)) {
    if (!go_on) break;
    block.first_task = run.first;
    block.count = 0;
    block.columns.assign(columns.size(), {});
    block.status.clear();
    block.seconds.clear();
    block.rank.clear();
    block.errors.clear();
    for (std::uint64_t task = run.first; task < run.first + run.count; ++task) {
      TaskReport report = run_task(task, row);
      const bool failed = report.status == store::kFailed;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].is_ragged()) {
          // A failed row still fills its pre-allocated slots (with NaN) so
          // offsets stay aligned.
          const std::size_t length = failed ? columns[c].ragged_length(plan_.point(task)) : row.ragged(c).size();
          if (failed) {
            block.columns[c].insert(block.columns[c].end(), length, std::nan(""));
          } else {
            block.columns[c].insert(block.columns[c].end(), row.ragged(c).begin(), row.ragged(c).end());
          }
        } else {
          block.columns[c].push_back(row.scalar(c));
        }
      }
      block.status.push_back(report.status);
      block.seconds.push_back(report.seconds);
      block.rank.push_back(rank_);
      block.errors.push_back(report.error);
      reports.push_back(std::move(report));
      ++block.count;
      if (!between_tasks()) {
        go_on = false;
        break;
      }
    }
    store.write(block);
  }
  return reports;
}

}  // namespace mechsweep::runner
