#include "mechanisms/coalition/canonical_mechanism.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "mechanisms/coalition/examples.hpp"
#include "mechanisms/coalition/interior.hpp"
#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/type_space.hpp"

namespace mechsweep::coalition {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kExact = 1e-12;

// Example 1B outcomes (X = f(Θ)): 0 = (0,0,0) = f(0,0), 1 = (1,−½,0) = f(1,0),
// 2 = (1,0,−½) = f(0,1), 3 = (2,−½,−½) = f(1,1); profile index θ_0 + 2θ_1.
std::vector<double> one_hot(int x, int m = 4) {
  std::vector<double> lottery(m, 0.0);
  lottery[x] = 1.0;
  return lottery;
}

std::vector<double> concat(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> joined = a;
  joined.insert(joined.end(), b.begin(), b.end());
  return joined;
}

void expect_lottery(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t x = 0; x < actual.size(); ++x) EXPECT_NEAR(actual[x], expected[x], kExact) << "outcome " << x;
}

struct Example1B {
  PublicGoodInstance example = example1(2, 2, 0.5);
  InteriorTest interior = interior_reward_test(example.instance);
  const Instance& instance() const { return example.instance; }
};

// ---- the outcome function ------------------------------------------------------

TEST(CanonicalMechanismOutcome, InteriorPairOfExampleOneBHasMarginOneQuarter) {
  const Example1B ex;
  ASSERT_TRUE(ex.interior.passes);
  EXPECT_NEAR(ex.interior.min_margin, 0.25, 1e-9);
}

TEST(CanonicalMechanismOutcome, NobodyBlowsGivesTheScfOfTheReports) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  for (int r0 = 0; r0 < 2; ++r0) {
    for (int r1 = 0; r1 < 2; ++r1) {
      const std::vector<Message> messages = {no_whistle(r0), no_whistle(r1)};
      EXPECT_EQ(mechanism.rule(messages).rule, 1);
      expect_lottery(mechanism.outcome(messages), one_hot(r0 == 0 ? (r1 == 0 ? 0 : 2) : (r1 == 0 ? 1 : 3)));
    }
  }
}

TEST(CanonicalMechanismOutcome, MenuIsTheInteriorPairWithFiniteKWeights) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  const auto& upper0 = ex.interior.agents[0].upper;
  const auto& lower0 = ex.interior.agents[0].lower;
  const auto& upper1 = ex.interior.agents[1].upper;
  const auto& lower1 = ex.interior.agents[1].lower;
  EXPECT_THAT(mechanism.menu(singleton(0)), ElementsAre(upper0, lower0));
  EXPECT_THAT(mechanism.menu_weights(singleton(0)), ElementsAre(0.5, 0.5));
  EXPECT_THAT(mechanism.menu(0b11), ElementsAre(upper0, lower0, upper1, lower1));
  EXPECT_THAT(mechanism.menu_weights(0b11), ElementsAre(0.5, 0.25, 0.125, 0.125));
  // Agent 0 ranks ā_0 over a̲_0 by exactly ¼ at θ_0 = 1 and at least ¼ everywhere.
  for (std::size_t theta = 0; theta < 4; ++theta) {
    const double diff =
        ex.instance().env().expected_utility(0, theta, upper0) - ex.instance().env().expected_utility(0, theta, lower0);
    EXPECT_GE(diff, 0.25 - 1e-9) << "θ = " << theta;
  }
}

