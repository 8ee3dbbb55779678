#pragma once
// OSP multi-dimensional allocation (paper 002, Valenzuela-Stookey 2026; spec 002).
//
// A designer assigns n^i units of each of I task types to J agents. Agent j's
// cost of one unit of task i is private, c_j(i) > 0, drawn independently from
// a distribution on the box C_j = ∏_i [c̲_j^i, c̄_j^i]; the designer's social
// cost of j doing a unit of i is π_j(i). Agents may always demand their status
// quo σ_j (relaxed by the slack β_j ≥ 1 in the interim participation
// constraint). All computation is on expected assignments (spec §1.1: every
// feasible expected assignment is a lottery over integer allocations).
//
//   parameter  type           meaning
//   tasks      int I ≥ 2      task types
//   agents     int J ≥ 1      agents
//   units      real[I] ≥ 0    n^i, units of each task to complete
//   status_quo real[J·I] ≥ 0  σ_j(i); every task's column sums to n^i
//   cost       real[J·I]      π_j(i), the designer's cost (finite, any sign)
//   box_low    real[J·I] > 0  c̲_j^i
//   box_high   real[J·I]      c̄_j^i ≥ c̲_j^i
//   slack      real[J] ≥ 1    β_j (1 = the paper's baseline)
//   types      distribution   of c_j on its box (types.hpp); null = uniform
//
// Tables are agent-major: entry j·I + i. Companion headers: benchmarks.hpp
// (status quo, first best, the best non-choice allocation V_ND(β) as an LP,
// Lemma 1), probability.hpp (exact choice probabilities for uniform boxes),
// trade.hpp (Lemma 2's bilateral trade, polarized rays), eopr.hpp (EOPR
// selection and expected cost), theorem1.hpp (when choice has value, the
// complete-information bound) and osp_check.hpp (the generic OSP check).

#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <vector>

namespace mechsweep::delegation {

class TypeDistribution;  // types.hpp

struct Market {
  int tasks = 2;
  int agents = 2;
  std::vector<double> units;
  std::vector<double> status_quo;
  std::vector<double> cost;
  std::vector<double> box_low;
  std::vector<double> box_high;
  std::vector<double> slack;
  // How c_j is distributed on its box; null means uniform (exact choice
  // probabilities). Shared, so copies of a market share one sample.
  std::shared_ptr<const TypeDistribution> types;

  double at(const std::vector<double>& table, int agent, int task) const { return table[agent * tasks + task]; }
  std::span<const double> row(const std::vector<double>& table, int agent) const {
    return {table.data() + static_cast<std::size_t>(agent) * tasks, static_cast<std::size_t>(tasks)};
  }
};

// A sample mean with its standard error (Monte Carlo benchmarks and EOPR).
struct MonteCarloEstimate {
  double mean = 0.0;
  double standard_error = 0.0;
  std::uint64_t samples = 0;
};

// Running sums behind a MonteCarloEstimate.
class MeanAccumulator {
 public:
  void add(double value) {
    ++count_;
    sum_ += value;
    sum_squares_ += value * value;
  }
  MonteCarloEstimate estimate() const;

 private:
  std::uint64_t count_ = 0;
  double sum_ = 0.0;
  double sum_squares_ = 0.0;
};

// One type profile c (agent-major, like σ) from the market's type
// distribution. Uniform draws use 53 random bits per coordinate, so they are
// the same on every platform.
void draw_types(const Market& market, std::mt19937_64& rng, std::vector<double>& costs);

// Throws std::invalid_argument naming the first bad entry (spec §6).
void validate(const Market& market);

}  // namespace mechsweep::delegation
