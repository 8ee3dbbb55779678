// The agent's best response (spec 003 §2.2–2.5, §2.7, §1.9): the §4.2 table,
// path consistency, brute-force path minimisation, and the pointwise
// invariants of §4.5.

#include "mechanisms/testdesign/best_response.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <functional>
#include <limits>

#include "mechanisms/testdesign/test_helpers.hpp"

namespace mechsweep::testdesign {
namespace {

using testing::deg;
using testing::instance;
using testing::IsNear;

constexpr double kTable = 6e-5;  // the §4.2 table prints 4 decimals

// ---- spec §4.2: θ = 60°, η = 1, tests = criteria, q = 0.5 --------------------

struct TableRow {
  Vec2 x0;
  double s_a, s_b, d;
  double k_ab;
  StrategyKind kind_ab;
  double k_ba;
  StrategyKind kind_ba;
  std::array<double, 3> nd;  // one-step, A→B, B→A
  StrategyKind nd_choice;
  std::array<double, 3> di;  // one-step, A-targeted, B-targeted
  double di_probability;
};

// The table labels the first row's A→B path "[stay], x1 = x0": its projection
// onto L_B already passes test A, so by the tie rule of §1.9 (prefer one step)
// the same-cost path is reported as a one-step path x1 = x2.
const std::array<TableRow, 4> kTableRows = {{
    {{0.5, -0.2},
     0.5,
     -0.4232,
     0.4232,
     0.4232,
     StrategyKind::one_step,
     0.4232,
     StrategyKind::one_step,
     {0.5768, 0.0768, 0.0768},
     StrategyKind::one_step,
     {0.5768, 0.2884, 0.0768},
     1.0},
    {{0.2, -1.0},
     0.2,
     -0.9660,
     1.0198,
     0.9660,
     StrategyKind::stay_and_project,
     1.0198,
     StrategyKind::one_step,
     {-0.0198, -0.466, -0.5198},
     StrategyKind::none,
     {-0.0198, 0.0170, -0.5198},
     0.5},
    {{-0.3, -0.6},
     -0.3,
     -0.3696,
     0.6708,
     0.6696,
     StrategyKind::zigzag,
     0.6708,
     StrategyKind::one_step,
     {0.3292, -0.1696, -0.1708},
     StrategyKind::one_step,
     {0.3292, -0.0302, -0.0756},
     1.0},
    {{-0.6, -0.2},
     -0.6,
     0.1268,
     0.6325,
     0.6325,
     StrategyKind::one_step,
     0.6000,
     StrategyKind::stay_and_project,
     {0.3675, -0.1325, -0.1},
     StrategyKind::one_step,
     {0.3675, -0.1325, 0.2},
     1.0},
}};

TEST(BestResponseTable, EveryNumberOfSection42) {
  const Instance nd = instance(60.0, Procedure::random_undisclosed, 0.0, 0.0, 0.5);
  const Instance di = instance(60.0, Procedure::random_disclosed, 0.0, 0.0, 0.5);
  for (const TableRow& row : kTableRows) {
    SCOPED_TRACE(::testing::Message() << "x0 = (" << row.x0.x << ", " << row.x0.y << ")");
    EXPECT_NEAR(nd.tests.sides[0].slack(row.x0), row.s_a, kTable);
    EXPECT_NEAR(nd.tests.sides[1].slack(row.x0), row.s_b, kTable);
    EXPECT_NEAR(one_step_path(nd.tests, row.x0).length, row.d, kTable);
    const Path ab = fixed_order_path(nd.tests, TestOrder::a_first, row.x0);
    const Path ba = fixed_order_path(nd.tests, TestOrder::b_first, row.x0);
    EXPECT_NEAR(ab.length, row.k_ab, kTable);
    EXPECT_EQ(ab.kind, row.kind_ab);
    EXPECT_NEAR(ba.length, row.k_ba, kTable);
    EXPECT_EQ(ba.kind, row.kind_ba);
    const StrategyMenu nd_menu = strategy_menu(nd, row.x0);
    const StrategyMenu di_menu = strategy_menu(di, row.x0);
    ASSERT_EQ(nd_menu.size, 3U);
    ASSERT_EQ(di_menu.size, 3U);
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_NEAR(nd_menu.options[i].utility(), row.nd[i], kTable) << "no disclosure, option " << i;
      EXPECT_NEAR(di_menu.options[i].utility(), row.di[i], kTable) << "disclosure, option " << i;
    }
    EXPECT_EQ(best_response(nd, row.x0).strategy.kind, row.nd_choice);
    EXPECT_DOUBLE_EQ(best_response(di, row.x0).strategy.probability, row.di_probability);
  }
}

TEST(BestResponseTable, PathsOfSection42) {
  const Wedge tests = instance(60.0, Procedure::fixed_ab, 0.0, 0.0).tests;
  const Path first = fixed_order_path(tests, TestOrder::a_first, {0.5, -0.2});
  EXPECT_THAT(first.x2, IsNear(Vec2{0.2884, 0.1665}, kTable));
  const Path second = fixed_order_path(tests, TestOrder::a_first, {0.2, -1.0});
  EXPECT_THAT(second.x1, IsNear(Vec2{0.2, -1.0}, 1e-15));
  EXPECT_THAT(second.x2, IsNear(Vec2{-0.2830, -0.1634}, kTable));
  const Path zigzag = fixed_order_path(tests, TestOrder::a_first, {-0.3, -0.6});
  EXPECT_THAT(zigzag.x1, IsNear(Vec2{0.0, -0.0804}, kTable));
  EXPECT_THAT(zigzag.x2, IsNear(Vec2{-0.0348, -0.0201}, kTable));
  const Path fourth = fixed_order_path(tests, TestOrder::b_first, {-0.6, -0.2});
  EXPECT_THAT(fourth.x2, IsNear(Vec2{0.0, -0.2}, 1e-15));
}

// spec §4.2: the point (0.2, −1) separates three outcome classes.
TEST(BestResponseTable, OnePointSeparatesThreeOutcomeClasses) {
  const Vec2 x0{0.2, -1.0};
  const auto pi = [&](Procedure p) { return best_response(instance(60.0, p, 0.0, 0.0, 0.5), x0).strategy.probability; };
  EXPECT_EQ(pi(Procedure::fixed_ab), 1.0);
  EXPECT_EQ(pi(Procedure::fixed_ba), 0.0);
  EXPECT_EQ(pi(Procedure::simultaneous), 0.0);
  EXPECT_EQ(pi(Procedure::random_disclosed), 0.5);
  EXPECT_EQ(pi(Procedure::random_undisclosed), 0.0);
}

// ---- spec §1.9 tie-breaking --------------------------------------------------

TEST(BestResponseTies, UtilityExactlyZeroParticipates) {
  const Instance sim = instance(60.0, Procedure::simultaneous, 0.0, 0.0);
  const BestResponse at_reach = best_response(sim, {-1.0, 0.5});  // distance exactly 1 to the edge of A
  EXPECT_EQ(at_reach.strategy.kind, StrategyKind::one_step);
  EXPECT_EQ(at_reach.strategy.probability, 1.0);
  EXPECT_EQ(at_reach.utility(), 0.0);
  EXPECT_EQ(best_response(sim, {-1.0 - 1e-9, 0.5}).strategy.kind, StrategyKind::none);
}

TEST(BestResponseTies, EqualUtilitiesPreferOneStepThenHigherProbability) {
  StrategyMenu menu;
  menu.options[0] = {StrategyKind::one_step, 1.0, 0.6, {}, {}};
  menu.options[1] = {StrategyKind::zigzag, 0.5, 0.1, {}, {}};
  menu.options[2] = {StrategyKind::zigzag, 0.5, 0.1, {}, {}};
  menu.size = 3;
  EXPECT_EQ(choose_option(menu), 0U);  // all three tie at 0.4
  menu.options[0].cost = 0.7;
  EXPECT_EQ(choose_option(menu), 1U);  // then the earlier of two equal probabilities
  menu.options[2] = {StrategyKind::zigzag, 0.6, 0.2, {}, {}};
  EXPECT_EQ(choose_option(menu), 2U);  // higher probability among ties
  menu.options[0].cost = 2.0;
  menu.options[1].cost = 0.9;
  menu.options[2].cost = 0.9;
  EXPECT_EQ(choose_option(menu), 3U);  // nothing pays
  EXPECT_EQ(choose_strategy(menu, {1.0, 2.0}).kind, StrategyKind::none);
}

TEST(BestResponseTies, TypesOnACriterionLineAreQualified) {
  const Criteria c = make_criteria(60.0, 1.0);
  EXPECT_TRUE(is_qualified(c, {0.0, 3.0}));
  EXPECT_TRUE(is_qualified(c, 2.0 * c.wedge.edges[1]));
  EXPECT_FALSE(is_qualified(c, {-1e-9, 3.0}));
  EXPECT_TRUE(can_reach_criteria(c, {-1.0, 3.0}));
  EXPECT_FALSE(can_reach_criteria(c, {-0.8, -0.8}));
}

// ---- Path consistency and brute force ---------------------------------------

// Random tests: θ ∈ [5°, 175°], shifts in [−1, 2], rotations up to ±40° (kept
// non-parallel), cost scale in [0.5, 2].
Instance random_instance(boost::random::mt19937_64& rng, Procedure procedure) {
  boost::random::uniform_real_distribution<double> u(0.0, 1.0);
  for (;;) {
    const double angle = 5.0 + 170.0 * u(rng);
    const double ra = u(rng) < 0.5 ? 0.0 : -40.0 + 80.0 * u(rng);
    const double rb = u(rng) < 0.5 ? 0.0 : -40.0 + 80.0 * u(rng);
    try {
      return instance(angle, procedure, -1.0 + 3.0 * u(rng), -1.0 + 3.0 * u(rng), 0.05 + 0.9 * u(rng),
                      0.5 + 1.5 * u(rng), ra, rb);
    } catch (const std::invalid_argument&) {
      continue;  // nearly parallel tests: draw again
    }
  }
}

Vec2 random_point_near(boost::random::mt19937_64& rng, Vec2 center, double radius) {
  boost::random::uniform_real_distribution<double> u(-1.0, 1.0);
  return center + Vec2{radius * u(rng), radius * u(rng)};
}

double distance(Vec2 a, Vec2 b) { return norm(a - b); }

// Coarse-to-fine grid minimisation of cost(x) over feasible(x) in the box
// center ± half: the minimum over a finite set of feasible points, so it is
// never below the true minimum.
double brute_minimum(const std::function<double(Vec2)>& cost, const std::function<bool(Vec2)>& feasible, Vec2 center,
                     double half) {
  double best = std::numeric_limits<double>::infinity();
  Vec2 best_point = center;
  int n = 120;
  for (int level = 0; level < 5; ++level) {
    const double step = 2.0 * half / n;
    const Vec2 origin = best_point - Vec2{half, half};
    for (int i = 0; i <= n; ++i) {
      for (int j = 0; j <= n; ++j) {
        const Vec2 x = origin + Vec2{i * step, j * step};
        if (!feasible(x)) continue;
        const double c = cost(x);
        if (c < best) {
          best = c;
          best_point = x;
        }
      }
    }
    half = 4.0 * step;
    n = 40;
  }
  return best;
}

TEST(BestResponseClosedForm, PathsPassTheirTestsAndCostWhatTheyClaim) {
  boost::random::mt19937_64 rng(2025);
  for (int trial = 0; trial < 300; ++trial) {
    const Instance in = random_instance(rng, Procedure::random_disclosed);
    const Wedge& t = in.tests;
    const Vec2 x0 = random_point_near(rng, t.vertex, 3.0 / in.criteria.cost_scale);
    const double tol = 1e-12 * (1.0 + norm(x0) + norm(t.vertex));
    const Path one = one_step_path(t, x0);
    EXPECT_TRUE(t.contains(one.x2, tol));
    EXPECT_NEAR(distance(x0, one.x2), one.length, tol);
    for (const TestOrder order : {TestOrder::a_first, TestOrder::b_first}) {
      const std::size_t first = order == TestOrder::a_first ? 0 : 1;
      const Path k = fixed_order_path(t, order, x0);
      EXPECT_GE(t.sides[first].slack(k.x1), -tol);
      EXPECT_GE(t.sides[1 - first].slack(k.x2), -tol);
      EXPECT_NEAR(distance(x0, k.x1) + distance(k.x1, k.x2), k.length, 1e-10 * (1.0 + k.length));
      const double p = 0.05 + 0.9 * (trial % 10) / 10.0;
      const Path w = disclosed_path(t, order, p, x0);
      EXPECT_GE(t.sides[first].slack(w.x1), -tol);
      EXPECT_GE(t.sides[1 - first].slack(w.x2), -tol);
      EXPECT_NEAR(distance(x0, w.x1) + p * distance(w.x1, w.x2), w.length, 1e-10 * (1.0 + w.length));
    }
  }
}

// spec §2.3–2.5 vs brute-force path minimisation (the [D] check of the spec).
TEST(BestResponseClosedForm, AgreesWithBruteForcePathMinimisation) {
  boost::random::mt19937_64 rng(7);
  int checked = 0;
  for (int trial = 0; checked < 120; ++trial) {
    const Instance in = random_instance(rng, Procedure::random_disclosed);
    const Wedge& t = in.tests;
    // A grid cannot resolve a very thin wedge near its vertex.
    if (test_angle_deg(in) < 15.0 || test_angle_deg(in) > 165.0) continue;
    ++checked;
    const Vec2 x0 = random_point_near(rng, t.vertex, 2.0 / in.criteria.cost_scale);
    const double half = distance(x0, t.vertex) + 0.5;
    const double slack_tol = 1e-3 * half;  // grid error; the other direction is exact
    SCOPED_TRACE(::testing::Message() << "trial " << trial);

    const double d1 =
        brute_minimum([&](Vec2 x) { return distance(x0, x); }, [&](Vec2 x) { return t.contains(x, 0.0); }, x0, half);
    EXPECT_LE(one_step_path(t, x0).length, d1 + 1e-12);
    EXPECT_LE(d1, one_step_path(t, x0).length + slack_tol);

    for (const TestOrder order : {TestOrder::a_first, TestOrder::b_first}) {
      const HalfPlane& h1 = t.sides[order == TestOrder::a_first ? 0 : 1];
      const HalfPlane& h2 = t.sides[order == TestOrder::a_first ? 1 : 0];
      const auto passes_first = [&](Vec2 x) { return h1.slack(x) >= 0.0; };
      const double k =
          brute_minimum([&](Vec2 x1) { return distance(x0, x1) + h2.distance(x1); }, passes_first, x0, half);
      const double closed = fixed_order_path(t, order, x0).length;
      EXPECT_LE(closed, k + 1e-12);
      EXPECT_LE(k, closed + slack_tol);
      const double p = 0.2 + 0.6 * (trial % 7) / 7.0;
      const double w =
          brute_minimum([&](Vec2 x1) { return distance(x0, x1) + p * h2.distance(x1); }, passes_first, x0, half);
      const double refracted = disclosed_path(t, order, p, x0).length;
      EXPECT_LE(refracted, w + 1e-12);
      EXPECT_LE(w, refracted + slack_tol);
    }
  }
}

// ---- spec §4.5 pointwise invariants ------------------------------------------

// Item 1: K_12 ≤ d(x, H̃), equality iff θ̃ ≥ 90°; K_12 ≥ dist(Sym_{L̃_1} x, h̃_2) off h̃_1.
TEST(BestResponseInvariants, FixedOrderCostIsAtMostTheOneStepCost) {
  boost::random::mt19937_64 rng(11);
  int strict = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    const Instance in = random_instance(rng, Procedure::fixed_ab);
    const Wedge& t = in.tests;
    const Vec2 x = random_point_near(rng, t.vertex, 2.0);
    const double d = one_step_path(t, x).length;
    const double tol = 1e-12 * (1.0 + norm(x) + norm(t.vertex));
    for (const TestOrder order : {TestOrder::a_first, TestOrder::b_first}) {
      const double k = fixed_order_path(t, order, x).length;
      EXPECT_LE(k, d + tol);
      if (t.cos_angle <= 0.0) {
        EXPECT_NEAR(k, d, tol) << "θ̃ ≥ 90°: sequential = simultaneous (§2.3 item 4)";
      }
      if (k < d - 1e-9) ++strict;
      const HalfPlane& h1 = t.sides[order == TestOrder::a_first ? 0 : 1];
      const HalfPlane& h2 = t.sides[order == TestOrder::a_first ? 1 : 0];
      if (h1.slack(x) < 0.0) {
        EXPECT_GE(k, h2.distance(h1.reflect(x)) - tol);
      }
    }
  }
  EXPECT_GT(strict, 100) << "acute tests must produce strictly cheaper zig-zags";
}

