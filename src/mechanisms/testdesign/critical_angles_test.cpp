// The critical angles of spec 003 §5.1 (and §3, §7.2): arcsin(max(q, 1 − q))
// for Condition O and the investment random order, 45° (the Lemma 10/11
// regime change), 60° (2 cos θ = 1), θ sin θ = 1 (≈ 63.84°) and 90° (the kite
// vanishes), plus continuity and finiteness across θ̃ = 90°, where a tan-based
// implementation would blow up (§7.2).

#include <gtest/gtest.h>

#include <array>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <optional>
#include <string_view>

#include "mechanisms/testdesign/best_response.hpp"
#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/test_helpers.hpp"

namespace mechsweep::testdesign {
namespace {

using testing::deg;
using testing::in_convex_polygon;
using testing::instance;
using testing::kite_covered;
using testing::kOnLine;

// A Gaussian that covers the corner region of the h⁺ construction.
Distribution corner_gaussian(const Instance& in) {
  return make_distribution(DistributionKind::gaussian, 0.5 * in.tests.vertex, norm(in.tests.vertex) + 1.0);
}

// ---- arcsin(max(q, 1 − q)): Condition O (spec §3 Theorem 3 [D], §5.1) -------------

double condition_o_angle(double q) { return degrees(std::asin(std::fmax(q, 1.0 - q))); }

TEST(CriticalAngleConditionO, SwitchesExactlyAtArcsinOfTheLargerOrderProbability) {
  struct Row {
    double q;
    double angle;  // spec §3: 30°, 36.87°, 53.13°
  };
  for (const Row row : {Row{0.5, 30.0}, Row{0.6, 36.87}, Row{0.4, 36.87}, Row{0.8, 53.13}, Row{0.2, 53.13}}) {
    SCOPED_TRACE(::testing::Message() << "q = " << row.q);
    const double critical = condition_o_angle(row.q);
    EXPECT_NEAR(critical, row.angle, 5e-3);
    const auto holds = [&](double angle) {
      return condition_o(instance(angle, Procedure::random_undisclosed, 0.0, 0.0, row.q));
    };
    EXPECT_FALSE(holds(critical - 1e-6));
    EXPECT_TRUE(holds(critical + 1e-6));
  }
}

// The switch is real, not just the predicate: half a degree below the
// critical angle a type near the far vertex of the larger kite strictly
// prefers the two-step path; half a degree above no type takes two steps
// (spec §2.6: the kite leaves disk(Õ, 1/η) iff p > sin θ̃).
TEST(CriticalAngleConditionO, TwoStepTypesExistExactlyBelowTheCriticalAngle) {
  for (const double q : {0.5, 0.6, 0.8}) {
    SCOPED_TRACE(::testing::Message() << "q = " << q);
    const double critical = condition_o_angle(q);
    const Instance below = instance(critical - 0.5, Procedure::random_undisclosed, 0.0, 0.0, q);
    // Larger probability p = q ≥ 1/2 belongs to the order A→B; its kite's far
    // vertex is Õ − ẽ_A·p/(η sin θ̃), at distance > 1/η when p > sin θ̃.
    const double far = q / below.tests.sin_angle;
    ASSERT_GT(far, 1.0);
    const Vec2 x = below.tests.vertex - (1.0 - 0.25 * (far - 1.0) / far) * far * below.tests.edges[0];
    const BestResponse br = best_response(below, x);
    EXPECT_TRUE(is_two_step(br.strategy.kind)) << to_string(br.strategy.kind);
    EXPECT_NEAR(br.strategy.probability, q, 1e-15);

    const Instance above = instance(critical + 0.5, Procedure::random_undisclosed, 0.0, 0.0, q);
    int two_step = 0;
    const int n = 200;
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        const Vec2 y{-2.0 + 4.0 * (i + 0.37) / n, -2.0 + 4.0 * (j + 0.61) / n};
        if (is_two_step(best_response(above, y).strategy.kind)) ++two_step;
      }
    }
    EXPECT_EQ(two_step, 0);
  }
}

