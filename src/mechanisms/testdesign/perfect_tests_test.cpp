// Perfect tests and convex criteria (spec 003 §3 "Section 6.1: perfect tests"):
// Prop 3 (wedge, cheap talk), Prop 4 (convex polygon, two adaptive tests) and
// Prop 5 (single test ⇔ H equals its opening).

#include "mechanisms/testdesign/perfect_tests.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <functional>
#include <iomanip>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "mechanisms/testdesign/best_response.hpp"
#include "mechanisms/testdesign/test_helpers.hpp"

namespace mechsweep::testdesign {
namespace {

using testing::deg;
using ::testing::HasSubstr;
using testing::IsNear;

constexpr double kPi = std::numbers::pi;
// Membership of H is decided with the relative tolerance of spec §1.9
// (1e-12·scale, more at a sharp corner where two tolerance bands meet), so a
// brute-force search can find a point that far outside H and undercut the
// exact minimum by η times that distance; 1e-9 covers it with room to spare.
constexpr double kMembershipSlack = 1e-9;

std::string message_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no std::invalid_argument thrown)";
}

double uniform(boost::random::mt19937_64& engine, double lo, double hi) {
  return boost::random::uniform_real_distribution<double>(lo, hi)(engine);
}

// Minimum of `cost` over a (size+1)² grid on [center ± half]², then a
// projected pattern search (16 directions, halving steps) from the best grid
// point. Every trial point m is evaluated as is and at project(m), the nearest
// point of the feasible set (H): the minimisers of interest lie on ∂H, where a
// plain pattern search stalls against the slanted boundary. Every value it
// returns is a cost the agent can actually achieve, so a closed form that
// claims to be the minimum must never exceed it.
double brute_force_minimum(const std::function<double(Vec2)>& cost, const std::function<Vec2(Vec2)>& project,
                           Vec2 center, double half, int size) {
  const double h = 2.0 * half / size;
  Vec2 best = center;
  double best_cost = cost(center);
  const auto consider = [&](Vec2 m) {
    bool improved = false;
    for (const Vec2 trial : {m, project(m)}) {
      const double c = cost(trial);
      if (c < best_cost) {
        best_cost = c;
        best = trial;
        improved = true;
      }
    }
    return improved;
  };
  for (int i = 0; i <= size; ++i) {
    for (int j = 0; j <= size; ++j) consider(Vec2{center.x - half + i * h, center.y - half + j * h});
  }
  for (double step = h; step > 1e-11 * (1.0 + half); step *= 0.5) {
    bool improved = true;
    while (improved) {
      improved = false;
      const Vec2 from = best;
      for (int k = 0; k < 16; ++k) improved = consider(from + step * unit_vector(2.0 * kPi * k / 16.0)) || improved;
    }
  }
  return best_cost;
}

// ---------------------------------------------------------------- Prop 3 (wedge)

// spec §3 Prop 1 closed forms: O⁺ = u_bis/(η sin(θ/2)).
TEST(PerfectTestWedge, ErodedWedgeHasVertexOPlusAndTheSameNormals) {
  for (const double angle : {15.0, 60.0, 90.0, 150.0}) {
    for (const double eta : {0.5, 2.0}) {
      const Criteria criteria = make_criteria(angle, eta);
      const Wedge inner = eroded_wedge(criteria);
      const Vec2 o_plus = (1.0 / (eta * std::sin(deg(angle) / 2.0))) * criteria.bisector;
      EXPECT_THAT(inner.vertex, IsNear(o_plus, 1e-12)) << angle << " " << eta;
      for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_THAT(inner.sides[i].normal, IsNear(criteria.wedge.sides[i].normal, 1e-15));
        EXPECT_NEAR(inner.sides[i].slack(criteria.wedge.vertex), -1.0 / eta, 1e-12);
      }
    }
  }
}

