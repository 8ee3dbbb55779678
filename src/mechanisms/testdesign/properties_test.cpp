// Structural invariants of spec 003 §4.5 at the level of the principal's
// payoff, plus robustness of the quadrature on random instances.

#include <gtest/gtest.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <string_view>

#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/test_helpers.hpp"

namespace mechsweep::testdesign {
namespace {

using testing::deg;
using testing::instance;

// A Gaussian on the bisector, one reach radius inside the wedge.
Distribution gaussian_for(const Instance& in, double offset = 1.0, double sigma = 1.0) {
  return make_distribution(DistributionKind::gaussian, (offset * in.criteria.reach()) * in.criteria.bisector,
                           sigma * in.criteria.reach());
}

// §4.5 item 3: (h_A⁺, h_B⁺, ·) is feasible for every θ, under every procedure.
TEST(PayoffInvariants, StringentTestsAreFeasibleForEveryAngle) {
  for (const double angle : {5.0, 20.0, 30.0, 45.0, 60.0, 80.0, 90.0, 120.0, 170.0}) {
    for (const std::string_view label : kProcedureLabels) {
      const Instance in = instance(angle, parse_procedure(label), 1.0, 1.0, 0.3);
      const Evaluation e = evaluate(in, Setting::manipulation, gaussian_for(in, 0.0, 3.0));
      EXPECT_LT(e.viol_mass, 1e-12) << angle << " " << label;
      EXPECT_TRUE(e.feasible);
      EXPECT_TRUE(e.feasible_exact);
      EXPECT_GT(e.value, 0.0);
    }
  }
}

// §4.5 item 3: the criteria themselves are infeasible in manipulation for every η < ∞.
TEST(PayoffInvariants, CriteriaAsTestsSelectUnqualifiedTypesUnderManipulation) {
  for (const double eta : {0.5, 4.0}) {
    for (const std::string_view label : kProcedureLabels) {
      const Instance in = instance(50.0, parse_procedure(label), 0.0, 0.0, 0.5, eta);
      const Evaluation e = evaluate(in, Setting::manipulation, gaussian_for(in));
      EXPECT_GT(e.viol_mass, 1e-3) << label;
      EXPECT_FALSE(e.feasible);
      EXPECT_FALSE(e.feasible_exact);
    }
  }
}

// Theorem 1 / Prop 1 with the same tests h⁺: fixed ≥ simultaneous, strictly iff
// θ < 90° (the kite), and disclosure ≤ the q-mixture of the fixed orders (Lemma 1).
TEST(PayoffInvariants, FixedOrderBeatsSimultaneousAndDisclosureWithStringentTests) {
  for (const double angle : {15.0, 40.0, 75.0, 90.0, 135.0}) {
    const auto value = [&](Procedure p, double q = 0.5) {
      const Instance in = instance(angle, p, 1.0, 1.0, q);
      return evaluate(in, Setting::manipulation, gaussian_for(in, 2.0, 2.0)).value;
    };
    const double sim = value(Procedure::simultaneous);
    const double ab = value(Procedure::fixed_ab);
    const double ba = value(Procedure::fixed_ba);
    if (angle < 90.0) {
      EXPECT_GT(ab, sim + 1e-6) << angle;
    } else {
      EXPECT_NEAR(ab, sim, 1e-11) << angle;
    }
    EXPECT_NEAR(ab, ba, 1e-10) << "F is symmetric about the bisector";
    for (const double q : {0.25, 0.6}) {
      EXPECT_LE(value(Procedure::random_disclosed, q), q * ab + (1.0 - q) * ba + 1e-11);
      EXPECT_LE(value(Procedure::random_undisclosed, q), std::max(ab, ba) + 1e-11);
      EXPECT_GE(value(Procedure::random_undisclosed, q), sim - 1e-11);
    }
  }
}

// §4.5 item 4 / Prop 2: simultaneous testing with the criteria reaches FB_inv.
TEST(PayoffInvariants, InvestmentSimultaneousCriteriaReachTheFirstBest) {
  for (const double angle : {10.0, 60.0, 150.0}) {
    for (const DistributionKind kind :
         {DistributionKind::uniform_square, DistributionKind::uniform_disk, DistributionKind::gaussian}) {
      const Instance in = instance(angle, Procedure::simultaneous, 0.0, 0.0, 0.5, 1.5);
      const Evaluation e = evaluate(in, Setting::investment, make_distribution(kind, {0.3, 0.5}, 2.0));
      EXPECT_NEAR(e.value, e.first_best, 1e-10) << angle << " " << to_string(kind);
      EXPECT_LT(e.viol_mass, 1e-12);
      EXPECT_GT(e.first_best, 0.1);
    }
  }
}

// §4.5 item 4 / Theorem 3: (h_A, h_B, 1/2, ∅) is feasible in investment iff θ ≥ 30°,
// and then it reaches the first best.
TEST(PayoffInvariants, InvestmentRandomOrderReachesFirstBestFromThirtyDegrees) {
  const auto run = [](double angle) {
    const Instance in = instance(angle, Procedure::random_undisclosed, 0.0, 0.0, 0.5);
    return evaluate(in, Setting::investment, gaussian_for(in, 0.0, 1.0));
  };
  const Evaluation below = run(29.0);
  const Evaluation above = run(31.0);
  // At 29° the two kites protrude from disk(Õ, 1/η) by g(1/2) ≈ 5.6e-4 each, and
  // every protruding type invests to a point outside H.
  EXPECT_GT(below.viol_mass, 1e-5);
  EXPECT_FALSE(below.feasible);
  EXPECT_GT(below.share_two_step, 0.0);
  EXPECT_LT(above.viol_mass, 1e-12);
  EXPECT_TRUE(above.feasible);
  EXPECT_EQ(above.share_two_step, 0.0);
  EXPECT_NEAR(above.value, above.first_best, 1e-10);
}

// §4.5 item 4 / Fig 10b: shifting the first test by cos θ/η makes the fixed
// order feasible in investment; 0.9 of that shift does not.
TEST(PayoffInvariants, InvestmentFixedOrderNeedsTheCosineShift) {
  for (const double angle : {20.0, 45.0, 60.0, 80.0}) {
    const double shift = std::cos(deg(angle));
    const Instance enough = instance(angle, Procedure::fixed_ab, shift, 0.0);
    const Instance short_of = instance(angle, Procedure::fixed_ab, 0.9 * shift, 0.0);
    const Evaluation e_enough = evaluate(enough, Setting::investment, gaussian_for(enough, 0.0));
    const Evaluation e_short = evaluate(short_of, Setting::investment, gaussian_for(short_of, 0.0));
    EXPECT_LT(e_enough.viol_mass, 1e-12) << angle;
    EXPECT_GT(e_short.viol_mass, 1e-7) << angle;
    EXPECT_LT(e_enough.value, e_enough.first_best - 1e-4) << "θ < 90°: a fixed order stays below FB";
  }
}

// §4.5 item 4 / Fig 11 [D]: the minimal parallel shifts of the random order are
// δ_A = q cos θ, δ_B = (1 − q) cos θ; 0.9 of them is not enough.
TEST(PayoffInvariants, InvestmentRandomOrderNeedsTheMinimalShifts) {
  for (const double angle : {15.0, 25.0}) {
    for (const double q : {0.3, 0.5, 0.7}) {
      const double c = std::cos(deg(angle));
      const Instance enough = instance(angle, Procedure::random_undisclosed, q * c, (1.0 - q) * c, q);
      const Instance short_of = instance(angle, Procedure::random_undisclosed, 0.9 * q * c, 0.9 * (1.0 - q) * c, q);
      EXPECT_LT(evaluate(enough, Setting::investment, gaussian_for(enough, 0.0)).viol_mass, 1e-12) << angle << " " << q;
      EXPECT_GT(evaluate(short_of, Setting::investment, gaussian_for(short_of, 0.0)).viol_mass, 1e-7)
          << angle << " " << q;
    }
  }
}

// §4.5 item 8: swapping A ↔ B with q ↔ 1 − q (a reflection about the bisector,
// which also reverses the rotations) leaves every metric unchanged.
TEST(PayoffInvariants, SwappingTheTestsWithTheOrderChangesNothing) {
  const std::array<std::pair<Procedure, Procedure>, 3> pairs = {
      {{Procedure::fixed_ab, Procedure::fixed_ba},
       {Procedure::random_undisclosed, Procedure::random_undisclosed},
       {Procedure::random_disclosed, Procedure::random_disclosed}}};
  for (const auto& [procedure, mirrored] : pairs) {
    for (const Setting setting : {Setting::manipulation, Setting::investment}) {
      const Instance in = instance(50.0, procedure, 0.7, 0.2, 0.3, 1.2, 6.0, -3.0);
      const Instance mirror = instance(50.0, mirrored, 0.2, 0.7, 0.7, 1.2, 3.0, -6.0);
      const Distribution d = make_distribution(DistributionKind::uniform_disk, 1.5 * in.criteria.bisector, 2.0);
      const Evaluation a = evaluate(in, setting, d);
      const Evaluation b = evaluate(mirror, setting, d);
      SCOPED_TRACE(::testing::Message() << to_string(procedure) << " " << to_string(setting));
      EXPECT_NEAR(a.value, b.value, 1e-10);
      EXPECT_NEAR(a.viol_mass, b.viol_mass, 1e-10);
      EXPECT_NEAR(a.first_best, b.first_best, 1e-10);
      EXPECT_NEAR(a.share_two_step, b.share_two_step, 1e-10);
      EXPECT_NEAR(a.expected_agent_cost, b.expected_agent_cost, 1e-10);
      EXPECT_NEAR(a.agent_welfare, b.agent_welfare, 1e-10);
      EXPECT_GT(a.value, 0.01);
    }
  }
}

// §4.5 item 7: scaling F by 1/η about O leaves every value unchanged.
TEST(PayoffInvariants, ValuesAreInvariantWhenTheDistributionScalesWithTheReach) {
  for (const std::string_view label : kProcedureLabels) {
    for (const Setting setting : {Setting::manipulation, Setting::investment}) {
      const Instance base = instance(35.0, parse_procedure(label), 0.8, 0.4, 0.4, 1.0, 4.0, 0.0);
      const Instance scaled = instance(35.0, parse_procedure(label), 0.8, 0.4, 0.4, 2.5, 4.0, 0.0);
      const Evaluation a =
          evaluate(base, setting, make_distribution(DistributionKind::uniform_square, {0.5, 1.5}, 1.8));
      const Evaluation b =
          evaluate(scaled, setting, make_distribution(DistributionKind::uniform_square, {0.2, 0.6}, 1.8 / 2.5));
      SCOPED_TRACE(::testing::Message() << label << " " << to_string(setting));
      EXPECT_NEAR(a.value, b.value, 1e-10);
      EXPECT_NEAR(a.first_best, b.first_best, 1e-10);
      EXPECT_NEAR(a.viol_mass, b.viol_mass, 1e-10);
      EXPECT_NEAR(a.expected_agent_cost, b.expected_agent_cost, 1e-10);  // utility units are scale-free
    }
  }
}

// Condition O (§3, Theorem 3 [D]) holds exactly when no type uses a two-step strategy.
TEST(PayoffInvariants, ConditionOHoldsIffNoTypeTakesTwoSteps) {
  for (const double angle : {20.0, 29.0, 31.0, 40.0, 60.0, 85.0, 95.0}) {
    for (const double q : {0.5, 0.7}) {
      for (const Procedure p : {Procedure::random_undisclosed, Procedure::random_disclosed, Procedure::fixed_ab}) {
        const Instance in = instance(angle, p, 0.0, 0.0, q);
        const Evaluation e = evaluate(in, Setting::manipulation, gaussian_for(in, 0.0, 2.0));
        if (e.condition_o) {
          EXPECT_EQ(e.share_two_step, 0.0) << angle << " " << q << " " << to_string(p);
        } else {
          EXPECT_GT(e.share_two_step, 1e-9) << angle << " " << q << " " << to_string(p);
        }
      }
    }
  }
}

// The exact vertex check of §3 and the quadrature agree on random designs
// under a wide Gaussian (full support): exact-feasible ⇒ no violation mass,
// exact-infeasible ⇒ some.
TEST(PayoffInvariants, ExactFeasibilityAgreesWithTheQuadrature) {
  boost::random::mt19937_64 rng(17);
  boost::random::uniform_real_distribution<double> u(0.0, 1.0);
  int feasible = 0;
  int infeasible = 0;
  for (int trial = 0; trial < 60; ++trial) {
    Instance in;
    try {
      // Shifts around 1/η and mostly inward rotations (ρ_A ≤ 0 and ρ_B ≥ 0 keep
      // the test edges in cone(H)), so both verdicts occur often.
      in = instance(10.0 + 150.0 * u(rng), parse_procedure(kProcedureLabels[trial % 5]), 0.95 + 0.6 * u(rng),
                    0.95 + 0.6 * u(rng), 0.1 + 0.8 * u(rng), 1.0, -12.0 + 14.0 * u(rng), -2.0 + 14.0 * u(rng));
    } catch (const std::invalid_argument&) {
      continue;
    }
    const Evaluation e = evaluate(in, Setting::manipulation, gaussian_for(in, 1.0, 3.0));
    if (e.feasible_exact) {
      ++feasible;
      EXPECT_LT(e.viol_mass, 1e-12) << trial;
    } else {
      ++infeasible;
      EXPECT_GT(e.viol_mass, 0.0) << trial;
    }
  }
  EXPECT_GT(feasible, 5);
  EXPECT_GT(infeasible, 5);
}

// Robustness: random instances of every kind converge, with an event list that
// never misses a label switch, and masses that add up.
TEST(QuadratureRobustness, RandomInstancesConvergeWithoutMissedSwitches) {
  boost::random::mt19937_64 rng(23);
  boost::random::uniform_real_distribution<double> u(0.0, 1.0);
  int evaluated = 0;
  for (int trial = 0; trial < 60; ++trial) {
    Instance in;
    try {
      in = instance(2.0 + 176.0 * u(rng), parse_procedure(kProcedureLabels[trial % 5]),
                    u(rng) < 0.3 ? 0.0 : -1.0 + 3.0 * u(rng), u(rng) < 0.3 ? 0.0 : -1.0 + 3.0 * u(rng), u(rng),
                    std::exp(-1.5 + 3.0 * u(rng)), u(rng) < 0.5 ? 0.0 : -60.0 + 120.0 * u(rng),
                    u(rng) < 0.5 ? 0.0 : -60.0 + 120.0 * u(rng));
    } catch (const std::invalid_argument&) {
      continue;
    }
    const Setting setting = trial % 2 == 0 ? Setting::manipulation : Setting::investment;
    const auto kind = static_cast<DistributionKind>(trial % 3);
    const Distribution d = make_distribution(kind, (4.0 * u(rng)) * in.criteria.bisector, 0.5 + 3.0 * u(rng));
    const Evaluation e = evaluate(in, setting, d);
    ++evaluated;
    SCOPED_TRACE(::testing::Message() << "trial " << trial);
    EXPECT_TRUE(e.converged);
    EXPECT_EQ(e.missed_switches, 0U);
    EXPECT_NEAR(e.total_mass, 1.0, 1e-9);
    EXPECT_NEAR(e.share_stay + e.share_one_step + e.share_two_step + e.share_none, 1.0, 1e-9);
    EXPECT_LT(e.rays, 20000U);
  }
  EXPECT_GT(evaluated, 50);
}

}  // namespace
}  // namespace mechsweep::testdesign
