// Named designs, cheap-talk menus and cost class (ii) (spec 003 §1.4, §3
// Theorem 2, §4.4, §8): the constructions, their values, and the quadrature
// against Monte Carlo and against brute force for the new strategy kinds.

#include "mechanisms/testdesign/named_designs.hpp"

#include <gtest/gtest.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "mechanisms/testdesign/best_response.hpp"
#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/test_helpers.hpp"

namespace mechsweep::testdesign {
namespace {

using testing::instance;

TEST(NamedDesigns, LabelsRoundTripAndUnknownLabelsListTheAllowedOnes) {
  for (const std::string_view label : kDesignLabels) EXPECT_EQ(to_string(parse_design(label)), label);
  try {
    parse_design("menu");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("theorem2_menu"), std::string::npos);
  }
  EXPECT_THROW(make_design(Design::perfect_tests, make_criteria(60.0, 1.0), Procedure::fixed_ab, 1.0),
               std::invalid_argument);
}

// spec §1.3: ĥ_B is the bisector half-plane on the L_A side, through O and O⁺;
// its mirror ĥ_A for A first.
TEST(NamedDesigns, BisectorTestsLieOnTheBisectorThroughOAndOPlus) {
  for (const double angle : {20.0, 60.0, 100.0}) {
    const Criteria c = make_criteria(angle, 2.0);
    for (const bool a_first : {true, false}) {
      const Mechanism m = make_design(Design::custom, c, Procedure::fixed_ab, 1.0, bisector_tests(c, a_first));
      const HalfPlane& rotated = m.items[0].tests.sides[a_first ? 0 : 1];
      EXPECT_NEAR(rotated.slack({0.0, 0.0}), 0.0, 1e-12) << angle;
      EXPECT_NEAR(dot(rotated.normal, c.bisector), 0.0, 1e-12) << angle;
      // The rotated test keeps the side of the other criterion's edge.
      EXPECT_GT(rotated.slack(m.items[0].tests.vertex + c.wedge.edges[a_first ? 1 : 0]), 0.0);
    }
  }
}

// spec §3 Theorem 2 [D]: Sel(S1) ∪ Sel(S2) ⊇ H, both feasible; the menu lets
// each type pick the better item, so its value is F(H) (uniform square KAT §4.4).
TEST(NamedDesigns, TheoremTwoMenuReachesTheFirstBestAndEachItemFallsShort) {
  const Distribution square = make_distribution(DistributionKind::uniform_square, {0.0, 0.0}, 5.0);
  for (const double angle : {30.0, 60.0, 63.8, 100.0, 135.0}) {
    const Criteria c = make_criteria(angle, 1.0);
    const Mechanism menu = make_design(Design::theorem2_menu, c, Procedure::simultaneous, 0.5);
    ASSERT_EQ(menu.size, 2U);
    EXPECT_TRUE(exact_feasibility(menu, Setting::manipulation)) << angle;
    const Evaluation e = evaluate(menu, Setting::manipulation, square);
    EXPECT_NEAR(e.value, e.first_best, 1e-9) << angle;
    EXPECT_LE(e.viol_mass, 1e-12) << angle;
    for (const Instance& item : menu) {
      EXPECT_LT(evaluate(item, Setting::manipulation, square).value, e.first_best - 1e-4) << angle;
    }
    if (angle == 60.0) {
      EXPECT_NEAR(e.value, 0.17783122, 5e-9);
    }
  }
}

TEST(NamedDesigns, MenusNeedACommonVertexAndCriteria) {
  EXPECT_THROW(make_menu(instance(60.0, Procedure::fixed_ab), instance(60.0, Procedure::fixed_ba, 1.0, 0.5)),
               std::invalid_argument);
  EXPECT_THROW(make_menu(instance(60.0, Procedure::fixed_ab), instance(50.0, Procedure::fixed_ab)),
               std::invalid_argument);
  EXPECT_NO_THROW(make_menu(instance(60.0, Procedure::fixed_ab), instance(60.0, Procedure::fixed_ba)));
}

// The menu's best response is the better item's: pointwise against the items.
TEST(NamedDesigns, MenuBestResponseIsTheBestItem) {
  const Criteria c = make_criteria(50.0, 1.0);
  const Mechanism menu = make_design(Design::theorem2_menu, c, Procedure::fixed_ab, 1.0);
  boost::random::mt19937_64 engine(5);
  boost::random::uniform_real_distribution<double> coordinate(-3.0, 5.0);
  for (int i = 0; i < 2000; ++i) {
    const Vec2 x{coordinate(engine), coordinate(engine)};
    const BestResponse both = best_response(menu, x);
    const BestResponse s1 = best_response(menu.items[0], x);
    const BestResponse s2 = best_response(menu.items[1], x);
    EXPECT_NEAR(both.utility(), std::fmax(s1.utility(), s2.utility()), 1e-12);
    EXPECT_EQ(both.strategy.probability, std::fmax(s1.strategy.probability, s2.strategy.probability));
  }
}

// Section 6.2 / spec §8, class (ii) with the Assumption-1 convention of §1.4:
// the fixed-order cost is min(d(x0, H̃), d(x0, h̃_1) + d(x0, h̃_2)), checked
// against a brute-force minimum over stage-1 and stage-2 points.
TEST(CostClassTwo, FixedOrderCostMatchesBruteForce) {
  for (const double angle : {40.0, 75.0, 120.0}) {
    const Instance in = instance(angle, Procedure::fixed_ab, 0.7, 1.2, 0.5, 1.0, 5.0, -3.0);
    const Wedge& t = in.tests;
    boost::random::mt19937_64 engine(17);
    boost::random::uniform_real_distribution<double> coordinate(-3.0, 4.0);
    for (int i = 0; i < 200; ++i) {
      const Vec2 x0{coordinate(engine), coordinate(engine)};
      const double closed = origin_additive_path(t, TestOrder::a_first, 1.0, x0).length;
      // Brute force: x1 on a grid of h̃_A, x2 its best response; one-step when x1 = x2 ∈ H̃.
      double best = t.distance(x0);
      for (double dx = -4.0; dx <= 4.0; dx += 0.02) {
        for (double dy = -4.0; dy <= 4.0; dy += 0.02) {
          const Vec2 x1 = x0 + Vec2{dx, dy};
          if (t.sides[0].slack(x1) < 0.0) continue;
          best = std::fmin(best, norm(x1 - x0) + t.sides[1].distance(x0));
        }
      }
      EXPECT_LE(closed, best + 1e-12) << angle;
      EXPECT_GE(closed, best - 0.03) << angle;  // grid step 0.02·√2
    }
  }
}

// The origin-additive quadrature against Monte Carlo, every procedure and setting.
TEST(CostClassTwo, QuadratureAgreesWithMonteCarlo) {
  const Distribution gaussian = make_distribution(DistributionKind::gaussian, {1.0, 1.5}, 1.0);
  for (const Procedure p : {Procedure::simultaneous, Procedure::fixed_ab, Procedure::fixed_ba,
                            Procedure::random_undisclosed, Procedure::random_disclosed}) {
    for (const Setting s : {Setting::manipulation, Setting::investment}) {
      InstanceParams params;
      params.angle_deg = 50.0;
      params.procedure = p;
      params.q = 0.4;
      params.shift_a = 0.7;
      params.shift_b = 1.2;
      params.rotate_a_deg = 5.0;
      params.cost_model = CostModel::origin_additive;
      const Instance in = make_instance(params);
      const Evaluation e = evaluate(in, s, gaussian);
      EXPECT_TRUE(e.converged);
      const MonteCarloEstimate mc = monte_carlo_value(in, s, gaussian, 99, 200000);
      EXPECT_NEAR(e.value, mc.value, 5.0 * mc.standard_error) << to_string(p) << " " << to_string(s);
      EXPECT_NEAR(e.total_mass, 1.0, 1e-9);
    }
  }
}

// Condition O by scanning directions reproduces the exact path-additive
// formula of spec §3 (Theorem 3), so the scan used for class (ii) is sound.
TEST(CostClassTwo, ScannedConditionOMatchesTheExactFormula) {
  for (const double angle : {20.0, 29.0, 31.0, 36.0, 38.0, 53.0, 54.0, 80.0, 95.0}) {
    for (const double q : {0.5, 0.6, 0.8}) {
      for (const Procedure p : {Procedure::random_undisclosed, Procedure::fixed_ab, Procedure::simultaneous}) {
        const Instance in = instance(angle, p, 0.0, 0.0, q);
        EXPECT_EQ(condition_o_by_scan(in), condition_o(in)) << angle << " " << q << " " << to_string(p);
      }
    }
  }
}

// Prop 6 (A1–A6, here class (ii) under the §1.4 convention): some fixed order
// with strictly stringent tests beats the optimal simultaneous tests. With h⁺
// the split strategies stay feasible (each leg alone exceeds 1/η for an
// unqualified type) and select strictly more than N_{1/η}(H⁺) below 90°.
TEST(CostClassTwo, PropositionSixFixedOrderBeatsSimultaneous) {
  const Distribution gaussian = make_distribution(DistributionKind::gaussian, {1.0, 2.0}, 2.0);
  for (const double angle : {30.0, 60.0, 120.0}) {
    InstanceParams params;
    params.angle_deg = angle;
    params.cost_model = CostModel::origin_additive;
    params.procedure = Procedure::simultaneous;
    const Evaluation simultaneous = evaluate(make_instance(params), Setting::manipulation, gaussian);
    for (const Procedure p : {Procedure::fixed_ab, Procedure::fixed_ba}) {
      params.procedure = p;
      const Instance fixed = make_instance(params);
      const Evaluation e = evaluate(fixed, Setting::manipulation, gaussian);
      EXPECT_LE(e.viol_mass, 1e-12) << angle;
      EXPECT_GE(e.value, simultaneous.value - 1e-12) << angle;
      if (angle < 90.0) {
        EXPECT_GT(e.value, simultaneous.value + 1e-4) << angle;
        EXPECT_FALSE(condition_o(fixed)) << angle;
      }
    }
  }
}

// The O(1) feasibility check against the quadrature on random designs, both
// cost classes and settings (a wide Gaussian has mass wherever a violation
// could be). It is exact except for class (ii) random orders in investment,
// where it is sufficient (some split regions it guards are not chosen over
// one step).
TEST(CostClassTwo, ExactFeasibilityAgreesWithTheQuadrature) {
  boost::random::mt19937_64 engine(2024);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0);
  const Procedure procedures[] = {Procedure::simultaneous, Procedure::fixed_ab, Procedure::fixed_ba,
                                  Procedure::random_undisclosed, Procedure::random_disclosed};
  int feasible_seen = 0;
  int infeasible_seen = 0;
  for (int i = 0; i < 120; ++i) {
    InstanceParams params;
    params.angle_deg = 15.0 + 150.0 * unit(engine);
    params.cost_scale = 0.5 + 1.5 * unit(engine);
    params.procedure = procedures[i % 5];
    params.q = 0.1 + 0.8 * unit(engine);
    params.shift_a = 2.0 * unit(engine);
    params.shift_b = 2.0 * unit(engine);
    params.rotate_a_deg = 10.0 * (unit(engine) - 0.5);
    params.rotate_b_deg = 10.0 * (unit(engine) - 0.5);
    params.cost_model = i % 2 == 0 ? CostModel::origin_additive : CostModel::path_additive;
    const Instance in = make_instance(params);
    // A test edge that leaves cone(H) by a hair leaves H thousands of units
    // out, where the Gaussian has no mass (F-a.s. feasible, yet infeasible for
    // every type): such designs cannot be compared, so they are skipped.
    double edge_slope = 1.0;
    for (const HalfPlane& h : in.criteria.wedge.sides) {
      for (const Vec2 edge : in.tests.edges) edge_slope = std::fmin(edge_slope, dot(h.normal, edge));
    }
    if (edge_slope < 0.0 && edge_slope > -0.05) continue;
    const Distribution wide = make_distribution(DistributionKind::gaussian, in.tests.vertex, 4.0 / params.cost_scale);
    for (const Setting setting : {Setting::manipulation, Setting::investment}) {
      const Evaluation e = evaluate(in, setting, wide);
      const bool exact = exact_feasibility(in, setting);
      // Violations far out (an edge leaving cone(H)) carry Gaussian-tail mass
      // below any tolerance, so "no violating piece at all" is the comparison.
      const bool quadrature = e.viol_mass == 0.0;
      const bool must_agree = setting == Setting::manipulation || params.cost_model == CostModel::path_additive ||
                              params.procedure == Procedure::fixed_ab || params.procedure == Procedure::fixed_ba ||
                              params.procedure == Procedure::simultaneous;
      if (exact) {
        EXPECT_LE(e.viol_mass, 1e-12) << i << " " << to_string(params.procedure);
      }
      if (must_agree) {
        EXPECT_EQ(exact, quadrature) << i << " " << to_string(params.procedure) << " " << to_string(setting) << " "
                                     << e.viol_mass << " θ=" << params.angle_deg << " q=" << params.q << " margin "
                                     << feasibility_margin(in, setting);
      }
      (exact ? feasible_seen : infeasible_seen)++;
    }
  }
  EXPECT_GT(feasible_seen, 5);
  EXPECT_GT(infeasible_seen, 5);
}

// The strategy labels follow the enumerators (the quadrature's strategy
// shares and every message print them).
TEST(CostClassTwo, StrategyKindLabelsFollowTheEnumerators) {
  EXPECT_EQ(to_string(StrategyKind::none), "none");
  EXPECT_EQ(to_string(StrategyKind::stay), "stay");
  EXPECT_EQ(to_string(StrategyKind::one_step), "one_step");
  EXPECT_EQ(to_string(StrategyKind::stay_and_project), "stay_and_project");
  EXPECT_EQ(to_string(StrategyKind::zigzag), "zigzag");
  EXPECT_EQ(to_string(StrategyKind::refracted), "refracted");
  EXPECT_EQ(to_string(StrategyKind::split), "split");
}

}  // namespace
}  // namespace mechsweep::testdesign
