#include "mechanisms/coalition/ic.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/rational.hpp>

#include "mechanisms/coalition/examples.hpp"
#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/random_instances.hpp"
#include "mechanisms/coalition/test_helpers.hpp"

namespace mechsweep::coalition {
namespace {

double exact(boost::rational<long> value) { return boost::rational_cast<double>(value); }

TEST(CoalitionIc, Kat1ExampleOneVariantAHasExactlyTheGrandCoalitionViolation) {
  const Instance instance = example1(2, 3, 0.5).instance;
  const IcTable table(instance);
  EXPECT_TRUE(table.holds(singleton(0)));
  EXPECT_TRUE(table.holds(singleton(1)));
  EXPECT_TRUE(table.epic());
  EXPECT_FALSE(table.rcic());
  const CoalitionIc& grand = table.of(all_agents(2));
  EXPECT_EQ(grand.violations, 1U);
  ASSERT_TRUE(grand.witness.has_value());
  const ProfileSpace& profiles = instance.profiles();
  const std::array<int, 2> half{1, 1};
  const std::array<int, 2> one{2, 2};
  EXPECT_EQ(grand.witness->truth, profiles.profile_of(half));
  EXPECT_EQ(grand.witness->report, profiles.profile_of(one));
  for (int i = 0; i < 2; ++i) {
    // u_i(f(θ'), θ*) = 1/2 against u_i(f(θ*), θ*) = 3/8 for both agents.
    EXPECT_DOUBLE_EQ(instance.uf(i, grand.witness->truth, grand.witness->report), exact({1, 2}));
    EXPECT_DOUBLE_EQ(instance.uf(i, grand.witness->truth, grand.witness->truth), exact({3, 8}));
  }
  EXPECT_TRUE(table.holds_for(Pattern::singletons(2)));
  EXPECT_FALSE(table.holds_for(Pattern::all(2)));
}

// Spec §3.1's Example-1 family table: (EPIC, RCIC, #violating (S, θ*_S, θ'_S)).
TEST(CoalitionIc, Kat5ExampleOneFamilyTable) {
  struct Cell {
    int epic, rcic;
    std::uint64_t violations;
  };
  const std::array<boost::rational<long>, 8> costs = {boost::rational<long>(0), {1, 4}, {1, 3}, {1, 2}, {2, 3}, {3, 4},
                                                      boost::rational<long>(1), {5, 4}};
  const std::array<std::array<int, 2>, 4> sizes = {{{2, 2}, {2, 3}, {3, 2}, {3, 3}}};
  const std::array<std::array<Cell, 8>, 4> expected = {{
      {{{1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {0, 0, 2}}},
      {{{0, 0, 7}, {0, 0, 7}, {1, 0, 1}, {1, 0, 1}, {1, 1, 0}, {0, 0, 2}, {0, 0, 2}, {0, 0, 6}}},
      {{{1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {0, 0, 3}}},
      {{{0, 0, 43}, {0, 0, 43}, {1, 0, 10}, {1, 0, 10}, {1, 0, 1}, {0, 0, 4}, {0, 0, 3}, {0, 0, 9}}},
  }};
  for (std::size_t row = 0; row < sizes.size(); ++row) {
    for (std::size_t column = 0; column < costs.size(); ++column) {
      const IcTable table(example1(sizes[row][0], sizes[row][1], exact(costs[column])).instance);
      const Cell& cell = expected[row][column];
      SCOPED_TRACE(testing::Message() << "n=" << sizes[row][0] << " k=" << sizes[row][1] << " c=" << costs[column]);
      EXPECT_EQ(table.epic(), cell.epic == 1);
      EXPECT_EQ(table.rcic(), cell.rcic == 1);
      EXPECT_EQ(table.total_violations(), cell.violations);
    }
  }
}

// At (n, k, c) = (2, 3, 2/3) the grand coalition's (½,½) → (1,1) is an exact
// tie (1/3 against 1/3), so RCIC holds, only weakly.
TEST(CoalitionIc, ExactTieIsNotAViolation) {
  const Instance instance = example1(2, 3, exact({2, 3})).instance;
  const ProfileSpace& profiles = instance.profiles();
  const std::array<int, 2> half{1, 1};
  const std::array<int, 2> one{2, 2};
  const std::size_t truth = profiles.profile_of(half);
  const std::size_t report = profiles.profile_of(one);
  EXPECT_NEAR(instance.uf(0, truth, report), exact({1, 3}), 1e-15);
  EXPECT_NEAR(instance.uf(0, truth, truth), exact({1, 3}), 1e-15);
  EXPECT_TRUE(IcTable(instance).rcic());
}

TEST(CoalitionIc, ExampleTwoAndOneBAreCoalitionallyIncentiveCompatible) {
  EXPECT_TRUE(IcTable(example2().instance).rcic());
  EXPECT_TRUE(IcTable(example1(2, 2, 0.5).instance).rcic());
}

// Spec §1.15 / §4.3: R𝒮IC is antitone in 𝒮, RCIC = R𝒮̄IC and EPIC = R𝒮̲IC,
// on random environments over every labeled pattern of n = 3.
TEST(CoalitionIcProperty, LatticeOverAllLabeledPatterns) {
  const auto patterns = all_labeled_patterns(3);
  int rcic_instances = 0;
  int not_rcic_instances = 0;
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    const auto family = seed % 3 == 0 ? ScfFamily::efficient : seed % 3 == 1 ? ScfFamily::constant : ScfFamily::random;
    const Instance instance = random_instance({2, 2, 2}, 3, UtilityModel::private_values, family, seed);
    const IcTable table(instance);
    EXPECT_EQ(table.rcic(), table.holds_for(Pattern::all(3)));
    EXPECT_EQ(table.epic(), table.holds_for(Pattern::singletons(3)));
    rcic_instances += table.rcic() ? 1 : 0;
    not_rcic_instances += table.rcic() ? 0 : 1;
    for (const Pattern& small : patterns) {
      for (const Pattern& large : patterns) {
        if (!small.is_subset_of(large)) continue;
        if (table.holds_for(large)) {
          EXPECT_TRUE(table.holds_for(small)) << small.describe() << " ⊆ " << large.describe();
        }
      }
    }
  }
  EXPECT_GT(rcic_instances, 0);
  EXPECT_GT(not_rcic_instances, 0);
}

// A constant SCF never gives anyone a reason to lie (spec §2.6).
TEST(CoalitionIcProperty, ConstantScfIsCoalitionallyIncentiveCompatible) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const IcTable table(random_instance({2, 3}, 4, UtilityModel::iid, ScfFamily::constant, seed));
    EXPECT_TRUE(table.rcic());
    EXPECT_EQ(table.total_violations(), 0U);
  }
}

// For n = 2, RCIC ⇔ EPIC ∧ weak Pareto within f(Θ), and an efficient f is
// weakly Pareto efficient within f(Θ) (spec §1.8, §5.7).
TEST(CoalitionIcProperty, TwoAgentsEfficientScfIsWeaklyParetoEfficient) {
  int rcic = 0;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    const IcTable table(random_instance({2, 2}, 3, UtilityModel::iid, ScfFamily::efficient, seed));
    EXPECT_TRUE(table.weak_pareto_within_image());
    EXPECT_EQ(table.rcic(), table.epic());
    rcic += table.rcic() ? 1 : 0;
  }
  EXPECT_GT(rcic, 0);
}

