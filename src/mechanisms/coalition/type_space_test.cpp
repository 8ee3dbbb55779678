// Type spaces, revising rules and the interim 𝒮-equilibrium checker (spec 001
// §1.2, §1.5, §2.1, §2.8 items 1–2, §3.2, §5.6; KAT-8 of §7).

#include "mechanisms/coalition/type_space.hpp"
#include "mechanisms/coalition/test_helpers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "mechanisms/coalition/examples.hpp"
#include "mechanisms/coalition/ic.hpp"
#include "mechanisms/coalition/pattern.hpp"

namespace mechsweep::coalition {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr double kExact = 1e-12;

using test_support::invalid_argument_message;

// n agents with Θ_i = {0, 1}, m = 3, iid integer utilities 0..9. The SCF is a
// uniformly random outcome per profile, or (utilitarian) the lowest-index
// argmax of Σ_i u_i: random SCFs almost never satisfy EPIC (spec §5.7 Run B),
// so the utilitarian ones make sure the "R𝒮IC holds" branch is exercised.
Instance random_instance(int n, bool utilitarian, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<int> counts(static_cast<std::size_t>(n), 2);
  const int m = 3;
  const ProfileSpace space(counts);
  std::vector<double> utility(static_cast<std::size_t>(n) * space.size() * m);
  for (double& u : utility) u = static_cast<double>(rng() % 10);
  Environment env(counts, m, utility);
  std::vector<int> outcome(space.size());
  for (std::size_t profile = 0; profile < space.size(); ++profile) {
    if (!utilitarian) {
      outcome[profile] = static_cast<int>(rng() % m);
      continue;
    }
    double best = -1.0;
    for (int x = 0; x < m; ++x) {
      double total = 0.0;
      for (int i = 0; i < n; ++i) total += env.utility(i, profile, x);
      if (total > best) {
        best = total;
        outcome[profile] = x;
      }
    }
  }
  Scf scf = Scf::deterministic(env, outcome);
  return Instance(std::move(env), std::move(scf));
}

// ---- type spaces: construction and validation --------------------------------

TEST(TypeSpaceTest, StoresBeliefsAndPayoffProfiles) {
  // Agent 0: three types over Θ_0 = {0, 1}; agent 1: two types over Θ_1 = {0, 1}.
  const TypeSpace types(ProfileSpace({2, 2}), {{0, 1, 1}, {1, 0}},
                        {{{0.25, 0.75}, {1.0, 0.0}, {0.5, 0.5}}, {{0.2, 0.3, 0.5}, {0.0, 0.0, 1.0}}});
  EXPECT_EQ(types.agents(), 2);
  EXPECT_EQ(types.types(0), 3);
  EXPECT_EQ(types.types(1), 2);
  EXPECT_EQ(types.profiles().size(), 6u);
  // t = (2, 0) is profile 2: payoff (1, 1) is Θ-profile 3.
  EXPECT_EQ(types.payoff_profile(2), 3u);
  // t = (0, 1) is profile 3: payoff (0, 0).
  EXPECT_EQ(types.payoff_profile(3), 0u);
  EXPECT_DOUBLE_EQ(types.prior(0, 3), 0.75);  // π_0(t_0 = 0)[t_1 = 1]
  EXPECT_DOUBLE_EQ(types.prior(1, 3), 0.0);   // π_1(t_1 = 1)[t_0 = 0]
  EXPECT_DOUBLE_EQ(types.prior(1, 2), 0.5);   // π_1(t_1 = 0)[t_0 = 2]
}

TEST(TypeSpaceTest, RejectsPayoffMapThatIsNotOnto) {
  const std::string message = invalid_argument_message([] {
    TypeSpace(ProfileSpace({2, 2}), {{0, 0}, {0, 1}}, {{{0.5, 0.5}, {0.5, 0.5}}, {{0.5, 0.5}, {0.5, 0.5}}});
  });
  EXPECT_THAT(message, StartsWith("coalition: agent 0"));
  EXPECT_THAT(message, HasSubstr("not onto"));
  EXPECT_THAT(message, HasSubstr("payoff type 1"));
}

TEST(TypeSpaceTest, RejectsPayoffTypeOutOfRange) {
  const std::string message = invalid_argument_message([] {
    TypeSpace(ProfileSpace({2, 2}), {{0, 1}, {0, 2}}, {{{0.5, 0.5}, {0.5, 0.5}}, {{0.5, 0.5}, {0.5, 0.5}}});
  });
  EXPECT_THAT(message, StartsWith("coalition: agent 1, type 1"));
  EXPECT_THAT(message, HasSubstr("outside"));
}

TEST(TypeSpaceTest, RejectsBeliefNotSummingToOne) {
  const std::string message = invalid_argument_message([] {
    TypeSpace(ProfileSpace({2, 2}), {{0, 1}, {0, 1}}, {{{0.5, 0.5}, {0.5, 0.4}}, {{0.5, 0.5}, {0.5, 0.5}}});
  });
  EXPECT_THAT(message, StartsWith("coalition: agent 0, type 1"));
  EXPECT_THAT(message, HasSubstr("sums to 0.9"));
}

TEST(TypeSpaceTest, RejectsBeliefOfWrongSize) {
  const std::string message = invalid_argument_message([] {
    TypeSpace(ProfileSpace({2, 2}), {{0, 1}, {0, 1}}, {{{0.5, 0.5}, {0.5, 0.5}}, {{1.0}, {0.5, 0.5}}});
  });
  EXPECT_THAT(message, StartsWith("coalition: agent 1, type 0"));
  EXPECT_THAT(message, HasSubstr("1 entries, expected 2"));
}

TEST(TypeSpaceTest, RejectsNegativeBelief) {
  const std::string message = invalid_argument_message([] {
    TypeSpace(ProfileSpace({2, 2}), {{0, 1}, {0, 1}}, {{{1.5, -0.5}, {0.5, 0.5}}, {{0.5, 0.5}, {0.5, 0.5}}});
  });
  EXPECT_THAT(message, StartsWith("coalition: agent 0, type 0"));
  EXPECT_THAT(message, HasSubstr("non-negative"));
}

TEST(TypeSpaceTest, Example2PosteriorsMatchTable31) {
  const double e = 0.01;
  const TypeSpace types = example2_type_space(e);
  EXPECT_THAT(types.belief(0, 0), ElementsAre(DoubleNear(e / (1 + e), kExact), DoubleNear(1 / (1 + e), kExact)));
  const double d = 1 - e - e * e;
  EXPECT_THAT(types.belief(0, 1),
              ElementsAre(DoubleNear((1 - e - 2 * e * e) / d, kExact), DoubleNear(e * e / d, kExact)));
  EXPECT_THAT(types.belief(1, 0),
              ElementsAre(DoubleNear(e * e / d, kExact), DoubleNear((1 - e - 2 * e * e) / d, kExact)));
  EXPECT_THAT(types.belief(1, 1), ElementsAre(DoubleNear(1 / (1 + e), kExact), DoubleNear(e / (1 + e), kExact)));
  EXPECT_THROW(example2_type_space(0.0), std::invalid_argument);
  EXPECT_THROW(example2_type_space(0.5), std::invalid_argument);
}

TEST(TypeSpaceTest, RandomTypeSpaceIsDeterministicOntoAndHasZeros) {
  const ProfileSpace payoff({2, 3});
  const TypeSpace a = random_type_space(payoff, 2, 0.4, 7);
  const TypeSpace b = random_type_space(payoff, 2, 0.4, 7);
  const TypeSpace c = random_type_space(payoff, 2, 0.4, 8);
  ASSERT_EQ(a.types(0), 4);
  ASSERT_EQ(a.types(1), 6);
  EXPECT_EQ(a.payoff_type(0, 3), 1);
  EXPECT_EQ(a.payoff_type(1, 4), 1);
  int zeros = 0;
  bool differs = false;
  for (int i = 0; i < 2; ++i) {
    for (int t = 0; t < a.types(i); ++t) {
      const auto pa = a.belief(i, t);
      const auto pb = b.belief(i, t);
      const auto pc = c.belief(i, t);
      ASSERT_EQ(pa.size(), static_cast<std::size_t>(i == 0 ? 6 : 4));
      for (std::size_t e = 0; e < pa.size(); ++e) {
        EXPECT_EQ(pa[e], pb[e]);
        zeros += pa[e] == 0.0 ? 1 : 0;
        differs = differs || pa[e] != pc[e];
      }
    }
  }
  // 48 entries with zero probability 0.4: some zeros, far from all.
  EXPECT_GT(zeros, 5);
  EXPECT_LT(zeros, 40);
  EXPECT_TRUE(differs);
  EXPECT_THROW(random_type_space(payoff, 0, 0.4, 7), std::invalid_argument);
  EXPECT_THROW(random_type_space(payoff, 1, 1.0, 7), std::invalid_argument);
}

// ---- coalitional posteriors and revising rules ----------------------------------

// n = 3, Θ = {0,1} × {0,1,2} × {0,1}, T_i ≅ Θ_i. Agent 0's type 0 believes
// (t_1, t_2) with probabilities (index t_1 + 3 t_2)
//   (0,0) .1  (1,0) .2  (2,0) 0  (0,1) .4  (1,1) .3  (2,1) 0,
// so partner type t_1 = 2 has probability zero.
TypeSpace three_agent_space() {
  const ProfileSpace payoff({2, 3, 2});
  std::vector<std::vector<std::vector<double>>> beliefs(3);
  beliefs[0] = {{0.1, 0.2, 0.0, 0.4, 0.3, 0.0}, std::vector<double>(6, 1.0 / 6)};
  for (int t = 0; t < 3; ++t) beliefs[1].emplace_back(4, 0.25);
  for (int t = 0; t < 2; ++t) beliefs[2].emplace_back(6, 1.0 / 6);
  return TypeSpace(payoff, {{0, 1}, {0, 1, 2}, {0, 1}}, std::move(beliefs));
}

TEST(TypeSpaceRevisionTest, BayesWhenPartnerProfileHasPositiveProbability) {
  const TypeSpace types = three_agent_space();
  // S = {0,1}, t*_S = (0, 1): index 0 + 2·1 = 2. Bayes on t_1 = 1: (.2, .3)/.5.
  EXPECT_THAT(coalition_posterior(types, 0b011, 0, 2), ElementsAre(DoubleNear(0.4, kExact), DoubleNear(0.6, kExact)));
  // Singletons keep the prior; S = I has the one empty outsider profile.
  EXPECT_THAT(coalition_posterior(types, 0b001, 0, 0),
              ElementsAre(0.1, 0.2, 0.0, DoubleNear(0.4, kExact), DoubleNear(0.3, kExact), 0.0));
  EXPECT_THAT(coalition_posterior(types, 0b111, 0, 4), ElementsAre(1.0));
}

TEST(TypeSpaceRevisionTest, DefaultRuleIsPriorMarginalOnOutsiders) {
  const TypeSpace types = three_agent_space();
  // S = {0,1}, t*_S = (0, 2): index 4; π_0(0)[t_1 = 2] = 0, so the rule applies:
  // marginal on t_2 = (.1 + .2 + 0, .4 + .3 + 0).
  EXPECT_THAT(coalition_posterior(types, 0b011, 0, 4), ElementsAre(DoubleNear(0.3, kExact), DoubleNear(0.7, kExact)));
  EXPECT_THAT(marginal_revision(types, 0b011, 0, 4), ElementsAre(DoubleNear(0.3, kExact), DoubleNear(0.7, kExact)));
  // A user rule replaces it only where Bayes is undefined.
  EXPECT_THAT(coalition_posterior(types, 0b011, 0, 4, uniform_revision), ElementsAre(0.5, 0.5));
  EXPECT_THAT(coalition_posterior(types, 0b011, 0, 2, uniform_revision),
              ElementsAre(DoubleNear(0.4, kExact), DoubleNear(0.6, kExact)));
  // The checker stores the same posteriors.
  const Environment env({2, 3, 2}, 1, std::vector<double>(36, 0.0));
  const InterimChecker checker(env, types, Pattern::all(3), 0.0);
  EXPECT_THAT(checker.posterior(0b011, 0, 4), ElementsAre(DoubleNear(0.3, kExact), DoubleNear(0.7, kExact)));
  // S = {0,2}, t*_S = (0, t_2 = 1): index 2; Bayes on t_2 = 1: (.4, .3, 0)/.7.
  EXPECT_THAT(checker.posterior(0b101, 0, 2),
              ElementsAre(DoubleNear(4.0 / 7, kExact), DoubleNear(3.0 / 7, kExact), 0.0));
}

TEST(TypeSpaceRevisionTest, RejectsUserRuleThatIsNotADistribution) {
  const TypeSpace types = three_agent_space();
  const RevisingRule too_heavy = [](const TypeSpace&, Coalition, int, std::size_t) {
    return std::vector<double>{0.5, 0.6};
  };
  const RevisingRule wrong_size = [](const TypeSpace&, Coalition, int, std::size_t) {
    return std::vector<double>{1.0};
  };
  const RevisingRule negative = [](const TypeSpace&, Coalition, int, std::size_t) {
    return std::vector<double>{1.5, -0.5};
  };
  std::string message = invalid_argument_message([&] { coalition_posterior(types, 0b011, 0, 4, too_heavy); });
  EXPECT_THAT(message, StartsWith("coalition: the revising rule's posterior of agent 0 in coalition {0,1}"));
  EXPECT_THAT(message, HasSubstr("sums to 1.1"));
  message = invalid_argument_message([&] { coalition_posterior(types, 0b011, 0, 4, wrong_size); });
  EXPECT_THAT(message, HasSubstr("1 entries, expected 2"));
  EXPECT_THROW(coalition_posterior(types, 0b011, 0, 4, negative), std::invalid_argument);
  // The checker consults the rule up front for every pattern coalition.
  const Environment env({2, 3, 2}, 1, std::vector<double>(36, 0.0));
  EXPECT_THROW(InterimChecker(env, types, Pattern::all(3), 0.0, too_heavy), std::invalid_argument);
  // Where Bayes is always defined the rule is never called.
  EXPECT_NO_THROW(InterimChecker(env, types, Pattern::singletons(3), 0.0, too_heavy));
  // Non-members and out-of-range profiles are misuse.
  EXPECT_THROW(coalition_posterior(types, 0b011, 2, 0), std::invalid_argument);
  EXPECT_THROW(coalition_posterior(types, 0b011, 0, 6), std::invalid_argument);
}

// ---- KAT-8: the Lemma 1 witness of Example 1A --------------------------------------

TEST(Kat8Test, Lemma1TypeSpaceBreaksTruthForGrandCoalitionOnly) {
  const PublicGoodInstance example = example1(2, 3, 0.5);
  const Instance& instance = example.instance;
  const IcTable table(instance);
  ASSERT_FALSE(table.holds(all_agents(2)));
  ASSERT_TRUE(table.epic());
  const auto& witness = table.of(all_agents(2)).witness;
  ASSERT_TRUE(witness.has_value());
  EXPECT_EQ(witness->truth, 4u);   // (½, ½) = types (1, 1)
  EXPECT_EQ(witness->report, 8u);  // (1, 1) = types (2, 2)

  const TypeSpace types = lemma1_type_space(instance, *witness);
  // θ*_i = ½ is sure the partner is ½; other types are uniform.
  EXPECT_THAT(types.belief(0, 1), ElementsAre(0.0, 1.0, 0.0));
  EXPECT_THAT(types.belief(1, 1), ElementsAre(0.0, 1.0, 0.0));
  EXPECT_THAT(types.belief(0, 2),
              ElementsAre(DoubleNear(1.0 / 3, kExact), DoubleNear(1.0 / 3, kExact), DoubleNear(1.0 / 3, kExact)));

  const FiniteMechanism direct = direct_mechanism(instance);
  const StrategyProfile truth = truthful_strategies(types);
  const auto deviation = find_profitable_deviation(instance, types, direct, truth, Pattern::all(2));
  ASSERT_TRUE(deviation.has_value());
  EXPECT_EQ(deviation->coalition, all_agents(2));
  EXPECT_THAT(deviation->types, ElementsAre(1, 1));
  EXPECT_THAT(deviation->messages, ElementsAre(2, 2));
  // u_i(f(1,1), (½,½)) − u_i(f(½,½), (½,½)) = 0.5 − 0.375.
  EXPECT_THAT(deviation->gains, ElementsAre(DoubleNear(0.125, kExact), DoubleNear(0.125, kExact)));

  EXPECT_TRUE(is_interim_equilibrium(instance, types, direct, truth, Pattern::singletons(2)));
}

// ---- Example 2 (spec §3.2) -------------------------------------------------------

TEST(EquilibriumTest, Example2BadProfileIsBayesianButNotStrongEquilibrium) {
  const PublicGoodInstance example = example2();
  const Instance& instance = example.instance;
  const TypeSpace types = example2_type_space(0.01);
  const FiniteMechanism direct = direct_mechanism(instance);
  const StrategyProfile constant = {{0, 0}, {1, 1}};  // σ'_1 ≡ report 0, σ'_2 ≡ report 1: always x²

  EXPECT_TRUE(is_interim_equilibrium(instance, types, direct, constant, Pattern::singletons(2)));
  // Bad at (t_1^0, t_2^0) (x² instead of x¹) and at (t_1^1, t_2^1) (x² instead of x³).
  EXPECT_THAT(bad_type_profiles(instance, types, direct, constant), ElementsAre(0u, 3u));

  const auto deviation = find_profitable_deviation(instance, types, direct, constant, Pattern::all(2));
  ASSERT_TRUE(deviation.has_value());
  EXPECT_EQ(deviation->coalition, all_agents(2));
  // The first deviation found: at (t_1^0, t_2^0) the coalition knows s = 0 and
  // reports (0, 0): x¹ gives 0 instead of −1.
  EXPECT_THAT(deviation->types, ElementsAre(0, 0));
  EXPECT_THAT(deviation->messages, ElementsAre(0, 0));
  EXPECT_THAT(deviation->gains, ElementsAre(DoubleNear(1.0, 1e-9), DoubleNear(1.0, 1e-9)));
  // The paper's deviation: at (t_1^1, t_2^1) both report 1 and get x³ (4) instead of x² (3).
  const InterimChecker strong(instance, types, Pattern::all(2));
  const std::vector<int> high = {1, 1};
  EXPECT_THAT(strong.gains(direct, constant, all_agents(2), high, high),
              ElementsAre(DoubleNear(1.0, 1e-9), DoubleNear(1.0, 1e-9)));

  const StrategyProfile truth = truthful_strategies(types);
  EXPECT_TRUE(bad_type_profiles(instance, types, direct, truth).empty());
  EXPECT_FALSE(strong.find_deviation(direct, truth).has_value());
  EXPECT_TRUE(is_interim_equilibrium(instance, types, direct, truth, Pattern::singletons(2)));
}

TEST(EquilibriumTest, Example2CensusOfDirectMechanism) {
  const PublicGoodInstance example = example2();
  const TypeSpace types = example2_type_space(0.01);
  const DirectCensus weak = enumerate_direct_profiles(example.instance, types, Pattern::singletons(2));
  EXPECT_EQ(weak.profiles, 16u);
  EXPECT_EQ(weak.good, 1u);  // f⁻¹(x¹) = {(0,0)} and f⁻¹(x³) = {(1,1)} pin down truth
  EXPECT_EQ(weak.good_equilibria, 1u);
  EXPECT_GE(weak.bad_equilibria, 1u);
  ASSERT_TRUE(weak.first_bad_equilibrium.has_value());
  EXPECT_FALSE(
      bad_type_profiles(example.instance, types, direct_mechanism(example.instance), *weak.first_bad_equilibrium)
          .empty());
  // The grand coalition breaks every bad profile where it is bad (f is everyone's best outcome).
  const DirectCensus strong = enumerate_direct_profiles(example.instance, types, Pattern::all(2));
  EXPECT_EQ(strong.profiles, 16u);
  EXPECT_EQ(strong.good_equilibria, 1u);
  EXPECT_EQ(strong.bad_equilibria, 0u);
  EXPECT_FALSE(strong.first_bad_equilibrium.has_value());
  EXPECT_LE(strong.equilibria, weak.equilibria);
}

// ---- Example 1: truth is strictly dominant --------------------------------------

TEST(EquilibriumTest, Example1DirectMechanismHasOnlyTheTruthfulBayesianEquilibrium) {
  const PublicGoodInstance variant_a = example1(2, 3, 0.5);
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    const TypeSpace types = random_type_space(variant_a.instance.profiles(), 1, 0.3, seed);
    const DirectCensus census = enumerate_direct_profiles(variant_a.instance, types, Pattern::singletons(2));
    EXPECT_EQ(census.profiles, 729u);
    EXPECT_EQ(census.good, 1u);
    EXPECT_EQ(census.equilibria, 1u);
    EXPECT_EQ(census.good_equilibria, 1u);
    EXPECT_EQ(census.bad_equilibria, 0u);
    EXPECT_TRUE(is_interim_equilibrium(variant_a.instance, types, direct_mechanism(variant_a.instance),
                                       truthful_strategies(types), Pattern::singletons(2)));
  }
  // Variant B with two types per payoff type: 2^4 · 2^4 profiles.
  const PublicGoodInstance variant_b = example1(2, 2, 0.5);
  const TypeSpace types = random_type_space(variant_b.instance.profiles(), 2, 0.3, 11);
  const DirectCensus census = enumerate_direct_profiles(variant_b.instance, types, Pattern::singletons(2));
  EXPECT_EQ(census.profiles, 256u);
  EXPECT_EQ(census.good, 1u);
  EXPECT_EQ(census.equilibria, 1u);
  EXPECT_EQ(census.bad_equilibria, 0u);
  // Variant B is RCIC: truth survives every coalition too.
  const DirectCensus strong = enumerate_direct_profiles(variant_b.instance, types, Pattern::all(2));
  EXPECT_EQ(strong.equilibria, 1u);
  EXPECT_EQ(strong.good_equilibria, 1u);
}

