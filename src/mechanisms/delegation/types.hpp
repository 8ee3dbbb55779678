#pragma once
// Private cost types beyond the uniform box (spec 002 §4.1 "shape"). A
// Market's `types` is null for uniform types on the boxes, whose choice
// probabilities are exact (probability.hpp); any other distribution plugs in
// here. Everything that needs the distribution goes through two functions:
// probability_negative() (choice probabilities: EOPR, the large market,
// replicas, bilateral trades) and draw_types() (V_CI and EOPR sampling).
//
// The paper needs independence across agents and full support on the box
// (Theorem 1); within an agent the coordinates may be correlated.

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "mechanisms/delegation/market.hpp"

namespace mechsweep::delegation {

class TypeDistribution {
 public:
  virtual ~TypeDistribution() = default;
  // One type of `agent`, inside its box.
  virtual void draw(const Market& market, int agent, std::mt19937_64& rng, std::span<double> type) const = 0;
  // Pr(direction·c < 0) for c of `agent`.
  virtual double probability_negative(const Market& market, int agent, std::span<const double> direction) const = 0;
  // True when probability_negative is exact rather than an estimate.
  virtual bool exact() const = 0;
  // Throws std::invalid_argument when the distribution does not fit the market.
  virtual void check(const Market& market) const = 0;
};

// Independent coordinates c(i) = c̲_j^i + (c̄_j^i − c̲_j^i)·B with
// B ~ Beta(a, b): a = b = 1 is uniform, a = b > 1 concentrates types in the
// middle of the box, a ≠ b skews them. Choice probabilities come from a fixed
// sample of `sample_size` unit-box points per agent drawn at construction from
// `seed` (common random numbers: q(κ) is deterministic and its standard error
// is at most 0.5/√sample_size). The sample is in unit coordinates, so it
// follows the market's boxes, which may be rescaled afterwards (K10).
class BetaTypes final : public TypeDistribution {
 public:
  BetaTypes(int agents, int tasks, double a, double b, int sample_size = 8192, std::uint64_t seed = 0);

  void draw(const Market& market, int agent, std::mt19937_64& rng, std::span<double> type) const override;
  double probability_negative(const Market& market, int agent, std::span<const double> direction) const override;
  bool exact() const override { return false; }
  void check(const Market& market) const override;

 private:
  double unit_draw(std::mt19937_64& rng) const;

  int agents_, tasks_, sample_size_;
  double a_, b_;
  std::vector<double> sample_;  // agent-major: agent j's point s at (j·sample_size + s)·I
};

}  // namespace mechsweep::delegation
