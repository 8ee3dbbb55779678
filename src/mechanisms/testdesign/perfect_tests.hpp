#pragma once
// Perfect tests and general convex criteria (paper 003 §6.1, Props 3–5 and
// Corollary 1; spec 003 §3 "Section 6.1: perfect tests", §1.6, §1.9).
//
// A perfect test outputs the agent's current attributes, so the principal can
// require exact points, and the second requirement may depend on the first
// observation ("adaptive"). Costs are Euclidean, C(x, y) = η‖x − y‖ (spec §1.4);
// the agent earns 1 if selected; the setting is manipulation (only x0 decides
// whether he is qualified) and the objective is P_I (spec §1.8).
//
// Throughout, r = 1/η is the reach radius and Q = H ⊖ B_r = {x ∈ H : d(x, ∂H) ≥ r}
// the erosion of H (for the wedge, Q = H⁺: the wedge with vertex O⁺ and the
// same normals, spec §1.3). The key identity behind every closed form below:
// for a message / first point m ∈ H, meeting the requirements costs
//   cost(m) = η‖x0 − m‖ + min(η d(m, Q), 1),                                  (★)
// because the second leg is η d(m, Q) when that is ≤ 1 and exactly 1 otherwise.
//
// Prop 3 (wedge H, cheap talk M = X). For a message m (spec §3):
//   m ∈ H⁺:      both tests require m;
//   m ∉ H:       both tests require "some point of H⁺" (left free by the paper);
//   m ∈ H \ H⁺:  test 1 requires m; test 2 requires Π_{H⁺}(m) if C(m, H⁺) ≤ 1,
//                else m + r·(Π_{H⁺}(m) − m)/‖Π_{H⁺}(m) − m‖, a point of H (by
//                convexity) at cost exactly 1 from m.
// Best response (derivation):
//   * every message m ∈ H costs (★) with Q = H⁺, and η‖x0 − m‖ + η d(m, H⁺) ≥
//     η d(x0, H⁺) because d(·, H⁺) is 1-Lipschitz; a message outside H costs at
//     least η d(x0, H⁺) whatever point the principal names;
//   * x0 ∈ H: the truthful message m = x0 costs min(η d(x0, H⁺), 1), which is
//     optimal: if d(x0, H⁺) ≤ r nothing beats η d(x0, H⁺); otherwise every
//     message costs ≥ min(η d(x0, H⁺), 1 + η‖x0 − m‖) ≥ 1;
//   * x0 ∉ H: the segment from x0 to any z ∈ H⁺ leaves H at some y ∈ ∂H with
//     ‖y − z‖ ≥ r (B(z, r) ⊂ H), so η d(x0, H⁺) ≥ 1 + η d(x0, H) > 1; every
//     point of ∂H is at distance ≥ r from H⁺ (tie: exactly r on the flat part),
//     so m = Π_H(x0) costs exactly 1 + η d(x0, H), and no m ∈ H does better
//     because η‖x0 − m‖ ≥ η d(x0, H) and the second leg is ≥ 1 there or the
//     total ≥ η d(x0, H⁺). Hence, for every x0,
//       K*(x0) = min(η d(x0, H⁺), 1 + η d(x0, H)),
//     ≤ 1 exactly on H: the mechanism is feasible and reaches the first best F(H).
// Corollary 1 (M = ∅, the agent chooses the first test): the first perfect test
// plays the role of the message, but now costs η‖x0 − x1‖; the principal
// applies Prop 3's rule to x1 (x1 ∉ H is rejected). For x1 ∈ H this is exactly
// the cost (★) of perfect_test_cost, so the minimal cost and the optimal x1 are
// those of perfect_test_best_response. It is Prop 4 with Q = H⁺; not coded
// separately (a wedge is unbounded, so ConvexPolygon cannot hold it).
//
// Prop 4 (bounded convex polygon H, no messages). Test 1 passes iff x1 ∈ H and
// accepts at once if x1 ∈ Q; otherwise with r1 = d(x1, Q), test 2 requires
// x2 ∈ {d(·, Q) = r1 − r} if r1 > r (the cheapest such x2 is the point at
// distance r along the segment to Π_Q(x1): cost exactly 1) and x2 ∈ Q if
// r1 ≤ r. So x1 ∈ H costs (★), and by the same argument as for Prop 3,
//   K*(x0) = min(η d(x0, Q), 1 + η d(x0, H)),  attained at x1 = x0 for x0 ∈ H
// and x1 = Π_H(x0) otherwise; for x0 ∉ H it exceeds 1 (it is > 1 + 0).
//
// Prop 5 (single test). A single test reaches the first best iff H equals its
// morphological opening (H ⊖ B_r) ⊕ B_r. For a convex polygon with a non-empty
// erosion, area(opening) = area(Q) + perimeter(Q)·r + π r² (Steiner), and each
// corner of interior angle α loses r²[cot(α/2) − (π − α)/2] > 0 when Q keeps all
// edges (the wedge's |Λ_sim|, spec §3 Prop 1), so no polygon passes. Discs and
// rounded rectangles with corner radius ≥ r pass; ConvexPolygon cannot express
// them.
//
// Parameters: the wedge comes from Criteria (angle_deg ∈ [0.5°, 179.5°],
// cost_scale η > 0, testdesign.hpp); a polygon is a list of closed half-planes
// with unit inward normals that must intersect in a bounded set of positive
// area; `reach` = 1/η must be positive and finite. Tie convention (spec §1.9):
// a type is selected when its minimal cost is ≤ 1 + kPerfectTestCostTolerance.
// Invalid input throws std::invalid_argument naming the parameter. Per-point
// functions do not allocate; polygons allocate once, at construction.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "mechanisms/testdesign/distribution.hpp"
#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/geometry.hpp"
#include "mechanisms/testdesign/testdesign.hpp"

