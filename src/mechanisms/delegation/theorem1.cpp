#include "mechanisms/delegation/theorem1.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "mechanisms/delegation/benchmarks.hpp"
#include "solvers/lp.hpp"

namespace mechsweep::delegation {

using solvers::kInfinity;
using solvers::LinearProgram;

namespace {

constexpr int kMaxCornerTasks = 8;  // 2^I corners per candidate pair

// A γ with δ·γ ≤ −1, c'·γ ≤ −1, c''·γ ≥ 1 (spec §2.4 step 3: homogeneous,
// so ±1 stand in for the strict signs), or nothing.
std::optional<std::vector<double>> separating_trade(std::span<const double> delta, std::span<const double> first,
                                                    std::span<const double> second) {
  LinearProgram lp;
  const int tasks = static_cast<int>(delta.size());
  // The system is homogeneous, so a box loses nothing; it also keeps Clp's
  // dual simplex away from free columns, where it misreported a feasible
  // instance of this system as infeasible.
  constexpr double kBox = 1e6;
  for (int i = 0; i < tasks; ++i) lp.add_column(-kBox, kBox, 0.0);
  std::vector<std::pair<int, double>> terms(tasks);
  const auto row = [&](std::span<const double> coefficients, double lower, double upper) {
    for (int i = 0; i < tasks; ++i) terms[i] = {i, coefficients[i]};
    lp.add_row(terms, lower, upper);
  };
  row(delta, -kInfinity, -1.0);
  row(first, -kInfinity, -1.0);
  row(second, 1.0, kInfinity);
  const auto solution = lp.maximize();
  if (solution.status != LinearProgram::Status::optimal) return std::nullopt;
  return solution.primal;
}

}  // namespace

Theorem1Report theorem1(const Market& market) {
  validate(market);
  Theorem1Report report;
  const int tasks = market.tasks;
  report.common_box = true;
  for (int j = 1; j < market.agents; ++j) {
    for (int i = 0; i < tasks; ++i) {
      report.common_box = report.common_box && market.at(market.box_low, j, i) == market.at(market.box_low, 0, i) &&
                          market.at(market.box_high, j, i) == market.at(market.box_high, 0, i);
    }
  }
  report.positive_status_quo =
      std::all_of(market.status_quo.begin(), market.status_quo.end(), [](double s) { return s > 0.0; });
  report.full_dimension = true;
  for (int i = 0; i < tasks; ++i) {
    const bool spread = market.at(market.box_low, 0, i) < market.at(market.box_high, 0, i);
    report.nondegenerate = report.nondegenerate || spread;
    report.full_dimension = report.full_dimension && spread;
  }
  for (int a = 0; a < market.agents; ++a) {
    for (int b = a + 1; b < market.agents; ++b) {
      for (int i = 0; i < tasks; ++i) {
        report.performance_differs =
            report.performance_differs || market.at(market.cost, a, i) != market.at(market.cost, b, i);
      }
    }
  }
  report.baseline_slack = std::all_of(market.slack.begin(), market.slack.end(), [](double s) { return s == 1.0; });
  if (report.baseline_slack && report.full_dimension && report.common_box) {
    report.non_choice_gap = best_non_choice(market).cost - status_quo_cost(market);
  }
  if (!report.hypotheses() || !report.condition_i() || tasks > kMaxCornerTasks) return report;

  // Proposition 1: for every ordered pair whose δ has a positive coordinate
  // and every two corners of the common box, try both orderings.
  std::vector<std::vector<double>> corners;
  for (int mask = 0; mask < (1 << tasks); ++mask) {
    std::vector<double> corner(tasks);
    for (int i = 0; i < tasks; ++i) {
      corner[i] = ((mask >> i) & 1) != 0 ? market.at(market.box_high, 0, i) : market.at(market.box_low, 0, i);
    }
    corners.push_back(std::move(corner));
  }
  std::vector<double> delta(tasks);
  for (int first = 0; first < market.agents; ++first) {
    for (int second = 0; second < market.agents; ++second) {
      if (first == second) continue;
      bool positive = false;
      for (int i = 0; i < tasks; ++i) {
        delta[i] = market.at(market.cost, first, i) - market.at(market.cost, second, i);
        positive = positive || delta[i] > 0.0;
      }
      if (!positive) continue;
      for (const auto& buyer_corner : corners) {
        for (const auto& seller_corner : corners) {
          const auto gamma = separating_trade(delta, buyer_corner, seller_corner);
          if (!gamma) continue;
          // The largest scale that keeps both bundles non-negative (condition 1).
          double scale = kInfinity;
          for (int i = 0; i < tasks; ++i) {
            const double g = (*gamma)[i];
            if (g < 0.0) scale = std::min(scale, market.at(market.status_quo, first, i) / -g);
            if (g > 0.0) scale = std::min(scale, market.at(market.status_quo, second, i) / g);
          }
          BilateralTrade trade{first, second, *gamma};
          for (double& g : trade.trade) g *= scale;
          if (!check_bilateral(market, trade).improves()) continue;
          const double gain = bilateral_value(market, trade).gain;
          if (!report.witness || gain > report.witness_gain) {
            report.witness = trade;
            report.witness_gain = gain;
          }
        }
      }
    }
  }
  return report;
}

double complete_information_cost(const Market& market, std::span<const double> costs) {
  LinearProgram lp;
  const int cells = market.agents * market.tasks;
  for (int e = 0; e < cells; ++e) lp.add_column(0.0, kInfinity, -market.cost[e]);
  std::vector<std::pair<int, double>> terms;
  for (int i = 0; i < market.tasks; ++i) {
    terms.clear();
    for (int j = 0; j < market.agents; ++j) terms.emplace_back(j * market.tasks + i, 1.0);
    lp.add_row(terms, market.units[i], market.units[i]);
  }
  for (int j = 0; j < market.agents; ++j) {
    terms.clear();
    double workload = 0.0;
    for (int i = 0; i < market.tasks; ++i) {
      const int e = j * market.tasks + i;
      terms.emplace_back(e, costs[e]);
      workload += costs[e] * market.status_quo[e];
    }
    lp.add_row(terms, -kInfinity, workload);
  }
  const auto solution = lp.maximize();
  if (solution.status != LinearProgram::Status::optimal) {
    throw std::runtime_error("delegation: the complete-information LP failed although σ is feasible");
  }
  return -solution.objective;
}

MonteCarloEstimate complete_information_bound(const Market& market, std::uint64_t samples, std::uint64_t seed) {
  validate(market);
  if (samples < 2) throw std::invalid_argument("delegation: a Monte Carlo estimate needs at least 2 samples");
  std::mt19937_64 rng(seed);
  std::vector<double> costs;
  MeanAccumulator cost;
  for (std::uint64_t s = 0; s < samples; ++s) {
    draw_types(market, rng, costs);
    cost.add(complete_information_cost(market, costs));
  }
  return cost.estimate();
}

}  // namespace mechsweep::delegation
