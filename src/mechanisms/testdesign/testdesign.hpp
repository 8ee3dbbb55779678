#pragma once
// Multi-dimensional test design (paper 003, Qiu & Shan 2025; spec 003).
//
// An agent has a 2-D type x0 ~ F. The principal's qualified set is the wedge
// H = h_A ∩ h_B with interior angle θ at its vertex O. The principal picks two
// half-plane tests h̃_A, h̃_B and a procedure: simultaneous, a fixed order, or a
// random order (A first with probability q) with or without disclosure of the
// first test. Before each test the agent may move at cost η·(path length) and
// earns 1 if selected (spec §1.4–1.7). In the manipulation setting only x0
// decides whether he is qualified; in the investment setting his final
// attributes do (spec §1.5). The principal's value (objective P_I, §1.8) is the
// probability of selecting a qualified agent; a design is feasible when no
// unqualified type is ever selected (F-almost surely).
//
// Everything is computed in the canonical frame of spec §1.2: O = (0,0),
// w_A = (1,0), w_B = (−cos θ, sin θ); the bisector of H is
// u_bis = (sin θ/2, cos θ/2). Tests are parametrised as in spec §1.3: the test
// vertex Õ is where the criteria lines, shifted inward by δ_A/η and δ_B/η, meet
// (δ = 1 gives the paper's stringent tests h⁺ with Õ = O⁺), and each test
// normal is then rotated counter-clockwise about Õ by ρ_A, ρ_B degrees.
//
// Parameters (InstanceParams; the experiment testdesign.evaluate uses the same
// names and adds the distribution):
//
//   parameter     type       default   meaning
//   angle_deg     real       60        θ, interior angle of H, in [0.5°, 179.5°] (§7.1)
//   cost_scale    real       1         η > 0; 1/η is the reach radius
//   procedure     Procedure  fixed_ab  simultaneous | fixed_ab | fixed_ba |
//                                      random_undisclosed | random_disclosed (§1.6)
//   q             real       0.5       P(test A first) for the random procedures, in [0,1];
//                                      q ∈ {0,1} is normalised to the fixed order (§7.1)
//   shift_a       real       1         δ_A: inward shift of test A in units of 1/η
//   shift_b       real       1         δ_B: inward shift of test B in units of 1/η
//   rotate_a_deg  real       0         ρ_A: CCW rotation of test A's normal about Õ
//   rotate_b_deg  real       0         ρ_B: CCW rotation of test B's normal about Õ
//
// The test angle θ̃ must lie in [0.5°, 179.5°] as well (parallel tests have no
// vertex and the kite formulas divide by sin θ̃; spec §7.1). Invalid input
// throws std::invalid_argument with a message naming the parameter at fault.
//
// Companion headers: best_response.hpp (spec §2.2–2.5, 2.7: the agent's
// closed-form best response), distribution.hpp (the type distributions) and
// evaluate.hpp (spec §1.8, 2.6, 6: the principal's payoff by quadrature, and a
// Monte Carlo cross-check).

#include <array>
#include <optional>
#include <string_view>

#include "mechanisms/testdesign/geometry.hpp"

namespace mechsweep::testdesign {

// Spec §1.6. The random procedures apply A first with probability q.
enum class Procedure { simultaneous, fixed_ab, fixed_ba, random_undisclosed, random_disclosed };
// Spec §1.5: what decides whether the agent is qualified.
enum class Setting { manipulation, investment };

inline constexpr std::array<std::string_view, 5> kProcedureLabels = {"simultaneous", "fixed_ab", "fixed_ba",
                                                                     "random_undisclosed", "random_disclosed"};
inline constexpr std::array<std::string_view, 2> kSettingLabels = {"manipulation", "investment"};
// Spec §1.4 (Section 6.2): class (i) c = C(x0,x1) + C(x1,x2), the paper's
// default; class (ii) c = C(x0,x1) + C(x0,x2), each change measured from the
// original type. Class (ii) as written violates Assumption 1, so, as the spec
// prescribes, a one-step strategy (x1 = x2) is charged C(x0,x1) once and only a
// genuine two-step strategy pays C(x0,x1) + C(x0,x2).
enum class CostModel { path_additive, origin_additive };
inline constexpr std::array<std::string_view, 2> kCostModelLabels = {"path_additive", "origin_additive"};

// Parse the lowercase label; throw std::invalid_argument listing the allowed labels.
Procedure parse_procedure(std::string_view label);
Setting parse_setting(std::string_view label);
CostModel parse_cost_model(std::string_view label);
std::string_view to_string(Procedure procedure);
std::string_view to_string(Setting setting);
std::string_view to_string(CostModel model);

// The principal's criteria H and the cost scale η, in the canonical frame (§1.2, §1.4).
struct Criteria {
  double angle = 0.0;       // θ in radians
  double cost_scale = 1.0;  // η
  Wedge wedge;              // H = h_A ∩ h_B, vertex O = (0,0)
  Vec2 bisector;            // u_bis

