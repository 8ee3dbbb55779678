#include "experiments/testdesign_common/testdesign_params.hpp"

#include <cmath>

namespace mechsweep::experiments::testdesign_params {

namespace td = mechsweep::testdesign;

namespace {
// The smallest positive double: an inclusive lower bound that means "> 0".
const double kSmallestScale = std::nextafter(0.0, 1.0);
}  // namespace

std::vector<ParamSpec> criteria_params() {
  return {
      real_param("angle_deg", 60.0, 0.5, 179.5, "θ: interior angle of the qualified wedge H, in degrees (spec §1.2)"),
      real_param("cost_scale", 1.0, kSmallestScale, 1e6,
                 "η > 0: cost per unit path length; 1/η is the reach radius (spec §1.4)"),
  };
}

std::vector<ParamSpec> setting_params() {
  return {
      choice_param("setting", "manipulation", labels(td::kSettingLabels),
                   "manipulation: x0 decides qualification; investment: the final attributes do (spec §1.5)"),
      real_param("q", 0.5, 0.0, 1.0, "P(test A first) for the random procedures; q ∈ {0,1} is a fixed order"),
  };
}

std::vector<ParamSpec> distribution_params() {
  return {
      choice_param("distribution", "uniform_square", labels(td::kDistributionLabels), "type distribution F"),
      real_param("dist_scale", 5.0, kSmallestScale, 1e6,
                 "> 0: half-width of the square, radius of the disk, or σ of the Gaussian"),
      real_param("dist_offset", 0.0, -1e6, 1e6, "center of F = O + dist_offset·u_bis (u_bis: bisector of H)"),
  };
}

td::Criteria criteria(const ParamPoint& point) {
  return td::make_criteria(point.real("angle_deg"), point.real("cost_scale"));
}

td::Distribution distribution(const ParamPoint& point, const td::Criteria& criteria) {
  return td::make_distribution(td::parse_distribution_kind(point.choice("distribution")),
                               point.real("dist_offset") * criteria.bisector, point.real("dist_scale"));
}

}  // namespace mechsweep::experiments::testdesign_params
