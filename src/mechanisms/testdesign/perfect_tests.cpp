#include "mechanisms/testdesign/perfect_tests.hpp"

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "mechanisms/testdesign/best_response.hpp"

namespace mechsweep::testdesign {

namespace {

// Membership and merging of pairwise line intersections. Far looser than the
// 1e-12 slack tolerance: an intersection of nearly parallel lines is only
// known to about 1e-16/sin(angle) relative, and a vertex that is dropped or
// doubled would change the polygon, whereas one kept 1e-9 outside changes
// areas by O(1e-9).
constexpr double kVertexTolerance = 1e-9;
// Lines this close to parallel have no usable intersection; a bounded polygon
// always has a nearer, better conditioned pair for the same vertex.
constexpr double kParallelTolerance = 1e-12;

void require_reach(double reach, const char* name) {
  if (!(reach > 0.0) || !std::isfinite(reach)) {
    std::ostringstream message;
    message << "testdesign: " << name << " = " << reach << " must be positive and finite (reach radius 1/η)";
    throw std::invalid_argument(message.str());
  }
}

void require_cost_scale(double cost_scale) {
  if (!(cost_scale > 0.0) || !std::isfinite(cost_scale)) {
    std::ostringstream message;
    message << "testdesign: cost_scale η = " << cost_scale << " must be positive and finite (spec 003 §7.1)";
    throw std::invalid_argument(message.str());
  }
}

// Nearest point of the segment [a, b] (a == b allowed) to x.
Vec2 nearest_on_segment(Vec2 a, Vec2 b, Vec2 x) {
  const Vec2 ab = b - a;
  const double length2 = dot(ab, ab);
  if (!(length2 > 0.0)) return a;
  const double t = std::clamp(dot(x - a, ab) / length2, 0.0, 1.0);
  return a + t * ab;
}

// Intersection of the two boundary lines, or nullopt when (nearly) parallel.
std::optional<Vec2> line_intersection(const HalfPlane& a, const HalfPlane& b) {
  const double det = cross(a.normal, b.normal);
  if (!(std::fabs(det) > kParallelTolerance)) return std::nullopt;
  return Vec2{(a.offset * b.normal.y - b.offset * a.normal.y) / det,
              (a.normal.x * b.offset - b.normal.x * a.offset) / det};
}

// True when the intersection of the half-planes has a non-zero recession
// direction d (n_i·d ≥ 0 for all i). Such a cone is bounded by rays
// perpendicular to some normal, so testing ±perp(n_i) is exhaustive.
bool has_recession_direction(std::span<const HalfPlane> sides) {
  for (const HalfPlane& side : sides) {
    for (const Vec2 direction : {perp(side.normal), -perp(side.normal)}) {
      bool recedes = true;
      for (const HalfPlane& other : sides) {
        if (dot(other.normal, direction) < -kParallelTolerance) {
          recedes = false;
          break;
        }
      }
      if (recedes) return true;
    }
  }
  return false;
}

void validate_sides(std::span<const HalfPlane> sides) {
  if (sides.size() < 3) {
    throw std::invalid_argument("testdesign: a bounded convex polygon needs at least 3 half-planes; got " +
                                std::to_string(sides.size()));
  }
  for (std::size_t i = 0; i < sides.size(); ++i) {
    const HalfPlane& side = sides[i];
    const double length = norm(side.normal);
    if (!std::isfinite(length) || std::fabs(length - 1.0) > 1e-9 || !std::isfinite(side.offset)) {
      std::ostringstream message;
      message << "testdesign: half-plane " << i << " needs a unit, finite normal and a finite offset; got normal ("
              << side.normal.x << ", " << side.normal.y << "), offset " << side.offset;
      throw std::invalid_argument(message.str());
    }
  }
  if (has_recession_direction(sides)) {
    throw std::invalid_argument(
        "testdesign: the half-planes intersect in an unbounded set; ConvexPolygon needs a bounded polygon "
        "(for the wedge H use Prop 3, whose inner region is H⁺)");
  }
}

}  // namespace

// ---------------------------------------------------------------- Prop 3 (wedge)

Wedge eroded_wedge(const Criteria& criteria) {
  // spec §1.3: h_i⁺ shifts h_i inward by 1/η along its unit normal.
  const double reach = criteria.reach();
  const HalfPlane& a = criteria.wedge.sides[0];
  const HalfPlane& b = criteria.wedge.sides[1];
  return make_wedge(HalfPlane{a.normal, a.offset + reach}, HalfPlane{b.normal, b.offset + reach});
}

PerfectTestRequirement perfect_test_requirement(const Criteria& criteria, Vec2 message) {
  const Wedge inner = eroded_wedge(criteria);
  if (!is_qualified(criteria, message)) {
    const Vec2 point = inner.nearest_point(message);
    return {PerfectTestCase::outside, point, point};
  }
  if (inner.contains(message, inner.tolerance(message))) return {PerfectTestCase::immediate, message, message};
  const Vec2 target = inner.nearest_point(message);
  const double gap = norm(target - message);
  if (criteria.cost_scale * gap <= 1.0) return {PerfectTestCase::walk_to_eroded, message, target};
  // Walking the budget 1/η toward Π_{H⁺}(m) stays in H: both ends of the segment are in H.
  return {PerfectTestCase::exhaust_budget, message, message + (criteria.reach() / gap) * (target - message)};
}

double perfect_test_cost(const Criteria& criteria, Vec2 x0, Vec2 message) {
  const double eta = criteria.cost_scale;
  const PerfectTestRequirement required = perfect_test_requirement(criteria, message);
  switch (required.kind) {
    case PerfectTestCase::outside:
      return eta * eroded_wedge(criteria).distance(x0);
    case PerfectTestCase::immediate:
      return eta * norm(x0 - required.first);
    case PerfectTestCase::walk_to_eroded:
      return eta * (norm(x0 - required.first) + norm(required.second - required.first));
    case PerfectTestCase::exhaust_budget:
      // The second leg is 1/η long by construction; charge its cost exactly.
      return eta * norm(x0 - required.first) + 1.0;
  }
  return std::numeric_limits<double>::infinity();
}

PerfectTestResponse perfect_test_best_response(const Criteria& criteria, Vec2 x0) {
  const double eta = criteria.cost_scale;
  const Wedge inner = eroded_wedge(criteria);
  PerfectTestResponse response;
  if (is_qualified(criteria, x0)) {
    // Truthful message: (★) with m = x0 is min(η d(x0, H⁺), 1), a lower bound for every message.
    response.message = x0;
    response.cost = std::fmin(eta * inner.distance(x0), 1.0);
  } else {
    // η d(x0, H⁺) ≥ 1 + η d(x0, H) outside H, so Π_H(x0) is optimal; the
    // comparison only picks the exact value when the two tie (flat part of ∂H).
    const Vec2 boundary = criteria.wedge.nearest_point(x0);
    const Vec2 inner_point = inner.nearest_point(x0);
    const double via_boundary = 1.0 + eta * norm(x0 - boundary);
    const double via_inner = eta * norm(x0 - inner_point);
    response.message = via_inner <= via_boundary ? inner_point : boundary;
    response.cost = std::fmin(via_inner, via_boundary);
  }
  response.selected = response.cost <= 1.0 + kPerfectTestCostTolerance;
  return response;
}

MonteCarloEstimate perfect_test_value(const Criteria& criteria, Setting setting, const Distribution& distribution,
                                      std::uint64_t seed, std::uint64_t samples) {
  if (setting == Setting::investment) {
    throw std::invalid_argument(
        "testdesign: perfect_test_value covers setting 'manipulation' only; in 'investment' the simultaneous "
        "(h_A, h_B) already reaches the first best (spec 003 §3, Prop 2)");
  }
  if (samples == 0) throw std::invalid_argument("testdesign: perfect_test_value needs samples ≥ 1");
  return monte_carlo_mean(distribution, seed, samples, [&](Vec2 x0) {
    return perfect_test_best_response(criteria, x0).selected && is_qualified(criteria, x0) ? 1.0 : 0.0;
  });
}

// ---------------------------------------------------------------- convex polygons

ConvexPolygon ConvexPolygon::from_half_planes(std::span<const HalfPlane> sides) {
  std::optional<ConvexPolygon> polygon = try_from_half_planes(sides);
  if (!polygon) throw std::invalid_argument("testdesign: the half-planes have an empty intersection (no polygon)");
  return *std::move(polygon);
}

std::optional<ConvexPolygon> ConvexPolygon::try_from_half_planes(std::span<const HalfPlane> sides) {
  validate_sides(sides);
  std::vector<Vec2> vertices;
  for (std::size_t i = 0; i < sides.size(); ++i) {
    for (std::size_t j = i + 1; j < sides.size(); ++j) {
      const std::optional<Vec2> point = line_intersection(sides[i], sides[j]);
      if (!point) continue;
      const double tolerance = kVertexTolerance * (1.0 + norm(*point));
      const bool inside = std::all_of(sides.begin(), sides.end(),
                                      [&](const HalfPlane& side) { return side.slack(*point) >= -tolerance; });
      if (!inside) continue;
      const bool duplicate =
          std::any_of(vertices.begin(), vertices.end(), [&](Vec2 known) { return norm(known - *point) <= tolerance; });
      if (!duplicate) vertices.push_back(*point);
    }
  }
  if (vertices.empty()) return std::nullopt;
  // Counter-clockwise by angle about the vertex mean, an interior point of a convex polygon.
  Vec2 center{};
  for (const Vec2 v : vertices) center = center + v;
  center = (1.0 / static_cast<double>(vertices.size())) * center;
  std::sort(vertices.begin(), vertices.end(), [&](Vec2 a, Vec2 b) {
    return std::atan2(a.y - center.y, a.x - center.x) < std::atan2(b.y - center.y, b.x - center.x);
  });
  ConvexPolygon polygon;
  polygon.sides_.assign(sides.begin(), sides.end());
  polygon.vertices_ = std::move(vertices);
  for (const Vec2 v : polygon.vertices_) polygon.scale_ = std::fmax(polygon.scale_, 1.0 + norm(v));
  return polygon;
}

bool ConvexPolygon::contains(Vec2 x) const {
  const double tolerance = kRelativeEpsilon * (norm(x) + scale_);
  for (const HalfPlane& side : sides_) {
    if (side.slack(x) < -tolerance) return false;
  }
  return true;
}

Vec2 ConvexPolygon::nearest_point(Vec2 x) const {
  if (contains(x)) return x;
  Vec2 best = vertices_.front();
  double best_distance2 = std::numeric_limits<double>::infinity();
  const std::size_t n = vertices_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Vec2 candidate = nearest_on_segment(vertices_[i], vertices_[(i + 1) % n], x);
    const Vec2 gap = x - candidate;
    const double distance2 = dot(gap, gap);
    if (distance2 < best_distance2) {
      best_distance2 = distance2;
      best = candidate;
    }
  }
  return best;
}

