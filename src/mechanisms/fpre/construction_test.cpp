#include "mechanisms/fpre/construction.hpp"

#include <gtest/gtest.h>

#include <random>

#include "mechanisms/fpre/examples.hpp"
#include "mechanisms/fpre/families.hpp"
#include "mechanisms/fpre/test_support.hpp"

namespace mechsweep::fpre {
namespace {

using test_support::index_of;
using test_support::q;

// spec §5.3 example values.
TEST(FpreBaseRule, KMinMatchesTheSpecTable) {
  EXPECT_EQ(k_min(2, 3), 3);
  EXPECT_EQ(k_min(2, 10), 5);
  EXPECT_EQ(k_min(2, 50), 11);
  EXPECT_EQ(k_min(2, 100), 15);
  EXPECT_EQ(k_min(3, 10), 5);
  EXPECT_EQ(k_min(3, 100), 10);
  EXPECT_EQ(k_min(4, 100), 9);
  EXPECT_EQ(k_min(5, 100), 9);
  EXPECT_EQ(k_min(6, 100), 10);
  EXPECT_EQ(k_min(3, 1), 3);
  EXPECT_EQ(binomial(60, 30), 118264581564861424LL);
  EXPECT_EQ(binomial(70, 35), std::numeric_limits<std::int64_t>::max());    // 1.12e20 saturates
  EXPECT_EQ(binomial(200, 100), std::numeric_limits<std::int64_t>::max());  // saturates
}

// spec §1.7.2 step 3: for n = 2 the colex order is {0,1},{0,2},{1,2},{0,3},…
TEST(FpreBaseRule, ColexOrderStartsAsInTheSpecAndRoundTrips) {
  using Subset = std::vector<std::int64_t>;
  EXPECT_EQ(colex_subset(0, 2), (Subset{0, 1}));
  EXPECT_EQ(colex_subset(1, 2), (Subset{0, 2}));
  EXPECT_EQ(colex_subset(2, 2), (Subset{1, 2}));
  EXPECT_EQ(colex_subset(3, 2), (Subset{0, 3}));
  EXPECT_EQ(colex_subset(1, 3), (Subset{0, 1, 3}));
  for (int n = 1; n <= 4; ++n) {
    for (std::int64_t r = 0; r < 200; ++r) EXPECT_EQ(colex_rank(colex_subset(r, n)), r);
  }
}

// spec §3.2 canonical base rule for Example 2.
TEST(FpreBaseRule, ExampleTwoBaseRuleIsTheSpecTable) {
  const Environment env = example2_environment();
  const BaseRule base = base_rule_for(env, Scf{0});
  EXPECT_EQ(base.orbit_count(), 1);
  EXPECT_EQ(base.index_count(), 2);
  ASSERT_EQ(base.representatives().size(), 1U);
  EXPECT_EQ(base.representatives()[0], make_outcome({0, 1}));
  using S = std::vector<std::int64_t>;
  EXPECT_EQ(env.outcome(base.evaluate(S{0, 1})), make_outcome({0, 1}));
  EXPECT_EQ(env.outcome(base.evaluate(S{1, 0})), make_outcome({1, 0}));
  EXPECT_EQ(env.outcome(base.evaluate(S{0, 0})), make_outcome({1, 1}, 2));
  EXPECT_EQ(env.outcome(base.evaluate(S{1, 1})), make_outcome({1, 1}, 2));
  EXPECT_EQ(base.indices_for(0), (S{1, 0}));  // s*((1,0)): agent 1 index 1, agent 2 index 0
}

// spec §3.4 KAT-D1: K_min = 2, s* = (0, 1).
TEST(FpreBaseRule, KatD1StarIndices) {
  const Environment env = kat_d1_environment();
  const BaseRule base = base_rule_for(env, Scf{0});
  EXPECT_EQ(base.index_count(), 2);
  EXPECT_EQ(base.indices_for(0), (std::vector<std::int64_t>{0, 1}));
}

TEST(FpreBaseRule, BaseRuleIsSymmetricOnAllIndexProfiles) {
  const Environment env = example1_environment(3, {make_outcome({1, 3, 6}, 10), make_outcome({0, 0, 10}, 10)});
  std::vector<int> targets;
  for (int o = 0; o < env.outcome_count(); ++o) targets.push_back(o);
  const BaseRule base(env, targets);
  EXPECT_EQ(base.orbit_count(), 4);  // (0,3,6)/10·… : (1,3,6), (0,0,1), (0,1/2,1/2), (1/3,1/3,1/3)
  EXPECT_EQ(base.index_count(), 4);
  const MessageRule rule = [&base](std::span<const std::int64_t> s) { return base.evaluate(s); };
  const SymmetryCheck check = check_symmetry(env, base.index_count(), rule);
  EXPECT_TRUE(check.exhaustive);
  EXPECT_EQ(check.pairs, 64 * 6);
  EXPECT_EQ(check.violations, 0);
  for (const int o : targets) EXPECT_EQ(base.evaluate(base.indices_for(o)), o);
}

TEST(FprePasswords, TableIsLazyDeterministicAndUniform) {
  const PasswordTable eps(42, 4);
  const PasswordTable same(42, 4);
  const PasswordTable other(43, 4);
  std::array<int, 4> counts{};
  int differ = 0;
  for (std::int64_t s = 0; s < 4000; ++s) {
    const std::int64_t w = eps.password(s);
    ASSERT_GE(w, 0);
    ASSERT_LT(w, 4);
    EXPECT_EQ(w, same.password(s));
    differ += w != other.password(s) ? 1 : 0;
    ++counts[static_cast<std::size_t>(w)];
  }
  for (const int c : counts) {
    EXPECT_GT(c, 880);
    EXPECT_LT(c, 1120);
  }
  EXPECT_GT(differ, 2700);  // ≈ 3/4 of 4000 for independent tables
  // A base index far beyond any table is just another counter.
  EXPECT_LT(PasswordTable(1, 1 << 20).password(std::int64_t{1} << 50), 1 << 20);
  EXPECT_EQ(PasswordTable(9, 1).password(123), 0);
}

// spec §1.7.2 / §2.1: the three-case rule.
TEST(FpreRule, ThreeCasesGiveBaseWorstAndFallback) {
  const Environment env = example1_environment(3, {make_outcome({2, 3, 5}, 10)});
  const Scf mu{index_of(env, make_outcome({2, 3, 5}, 10))};
  const Fpre fpre(env, base_rule_for(env, mu), 5);
  const PasswordTable eps = fpre.table(17);
  std::vector<FiniteMessage> tau = fpre.recommend(mu, 0, eps);
  EXPECT_EQ(fpre.evaluate(tau, eps), mu[0]);
  std::vector<FiniteMessage> one = tau;
  one[1].password = (one[1].password + 1) % 5;
  EXPECT_EQ(fpre.evaluate(one, eps), env.worst(1));
  std::vector<FiniteMessage> two = one;
  two[2].index = 99;  // outside A: fails
  EXPECT_EQ(fpre.evaluate(two, eps), env.fallback());
  EXPECT_EQ(fpre.alphabet_size(), 15);
  EXPECT_NEAR(fpre.log10_family_size(), 3 * std::log10(5.0), 1e-12);
}

// spec §3.4 KAT-D3: n = 3, K = 3, m' = 2; 1296 (τ, π) pairs.
TEST(FpreRule, KatD3InconsistentWorstFamilyBreaksSymmetryAndConsistentDoesNot) {
  const auto build = [](bool consistent) {
    EnvironmentSpec spec;
    spec.type_counts = {1, 1, 1};
    std::vector<Outcome> worst = consistent
                                     ? worst_family_from_template(3, q(0), q(1, 2))
                                     : std::vector<Outcome>{make_outcome({0, 5, 5}, 10), make_outcome({1, 0, 1}, 10),
                                                            make_outcome({2, 2, 0}, 10)};
    std::vector<Outcome> seeds = worst;
    seeds.push_back(make_outcome({2, 3, 5}, 10));
    seeds.push_back(make_outcome({0, 0, 0}));
    spec.outcomes = permutation_closure(seeds);
    const ProfileSpace profiles(spec.type_counts);
    spec.prior = uniform_prior(profiles);
    spec.utility =
        tabulate_utility(profiles, spec.outcomes, [](int i, const Profile&, const Outcome& x) { return x[i]; });
    const auto position = [&spec](const Outcome& x) {
      return static_cast<int>(std::find(spec.outcomes.begin(), spec.outcomes.end(), x) - spec.outcomes.begin());
    };
    for (const Outcome& w : worst) spec.worst.push_back(position(w));
    spec.fallback = position(make_outcome({0, 0, 0}));
    return Environment(spec);
  };
  for (const bool consistent : {true, false}) {
    const Environment env = build(consistent);
    EXPECT_TRUE(validate(env).assumption1_ok);
    const Scf mu{*env.find(make_outcome({2, 3, 5}, 10))};
    const Fpre fpre(env, base_rule_for(env, mu), 2);
    EXPECT_EQ(fpre.base().index_count(), 3);
    for (const std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
      const SymmetryCheck check = check_symmetry(fpre, fpre.table(seed));
      EXPECT_TRUE(check.exhaustive);
      EXPECT_EQ(check.pairs, 1296);
      if (consistent) {
        EXPECT_EQ(check.violations, 0);
      } else {
        EXPECT_GT(check.violations, 0);
        RecordProperty("kat_d3_violations_seed_" + std::to_string(seed), static_cast<int>(check.violations));
      }
    }
  }
}

// spec §2.3: an asymmetric μ is implemented exactly by symmetric rules.
TEST(FpreRule, AsymmetricTargetIsImplementedExactlyBySymmetricRules) {
  const Environment env = example2_environment(2);
  const Scf mu(4, 0);  // μ ≡ (1,0)
  EXPECT_FALSE(scf_is_symmetric(env, mu));
  for (const std::int64_t grid : {1, 2, 7}) {
    const Fpre fpre(env, base_rule_for(env, mu), grid);
    const ImplementationCheck implementation = check_exact_implementation(fpre, mu, 99, 20);
    EXPECT_EQ(implementation.checks, 80);
    EXPECT_EQ(implementation.rate(), 1.0);
    const PasswordTable eps = fpre.table(5);
    EXPECT_TRUE(check_symmetry(fpre, eps).symmetric());
    const SurjectivityCheck onto = check_surjective(fpre, eps);
    EXPECT_TRUE(onto.exhaustive);
    EXPECT_TRUE(onto.surjective());
    EXPECT_EQ(onto.required.size(), 3U);  // (1,0), (0,1), (1/2,1/2); o̲^i are among them
  }
}

TEST(FpreRule, ChecksDetectABrokenRule) {
  const Environment env = example2_environment();
  // ν(a, b) = (1,0) always: not symmetric, misses (0,1) and (1/2,1/2).
  const MessageRule constant = [](std::span<const std::int64_t>) { return 0; };
  const SymmetryCheck check = check_symmetry(env, 3, constant, {.all_permutations = false});
  EXPECT_EQ(check.pairs, 9);
  EXPECT_EQ(check.violations, 9);
  const std::vector<int> all{0, 1, 2};
  EXPECT_EQ(check_surjective(env, 3, constant, all).missing, (std::vector<int>{1, 2}));
}

// Property (spec §2.2 (ii), §1.7.2): on random small instances, rate 1 and symmetric ν^ε.
TEST(FpreRule, RandomInstancesAreImplementedExactlyBySymmetricSurjectiveRules) {
  std::mt19937_64 rng(20250910);
  for (int round = 0; round < 12; ++round) {
    ShareEnvironmentParams params;
    params.agents = 2 + static_cast<int>(rng() % 2);
    params.types = 1 + static_cast<int>(rng() % 3);
    params.denominator = params.agents == 2 ? 4 : 6;
    params.free_disposal = rng() % 2 == 0;
    params.prior = static_cast<PriorFamily>(rng() % 3);
    params.seed = rng();
    const Environment env = make_share_environment(params);
    ASSERT_TRUE(validate(env).ok());
    const Scf mu = make_scf(env, static_cast<ScfFamily>(rng() % 3), rng());
    const std::int64_t grid = 1 + static_cast<std::int64_t>(rng() % 4);
    const Fpre fpre(env, base_rule_for(env, mu), grid);
    EXPECT_EQ(fpre.base().index_count(), k_min(params.agents, fpre.base().orbit_count()));
    EXPECT_EQ(check_exact_implementation(fpre, mu, rng(), 4).rate(), 1.0);
    const PasswordTable eps = fpre.table(rng());
    const SymmetryCheck symmetry =
        check_symmetry(fpre, eps, {.all_permutations = true, .exhaustive_limit = 4096, .samples = 300, .seed = rng()});
    EXPECT_EQ(symmetry.violations, 0) << "round " << round;
    EXPECT_TRUE(check_surjective(fpre, eps, 4096).surjective()) << "round " << round;
  }
}

}  // namespace
}  // namespace mechsweep::fpre
