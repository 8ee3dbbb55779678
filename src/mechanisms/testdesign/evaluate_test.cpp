// The principal's payoff by quadrature: known answers of spec 003 §4.3 and
// §2.6, the uniform-square payoffs, the distributions' radial moments, the
// vector adaptive quadrature, and the Monte Carlo cross-check.

#include "mechanisms/testdesign/evaluate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "mechanisms/testdesign/adaptive_quadrature.hpp"
#include "mechanisms/testdesign/test_helpers.hpp"

namespace mechsweep::testdesign {
namespace {

using std::numbers::pi;
using testing::deg;
using testing::instance;

QuadratureOptions tight() {
  QuadratureOptions o;
  o.abs_tol = 1e-12;
  return o;
}

// ---- spec §4.4: uniform on [−5, 5]², θ = 60°, η = 1 --------------------------

TEST(EvaluateKnownAnswers, UniformSquarePayoffsAtSixtyDegrees) {
  const Distribution square = make_distribution(DistributionKind::uniform_square, {0.0, 0.0}, 5.0);
  const Evaluation sim = evaluate(instance(60.0, Procedure::simultaneous), Setting::manipulation, square, tight());
  const Evaluation fixed = evaluate(instance(60.0, Procedure::fixed_ab), Setting::manipulation, square, tight());
  // area(H ∩ S) = 25 − 12.5/√3.
  EXPECT_NEAR(sim.first_best, (25.0 - 12.5 / std::sqrt(3.0)) / 100.0, 1e-12);
  EXPECT_NEAR(sim.first_best, 0.17783122, 5e-9);
  EXPECT_NEAR(sim.value, 0.17098268, 5e-9);    // V*_sim
  EXPECT_NEAR(fixed.value, 0.17152020, 5e-9);  // V(h_A⁺, h_B⁺, 1)
  EXPECT_LT(sim.viol_mass, 1e-12);
  EXPECT_LT(fixed.viol_mass, 1e-12);
  EXPECT_TRUE(sim.feasible);
  EXPECT_TRUE(fixed.feasible_exact);
  EXPECT_EQ(fixed.missed_switches, 0U);
}

// ---- spec §4.3: Lebesgue areas of the lost sets near the corner ---------------

struct AreaRow {
  double angle, lambda_sim, lambda_fix, gain, triangle_oab, o_oplus, o_pa, o_e1;
};

TEST(EvaluateKnownAnswers, LostAreasOfSection43) {
  const std::array<AreaRow, 5> rows = {{
      {30.0, 2.4230539, 1.7382006, 0.6848533, 1.0, 3.863703, 3.732051, 2.0},
      {45.0, 1.2361163, 1.0215145, 0.2146018, 0.7071068, 2.613126, 2.414214, 1.414214},
      {60.0, 0.6848533, 0.6311018, 0.0537515, 0.5773503, 2.0, 1.732051, 1.154701},
      {90.0, 0.2146018, 0.2146018, 0.0, 0.5, 1.414214, 1.0, 1.0},
      {120.0, 0.0537515, 0.0537515, 0.0, 0.5773503, 1.154701, 0.577350, 1.154701},
  }};
  // A uniform law on a square that contains the corner region; area × mass = area.
  const double half = 6.0;
  const double area = 4.0 * half * half;
  const Distribution square = make_distribution(DistributionKind::uniform_square, {0.0, 0.0}, half);
  for (const AreaRow& row : rows) {
    SCOPED_TRACE(::testing::Message() << "θ = " << row.angle);
    const double theta = deg(row.angle);
    const Evaluation sim =
        evaluate(instance(row.angle, Procedure::simultaneous), Setting::manipulation, square, tight());
    const Evaluation fix = evaluate(instance(row.angle, Procedure::fixed_ab), Setting::manipulation, square, tight());
    const double lambda_sim = area * sim.qualified_rejected_mass;
    const double lambda_fix = area * fix.qualified_rejected_mass;
    // Against the printed table (7 digits) …
    EXPECT_NEAR(lambda_sim, row.lambda_sim, 1e-7);
    EXPECT_NEAR(lambda_fix, row.lambda_fix, 1e-7);
    EXPECT_NEAR(lambda_sim - lambda_fix, row.gain, 1e-7);
    // … and against the closed forms of §3 (Prop 1) to quadrature accuracy.
    const double closed_sim = 1.0 / std::tan(theta / 2) - (pi - theta) / 2;
    const double closed_fix = row.angle <= 90.0 ? 1.0 / std::sin(theta) - theta / 2 : closed_sim;
    EXPECT_NEAR(lambda_sim, closed_sim, 1e-8);
    EXPECT_NEAR(lambda_fix, closed_fix, 1e-8);
    // The geometric columns, from the library's points.
    const Instance in = instance(row.angle, Procedure::fixed_ab);
    const Vec2 a = kite_vertices(in.tests, true, 1.0)[2];   // A = L_B ∩ L_A⁺
    const Vec2 b = kite_vertices(in.tests, false, 1.0)[2];  // B = L_A ∩ L_B⁺
    const Vec2 p_a = kite_vertices(in.tests, false, 1.0)[1];
    const Vec2 e1 = kite_vertices(instance(row.angle, Procedure::fixed_ab, 0.0, 0.0).tests, true, 1.0)[2];
    EXPECT_NEAR(std::fabs(cross(a, b)) / 2.0, row.triangle_oab, 1e-6);
    EXPECT_NEAR(norm(in.tests.vertex), row.o_oplus, 1e-6);
    EXPECT_NEAR(norm(p_a), row.o_pa, 1e-6);
    EXPECT_NEAR(norm(e1), row.o_e1, 1e-6);
  }
}

// ---- spec §2.6: the kite's extra area g(p) over the simultaneous procedure ----

double kite_gain(double test_angle, double p) {
  const double t = deg(test_angle);
  if (p <= std::sin(t)) return 0.0;
  return p * p / std::tan(t) - p * std::sqrt(1.0 - p * p) - (pi / 2 - t - std::acos(p));
}

TEST(EvaluateKnownAnswers, KiteExtraAreaOfSection26) {
  struct Case {
    double test_angle, p, printed;
  };
  const std::array<Case, 4> cases = {
      {{30.0, 0.8, 0.22482}, {20.0, 0.5, 0.07932}, {45.0, 0.9, 0.08333}, {60.0, 0.95, 0.01838}}};
  const double half = 4.0;
  const double area = 4.0 * half * half;
  const Distribution square = make_distribution(DistributionKind::uniform_square, {0.0, 0.0}, half);
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "θ̃ = " << c.test_angle << ", p = " << c.p);
    EXPECT_NEAR(kite_gain(c.test_angle, c.p), c.printed, 5e-6);
    // Without disclosure the selected set is N ∪ Kite_{A→B}(p/η) ∪ Kite_{B→A}((1−p)/η),
    // so its area exceeds the simultaneous one by g(p) + g(1 − p).
    const Instance sim = instance(c.test_angle, Procedure::simultaneous, 0.0, 0.0);
    const Instance nd = instance(c.test_angle, Procedure::random_undisclosed, 0.0, 0.0, c.p);
    const Evaluation e_sim = evaluate(sim, Setting::manipulation, square, tight());
    const Evaluation e_nd = evaluate(nd, Setting::manipulation, square, tight());
    const double extra = area * (e_sim.share_none - e_nd.share_none);
    const double expected = kite_gain(c.test_angle, c.p) + kite_gain(c.test_angle, 1.0 - c.p);
    EXPECT_NEAR(extra, expected, 1e-8);
    if (c.test_angle == 20.0) {
      EXPECT_NEAR(extra, 2.0 * c.printed, 1e-5);
    }
    if (c.test_angle != 20.0) {
      EXPECT_NEAR(extra, c.printed, 5e-6);
    }
  }
  // Fixed order: g(1) = cot θ̃ − (π/2 − θ̃) (the "gain" column of §4.3).
  const Evaluation e_sim =
      evaluate(instance(50.0, Procedure::simultaneous, 0.0, 0.0), Setting::manipulation, square, tight());
  const Evaluation e_fix =
      evaluate(instance(50.0, Procedure::fixed_ba, 0.0, 0.0), Setting::manipulation, square, tight());
  EXPECT_NEAR(area * (e_sim.share_none - e_fix.share_none), kite_gain(50.0, 1.0), 1e-8);
}