// spec §3 Theorem 3: with unshifted tests, (h_A, h_B, q, ∅) is feasible in
// investment ⇔ Condition O; half a degree either side of the critical angle.
TEST(CriticalAngleConditionO, InvestmentRandomOrderWithCriteriaTestsIsFeasibleExactlyAboveIt) {
  const Distribution corner = make_distribution(DistributionKind::uniform_square, {0.0, 0.0}, 2.0);
  for (const double q : {0.5, 0.8, 0.2}) {
    SCOPED_TRACE(::testing::Message() << "q = " << q);
    const double critical = condition_o_angle(q);
    const Instance below = instance(critical - 0.5, Procedure::random_undisclosed, 0.0, 0.0, q);
    const Instance above = instance(critical + 0.5, Procedure::random_undisclosed, 0.0, 0.0, q);
    const Evaluation e_below = evaluate(below, Setting::investment, corner);
    const Evaluation e_above = evaluate(above, Setting::investment, corner);
    // Below: the protruding part of the kite, area g(p) ~ 1e-4, invests to
    // points outside H; density 1/16.
    EXPECT_GT(e_below.viol_mass, 1e-6);
    EXPECT_EQ(exact_feasibility(below, Setting::investment), std::optional<bool>(false));
    EXPECT_LT(e_above.viol_mass, 1e-12);
    EXPECT_EQ(exact_feasibility(above, Setting::investment), std::optional<bool>(true));
    EXPECT_NEAR(e_above.value, e_above.first_best, 1e-10);
  }
  // The paper's own numbers (spec §3): infeasible at 29°, feasible at 31° for q = 1/2.
  EXPECT_EQ(exact_feasibility(instance(29.0, Procedure::random_undisclosed, 0.0, 0.0, 0.5), Setting::investment),
            std::optional<bool>(false));
  EXPECT_EQ(exact_feasibility(instance(31.0, Procedure::random_undisclosed, 0.0, 0.0, 0.5), Setting::investment),
            std::optional<bool>(true));
}

// ---- 45°: the Lemma 10/11 regime change (spec §3 Prop 13) --------------------------

// C_q ⊂ D_0 ∪ B (Lemma 10) and D_q ⊂ C_1 ∪ B (Lemma 11).
bool lemma10(double angle, double q) {
  const Wedge t = instance(angle, Procedure::random_undisclosed, 0.0, 0.0).tests;
  return kite_covered(kite_vertices(t, true, q), kite_vertices(t, false, 1.0));
}
bool lemma11(double angle, double q) {
  const Wedge t = instance(angle, Procedure::random_undisclosed, 0.0, 0.0).tests;
  return kite_covered(kite_vertices(t, false, 1.0 - q), kite_vertices(t, true, 1.0));
}

// Below 45° the bound is 1/(2 cos θ) > sin θ; above 45° it is sin θ < 1/(2 cos θ);
// a q between the two formulas tells which one is right on each side.
TEST(CriticalAngleFortyFive, LemmaTenAndElevenThresholdsChangeFormula) {
  const double t40 = deg(40.0);
  const double t50 = deg(50.0);
  ASSERT_LT(std::sin(t40), 1.0 / (2.0 * std::cos(t40)));
  ASSERT_LT(std::sin(t50), 1.0 / (2.0 * std::cos(t50)));
  const double between40 = 0.5 * (std::sin(t40) + 1.0 / (2.0 * std::cos(t40)));
  const double between50 = 0.5 * (std::sin(t50) + 1.0 / (2.0 * std::cos(t50)));
  EXPECT_TRUE(lemma10(40.0, between40));   // 1/(2 cos θ) is right below 45°
  EXPECT_FALSE(lemma10(50.0, between50));  // sin θ is right above 45°
  EXPECT_TRUE(lemma11(40.0, 1.0 - between40));
  EXPECT_FALSE(lemma11(50.0, 1.0 - between50));
  // At 45° the two formulas meet at 1/√2, and the inclusions switch there.
  const double t45 = deg(45.0);
  EXPECT_NEAR(std::sin(t45), 1.0 / (2.0 * std::cos(t45)), 1e-15);
  EXPECT_TRUE(lemma10(45.0, std::numbers::sqrt2 / 2.0 - 1e-4));
  EXPECT_FALSE(lemma10(45.0, std::numbers::sqrt2 / 2.0 + 1e-4));
  EXPECT_TRUE(lemma11(45.0, 1.0 - std::numbers::sqrt2 / 2.0 + 1e-4));
  EXPECT_FALSE(lemma11(45.0, 1.0 - std::numbers::sqrt2 / 2.0 - 1e-4));
}