TEST(EquilibriumTest, EnumerationRefusesTooManyProfiles) {
  const PublicGoodInstance variant_a = example1(2, 3, 0.5);
  const TypeSpace types = random_type_space(variant_a.instance.profiles(), 3, 0.3, 1);  // 3^9 · 3^9
  const std::string message =
      invalid_argument_message([&] { enumerate_direct_profiles(variant_a.instance, types, Pattern::singletons(2)); });
  EXPECT_THAT(message, StartsWith("coalition: "));
  EXPECT_THAT(message, HasSubstr("refusing"));
  EXPECT_THROW(
      enumerate_direct_profiles(variant_a.instance, random_type_space(variant_a.instance.profiles(), 1, 0.3, 1),
                                Pattern::singletons(2), {}, 100),
      std::invalid_argument);
}

TEST(EquilibriumTest, RejectsMismatchedMechanismAndStrategies) {
  const PublicGoodInstance example = example2();
  const TypeSpace types = example2_type_space(0.1);
  const FiniteMechanism direct = direct_mechanism(example.instance);
  const InterimChecker checker(example.instance, types, Pattern::all(2));
  EXPECT_THROW(checker.find_deviation(direct, {{0, 0}}), std::invalid_argument);
  EXPECT_THROW(checker.find_deviation(direct, {{0, 0, 0}, {0, 0}}), std::invalid_argument);
  const std::string message = invalid_argument_message([&] { checker.find_deviation(direct, {{0, 2}, {0, 0}}); });
  EXPECT_THAT(message, StartsWith("coalition: agent 0, type 1"));
  const FiniteMechanism other({2, 2}, 2, {1, 0, 1, 0, 0, 1, 0, 1});
  EXPECT_THROW(checker.find_deviation(other, {{0, 0}, {0, 0}}), std::invalid_argument);
  EXPECT_THROW(FiniteMechanism({2, 2}, 2, {1, 0, 1, 0, 0.5, 0.6, 0, 1}), std::invalid_argument);
  EXPECT_THROW(FiniteMechanism({2, 2}, 2, {1, 0, 1}), std::invalid_argument);
}

