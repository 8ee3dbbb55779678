#include "mechanisms/delegation/eopr.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/probability.hpp"
#include "mechanisms/delegation/trade.hpp"
#include "solvers/lp.hpp"

namespace mechsweep::delegation {

using solvers::kInfinity;
using solvers::LinearProgram;

namespace {

void check_menus(const Market& market, const std::vector<Menu>& menus) {
  validate(market);
  if (menus.size() != static_cast<std::size_t>(market.agents)) {
    throw std::invalid_argument("delegation: " + std::to_string(menus.size()) + " menus for " +
                                std::to_string(market.agents) + " agents");
  }
  for (int j = 0; j < market.agents; ++j) {
    const auto& rays = menus[j].rays;
    for (std::size_t k = 0; k < rays.size(); ++k) {
      if (rays[k].size() != static_cast<std::size_t>(market.tasks) || !non_monotone(rays[k])) {
        throw std::invalid_argument("delegation: agent " + std::to_string(j) + "'s ray " + std::to_string(k) +
                                    " must have I entries with one negative and one positive");
      }
      for (std::size_t l = 0; l < k; ++l) {
        if (!polarized(rays[l], rays[k])) {
          throw std::invalid_argument("delegation: agent " + std::to_string(j) + "'s rays " + std::to_string(l) +
                                      " and " + std::to_string(k) + " are not polarized");
        }
      }
    }
  }
}

}  // namespace

ProfileOutcome eopr_profile(const Market& market, const std::vector<Menu>& menus, const std::vector<int>& choices) {
  const int tasks = market.tasks;
  LinearProgram lp;
  std::vector<int> ray_column(market.agents, -1);
  std::vector<int> remedial_first(market.agents, -1);
  std::vector<std::vector<std::pair<int, double>>> clearing(tasks);
  for (int j = 0; j < market.agents; ++j) {
    const auto endowment = market.row(market.status_quo, j);
    const auto cost = market.row(market.cost, j);
    if (menus[j].remedial) {
      remedial_first[j] = lp.columns();
      for (int i = 0; i < tasks; ++i) {
        const int r = lp.add_column(0.0, endowment[i], cost[i]);  // maximise −(−π·r)
        clearing[i].emplace_back(r, -1.0);
      }
    } else if (choices[j] >= 0) {
      const auto& ray = menus[j].rays[choices[j]];
      double reach = kInfinity;  // the ray stays in R^I_+
      double cost_along = 0.0;
      for (int i = 0; i < tasks; ++i) {
        if (ray[i] < 0.0) reach = std::min(reach, endowment[i] / -ray[i]);
        cost_along += cost[i] * ray[i];
      }
      ray_column[j] = lp.add_column(0.0, reach, -cost_along);
      for (int i = 0; i < tasks; ++i) clearing[i].emplace_back(ray_column[j], ray[i]);
    }
  }
  for (int i = 0; i < tasks; ++i) lp.add_row(clearing[i], 0.0, 0.0);
  const auto solution = lp.maximize();
  if (solution.status != LinearProgram::Status::optimal) {
    throw std::runtime_error("delegation: an EOPR selection LP failed although y = r = 0 is feasible");
  }
  ProfileOutcome outcome;
  outcome.lp_value = -solution.objective;
  outcome.cost = status_quo_cost(market) + outcome.lp_value;
  outcome.allocation = market.status_quo;
  for (int j = 0; j < market.agents; ++j) {
    for (int i = 0; i < tasks; ++i) {
      double& x = outcome.allocation[j * tasks + i];
      if (ray_column[j] >= 0) x += solution.primal[ray_column[j]] * menus[j].rays[choices[j]][i];
      if (remedial_first[j] >= 0) x -= solution.primal[remedial_first[j] + i];
    }
  }
  return outcome;
}

EoprValue eopr_expected_cost(const Market& market, const std::vector<Menu>& menus) {
  check_menus(market, menus);
  EoprValue value;
  // Options per agent: its rays, then keep (index −1); remedial agents have one.
  std::vector<std::vector<int>> options(market.agents);
  std::vector<std::vector<double>> weights(market.agents);
  for (int j = 0; j < market.agents; ++j) {
    std::vector<double> probabilities;
    double keep = 1.0;
    if (!menus[j].remedial) {
      for (std::size_t k = 0; k < menus[j].rays.size(); ++k) {
        const double q = uniform_probability_negative(market, j, menus[j].rays[k]);
        probabilities.push_back(q);
        keep -= q;
        if (q > 0.0) options[j].push_back(static_cast<int>(k)), weights[j].push_back(q);
      }
    }
    keep = std::max(keep, 0.0);
    probabilities.push_back(keep);
    if (keep > 0.0 || menus[j].remedial) options[j].push_back(-1), weights[j].push_back(menus[j].remedial ? 1.0 : keep);
    value.choice_probabilities.push_back(std::move(probabilities));
  }
  std::vector<std::size_t> pick(market.agents, 0);
  std::vector<int> choices(market.agents);
  while (true) {
    double probability = 1.0;
    for (int j = 0; j < market.agents; ++j) {
      choices[j] = options[j][pick[j]];
      probability *= weights[j][pick[j]];
    }
    const ProfileOutcome outcome = eopr_profile(market, menus, choices);
    value.expected_cost += probability * outcome.cost;
    value.worst_lp_value = value.profiles == 0 ? outcome.lp_value : std::max(value.worst_lp_value, outcome.lp_value);
    ++value.profiles;
    int j = 0;
    for (; j < market.agents; ++j) {
      if (++pick[j] < options[j].size()) break;
      pick[j] = 0;
    }
    if (j == market.agents) break;
  }
  return value;
}

}  // namespace mechsweep::delegation
