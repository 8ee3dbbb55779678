#include "sweep/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace mechsweep {

ParamSpec real_param(std::string name, double default_value, double min, double max, std::string doc) {
  return ParamSpec{std::move(name), ParamType::real, default_value, min, max, {}, std::move(doc)};
}

ParamSpec integer_param(std::string name, std::int64_t default_value, double min, double max, std::string doc) {
  return ParamSpec{std::move(name), ParamType::integer, default_value, min, max, {}, std::move(doc)};
}

ParamSpec choice_param(std::string name, std::string default_value, std::vector<std::string> choices, std::string doc) {
  return ParamSpec{std::move(name),
                   ParamType::choice,
                   std::move(default_value),
                   -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::infinity(),
                   std::move(choices),
                   std::move(doc)};
}

ColumnSpec real_column(std::string name, std::string doc, bool nan_allowed) {
  return ColumnSpec{std::move(name), ColumnType::real, std::move(doc), nan_allowed, {}};
}

ColumnSpec integer_column(std::string name, std::string doc) {
  return ColumnSpec{std::move(name), ColumnType::integer, std::move(doc), false, {}};
}

std::string_view to_string(ParamType type) {
  switch (type) {
    case ParamType::real:
      return "real";
    case ParamType::integer:
      return "integer";
    case ParamType::choice:
      return "choice";
  }
  return "?";
}

std::string_view to_string(ColumnType type) {
  switch (type) {
    case ColumnType::real:
      return "float64";
    case ColumnType::integer:
      return "int64";
  }
  return "?";
}

ParamPoint::ParamPoint(std::span<const ParamSpec> specs, std::vector<ParamValue> values)
    : specs_(specs), values_(std::move(values)) {
  if (values_.size() != specs_.size()) throw Error("internal: parameter point does not match its specs");
}

std::size_t ParamPoint::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].name == name) return i;
  }
  throw Error("internal: experiment asked for unknown parameter '" + std::string(name) + "'");
}

double ParamPoint::real(std::string_view name) const {
  const ParamValue& v = values_[index_of(name)];
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  throw Error("internal: parameter '" + std::string(name) + "' is not numeric");
}

std::int64_t ParamPoint::integer(std::string_view name) const {
  const ParamValue& v = values_[index_of(name)];
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  throw Error("internal: parameter '" + std::string(name) + "' is not an integer");
}

const std::string& ParamPoint::choice(std::string_view name) const {
  const ParamValue& v = values_[index_of(name)];
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  throw Error("internal: parameter '" + std::string(name) + "' is not a choice");
}

ResultRow::ResultRow(std::span<const ColumnSpec> columns)
    : columns_(columns), scalars_(columns.size()), ragged_(columns.size()) {
  reset();
}

std::size_t ResultRow::index_of(std::string_view column) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == column) return i;
  }
  throw Error("internal: experiment wrote unknown column '" + std::string(column) + "'");
}

void ResultRow::set(std::string_view column, double value) { scalars_[index_of(column)] = value; }

void ResultRow::set_ragged(std::string_view column, std::vector<double> values) {
  ragged_[index_of(column)] = std::move(values);
}

void ResultRow::reset() {
  std::fill(scalars_.begin(), scalars_.end(), std::nan(""));
  for (auto& r : ragged_) r.clear();
}

ExperimentRegistry& ExperimentRegistry::instance() {
  static ExperimentRegistry registry;
  return registry;
}

void ExperimentRegistry::add(std::unique_ptr<Experiment> experiment) {
  if (find(experiment->info().name) != nullptr) {
    throw Error("internal: experiment '" + experiment->info().name + "' registered twice");
  }
  experiments_.push_back(std::move(experiment));
}

const Experiment* ExperimentRegistry::find(std::string_view name) const {
  for (const auto& e : experiments_) {
    if (e->info().name == name) return e.get();
  }
  return nullptr;
}

std::vector<const Experiment*> ExperimentRegistry::all() const {
  std::vector<const Experiment*> out;
  for (const auto& e : experiments_) out.push_back(e.get());
  std::sort(out.begin(), out.end(),
            [](const Experiment* a, const Experiment* b) { return a->info().name < b->info().name; });
  return out;
}

}  // namespace mechsweep