// spec §3 Section 6.1, Prop 3: the four cases of the adaptive menu.
TEST(PerfectTestWedge, RequirementsFollowTheFourCasesOfProp3) {
  const Criteria criteria = make_criteria(60.0, 1.0);  // r = 1, |O O⁺| = 2
  const Wedge inner = eroded_wedge(criteria);
  const Vec2 o_plus = inner.vertex;

  const Vec2 deep = o_plus + Vec2{0.3, 1.0};
  const PerfectTestRequirement immediate = perfect_test_requirement(criteria, deep);
  EXPECT_EQ(immediate.kind, PerfectTestCase::immediate);
  EXPECT_THAT(immediate.first, IsNear(deep, 0.0));
  EXPECT_THAT(immediate.second, IsNear(deep, 0.0));

  // On L_A far up the edge: d(m, H⁺) = 1/η exactly, so test 2 asks for Π_{H⁺}(m) at cost 1.
  const Vec2 edge{0.0, 5.0};
  const PerfectTestRequirement walk = perfect_test_requirement(criteria, edge);
  EXPECT_EQ(walk.kind, PerfectTestCase::walk_to_eroded);
  EXPECT_THAT(walk.second, IsNear(Vec2{1.0, 5.0}, 1e-12));
  EXPECT_NEAR(perfect_test_cost(criteria, edge, edge), 1.0, 1e-12);

  // Near O: d(m, H⁺) ≈ 2 > 1/η, so test 2 asks for a point of H at distance exactly 1/η.
  const Vec2 corner = 0.1 * criteria.bisector;
  const PerfectTestRequirement exhaust = perfect_test_requirement(criteria, corner);
  EXPECT_EQ(exhaust.kind, PerfectTestCase::exhaust_budget);
  EXPECT_NEAR(norm(exhaust.second - corner), 1.0, 1e-12);
  EXPECT_TRUE(is_qualified(criteria, exhaust.second));
  EXPECT_DOUBLE_EQ(perfect_test_cost(criteria, corner, corner), 1.0);

  const Vec2 outside{-1.0, 2.0};
  const PerfectTestRequirement far = perfect_test_requirement(criteria, outside);
  EXPECT_EQ(far.kind, PerfectTestCase::outside);
  EXPECT_TRUE(inner.contains(far.first, 1e-12));
  // The agent is charged his cheapest point of H⁺, whatever the message.
  const Vec2 x0{2.0, 4.0};
  EXPECT_NEAR(perfect_test_cost(criteria, x0, outside), inner.distance(x0), 1e-12);
}

// The closed form K*(x0) = min(η d(x0, H⁺), 1 + η d(x0, H)) is the minimum over messages.
TEST(PerfectTestWedge, ClosedFormMatchesBruteForceOverMessages) {
  boost::random::mt19937_64 engine(20250305);
  for (const double angle : {15.0, 45.0, 60.0, 90.0, 120.0, 150.0}) {
    for (const double eta : {0.5, 1.0, 2.0}) {
      const Criteria criteria = make_criteria(angle, eta);
      const double r = criteria.reach();
      const Vec2 o_plus = eroded_wedge(criteria).vertex;
      for (int trial = 0; trial < 8; ++trial) {
        // Types around the corner, where all four cases matter, on both sides of H.
        const Vec2 x0{r * uniform(engine, -2.0, 3.0), r * uniform(engine, -2.0, 3.0)};
        const PerfectTestResponse response = perfect_test_best_response(criteria, x0);
        // The optimal message is within d(x0, H⁺) ≤ ‖x0 − O⁺‖ of x0.
        const double half = norm(x0 - o_plus) + 0.5 * r;
        const double brute =
            brute_force_minimum([&](Vec2 m) { return perfect_test_cost(criteria, x0, m); },
                                [&](Vec2 m) { return criteria.wedge.nearest_point(m); }, x0, half, 100);
        const std::string where = "θ=" + std::to_string(angle) + " η=" + std::to_string(eta) + " x0=(" +
                                  std::to_string(x0.x) + ", " + std::to_string(x0.y) + ")";
        EXPECT_GE(brute, response.cost - kMembershipSlack)
            << where << ": a message beats the closed form by " << response.cost - brute;
        EXPECT_LE(brute, response.cost + 1e-6) << where << ": the closed form is not attained";
        EXPECT_NEAR(perfect_test_cost(criteria, x0, response.message), response.cost, 1e-12) << where;
      }
    }
  }
}