TEST(CanonicalMechanismOutcome, LoneBlowerWithZeroIntegerGetsExactlyTheNoiseLottery) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  // y = f(θ_0 = 1, ·): component θ_1 = 0 is f(1,0), θ_1 = 1 is f(1,1); in Y_0 by RCIC.
  const RewardProposal proposal = {{singleton(0), concat(one_hot(1), one_hot(3))}};
  const std::vector<Message> messages = {blow_whistle(0, proposal, 0), no_whistle(1)};
  const RuleApplied applied = mechanism.rule(messages);
  EXPECT_EQ(applied.rule, 2);
  EXPECT_EQ(applied.blowers, singleton(0));
  EXPECT_EQ(applied.proposer, 0);
  EXPECT_EQ(applied.target, singleton(0));
  std::vector<double> expected(4);
  for (int x = 0; x < 4; ++x) {
    expected[x] = 0.5 * ex.interior.agents[0].upper[x] + 0.5 * ex.interior.agents[0].lower[x];
  }
  expect_lottery(mechanism.outcome(messages), expected);
}

TEST(CanonicalMechanismOutcome, IntegerThreeWeighsTheRewardThreeQuarters) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  const RewardProposal proposal = {{singleton(0), concat(one_hot(1), one_hot(3))}};
  const auto noise = mechanism.noise(singleton(0));
  for (int r1 = 0; r1 < 2; ++r1) {
    const std::vector<Message> messages = {blow_whistle(1, proposal, 3), no_whistle(r1)};
    // y(m¹_{−0}) = y(r1): f(1,0) = outcome 1 or f(1,1) = outcome 3.
    std::vector<double> expected = one_hot(r1 == 0 ? 1 : 3);
    for (int x = 0; x < 4; ++x) expected[x] = 0.75 * expected[x] + 0.25 * noise[x];
    expect_lottery(mechanism.outcome(messages), expected);
  }
}

TEST(CanonicalMechanismOutcome, SecondAgentAloneUsesHisOwnComponentAtTheFirstReport) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  // y = f(·, θ_1 = 1): component θ_0 = 0 is f(0,1), θ_0 = 1 is f(1,1).
  const RewardProposal proposal = {{singleton(1), concat(one_hot(2), one_hot(3))}};
  const std::vector<Message> messages = {no_whistle(1), blow_whistle(0, proposal, 1)};
  EXPECT_EQ(mechanism.rule(messages).target, singleton(1));
  const auto noise = mechanism.noise(singleton(1));
  std::vector<double> expected = one_hot(3);
  for (int x = 0; x < 4; ++x) expected[x] = 0.5 * expected[x] + 0.5 * noise[x];
  expect_lottery(mechanism.outcome(messages), expected);
}

TEST(CanonicalMechanismOutcome, BothBlowUnderTheFullPatternUseTheGrandCoalitionConstant) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  // f(0,0) = (0,0,0) is below f(θ) for both agents at every θ, so the
  // constant δ_0 lies in Y_I[𝒮̄].
  const RewardProposal first = {{0b11, one_hot(0)}, {singleton(0), concat(one_hot(1), one_hot(3))}};
  const RewardProposal second = {{0b11, one_hot(3)}};  // ignored: agent 1 is not i*
  const std::vector<Message> messages = {blow_whistle(1, first, 1), blow_whistle(0, second, 7)};
  const RuleApplied applied = mechanism.rule(messages);
  EXPECT_EQ(applied.blowers, 0b11U);
  EXPECT_EQ(applied.proposer, 0);
  EXPECT_EQ(applied.target, 0b11U);
  EXPECT_EQ(applied.integer, 1U);
  std::vector<double> expected(4);
  for (int x = 0; x < 4; ++x) {
    const double noise = 0.5 * ex.interior.agents[0].upper[x] + 0.25 * ex.interior.agents[0].lower[x] +
                         0.125 * ex.interior.agents[1].upper[x] + 0.125 * ex.interior.agents[1].lower[x];
    expected[x] = 0.5 * (x == 0 ? 1.0 : 0.0) + 0.5 * noise;
  }
  expect_lottery(mechanism.outcome(messages), expected);
}