// Items 2 and 6 and Lemma 1 (pointwise): Sel_sim ⊂ Sel_fixed; Prop 13:
// Sel_randND(q) ⊂ Sel_fixed(B first if q ≤ 1/2, else A first); disclosure:
// π_DI ≤ q·1[M_1] + (1 − q)·1[M_0] ⊂ union of the fixed orders.
TEST(BestResponseInvariants, SelectedSetsAreNestedAsThePaperStates) {
  boost::random::mt19937_64 rng(13);
  int random_selected = 0;
  int disclosure_selected = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const Instance base = random_instance(rng, Procedure::simultaneous);
    const auto with = [&](Procedure p) {
      Instance in = base;
      in.procedure = p;
      if (p == Procedure::fixed_ab) in.q = 1.0;
      if (p == Procedure::fixed_ba) in.q = 0.0;
      return in;
    };
    const Instance sim = with(Procedure::simultaneous);
    const Instance ab = with(Procedure::fixed_ab);
    const Instance ba = with(Procedure::fixed_ba);
    const Instance nd = with(Procedure::random_undisclosed);
    const Instance di = with(Procedure::random_disclosed);
    const double q = base.q;
    for (int k = 0; k < 40; ++k) {
      const Vec2 x = random_point_near(rng, base.tests.vertex, 1.5 / base.criteria.cost_scale);
      const double in_ab = best_response(ab, x).strategy.probability;
      const double in_ba = best_response(ba, x).strategy.probability;
      if (best_response(sim, x).strategy.probability > 0.0) {
        EXPECT_EQ(in_ab, 1.0);
        EXPECT_EQ(in_ba, 1.0);
      }
      if (best_response(nd, x).strategy.probability > 0.0) {
        ++random_selected;
        EXPECT_EQ(q <= 0.5 ? in_ba : in_ab, 1.0) << "Prop 13, q = " << q;
      }
      const double pi_di = best_response(di, x).strategy.probability;
      if (pi_di > 0.0) ++disclosure_selected;
      EXPECT_LE(pi_di, q * in_ab + (1.0 - q) * in_ba + 1e-15) << "Lemma 1";
    }
  }
  EXPECT_GT(random_selected, 1000);
  EXPECT_GT(disclosure_selected, 1000);
}

