#include "postprocess/group_stats.hpp"

#include <algorithm>
#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/count.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/min.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <boost/accumulators/statistics/variance.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.hpp"

namespace mechsweep::postprocess {

namespace acc = boost::accumulators;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();


// The NN of "qNN" as a fraction: q05 → 0.05, q50 → 0.5, q99.9 → 0.999.
std::optional<double> quantile_of(const std::string& name) {
  if (name.size() < 2 || name[0] != 'q') return std::nullopt;
  double percent = 0;
  const char* end = name.data() + name.size();
  const auto [stop, error] = std::from_chars(name.data() + 1, end, percent);
  if (error != std::errc() || stop != end || !(percent >= 0 && percent <= 100)) return std::nullopt;
  return percent / 100;
}

// numpy.quantile's default ("linear"): between the order statistics around
// (n - 1)·q.
double quantile_of_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double weight = position - static_cast<double>(below);
  return sorted[below] + weight * (sorted[above] - sorted[below]);
}

int type_rank(const store::Cell& cell) { return static_cast<int>(cell.index()); }

}  // namespace

std::vector<StatSpec> parse_stats(const std::vector<std::string>& names) {
  using Kind = StatSpec::Kind;
  static const std::map<std::string, Kind> kNamed{{"count", Kind::count}, {"mean", Kind::mean}, {"ci", Kind::ci},
                                                  {"std", Kind::std},     {"sem", Kind::sem},   {"min", Kind::min},
                                                  {"max", Kind::max}};
  std::vector<StatSpec> stats;
  std::set<std::string> seen;
  for (const std::string& name : names) {
    if (!seen.insert(name).second) throw InputError("", "--stat", "'" + name + "' is listed twice");
    if (const auto named = kNamed.find(name); named != kNamed.end()) {
      stats.push_back({named->second, 0, name});
    } else if (const auto q = quantile_of(name)) {
      stats.push_back({Kind::quantile, *q, name});
    } else {
      throw InputError("", "--stat",
                       "unknown statistic '" + name +
                           "'; expected count, mean, ci, std, sem, min, max or a percentile qNN (q05, q50, q95)");
    }
  }
  if (stats.empty()) throw InputError("", "--stat", "no statistic given");
  return stats;
}

std::vector<std::string> stat_column_names(const std::string& metric, const std::vector<StatSpec>& stats) {
  std::vector<std::string> names;
  for (const StatSpec& stat : stats) {
    if (stat.kind == StatSpec::Kind::ci) {
      names.push_back(metric + ".ci_low");
      names.push_back(metric + ".ci_high");
    } else {
      names.push_back(metric + "." + stat.name);
    }
  }
  return names;
}

struct GroupedStatistics::Moments
    : acc::accumulator_set<double, acc::stats<acc::tag::count, acc::tag::mean, acc::tag::variance, acc::tag::min,
                                              acc::tag::max>> {};

bool GroupedStatistics::KeyLess::operator()(const std::vector<store::Cell>& a,
                                            const std::vector<store::Cell>& b) const {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (type_rank(a[i]) != type_rank(b[i])) return type_rank(a[i]) < type_rank(b[i]);
    if (const auto* x = std::get_if<double>(&a[i])) {
      // NaN keys (a result column's missing value) sort last and equal each other.
      const double y = std::get<double>(b[i]);
      if (std::isnan(*x) || std::isnan(y)) {
        if (std::isnan(*x) != std::isnan(y)) return std::isnan(y);
        continue;
      }
      if (*x != y) return *x < y;
    } else if (a[i] != b[i]) {
      return a[i] < b[i];
    }
  }
  return false;
}

GroupedStatistics::GroupedStatistics(std::size_t metric_count, std::vector<StatSpec> stats, double level)
    : metric_count_(metric_count), stats_(std::move(stats)), level_(level) {
  keep_values_ = std::any_of(stats_.begin(), stats_.end(),
                             [](const StatSpec& stat) { return stat.kind == StatSpec::Kind::quantile; });
  if (!(level_ > 0 && level_ < 1)) {
    std::ostringstream found;
    found << level_;
    throw InputError("", "--level", "the confidence level must lie in (0, 1), found " + found.str());
  }
}