// Feasibility and first best (spec §3: unqualified types face cost > 1, qualified ≤ 1).
TEST(PerfectTestWedge, SelectsExactlyTheQualifiedTypes) {
  boost::random::mt19937_64 engine(7);
  for (const double angle : {15.0, 30.0, 60.0, 90.0, 120.0, 150.0}) {
    for (const double eta : {0.5, 1.0, 3.0}) {
      const Criteria criteria = make_criteria(angle, eta);
      const double r = criteria.reach();
      int qualified = 0;
      int unqualified = 0;
      for (int n = 0; n < 4000; ++n) {
        const Vec2 x0{r * uniform(engine, -3.0, 4.0), r * uniform(engine, -3.0, 4.0)};
        const PerfectTestResponse response = perfect_test_best_response(criteria, x0);
        const bool in_h = is_qualified(criteria, x0);
        (in_h ? qualified : unqualified) += 1;
        ASSERT_EQ(response.selected, in_h)
            << "θ=" << angle << " η=" << eta << " x0=(" << x0.x << ", " << x0.y << ") cost " << response.cost;
        if (in_h) {
          EXPECT_THAT(response.message, IsNear(x0, 0.0));  // truthful
          EXPECT_LE(response.cost, 1.0);
        } else {
          EXPECT_NEAR(response.cost, 1.0 + eta * criteria.wedge.distance(x0), 1e-12);
        }
      }
      EXPECT_GT(qualified, 100) << angle;  // both kinds were actually exercised
      EXPECT_GT(unqualified, 100) << angle;
    }
  }
}

// The types near O pay exactly the whole prize (spec §1.9: utility 0 participates).
TEST(PerfectTestWedge, CornerTypesPayExactlyOneAndAreSelected) {
  const Criteria criteria = make_criteria(60.0, 2.0);  // d(O, H⁺) = 2/η > 1/η
  const Vec2 x0 = 0.05 * criteria.bisector;
  const PerfectTestResponse response = perfect_test_best_response(criteria, x0);
  EXPECT_EQ(response.cost, 1.0);
  EXPECT_TRUE(response.selected);
  // Just outside the corner: strictly more than 1.
  const PerfectTestResponse outside = perfect_test_best_response(criteria, -0.01 * criteria.bisector);
  EXPECT_NEAR(outside.cost, 1.0 + 2.0 * 0.01, 1e-12);
  EXPECT_FALSE(outside.selected);
}

// Prop 3 reaches the first best F(H): Monte Carlo value vs the quadrature's first_best.
TEST(PerfectTestValue, MonteCarloValueMatchesFirstBestWithinFourStandardErrors) {
  struct Case {
    double angle;
    double eta;
    Distribution distribution;
  };
  const std::array<Case, 3> cases = {
      Case{60.0, 1.0, make_distribution(DistributionKind::gaussian, {0.5, 1.0}, 1.5)},
      Case{25.0, 2.0, make_distribution(DistributionKind::uniform_square, {0.0, 1.0}, 2.0)},
      Case{135.0, 0.5, make_distribution(DistributionKind::uniform_disk, {1.0, 0.0}, 3.0)},
  };
  for (const Case& c : cases) {
    const Criteria criteria = make_criteria(c.angle, c.eta);
    InstanceParams params;
    params.angle_deg = c.angle;
    params.cost_scale = c.eta;
    const Evaluation evaluation = evaluate(make_instance(params), Setting::manipulation, c.distribution);
    const MonteCarloEstimate estimate = perfect_test_value(criteria, Setting::manipulation, c.distribution, 99, 200000);
    EXPECT_EQ(estimate.samples, 200000u);
    ASSERT_GT(estimate.standard_error, 0.0);
    EXPECT_NEAR(estimate.value, evaluation.first_best, 4.0 * estimate.standard_error) << c.angle;
    // The comparison means something only if H carries mass, and ordinary
    // tests (h_A⁺, h_B⁺, fixed order) lose some of it (spec §3 Prop 1).
    EXPECT_GT(evaluation.first_best, 0.05) << c.angle;
    EXPECT_LT(evaluation.value, evaluation.first_best - 1e-3) << c.angle;
  }
}

