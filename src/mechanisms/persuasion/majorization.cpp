#include "mechanisms/persuasion/majorization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace mechsweep::persuasion {
namespace {

void require_finite(std::span<const double> values, const char* what) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw std::invalid_argument(std::string("persuasion: ") + what + "[" + std::to_string(i) +
                                  "] = " + std::to_string(values[i]) + ", expected a finite number");
    }
  }
}

void require_same_size(std::size_t found, std::size_t expected, const char* what) {
  if (found != expected) {
    throw std::invalid_argument(std::string("persuasion: ") + what + " = " + std::to_string(found) + ", expected " +
                                std::to_string(expected));
  }
}

void require_tolerance(double tol, const char* what) {
  if (!(tol >= 0.0) || !std::isfinite(tol)) {
    throw std::invalid_argument(std::string("persuasion: ") + what + " = " + std::to_string(tol) +
                                ", expected a finite number ≥ 0");
  }
}

}  // namespace

std::vector<double> prefix_sums_smallest(std::span<const double> u) {
  require_finite(u, "utility");
  std::vector<double> q(u.begin(), u.end());
  std::sort(q.begin(), q.end());
  double sum = 0.0;
  for (double& value : q) {
    sum += value;
    value = sum;
  }
  return q;
}

ApproximationRatio approximation_ratio_at(std::span<const double> benchmark_prefix, std::span<const double> u,
                                          double zero_tol) {
  require_same_size(benchmark_prefix.size(), u.size(), "benchmark prefix length");
  require_finite(benchmark_prefix, "benchmark prefix");
  require_tolerance(zero_tol, "zero tolerance");
  const std::vector<double> q = prefix_sums_smallest(u);
  ApproximationRatio best;
  for (std::size_t j = 0; j < q.size(); ++j) {
    const double b = std::abs(benchmark_prefix[j]) <= zero_tol ? 0.0 : benchmark_prefix[j];
    const double qj = std::abs(q[j]) <= zero_tol ? 0.0 : q[j];
    double ratio = 0.0;
    if (qj == 0.0) {
      ratio = b == 0.0 ? 1.0 : (b > 0.0 ? std::numeric_limits<double>::infinity() : 0.0);
    } else {
      ratio = b / qj;
    }
    if (best.argmax_j == 0 || ratio > best.ratio) {
      best.ratio = ratio;
      best.argmax_j = static_cast<int>(j) + 1;
    }
  }
  return best;
}

double approximation_ratio(std::span<const double> benchmark_prefix, std::span<const double> u, double zero_tol) {
  return approximation_ratio_at(benchmark_prefix, u, zero_tol).ratio;
}

bool majorizes(std::span<const double> u, std::span<const double> w, double alpha, double tol) {
  require_same_size(w.size(), u.size(), "majorized vector length");
  if (!(alpha > 0.0) || !std::isfinite(alpha)) {
    throw std::invalid_argument("persuasion: alpha = " + std::to_string(alpha) + ", expected a finite number > 0");
  }
  require_tolerance(tol, "majorization tolerance");
  const std::vector<double> qu = prefix_sums_smallest(u);
  const std::vector<double> qw = prefix_sums_smallest(w);
  for (std::size_t j = 0; j < qu.size(); ++j) {
    if (alpha * qu[j] < qw[j] - tol) return false;
  }
  return true;
}

UtilitySummary summarize_utilities(std::span<const double> u, double zero_tol) {
  require_finite(u, "utility");
  require_tolerance(zero_tol, "zero tolerance");
  UtilitySummary summary;
  if (u.empty()) return summary;
  std::vector<double> sorted(u.begin(), u.end());
  std::sort(sorted.begin(), sorted.end());
  summary.min = sorted.front();
  // Gini via the sorted form Σ_i (2i − n − 1) U_(i) / (n Σ U), i = 1..n.
  double rank_weighted = 0.0;
  const double n = static_cast<double>(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double value = sorted[i];
    summary.welfare += value;
    rank_weighted += (2.0 * static_cast<double>(i + 1) - n - 1.0) * value;
    if (value <= zero_tol) {
      ++summary.zero_count;
    } else {
      summary.nash_welfare += std::log(value);
    }
  }
  if (summary.zero_count > 0) summary.nash_welfare = -std::numeric_limits<double>::infinity();
  summary.gini = summary.welfare > 0.0 ? rank_weighted / (n * summary.welfare) : 0.0;
  return summary;
}

}  // namespace mechsweep::persuasion
