#include "mechanisms/delegation/osp_check.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace mechsweep::delegation {

std::optional<OspViolation> check_osp(const FiniteProtocol& protocol, const Strategy& strategy,
                                      const std::vector<std::vector<std::vector<double>>>& types, double tolerance) {
  const int agents = static_cast<int>(protocol.actions.size());
  std::size_t profiles = 1;
  for (int count : protocol.actions) {
    if (count < 1) throw std::invalid_argument("delegation: every agent needs at least one action");
    profiles *= static_cast<std::size_t>(count);
  }
  if (protocol.outcomes.size() != profiles) {
    throw std::invalid_argument("delegation: the selection table has " + std::to_string(protocol.outcomes.size()) +
                                " profiles, expected " + std::to_string(profiles));
  }
  const auto cells = static_cast<std::size_t>(agents) * static_cast<std::size_t>(protocol.tasks);
  for (const auto& outcome : protocol.outcomes) {
    if (outcome.size() != cells) throw std::invalid_argument("delegation: an outcome needs J·I entries");
  }
  if (types.size() != static_cast<std::size_t>(agents)) {
    throw std::invalid_argument("delegation: one list of sample types per agent is needed");
  }

  // R_j^k: agent j's possible bundles after action k (the essential reduction).
  for (int j = 0; j < agents; ++j) {
    std::size_t stride = 1;
    for (int a = 0; a < j; ++a) stride *= static_cast<std::size_t>(protocol.actions[a]);
    std::vector<std::vector<std::size_t>> reach(protocol.actions[j]);
    for (std::size_t profile = 0; profile < profiles; ++profile) {
      reach[(profile / stride) % protocol.actions[j]].push_back(profile);
    }
    for (const auto& type : types[j]) {
      if (type.size() != static_cast<std::size_t>(protocol.tasks)) {
        throw std::invalid_argument("delegation: a sample type needs I entries");
      }
      const auto workload = [&](std::size_t profile) {
        double total = 0.0;
        for (int i = 0; i < protocol.tasks; ++i) total += type[i] * protocol.outcomes[profile][j * protocol.tasks + i];
        return total;
      };
      const int action = strategy(j, type);
      if (action < 0 || action >= protocol.actions[j]) {
        throw std::invalid_argument("delegation: the strategy played action " + std::to_string(action) + " for agent " +
                                    std::to_string(j));
      }
      double worst = -std::numeric_limits<double>::infinity();
      for (std::size_t profile : reach[action]) worst = std::max(worst, workload(profile));
      for (int deviation = 0; deviation < protocol.actions[j]; ++deviation) {
        if (deviation == action) continue;
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t profile : reach[deviation]) best = std::min(best, workload(profile));
        if (worst > best + tolerance) return OspViolation{j, type, action, deviation, worst, best};
      }
    }
  }
  return std::nullopt;
}

}  // namespace mechsweep::delegation