TEST(PerfectTestValue, RejectsInvestmentAndZeroSamples) {
  const Criteria criteria = make_criteria(60.0, 1.0);
  const Distribution gaussian = make_distribution(DistributionKind::gaussian, {0.0, 0.0}, 1.0);
  EXPECT_THAT(message_of([&] { perfect_test_value(criteria, Setting::investment, gaussian, 1, 10); }),
              HasSubstr("investment"));
  EXPECT_THAT(message_of([&] { perfect_test_value(criteria, Setting::manipulation, gaussian, 1, 0); }),
              HasSubstr("samples"));
}

// ---------------------------------------------------------------- convex polygons

// Closed half-planes of a counter-clockwise polygon: the interior is on the left of each edge.
std::vector<HalfPlane> half_planes_of(const std::vector<Vec2>& ccw) {
  std::vector<HalfPlane> sides;
  for (std::size_t i = 0; i < ccw.size(); ++i) {
    const Vec2 a = ccw[i];
    const Vec2 b = ccw[(i + 1) % ccw.size()];
    sides.push_back(half_plane_through(perp(b - a), a));
  }
  return sides;
}

ConvexPolygon polygon_of(const std::vector<Vec2>& ccw) { return ConvexPolygon::from_half_planes(half_planes_of(ccw)); }

ConvexPolygon square(double side) { return polygon_of({{0.0, 0.0}, {side, 0.0}, {side, side}, {0.0, side}}); }

// A triangle with angle θ at the origin and (π − θ)/2 at the two other corners.
ConvexPolygon isosceles(double angle_deg, double leg) {
  const double t = deg(angle_deg);
  return polygon_of({{0.0, 0.0}, {leg, 0.0}, {leg * std::cos(t), leg * std::sin(t)}});
}

ConvexPolygon scalene_triangle() { return polygon_of({{-1.0, -0.5}, {4.0, 0.2}, {0.8, 3.7}}); }

// Vertices on a rotated ellipse at random angles whose gaps vary by at most a
// factor 2, so the polygon stays convex with no tiny edges.
ConvexPolygon random_convex_polygon(std::uint64_t seed, int vertices) {
  boost::random::mt19937_64 engine(seed);
  std::vector<double> gaps;
  double total = 0.0;
  for (int i = 0; i < vertices; ++i) {
    gaps.push_back(uniform(engine, 1.0, 2.0));
    total += gaps.back();
  }
  const double start = uniform(engine, 0.0, 2.0 * kPi);
  const double tilt = uniform(engine, 0.0, kPi);
  std::vector<Vec2> ccw;
  double phi = start;
  for (const double gap : gaps) {
    ccw.push_back(Vec2{0.7, -0.3} + rotated(Vec2{4.0 * std::cos(phi), 3.0 * std::sin(phi)}, tilt));
    phi += 2.0 * kPi * gap / total;
  }
  return polygon_of(ccw);
}

std::vector<double> interior_angles(const ConvexPolygon& polygon) {
  const std::vector<Vec2>& v = polygon.vertices();
  std::vector<double> angles;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const Vec2 to_prev = v[(i + v.size() - 1) % v.size()] - v[i];
    const Vec2 to_next = v[(i + 1) % v.size()] - v[i];
    angles.push_back(std::atan2(std::fabs(cross(to_prev, to_next)), dot(to_prev, to_next)));
  }
  return angles;
}