// ---- 60°: 2 cos θ = 1 (spec §5.1) -------------------------------------------------
//
// Reading of "the zig-zag boundary line passes through B": under S2 =
// (h_A⁺, h_B⁺, 1) the zig-zag types form T' = triangle(O⁺, A, P_B') (the mirror
// half of Kite_A = conv{O⁺, P_B, A, P_B'}); its outer edge lies on the line
// A P_B', which meets L_A at (0, 2 cot θ), while B = (0, 1/sin θ). They meet
// iff 2 cos θ = 1. Consequence: T' is disjoint from the interior of ΔOAB iff
// θ ≤ 60°, so below 60° no type of ΔOAB is selected by a zig-zag.

TEST(CriticalAngleSixty, ZigZagBoundaryLinePassesThroughBExactlyAtSixtyDegrees) {
  for (const double angle : {40.0, 55.0, 60.0, 65.0, 80.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const Instance s2 = instance(angle, Procedure::fixed_ab);
    const auto kite_a = kite_vertices(s2.tests, true, 1.0);  // O⁺, P_B, A, P_B'
    const Vec2 a = kite_a[2];
    const Vec2 p_b_mirror = kite_a[3];
    const Vec2 b = kite_vertices(s2.tests, false, 1.0)[2];  // B = L_A ∩ L_B⁺
    const double theta = deg(angle);
    // Where the line A P_B' meets L_A (x = 0).
    const double t = a.x / (a.x - p_b_mirror.x);
    const Vec2 hit = a + t * (p_b_mirror - a);
    EXPECT_NEAR(hit.x, 0.0, 1e-12);
    EXPECT_NEAR(hit.y, 2.0 / std::tan(theta), 1e-12);
    EXPECT_NEAR(b.y, 1.0 / std::sin(theta), 1e-12);
    if (angle == 60.0) {
      EXPECT_NEAR(hit.y, b.y, 1e-12);
    } else {
      EXPECT_EQ(hit.y > b.y, angle < 60.0);
    }
  }
}

TEST(CriticalAngleSixty, NoTypeOfOABIsSelectedByZigZagUpToSixtyDegrees) {
  const auto zigzag_area_in_oab = [](double angle) {
    const Instance s2 = instance(angle, Procedure::fixed_ab);
    const Vec2 a = kite_vertices(s2.tests, true, 1.0)[2];
    const Vec2 b = kite_vertices(s2.tests, false, 1.0)[2];
    const std::array<Vec2, 3> oab{Vec2{0.0, 0.0}, a, b};
    const int n = 400;
    const double hx = a.x / n;
    const double hy = (b.y - a.y) / n;
    double area = 0.0;
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        const Vec2 x{(i + 0.53) * hx, std::fmin(0.0, a.y) + (j + 0.47) * (b.y - std::fmin(0.0, a.y)) / n};
        if (!in_convex_polygon(oab, x)) continue;
        const BestResponse br = best_response(s2, x);
        if (br.strategy.kind == StrategyKind::zigzag && br.strategy.probability > 0.0) area += hx * hy;
      }
    }
    return area;
  };
  for (const double angle : {30.0, 45.0, 55.0, 60.0}) EXPECT_EQ(zigzag_area_in_oab(angle), 0.0) << angle;
  for (const double angle : {61.0, 65.0, 75.0}) EXPECT_GT(zigzag_area_in_oab(angle), 1e-4) << angle;
}

// ---- ≈ 63.84°: θ sin θ = 1, |Λ_fix| = |ΔOAB| (spec §3 Theorem 2, §5.1) ------------

TEST(CriticalAngleSixtyFour, LostAreaOfTheFixedOrderEqualsTriangleAtThetaSinThetaOne) {
  std::uintmax_t iterations = 100;
  const auto [lo, hi] =
      boost::math::tools::toms748_solve([](double t) { return t * std::sin(t) - 1.0; }, deg(60.0), deg(70.0),
                                        boost::math::tools::eps_tolerance<double>(50), iterations);
  const double root = degrees(0.5 * (lo + hi));
  EXPECT_NEAR(root, 63.84, 0.01);
  // |Λ_fix| − |ΔOAB| by exact quadrature of a uniform law over the corner.
  const auto lost_minus_triangle = [](double angle) {
    const Instance s2 = instance(angle, Procedure::fixed_ab);
    const double half = norm(s2.tests.vertex) / 2.0 + 1.0;
    QuadratureOptions tight;
    tight.abs_tol = 1e-12;
    const Evaluation e =
        evaluate(s2, Setting::manipulation,
                 make_distribution(DistributionKind::uniform_square, 0.5 * s2.tests.vertex, half), tight);
    return e.qualified_rejected_mass * 4.0 * half * half - 1.0 / (2.0 * std::sin(deg(angle)));
  };
  EXPECT_NEAR(lost_minus_triangle(root), 0.0, 1e-7);
  EXPECT_GT(lost_minus_triangle(root - 0.5), 1e-4);
  EXPECT_LT(lost_minus_triangle(root + 0.5), -1e-4);
}