// ---- Internal consistency -----------------------------------------------------

TEST(EvaluateConsistency, MassesAddUpForEveryProcedureSettingAndDistribution) {
  for (const std::string_view label : kProcedureLabels) {
    for (const Setting setting : {Setting::manipulation, Setting::investment}) {
      for (const DistributionKind kind :
           {DistributionKind::uniform_square, DistributionKind::uniform_disk, DistributionKind::gaussian}) {
        const Instance in = instance(40.0, parse_procedure(label), 0.6, 0.3, 0.35, 1.3, 5.0, -3.0);
        const Distribution d = make_distribution(kind, 0.8 * in.criteria.bisector, 1.7);
        const Evaluation e = evaluate(in, setting, d);
        SCOPED_TRACE(::testing::Message() << label << " " << to_string(setting) << " " << to_string(kind));
        EXPECT_TRUE(e.converged);
        EXPECT_EQ(e.missed_switches, 0U);
        EXPECT_NEAR(e.total_mass, 1.0, 1e-9);
        EXPECT_NEAR(e.share_stay + e.share_one_step + e.share_two_step + e.share_none, 1.0, 1e-9);
        EXPECT_LE(e.value, e.first_best + 1e-10);
        EXPECT_NEAR(e.value + e.viol_mass, e.selected_mass, 1e-10);
        EXPECT_NEAR(e.qualified_rejected_mass, e.first_best - e.value, 1e-15);
        EXPECT_NEAR(e.ratio, e.value / e.first_best, 1e-15);
        EXPECT_LE(e.two_step_mass, e.share_two_step + 1e-12);
        EXPECT_GE(e.agent_welfare, -1e-12);
        EXPECT_LE(e.expected_agent_cost + e.agent_welfare, e.selected_mass + 1e-10);  // E[cost] + E[U] = E[π]
        EXPECT_NEAR(e.expected_agent_cost + e.agent_welfare, e.selected_mass, 1e-10);
        EXPECT_EQ(e.condition_o, condition_o(in));
        EXPECT_EQ(e.feasible, e.viol_mass <= kFeasibilityTolerance);
      }
    }
  }
}