// §2.6: the kite of a fixed order, and the triangles of disclosure, are what
// the best responses select beyond N_{1/η}(H̃).
TEST(BestResponseInvariants, FixedOrderSelectsExactlyTheKiteBeyondTheStrips) {
  const Instance ab = instance(40.0, Procedure::fixed_ab, 0.0, 0.0);
  const auto kite = kite_vertices(ab.tests, true, 1.0);
  const auto inside_kite = [&](Vec2 x) {
    // Convex quadrilateral Õ, P, Q, P' (counter-clockwise or clockwise): same sign of all cross products.
    int positive = 0;
    int negative = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const double c = cross(kite[(i + 1) % 4] - kite[i], x - kite[i]);
      if (c > 1e-12) ++positive;
      if (c < -1e-12) ++negative;
    }
    return positive == 0 || negative == 0;
  };
  boost::random::mt19937_64 rng(3);
  int in_kite_only = 0;
  for (int k = 0; k < 20000; ++k) {
    const Vec2 x = random_point_near(rng, ab.tests.vertex, 2.0);
    const bool near_tests = one_step_path(ab.tests, x).length <= 1.0;
    const bool selected = best_response(ab, x).strategy.probability > 0.0;
    EXPECT_EQ(selected, near_tests || inside_kite(x)) << x.x << ", " << x.y;
    if (!near_tests && inside_kite(x)) ++in_kite_only;
  }
  EXPECT_GT(in_kite_only, 50);
}

