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

void check_menu(const Market& market, int agent, const Menu& menu) {
  const auto& rays = menu.rays;
  for (std::size_t k = 0; k < rays.size(); ++k) {
    if (rays[k].size() != static_cast<std::size_t>(market.tasks) || !non_monotone(rays[k])) {
      throw std::invalid_argument("delegation: agent " + std::to_string(agent) + "'s ray " + std::to_string(k) +
                                  " must have I entries with one negative and one positive");
    }
    for (std::size_t l = 0; l < k; ++l) {
      if (!polarized(rays[l], rays[k])) {
        throw std::invalid_argument("delegation: agent " + std::to_string(agent) + "'s rays " + std::to_string(l) +
                                    " and " + std::to_string(k) + " are not polarized");
      }
    }
  }
}

void check_menus(const Market& market, const std::vector<Menu>& menus) {
  validate(market);
  if (menus.size() != static_cast<std::size_t>(market.agents)) {
    throw std::invalid_argument("delegation: " + std::to_string(menus.size()) + " menus for " +
                                std::to_string(market.agents) + " agents");
  }
  for (int j = 0; j < market.agents; ++j) check_menu(market, j, menus[j]);
}

ProfileOutcome eopr_profile(const Market& market, const std::vector<Menu>& menus, const std::vector<int>& choices) {
  const int tasks = market.tasks;
  // Column c of the selection LP: its bound, its designer saving (−π·Δx per
  // unit) and its volume ‖Δx‖₁ per unit, weighted by the agent's rank for the
  // tie-break.
  struct Column {
    double upper, saving, tie_weight;
  };
  std::vector<Column> columns;
  std::vector<int> ray_column(market.agents, -1);
  std::vector<int> remedial_first(market.agents, -1);
  std::vector<std::vector<std::pair<int, double>>> clearing(tasks);
  for (int j = 0; j < market.agents; ++j) {
    const auto endowment = market.row(market.status_quo, j);
    const auto cost = market.row(market.cost, j);
    const double rank = 1.0 + static_cast<double>(j + 1) / (market.agents + 1);
    if (menus[j].remedial) {
      remedial_first[j] = static_cast<int>(columns.size());
      for (int i = 0; i < tasks; ++i) {
        clearing[i].emplace_back(static_cast<int>(columns.size()), -1.0);
        columns.push_back({endowment[i], cost[i], rank});
      }
    } else if (choices[j] >= 0) {
      const auto& ray = menus[j].rays[choices[j]];
      const double reach = std::min(ray_reach(endowment, ray), kInfinity);  // the ray stays in R^I_+
      double cost_along = 0.0, length = 0.0;
      for (int i = 0; i < tasks; ++i) {
        cost_along += cost[i] * ray[i];
        length += std::abs(ray[i]);
      }
      ray_column[j] = static_cast<int>(columns.size());
      for (int i = 0; i < tasks; ++i) clearing[i].emplace_back(ray_column[j], ray[i]);
      columns.push_back({reach, -cost_along, rank * length});
    }
  }
  // Stage 1: the designer's least cost. Stage 2 (spec §6 item 22): the optimum
  // is not unique in general, so among the optimal selections take the one
  // with the least rank-weighted trade volume; per-agent outcomes are then
  // reproducible and do not depend on the simplex path.
  LinearProgram lp;
  for (const Column& column : columns) lp.add_column(0.0, column.upper, column.saving);
  for (int i = 0; i < tasks; ++i) lp.add_row(clearing[i], 0.0, 0.0);
  const auto optimum = lp.maximize();
  if (optimum.status != LinearProgram::Status::optimal) {
    throw std::runtime_error("delegation: an EOPR selection LP failed although y = r = 0 is feasible");
  }
  // With no saving the least-volume optimum is not to trade at all.
  std::vector<double> primal(columns.size(), 0.0);
  if (optimum.objective > 0.0) {
    primal = optimum.primal;
    lp.clear();
    std::vector<std::pair<int, double>> saving;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      lp.add_column(0.0, columns[c].upper, -columns[c].tie_weight);
      saving.emplace_back(static_cast<int>(c), columns[c].saving);
    }
    for (int i = 0; i < tasks; ++i) lp.add_row(clearing[i], 0.0, 0.0);
    lp.add_row(saving, optimum.objective - 1e-12 * std::max(1.0, optimum.objective), kInfinity);
    const auto tie_broken = lp.maximize();
    if (tie_broken.status == LinearProgram::Status::optimal) primal = tie_broken.primal;
  }
  ProfileOutcome outcome;
  outcome.lp_value = -optimum.objective;
  outcome.cost = status_quo_cost(market) + outcome.lp_value;
  outcome.allocation = market.status_quo;
  for (int j = 0; j < market.agents; ++j) {
    for (int i = 0; i < tasks; ++i) {
      double& x = outcome.allocation[j * tasks + i];
      if (ray_column[j] >= 0) x += primal[ray_column[j]] * menus[j].rays[choices[j]][i];
      if (remedial_first[j] >= 0) x -= primal[remedial_first[j] + i];
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
        const double q = probability_negative(market, j, menus[j].rays[k]);
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