namespace mechsweep::testdesign {

// Utility slack of the tie convention (spec §1.9): cost 1 is selected, and a
// cost that exceeds 1 only by rounding is too.
inline constexpr double kPerfectTestCostTolerance = 1e-12;

// ---------------------------------------------------------------- Prop 3 (wedge)

// H⁺ = H ⊖ B_{1/η}: the wedge with vertex O⁺ = O + u_bis/(η sin(θ/2)) and H's normals.
Wedge eroded_wedge(const Criteria& criteria);

enum class PerfectTestCase {
  immediate,       // m ∈ H⁺: both tests require m
  walk_to_eroded,  // m ∈ H \ H⁺, C(m, H⁺) ≤ 1: test 2 requires Π_{H⁺}(m)
  exhaust_budget,  // m ∈ H \ H⁺, C(m, H⁺) > 1: test 2 requires a point of H at cost exactly 1 from m
  outside,         // m ∉ H: both tests require some point of H⁺
};

struct PerfectTestRequirement {
  PerfectTestCase kind = PerfectTestCase::outside;
  Vec2 first{};   // point required by test 1
  Vec2 second{};  // point required by test 2
};

// The points Prop 3's mechanism requires after message m. For kind `outside`
// the paper leaves the point free; we name Π_{H⁺}(m), but perfect_test_cost
// charges the point most favourable to the agent (see there).
PerfectTestRequirement perfect_test_requirement(const Criteria& criteria, Vec2 message);

// The agent's minimal total cost (utility units, η × length) of being selected
// after sending `message`: η‖x0 − first‖ + η‖first − second‖. For m ∉ H it is
// η d(x0, H⁺), the cheapest point of H⁺ for him: a lower bound for any point
// the principal may name, hence the conservative choice for feasibility; it
// never changes the best response, since the message Π_{H⁺}(x0) ∈ H⁺ costs the same.
double perfect_test_cost(const Criteria& criteria, Vec2 x0, Vec2 message);

struct PerfectTestResponse {
  double cost = 0.0;      // K*(x0) = min over messages of perfect_test_cost
  Vec2 message{};         // an optimal message: x0 itself for x0 ∈ H, Π_H(x0) otherwise
  bool selected = false;  // cost ≤ 1 (spec §1.9 tie convention)
};

// Closed form K*(x0) = min(η d(x0, H⁺), 1 + η d(x0, H)); see the derivation above.
PerfectTestResponse perfect_test_best_response(const Criteria& criteria, Vec2 x0);

// Monte Carlo value of Prop 3's mechanism (manipulation): P(selected and x0 ∈ H)
// with `samples` draws from an mt19937_64 seeded with `seed`. The mechanism
// reaches the first best, so this estimates F(H). Investment is rejected:
// there the simultaneous (h_A, h_B) already reaches the first best F(N_{1/η}(H))
// with ordinary tests (spec §3 Prop 2), so perfect tests add nothing. Throws
// std::invalid_argument for Setting::investment or samples == 0.
MonteCarloEstimate perfect_test_value(const Criteria& criteria, Setting setting, const Distribution& distribution,
                                      std::uint64_t seed, std::uint64_t samples);

// ---------------------------------------------------------------- convex polygons

// A bounded convex polygon given as the intersection of closed half-planes.
// Vertices come from the pairwise intersections of the boundary lines that lie
// in every half-plane, deduplicated and sorted counter-clockwise. A polygon may
// degenerate to a segment or a point (an erosion can); from_half_planes of a
// set with empty interior is allowed for that reason, but callers that need an
// area check it.
class ConvexPolygon {
 public:
  // Throws std::invalid_argument for fewer than 3 half-planes, a non-unit or
  // non-finite normal, a non-finite offset, an unbounded intersection (e.g. a
  // wedge: for it use Prop 3, whose Q is H⁺) or an empty one.
  static ConvexPolygon from_half_planes(std::span<const HalfPlane> sides);
  // As from_half_planes, but an empty intersection gives nullopt (other errors still throw).
  static std::optional<ConvexPolygon> try_from_half_planes(std::span<const HalfPlane> sides);