TEST(CanonicalMechanismOutcome, BothBlowUnderSingletonsFallBackToTheFirstBlower) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::singletons(2), ex.interior);
  const RewardProposal first = {{singleton(0), concat(one_hot(1), one_hot(3))}};
  const std::vector<Message> messages = {blow_whistle(1, first, 1), blow_whistle(0, {}, 9)};
  const RuleApplied applied = mechanism.rule(messages);
  EXPECT_EQ(applied.blowers, 0b11U);
  EXPECT_EQ(applied.target, singleton(0));
  // y(m¹_1 = 0) = f(1,0) = outcome 1, weight ½; the noise is over Ŷ_{{0}} only.
  std::vector<double> expected(4);
  for (int x = 0; x < 4; ++x) {
    expected[x] = 0.5 * (x == 1 ? 1.0 : 0.0) +
                  0.5 * (0.5 * ex.interior.agents[0].upper[x] + 0.5 * ex.interior.agents[0].lower[x]);
  }
  expect_lottery(mechanism.outcome(messages), expected);
  EXPECT_THROW(mechanism.menu(0b11), std::invalid_argument);
}

TEST(CanonicalMechanismOutcome, RejectsAWrongMessageCountOrReport) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  const std::vector<Message> one = {no_whistle(0)};
  const std::vector<Message> three = {no_whistle(0), no_whistle(0), no_whistle(0)};
  const std::vector<Message> out_of_range = {no_whistle(0), no_whistle(2)};
  EXPECT_THROW(mechanism.outcome(one), std::invalid_argument);
  EXPECT_THROW(mechanism.outcome(three), std::invalid_argument);
  EXPECT_THROW(mechanism.rule(three), std::invalid_argument);
  EXPECT_THROW(mechanism.outcome(out_of_range), std::invalid_argument);
  // A table of the wrong size cannot be indexed, validated or not.
  const std::vector<Message> short_table = {blow_whistle(0, {{singleton(0), one_hot(0)}}, 1), no_whistle(1)};
  EXPECT_THROW(mechanism.outcome(short_table), std::invalid_argument);
}

TEST(CanonicalMechanismOutcome, OmittedComponentIsTheFirstMenuConstant) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  const std::vector<Message> messages = {blow_whistle(0, {}, 1), no_whistle(0)};
  const auto noise = mechanism.noise(singleton(0));
  std::vector<double> expected(4);
  for (int x = 0; x < 4; ++x) expected[x] = 0.5 * ex.interior.agents[0].upper[x] + 0.5 * noise[x];
  expect_lottery(mechanism.outcome(messages), expected);
}

// ---- validation ------------------------------------------------------------------

TEST(CanonicalMechanismValidation, AcceptsRewardsInsideY) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  EXPECT_NO_THROW(mechanism.validate_message(0, no_whistle(1)));
  EXPECT_NO_THROW(mechanism.validate_message(
      0, blow_whistle(1, {{singleton(0), concat(one_hot(1), one_hot(3))}, {0b11, one_hot(0)}}, 5)));
  EXPECT_NO_THROW(mechanism.validate_message(1, blow_whistle(0, {{singleton(1), concat(one_hot(2), one_hot(3))}}, 0)));
}

void expect_rejected_at(int line, const CanonicalMechanism& mechanism, int agent, const Message& message,
                        const std::string& fragment) {
  SCOPED_TRACE("line " + std::to_string(line));
  try {
    mechanism.validate_message(agent, message);
    ADD_FAILURE() << "accepted a message that should fail with '" << fragment << "'";
  } catch (const std::invalid_argument& error) {
    EXPECT_THAT(error.what(), HasSubstr(fragment));
    EXPECT_THAT(error.what(), HasSubstr("agent " + std::to_string(agent)));
  }
}
#define expect_rejected(...) expect_rejected_at(__LINE__, __VA_ARGS__)

