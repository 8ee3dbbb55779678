#include "sweep/plan.hpp"

#include <array>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "core/seed.hpp"

namespace mechsweep {
namespace {

std::size_t spec_index(const ExperimentInfo& info, const std::string& name) {
  for (std::size_t i = 0; i < info.params.size(); ++i) {
    if (info.params[i].name == name) return i;
  }
  throw Error("internal: sweep axis names unknown parameter '" + name + "' of experiment " + info.name);
}

// The plan is built by config.cpp (which reports user errors with file and
// line); these checks only catch callers that bypass it, e.g. a corrupt store.
bool holds_type_of(const ParamValue& value, ParamType type) {
  switch (type) {
    case ParamType::real: return !std::holds_alternative<std::string>(value);
    case ParamType::integer: return std::holds_alternative<std::int64_t>(value);
    case ParamType::choice: return std::holds_alternative<std::string>(value);
  }
  return false;
}

void check_type(const ParamSpec& spec, const ParamValue& value) {
  if (!holds_type_of(value, spec.type)) {
    throw Error("internal: value of parameter '" + spec.name + "' is not of type " + std::string(to_string(spec.type)));
  }
}

}  // namespace

SweepPlan::SweepPlan(const Experiment& experiment, std::uint64_t run_seed, std::vector<ParamValue> fixed,
                     std::vector<AxisGroup> axes, std::string config_text, std::string origin)
    : experiment_(&experiment),
      run_seed_(run_seed),
      fixed_(std::move(fixed)),
      axes_(std::move(axes)),
      config_text_(std::move(config_text)),
      origin_(std::move(origin)) {
  const ExperimentInfo& info = experiment_->info();
  if (fixed_.size() != info.params.size()) {
    throw Error("internal: sweep plan has " + std::to_string(fixed_.size()) + " fixed values for " +
                std::to_string(info.params.size()) + " parameters of " + info.name);
  }
  for (std::size_t i = 0; i < fixed_.size(); ++i) check_type(info.params[i], fixed_[i]);

  std::vector<bool> swept(info.params.size(), false);
  for (const AxisGroup& group : axes_) {
    if (group.params.empty() || group.params.size() != group.values.size()) {
      throw Error("internal: sweep axis group has mismatched parameters and values");
    }
    for (std::size_t p = 0; p < group.params.size(); ++p) {
      const std::size_t index = spec_index(info, group.params[p]);
      if (swept[index]) throw Error("internal: parameter '" + group.params[p] + "' is swept twice");
      swept[index] = true;
      if (group.values[p].size() != group.size()) {
        throw Error("internal: zipped axes of different lengths in sweep plan");
      }
      for (const ParamValue& v : group.values[p]) check_type(info.params[index], v);
      axis_param_index_.push_back(index);
    }
    const std::uint64_t size = group.size();
    if (size == 0) throw Error("internal: empty sweep axis");
    if (task_count_ > UINT64_MAX / size) throw Error("internal: sweep task count overflows 64 bits");
    task_count_ *= size;
  }
}

ParamPoint SweepPlan::point(std::uint64_t task) const {
  if (task >= task_count_) {
    throw Error("internal: task " + std::to_string(task) + " out of range (the plan has " +
                std::to_string(task_count_) + " tasks)");
  }
  std::vector<ParamValue> values = fixed_;
  // Mixed-radix decomposition of the task id, last group fastest.
  std::uint64_t rest = task;
  std::size_t flat = axis_param_index_.size();
  for (auto group = axes_.rbegin(); group != axes_.rend(); ++group) {
    const std::uint64_t size = group->size();  // > 0: the constructor rejects empty axes
    if (size == 0) throw Error("internal: empty sweep axis");
    const auto step = static_cast<std::size_t>(rest % size);
    rest /= size;
    flat -= group->params.size();
    for (std::size_t p = 0; p < group->params.size(); ++p) {
      values[axis_param_index_[flat + p]] = group->values[p][step];
    }
  }
  return ParamPoint(experiment_->info().params, std::move(values));
}

std::uint64_t SweepPlan::task_seed(std::uint64_t task) const { return derive_seed(run_seed_, task); }

std::string SweepPlan::config_hash() const { return fnv1a_hex(config_text_); }

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string fnv1a_hex(const std::string& text) {
  constexpr std::array<char, 16> digits{'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::uint64_t hash = fnv1a64(text);
  std::string out(16, '0');
  for (std::size_t i = 16; i-- > 0;) {
    out[i] = digits[hash & 0xfU];
    hash >>= 4;
  }
  return out;
}

}  // namespace mechsweep
