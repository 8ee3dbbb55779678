#include "mechanisms/coalition/interior.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "solvers/lp.hpp"

namespace mechsweep::coalition {

using solvers::kInfinity;
using solvers::LinearProgram;

namespace {

using Terms = std::vector<std::pair<int, double>>;

// Clp returns vertices that may sit a rounding error outside the simplex;
// callers store and re-evaluate these lotteries, so they must be exact
// probability vectors.
std::vector<double> to_distribution(std::span<const double> values) {
  std::vector<double> p(values.begin(), values.end());
  double total = 0.0;
  for (double& v : p) {
    v = std::max(v, 0.0);
    total += v;
  }
  if (total > 0.0) {
    for (double& v : p) v /= total;
  }
  return p;
}

double dot(std::span<const double> a, std::span<const double> b) {
  double sum = 0.0;
  for (std::size_t x = 0; x < a.size(); ++x) sum += a[x] * b[x];
  return sum;
}

// One row of a polytope P = {a ∈ Δ(X) : row·a ≤ bound, …}.
struct Constraint {
  std::span<const double> row;
  double bound;
};

struct PairSolution {
  bool feasible = false;
  double margin = 0.0;  // min over ranked rows of row·(upper − lower)
  std::vector<double> upper;
  std::vector<double> lower;
  std::vector<double> weights;  // the optimal dual weights on the ranked rows, a distribution
};

// max t s.t. ā, a̲ ∈ P and row·(ā − a̲) ≥ t for every ranked row. Both the
// interior test (P = W, rows = u_i(·, θ) ∀ θ) and CNTI (P = R_i(θ'_{−i}),
// rows = u_i(·, (θ_i, θ_{−i})) ∀ θ_{−i}) are this program. By LP duality its
// optimum equals min_φ [max_P φ·rows − min_P φ·rows], and the row duals are
// the minimising φ.
PairSolution best_ranked_pair(int outcomes, const std::vector<Constraint>& polytope,
                              const std::vector<std::span<const double>>& ranked) {
  const int m = outcomes;
  LinearProgram lp;
  for (int x = 0; x < 2 * m; ++x) lp.add_column(0.0, kInfinity, 0.0);
  const int upper = 0;
  const int lower = m;
  const int margin = lp.add_column(-kInfinity, kInfinity, 1.0);
  Terms terms;
  for (int first : {upper, lower}) {
    terms.clear();
    for (int x = 0; x < m; ++x) terms.emplace_back(first + x, 1.0);
    lp.add_row(terms, 1.0, 1.0);
    for (const Constraint& constraint : polytope) {
      terms.clear();
      for (int x = 0; x < m; ++x) terms.emplace_back(first + x, constraint.row[x]);
      lp.add_row(terms, -kInfinity, constraint.bound);
    }
  }
  const int first_ranked = lp.rows();
  for (const auto& row : ranked) {
    terms.clear();
    for (int x = 0; x < m; ++x) {
      terms.emplace_back(upper + x, row[x]);
      terms.emplace_back(lower + x, -row[x]);
    }
    terms.emplace_back(margin, -1.0);
    lp.add_row(terms, 0.0, kInfinity);
  }

  const auto solution = lp.maximize();
  PairSolution pair;
  if (solution.status == LinearProgram::Status::infeasible) return pair;
  if (solution.status != LinearProgram::Status::optimal) {
    throw std::runtime_error("coalition: a ranked-pair LP was not solved to optimality");
  }
  pair.feasible = true;
  const std::span<const double> primal(solution.primal);
  pair.upper = to_distribution(primal.subspan(upper, m));
  pair.lower = to_distribution(primal.subspan(lower, m));
  pair.margin = std::numeric_limits<double>::infinity();
  for (const auto& row : ranked) pair.margin = std::min(pair.margin, dot(row, pair.upper) - dot(row, pair.lower));
  // Raising a ranked row's lower bound can only lower t, so its dual is ≤ 0;
  // the negated duals sum to 1 (dual feasibility of the column t).
  std::vector<double> weights;
  for (std::size_t r = 0; r < ranked.size(); ++r) weights.push_back(-solution.row_duals[first_ranked + r]);
  pair.weights = to_distribution(weights);
  return pair;
}

}  // namespace

InteriorTest interior_reward_test(const Instance& instance) {
  std::vector<Constraint> dominated;
  for (int j = 0; j < instance.agents(); ++j) {
    for (std::size_t theta = 0; theta < instance.profiles().size(); ++theta) {
      dominated.push_back({instance.env().utility_row(j, theta), instance.uf(j, theta, theta)});
    }
  }
  InteriorTest test;
  test.min_margin = std::numeric_limits<double>::infinity();
  for (int i = 0; i < instance.agents(); ++i) {
    std::vector<std::span<const double>> ranked;
    for (std::size_t theta = 0; theta < instance.profiles().size(); ++theta) {
      ranked.push_back(instance.env().utility_row(i, theta));
    }
    PairSolution solution = best_ranked_pair(instance.outcomes(), dominated, ranked);
    InteriorPair pair;
    if (solution.feasible) {
      pair = {solution.margin, std::move(solution.upper), std::move(solution.lower)};
    } else {
      pair.margin = -std::numeric_limits<double>::infinity();
    }
    test.min_margin = std::min(test.min_margin, pair.margin);
    test.agents.push_back(std::move(pair));
  }
  test.passes = instance.strictly_greater(test.min_margin, 0.0);
  return test;
}

bool universally_dominated(const Instance& instance, std::span<const double> lottery) {
  if (lottery.size() != static_cast<std::size_t>(instance.outcomes())) {
    throw std::invalid_argument("coalition: a lottery over " + std::to_string(instance.outcomes()) +
                                " outcomes was expected, found " + std::to_string(lottery.size()) + " entries");
  }
  double total = 0.0;
  for (double p : lottery) {
    if (!std::isfinite(p) || p < -1e-9) return false;
    total += p;
  }
  if (std::abs(total - 1.0) > 1e-9) return false;
  for (int j = 0; j < instance.agents(); ++j) {
    for (std::size_t theta = 0; theta < instance.profiles().size(); ++theta) {
      if (!instance.weakly_greater(instance.uf(j, theta, theta), dot(instance.env().utility_row(j, theta), lottery))) {
        return false;
      }
    }
  }
  return true;
}

CntiPoint cnti_point(const Instance& instance, int agent, int type, std::size_t others) {
  const ProfileSpace& profiles = instance.profiles();
  if (agent < 0 || agent >= instance.agents()) {
    throw std::invalid_argument("coalition: CNTI agent " + std::to_string(agent) + " is out of range");
  }
  if (type < 0 || type >= profiles.types(agent)) {
    throw std::invalid_argument("coalition: CNTI type " + std::to_string(type) + " is out of range for agent " +
                                std::to_string(agent));
  }
  const auto opponents = profiles.embed(all_agents(instance.agents()) & ~singleton(agent));
  if (others >= opponents.size()) {
    throw std::invalid_argument("coalition: CNTI profile of the others " + std::to_string(others) + " is out of range");
  }
  // The k_i rows C a ≤ c of R, one per θ''_i, and the rows u_i(·, (θ_i, θ_{−i})) that φ mixes.
  std::vector<Constraint> reward;
  for (int other_type = 0; other_type < profiles.types(agent); ++other_type) {
    const std::size_t state = profiles.with_type(opponents[others], agent, other_type);
    reward.push_back({instance.env().utility_row(agent, state), instance.uf(agent, state, state)});
  }
  std::vector<std::span<const double>> ranked;
  for (std::size_t opponent : opponents) {
    ranked.push_back(instance.env().utility_row(agent, profiles.with_type(opponent, agent, type)));
  }
  PairSolution solution = best_ranked_pair(instance.outcomes(), reward, ranked);
  CntiPoint point;
  if (!solution.feasible) {
    point.empty_reward_set = true;
    point.belief.assign(opponents.size(), 1.0 / static_cast<double>(opponents.size()));
    return point;
  }
  point.gap = solution.margin;
  point.belief = std::move(solution.weights);
  return point;
}

CntiResult conditional_no_total_indifference(const Instance& instance) {
  CntiResult result;
  const ProfileSpace& profiles = instance.profiles();
  for (int i = 0; i < instance.agents(); ++i) {
    const std::size_t others_count = profiles.count(all_agents(instance.agents()) & ~singleton(i));
    for (int type = 0; type < profiles.types(i); ++type) {
      for (std::size_t others = 0; others < others_count; ++others) {
        CntiPoint point = cnti_point(instance, i, type, others);
        if (instance.strictly_greater(point.gap, 0.0)) continue;
        ++result.failing_points;
        if (!result.witness) {
          result.witness = CntiWitness{i, type, others, std::move(point.belief), point.gap, point.empty_reward_set};
        }
      }
    }
  }
  result.holds = result.failing_points == 0;
  return result;
}

}  // namespace mechsweep::coalition