TEST(CanonicalMechanismValidation, RejectsRewardsOutsideYAndMalformedTables) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  // f(1,1) against θ_1 = 0: at θ_0 = 1 agent 0 gets 3/2 > u_0(f(1,0)) = ½, so
  // the key ({0}, θ''_0 = 1) has no weakly worse member.
  expect_rejected(mechanism, 0, blow_whistle(0, {{singleton(0), concat(one_hot(3), one_hot(3))}}, 0), "outside Y_S");
  // f is Pareto efficient within X = f(Θ), so Y_I[𝒮̄] is all of Δ(X): even
  // the constant f(1,1), which agent 0 prefers at θ = (1,0), passes (agent 1
  // is worse off there).
  EXPECT_NO_THROW(mechanism.validate_message(0, blow_whistle(0, {{0b11, one_hot(3)}}, 0)));
  expect_rejected(mechanism, 0, blow_whistle(0, {{singleton(0), {0.5, 0.4, 0, 0, 1, 0, 0, 0}}}, 0), "sums to");
  expect_rejected(mechanism, 0, blow_whistle(0, {{singleton(0), {1.5, -0.5, 0, 0, 1, 0, 0, 0}}}, 0),
                  "not a probability");
  expect_rejected(mechanism, 0, blow_whistle(0, {{singleton(0), one_hot(0)}}, 0), "expected 8");
  expect_rejected(mechanism, 0, blow_whistle(0, {{singleton(1), concat(one_hot(2), one_hot(3))}}, 0),
                  "does not contain");
  expect_rejected(mechanism, 1, no_whistle(2), "reported type 2");
  const CanonicalMechanism singletons(ex.instance(), Pattern::singletons(2), ex.interior);
  expect_rejected(singletons, 0, blow_whistle(0, {{0b11, one_hot(0)}}, 0), "not in D");
}

TEST(CanonicalMechanismValidation, ConstructorRejectsAFailedInteriorTestAndSizeMismatches) {
  // f constant at the agents' worst outcome: W = {δ_0}, no ranked pair.
  std::vector<double> utility;
  for (int row = 0; row < 8; ++row) utility.insert(utility.end(), {0.0, 1.0, 2.0});
  Environment env({2, 2}, 3, utility);
  Scf scf = Scf::deterministic(env, std::vector<int>{0, 0, 0, 0});
  const Instance flat(std::move(env), std::move(scf));
  const InteriorTest failing = interior_reward_test(flat);
  ASSERT_FALSE(failing.passes);
  EXPECT_THROW(CanonicalMechanism(flat, Pattern::all(2), failing), std::invalid_argument);

  const Example1B ex;
  EXPECT_THROW(CanonicalMechanism(ex.instance(), Pattern::all(3), ex.interior), std::invalid_argument);
  InteriorTest short_test = ex.interior;
  short_test.agents.pop_back();
  EXPECT_THROW(CanonicalMechanism(ex.instance(), Pattern::all(2), short_test), std::invalid_argument);
  InteriorTest wrong_length = ex.interior;
  wrong_length.agents[1].lower.push_back(0.0);
  EXPECT_THROW(CanonicalMechanism(ex.instance(), Pattern::all(2), wrong_length), std::invalid_argument);
  InteriorTest not_dominated = ex.interior;
  not_dominated.agents[0].upper = one_hot(3);  // f(1,1) beats f(1,0) for agent 0 at θ = (1,0)
  EXPECT_THROW(CanonicalMechanism(ex.instance(), Pattern::all(2), not_dominated), std::invalid_argument);
}

// ---- Claims 3 and 6: every bad no-whistle profile is dissolved (exhaustive) -----

struct Space {
  std::string name;
  TypeSpace types;
};

std::vector<Space> example1b_spaces(const ProfileSpace& payoffs) {
  return {{"random r=1", random_type_space(payoffs, 1, 0.0, 11)},
          {"random r=2 zeros", random_type_space(payoffs, 2, 0.3, 12)},
          {"random r=1 zeros", random_type_space(payoffs, 1, 0.5, 13)}};
}

