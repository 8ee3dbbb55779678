#include "mechanisms/testdesign/testdesign.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

#include "mechanisms/testdesign/best_response.hpp"
#include "mechanisms/testdesign/labels.hpp"

namespace mechsweep::testdesign {

namespace {

constexpr double kMinAngleDeg = 0.5;
constexpr double kMaxAngleDeg = 179.5;

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

}  // namespace

Procedure parse_procedure(std::string_view label) {
  return parse_label<Procedure>("procedure", label, kProcedureLabels);
}

Setting parse_setting(std::string_view label) { return parse_label<Setting>("setting", label, kSettingLabels); }

CostModel parse_cost_model(std::string_view label) {
  return parse_label<CostModel>("cost model", label, kCostModelLabels);
}

std::string_view to_string(CostModel model) { return kCostModelLabels[static_cast<std::size_t>(model)]; }
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
  return make_instance(make_criteria(params.angle_deg, params.cost_scale), params.procedure, params.q,
                       TestParams{params.shift_a, params.shift_b, params.rotate_a_deg, params.rotate_b_deg},
                       params.cost_model);
}

Instance make_instance(const Criteria& criteria, Procedure procedure, double q, const TestParams& params,
                       CostModel cost_model) {
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
  Instance instance = make_instance(criteria, half_plane_through(normal_a, test_vertex),
                                    half_plane_through(normal_b, test_vertex), procedure, q);
  instance.cost_model = cost_model;
  return instance;
}

