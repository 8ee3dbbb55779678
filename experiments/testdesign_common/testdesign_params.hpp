#pragma once
// Parameters shared by the paper-003 experiments (testdesign.evaluate and
// testdesign.optimal): the criteria, the setting and the type distribution.
//
//   parameter     type     default         range / choices          meaning
//   angle_deg     real     60              [0.5, 179.5]             θ, interior angle of the qualified wedge H
//   cost_scale    real     1               (0, 1e6]                 η; 1/η is the reach radius
//   setting       choice   manipulation    manipulation | investment
//   q             real     0.5             [0, 1]                   P(test A first), random procedures only
//   distribution  choice   uniform_square  uniform_square | uniform_disk | gaussian
//   dist_scale    real     5               (0, 1e6]                 half-width / radius / σ
//   dist_offset   real     0               [−1e6, 1e6]              center = O + dist_offset·u_bis

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "mechanisms/testdesign/distribution.hpp"
#include "mechanisms/testdesign/testdesign.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments::testdesign_params {

template <std::size_t N>
std::vector<std::string> labels(const std::array<std::string_view, N>& all) {
  return {all.begin(), all.end()};
}

std::vector<ParamSpec> criteria_params();      // angle_deg, cost_scale
std::vector<ParamSpec> setting_params();       // setting, q
std::vector<ParamSpec> distribution_params();  // distribution, dist_scale, dist_offset

testdesign::Criteria criteria(const ParamPoint& point);
testdesign::Distribution distribution(const ParamPoint& point, const testdesign::Criteria& criteria);

// Runs `check` and turns its std::invalid_argument into InvalidParams naming `params`.
template <typename Check>
void attribute_to(std::vector<std::string> params, Check&& check) {
  try {
    check();
  } catch (const InvalidParams&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw InvalidParams(std::move(params), e.what());
  }
}

}  // namespace mechsweep::experiments::testdesign_params