std::vector<Space> example2_spaces(const ProfileSpace& payoffs) {
  return {{"table 3.1", example2_type_space(0.01)},
          {"random r=1 zeros", random_type_space(payoffs, 1, 0.3, 21)},
          {"random r=2 zeros", random_type_space(payoffs, 2, 0.3, 22)}};
}

void expect_every_bad_profile_certified(const CanonicalMechanism& mechanism, const std::vector<Space>& spaces,
                                        const std::string& label) {
  for (const Space& space : spaces) {
    const CanonicalCertifier certifier(mechanism, space.types);
    const ReportCensus census = certifier.certify_all_reports();
    std::cout << "[ census   ] " << label << ", " << space.name << ": " << census.profiles << " NB profiles, "
              << census.bad << " bad, " << census.certified << " certified (" << census.by_singleton
              << " by a singleton)\n";
    EXPECT_GT(census.bad, 0U) << space.name;
    EXPECT_EQ(census.certified, census.bad) << space.name;
    EXPECT_FALSE(census.first_uncertified.has_value()) << space.name;
  }
}

TEST(CanonicalMechanismClaimSix, EveryBadProfileOfExampleOneBIsDissolvedUnderTheorem1) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  expect_every_bad_profile_certified(mechanism, example1b_spaces(ex.instance().profiles()), "Example 1B, all");
}

TEST(CanonicalMechanismClaimSix, EveryBadProfileOfExampleOneBIsDissolvedUnderSingletons) {
  // RM and EPIC hold too, so Theorem 2 with 𝒮̲ (Bergemann–Morris) applies.
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::singletons(2), ex.interior);
  expect_every_bad_profile_certified(mechanism, example1b_spaces(ex.instance().profiles()), "Example 1B, singletons");
}

TEST(CanonicalMechanismClaimSix, EveryBadProfileOfExampleTwoIsDissolvedUnderTheFullPattern) {
  const PublicGoodInstance ex = example2();
  const InteriorTest interior = interior_reward_test(ex.instance);
  ASSERT_TRUE(interior.passes);
  EXPECT_NEAR(interior.min_margin, 1.0, 1e-9);
  const CanonicalMechanism mechanism(ex.instance, Pattern::all(2), interior);
  expect_every_bad_profile_certified(mechanism, example2_spaces(ex.instance.profiles()), "Example 2, all");
}

TEST(CanonicalMechanismClaimSix, CertificateIsVerifiedMemberByMember) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  const TypeSpace types = random_type_space(ex.instance().profiles(), 2, 0.3, 12);
  const CanonicalCertifier certifier(mechanism, types);
  // Everybody always reports 0: bad wherever somebody's payoff type is 1.
  const StrategyProfile reports = {{0, 0, 0, 0}, {0, 0, 0, 0}};
  ASSERT_TRUE(certifier.is_bad(reports));
  const auto certificate = certifier.dissolve(reports);
  ASSERT_TRUE(certificate.has_value());
  EXPECT_GE(certificate->integer, certificate->paper_bound);
  EXPECT_GT(certificate->conjectured_value, ex.instance().tie());
  const auto sigma = no_whistle_strategy(reports);
  std::size_t k = 0;
  for (int i = 0; i < 2; ++i) {
    if (!is_member(certificate->coalition, i)) continue;
    EXPECT_NO_THROW(mechanism.validate_message(i, certificate->messages[k]));
    const double deviating =
        certifier.interim_utility(sigma, certificate->coalition, certificate->realized, certificate->messages, i);
    const double staying = certifier.interim_utility(sigma, certificate->coalition, certificate->realized, {}, i);
    EXPECT_NEAR(deviating - staying, certificate->gains[k], 1e-12);
    EXPECT_GT(certificate->gains[k], ex.instance().tie());
    ++k;
  }
  // A good profile gets nothing to certify.
  const StrategyProfile truthful = {{0, 1, 0, 1}, {0, 1, 0, 1}};
  EXPECT_FALSE(certifier.is_bad(truthful));
  EXPECT_FALSE(certifier.dissolve(truthful).has_value());
}

