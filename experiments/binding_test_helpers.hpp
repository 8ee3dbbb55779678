#pragma once
// Helpers for the experiment-binding tests (header-only; not part of any library).

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sweep/experiment.hpp"

namespace mechsweep::testing {

// The registered experiment `name`; throws if it is not registered.
inline const Experiment& registered(const std::string& name) {
  const Experiment* experiment = ExperimentRegistry::instance().find(name);
  if (experiment == nullptr) throw std::logic_error(name + " is not registered");
  return *experiment;
}

// The experiment's default point with some parameters overridden.
inline ParamPoint point_with(const Experiment& experiment,
                             const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  const ExperimentInfo& info = experiment.info();
  std::vector<ParamValue> values;
  for (const ParamSpec& spec : info.params) {
    ParamValue value = spec.default_value;
    for (const auto& [name, v] : overrides) {
      if (name == spec.name) value = v;
    }
    values.push_back(value);
  }
  return ParamPoint(info.params, std::move(values));
}

// The value of the scalar column `name` in `row`.
inline double column(const ResultRow& row, const std::string& name) {
  const auto columns = row.columns();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return row.scalar(i);
  }
  throw std::logic_error("no column " + name);
}

// The values of the ragged column `name` in `row`.
inline const std::vector<double>& ragged(const ResultRow& row, const std::string& name) {
  const auto columns = row.columns();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return row.ragged(i);
  }
  throw std::logic_error("no column " + name);
}

// Every name is a column of `info`, and every parameter and column is documented.
inline std::vector<std::string> missing_or_undocumented(const ExperimentInfo& info,
                                                        const std::vector<std::string>& names) {
  std::vector<std::string> problems;
  for (const std::string& name : names) {
    bool found = false;
    for (const ColumnSpec& c : info.columns) found = found || c.name == name;
    if (!found) problems.push_back("missing column " + name);
  }
  for (const ParamSpec& spec : info.params) {
    if (spec.doc.empty()) problems.push_back("undocumented parameter " + spec.name);
  }
  for (const ColumnSpec& c : info.columns) {
    if (c.doc.empty()) problems.push_back("undocumented column " + c.name);
  }
  return problems;
}

}  // namespace mechsweep::testing
