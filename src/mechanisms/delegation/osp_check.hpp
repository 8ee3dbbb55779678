#pragma once
// The generic OSP check for a finite trading protocol (spec 002 §2.8).
//
// Each agent picks one of finitely many actions; the selection rule maps an
// action profile to an expected assignment. Action k is obviously dominant for
// type c when, against every other action k′ ≠ k, the worst outcome of k
// (over all of the others' actions) costs c no more than the best outcome of
// k′. The check runs on a finite sample of types per agent and must be given
// the type space: on bounded boxes it accepts menus that are not polarized
// (spec K2b), which the structural test of Theorem 2 would reject.

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace mechsweep::delegation {

struct FiniteProtocol {
  int tasks = 2;
  std::vector<int> actions;  // |K_j| per agent
  // One agent-major expected assignment (J·I entries) per action profile;
  // profiles are mixed radix over the agents, agent 0 least significant.
  std::vector<std::vector<double>> outcomes;
};

using Strategy = std::function<int(int agent, std::span<const double> type)>;

struct OspViolation {
  int agent = 0;
  std::vector<double> type;
  int action = 0;     // what the strategy plays
  int deviation = 0;  // an action whose best case beats the action's worst case
  double worst_of_action = 0.0;
  double best_of_deviation = 0.0;
};

// The first violation over agents, sampled types and deviations, or nothing.
// Throws std::invalid_argument for a table of the wrong shape.
std::optional<OspViolation> check_osp(const FiniteProtocol& protocol, const Strategy& strategy,
                                      const std::vector<std::vector<std::vector<double>>>& types,
                                      double tolerance = 1e-9);

}  // namespace mechsweep::delegation