TEST(CoalitionEnvironment, RejectsBadInput) {
  const auto message_of = [](auto&& make) { return test_support::invalid_argument_message(make); };
  EXPECT_NE(message_of([] {
              Environment({2, 0}, 2, std::vector<double>(0));
            }).find("agent 1 needs at least one payoff type"),
            std::string::npos);
  EXPECT_NE(message_of([] { Environment({2}, 2, std::vector<double>(3)); }).find("expected n·|Θ|·m = 4"),
            std::string::npos);
  EXPECT_NE(message_of([] { Environment({2}, 0, {}); }).find("at least one outcome"), std::string::npos);
  EXPECT_NE(message_of([] {
              Environment({1}, 2, {0.0, std::numeric_limits<double>::quiet_NaN()});
            }).find("not finite"),
            std::string::npos);
  const Environment env({2}, 2, {0, 1, 1, 0});
  EXPECT_NE(message_of([&] { Scf(env, {0.5, 0.4, 1.0, 0.0}); }).find("sums to 0.9"), std::string::npos);
  EXPECT_NE(message_of([&] { Scf(env, {1.5, -0.5, 1.0, 0.0}); }).find("non-negative"), std::string::npos);
  EXPECT_NE(message_of([&] { Scf(env, {1.0, 0.0}); }).find("defined on every profile"), std::string::npos);
  const std::array<int, 2> bad{0, 2};
  EXPECT_NE(message_of([&] { Scf::deterministic(env, bad); }).find("outside [0, 2)"), std::string::npos);
}

TEST(CoalitionEnvironment, ProfilesSplitAdditivelyOverCoalitions) {
  const ProfileSpace profiles({2, 3, 2});
  for (Coalition s = 0; s <= all_agents(3); ++s) {
    const Coalition rest = all_agents(3) & ~s;
    std::vector<bool> seen(profiles.size(), false);
    for (std::size_t a = 0; a < profiles.count(s); ++a) {
      for (std::size_t b = 0; b < profiles.count(rest); ++b) {
        const std::size_t profile = profiles.embed(s)[a] + profiles.embed(rest)[b];
        ASSERT_LT(profile, profiles.size());
        EXPECT_FALSE(seen[profile]);
        seen[profile] = true;
        EXPECT_EQ(profiles.project(profile, s), a);
        EXPECT_EQ(profiles.project(profile, rest), b);
      }
    }
  }
  EXPECT_EQ(profiles.count(0), 1U);  // the empty coalition's one empty profile
}

TEST(CoalitionExamples, OutcomeSetsFollowSpec) {
  EXPECT_EQ(example1(2, 3, 0.5).instance.outcomes(), 9);
  EXPECT_EQ(example1(2, 2, 0.5, {5, 6}).instance.outcomes(), 6);
  // c = 0 merges f(0,1) and f(1,0) into one outcome.
  EXPECT_EQ(example1(2, 2, 0.0).instance.outcomes(), 3);
  EXPECT_EQ(example2().instance.outcomes(), 3);
  EXPECT_EQ(example2({10, 11}).outcomes.back(), (std::vector<double>{0, -11, -11}));
  EXPECT_THROW(example1(2, 1, 0.5), std::invalid_argument);
  EXPECT_THROW(example1(2, 2, -1.0), std::invalid_argument);
  EXPECT_THROW(example2({0.0}), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep::coalition