GroupedStatistics::GroupedStatistics(GroupedStatistics&&) noexcept = default;
GroupedStatistics& GroupedStatistics::operator=(GroupedStatistics&&) noexcept = default;
GroupedStatistics::~GroupedStatistics() = default;

void GroupedStatistics::add(const std::vector<store::Cell>& key, std::span<const double> metrics) {
  auto found = index_.find(key);
  if (found == index_.end()) {
    found = index_.emplace(key, rows_.size()).first;
    rows_.push_back(0);
    moments_.resize(moments_.size() + metric_count_);
    if (keep_values_) values_.resize(values_.size() + metric_count_);
  }
  const std::size_t cell = found->second;
  ++rows_[cell];
  for (std::size_t m = 0; m < metric_count_; ++m) {
    const double value = metrics[m];
    if (std::isnan(value)) continue;
    moments_[cell * metric_count_ + m](value);
    if (keep_values_) values_[cell * metric_count_ + m].push_back(value);
  }
}

GroupedStatistics::Result GroupedStatistics::result() const {
  Result result;
  std::size_t stat_columns = 0;
  for (const StatSpec& stat : stats_) stat_columns += stat.kind == StatSpec::Kind::ci ? 2 : 1;
  result.columns.assign(metric_count_ * stat_columns, {});
  result.keys.reserve(index_.size());
  result.rows.reserve(index_.size());
  for (auto& column : result.columns) column.reserve(index_.size());
  for (const auto& [key, cell] : index_) {
    result.keys.push_back(key);
    result.rows.push_back(rows_[cell]);
    std::size_t column = 0;
    for (std::size_t m = 0; m < metric_count_; ++m) {
      const Moments& moments = moments_[cell * metric_count_ + m];
      const auto n = static_cast<double>(acc::count(moments));
      // Boost's variance divides by n; the sample variance divides by n - 1.
      const double variance = n >= 2 ? std::max(0.0, acc::variance(moments)) * n / (n - 1) : kNaN;
      const double sem = std::sqrt(variance / n);
      std::vector<double> sorted;
      if (keep_values_) {
        sorted = values_[cell * metric_count_ + m];
        std::sort(sorted.begin(), sorted.end());
      }
      for (const StatSpec& stat : stats_) {
        switch (stat.kind) {
          case StatSpec::Kind::count:
            result.columns[column++].push_back(n);
            break;
          case StatSpec::Kind::mean:
            result.columns[column++].push_back(n > 0 ? acc::mean(moments) : kNaN);
            break;
          case StatSpec::Kind::ci: {
            double half = kNaN;
            if (n >= 2 && std::isfinite(sem)) {
              const boost::math::students_t t(n - 1);
              half = boost::math::quantile(boost::math::complement(t, (1 - level_) / 2)) * sem;
            }
            const double mean = n > 0 ? acc::mean(moments) : kNaN;
            result.columns[column++].push_back(mean - half);
            result.columns[column++].push_back(mean + half);
            break;
          }
          case StatSpec::Kind::std:
            result.columns[column++].push_back(std::sqrt(variance));
            break;
          case StatSpec::Kind::sem:
            result.columns[column++].push_back(sem);
            break;
          case StatSpec::Kind::min:
            result.columns[column++].push_back(n > 0 ? acc::min(moments) : kNaN);
            break;
          case StatSpec::Kind::max:
            result.columns[column++].push_back(n > 0 ? acc::max(moments) : kNaN);
            break;
          case StatSpec::Kind::quantile:
            result.columns[column++].push_back(quantile_of_sorted(sorted, stat.quantile));
            break;
        }
      }
    }
  }
  return result;
}

}  // namespace mechsweep::postprocess