TEST(CanonicalMechanismClaimSix, TableThreeOneProfileNeedsTheGrandCoalition) {
  const PublicGoodInstance ex = example2();
  const InteriorTest interior = interior_reward_test(ex.instance);
  const CanonicalMechanism mechanism(ex.instance, Pattern::all(2), interior);
  const TypeSpace types = example2_type_space(0.01);
  const CanonicalCertifier certifier(mechanism, types);
  const StrategyProfile constant = {{0, 0}, {1, 1}};  // σ'_1 ≡ 0, σ'_2 ≡ 1: always x²
  ASSERT_TRUE(certifier.is_bad(constant));
  const auto certificate = certifier.dissolve(constant);
  ASSERT_TRUE(certificate.has_value());
  EXPECT_EQ(certificate->coalition, 0b11U);
  for (double gain : certificate->gains) EXPECT_GT(gain, ex.instance.tie());
  // S = I: y is a constant; the deviation names the realized bad profile.
  EXPECT_EQ(certificate->reward.size(), 3U);
  std::cout << "[ table3.1 ] t* = (" << certificate->types[0] << "," << certificate->types[1]
            << "), K* = " << certificate->integer << " (paper bound " << certificate->paper_bound << "), gains "
            << certificate->gains[0] << ", " << certificate->gains[1] << "\n";
}

TEST(CanonicalMechanismClaimSix, TableThreeOneProfileSurvivesWithoutCoalitions) {
  // Example 2 violates RM, so with 𝒮̲ the hypotheses of Theorem 2 fail: the
  // bad profile is an interim equilibrium of the direct mechanism, and no
  // singleton whistle-blower breaks it here either.
  const PublicGoodInstance ex = example2();
  const InteriorTest interior = interior_reward_test(ex.instance);
  const CanonicalMechanism mechanism(ex.instance, Pattern::singletons(2), interior);
  const TypeSpace types = example2_type_space(0.01);
  const CanonicalCertifier certifier(mechanism, types);
  const StrategyProfile constant = {{0, 0}, {1, 1}};
  ASSERT_TRUE(certifier.is_bad(constant));
  EXPECT_FALSE(certifier.dissolve(constant).has_value());
}

// ---- Claims 2 and 5: nobody blows in an equilibrium (sampled) ---------------------

MessageStrategy random_whistle_profile(const CanonicalMechanism& mechanism, const CanonicalCertifier& certifier,
                                       const TypeSpace& types, std::mt19937_64& rng) {
  constexpr std::uint64_t kIntegers[] = {0, 0, 0, 1, 2, 5, 40};
  const int n = mechanism.agents();
  MessageStrategy sigma(n);
  bool any = false;
  for (int i = 0; i < n; ++i) {
    for (int t = 0; t < types.types(i); ++t) {
      const int report = static_cast<int>(rng() % static_cast<std::uint64_t>(mechanism.instance().profiles().types(i)));
      if (rng() % 2 == 0) {
        sigma[i].push_back(no_whistle(report));
        continue;
      }
      any = true;
      RewardProposal proposal;
      for (Coalition s = 1; s <= all_agents(n); ++s) {
        if (is_member(s, i) && mechanism.pattern().in_downward_closure(s) && rng() % 4 != 0) {
          proposal[s] = certifier.random_reward(s, rng);
        }
      }
      sigma[i].push_back(blow_whistle(report, std::move(proposal), kIntegers[rng() % 7]));
    }
  }
  if (!any) sigma[n - 1][0].whistle = true;
  return sigma;
}