// Lost area of one corner of interior angle α, reach r (the wedge's |Λ_sim|, spec §3 Prop 1).
double corner_loss(double alpha, double r) { return r * r * (1.0 / std::tan(alpha / 2.0) - (kPi - alpha) / 2.0); }

TEST(ConvexPolygonGeometry, SquareHasCounterClockwiseVerticesAreaAndPerimeter) {
  const ConvexPolygon s = square(2.0);
  ASSERT_EQ(s.edge_count(), 4u);
  double twice_signed = 0.0;
  for (std::size_t i = 0; i < 4; ++i) twice_signed += cross(s.vertices()[i], s.vertices()[(i + 1) % 4]);
  EXPECT_GT(twice_signed, 0.0);  // counter-clockwise
  EXPECT_NEAR(s.area(), 4.0, 1e-12);
  EXPECT_NEAR(s.perimeter(), 8.0, 1e-12);
  EXPECT_TRUE(s.contains({1.0, 1.0}));
  EXPECT_TRUE(s.contains({2.0, 0.5}));  // closed
  EXPECT_FALSE(s.contains({2.001, 0.5}));
  EXPECT_THAT(s.nearest_point({3.0, 3.0}), IsNear(Vec2{2.0, 2.0}, 1e-12));
  EXPECT_NEAR(s.distance({1.0, -0.25}), 0.25, 1e-12);
  EXPECT_EQ(s.distance({0.5, 0.5}), 0.0);
}

TEST(ConvexPolygonGeometry, RedundantHalfPlanesAddNoVertices) {
  std::vector<HalfPlane> sides = half_planes_of({{0.0, 0.0}, {1.0, 0.0}, {1.0, 1.0}, {0.0, 1.0}});
  sides.push_back(half_plane_through({1.0, 1.0}, {-1.0, -1.0}));  // far away
  sides.push_back(half_plane_through({1.0, 0.0}, {0.0, 0.0}));    // a duplicate of x ≥ 0
  sides.push_back(half_plane_through({-1.0, -1.0}, {1.0, 1.0}));  // touches only the vertex (1, 1)
  const ConvexPolygon p = ConvexPolygon::from_half_planes(sides);
  EXPECT_EQ(p.edge_count(), 4u);
  EXPECT_NEAR(p.area(), 1.0, 1e-12);
}

TEST(ConvexPolygonGeometry, RejectsUnboundedEmptyAndMalformedInput) {
  const Criteria wedge = make_criteria(60.0, 1.0);
  const std::vector<HalfPlane> three_wedge = {wedge.wedge.sides[0], wedge.wedge.sides[1],
                                              half_plane_through({0.0, 1.0}, {0.0, -5.0})};
  EXPECT_THAT(message_of([&] { ConvexPolygon::from_half_planes(three_wedge); }), HasSubstr("unbounded"));
  const std::vector<HalfPlane> empty = {
      half_plane_through({1.0, 0.0}, {1.0, 0.0}), half_plane_through({-1.0, 0.0}, {0.0, 0.0}),
      half_plane_through({0.0, 1.0}, {0.0, 0.0}), half_plane_through({0.0, -1.0}, {0.0, 1.0})};
  EXPECT_THAT(message_of([&] { ConvexPolygon::from_half_planes(empty); }), HasSubstr("empty"));
  EXPECT_FALSE(ConvexPolygon::try_from_half_planes(empty).has_value());
  std::vector<HalfPlane> not_unit = half_planes_of({{0.0, 0.0}, {1.0, 0.0}, {0.0, 1.0}});
  not_unit[1].normal = 2.0 * not_unit[1].normal;
  EXPECT_THAT(message_of([&] { ConvexPolygon::from_half_planes(not_unit); }), HasSubstr("half-plane 1"));
  const std::vector<HalfPlane> two = {wedge.wedge.sides[0], wedge.wedge.sides[1]};
  EXPECT_THAT(message_of([&] { ConvexPolygon::from_half_planes(two); }), HasSubstr("at least 3"));
}