TEST(EvaluateConsistency, RatioIsNanWithoutQualifiedMass) {
  // A small disk far outside N_{1/η}(H).
  const Instance in = instance(60.0, Procedure::simultaneous);
  const Evaluation e =
      evaluate(in, Setting::investment, make_distribution(DistributionKind::uniform_disk, {-10.0, -10.0}, 1.0));
  EXPECT_EQ(e.first_best, 0.0);
  EXPECT_TRUE(std::isnan(e.ratio));
  EXPECT_NEAR(e.share_none, 1.0, 1e-9);
}

// The quadrature agrees with itself at a much tighter tolerance on an
// instance with rotated tests, where several kinks fall between breakpoints.
TEST(EvaluateConsistency, DefaultToleranceMatchesATightReference) {
  const Instance in = instance(47.6, Procedure::random_disclosed, 0.0, 1.0, 0.62, 1.42, 4.9, -41.2);
  const Distribution d = make_distribution(DistributionKind::gaussian, {0.44, 0.99}, 2.0);
  QuadratureOptions reference;
  reference.abs_tol = 1e-14;
  reference.max_panels = 100000;
  const Evaluation coarse = evaluate(in, Setting::investment, d);
  const Evaluation fine = evaluate(in, Setting::investment, d, reference);
  EXPECT_TRUE(coarse.converged);
  EXPECT_GT(coarse.structure_splits, 0U);
  EXPECT_NEAR(coarse.value, fine.value, 1e-10);
  EXPECT_NEAR(coarse.viol_mass, fine.viol_mass, 1e-10);
  EXPECT_NEAR(coarse.expected_agent_cost, fine.expected_agent_cost, 1e-10);
  EXPECT_NEAR(coarse.share_two_step, fine.share_two_step, 1e-10);
}

