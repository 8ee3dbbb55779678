// The structural OSP classifier of Theorem 2 and the exact OSP test on a type
// space (spec 002 §2.6, §3.2 K1 and K2, §6): set kinds, the K1 polarization
// table as two-ray menus, the bounded-support exception K2b, Claims 3 and 6,
// and a randomized agreement with polarized() and a brute-force type grid.

#include "mechanisms/delegation/osp_classify.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "mechanisms/delegation/trade.hpp"

namespace mechsweep::delegation {
namespace {

using Vector = std::vector<double>;
using Set = std::vector<Vector>;
using Form = OspClassification::Form;

// η itself plus η + yκ for each step y: a set contained in the ray κ.
Set ray_set(const Vector& endowment, const Vector& direction, const std::vector<double>& steps = {0.5, 1.0}) {
  Set set = {endowment};
  for (double y : steps) {
    Vector x = endowment;
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += y * direction[i];
    set.push_back(x);
  }
  return set;
}

double dot(const Vector& a, const Vector& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

bool inside(const Vector& type, const TypeSpace& types) {
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (types.is_full_cone() ? !(type[i] > 0.0) : (type[i] < types.low[i] || type[i] > types.high[i])) return false;
  }
  return true;
}

TEST(OspClassifySet, TrivialRemedialRedundant) {
  const Vector eta = {2, 2};
  EXPECT_EQ(classify_set({eta}, eta).kind, SetKind::trivial);
  EXPECT_EQ(classify_set({eta, {1, 2}, {0, 0.5}}, eta).kind, SetKind::remedial);
  EXPECT_EQ(classify_set({eta, {3, 2}, {2.5, 4}}, eta).kind, SetKind::redundant);
  // Points that differ from η by rounding only are η.
  EXPECT_EQ(classify_set({{2 + 1e-13, 2}}, eta).kind, SetKind::trivial);
}

TEST(OspClassifySet, PointsOnANonMonotoneRayAreRayContained) {
  const Vector eta = {2, 2, 2};
  const Vector kappa = {1, -2, 0.5};
  const SetClass ray = classify_set(ray_set(eta, kappa, {0.25, 0.5, 0.75, 1.0}), eta);
  ASSERT_EQ(ray.kind, SetKind::ray);
  ASSERT_EQ(ray.direction.size(), 3u);
  const double length = std::sqrt(dot(kappa, kappa));
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(ray.direction[i], kappa[i] / length, 1e-12);
  // Without η in the set it is still contained in the ray.
  EXPECT_EQ(classify_set({{2.5, 1, 2.25}}, eta).kind, SetKind::ray);
}

TEST(OspClassifySet, NonCollinearOrOpposedMixedDirectionsViolateClaim4) {
  const Vector eta = {2, 2};
  EXPECT_EQ(classify_set({eta, {3, 1}, {3, 0}}, eta).kind, SetKind::violates_claim4);
  // Collinear but opposite: not a ray from η (y must be > 0).
  EXPECT_EQ(classify_set({{3, 1}, {1, 3}}, eta).kind, SetKind::violates_claim4);
  // A redundant and a remedial direction together.
  EXPECT_EQ(classify_set({{3, 2}, {2, 1}}, eta).kind, SetKind::violates_claim4);
}

TEST(OspClassifySet, MonotoneDirectionIsNotARay) {
  const Vector eta = {2, 2};
  EXPECT_EQ(classify_set(ray_set(eta, {1, 0}), eta).kind, SetKind::redundant);
  EXPECT_EQ(classify_set(ray_set(eta, {-1, -0.5}), eta).kind, SetKind::remedial);
}

TEST(OspClassifySet, RejectsMalformedInput) {
  const Vector eta = {2, 2};
  const auto expect_message = [](auto&& call, const std::string& fragment) {
    try {
      call();
      ADD_FAILURE() << "no exception, expected one naming " << fragment;
    } catch (const std::invalid_argument& error) {
      const std::string message = error.what();
      EXPECT_EQ(message.rfind("delegation: ", 0), 0u) << message;
      EXPECT_NE(message.find(fragment), std::string::npos) << message;
    }
  };
  expect_message([&] { classify_set({{1, 2, 3}}, eta); }, "point 0");
  expect_message([&] { classify_set({eta, {1, -1}}, eta); }, "point 1");
  expect_message([&] { classify_set({{NAN, 1}}, eta); }, "point 0");
  expect_message([&] { classify_set({{1}}, Vector{1}); }, "I ≥ 2");
  expect_message([&] { classify_set({eta}, Vector{2, -1}); }, "η(1)");
  expect_message([&] { classify_menu({{eta}, {eta, {1, 2, 3}}}, eta, TypeSpace::full_cone()); }, "set 1's point 1");
  expect_message([&] { classify_menu({{eta}, {}}, eta, TypeSpace::full_cone()); }, "set 1 is empty");
  expect_message([&] { classify_menu({{eta}}, eta, TypeSpace::box({1, 2}, {2, 1})); }, "coordinate 1");
  expect_message([&] { classify_menu({{eta}}, eta, TypeSpace::box({1}, {2})); }, "type box");
  expect_message([&] { classify_menu({{eta}}, eta, TypeSpace::box({-1, 1}, {2, 2})); }, "coordinate 0");
}

struct K1Row {
  Vector first, second;
  bool polarized;
  Vector stated_witness;  // spec K1's violating type, empty if none is stated
};

// Spec K1 as two-ray menus on the full cone: polarization, Claim 5 and exact
// OSP coincide, and every non-polarized row comes with a type that wants both.
TEST(OspClassifyK1, PolarizationClaim5AndOspAgree) {
  // clang-format off
  const std::vector<K1Row> rows = {
      {{1, -1}, {-1, 2}, true, {}},
      {{1, -1}, {-1, 1}, true, {}},  // the boundary p1 = p2 must be accepted
      {{1, -2}, {-1, 1}, false, {1, 0.75}},
      {{1, -1, 0}, {0, -1, 1}, false, {}},
      {{1, 1, -1}, {-1, 1, 1}, true, {}},
      {{1, 1, -2}, {-2, 1, 1}, false, {1.2, 1, 1.2}},
  };
  // clang-format on
  for (const K1Row& row : rows) {
    SCOPED_TRACE(::testing::PrintToString(row.first) + " vs " + ::testing::PrintToString(row.second));
    const Vector eta(row.first.size(), 2.0);
    const auto result = classify_menu({ray_set(eta, row.first), ray_set(eta, row.second)}, eta, TypeSpace::full_cone());
    EXPECT_EQ(polarized(row.first, row.second), row.polarized);
    EXPECT_TRUE(result.necessity_applies);
    EXPECT_TRUE(result.claim1 && result.claim3 && result.claim4 && result.claim6 && result.corollary2);
    ASSERT_EQ(result.sets[0].kind, SetKind::ray);
    ASSERT_EQ(result.sets[1].kind, SetKind::ray);
    EXPECT_EQ(result.claim5, row.polarized);
    EXPECT_EQ(result.claim2, row.polarized);
    EXPECT_EQ(result.osp_on_type_space, row.polarized);
    EXPECT_EQ(result.form, row.polarized ? Form::polarized_rays : Form::none);
    if (row.polarized) {
      EXPECT_EQ(result.first_failing_claim, 0);
      EXPECT_TRUE(result.witness_type.empty());
      continue;
    }
    EXPECT_EQ(result.first_failing_claim, 2);
    EXPECT_EQ(result.witness_sets, std::make_pair(0, 1));
    EXPECT_EQ(result.witness_pair, std::make_pair(0, 1));
    ASSERT_EQ(result.witness_type.size(), row.first.size());
    EXPECT_TRUE(inside(result.witness_type, TypeSpace::full_cone()));
    EXPECT_LT(dot(result.witness_type, row.first), 0.0);
    EXPECT_LT(dot(result.witness_type, row.second), 0.0);
    if (!row.stated_witness.empty()) {
      EXPECT_LT(dot(row.stated_witness, row.first), 0.0);
      EXPECT_LT(dot(row.stated_witness, row.second), 0.0);
      // A tiny box around the stated witness is not OSP either.
      Vector low = row.stated_witness, high = row.stated_witness;
      for (std::size_t i = 0; i < low.size(); ++i) low[i] -= 0.01, high[i] += 0.01;
      const TypeSpace box = TypeSpace::box(low, high);
      const auto near = classify_menu({ray_set(eta, row.first), ray_set(eta, row.second)}, eta, box);
      EXPECT_FALSE(near.osp_on_type_space);
      EXPECT_FALSE(near.necessity_applies);
      EXPECT_TRUE(inside(near.witness_type, box));
      EXPECT_LT(dot(near.witness_type, row.first), 0.0);
      EXPECT_LT(dot(near.witness_type, row.second), 0.0);
    }
  }
}

// The cyclic triple is polarized pairwise and meets Corollary 2's bound I = 3
// exactly; a fourth ray breaks both Claim 5 and Corollary 2.
TEST(OspClassifyK1, CyclicTriplePassesAndAFourthRayFails) {
  const Vector eta = {2, 2, 2};
  std::vector<Set> menu = {ray_set(eta, {1, 1, -1}), ray_set(eta, {-1, 1, 1}), ray_set(eta, {1, -1, 1})};
  const auto triple = classify_menu(menu, eta, TypeSpace::full_cone());
  EXPECT_EQ(triple.first_failing_claim, 0);
  EXPECT_TRUE(triple.osp_on_type_space);
  EXPECT_EQ(triple.form, Form::polarized_rays);

  menu.push_back(ray_set(eta, {1, -1, -1}));
  const auto four = classify_menu(menu, eta, TypeSpace::full_cone());
  EXPECT_FALSE(four.corollary2);
  EXPECT_FALSE(four.claim5);
  EXPECT_FALSE(four.osp_on_type_space);
  EXPECT_EQ(four.form, Form::none);
  // Redundant and trivial sets alongside the triple change nothing.
  menu.back() = {eta, {3, 2, 2.5}};
  menu.push_back({eta});
  const auto padded = classify_menu(menu, eta, TypeSpace::full_cone());
  EXPECT_EQ(padded.first_failing_claim, 0);
  EXPECT_TRUE(padded.osp_on_type_space);
  EXPECT_EQ(padded.form, Form::polarized_rays);
}

// K2b: buy at 3 and sell at 2.5 are not polarized, so not OSP on the cone, but
// on C = [1,2]² every type wants the buy ray and no type wants the sell ray.
TEST(OspClassifyK2, BoundedSupportException) {
  const Vector eta = {2, 2};
  const Vector buy = {1, -3}, sell = {-1, 2.5};
  const std::vector<Set> menu = {ray_set(eta, buy, {0.25, 0.5}), ray_set(eta, sell, {0.5, 1.0})};
  EXPECT_FALSE(polarized(buy, sell));

  const auto cone = classify_menu(menu, eta, TypeSpace::full_cone());
  EXPECT_FALSE(cone.claim5);
  EXPECT_FALSE(cone.osp_on_type_space);
  EXPECT_TRUE(cone.necessity_applies);
  EXPECT_LT(dot(cone.witness_type, buy), 0.0);
  EXPECT_LT(dot(cone.witness_type, sell), 0.0);

  const auto box = classify_menu(menu, eta, TypeSpace::box({1, 1}, {2, 2}));
  EXPECT_FALSE(box.claim5);  // structure does not depend on the type space
  EXPECT_TRUE(box.osp_on_type_space);
  EXPECT_FALSE(box.necessity_applies);
  EXPECT_TRUE(box.witness_type.empty());
  // K2(a): prices (1, 2) are polarized, (2, 1) are not.
  EXPECT_TRUE(
      classify_menu({ray_set(eta, {1, -1}), ray_set(eta, {-1, 2})}, eta, TypeSpace::full_cone()).osp_on_type_space);
  EXPECT_FALSE(classify_menu({ray_set(eta, {1, -2}, {0.5}), ray_set(eta, {-1, 1})}, eta, TypeSpace::full_cone())
                   .osp_on_type_space);
  // A hair past the boundary p1 = p2 (buy at 1, sell at 1 − 10⁻⁶): the
  // violating cone of types is thin but open, and the tolerance is tighter.
  const Vector thin_sell = {-1, 1 - 1e-6};
  EXPECT_FALSE(polarized(Vector{1, -1}, thin_sell));
  const auto thin = classify_menu({ray_set(eta, {1, -1}), ray_set(eta, thin_sell)}, eta, TypeSpace::full_cone());
  EXPECT_FALSE(thin.osp_on_type_space);
  EXPECT_LT(dot(thin.witness_type, {1, -1}), 0.0);
  EXPECT_LT(dot(thin.witness_type, thin_sell), 0.0);
}

TEST(OspClassifyClaim6, RemedialSetWithARayIsNotOsp) {
  const Vector eta = {2, 2};
  const std::vector<Set> menu = {{eta, {1, 2}, {1, 1}}, ray_set(eta, {1, -1})};
  for (const TypeSpace& types : {TypeSpace::full_cone(), TypeSpace::box({1, 1}, {2, 2})}) {
    const auto result = classify_menu(menu, eta, types);
    EXPECT_EQ(result.sets[0].kind, SetKind::remedial);
    EXPECT_EQ(result.sets[1].kind, SetKind::ray);
    EXPECT_FALSE(result.claim6);
    EXPECT_EQ(result.form, Form::none);
    EXPECT_FALSE(result.osp_on_type_space);
    EXPECT_EQ(result.witness_pair, std::make_pair(0, 1));
    ASSERT_TRUE(inside(result.witness_type, types));
    EXPECT_LT(dot(result.witness_type, {1, -1}), 0.0);  // the ray is attractive too
  }
}

TEST(OspClassifyClaim6, TwoRemedialSetsViolateOneIsTheRemedialForm) {
  const Vector eta = {2, 2};
  const auto two = classify_menu({{eta, {1, 2}}, {eta, {2, 1}}}, eta, TypeSpace::full_cone());
  EXPECT_FALSE(two.claim6);
  EXPECT_EQ(two.witness_sets, std::make_pair(0, 1));
  EXPECT_FALSE(two.osp_on_type_space);
  EXPECT_EQ(two.form, Form::none);

  const auto one = classify_menu({{eta, {1, 2}, {0, 0}}, {eta, {3, 3}}, {eta}}, eta, TypeSpace::full_cone());
  EXPECT_EQ(one.first_failing_claim, 0);
  EXPECT_TRUE(one.osp_on_type_space);
  EXPECT_EQ(one.form, Form::remedial);
}

// η = (1,1) with d' = (1,−0.5) and d'' = (−0.5,−0.2): c = (1,1) has
// c·d'' < 0 < c·d', so the set is attractive and risky (Claim 3). On a box
// where c_1 ≤ 0.2 and c_2 ≥ 1, d' is never risky and the menu is OSP there.
TEST(OspClassifyClaim3, AttractiveAndRiskySetViolates) {
  const Vector eta = {1, 1};
  const std::vector<Set> menu = {{eta, {2, 0.5}, {0.5, 0.8}}};
  const auto cone = classify_menu(menu, eta, TypeSpace::full_cone());
  EXPECT_FALSE(cone.claim3);
  EXPECT_FALSE(cone.claim4);
  EXPECT_EQ(cone.first_failing_claim, 3);
  EXPECT_EQ(cone.witness_sets, std::make_pair(0, 0));
  EXPECT_FALSE(cone.osp_on_type_space);
  EXPECT_EQ(cone.witness_pair, std::make_pair(0, 0));
  ASSERT_EQ(cone.witness_type.size(), 2u);
  EXPECT_GT(dot(cone.witness_type, {1, -0.5}), 0.0);
  EXPECT_LT(dot(cone.witness_type, {-0.5, -0.2}), 0.0);

  const TypeSpace around_one = TypeSpace::box({0.5, 0.5}, {1.5, 1.5});
  const auto box = classify_menu(menu, eta, around_one);
  EXPECT_FALSE(box.osp_on_type_space);
  EXPECT_EQ(box.witness_pair, std::make_pair(0, 0));
  ASSERT_TRUE(inside(box.witness_type, around_one));
  EXPECT_GT(dot(box.witness_type, {1, -0.5}), 0.0);
  EXPECT_LT(dot(box.witness_type, {-0.5, -0.2}), 0.0);
  EXPECT_TRUE(classify_menu(menu, eta, TypeSpace::box({0.1, 1}, {0.2, 2})).osp_on_type_space);
  // A set on one ray is never attractive and risky at once.
  EXPECT_TRUE(classify_menu({ray_set(eta, {1, -1}, {0.25, 0.5, 1.0})}, eta, TypeSpace::full_cone()).claim3);
}

TEST(OspClassifyClaim1, SetWithoutTheEndowmentFailsClaim1) {
  const Vector eta = {2, 2};
  const auto result = classify_menu({ray_set(eta, {1, -1}), {{3, 1}}}, eta, TypeSpace::full_cone());
  EXPECT_FALSE(result.claim1);
  EXPECT_EQ(result.first_failing_claim, 1);
  EXPECT_EQ(result.witness_sets, std::make_pair(1, -1));
}

Vector random_ray(std::mt19937_64& rng, int dimension) {
  std::uniform_int_distribution<int> entry(-4, 4);
  Vector ray(dimension);
  do {
    for (double& e : ray) e = entry(rng);
  } while (!non_monotone(ray));
  return ray;
}

// Exact OSP against polarized() on the cone and against a type grid on boxes.
TEST(OspClassifyProperty, AgreesWithPolarizationAndABruteForceGrid) {
  std::mt19937_64 rng(20260117);
  std::uniform_real_distribution<double> corner(0.1, 3.0), width(0.0, 2.0);
  int polarized_pairs = 0, box_violations = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int dimension = trial % 2 == 0 ? 2 : 3;
    const Vector first = random_ray(rng, dimension), second = random_ray(rng, dimension);
    const Vector eta(dimension, 2.0);
    // y ≤ 0.5 keeps η + yκ ≥ 0 for entries ≥ −4.
    const std::vector<Set> menu = {ray_set(eta, first, {0.25, 0.5}), ray_set(eta, second, {0.5})};
    const bool is_polarized = polarized(first, second);
    polarized_pairs += is_polarized;
    SCOPED_TRACE(::testing::PrintToString(first) + " vs " + ::testing::PrintToString(second));

    const auto cone = classify_menu(menu, eta, TypeSpace::full_cone());
    ASSERT_EQ(cone.osp_on_type_space, is_polarized);
    if (!is_polarized) {
      ASSERT_LT(dot(cone.witness_type, first), 0.0);
      ASSERT_LT(dot(cone.witness_type, second), 0.0);
    }

    Vector low(dimension), high(dimension);
    for (int i = 0; i < dimension; ++i) low[i] = corner(rng), high[i] = low[i] + width(rng);
    const TypeSpace box = TypeSpace::box(low, high);
    const auto on_box = classify_menu(menu, eta, box);
    if (is_polarized) {
      ASSERT_TRUE(on_box.osp_on_type_space);
    }
    if (!on_box.osp_on_type_space) {
      ++box_violations;
      ASSERT_TRUE(inside(on_box.witness_type, box));
      ASSERT_LT(dot(on_box.witness_type, first), 0.0);
      ASSERT_LT(dot(on_box.witness_type, second), 0.0);
      continue;
    }
    // OSP on the box: no grid type wants both rays (beyond the tolerance).
    const int steps = 8;
    const int points = dimension == 2 ? 81 : 729;
    for (int index = 0; index < points; ++index) {
      Vector type(dimension);
      for (int i = 0, rest = index; i < dimension; ++i, rest /= steps + 1) {
        type[i] = low[i] + (high[i] - low[i]) * (rest % (steps + 1)) / steps;
      }
      ASSERT_FALSE(dot(type, first) < -1e-7 && dot(type, second) < -1e-7) << ::testing::PrintToString(type);
    }
  }
  // Both branches are exercised.
  EXPECT_GT(polarized_pairs, 20);
  EXPECT_GT(box_violations, 20);
}

}  // namespace
}  // namespace mechsweep::delegation
