#include "mechanisms/testdesign/testdesign.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mechsweep::testdesign {

namespace {

constexpr double kMinAngleDeg = 0.5;
constexpr double kMaxAngleDeg = 179.5;

double radians(double degrees) { return degrees * std::numbers::pi / 180.0; }
double degrees(double radians) { return radians * 180.0 / std::numbers::pi; }

template <std::size_t N>
[[noreturn]] void throw_unknown_label(std::string_view what, std::string_view label,
                                      const std::array<std::string_view, N>& allowed) {
  std::string message = "testdesign: unknown " + std::string(what) + " '" + std::string(label) + "'; allowed: ";
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) message += ", ";
    message += allowed[i];
  }
  throw std::invalid_argument(message);
}

void require_finite(double value, std::string_view name) {
  if (!std::isfinite(value)) {
    throw std::invalid_argument("testdesign: " + std::string(name) + " must be finite");
  }
}

// θ̃ = arccos(−w̃_A·w̃_B) for unit normals, computed without acos for accuracy.
void validate_test_angle(Vec2 normal_a, Vec2 normal_b) {
  const double angle = degrees(std::atan2(std::fabs(cross(normal_a, normal_b)), -dot(normal_a, normal_b)));
  if (!(angle >= kMinAngleDeg && angle <= kMaxAngleDeg)) {
    std::ostringstream message;
    message << "testdesign: the tests are (nearly) parallel: test angle " << angle << "° is outside [" << kMinAngleDeg
            << "°, " << kMaxAngleDeg << "°]; the test wedge has no usable vertex (spec 003 §7.1); change the rotations";
    throw std::invalid_argument(message.str());
  }
}

// Normalise (procedure, q) per spec §7.1: q ∈ {0,1} makes a random order a fixed one.
Instance with_procedure(const Criteria& criteria, const Wedge& tests, Procedure procedure, double q) {
  if (!(q >= 0.0 && q <= 1.0)) {
    std::ostringstream message;
    message << "testdesign: q = " << q << " must lie in [0, 1] (probability that test A goes first)";
    throw std::invalid_argument(message.str());
  }
  Instance instance{criteria, tests, procedure, q};
  switch (procedure) {
    case Procedure::simultaneous:  // q is unused; 1 keeps "A first" semantics uniform
    case Procedure::fixed_ab:
      instance.q = 1.0;
      break;
    case Procedure::fixed_ba:
      instance.q = 0.0;
      break;
    case Procedure::random_undisclosed:
    case Procedure::random_disclosed:
      if (q == 1.0) instance.procedure = Procedure::fixed_ab;
      if (q == 0.0) instance.procedure = Procedure::fixed_ba;
      break;
  }
  return instance;
}

bool in_criteria(const Criteria& criteria, Vec2 x, double scale) {
  const double tolerance = kRelativeEpsilon * (norm(x) + scale);
  return criteria.wedge.contains(x, tolerance);
}

}  // namespace

Procedure parse_procedure(std::string_view label) {
  for (std::size_t i = 0; i < kProcedureLabels.size(); ++i) {
    if (label == kProcedureLabels[i]) return static_cast<Procedure>(i);
  }
  throw_unknown_label("procedure", label, kProcedureLabels);
}

Setting parse_setting(std::string_view label) {
  for (std::size_t i = 0; i < kSettingLabels.size(); ++i) {
    if (label == kSettingLabels[i]) return static_cast<Setting>(i);
  }
  throw_unknown_label("setting", label, kSettingLabels);
}

std::string_view to_string(Procedure procedure) { return kProcedureLabels[static_cast<std::size_t>(procedure)]; }
std::string_view to_string(Setting setting) { return kSettingLabels[static_cast<std::size_t>(setting)]; }

Criteria make_criteria(double angle_deg, double cost_scale) {
  if (!(angle_deg >= kMinAngleDeg && angle_deg <= kMaxAngleDeg)) {
    std::ostringstream message;
    message << "testdesign: angle_deg = " << angle_deg << " is outside [" << kMinAngleDeg << ", " << kMaxAngleDeg
            << "]: the wedge degenerates as θ → 0° or 180° (spec 003 §7.1)";
    throw std::invalid_argument(message.str());
  }
  if (!(cost_scale > 0.0) || !std::isfinite(cost_scale)) {
    std::ostringstream message;
    message << "testdesign: cost_scale η = " << cost_scale << " must be positive and finite (spec 003 §7.1)";
    throw std::invalid_argument(message.str());
  }
  Criteria criteria;
  criteria.angle = radians(angle_deg);
  criteria.cost_scale = cost_scale;
  // Canonical frame of spec §1.2.
  const HalfPlane h_a{{1.0, 0.0}, 0.0};
  const HalfPlane h_b{{-std::cos(criteria.angle), std::sin(criteria.angle)}, 0.0};
  criteria.wedge = make_wedge(h_a, h_b);
  criteria.wedge.vertex = {0.0, 0.0};
  criteria.bisector = {std::sin(criteria.angle / 2.0), std::cos(criteria.angle / 2.0)};
  return criteria;
}