// ---- Monte Carlo cross-check ---------------------------------------------------

TEST(EvaluateMonteCarlo, AgreesWithTheQuadratureWithinFiveStandardErrors) {
  struct Case {
    Procedure procedure;
    Setting setting;
    DistributionKind kind;
    double angle, shift_a, shift_b, q;
  };
  const std::array<Case, 5> cases = {{
      {Procedure::fixed_ab, Setting::manipulation, DistributionKind::gaussian, 35.0, 1.0, 1.0, 0.5},
      {Procedure::random_undisclosed, Setting::investment, DistributionKind::uniform_disk, 25.0, 0.0, 0.0, 0.5},
      {Procedure::random_disclosed, Setting::investment, DistributionKind::uniform_square, 50.0, 0.3, 0.1, 0.7},
      {Procedure::simultaneous, Setting::manipulation, DistributionKind::uniform_disk, 70.0, 0.5, 1.5, 0.5},
      {Procedure::fixed_ba, Setting::investment, DistributionKind::gaussian, 20.0, 0.0, std::cos(deg(20.0)), 0.5},
  }};
  for (const Case& c : cases) {
    const Instance in = instance(c.angle, c.procedure, c.shift_a, c.shift_b, c.q);
    const Distribution d = make_distribution(c.kind, 1.0 * in.criteria.bisector, 1.5);
    const Evaluation e = evaluate(in, c.setting, d);
    const MonteCarloEstimate mc = monte_carlo_value(in, c.setting, d, 99, 40000);
    EXPECT_EQ(mc.samples, 40000U);
    EXPECT_GT(mc.standard_error, 0.0);
    EXPECT_NEAR(mc.value, e.value, 5.0 * mc.standard_error) << to_string(c.procedure);
  }
}

TEST(EvaluateMonteCarlo, IsDeterministicInTheSeed) {
  const Instance in = instance(45.0, Procedure::random_disclosed, 0.5, 0.5, 0.4);
  const Distribution d = make_distribution(DistributionKind::gaussian, {1.0, 1.0}, 1.0);
  const MonteCarloEstimate a = monte_carlo_value(in, Setting::investment, d, 123, 5000);
  const MonteCarloEstimate b = monte_carlo_value(in, Setting::investment, d, 123, 5000);
  const MonteCarloEstimate c = monte_carlo_value(in, Setting::investment, d, 124, 5000);
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.standard_error, b.standard_error);
  EXPECT_NE(a.value, c.value);
  EXPECT_THROW(monte_carlo_value(in, Setting::investment, d, 1, 0), std::invalid_argument);
  EXPECT_TRUE(std::isnan(monte_carlo_value(in, Setting::investment, d, 1, 1).standard_error));
}

// ---- Distributions --------------------------------------------------------------