// §2.7: with unshifted tests every two-step type ends on the non-edge half of
// the second test line, outside H, within ρ cot θ̃ of Õ.
TEST(BestResponseInvariants, TwoStepFinalPointsLieOnTheNonEdgeHalfOfTheSecondLine) {
  const Instance ab = instance(35.0, Procedure::fixed_ab, 0.0, 0.0, 0.5, 1.5);
  boost::random::mt19937_64 rng(5);
  int two_step = 0;
  for (int k = 0; k < 5000; ++k) {
    const Vec2 x = random_point_near(rng, ab.tests.vertex, 1.0);
    const BestResponse r = best_response(ab, x);
    if (!is_two_step(r.strategy.kind)) continue;
    ++two_step;
    const double along = dot(r.strategy.x2 - ab.tests.vertex, ab.tests.edges[1]);
    EXPECT_NEAR(ab.tests.sides[1].slack(r.strategy.x2), 0.0, 1e-12);
    EXPECT_LE(along, 1e-12);
    EXPECT_GE(along, -ab.criteria.reach() / std::tan(ab.tests.angle()) - 1e-12);
    EXPECT_EQ(r.selected_final_outside_h, 1.0);
  }
  EXPECT_GT(two_step, 100);
}

}  // namespace
}  // namespace mechsweep::testdesign
