#include "cli/commands.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "runner/runner.hpp"
#include "store/store.hpp"
#include "sweep/config.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::cli {
namespace {

std::string format_value(const ParamValue& value) {
  std::ostringstream out;
  std::visit([&](const auto& v) { out << v; }, value);
  return out.str();
}

std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

std::string allowed_values(const ParamSpec& spec) {
  if (spec.type == ParamType::choice) {
    std::string text;
    for (const auto& c : spec.choices) text += (text.empty() ? "" : "|") + c;
    return text;
  }
  return "[" + format_number(spec.min) + ", " + format_number(spec.max) + "]";
}

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f %s", bytes, units[unit]);
  return buffer;
}

}  // namespace

ExitStatus list_experiments(const std::string& only) {
  const auto experiments = ExperimentRegistry::instance().all();
  bool found = false;
  for (const Experiment* experiment : experiments) {
    const ExperimentInfo& info = experiment->info();
    if (!only.empty() && info.name != only) continue;
    found = true;
    std::printf("%s\n  %s\n\n  parameters:\n", info.name.c_str(), info.summary.c_str());
    int name_width = 4, default_width = 7, allowed_width = 7;
    for (const ParamSpec& p : info.params) {
      name_width = std::max(name_width, static_cast<int>(p.name.size()));
      default_width = std::max(default_width, static_cast<int>(format_value(p.default_value).size()));
      allowed_width = std::max(allowed_width, static_cast<int>(allowed_values(p).size()));
    }
    std::printf("    %-*s  %-8s %-*s  %-*s  %s\n", name_width, "name", "type", default_width, "default", allowed_width,
                "allowed", "meaning");
    for (const ParamSpec& p : info.params) {
      std::printf("    %-*s  %-8s %-*s  %-*s  %s\n", name_width, p.name.c_str(), std::string(to_string(p.type)).c_str(),
                  default_width, format_value(p.default_value).c_str(), allowed_width, allowed_values(p).c_str(),
                  p.doc.c_str());
    }
    std::printf("\n  result columns:\n");
    int column_width = 24;
    for (const ColumnSpec& c : info.columns) column_width = std::max(column_width, static_cast<int>(c.name.size()));
    for (const ColumnSpec& c : info.columns) {
      std::string type(to_string(c.type));
      if (c.is_ragged()) type += "[]";
      std::printf("    %-*s %-10s %s\n", column_width, c.name.c_str(), type.c_str(), c.doc.c_str());
    }
    std::printf("\n");
  }
  if (!found && !only.empty()) {
    throw InputError("list", "experiment", "unknown experiment '" + only + "'");
  }
  return ExitStatus::ok;
}

ExitStatus plan_sweep(const std::filesystem::path& config, std::span<const std::string> overrides) {
  const SweepPlan plan = load_plan(config, overrides);
  const ExperimentInfo& info = plan.experiment().info();
  std::printf("config      %s (hash %s)\n", config.string().c_str(), plan.config_hash().c_str());
  std::printf("experiment  %s\n", info.name.c_str());
  std::printf("run seed    %llu\n", static_cast<unsigned long long>(plan.run_seed()));
  std::printf("tasks       %llu\n", static_cast<unsigned long long>(plan.task_count()));
  std::printf("axes (outermost first, the last varies fastest):\n");
  if (plan.axes().empty()) std::printf("  (none: a single task)\n");
  for (const AxisGroup& group : plan.axes()) {
    for (std::size_t p = 0; p < group.params.size(); ++p) {
      const auto& values = group.values[p];
      std::string shown;
      for (std::size_t i = 0; i < values.size() && i < 6; ++i) shown += (i ? ", " : "") + format_value(values[i]);
      if (values.size() > 6) shown += ", ... " + format_value(values.back());
      std::printf("  %s%-16s %4zu values: %s\n", group.params.size() > 1 ? "zip " : "", group.params[p].c_str(),
                  values.size(), shown.c_str());
    }
  }
  const ParamPoint first = plan.point(0);
  std::printf("parameters of task 0:\n");
  for (std::size_t p = 0; p < first.size(); ++p) {
    std::printf("  %-16s %s\n", first.spec(p).name.c_str(), format_value(first.value(p)).c_str());
  }
  // The store is fully allocated at creation, so its size is known now.
  const store::StoreLayout layout = runner::make_layout(plan);
  const double n = static_cast<double>(layout.task_count);
  const double bytes = static_cast<double>(store::estimated_bytes(layout));
  std::printf("store size  about %s, plus up to %s for error messages (allocated only where tasks fail)\n",
              human_bytes(bytes).c_str(), human_bytes(n * static_cast<double>(store::kErrorMessageBytes)).c_str());
  return ExitStatus::ok;
}

ExitStatus show_status(const std::filesystem::path& file) {
  const store::StoreSummary s = store::read_summary(file);
  std::printf("store       %s\n", file.string().c_str());
  std::printf("experiment  %s (config hash %s, created %s)\n", s.experiment.c_str(), s.config_hash.c_str(),
              s.created_utc.c_str());
  const auto u = [](std::uint64_t n) { return static_cast<unsigned long long>(n); };
  if (s.shard) {
    // The store holds the whole plan; this run executes only its slice.
    const std::uint64_t slice = s.slice_end - s.slice_first;
    const std::uint64_t others = s.task_count - slice;
    if (slice == 0) {
      std::printf("shard %s: no tasks (all %llu tasks belong to other shards)\n", s.shard->text().c_str(),
                  u(s.task_count));
    } else {
      std::printf("shard %s: tasks %llu..%llu (the other %llu of the plan's %llu tasks belong to other shards)\n",
                  s.shard->text().c_str(), u(s.slice_first), u(s.slice_end - 1), u(others), u(s.task_count));
    }
    std::printf("tasks       %llu in this shard: %llu done, %llu failed, %llu pending\n", u(slice), u(s.slice_done),
                u(s.slice_failed), u(s.slice_pending));
  } else {
    std::printf("tasks       %llu: %llu done, %llu failed, %llu pending\n", u(s.task_count), u(s.done), u(s.failed),
                u(s.pending));
  }
  std::printf("segments:\n  %-3s %-7s %6s  %-21s %10s %8s %8s  %s\n", "#", "kind", "ranks", "started (UTC)", "wall s",
              "done", "failed", "state");
  for (std::size_t i = 0; i < s.segments.size(); ++i) {
    const auto& seg = s.segments[i];
    char wall[32];
    if (std::isnan(seg.wall_seconds)) {
      std::snprintf(wall, sizeof wall, "-");
    } else {
      std::snprintf(wall, sizeof wall, "%.2f", seg.wall_seconds);
    }
    // An interrupted segment never wrote its counts (the store keeps -1 there).
    const auto count = [](std::int64_t n) { return n < 0 ? std::string("-") : std::to_string(n); };
    std::printf("  %-3zu %-7s %6d  %-21s %10s %8s %8s  %s\n", i, seg.kind.c_str(), seg.ranks, seg.started_utc.c_str(),
                wall, count(seg.tasks_done).c_str(), count(seg.tasks_failed).c_str(),
                seg.finished ? "finished" : "interrupted");
  }
  if (s.slice_pending > 0) std::printf("resume with: mpirun -np N mechsweep resume %s\n", file.string().c_str());
  return ExitStatus::ok;
}

}  // namespace mechsweep::cli