double ConvexPolygon::distance(Vec2 x) const { return norm(x - nearest_point(x)); }

double ConvexPolygon::area() const {
  // Shoelace about the first vertex, for accuracy far from the origin.
  double twice = 0.0;
  const Vec2 origin = vertices_.front();
  for (std::size_t i = 1; i + 1 < vertices_.size(); ++i) {
    twice += cross(vertices_[i] - origin, vertices_[i + 1] - origin);
  }
  return 0.5 * std::fabs(twice);
}

double ConvexPolygon::perimeter() const {
  const std::size_t n = vertices_.size();
  if (n < 2) return 0.0;
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) total += norm(vertices_[(i + 1) % n] - vertices_[i]);
  return total;
}

std::optional<ConvexPolygon> try_erode(const ConvexPolygon& polygon, double reach) {
  require_reach(reach, "reach");
  // (∩ h_i) ⊖ B = ∩ (h_i ⊖ B): shift every half-plane inward by the reach.
  std::vector<HalfPlane> shifted = polygon.sides();
  for (HalfPlane& side : shifted) side.offset += reach;
  return ConvexPolygon::try_from_half_planes(shifted);
}

ConvexPolygon erode(const ConvexPolygon& polygon, double reach) {
  std::optional<ConvexPolygon> inner = try_erode(polygon, reach);
  if (!inner) {
    std::ostringstream message;
    message << "testdesign: the erosion Q = {x ∈ H : d(x, ∂H) ≥ " << reach
            << "} is empty: H contains no disc of radius reach = 1/η; increase cost_scale η";
    throw std::invalid_argument(message.str());
  }
  return *std::move(inner);
}