// ---- property tests (spec §2.8 items 1 and 2) -----------------------------------

constexpr int kInstances = 50;

// Item 1: R𝒮IC ⇒ truth is an interim 𝒮 equilibrium of the direct mechanism in
// every type space, under every revising rule.
TEST(EquilibriumPropertyTest, RobustSIcMakesTruthAnInterimSEquilibrium) {
  struct Counts {
    int holds = 0;                 // (instance, pattern) pairs with R𝒮IC
    int holds_coalitional = 0;     // … whose pattern has a non-singleton
    int holds_with_outsiders = 0;  // … with a non-singleton S ≠ I, where posteriors matter
    int fails = 0;                 // pairs without R𝒮IC: the hypothesis is not vacuous
    int revisions = 0;             // zero-probability partner profiles met by the default rule
  } counts;
  const RevisingRule counted_marginal = [&counts](const TypeSpace& types, Coalition s, int member, std::size_t at) {
    ++counts.revisions;
    return marginal_revision(types, s, member, at);
  };
  const auto check = [&](const Instance& instance, std::uint64_t seed_base) {
    const int n = instance.agents();
    const IcTable table(instance);
    const FiniteMechanism direct = direct_mechanism(instance);
    for (const Pattern& pattern : all_labeled_patterns(n)) {
      if (!table.holds_for(pattern)) {
        ++counts.fails;
        continue;
      }
      ++counts.holds;
      counts.holds_coalitional += pattern.size() > static_cast<std::size_t>(n) ? 1 : 0;
      counts.holds_with_outsiders += pattern.size() > static_cast<std::size_t>(n) + 1 ? 1 : 0;
      for (std::uint64_t seed = 0; seed < 3; ++seed) {
        const TypeSpace types =
            random_type_space(instance.profiles(), 1 + static_cast<int>(seed % 2), 0.35, seed_base * 7919 + seed);
        const StrategyProfile truth = truthful_strategies(types);
        for (const RevisingRule& rule : {counted_marginal, RevisingRule{uniform_revision}}) {
          const auto deviation = find_profitable_deviation(instance, types, direct, truth, pattern, rule);
          EXPECT_FALSE(deviation.has_value())
              << "seed base " << seed_base << ", pattern " << pattern.describe() << ", seed " << seed << ": coalition "
              << deviation->coalition << " gains " << deviation->gains[0];
        }
      }
    }
  };
  for (int trial = 0; trial < kInstances; ++trial) {
    const auto seed = 1000 + static_cast<std::uint64_t>(trial);
    check(random_instance(2 + trial % 2, trial % 4 < 2, seed), seed);
  }
  // With n = 3 and iid utilities EPIC holds for about 1% of utilitarian SCFs,
  // yet n = 3 is where coalitions have outsiders and the revising rule acts:
  // sieve seeds until a few such instances are found.
  int sieved = 0;
  for (std::uint64_t seed = 3000; seed < 6000 && sieved < 4; ++seed) {
    const Instance instance = random_instance(3, true, seed);
    if (!IcTable(instance).epic()) continue;
    ++sieved;
    check(instance, seed);
  }
  EXPECT_EQ(sieved, 4);
  EXPECT_GE(counts.holds, 20);
  EXPECT_GE(counts.holds_coalitional, 10);
  EXPECT_GE(counts.holds_with_outsiders, 4);
  EXPECT_GE(counts.fails, 100);
  EXPECT_GE(counts.revisions, 10);
}