  double reach() const { return 1.0 / cost_scale; }
};

// Throws std::invalid_argument unless θ ∈ [0.5°, 179.5°] and 0 < η < ∞.
Criteria make_criteria(double angle_deg, double cost_scale);

// A complete design problem: criteria, tests and procedure.
struct Instance {
  Criteria criteria;
  Wedge tests;  // H̃ = h̃_A ∩ h̃_B, vertex Õ
  Procedure procedure = Procedure::fixed_ab;
  // P(A first): 1 for fixed_ab, 0 for fixed_ba, in (0,1) for the random procedures.
  double q = 1.0;
  CostModel cost_model = CostModel::path_additive;
};

// What the principal commits to. Without messages (M = ∅) it is one instance.
// With cheap talk (M = X; spec §1.6, Theorem 2) it is a menu: the agent's
// message picks an item, so he takes the best strategy of any item (reports
// are strategic, footnote 22). Items share the criteria and the test vertex Õ,
// which keeps every path homogeneous about Õ (what the quadrature relies on).
struct Mechanism {
  std::array<Instance, 2> items{};
  std::size_t size = 1;

  Mechanism() = default;
  Mechanism(const Instance& instance) : items{instance, instance} {}  // NOLINT(google-explicit-constructor)
  const Criteria& criteria() const { return items[0].criteria; }
  Vec2 vertex() const { return items[0].tests.vertex; }
  const Instance* begin() const { return items.data(); }
  const Instance* end() const { return items.data() + size; }
};

// A two-item cheap-talk menu. Throws std::invalid_argument unless both items
// have the same criteria, cost model and test vertex.
Mechanism make_menu(const Instance& first, const Instance& second);

// The tests of spec §1.3's parametrisation (units of 1/η and degrees); the
// search space of the optimiser.
struct TestParams {
  double shift_a = 1.0;
  double shift_b = 1.0;
  double rotate_a_deg = 0.0;
  double rotate_b_deg = 0.0;
};

struct InstanceParams {
  double angle_deg = 60.0;
  double cost_scale = 1.0;
  Procedure procedure = Procedure::fixed_ab;
  double q = 0.5;
  double shift_a = 1.0;
  double shift_b = 1.0;
  double rotate_a_deg = 0.0;
  double rotate_b_deg = 0.0;
  CostModel cost_model = CostModel::path_additive;
};

// Spec §1.3 recommended parametrisation; validates every field (§7.1).
Instance make_instance(const InstanceParams& params);
Instance make_instance(const Criteria& criteria, Procedure procedure, double q, const TestParams& tests,
                       CostModel cost_model = CostModel::path_additive);
// Tests given directly as half-planes (normals need not be unit; spec §7.1).
Instance make_instance(const Criteria& criteria, HalfPlane test_a, HalfPlane test_b, Procedure procedure, double q);

// Test angle θ̃ in degrees.
double test_angle_deg(const Instance& instance);

// Condition O (spec §3, Theorem 3 and Section 6.2): every agent weakly prefers a
// one-step strategy to any two-step one. Exact for Euclidean costs [D]:
// simultaneous: always; random order without disclosure: θ̃ ≥ 90° or
// sin θ̃ ≥ max(q, 1 − q); fixed orders (q ∈ {0,1}) and random order with
// disclosure: θ̃ ≥ 90° (zig-zag, resp. wait-then-project types in the
// triangles T(1/η) strictly prefer two steps whenever θ̃ < 90°).
bool condition_o(const Instance& instance);
bool condition_o(const Mechanism& mechanism);  // every item

// Exact O(1) feasibility for every type (not just F-a.s.), by vertices and convexity.
// Manipulation (spec §3, Theorem 1 bullets): N_{1/η}(H̃) ⊂ H ⇔ Õ ∈ H⁺ and both
// test edges point into cone(H); plus the vertices of the kites / triangles of
// the procedure lie in H. Investment (§2.7): H̃ ⊂ H, plus the far end
// Õ − ẽ_2·ρ·cot θ̃ of each two-step final segment that some type uses lies in H
// (random order without disclosure: only orders whose probability exceeds sin θ̃).
bool exact_feasibility(const Instance& instance, Setting setting);
bool exact_feasibility(const Mechanism& mechanism, Setting setting);  // every item
// The same check as a continuous signed length: the smallest slack against H of
// the points the check tests (edges pointing out of cone(H) count as their
// outward slope × 1/η). ≥ 0 (up to kRelativeEpsilon) iff exact_feasibility.
// The optimiser uses it to steer back from infeasible tests.
double feasibility_margin(const Instance& instance, Setting setting);

// Kite_{1→2}(ρ) of spec §2.6 (θ̃ < 90°): vertices Õ, Õ − ρ w̃_2,
// Õ − ẽ_1 ρ / sin θ̃, and the mirror image of Õ − ρ w̃_2 across L̃_1.
// `a_first` selects the order A→B, otherwise B→A; `budget` is ρ (a length).
std::array<Vec2, 4> kite_vertices(const Wedge& tests, bool a_first, double budget);
// T_{1→2}(ρ) of spec §2.6: Õ, Õ − ρ w̃_2, Õ − ẽ_1 ρ / sin θ̃.
std::array<Vec2, 3> triangle_vertices(const Wedge& tests, bool a_first, double budget);
// R_{1→2}(p) of spec §2.5 (refraction, disclosure): Õ, Õ − ẽ_1/(η sin θ̃),
// Õ − (p/η)[√(1−σ²) w̃_1 + σ ẽ_1] with σ = p sin θ̃.
std::array<Vec2, 3> refracted_triangle_vertices(const Wedge& tests, bool a_first, double p, double reach);

}  // namespace mechsweep::testdesign