// ---------------------------------------------------------------- Prop 4 (convex H)

AdaptivePolygonMechanism::AdaptivePolygonMechanism(ConvexPolygon criteria, double cost_scale)
    : criteria_(std::move(criteria)),
      inner_((require_cost_scale(cost_scale), erode(criteria_, 1.0 / cost_scale))),
      cost_scale_(cost_scale) {}

Vec2 AdaptivePolygonMechanism::cheapest_second_point(Vec2 x1) const {
  const Vec2 target = inner_.nearest_point(x1);
  const double gap = norm(target - x1);
  if (cost_scale_ * gap <= 1.0) return target;  // r1 ≤ 1/η (or x1 ∈ Q, gap 0): x2 ∈ Q
  // r1 > 1/η: the level set {d(·, Q) = r1 − 1/η} is nearest at 1/η along the
  // segment to Π_Q(x1), since d(·, Q) decreases at unit rate along it.
  return x1 + (reach() / gap) * (target - x1);
}

double AdaptivePolygonMechanism::cost(Vec2 x0, Vec2 x1) const {
  if (!criteria_.contains(x1)) return std::numeric_limits<double>::infinity();
  // (★): the second leg is η d(x1, Q), capped at exactly 1.
  return cost_scale_ * norm(x0 - x1) + std::fmin(cost_scale_ * inner_.distance(x1), 1.0);
}

