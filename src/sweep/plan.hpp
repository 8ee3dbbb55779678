#pragma once
// A validated sweep: the experiment, the run seed, the fixed parameters and the
// swept axes. Task k is the k-th point of the Cartesian product of the axis
// groups (the last group varies fastest, like itertools.product), and its seed
// is derive_seed(run_seed, k).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sweep/experiment.hpp"

namespace mechsweep {

// One factor of the Cartesian product. A plain axis has one parameter; a `zip:`
// group has several that advance together.
struct AxisGroup {
  std::vector<std::string> params;               // parameter names
  std::vector<std::vector<ParamValue>> values;   // values[p][i]: value of params[p] at step i
  std::size_t size() const { return values.empty() ? 0 : values.front().size(); }
};

class SweepPlan {
 public:
  SweepPlan(const Experiment& experiment, std::uint64_t run_seed, std::vector<ParamValue> fixed,
            std::vector<AxisGroup> axes, std::string config_text, std::string origin);

  const Experiment& experiment() const { return *experiment_; }
  std::uint64_t run_seed() const { return run_seed_; }
  std::uint64_t task_count() const { return task_count_; }
  const std::vector<AxisGroup>& axes() const { return axes_; }

  // All parameters of task k (fixed values overridden by the axes).
  ParamPoint point(std::uint64_t task) const;
  std::uint64_t task_seed(std::uint64_t task) const;

  // The effective config (file plus --set overrides) as canonical YAML; this is
  // what the store records and what `resume` rebuilds the plan from.
  const std::string& config_text() const { return config_text_; }
  // 64-bit FNV-1a of config_text(), as 16 hex digits.
  std::string config_hash() const;
  // Where the config came from (a path, or "store:<file>").
  const std::string& origin() const { return origin_; }

 private:
  const Experiment* experiment_;
  std::uint64_t run_seed_;
  std::vector<ParamValue> fixed_;  // one per ParamSpec, defaults filled in
  std::vector<AxisGroup> axes_;
  std::vector<std::size_t> axis_param_index_;  // flattened: spec index of each axis param
  std::uint64_t task_count_ = 1;
  std::string config_text_;
  std::string origin_;
};

// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3). Also
// names the random stream of a `random:` axis (see config.hpp).
std::uint64_t fnv1a64(std::string_view text);
// fnv1a64(text) as 16 lower-case hex digits.
std::string fnv1a_hex(const std::string& text);

}  // namespace mechsweep