void expect_whistles_stopped(const CanonicalMechanism& mechanism, const std::vector<Space>& spaces,
                             const std::string& label, int profiles_per_space) {
  std::mt19937_64 rng(2024);
  int switched_at_zero = 0;
  int switched = 0;
  int raised = 0;
  for (const Space& space : spaces) {
    const CanonicalCertifier certifier(mechanism, space.types);
    for (int draw = 0; draw < profiles_per_space; ++draw) {
      const MessageStrategy sigma = random_whistle_profile(mechanism, certifier, space.types, rng);
      for (int i = 0; i < mechanism.agents(); ++i) {
        for (const Message& message : sigma[i]) mechanism.validate_message(i, message);
      }
      const auto certificate = certifier.stop_whistle(sigma);
      ASSERT_TRUE(certificate.has_value()) << space.name << ", draw " << draw;
      EXPECT_GT(certificate->gain, mechanism.instance().tie());
      const Message& before = sigma[certificate->agent][certificate->type];
      EXPECT_TRUE(before.whistle);
      EXPECT_EQ(certificate->message.integer, before.integer + 1);
      for (int i = 0; i < certificate->agent; ++i) {
        for (const Message& message : sigma[i]) EXPECT_FALSE(message.whistle);
      }
      if (certificate->switched) {
        ++switched;
        if (before.integer == 0) ++switched_at_zero;
      } else {
        ++raised;
      }
    }
  }
  std::cout << "[ claim 2  ] " << label << ": " << switched << " Case-1 (switch + z+1; " << switched_at_zero
            << " at z = 0), " << raised << " Case-2 (z+1)\n";
  EXPECT_GT(switched_at_zero, 0);
  EXPECT_GT(raised, 0);
}

TEST(CanonicalMechanismClaimFive, RandomWhistleProfilesOfExampleOneBAreBroken) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  expect_whistles_stopped(mechanism, example1b_spaces(ex.instance().profiles()), "Example 1B, all", 60);
}

TEST(CanonicalMechanismClaimFive, RandomWhistleProfilesOfExampleTwoAreBroken) {
  const PublicGoodInstance ex = example2();
  const CanonicalMechanism mechanism(ex.instance, Pattern::all(2), interior_reward_test(ex.instance));
  expect_whistles_stopped(mechanism, example2_spaces(ex.instance.profiles()), "Example 2, all", 60);
}

TEST(CanonicalMechanismClaimFive, ZeroIntegerNeedsTheRaiseNotJustTheSwitch) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  const TypeSpace types = random_type_space(ex.instance().profiles(), 1, 0.0, 11);
  const CanonicalCertifier certifier(mechanism, types);
  const auto& lower = ex.interior.agents[0].lower;
  const auto& upper = ex.interior.agents[0].upper;
  // Agent 0 always blows with the worse menu constant a̲_0 and z = 0: E_y < E_L.
  MessageStrategy sigma = {{blow_whistle(0, {{singleton(0), concat(lower, lower)}}, 0),
                            blow_whistle(1, {{singleton(0), concat(lower, lower)}}, 0)},
                           {no_whistle(0), no_whistle(1)}};
  const auto certificate = certifier.stop_whistle(sigma);
  ASSERT_TRUE(certificate.has_value());
  EXPECT_EQ(certificate->agent, 0);
  EXPECT_EQ(certificate->type, 0);
  EXPECT_TRUE(certificate->switched);
  EXPECT_THAT(certificate->replaced, ElementsAre(singleton(0)));
  EXPECT_EQ(certificate->message.integer, 1U);
  EXPECT_GT(certificate->gain, ex.instance().tie());
  // The paper's literal Case 1 (switch to ā_0, keep z = 0) changes nothing:
  // with z = 0 the outcome is the noise lottery whatever y is.
  const Message literal = blow_whistle(0, {{singleton(0), concat(upper, upper)}}, 0);
  const auto gains = certifier.interim_gains(sigma, singleton(0), 0, std::span(&literal, 1));
  EXPECT_NEAR(gains[0], 0.0, 1e-15);
  // With a positive integer the same y gives Case 2: raising z suffices.
  sigma[0][0] = blow_whistle(0, {{singleton(0), concat(upper, upper)}}, 4);
  const auto raised = certifier.stop_whistle(sigma);
  ASSERT_TRUE(raised.has_value());
  EXPECT_FALSE(raised->switched);
  EXPECT_EQ(raised->message.integer, 5U);
}