Instance make_instance(const InstanceParams& params) {
  const Criteria criteria = make_criteria(params.angle_deg, params.cost_scale);
  require_finite(params.shift_a, "shift_a");
  require_finite(params.shift_b, "shift_b");
  require_finite(params.rotate_a_deg, "rotate_a_deg");
  require_finite(params.rotate_b_deg, "rotate_b_deg");
  // Spec §1.3: Õ is where the lines s_A = δ_A/η and s_B = δ_B/η meet.
  const double reach = criteria.reach();
  const HalfPlane shifted_a{criteria.wedge.sides[0].normal, params.shift_a * reach};
  const HalfPlane shifted_b{criteria.wedge.sides[1].normal, params.shift_b * reach};
  const Vec2 test_vertex = make_wedge(shifted_a, shifted_b).vertex;
  const Vec2 normal_a = rotated(shifted_a.normal, radians(params.rotate_a_deg));
  const Vec2 normal_b = rotated(shifted_b.normal, radians(params.rotate_b_deg));
  return make_instance(criteria, half_plane_through(normal_a, test_vertex), half_plane_through(normal_b, test_vertex),
                       params.procedure, params.q);
}

Instance make_instance(const Criteria& criteria, HalfPlane test_a, HalfPlane test_b, Procedure procedure, double q) {
  const double length_a = norm(test_a.normal);
  const double length_b = norm(test_b.normal);
  if (!(length_a > 0.0) || !(length_b > 0.0) || !std::isfinite(length_a) || !std::isfinite(length_b) ||
      !std::isfinite(test_a.offset) || !std::isfinite(test_b.offset)) {
    throw std::invalid_argument(
        "testdesign: a test needs a non-zero finite normal and a finite offset (spec 003 §7.1)");
  }
  test_a = {(1.0 / length_a) * test_a.normal, test_a.offset / length_a};
  test_b = {(1.0 / length_b) * test_b.normal, test_b.offset / length_b};
  validate_test_angle(test_a.normal, test_b.normal);
  return with_procedure(criteria, make_wedge(test_a, test_b), procedure, q);
}

double test_angle_deg(const Instance& instance) { return degrees(instance.tests.angle()); }

bool condition_o(const Instance& instance) {
  const Wedge& t = instance.tests;
  // θ̃ ≥ 90° (up to the rounding of cos 90°): no two-step strategy ever helps (§2.3 item 4).
  if (t.cos_angle <= 1e-12) return true;
  switch (instance.procedure) {
    case Procedure::simultaneous:
      return true;
    case Procedure::random_undisclosed:
      return t.sin_angle >= std::max(instance.q, 1.0 - instance.q);
    case Procedure::fixed_ab:
    case Procedure::fixed_ba:
    case Procedure::random_disclosed:
      return false;
  }
  return false;
}

std::array<Vec2, 4> kite_vertices(const Wedge& tests, bool a_first, double budget) {
  const std::size_t first = a_first ? 0 : 1;
  const HalfPlane& h1 = tests.sides[first];
  const HalfPlane& h2 = tests.sides[1 - first];
  const Vec2 v = tests.vertex;
  const Vec2 foot = v - budget * h2.normal;
  return {v, foot, v - (budget / tests.sin_angle) * tests.edges[first], h1.reflect(foot)};
}

std::array<Vec2, 3> triangle_vertices(const Wedge& tests, bool a_first, double budget) {
  const std::array<Vec2, 4> kite = kite_vertices(tests, a_first, budget);
  return {kite[0], kite[1], kite[2]};
}

std::array<Vec2, 3> refracted_triangle_vertices(const Wedge& tests, bool a_first, double p, double reach) {
  const std::size_t first = a_first ? 0 : 1;
  const Vec2 v = tests.vertex;
  const Vec2 w1 = tests.sides[first].normal;
  const Vec2 e1 = tests.edges[first];
  const double sigma = p * tests.sin_angle;
  const Vec2 far = v - (reach / tests.sin_angle) * e1;
  const Vec2 third = v - (p * reach) * (std::sqrt(1.0 - sigma * sigma) * w1 + sigma * e1);
  return {v, far, third};
}

std::optional<bool> exact_feasibility(const Instance& instance, Setting setting) {
  if (setting != Setting::manipulation) return std::nullopt;
  const Criteria& c = instance.criteria;
  const Wedge& t = instance.tests;
  const double reach = c.reach();
  const double scale = reach + norm(t.vertex);
  // N_{1/η}(H̃) ⊂ H ⇔ Õ ∈ H⁺ and ẽ_A, ẽ_B ∈ cone(H) (spec §3, Theorem 1).
  const double tolerance = kRelativeEpsilon * scale;
  for (const HalfPlane& h : c.wedge.sides) {
    if (h.slack(t.vertex) < reach - tolerance) return false;
    for (const Vec2 edge : t.edges) {
      if (dot(h.normal, edge) < -kRelativeEpsilon) return false;
    }
  }
  if (t.cos_angle <= 0.0) return true;  // θ̃ ≥ 90°: every selected set equals N_{1/η}(H̃) (§2.3 item 4)
  const auto all_in = [&](const auto& points) {
    return std::all_of(points.begin(), points.end(), [&](Vec2 x) { return in_criteria(c, x, scale); });
  };
  switch (instance.procedure) {
    case Procedure::simultaneous:
      return true;
    case Procedure::fixed_ab:
      return all_in(kite_vertices(t, true, reach));
    case Procedure::fixed_ba:
      return all_in(kite_vertices(t, false, reach));
    case Procedure::random_undisclosed:
      return all_in(kite_vertices(t, true, instance.q * reach)) &&
             all_in(kite_vertices(t, false, (1.0 - instance.q) * reach));
    case Procedure::random_disclosed:
      return all_in(triangle_vertices(t, true, reach)) && all_in(triangle_vertices(t, false, reach)) &&
             all_in(refracted_triangle_vertices(t, true, instance.q, reach)) &&
             all_in(refracted_triangle_vertices(t, false, 1.0 - instance.q, reach));
  }
  return false;
}

}  // namespace mechsweep::testdesign