  const std::vector<HalfPlane>& sides() const { return sides_; }
  // Counter-clockwise; 1 vertex for a point, 2 for a segment.
  const std::vector<Vec2>& vertices() const { return vertices_; }
  // Number of edges (= vertices for a proper polygon).
  std::size_t edge_count() const { return vertices_.size(); }

  // x in every half-plane up to the relative tolerance of spec §1.9.
  bool contains(Vec2 x) const;
  Vec2 nearest_point(Vec2 x) const;
  double distance(Vec2 x) const;
  double area() const;
  // Length of the boundary; twice the length for a segment, 0 for a point
  // (the convention that makes Steiner's formula hold for degenerate sets).
  double perimeter() const;

 private:
  ConvexPolygon() = default;  // only the factories make polygons: a polygon always has a vertex

  std::vector<HalfPlane> sides_;
  std::vector<Vec2> vertices_;
  double scale_ = 1.0;  // max ‖vertex‖ + 1: the size for relative tolerances
};

// Q = H ⊖ B_reach, every half-plane shifted inward by `reach`; nullopt when empty.
// Throws std::invalid_argument unless 0 < reach < ∞.
std::optional<ConvexPolygon> try_erode(const ConvexPolygon& polygon, double reach);
// As try_erode, but an empty erosion throws std::invalid_argument.
ConvexPolygon erode(const ConvexPolygon& polygon, double reach);

// ---------------------------------------------------------------- Prop 4 (convex H)

struct AdaptiveResponse {
  double cost = 0.0;      // K*(x0) = min over x1 of the cost of meeting both tests
  Vec2 x1{};              // optimal first attributes: x0 for x0 ∈ H, Π_H(x0) otherwise
  Vec2 x2{};              // cheapest second attributes after x1
  bool selected = false;  // cost ≤ 1 (spec §1.9)
};

// Prop 4's two adaptive perfect tests for a bounded convex polygon H.
class AdaptivePolygonMechanism {
 public:
  // Computes Q = H ⊖ B_{1/η} once. Throws std::invalid_argument unless
  // 0 < cost_scale < ∞ and Q is non-empty (otherwise no type can be accepted
  // at once and the construction is void).
  AdaptivePolygonMechanism(ConvexPolygon criteria, double cost_scale);

  const ConvexPolygon& criteria() const { return criteria_; }
  const ConvexPolygon& inner() const { return inner_; }  // Q
  double cost_scale() const { return cost_scale_; }
  double reach() const { return 1.0 / cost_scale_; }

  // The cheapest x2 that passes test 2 after x1 ∈ H (x1 itself if x1 ∈ Q).
  Vec2 cheapest_second_point(Vec2 x1) const;
  // Total cost of being selected with first attributes x1: (★) for x1 ∈ H,
  // +∞ for x1 ∉ H (test 1 rejects).
  double cost(Vec2 x0, Vec2 x1) const;
  // Closed form K*(x0) = min(η d(x0, Q), 1 + η d(x0, H)).
  AdaptiveResponse best_response(Vec2 x0) const;

 private:
  ConvexPolygon criteria_;
  ConvexPolygon inner_;
  double cost_scale_ = 1.0;
};

// ---------------------------------------------------------------- Prop 5 (single test)

// area(H \ opening(H)) with opening(H) = (H ⊖ B_reach) ⊕ B_reach, computed as
// area(H) − [area(Q) + perimeter(Q)·reach + π reach²]; area(H) when the erosion
// is empty (the opening is then empty). Throws std::invalid_argument unless
// 0 < reach < ∞ and the polygon has positive area (a segment or a point has
// an empty opening but no area to lose, so Prop 5 says nothing useful there).
double opening_loss_area(const ConvexPolygon& polygon, double reach);

// Prop 5: does some single test select exactly the qualified types? Iff H equals
// its opening. Every polygon with positive area has corners, each losing
// r²[cot(α/2) − (π − α)/2] > 0, so this is false for every polygon; it is
// decided geometrically (lost area > 1e-12·(area + reach²)), not hard-coded.
// Discs and rounded rectangles with corner radius ≥ reach pass, but this type
// cannot represent them.
bool single_test_reaches_first_best(const ConvexPolygon& polygon, double reach);

}  // namespace mechsweep::testdesign