AdaptiveResponse AdaptivePolygonMechanism::best_response(Vec2 x0) const {
  AdaptiveResponse response;
  if (criteria_.contains(x0)) {
    response.x1 = x0;
    response.cost = std::fmin(cost_scale_ * inner_.distance(x0), 1.0);
  } else {
    // η d(x0, Q) ≥ 1 + η d(x0, H) > 1 outside H (see the header).
    const Vec2 boundary = criteria_.nearest_point(x0);
    const Vec2 inner_point = inner_.nearest_point(x0);
    const double via_boundary = 1.0 + cost_scale_ * norm(x0 - boundary);
    const double via_inner = cost_scale_ * norm(x0 - inner_point);
    response.x1 = via_inner <= via_boundary ? inner_point : boundary;
    response.cost = std::fmin(via_inner, via_boundary);
  }
  response.x2 = cheapest_second_point(response.x1);
  response.selected = response.cost <= 1.0 + kPerfectTestCostTolerance;
  return response;
}

// ---------------------------------------------------------------- Prop 5 (single test)

namespace {

void require_positive_area(const ConvexPolygon& polygon) {
  const double perimeter = polygon.perimeter();
  if (polygon.edge_count() < 3 || !(polygon.area() > 1e-12 * perimeter * perimeter)) {
    throw std::invalid_argument("testdesign: polygon must have positive area (H is a segment or a point)");
  }
}

}  // namespace

double opening_loss_area(const ConvexPolygon& polygon, double reach) {
  require_reach(reach, "reach");
  require_positive_area(polygon);
  const std::optional<ConvexPolygon> inner = try_erode(polygon, reach);
  if (!inner) return polygon.area();  // the opening of H is empty
  // Steiner: the r-neighbourhood of a convex set K has area |K| + per(K)·r + π r².
  const double opening = inner->area() + inner->perimeter() * reach + std::numbers::pi * reach * reach;
  return polygon.area() - opening;
}

bool single_test_reaches_first_best(const ConvexPolygon& polygon, double reach) {
  const double loss = opening_loss_area(polygon, reach);
  return loss <= 1e-12 * (polygon.area() + reach * reach);
}

}  // namespace mechsweep::testdesign