// Item 2: IC(S) fails ⇒ the Lemma 1 type space gives S a profitable deviation
// from truth, worth exactly the IC gain of each member at its witness state.
TEST(EquilibriumPropertyTest, Lemma1TypeSpaceExposesEveryIcViolation) {
  int violations = 0;
  int coalitional_violations = 0;  // |S| ≥ 2
  int ic_holds = 0;                // coalitions with IC(S): the hypothesis is not vacuous
  for (int trial = 0; trial < kInstances; ++trial) {
    const int n = 2 + trial % 2;
    const Instance instance = random_instance(n, trial % 4 < 2, 2000 + static_cast<std::uint64_t>(trial));
    const IcTable table(instance);
    const FiniteMechanism direct = direct_mechanism(instance);
    const ProfileSpace& space = instance.profiles();
    for (Coalition s = 1; s <= all_agents(n); ++s) {
      if (table.holds(s)) {
        ++ic_holds;
        continue;
      }
      ++violations;
      coalitional_violations += coalition_size(s) >= 2 ? 1 : 0;
      const IcViolation& witness = *table.of(s).witness;
      const TypeSpace types = lemma1_type_space(instance, witness);
      const StrategyProfile truth = truthful_strategies(types);
      const Pattern pattern = coalition_size(s) == 1 ? Pattern::singletons(n) : Pattern::with_singletons(n, {s});
      const InterimChecker checker(instance, types, pattern);

      const auto deviation = checker.find_deviation_by(s, direct, truth);
      ASSERT_TRUE(deviation.has_value()) << "trial " << trial << ", coalition " << s;
      EXPECT_EQ(deviation->coalition, s);
      EXPECT_TRUE(checker.find_deviation(direct, truth).has_value());

      // The witness deviation itself: T_i ≅ Θ_i, so types and messages are payoff types.
      const Coalition outside = all_agents(n) & ~s;
      const std::size_t truth_offset = space.embed(s)[witness.truth];
      const std::size_t report_offset = space.embed(s)[witness.report];
      std::vector<int> members;
      std::vector<int> truth_types;
      std::vector<int> report_types;
      for (int i = 0; i < n; ++i) {
        if (!is_member(s, i)) continue;
        members.push_back(i);
        truth_types.push_back(space.type_of(truth_offset, i));
        report_types.push_back(space.type_of(report_offset, i));
      }
      const auto gains = checker.gains(direct, truth, s, truth_types, report_types);
      ASSERT_EQ(gains.size(), witness.gaining_outsiders.size());
      for (std::size_t k = 0; k < gains.size(); ++k) {
        const int member = members[k];
        const std::size_t outsiders = space.embed(outside)[witness.gaining_outsiders[k]];
        const double expected = instance.uf(member, truth_offset + outsiders, report_offset + outsiders) -
                                instance.uf(member, truth_offset + outsiders, truth_offset + outsiders);
        EXPECT_NEAR(gains[k], expected, kExact) << "trial " << trial << ", coalition " << s << ", member " << member;
        EXPECT_GT(gains[k], instance.tie());
      }
    }
  }
  EXPECT_GE(violations, 20);
  EXPECT_GE(coalitional_violations, 10);
  EXPECT_GE(ic_holds, 20);
}

}  // namespace
}  // namespace mechsweep::coalition
