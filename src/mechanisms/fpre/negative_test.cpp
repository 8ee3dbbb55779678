#include "mechanisms/fpre/test_support.hpp"
#include "mechanisms/fpre/negative.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace mechsweep::fpre {
namespace {

using test_support::rejection;

// Member m's recommendation: agent `agent` gets `own`, the others vary by m.
std::vector<std::vector<int>> recommendations(const MonotoneFamily& family, std::size_t agent, int own) {
  std::vector<std::vector<int>> out;
  for (std::size_t m = 0; m < family.rules.size(); ++m) {
    std::vector<int> profile(static_cast<std::size_t>(family.agents));
    for (std::size_t i = 0; i < profile.size(); ++i)
      profile[i] = static_cast<int>((m * 7 + i * 3) % static_cast<std::size_t>(family.types));
    profile[agent] = own;
    out.push_back(profile);
  }
  return out;
}

TEST(FpreNegative, DemoMonotoneFamilyIsSymmetricAndStrictlyMonotone) {
  const MonotoneFamily family = demo_monotone_family(3, 4, 5, 42);
  ASSERT_EQ(family.rules.size(), 5U);
  for (const FiniteRule& rule : family.rules) {
    EXPECT_TRUE(is_strictly_monotone(rule, 3, 4));
    EXPECT_TRUE(is_symmetric(rule, 3, 4));
    const std::vector<int> top = {3, 3, 3};
    double sum = 0.0;
    for (const double x : rule(top)) sum += x;
    EXPECT_LT(sum, 1.0);  // free disposal
  }
  EXPECT_NO_THROW(validate(family));
}

// spec §2.4 (1): a non-maximal recommendation, deviation τ_i + 1, improvement
// probability exactly 1 (every member's outcome strictly dominates).
TEST(FpreNegative, MonotoneDeviationImprovesWithProbabilityOne) {
  const MonotoneFamily family = demo_monotone_family(3, 4, 16, 9);
  for (std::size_t agent = 0; agent < 3; ++agent) {
    for (int own = 0; own < 3; ++own) {
      const auto recs = recommendations(family, agent, own);
      const MonotoneCertificate cert = certify_monotone_failure(family, agent, recs);
      EXPECT_EQ(cert.direction, +1);
      EXPECT_EQ(cert.deviation, own + 1);
      EXPECT_EQ(cert.members, 16U);
      EXPECT_EQ(cert.dominated, 16U);
      EXPECT_EQ(cert.improved, 16U);
      EXPECT_EQ(cert.improvement_probability, 1.0);
    }
  }
}

// spec §2.4 step 4: a maximal recommendation uses u = −r and deviates down.
TEST(FpreNegative, MaximalRecommendationDeviatesDown) {
  const MonotoneFamily family = demo_monotone_family(2, 3, 8, 1);
  const MonotoneCertificate cert = certify_monotone_failure(family, 1, recommendations(family, 1, 2));
  EXPECT_EQ(cert.direction, -1);
  EXPECT_EQ(cert.deviation, 1);
  EXPECT_EQ(cert.dominated, 8U);
  EXPECT_EQ(cert.improvement_probability, 1.0);
}

// spec §2.4 step 6: a given utility. Own share: moving up always improves;
// the negated own share never does; others' share never improves either.
TEST(FpreNegative, GivenUtilityImprovementProbability) {
  const MonotoneFamily family = demo_monotone_family(3, 3, 6, 5);
  const auto recs = recommendations(family, 0, 1);
  const ShareUtility own = [](const ShareOutcome& o) { return o[0]; };
  const ShareUtility spite = [](const ShareOutcome& o) { return -o[0]; };
  const ShareUtility other = [](const ShareOutcome& o) { return o[1]; };
  EXPECT_EQ(monotone_improvement_probability(family, 0, recs, +1, own), 1.0);
  EXPECT_EQ(monotone_improvement_probability(family, 0, recs, -1, own), 0.0);
  EXPECT_EQ(monotone_improvement_probability(family, 0, recs, -1, spite), 1.0);
  EXPECT_EQ(monotone_improvement_probability(family, 0, recs, +1, other), 0.0);
}

// spec §1.3: on the simplex no outcome dominates another, so a share rule that
// normalises to sum 1 is not strictly monotone and is rejected (spec §6.2).
TEST(FpreNegative, RejectsNonMonotoneAndBadShapes) {
  MonotoneFamily simplex{2, 3, {}};
  simplex.rules.emplace_back([](std::span<const int> t) {
    const double a = t[0] + 1.0;
    const double b = t[1] + 1.0;
    return ShareOutcome{a / (a + b), b / (a + b)};
  });
  EXPECT_FALSE(is_strictly_monotone(simplex.rules[0], 2, 3));
  EXPECT_TRUE(is_symmetric(simplex.rules[0], 2, 3));
  const std::string m = rejection([&] { validate(simplex); });
  EXPECT_EQ(m.rfind("fpre: member 0 = ", 0), 0U) << m;
  EXPECT_NE(m.find("not strictly monotone"), std::string::npos) << m;

  const MonotoneFamily asym_family = [] {
    MonotoneFamily f{2, 2, {}};
    f.rules.emplace_back([](std::span<const int> t) { return ShareOutcome{0.1 + t[0] * 0.1, 0.3 + t[1] * 0.1}; });
    return f;
  }();
  EXPECT_TRUE(is_strictly_monotone(asym_family.rules[0], 2, 2));
  EXPECT_FALSE(is_symmetric(asym_family.rules[0], 2, 2));

  EXPECT_EQ(rejection([] { demo_monotone_family(2, 1, 3, 0); }).rfind("fpre: types = 1", 0), 0U);
  EXPECT_EQ(rejection([] { demo_monotone_family(1, 3, 3, 0); }).rfind("fpre: n = 1", 0), 0U);
  EXPECT_EQ(rejection([] { validate(MonotoneFamily{2, 3, {}}); }).rfind("fpre: members = 0", 0), 0U);
  const MonotoneFamily family = demo_monotone_family(2, 3, 2, 0);
  // Members must agree on the conditioning report τ_i.
  const std::vector<std::vector<int>> disagree = {{0, 1}, {1, 1}};
  EXPECT_EQ(rejection([&] {
              certify_monotone_failure(family, 0, disagree);
            }).rfind("fpre: recommended report of agent 0 = 1", 0),
            0U);
  const std::vector<std::vector<int>> outside = {{0, 3}, {0, 1}};
  EXPECT_EQ(rejection([&] { certify_monotone_failure(family, 0, outside); }).rfind("fpre: recommended report = 3", 0),
            0U);
}

// spec §2.4 (2) finite demonstration, n = 2, β = (0.05, 0.1), w' = 1/2:
// plateau 6β_0 = 0.3; θ = 1 − (1/4)/(1/2) = 1/2, so improvement
// = 6(β_0 + θ(β_1 − β_0)) = 0.45 ≥ 0.3; Monte Carlo within 4 SE.
TEST(FpreNegative, FixedBandImprovesWithPositiveProbability) {
  const FixedBandParams params{2, 0.05, 0.1, 0.5};
  const ContinuityCounterexample demo = demonstrate_continuity_failure(params, 99, 20000);
  EXPECT_EQ(demo.deviation_index, 2);
  EXPECT_DOUBLE_EQ(demo.on_path_share, 0.25);
  EXPECT_DOUBLE_EQ(demo.guessed_share, 0.5);
  EXPECT_TRUE(demo.lower_bound_applicable);
  EXPECT_NEAR(demo.lower_bound, 0.3, 1e-12);
  EXPECT_NEAR(demo.plateau_probability, 0.3, 1e-12);
  EXPECT_NEAR(demo.improvement_exact, 0.45, 1e-12);
  EXPECT_GE(demo.improvement_exact, demo.lower_bound);
  EXPECT_NEAR(demo.plateau_mc.mean, demo.plateau_probability, 4.0 * demo.plateau_mc.standard_error);
  EXPECT_NEAR(demo.improvement_mc.mean, demo.improvement_exact, 4.0 * demo.improvement_mc.standard_error);
  EXPECT_GT(demo.improvement_mc.mean - 4.0 * demo.improvement_mc.standard_error, 0.0);
  EXPECT_GE(demo.improvement_mc.mean, demo.plateau_mc.mean);
}

// Across n, β and w': exact improvement ≥ lower bound > 0 and MC agrees; the
// 6β_0 bound stops applying once the plateau sticks out of (1/3, 2/3).
TEST(FpreNegative, FixedBandLowerBoundAcrossParameters) {
  for (const FixedBandParams& p : {FixedBandParams{3, 0.01, 0.02, 0.5}, FixedBandParams{4, 0.1, 0.3, 0.5},
                                   FixedBandParams{2, 0.2, 0.3, 0.5}, FixedBandParams{5, 0.05, 0.06, 0.38}}) {
    const ContinuityCounterexample demo = demonstrate_continuity_failure(p, 3, 8000);
    EXPECT_GT(demo.guessed_share, demo.on_path_share);
    EXPECT_GT(demo.lower_bound, 0.0);
    EXPECT_GE(demo.improvement_exact + 1e-15, demo.lower_bound);
    EXPECT_GE(demo.improvement_exact + 1e-15, demo.plateau_probability);
    EXPECT_NEAR(demo.improvement_mc.mean, demo.improvement_exact, 4.0 * demo.improvement_mc.standard_error + 1e-12);
    EXPECT_NEAR(demo.plateau_mc.mean, demo.plateau_probability, 4.0 * demo.plateau_mc.standard_error + 1e-12);
    const bool inside = p.guess_password - p.beta0 >= 1.0 / 3.0 && p.guess_password + p.beta0 <= 2.0 / 3.0;
    EXPECT_EQ(demo.lower_bound_applicable, inside);
    if (inside) {
      EXPECT_NEAR(demo.plateau_probability, 6.0 * p.beta0, 1e-12);
    }
  }
  // β_0 = 0.2 > 1/6: the plateau covers (1/3, 2/3), so the guess always lands.
  EXPECT_EQ(demonstrate_continuity_failure({2, 0.2, 0.3, 0.5}, 1, 10).plateau_probability, 1.0);
}

TEST(FpreNegative, FixedBandRejectsOutOfRangeInputs) {
  const auto message = [](FixedBandParams p) { return rejection([&] { validate(p); }); };
  EXPECT_EQ(message({2, 0.0, 0.1, 0.5}).rfind("fpre: beta0 = 0,", 0), 0U);
  EXPECT_EQ(message({2, 0.1, 0.1, 0.5}).rfind("fpre: beta0 = 0.1", 0), 0U);
  EXPECT_EQ(message({2, 0.05, 0.4, 0.5}).rfind("fpre: beta1 = 0.4", 0), 0U);
  EXPECT_EQ(message({1, 0.05, 0.1, 0.5}).rfind("fpre: n = 1,", 0), 0U);
  EXPECT_EQ(message({2, 0.05, 0.1, -0.5}).rfind("fpre: guess_password = -0.5", 0), 0U);
  EXPECT_EQ(message({2, 0.05, 0.1, 0.5}), "");
}

}  // namespace
}  // namespace mechsweep::fpre