TEST(ConvexPolygonGeometry, ErosionShiftsEveryEdgeInward) {
  const ConvexPolygon q = erode(square(3.0), 0.5);
  ASSERT_EQ(q.edge_count(), 4u);
  EXPECT_NEAR(q.area(), 4.0, 1e-12);
  EXPECT_THAT(q.nearest_point({0.0, 0.0}), IsNear(Vec2{0.5, 0.5}, 1e-12));
  // A square of side 1 has inradius 1/2: reach 0.6 leaves nothing.
  EXPECT_FALSE(try_erode(square(1.0), 0.6).has_value());
  EXPECT_THAT(message_of([] { erode(square(1.0), 0.6); }), HasSubstr("empty"));
  EXPECT_THAT(message_of([] { erode(square(1.0), -0.1); }), HasSubstr("reach"));
  // An equilateral triangle eroded by its inradius shrinks to its incentre.
  const ConvexPolygon tri = isosceles(60.0, 2.0);
  const double inradius = 1.0 / std::sqrt(3.0);
  const std::optional<ConvexPolygon> point = try_erode(tri, inradius * (1.0 - 1e-12));
  ASSERT_TRUE(point.has_value());
  EXPECT_NEAR(point->area(), 0.0, 1e-9);
  EXPECT_THAT(point->vertices().front(), IsNear(Vec2{1.0, inradius}, 1e-6));
}

// ---------------------------------------------------------------- Prop 4

struct PolygonCase {
  const char* name;
  ConvexPolygon polygon;
};

std::vector<PolygonCase> prop4_polygons() {
  return {{"triangle", scalene_triangle()}, {"square", square(3.0)}, {"random", random_convex_polygon(11, 7)}};
}

std::array<Vec2, 2> bounding_box(const ConvexPolygon& polygon) {
  Vec2 lo = polygon.vertices().front();
  Vec2 hi = lo;
  for (const Vec2 v : polygon.vertices()) {
    lo = {std::fmin(lo.x, v.x), std::fmin(lo.y, v.y)};
    hi = {std::fmax(hi.x, v.x), std::fmax(hi.y, v.y)};
  }
  return {lo, hi};
}

// spec §3 Prop 4: K*(x0) = min(η d(x0, Q), 1 + η d(x0, H)) is the minimum over x1.
TEST(AdaptivePolygon, ClosedFormMatchesBruteForceOverFirstPoints) {
  boost::random::mt19937_64 engine(404);
  for (const PolygonCase& c : prop4_polygons()) {
    for (const double eta : {1.5, 4.0}) {
      const AdaptivePolygonMechanism mechanism(c.polygon, eta);
      const auto [lo, hi] = bounding_box(c.polygon);
      const Vec2 center = 0.5 * (lo + hi);
      const double half = 0.5 * std::fmax(hi.x - lo.x, hi.y - lo.y) + 0.01;
      for (int trial = 0; trial < 10; ++trial) {
        const Vec2 x0{uniform(engine, lo.x - 0.5, hi.x + 0.5), uniform(engine, lo.y - 0.5, hi.y + 0.5)};
        const AdaptiveResponse response = mechanism.best_response(x0);
        const double brute =
            brute_force_minimum([&](Vec2 x1) { return mechanism.cost(x0, x1); },
                                [&](Vec2 x1) { return c.polygon.nearest_point(x1); }, center, half, 120);
        const std::string where = std::string(c.name) + " η=" + std::to_string(eta) + " x0=(" + std::to_string(x0.x) +
                                  ", " + std::to_string(x0.y) + ")";
        EXPECT_GE(brute, response.cost - kMembershipSlack)
            << where << ": a first point beats the closed form by " << response.cost - brute;
        EXPECT_LE(brute, response.cost + 1e-6) << where << ": the closed form is not attained";
        EXPECT_NEAR(mechanism.cost(x0, response.x1), response.cost, 1e-12) << where;
        if (c.polygon.contains(x0)) {
          EXPECT_THAT(response.x1, IsNear(x0, 0.0)) << where;
        }
      }
    }
  }
}

