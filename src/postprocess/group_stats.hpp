#pragma once
// The group-by of `mechsweep aggregate`: rows arrive one at a time (a key and
// one value per metric) and each cell keeps running moments (Boost.Accumulators),
// so memory grows with the number of cells, not rows. Only quantiles keep the
// cell's values (8 bytes per row and metric), because exact quantiles need
// them; they are sorted once at the end.
//
// Statistics, per metric and cell, over the values that are not NaN:
//   count   how many values
//   mean    their mean
//   ci      ci_low and ci_high: the Student-t confidence interval of the mean
//           at `level` (NaN below two values)
//   std     sample standard deviation (n - 1; NaN below two values), as pandas
//   sem     standard error of the mean, std / sqrt(count)
//   min, max
//   qNN     the NN-th percentile (q05, q50, q95, q99.9 ...), interpolated
//           linearly between order statistics as numpy.quantile does

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "store/table.hpp"

namespace mechsweep::postprocess {

struct StatSpec {
  enum class Kind { count, mean, ci, std, sem, min, max, quantile };
  Kind kind = Kind::mean;
  double quantile = 0;  // in [0, 1], for Kind::quantile
  std::string name;     // as the user wrote it: "mean", "q05", ...
};

// "mean,ci,std" → specs. Throws InputError (key `--stat`) for an unknown
// statistic or a repeated one.
std::vector<StatSpec> parse_stats(const std::vector<std::string>& names);

// The output column names of one metric's statistics: "<metric>.<stat>",
// with ci as "<metric>.ci_low" and "<metric>.ci_high".
std::vector<std::string> stat_column_names(const std::string& metric, const std::vector<StatSpec>& stats);

class GroupedStatistics {
 public:
  GroupedStatistics(std::size_t metric_count, std::vector<StatSpec> stats, double level);
  GroupedStatistics(GroupedStatistics&&) noexcept;
  GroupedStatistics& operator=(GroupedStatistics&&) noexcept;
  ~GroupedStatistics();

  // One row: its cell's key, and one value per metric (NaN: no value).
  void add(const std::vector<store::Cell>& key, std::span<const double> metrics);

  struct Result {
    std::vector<std::vector<store::Cell>> keys;  // one per cell, in key order
    std::vector<std::int64_t> rows;              // rows per cell
    // For each metric, then each of its stat columns (stat_column_names'
    // order): one value per cell.
    std::vector<std::vector<double>> columns;
  };
  Result result() const;

 private:
  struct Moments;
  struct KeyLess {
    bool operator()(const std::vector<store::Cell>& a, const std::vector<store::Cell>& b) const;
  };
  std::size_t metric_count_;
  std::vector<StatSpec> stats_;
  double level_;
  bool keep_values_;
  std::map<std::vector<store::Cell>, std::size_t, KeyLess> index_;  // key → cell
  std::vector<std::int64_t> rows_;                                  // per cell
  // Per cell and metric, at cell * metric_count_ + metric: flat, so that a new
  // cell costs one map node and no allocation of its own.
  std::vector<Moments> moments_;
  std::vector<std::vector<double>> values_;  // only for quantiles
};

}  // namespace mechsweep::postprocess
