#include "mechanisms/persuasion/buckets.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "mechanisms/persuasion/errors.hpp"

namespace mechsweep::persuasion {
namespace {

using detail::reject;
using detail::show;

// ln V / ln η within this relative distance of an integer is that integer:
// log() of an exact power of η is off by a few ulps.
constexpr double kIntegerRatioTolerance = 1e-9;

}  // namespace

Buckets make_buckets(double epsilon, double V) {
  if (!std::isfinite(epsilon) || epsilon <= 0.0) reject("epsilon", show(epsilon), "a finite number > 0");
  if (!std::isfinite(V) || V < 1.0) reject("V (value scale)", show(V), "a finite number ≥ 1");
  const double eta = 1.0 + epsilon;
  const double ratio = std::log(V) / std::log1p(epsilon);
  if (!(ratio <= Buckets::kMaxBuckets + kIntegerRatioTolerance * Buckets::kMaxBuckets)) {
    reject("number of buckets K = ln V / ln(1+epsilon)", show(std::ceil(ratio)),
           "≤ " + std::to_string(Buckets::kMaxBuckets) + " (raise epsilon or lower V)");
  }
  const double nearest = std::round(ratio);
  const double rounded =
      std::abs(ratio - nearest) <= kIntegerRatioTolerance * std::max(1.0, ratio) ? nearest : std::ceil(ratio);
  Buckets buckets;
  buckets.epsilon = epsilon;
  buckets.V = V;
  buckets.K = std::max(1, static_cast<int>(rounded));
  buckets.edges.resize(static_cast<std::size_t>(buckets.K) + 1);
  buckets.canonical.resize(static_cast<std::size_t>(buckets.K));
  for (int k = 0; k < buckets.K; ++k) {
    // pow rather than repeated multiplication: one rounding per edge.
    buckets.edges[static_cast<std::size_t>(k)] = std::pow(eta, k);
    buckets.canonical[static_cast<std::size_t>(k)] = buckets.edges[static_cast<std::size_t>(k)];
  }
  buckets.edges.back() = V;
  return buckets;
}

int Buckets::bucket_of(double mean) const {
  const double slack = 1.0 - kRelativeTolerance;
  if (!(mean >= slack) || !(mean <= V * (1.0 + kRelativeTolerance))) {
    reject("posterior mean", show(mean), "a number in [1, V = " + show(V) + "]");
  }
  // Interior edges edges[1..K−1]: the bucket is the number of them at or
  // below the mean (each relaxed downwards by the tolerance).
  const auto first = edges.begin() + 1;
  const auto last = edges.end() - 1;
  const auto above = std::upper_bound(first, last, mean, [slack](double m, double edge) { return m < edge * slack; });
  return static_cast<int>(above - first);
}

}  // namespace mechsweep::persuasion
