#include "mechanisms/delegation/eopr_sampling.hpp"

#include <cmath>
#include <map>
#include <random>
#include <stdexcept>

namespace mechsweep::delegation {

int osp_choice(const Menu& menu, std::span<const double> type) {
  // Polarization leaves at most one ray with c·κ < 0; should rounding ever
  // produce two, the most attractive one is the myopic choice.
  int choice = -1;
  double best = 0.0;
  for (std::size_t k = 0; k < menu.rays.size(); ++k) {
    double change = 0.0;
    for (std::size_t i = 0; i < type.size(); ++i) change += type[i] * menu.rays[k][i];
    if (change < best) best = change, choice = static_cast<int>(k);
  }
  return choice;
}

EoprSample sample_eopr(const Market& market, const std::vector<Menu>& menus, std::uint64_t samples,
                       std::uint64_t seed, double tolerance) {
  check_menus(market, menus);
  if (samples < 2) throw std::invalid_argument("delegation: EOPR sampling needs at least 2 samples");
  const int agents = market.agents;
  const int tasks = market.tasks;
  EoprSample sample;
  sample.welfare.assign(agents, 0.0);
  sample.trade_volume.assign(agents, 0.0);
  sample.participation_violations.assign(agents, 0);
  std::map<std::vector<int>, ProfileOutcome> outcomes;
  std::mt19937_64 rng(seed);
  std::vector<double> types;
  std::vector<int> choices(agents);
  MeanAccumulator cost;
  std::uint64_t trading_draws = 0, traders = 0;
  for (std::uint64_t s = 0; s < samples; ++s) {
    draw_types(market, rng, types);
    for (int j = 0; j < agents; ++j) choices[j] = menus[j].remedial ? -1 : osp_choice(menus[j], market.row(types, j));
    auto found = outcomes.find(choices);
    if (found == outcomes.end()) found = outcomes.emplace(choices, eopr_profile(market, menus, choices)).first;
    const ProfileOutcome& outcome = found->second;
    cost.add(outcome.cost);
    int trading = 0;
    for (int j = 0; j < agents; ++j) {
      double workload_change = 0.0, volume = 0.0, scale = 0.0;
      for (int i = 0; i < tasks; ++i) {
        const std::size_t e = static_cast<std::size_t>(j) * tasks + i;
        const double change = outcome.allocation[e] - market.status_quo[e];
        workload_change += types[e] * change;
        volume += std::abs(change);
        scale += types[e] * market.status_quo[e];
      }
      sample.welfare[j] += workload_change;
      sample.trade_volume[j] += volume;
      if (workload_change > tolerance * std::max(1.0, scale)) ++sample.participation_violations[j];
      if (volume > tolerance) ++trading;
    }
    traders += static_cast<std::uint64_t>(trading);
    if (trading > 0) ++trading_draws;
  }
  const auto n = static_cast<double>(samples);
  for (int j = 0; j < agents; ++j) {
    sample.welfare[j] /= n;
    sample.trade_volume[j] /= n;
  }
  sample.cost = cost.estimate();
  sample.any_trade_probability = static_cast<double>(trading_draws) / n;
  sample.mean_traders = static_cast<double>(traders) / n;
  sample.distinct_profiles = outcomes.size();
  return sample;
}

}  // namespace mechsweep::delegation