TEST(CanonicalMechanismClaimFive, NoWhistleMeansNothingToStop) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  const TypeSpace types = random_type_space(ex.instance().profiles(), 1, 0.0, 11);
  const CanonicalCertifier certifier(mechanism, types);
  EXPECT_FALSE(certifier.stop_whistle(no_whistle_strategy({{0, 1}, {0, 1}})).has_value());
}

// ---- Claims 1 and 4: truthful NB survives sampled deviations ----------------------

void expect_truth_survives(const CanonicalMechanism& mechanism, const std::vector<Space>& spaces,
                           const std::string& label) {
  for (const Space& space : spaces) {
    const CanonicalCertifier certifier(mechanism, space.types);
    const TruthSample sample = certifier.sample_truthful_deviations(1500, 77);
    std::cout << "[ claim 4  ] " << label << ", " << space.name << ": " << sample.samples << " deviations ("
              << sample.rule_two << " with a whistle, " << sample.rejected_rewards
              << " reward draws outside Y redrawn), " << sample.profitable << " profitable, best min gain "
              << sample.best_min_gain << "\n";
    EXPECT_EQ(sample.samples, 1500U);
    EXPECT_GT(sample.rule_two, 0U);
    EXPECT_EQ(sample.profitable, 0U) << space.name;
    EXPECT_LE(sample.best_min_gain, mechanism.instance().tie());
  }
}

TEST(CanonicalMechanismClaimFour, TruthfulReportingSurvivesInExampleOneB) {
  const Example1B ex;
  const CanonicalMechanism mechanism(ex.instance(), Pattern::all(2), ex.interior);
  expect_truth_survives(mechanism, example1b_spaces(ex.instance().profiles()), "Example 1B, all");
}

TEST(CanonicalMechanismClaimFour, TruthfulReportingSurvivesInExampleTwo) {
  const PublicGoodInstance ex = example2();
  const CanonicalMechanism mechanism(ex.instance, Pattern::all(2), interior_reward_test(ex.instance));
  expect_truth_survives(mechanism, example2_spaces(ex.instance.profiles()), "Example 2, all");
}

TEST(CanonicalMechanismClaimFour, SamplerFindsTheGrandCoalitionManipulationOfExampleOneA) {
  // Example 1A violates RCIC at θ* = (½,½) → (1,1); in the Lemma 1 type space
  // the grand coalition gains 1/8 each by that Rule-1 misreport.
  const PublicGoodInstance ex = example1(2, 3, 0.5);
  const InteriorTest interior = interior_reward_test(ex.instance);
  ASSERT_TRUE(interior.passes);
  const CanonicalMechanism mechanism(ex.instance, Pattern::all(2), interior);
  const auto violation = coalition_ic(ex.instance, 0b11).witness;
  ASSERT_TRUE(violation.has_value());
  const TypeSpace types = lemma1_type_space(ex.instance, *violation);
  const CanonicalCertifier certifier(mechanism, types);
  // The one profitable deviation is rare among random ones (S = I, t* = (½,½),
  // both report 1, nobody blows: about 1 in 4000).
  const TruthSample sample = certifier.sample_truthful_deviations(40000, 77);
  std::cout << "[ claim 4  ] Example 1A (RCIC fails), Lemma 1 space: " << sample.profitable << " of " << sample.samples
            << " sampled deviations profitable\n";
  EXPECT_GT(sample.profitable, 0U);
  ASSERT_TRUE(sample.first_profitable.has_value());
  EXPECT_EQ(sample.first_profitable->coalition, 0b11U);
  EXPECT_NEAR(sample.best_min_gain, 0.125, 1e-9);
}

}  // namespace
}  // namespace mechsweep::coalition
