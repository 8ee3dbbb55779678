#include "mechanisms/persuasion/maximal_mapping.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "mechanisms/persuasion/errors.hpp"
#include "solvers/lp.hpp"

namespace mechsweep::persuasion {
namespace {

using detail::reject;
using detail::show;

// Fills in_mean, out_mean and side from in_mass. The means are read off the
// masses rather than set to the target edge so that E[μ x] = E[v x] holds to
// rounding even where the edge tolerance admitted a value a hair off the edge.
void finish(MaximalMapping& mapping, const ValueDistribution& prior, OutSide pooled_side) {
  double in_total = 0.0;
  double in_weighted = 0.0;
  double out_total = 0.0;
  double out_weighted = 0.0;
  for (std::size_t v = 0; v < prior.values.size(); ++v) {
    const double out_mass = prior.probabilities[v] - mapping.in_mass[v];
    in_total += mapping.in_mass[v];
    in_weighted += mapping.in_mass[v] * prior.values[v];
    out_total += out_mass;
    out_weighted += out_mass * prior.values[v];
  }
  if (out_total <= 0.0) {
    // Everything pooled in (θ on the edge itself): no information.
    mapping.in_mass = prior.probabilities;
    mapping.p_in = 1.0;
    mapping.in_mean = prior.mean();
    mapping.out_mean = 0.0;
    mapping.side = OutSide::none;
    return;
  }
  mapping.p_in = in_total;
  mapping.in_mean = in_total > 0.0 ? in_weighted / in_total : 0.0;
  mapping.out_mean = out_weighted / out_total;
  mapping.side = pooled_side;
}

}  // namespace

double MaximalMapping::in_probability(const ValueDistribution& prior, int index) const {
  const auto v = static_cast<std::size_t>(index);
  return std::min(1.0, in_mass[v] / prior.probabilities[v]);
}

MaximalMapping maximal_mapping(const ValueDistribution& prior, const Buckets& buckets, int bucket) {
  if (bucket < 0 || bucket >= buckets.K) {
    reject("bucket", std::to_string(bucket), "an index in [0, K = " + std::to_string(buckets.K) + ")");
  }
  const double lower = buckets.lower(bucket);
  const double upper = buckets.upper(bucket);
  const double theta = prior.mean();
  const int theta_bucket = buckets.bucket_of(theta);  // also rejects θ outside [1, V]
  const std::size_t support = prior.values.size();
  constexpr double tol = Buckets::kRelativeTolerance;

  MaximalMapping mapping;
  mapping.bucket = bucket;
  mapping.in_mass.assign(support, 0.0);
  if (theta_bucket == bucket) {
    mapping.in_mass = prior.probabilities;
    finish(mapping, prior, OutSide::none);
    return mapping;
  }
  if (theta_bucket < bucket) {
    // Pool from below towards a. Values ≥ a go in at no cost; each unit of
    // value v < a costs (a − v) of the surplus Σ_{v≥a} π_v (v − a), so the
    // cheapest, i.e. the largest, values below a go in first. Values are
    // sorted descending, so one forward pass visits them in that order.
    double surplus = 0.0;
    std::size_t v = 0;
    for (; v < support && prior.values[v] >= lower * (1.0 - tol); ++v) {
      mapping.in_mass[v] = prior.probabilities[v];
      surplus += prior.probabilities[v] * (prior.values[v] - lower);
    }
    for (; v < support && surplus > 0.0; ++v) {
      const double cost = lower - prior.values[v];
      const double mass = std::min(prior.probabilities[v], surplus / cost);
      mapping.in_mass[v] = mass;
      surplus -= mass * cost;
    }
    finish(mapping, prior, OutSide::below);
    return mapping;
  }
  // θ ≥ b: pool from above towards t = b, assigned to this bucket by label.
  // Over the half-open [a, b) the supremum is approached only when some value
  // lies strictly below b; mass sitting exactly on b alone can never be moved
  // inside, so then p_in = 0 (a deterministic agent on b belongs to bucket k+1).
  if (!(prior.min() < upper * (1.0 - tol))) {
    finish(mapping, prior, OutSide::above);
    return mapping;
  }
  double surplus = 0.0;
  std::size_t rest = support;  // values[rest..] ≤ t, taken whole
  while (rest > 0 && prior.values[rest - 1] <= upper * (1.0 + tol)) {
    --rest;
    mapping.in_mass[rest] = prior.probabilities[rest];
    surplus += prior.probabilities[rest] * (upper - prior.values[rest]);
  }
  // The smallest values above t are the cheapest; walk up from index rest−1.
  for (std::size_t v = rest; v > 0 && surplus > 0.0; --v) {
    const double cost = prior.values[v - 1] - upper;
    const double mass = std::min(prior.probabilities[v - 1], surplus / cost);
    mapping.in_mass[v - 1] = mass;
    surplus -= mass * cost;
  }
  finish(mapping, prior, OutSide::above);
  return mapping;
}

double bayes_plausibility_residual(const MaximalMapping& mapping, const ValueDistribution& prior) {
  return mapping.p_in * mapping.in_mean + (1.0 - mapping.p_in) * mapping.out_mean - prior.mean();
}

LpMapping maximal_mapping_lp(const ValueDistribution& prior, double lower, double upper) {
  if (!(lower <= upper))
    reject("maximal-mapping interval", "[" + show(lower) + ", " + show(upper) + "]", "lower ≤ upper");
  solvers::LinearProgram lp;
  std::vector<std::pair<int, double>> above_lower;
  std::vector<std::pair<int, double>> below_upper;
  for (std::size_t v = 0; v < prior.values.size(); ++v) {
    const int column = lp.add_column(0.0, prior.probabilities[v], 1.0);
    above_lower.emplace_back(column, prior.values[v] - lower);
    below_upper.emplace_back(column, prior.values[v] - upper);
  }
  // a·Σy ≤ Σ y v ≤ b·Σy, linear in y: the in-signal's mean lies in [a, b].
  lp.add_row(above_lower, 0.0, solvers::kInfinity);
  lp.add_row(below_upper, -solvers::kInfinity, 0.0);
  const auto solution = lp.maximize();
  if (solution.status != solvers::LinearProgram::Status::optimal) {
    throw std::runtime_error("persuasion: the maximal-mapping LP did not solve to optimality");
  }
  LpMapping result;
  result.p_in = solution.objective;
  result.in_mass = solution.primal;
  return result;
}

}  // namespace mechsweep::persuasion