TEST(EvaluateDistributions, RadialMomentsMatchNumericalIntegration) {
  const Vec2 origin{0.3, -0.2};
  for (const DistributionKind kind :
       {DistributionKind::uniform_square, DistributionKind::uniform_disk, DistributionKind::gaussian}) {
    const Distribution d = make_distribution(kind, {1.0, 0.5}, 1.3);
    for (const double phi : {0.1, 1.3, 2.9, -2.0}) {
      const Vec2 u = unit_vector(phi);
      const RayDensity ray(d, origin, u);
      ASSERT_TRUE(ray.support().has_value());
      const auto [lo, hi_support] = *ray.support();
      const double hi = std::isinf(hi_support) ? 30.0 : hi_support;
      for (const auto& [a, b] : {std::pair{lo, 0.5 * (lo + hi)}, std::pair{lo, hi}}) {
        const auto f1 = [&](double r) { return r * density(d, origin + r * u); };
        const auto f2 = [&](double r) { return r * r * density(d, origin + r * u); };
        using GK = boost::math::quadrature::gauss_kronrod<double, 31>;
        const RadialMoments m = ray.moments(a, b);
        EXPECT_NEAR(m.m1, GK::integrate(f1, a, b, 20, 1e-13), 1e-11) << to_string(kind) << " φ = " << phi;
        EXPECT_NEAR(m.m2, GK::integrate(f2, a, b, 20, 1e-13), 1e-11) << to_string(kind) << " φ = " << phi;
      }
    }
  }
  // A ray that misses a bounded support has none.
  const Distribution disk = make_distribution(DistributionKind::uniform_disk, {5.0, 0.0}, 1.0);
  EXPECT_FALSE(RayDensity(disk, {0.0, 0.0}, {0.0, 1.0}).support().has_value());
  EXPECT_TRUE(RayDensity(disk, {0.0, 0.0}, {1.0, 0.0}).support().has_value());
}

TEST(EvaluateDistributions, SamplesHaveTheRightMeanAndSpread) {
  boost::random::mt19937_64 engine(1);
  for (const DistributionKind kind :
       {DistributionKind::uniform_square, DistributionKind::uniform_disk, DistributionKind::gaussian}) {
    const Distribution d = make_distribution(kind, {2.0, -1.0}, 1.5);
    const int n = 40000;
    double mx = 0.0;
    double my = 0.0;
    double sxx = 0.0;
    for (int i = 0; i < n; ++i) {
      const Vec2 x = sample(d, engine);
      mx += x.x / n;
      my += x.y / n;
      sxx += (x.x - 2.0) * (x.x - 2.0) / n;
      if (kind != DistributionKind::gaussian) {
        EXPECT_GT(density(d, x), 0.0);
      }
    }
    // Per-axis variance: s²/3 (square), s²/4 (disk), s² (Gaussian).
    const double variance = kind == DistributionKind::uniform_square ? 1.5 * 1.5 / 3.0
                            : kind == DistributionKind::uniform_disk ? 1.5 * 1.5 / 4.0
                                                                     : 1.5 * 1.5;
    EXPECT_NEAR(mx, 2.0, 0.03) << to_string(kind);
    EXPECT_NEAR(my, -1.0, 0.03) << to_string(kind);
    EXPECT_NEAR(sxx, variance, 0.05 * variance) << to_string(kind);
  }
}

// ---- The vector adaptive quadrature ------------------------------------------------

TEST(EvaluateAdaptiveQuadrature, IntegratesAKinkHiddenNextToAPanelEnd) {
  // f = (|x − k|, x²) with the kink k just inside the first panel's end, where
  // no Kronrod node sees it; the signature reveals it.
  const double k = 0.5 - 2e-4;
  const auto f = [&](double x) {
    detail::Sample<2> s;
    s.values = {std::fabs(x - k), x * x};
    s.signature = x < k ? 1U : 2U;
    return s;
  };
  const std::array<double, 3> cuts = {0.0, 0.5, 1.0};
  const auto result = detail::integrate_vector<2>(f, cuts, 1e-14, 1000);
  const double exact = (k * k + (1.0 - k) * (1.0 - k)) / 2.0;
  EXPECT_TRUE(result.converged);
  EXPECT_EQ(result.structure_splits, 1U);
  EXPECT_NEAR(result.integral[0], exact, 1e-14);
  EXPECT_NEAR(result.integral[1], 1.0 / 3.0, 1e-15);

  // Without the signature the same kink is invisible to the error estimate.
  const auto blind = [&](double x) {
    detail::Sample<2> s = f(x);
    s.signature = 0;
    return s;
  };
  const auto missed = detail::integrate_vector<2>(blind, cuts, 1e-14, 1000);
  EXPECT_GT(std::fabs(missed.integral[0] - exact), 1e-9);
}

}  // namespace
}  // namespace mechsweep::testdesign