// spec §3 Prop 4: feasible (no unqualified type selected) and first best (every qualified one is).
TEST(AdaptivePolygon, SelectsExactlyTheQualifiedTypes) {
  boost::random::mt19937_64 engine(5);
  for (const PolygonCase& c : prop4_polygons()) {
    for (const double eta : {1.5, 4.0}) {
      const AdaptivePolygonMechanism mechanism(c.polygon, eta);
      const auto [lo, hi] = bounding_box(c.polygon);
      int qualified = 0;
      int unqualified = 0;
      for (int n = 0; n < 20000; ++n) {
        const Vec2 x0{uniform(engine, lo.x - 1.0, hi.x + 1.0), uniform(engine, lo.y - 1.0, hi.y + 1.0)};
        const AdaptiveResponse response = mechanism.best_response(x0);
        const bool in_h = c.polygon.contains(x0);
        (in_h ? qualified : unqualified) += 1;
        ASSERT_EQ(response.selected, in_h)
            << c.name << " η=" << eta << " x0=(" << x0.x << ", " << x0.y << ") cost " << response.cost;
        if (!in_h) {
          EXPECT_NEAR(response.cost, 1.0 + eta * c.polygon.distance(x0), 1e-12);
        }
      }
      EXPECT_GT(qualified, 1000) << c.name;
      EXPECT_GT(unqualified, 1000) << c.name;
    }
  }
}

// Test 2's requirement: the level set d(·, Q) = r1 − 1/η at distance exactly 1/η, or Q itself.
TEST(AdaptivePolygon, CheapestSecondPointMeetsTestTwo) {
  boost::random::mt19937_64 engine(8);
  const AdaptivePolygonMechanism mechanism(random_convex_polygon(11, 7), 1.0);
  const double r = mechanism.reach();
  int far = 0;
  int near = 0;
  const auto [lo, hi] = bounding_box(mechanism.criteria());
  for (int n = 0; n < 20000; ++n) {
    const Vec2 x1{uniform(engine, lo.x, hi.x), uniform(engine, lo.y, hi.y)};
    if (!mechanism.criteria().contains(x1)) continue;
    const double r1 = mechanism.inner().distance(x1);
    const Vec2 x2 = mechanism.cheapest_second_point(x1);
    if (r1 > r) {
      ++far;
      EXPECT_NEAR(mechanism.inner().distance(x2), r1 - r, 1e-9);
      EXPECT_NEAR(norm(x2 - x1), r, 1e-12);
    } else {
      ++near;
      EXPECT_LE(mechanism.inner().distance(x2), 1e-12);
      EXPECT_NEAR(norm(x2 - x1), r1, 1e-12);
    }
  }
  EXPECT_GT(far, 50);
  EXPECT_GT(near, 500);
}

TEST(AdaptivePolygon, RejectsAnEmptyInnerRegionAndABadCostScale) {
  EXPECT_THAT(message_of([] { AdaptivePolygonMechanism(square(1.0), 1.5); }), HasSubstr("empty"));
  EXPECT_THAT(message_of([] { AdaptivePolygonMechanism(square(1.0), 0.0); }), HasSubstr("cost_scale"));
}

// ---------------------------------------------------------------- Prop 5

