#include "mechanisms/delegation/benchmarks.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "solvers/lp.hpp"

namespace mechsweep::delegation {

using solvers::kInfinity;
using solvers::LinearProgram;

double allocation_cost(const Market& market, const std::vector<double>& allocation) {
  double total = 0.0;
  for (std::size_t e = 0; e < allocation.size(); ++e) total += market.cost[e] * allocation[e];
  return total;
}

double status_quo_cost(const Market& market) { return allocation_cost(market, market.status_quo); }

double first_best_cost(const Market& market) {
  double total = 0.0;
  for (int i = 0; i < market.tasks; ++i) {
    double cheapest = std::numeric_limits<double>::infinity();
    for (int j = 0; j < market.agents; ++j) cheapest = std::min(cheapest, market.at(market.cost, j, i));
    total += market.units[i] * cheapest;
  }
  return total;
}

bool satisfies_status_quo(const Market& market, const std::vector<double>& allocation, double tolerance) {
  for (int j = 0; j < market.agents; ++j) {
    double worst = 0.0;
    for (int i = 0; i < market.tasks; ++i) {
      const double d = market.at(allocation, j, i) - market.slack[j] * market.at(market.status_quo, j, i);
      worst += d > 0.0 ? market.at(market.box_high, j, i) * d : market.at(market.box_low, j, i) * d;
    }
    if (worst > tolerance) return false;
  }
  return true;
}

Lemma1Bound lemma1_bound(const Market& market, const std::vector<double>& allocation) {
  Lemma1Bound bound;
  bound.boxes_intersect = true;
  for (int i = 0; i < market.tasks; ++i) {
    double common_low = 0.0;
    double common_high = std::numeric_limits<double>::infinity();
    for (int j = 0; j < market.agents; ++j) {
      common_low = std::max(common_low, market.at(market.box_low, j, i));
      common_high = std::min(common_high, market.at(market.box_high, j, i));
    }
    bound.boxes_intersect = bound.boxes_intersect && common_low <= common_high;
    for (int j = 0; j < market.agents; ++j) {
      const double excess = market.at(allocation, j, i) - market.slack[j] * market.at(market.status_quo, j, i);
      bound.lhs += (market.at(market.box_high, j, i) - common_low) * std::max(excess, 0.0);
      bound.rhs += common_low * (market.slack[j] - 1.0) * market.at(market.status_quo, j, i);
    }
  }
  return bound;
}

NonChoiceOptimum best_non_choice(const Market& market) {
  validate(market);
  // Columns per cell (j, i): m, u, v with m − βσ = u − v; c̄u − c̲v ≤ 0 per
  // agent is exact because slack in both u and v only tightens it.
  LinearProgram lp;
  const int cells = market.agents * market.tasks;
  std::vector<int> m(cells), u(cells), v(cells);
  for (int e = 0; e < cells; ++e) {
    m[e] = lp.add_column(0.0, kInfinity, -market.cost[e]);  // maximise −cost
    u[e] = lp.add_column(0.0, kInfinity, 0.0);
    v[e] = lp.add_column(0.0, kInfinity, 0.0);
  }
  std::vector<std::pair<int, double>> terms;
  for (int j = 0; j < market.agents; ++j) {
    for (int i = 0; i < market.tasks; ++i) {
      const int e = j * market.tasks + i;
      terms = {{m[e], 1.0}, {u[e], -1.0}, {v[e], 1.0}};
      const double anchor = market.slack[j] * market.status_quo[e];
      lp.add_row(terms, anchor, anchor);
    }
    terms.clear();
    for (int i = 0; i < market.tasks; ++i) {
      const int e = j * market.tasks + i;
      terms.emplace_back(u[e], market.box_high[e]);
      terms.emplace_back(v[e], -market.box_low[e]);
    }
    lp.add_row(terms, -kInfinity, 0.0);
  }
  for (int i = 0; i < market.tasks; ++i) {
    terms.clear();
    for (int j = 0; j < market.agents; ++j) terms.emplace_back(m[j * market.tasks + i], 1.0);
    lp.add_row(terms, market.units[i], market.units[i]);
  }
  const auto solution = lp.maximize();
  // σ itself is feasible (d = (1 − β)σ ≤ 0), so anything else is a solver failure.
  if (solution.status != LinearProgram::Status::optimal) {
    throw std::runtime_error("delegation: the V_ND LP did not solve although the status quo is feasible");
  }
  NonChoiceOptimum optimum;
  optimum.cost = -solution.objective;
  for (int e = 0; e < cells; ++e) optimum.allocation.push_back(solution.primal[m[e]]);
  return optimum;
}

}  // namespace mechsweep::delegation
