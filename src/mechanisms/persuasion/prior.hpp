#pragma once
// Independent, finitely supported value distributions (spec 004 §1.1, §6.3,
// §6.4). Values are doubles compared exactly: ties between agents are the
// whole full-revelation fairness lever (§6.3), and values that come from the
// same grid or config entry are bit-identical, so `==` finds them.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mechsweep::persuasion {

// One agent's D_i: distinct values, sorted DESCENDING, each with a positive
// probability; the probabilities sum to 1 (renormalised after the check).
struct ValueDistribution {
  std::vector<double> values;
  std::vector<double> probabilities;
  int support() const { return static_cast<int>(values.size()); }
  double mean() const;
  double max() const { return values.front(); }
  double min() const { return values.back(); }
};

using Prior = std::vector<ValueDistribution>;  // agent i's D_i at index i

// Validates (spec §6.4): a non-empty support, finite values > 0, finite
// probabilities ≥ 0 summing to 1 within 1e-12. Zero-probability atoms are
// dropped and equal values merged, so they never create blocks or ties.
// `what` names the input in messages ("agent 3").
ValueDistribution make_distribution(std::span<const double> values, std::span<const double> probabilities,
                                    const std::string& what);
ValueDistribution deterministic(double value);

// V, the largest value over all agents (values are normalised so that the
// smallest is ≥ 1, spec §1.1). require_normalised() rejects V < 1 and any
// value outside [1, V], naming the agent.
double value_scale(const Prior& prior);
void require_normalised(const Prior& prior, double V);

// Π_i s_i, the number of full-revelation scenarios, saturating at INT64_MAX.
std::int64_t scenario_count(const Prior& prior);

}  // namespace mechsweep::persuasion
