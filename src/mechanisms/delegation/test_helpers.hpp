#pragma once
// The spec's base instance, shared by the delegation tests.

#include "mechanisms/delegation/market.hpp"

namespace mechsweep::delegation::test_support {

// Base instance B2 (spec 002 §3.2): I = J = 2, n = (2,2), σ_j = (1,1),
// π_1 = (1,2), π_2 = (2,1), types U[1,2]², slack β for both agents.
inline Market b2(double slack = 1.0) {
  Market market;
  market.units = {2, 2};
  market.status_quo = {1, 1, 1, 1};
  market.cost = {1, 2, 2, 1};
  market.box_low = {1, 1, 1, 1};
  market.box_high = {2, 2, 2, 2};
  market.slack = {slack, slack};
  return market;
}

// K6 (spec 002 §3.2): I = 2, n = (3,3), σ_j = (1,1), π = (1,5), (1,2), (3,1),
// types U[1,4]²; with agent 0 remedial and rays (1,−1), (−1,2): E[V] = 227/18.
inline Market k6() {
  Market market;
  market.agents = 3;
  market.units = {3, 3};
  market.status_quo = {1, 1, 1, 1, 1, 1};
  market.cost = {1, 5, 1, 2, 3, 1};
  market.box_low.assign(6, 1.0);
  market.box_high.assign(6, 4.0);
  market.slack.assign(3, 1.0);
  return market;
}

}  // namespace mechsweep::delegation::test_support
