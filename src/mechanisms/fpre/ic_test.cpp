#include "mechanisms/fpre/ic.hpp"

#include <gtest/gtest.h>

#include "mechanisms/fpre/examples.hpp"
#include "mechanisms/fpre/families.hpp"
#include "mechanisms/fpre/test_support.hpp"

namespace mechsweep::fpre {
namespace {

using test_support::q;

// Outcomes {(1,0), (1/2,1/2), (0,1)}; agent i of type 1 likes its own share,
// of type 0 dislikes it: u_i = x_i or 1 − x_i.
Environment likes_or_dislikes() {
  EnvironmentSpec spec = example2_environment(2).spec();
  const ProfileSpace profiles(spec.type_counts);
  spec.utility = tabulate_utility(
      profiles, spec.outcomes, [](int i, const Profile& t, const Outcome& x) { return t[i] == 1 ? x[i] : 1 - x[i]; });
  return Environment(spec);
}

// spec §3.2: μ ≡ (1,0) is weakly DSIC and BIC for any prior, never strict.
TEST(FpreIc, ExampleTwoConstantTargetIsWeaklyButNotStrictlyDsic) {
  for (const auto family : {PriorFamily::independent_uniform, PriorFamily::correlated_mixture}) {
    EnvironmentSpec spec = example2_environment(2).spec();
    spec.prior = make_prior(ProfileSpace(spec.type_counts), family, 3);
    const Environment env(spec);
    const IcReport report = check_ic(env, Scf(4, 0));
    EXPECT_TRUE(report.bic);
    EXPECT_TRUE(report.weak_dsic);
    EXPECT_FALSE(report.strict_dsic);
    EXPECT_EQ(report.max_bic_violation, 0);
    EXPECT_EQ(report.max_dsic_violation, 0);
    ASSERT_TRUE(report.not_strict_witness.has_value());
  }
}

TEST(FpreIc, TargetRewardingAFalseReportIsNeitherBicNorDsic) {
  const Environment env = example2_environment(2);
  // μ(t) = (0,1) when agent 2 reports type 1, else (1,0): agent 2 always claims type 1.
  Scf mu(4);
  for (std::int64_t t = 0; t < 4; ++t) mu[t] = env.profiles().type_of(t, 1) == 1 ? 2 : 0;
  const IcReport report = check_ic(env, mu);
  EXPECT_FALSE(report.bic);
  EXPECT_FALSE(report.weak_dsic);
  EXPECT_EQ(report.max_bic_violation, 1);
  EXPECT_EQ(report.max_dsic_violation, 1);
  ASSERT_TRUE(report.bic_witness.has_value());
  EXPECT_EQ(report.bic_witness->agent, 1);
  EXPECT_EQ(report.bic_witness->true_type, 0);
  EXPECT_EQ(report.bic_witness->reported_type, 1);
}

TEST(FpreIc, MatchingPreferencesGivesStrictDsicWithMarginOneHalf) {
  const Environment env = likes_or_dislikes();
  // Types (0,0),(1,1) → (1/2,1/2); (1,0) → (1,0); (0,1) → (0,1).
  const Scf mu{1, 0, 2, 1};
  const IcReport report = check_ic(env, mu);
  EXPECT_TRUE(report.bic);
  EXPECT_TRUE(report.weak_dsic);
  EXPECT_TRUE(report.strict_dsic);
  EXPECT_EQ(report.max_dsic_violation, q(-1, 2));
  EXPECT_EQ(report.max_bic_violation, q(-1, 2));
  EXPECT_TRUE(scf_is_symmetric(env, mu));
  EXPECT_EQ(scf_asymmetry_fraction(env, mu), 0.0);
}

TEST(FpreIc, ConstantUnequalTargetIsAsymmetric) {
  const Environment env = example2_environment(1);
  EXPECT_FALSE(scf_is_symmetric(env, Scf{0}));
  EXPECT_EQ(scf_asymmetry_fraction(env, Scf{0}), 1.0);
  EXPECT_TRUE(scf_is_symmetric(env, Scf{1}));
}

TEST(FpreIc, ZeroProbabilityTypesAreVacuousForBic) {
  EnvironmentSpec spec = example2_environment(2).spec();
  spec.prior = {q(1, 2), q(1, 2), q(0), q(0)};  // agent 2 is always type 0
  const Environment env(spec);
  Scf mu(4);
  for (std::int64_t t = 0; t < 4; ++t) mu[t] = env.profiles().type_of(t, 1) == 0 ? 2 : 0;
  // Type 1 of agent 2 would gain by claiming type 0, but has probability 0.
  const IcReport report = check_ic(env, mu);
  EXPECT_TRUE(report.bic);
  EXPECT_FALSE(report.weak_dsic);
  EXPECT_EQ(report.zero_probability_types, 1);
}

// spec §2.8.
TEST(FpreIc, PrincipalExPostOptimalityFlagsTheBetterOutcome) {
  ShareEnvironmentParams params;
  params.agents = 2;
  params.types = 2;
  params.denominator = 2;
  params.seed = 5;
  const Environment env = make_share_environment(params);
  Scf best(static_cast<std::size_t>(env.profiles().size()));
  for (std::int64_t t = 0; t < env.profiles().size(); ++t) {
    for (int o = 0; o < env.outcome_count(); ++o) {
      if (env.u0(t, o) > env.u0(t, best[t])) best[t] = o;
    }
  }
  EXPECT_TRUE(check_principal_expost_optimal(env, best).expost_optimal);
  const int fallback = env.fallback();  // (1/2,1/2) is never strictly optimal for a linear u_0 unless tied
  const PrincipalReport report = check_principal_expost_optimal(env, Scf(best.size(), fallback));
  bool tied_everywhere = true;
  for (std::int64_t t = 0; t < env.profiles().size(); ++t)
    tied_everywhere = tied_everywhere && env.u0(t, best[t]) == env.u0(t, fallback);
  EXPECT_EQ(report.expost_optimal, tied_everywhere);
  if (!tied_everywhere) {
    EXPECT_GT(report.max_violation, 0);
  }
  EXPECT_THROW(check_principal_expost_optimal(example2_environment(), Scf{0}), std::invalid_argument);
}

// Every SCF family honours a share floor, and a floor no outcome meets is
// rejected by name rather than silently ignored.
TEST(FpreFamilies, ScfFamiliesHonourTheShareFloor) {
  ShareEnvironmentParams params;
  params.agents = 3;
  params.types = 2;
  params.denominator = 6;
  params.seed = 8;
  const Environment env = make_share_environment(params);
  const Rational sixth = q(1, 6), third = q(1, 3), half = q(1, 2);
  for (const auto family : {ScfFamily::constant, ScfFamily::random_deterministic, ScfFamily::favour_agent_1}) {
    const Scf unfloored = make_scf(env, family, 3);
    bool someone_left_out = false;
    for (const int o : unfloored) {
      for (const Rational& share : env.outcome(o)) someone_left_out = someone_left_out || share == 0;
    }
    EXPECT_TRUE(someone_left_out) << to_string(family);
    for (const int o : make_scf(env, family, 3, sixth)) {
      for (const Rational& share : env.outcome(o)) EXPECT_GE(share, sixth) << to_string(family);
    }
  }
  // Only the equal split (1/3, 1/3, 1/3) meets a floor of 1/3.
  EXPECT_EQ(make_scf(env, ScfFamily::favour_agent_1, 3, third), Scf(env.profiles().size(), env.fallback()));
  const std::string message = test_support::rejection([&] { make_scf(env, ScfFamily::constant, 3, half); });
  EXPECT_NE(message.find("min_share = 1/2"), std::string::npos) << message;
}

}  // namespace
}  // namespace mechsweep::fpre
