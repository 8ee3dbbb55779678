#pragma once
// What an experiment is, to the rest of mechsweep: a named function from a
// parameter point and a seed to one result row, plus the tables that describe
// its parameters and result columns. Experiments never touch MPI or HDF5.
//
// Adding an experiment = adding a folder under experiments/ with one .cpp that
// defines a subclass and calls MECHSWEEP_REGISTER_EXPERIMENT.

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mechsweep {

enum class ParamType { real, integer, choice };
enum class ColumnType { real, integer };

std::string_view to_string(ParamType type);
std::string_view to_string(ColumnType type);

// A parameter value. `choice` parameters hold the chosen label.
using ParamValue = std::variant<double, std::int64_t, std::string>;

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::real;
  ParamValue default_value = 0.0;
  // Inclusive bounds for real and integer parameters.
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  // Allowed labels of a choice parameter.
  std::vector<std::string> choices;
  std::string doc;
};

// Shorthands for the tables of ExperimentInfo (bounds are inclusive).
ParamSpec real_param(std::string name, double default_value, double min, double max, std::string doc);
ParamSpec integer_param(std::string name, std::int64_t default_value, double min, double max, std::string doc);
ParamSpec choice_param(std::string name, std::string default_value, std::vector<std::string> choices, std::string doc);

class ParamPoint;

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::real;
  std::string doc;
  // A NaN in a column that does not allow it marks the task as failed.
  bool nan_allowed = false;
  // Set for ragged (per-agent) columns: the vector length for a parameter
  // point. It must depend only on the parameters so the store can lay out
  // every row before the run starts.
  std::function<std::size_t(const ParamPoint&)> ragged_length;

  bool is_ragged() const { return static_cast<bool>(ragged_length); }
};

ColumnSpec real_column(std::string name, std::string doc, bool nan_allowed = false);
ColumnSpec integer_column(std::string name, std::string doc);

// The full parameter assignment of one task: one value per ParamSpec of the
// experiment, in spec order.
class ParamPoint {
 public:
  ParamPoint(std::span<const ParamSpec> specs, std::vector<ParamValue> values);

  double real(std::string_view name) const;
  std::int64_t integer(std::string_view name) const;
  const std::string& choice(std::string_view name) const;

  std::size_t size() const { return values_.size(); }
  const ParamValue& value(std::size_t index) const { return values_[index]; }
  const ParamSpec& spec(std::size_t index) const { return specs_[index]; }

 private:
  std::size_t index_of(std::string_view name) const;

  std::span<const ParamSpec> specs_;
  std::vector<ParamValue> values_;
};

// One task's results, one entry per column of the experiment in spec order.
// Integer columns are carried as doubles (exact below 2^53).
class ResultRow {
 public:
  explicit ResultRow(std::span<const ColumnSpec> columns);

  void set(std::string_view column, double value);
  void set_ragged(std::string_view column, std::vector<double> values);

  double scalar(std::size_t column) const { return scalars_[column]; }
  const std::vector<double>& ragged(std::size_t column) const { return ragged_[column]; }
  std::span<const ColumnSpec> columns() const { return columns_; }

  // Back to all-NaN / empty, keeping capacity: rows are reused across tasks.
  void reset();

 private:
  std::size_t index_of(std::string_view column) const;

  std::span<const ColumnSpec> columns_;
  std::vector<double> scalars_;
  std::vector<std::vector<double>> ragged_;
};

struct ExperimentInfo {
  std::string name;     // "module.verb", e.g. "testdesign.evaluate"
  std::string summary;  // one line for `mechsweep list`
  std::vector<ParamSpec> params;
  std::vector<ColumnSpec> columns;
};

// Thrown by Experiment::validate: a combination of parameter values the
// experiment cannot run (each value alone is within its bounds).
class InvalidParams : public std::invalid_argument {
 public:
  InvalidParams(std::string param, const std::string& problem)
      : std::invalid_argument(problem), params_{std::move(param)} {}
  // Several parameters share the blame (e.g. θ and the two rotations make the
  // tests parallel): the error points at the first one the config sets.
  InvalidParams(std::vector<std::string> params, const std::string& problem)
      : std::invalid_argument(problem), params_(std::move(params)) {}
  const std::string& param() const noexcept { return params_.front(); }
  const std::vector<std::string>& params() const noexcept { return params_; }

 private:
  std::vector<std::string> params_;
};

class Experiment {
 public:
  virtual ~Experiment() = default;
  virtual const ExperimentInfo& info() const = 0;
  // Rejects parameter combinations up front, so that a typo fails the plan
  // (exit status 2, nothing created) instead of storing failed tasks. Cheap
  // and deterministic; throws InvalidParams.
  virtual void validate(const ParamPoint& /*point*/) const {}
  // Computes one task. Must be deterministic in (point, seed); every random
  // draw comes from `seed`. Throws on failure; the runner records the message.
  virtual void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const = 0;
};

class ExperimentRegistry {
 public:
  static ExperimentRegistry& instance();

  void add(std::unique_ptr<Experiment> experiment);
  const Experiment* find(std::string_view name) const;  // nullptr if unknown
  std::vector<const Experiment*> all() const;           // sorted by name

 private:
  std::vector<std::unique_ptr<Experiment>> experiments_;
};

}  // namespace mechsweep

#define MECHSWEEP_CONCAT_INNER(a, b) a##b
#define MECHSWEEP_CONCAT(a, b) MECHSWEEP_CONCAT_INNER(a, b)
#define MECHSWEEP_REGISTER_EXPERIMENT(Type)                                              \
  namespace {                                                                            \
  [[maybe_unused]] const bool MECHSWEEP_CONCAT(registered_experiment_, __LINE__) =       \
      (::mechsweep::ExperimentRegistry::instance().add(std::make_unique<Type>()), true); \
  }