Mechanism make_menu(const Instance& first, const Instance& second) {
  const Criteria& a = first.criteria;
  const Criteria& b = second.criteria;
  if (a.angle != b.angle || a.cost_scale != b.cost_scale || first.cost_model != second.cost_model) {
    throw std::invalid_argument("testdesign: the items of a menu must share the criteria, η and the cost model");
  }
  const Vec2 gap = first.tests.vertex - second.tests.vertex;
  if (norm(gap) > kRelativeEpsilon * (1.0 + norm(first.tests.vertex)) * 1e3) {
    throw std::invalid_argument("testdesign: the items of a menu must share the test vertex Õ (spec 003 Theorem 2)");
  }
  Mechanism menu(first);
  menu.items[1] = second;
  menu.items[1].tests.vertex = first.tests.vertex;  // identical, not merely within rounding
  menu.size = 2;
  return menu;
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

bool condition_o(const Mechanism& mechanism) {
  return std::all_of(mechanism.begin(), mechanism.end(), [](const Instance& item) { return condition_o(item); });
}

bool exact_feasibility(const Mechanism& mechanism, Setting setting) {
  return std::all_of(mechanism.begin(), mechanism.end(),
                     [setting](const Instance& item) { return exact_feasibility(item, setting); });
}

bool condition_o(const Instance& instance) {
  if (instance.cost_model == CostModel::origin_additive) return condition_o_by_scan(instance);
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

namespace {

// Spec §2.7: a two-step path 1→2 with budget ρ ends on the non-edge half of
// L̃_2, between Õ and Õ − ẽ_2·ρ·cot θ̃ (the projection of the kite's far vertex).
Vec2 two_step_final_endpoint(const Wedge& tests, bool a_first, double budget) {
  const Vec2 edge_2 = tests.edges[a_first ? 1 : 0];
  return tests.vertex - (budget * tests.cos_angle / tests.sin_angle) * edge_2;
}

// The smallest slack of a set of points against H: every feasibility condition
// is "these points lie in H", so one running minimum gives a continuous margin.
class Margin {
 public:
  explicit Margin(const Criteria& criteria) : criteria_(criteria) {}
  void point(Vec2 x) {
    for (const HalfPlane& h : criteria_.wedge.sides) value_ = std::fmin(value_, h.slack(x));
  }
  template <typename Points>
  void points(const Points& xs) {
    for (const Vec2 x : xs) point(x);
  }
  // H̃ ⊂ erosion(H, margin) ⇔ Õ ∈ erosion(H, margin) and both test edges point
  // into cone(H) (spec §3, Theorem 1). An edge pointing out of cone(H) leaves
  // H at infinity; its outward slope, scaled by the reach, keeps the margin
  // continuous in the test rotation.
  void test_wedge(const Wedge& tests, double erosion) {
    for (const HalfPlane& h : criteria_.wedge.sides) {
      value_ = std::fmin(value_, h.slack(tests.vertex) - erosion);
      for (const Vec2 edge : tests.edges) value_ = std::fmin(value_, criteria_.reach() * dot(h.normal, edge));
    }
  }
  double value() const { return value_; }

 private:
  const Criteria& criteria_;
  double value_ = std::numeric_limits<double>::infinity();
};

// The point where s̃_1 = −a and s̃_2 = −b (slacks of the tests of order 1→2).
Vec2 slack_point(const Wedge& tests, bool a_first, double a, double b) {
  const HalfPlane& h1 = tests.sides[a_first ? 0 : 1];
  const HalfPlane& h2 = tests.sides[a_first ? 1 : 0];
  return make_wedge(HalfPlane{h1.normal, h1.offset - a}, HalfPlane{h2.normal, h2.offset - b}).vertex;
}

// Cost class (ii) (§1.4, §8). An order 1→2 whose split strategy buys
// selection when d(x0,h̃_1) + w·d(x0,h̃_2) ≤ ρ (ρ the budget as a length, w the
// probability that the second leg is walked) selects the convex region
// {s̃_1 ≥ −ρ, w s̃_2 ≥ −ρ, s̃_1 + w s̃_2 ≥ −ρ}, with vertices P1 (s̃_1 = −ρ,
// s̃_2 = 0) and P2 (s̃_1 = 0, s̃_2 = −ρ/w) and the recession cone of H̃. Its
// final points (investment) fill the triangle Õ, P1, P4 (s̃_1 = −ρ,
// s̃_2 = ρ cos θ̃: types in h̃_2 that leave for test 1 and return for free)
// and the segment of L̃_2 from Õ to P3 (s̃_2 = 0, s̃_1 = −(ρ/w) cos θ̃). For
// θ̃ ≥ 90° one step is never dearer than a split, so nothing is added.
void add_split_region(Margin& margin, const Wedge& tests, bool a_first, double budget, double weight, Setting setting) {
  if (tests.cos_angle <= 0.0 || budget <= 0.0) return;
  if (setting == Setting::manipulation) {
    margin.point(slack_point(tests, a_first, budget, 0.0));
    margin.point(slack_point(tests, a_first, 0.0, budget / weight));
    return;
  }
  margin.point(slack_point(tests, a_first, budget, 0.0));
  margin.point(slack_point(tests, a_first, budget, -budget * tests.cos_angle));
  margin.point(slack_point(tests, a_first, budget * tests.cos_angle / weight, 0.0));
}

double origin_additive_margin(const Instance& instance, Setting setting) {
  const Criteria& c = instance.criteria;
  const Wedge& t = instance.tests;
  const double reach = c.reach();
  const double q = instance.q;
  Margin margin(c);
  margin.test_wedge(t, setting == Setting::manipulation ? reach : 0.0);
  switch (instance.procedure) {
    case Procedure::simultaneous:
      break;
    case Procedure::fixed_ab:
      add_split_region(margin, t, true, reach, 1.0, setting);
      break;
    case Procedure::fixed_ba:
      add_split_region(margin, t, false, reach, 1.0, setting);
      break;
    case Procedure::random_undisclosed:
      add_split_region(margin, t, true, q * reach, 1.0, setting);
      add_split_region(margin, t, false, (1.0 - q) * reach, 1.0, setting);
      break;
    case Procedure::random_disclosed:
      add_split_region(margin, t, true, q * reach, q, setting);
      add_split_region(margin, t, false, (1.0 - q) * reach, 1.0 - q, setting);
      break;
  }
  return margin.value();
}

}  // namespace

double feasibility_margin(const Instance& instance, Setting setting) {
  if (instance.cost_model == CostModel::origin_additive) return origin_additive_margin(instance, setting);
  const Criteria& c = instance.criteria;
  const Wedge& t = instance.tests;
  const double reach = c.reach();
  const bool acute = t.cos_angle > 0.0;  // θ̃ < 90°: two-step strategies exist (§2.3 item 4)
  Margin margin(c);
  if (setting == Setting::manipulation) {
    margin.test_wedge(t, reach);  // N_{1/η}(H̃) ⊂ H
    if (!acute) return margin.value();
    switch (instance.procedure) {
      case Procedure::simultaneous:
        break;
      case Procedure::fixed_ab:
        margin.points(kite_vertices(t, true, reach));
        break;
      case Procedure::fixed_ba:
        margin.points(kite_vertices(t, false, reach));
        break;
      case Procedure::random_undisclosed:
        margin.points(kite_vertices(t, true, instance.q * reach));
        margin.points(kite_vertices(t, false, (1.0 - instance.q) * reach));
        break;
      case Procedure::random_disclosed:
        margin.points(triangle_vertices(t, true, reach));
        margin.points(triangle_vertices(t, false, reach));
        margin.points(refracted_triangle_vertices(t, true, instance.q, reach));
        margin.points(refracted_triangle_vertices(t, false, 1.0 - instance.q, reach));
        break;
    }
    return margin.value();
  }
  // Investment: one-step and staying types end in H̃; the two-step types of
  // each order end on a segment from Õ, so by convexity its far end decides.
  margin.test_wedge(t, 0.0);
  if (!acute) return margin.value();
  switch (instance.procedure) {
    case Procedure::simultaneous:
      break;
    case Procedure::fixed_ab:
      margin.point(two_step_final_endpoint(t, true, reach));
      break;
    case Procedure::fixed_ba:
      margin.point(two_step_final_endpoint(t, false, reach));
      break;
    case Procedure::random_undisclosed:
      // An order's two-step path is ever chosen iff its kite leaves
      // disk(Õ, 1/η), i.e. iff its probability exceeds sin θ̃ (spec §2.6, §3
      // Theorem 3); otherwise one step always does at least as well.
      if (instance.q > t.sin_angle) margin.point(two_step_final_endpoint(t, true, instance.q * reach));
      if (1.0 - instance.q > t.sin_angle) margin.point(two_step_final_endpoint(t, false, (1.0 - instance.q) * reach));
      break;
    case Procedure::random_disclosed:
      // The wait-then-project triangles T(1/η) reach the far end for every q;
      // the refracted paths end inside the same segments (§2.5).
      margin.point(two_step_final_endpoint(t, true, reach));
      margin.point(two_step_final_endpoint(t, false, reach));
      break;
  }
  return margin.value();
}

bool exact_feasibility(const Instance& instance, Setting setting) {
  // Points exactly on a criterion line are qualified (spec §1.9); the tested
  // points lie within (1 + 1/sin θ̃)/η of Õ, which sets the rounding scale.
  const Wedge& t = instance.tests;
  const double tolerance = kRelativeEpsilon * (norm(t.vertex) + instance.criteria.reach() * (1.0 + 1.0 / t.sin_angle));
  return feasibility_margin(instance, setting) >= -tolerance;
}

}  // namespace mechsweep::testdesign