// Geometric lost area (Steiner) vs Σ corners r²[cot(α/2) − (π − α)/2].
TEST(OpeningLoss, MatchesTheCornerFormula) {
  const std::vector<PolygonCase> cases = {{"triangle", scalene_triangle()},
                                          {"square", square(3.0)},
                                          {"random", random_convex_polygon(11, 7)},
                                          {"random9", random_convex_polygon(12, 9)}};
  for (const PolygonCase& c : cases) {
    for (const double r : {0.1, 0.3}) {
      ASSERT_EQ(erode(c.polygon, r).edge_count(), c.polygon.edge_count()) << c.name << ": formula needs all edges";
      double expected = 0.0;
      for (const double alpha : interior_angles(c.polygon)) expected += corner_loss(alpha, r);
      EXPECT_NEAR(opening_loss_area(c.polygon, r), expected, 1e-10) << c.name << " r=" << r;
      EXPECT_GT(opening_loss_area(c.polygon, r), 0.0);
    }
  }
}

// A triangle whose corner at O has angle θ loses |Λ_sim(θ)| = r²[cot(θ/2) − (π − θ)/2]
// there (spec §3 Prop 1), plus the terms of its two other corners.
TEST(OpeningLoss, WedgeCornerLossIsLambdaSim) {
  for (const double angle : {15.0, 60.0, 90.0, 120.0, 150.0}) {
    for (const double eta : {1.0, 4.0}) {
      const double r = 1.0 / eta;
      const double theta = deg(angle);
      const double lambda_sim = (1.0 / (eta * eta)) * (1.0 / std::tan(theta / 2.0) - (kPi - theta) / 2.0);
      const double other = (kPi - theta) / 2.0;
      const ConvexPolygon triangle = isosceles(angle, 40.0);
      const double expected = lambda_sim + 2.0 * corner_loss(other, r);
      EXPECT_NEAR(opening_loss_area(triangle, r), expected, 1e-9 * (1.0 + expected)) << angle << " " << eta;
    }
  }
}

TEST(OpeningLoss, IsPositiveAndScalesAsReachSquared) {
  for (const ConvexPolygon& polygon : {scalene_triangle(), square(3.0), random_convex_polygon(11, 7)}) {
    const double loss = opening_loss_area(polygon, 0.2);
    const double half = opening_loss_area(polygon, 0.1);
    EXPECT_GT(loss, 0.0);
    EXPECT_NEAR(loss / half, 4.0, 1e-9);
    EXPECT_FALSE(single_test_reaches_first_best(polygon, 0.2));
    EXPECT_FALSE(single_test_reaches_first_best(polygon, 1e-3));
  }
  // Empty erosion: the opening is empty and the whole of H is lost.
  EXPECT_NEAR(opening_loss_area(square(1.0), 0.8), 1.0, 1e-12);
  EXPECT_THAT(message_of([] { opening_loss_area(square(1.0), 0.0); }), HasSubstr("reach"));
}

// Membership: x ∈ opening(H) ⇔ d(x, Q) ≤ r. The Monte Carlo area of H \ opening
// agrees with the geometric value within 4 standard errors.
TEST(OpeningLoss, MonteCarloAreaAgrees) {
  boost::random::mt19937_64 engine(2025);
  const std::vector<PolygonCase> cases = {
      {"triangle", scalene_triangle()}, {"square", square(3.0)}, {"random", random_convex_polygon(11, 7)}};
  for (const PolygonCase& c : cases) {
    const double r = 0.6;
    const ConvexPolygon q = erode(c.polygon, r);
    const auto [lo, hi] = bounding_box(c.polygon);
    const double box = (hi.x - lo.x) * (hi.y - lo.y);
    const int samples = 200000;
    int lost = 0;
    for (int n = 0; n < samples; ++n) {
      const Vec2 x{uniform(engine, lo.x, hi.x), uniform(engine, lo.y, hi.y)};
      if (c.polygon.contains(x) && q.distance(x) > r) ++lost;
    }
    const double p = static_cast<double>(lost) / samples;
    const double estimate = box * p;
    const double standard_error = box * std::sqrt(p * (1.0 - p) / samples);
    const double geometric = opening_loss_area(c.polygon, r);
    ASSERT_GT(lost, 200) << c.name;
    EXPECT_NEAR(estimate, geometric, 4.0 * standard_error) << c.name;
  }
}

}  // namespace
}  // namespace mechsweep::testdesign