// ---- 90°: the kite vanishes (spec §2.3 item 4, §2.6, §5.1) ------------------------

// From θ̃ = 90° on every sequential procedure selects exactly N_{1/η}(H̃), so
// its value equals the simultaneous one; at 89° the fixed order still gains.
TEST(CriticalAngleNinety, SequentialProceduresEqualSimultaneousFromNinetyDegrees) {
  for (const double angle : {89.0, 90.0, 91.0, 120.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const Instance sim = instance(angle, Procedure::simultaneous);
    const Distribution f = corner_gaussian(sim);
    const Evaluation e_sim = evaluate(sim, Setting::manipulation, f);
    const Evaluation e_fix = evaluate(instance(angle, Procedure::fixed_ab), Setting::manipulation, f);
    if (angle < 90.0) {
      EXPECT_GT(e_fix.value, e_sim.value + 1e-8);
      continue;
    }
    for (const Procedure p :
         {Procedure::fixed_ab, Procedure::fixed_ba, Procedure::random_undisclosed, Procedure::random_disclosed}) {
      const Evaluation e = evaluate(instance(angle, p, 1.0, 1.0, 0.3), Setting::manipulation, f);
      EXPECT_NEAR(e.value, e_sim.value, 1e-11) << to_string(p);
      EXPECT_NEAR(e.selected_mass, e_sim.selected_mass, 1e-11) << to_string(p);
      EXPECT_EQ(e.two_step_mass, 0.0) << to_string(p);
      // Investment with the criteria as tests: every procedure reaches FB_inv.
      const Evaluation inv = evaluate(instance(angle, p, 0.0, 0.0, 0.3), Setting::investment, f);
      EXPECT_NEAR(inv.value, inv.first_best, 1e-10) << to_string(p);
      EXPECT_LT(inv.viol_mass, 1e-12) << to_string(p);
    }
    // The kite of area ρ² cot θ̃ is degenerate at 90°.
    if (angle == 90.0) {
      const auto k = kite_vertices(sim.tests, true, 1.0);
      const double area = 0.5 * std::fabs(cross(k[2] - k[0], k[1] - k[3]));
      EXPECT_LT(area, 1e-15);
    }
  }
}

bool all_finite(const Evaluation& e) {
  for (const double v : {e.first_best, e.value, e.ratio, e.selected_mass, e.viol_mass, e.qualified_rejected_mass,
                         e.share_stay, e.share_one_step, e.share_two_step, e.share_none, e.expected_agent_cost,
                         e.agent_welfare, e.two_step_mass, e.total_mass, e.error_estimate}) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

bool finite(Vec2 v) { return std::isfinite(v.x) && std::isfinite(v.y); }

// Two ways to put the test angle near 90°: (a) the criteria angle itself, with
// h⁺ tests in manipulation and the criteria in investment; (b) θ = 60° with
// test B rotated so that θ̃ = θ + ρ_A − ρ_B.
Instance near_right_angle(char family, double test_angle, Procedure p, Setting s) {
  const double shift = s == Setting::manipulation ? 1.0 : 0.0;
  if (family == 'a') return instance(test_angle, p, shift, shift, 0.3);
  return instance(60.0, p, shift, shift, 0.3, 1.0, 0.0, 60.0 - test_angle);
}

// spec §7.2: near θ̃ = 90° tan θ̃ blows up; every metric must stay finite and
// continuous through 90°.
TEST(CriticalAngleNinety, EvaluationIsFiniteAndContinuousAcrossNinetyDegrees) {
  for (const char family : {'a', 'b'}) {
    for (const Setting s : {Setting::manipulation, Setting::investment}) {
      for (const Procedure p :
           {Procedure::simultaneous, Procedure::fixed_ab, Procedure::random_undisclosed, Procedure::random_disclosed}) {
        SCOPED_TRACE(::testing::Message() << family << " " << to_string(s) << " " << to_string(p));
        const Instance at = near_right_angle(family, 90.0, p, s);
        const Distribution f = corner_gaussian(at);
        const Evaluation e_at = evaluate(at, s, f);
        EXPECT_TRUE(all_finite(e_at));
        EXPECT_TRUE(e_at.converged);
        for (const double test_angle : {89.9999, 90.0001}) {
          const Instance in = near_right_angle(family, test_angle, p, s);
          EXPECT_NEAR(test_angle_deg(in), test_angle, 1e-9);
          const Evaluation e = evaluate(in, s, f);
          EXPECT_TRUE(all_finite(e)) << test_angle;
          EXPECT_TRUE(e.converged) << test_angle;
          EXPECT_EQ(e.missed_switches, 0U) << test_angle;
          EXPECT_NEAR(e.value, e_at.value, 1e-6) << test_angle;
          EXPECT_NEAR(e.selected_mass, e_at.selected_mass, 1e-6) << test_angle;
          EXPECT_NEAR(e.viol_mass, e_at.viol_mass, 1e-6) << test_angle;
          EXPECT_NEAR(e.agent_welfare, e_at.agent_welfare, 1e-6) << test_angle;
        }
      }
    }
  }
}

// Best responses at and around the test vertex stay finite for θ̃ at, just
// below and just above 90°, down to distances 1e-12 from Õ; and the fixed-order
// cost is continuous in θ̃ there (the zig-zag gain is O(cot θ̃)).
TEST(CriticalAngleNinety, BestResponsesNearTheVertexAreFinite) {
  for (const char family : {'a', 'b'}) {
    std::array<Instance, 3> ins = {
        near_right_angle(family, 89.9999, Procedure::random_disclosed, Setting::manipulation),
        near_right_angle(family, 90.0, Procedure::random_disclosed, Setting::manipulation),
        near_right_angle(family, 90.0001, Procedure::random_disclosed, Setting::manipulation)};
    for (const double r : {1e-12, 1e-9, 1e-6, 0.3, 1.0}) {
      for (int k = 0; k < 72; ++k) {
        const Vec2 u = unit_vector(2.0 * std::numbers::pi * (k + 0.25) / 72.0);
        std::array<double, 3> k_ab{};
        for (std::size_t m = 0; m < ins.size(); ++m) {
          const Instance& in = ins[m];
          const Vec2 x = in.tests.vertex + r * u;
          for (const TestOrder order : {TestOrder::a_first, TestOrder::b_first}) {
            const Path fixed = fixed_order_path(in.tests, order, x);
            const Path disclosed = disclosed_path(in.tests, order, 0.3, x);
            ASSERT_TRUE(std::isfinite(fixed.length) && finite(fixed.x1) && finite(fixed.x2)) << family << r << k;
            ASSERT_TRUE(std::isfinite(disclosed.length) && finite(disclosed.x1) && finite(disclosed.x2))
                << family << r << k;
            EXPECT_LE(fixed.length, in.tests.distance(x) + 1e-12);
            EXPECT_GE(fixed.length, 0.0);
          }
          k_ab[m] = fixed_order_path(in.tests, TestOrder::a_first, x).length;
          for (const Procedure p : {Procedure::fixed_ab, Procedure::random_undisclosed, Procedure::random_disclosed}) {
            Instance with_p = in;
            with_p.procedure = p;
            with_p.q = p == Procedure::fixed_ab ? 1.0 : 0.3;
            const BestResponse br = best_response(with_p, x);
            ASSERT_TRUE(std::isfinite(br.utility()) && std::isfinite(br.strategy.cost) && finite(br.strategy.x1) &&
                        finite(br.strategy.x2))
                << family << r << k;
          }
        }
        EXPECT_NEAR(k_ab[0], k_ab[1], 1e-5 * (r + 1e-12) + 1e-15);
        EXPECT_NEAR(k_ab[2], k_ab[1], 1e-5 * (r + 1e-12) + 1e-15);
      }
    }
  }
}

}  // namespace
}  // namespace mechsweep::testdesign
