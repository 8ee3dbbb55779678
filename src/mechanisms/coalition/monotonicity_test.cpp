#include "mechanisms/coalition/monotonicity.hpp"

#include <gtest/gtest.h>

#include <random>

#include "mechanisms/coalition/examples.hpp"
#include "mechanisms/coalition/ic.hpp"
#include "mechanisms/coalition/random_instances.hpp"
#include "mechanisms/coalition/verdict.hpp"

namespace mechsweep::coalition {
namespace {

// KAT-1: RM holds for Example 1A, every unacceptable reflexive deception
// (4 095 of 4 096) dissolved by a singleton.
TEST(CoalitionMonotonicity, Kat1ExampleOneVariantA) {
  const Instance instance = example1(2, 3, 0.5).instance;
  MonotonicityEngine engine(instance);
  const auto rm = engine.robust_monotonicity();
  EXPECT_EQ(rm.holds, Truth::yes);
  EXPECT_EQ(rm.deceptions, 4096U);
  EXPECT_EQ(rm.unacceptable, 4095U);
  EXPECT_EQ(rm.dissolved_by_singleton, 4095U);
}

// KAT-2: Example 1B, all 81 deceptions: 80 unacceptable, all dissolved by a
// singleton with the coalitional reward set (RM and RCM).
TEST(CoalitionMonotonicity, Kat2ExampleOneVariantB) {
  const Instance instance = example1(2, 2, 0.5).instance;
  MonotonicityEngine engine(instance);
  for (const auto& result : {engine.robust_monotonicity(true), engine.robust_coalitional_monotonicity(true)}) {
    EXPECT_EQ(result.holds, Truth::yes);
    EXPECT_EQ(result.deceptions, 81U);
    EXPECT_EQ(result.unacceptable, 80U);
    EXPECT_EQ(result.dissolved_by_singleton, 80U);
  }
}

// KAT-3: Example 2. 80 of 81 unacceptable; RM and RCM fail on the same 18;
// under 𝒮̄ the grand coalition dissolves those 18, so R𝒮̄M holds. The same
// with the disposal points (0,−10,−10), (0,−11,−11).
TEST(CoalitionMonotonicity, Kat3ExampleTwo) {
  for (const auto& disposal : {std::vector<double>{}, std::vector<double>{10, 11}}) {
    const Instance instance = example2(disposal).instance;
    MonotonicityEngine engine(instance);
    const auto rm = engine.robust_monotonicity(true);
    const auto rcm = engine.robust_coalitional_monotonicity(true);
    const auto strong = engine.pattern_monotonicity(Pattern::all(2));
    EXPECT_EQ(rm.unacceptable, 80U);
    EXPECT_EQ(rm.holds, Truth::no);
    EXPECT_EQ(rm.undissolved, 18U);
    EXPECT_EQ(rcm.holds, Truth::no);
    EXPECT_EQ(rcm.undissolved, 18U);
    EXPECT_EQ(strong.holds, Truth::yes);
    EXPECT_FALSE(strong.heuristic);
    EXPECT_EQ(strong.dissolved_by_singleton, 62U);
    EXPECT_EQ(strong.dissolved_only_by_coalition, 18U);
    EXPECT_EQ(strong.largest_needed_coalition, 2);
    ASSERT_TRUE(rcm.first_undissolved.has_value());
    EXPECT_FALSE(acceptable(instance, *rcm.first_undissolved));
  }
}

// Spec §7 verdicts for KAT-1, KAT-2, KAT-3.
TEST(CoalitionVerdict, PaperExamples) {
  const std::vector<Pattern> patterns = {Pattern::singletons(2), Pattern::all(2)};
  const auto a = analyse(example1(2, 3, 0.5).instance, patterns);
  EXPECT_EQ(a.bergemann_morris, Verdict::yes);
  EXPECT_EQ(a.patterns[0].verdict, Verdict::yes);
  EXPECT_EQ(a.patterns[1].verdict, Verdict::no);
  EXPECT_EQ(a.coalitional, Verdict::no);
  EXPECT_NEAR(a.interior.min_margin, 1.0 / 8.0, 1e-9);

  const auto b = analyse(example1(2, 2, 0.5).instance, patterns);
  EXPECT_EQ(b.coalitional, Verdict::yes);
  EXPECT_EQ(b.patterns[0].verdict, Verdict::yes);
  EXPECT_EQ(b.patterns[1].verdict, Verdict::yes);

  const auto two = analyse(example2().instance, patterns);
  EXPECT_EQ(two.patterns[1].verdict, Verdict::yes);  // robust 𝒮̄: YES
  EXPECT_EQ(two.bergemann_morris, Verdict::no);      // robust 𝒮̲: NO
  EXPECT_EQ(two.coalitional, Verdict::no);
  EXPECT_NEAR(two.interior.min_margin, 1.0, 1e-9);
}

// KAT-6: a constant SCF is R𝒮IC and R𝒮M for every 𝒮, with every β acceptable.
TEST(CoalitionMonotonicity, Kat6ConstantScf) {
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Instance instance = random_instance({2, 2, 2}, 3, UtilityModel::iid, ScfFamily::constant, seed);
    MonotonicityEngine engine(instance);
    const IcTable ic(instance);
    for (const Pattern& pattern : isomorphism_class_patterns(3)) {
      EXPECT_TRUE(ic.holds_for(pattern));
      const auto result = engine.pattern_monotonicity(pattern);
      EXPECT_EQ(result.holds, Truth::yes);
      EXPECT_EQ(result.unacceptable, 0U);
    }
  }
}

// The paper's examples plus random environments: efficient SCFs (RM holds in
// about one in ten, spec §5.7 run A) and random ones, where the coalitional
// reward restriction matters (run B).
std::vector<Instance> lattice_instances() {
  std::vector<Instance> result = {example1(2, 2, 0.5).instance, example2().instance, example1(3, 2, 0.5).instance};
  for (std::uint64_t seed = 0; seed < 36; ++seed) {
    const auto family = seed % 3 == 2 ? ScfFamily::random : ScfFamily::efficient;
    result.push_back(random_instance({2, 2}, 3, UtilityModel::iid, family, seed));
  }
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    result.push_back(random_instance({2, 2, 2}, 3, UtilityModel::private_values, ScfFamily::efficient, seed));
  }
  return result;
}

// Spec §1.15 and §4.3, instance by instance.
TEST(CoalitionMonotonicityProperty, ImplicationLattice) {
  int rcm_true = 0, rm_true = 0, rm_but_not_rcm = 0, coalition_value = 0, rm_false = 0;
  const auto cases = lattice_instances();
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Instance& instance = cases[c];
    const auto patterns = isomorphism_class_patterns(instance.agents());
    const auto analysis = analyse(instance, patterns);
    SCOPED_TRACE(testing::Message() << "case " << c);
    // RCM ⇒ RM; RM ⇒ EPIC; RCM ⇒ R𝒮M for every 𝒮.
    if (analysis.rcm.holds == Truth::yes) {
      ++rcm_true;
      EXPECT_EQ(analysis.rm.holds, Truth::yes);
      for (const auto& entry : analysis.patterns) EXPECT_EQ(entry.rsm.holds, Truth::yes);
    }
    if (analysis.rm.holds == Truth::yes) {
      ++rm_true;
      EXPECT_TRUE(analysis.ic.epic());
      rm_but_not_rcm += analysis.rcm.holds == Truth::no ? 1 : 0;
    } else {
      ++rm_false;
    }
    // Singleton clauses are exact: RM and RCM are never UNDETERMINED.
    EXPECT_NE(analysis.rm.holds, Truth::undetermined);
    EXPECT_NE(analysis.rcm.holds, Truth::undetermined);
    // Y_i ⊆ Y_{{i}}[𝒮̲]: RCM dissolves no more reflexive deceptions than RM.
    EXPECT_LE(analysis.rcm.dissolved, analysis.rm.dissolved);
    for (std::size_t p = 0; p < patterns.size(); ++p) {
      const auto& entry = analysis.patterns[p];
      EXPECT_EQ(entry.rsic, analysis.ic.holds_for(patterns[p]));
      // RC verdict YES ⇒ every pattern's verdict YES (same interior test).
      if (analysis.coalitional == Verdict::yes) {
        EXPECT_EQ(entry.verdict, Verdict::yes);
      }
      if (entry.verdict == Verdict::yes && analysis.bergemann_morris == Verdict::no) ++coalition_value;
      EXPECT_EQ(entry.rsm.unacceptable, entry.rsm.dissolved + entry.rsm.undissolved + entry.rsm.undetermined);
    }
  }
  // Each implication must have been exercised, not passed vacuously.
  EXPECT_GT(rcm_true, 1);
  EXPECT_GT(rm_true, rcm_true - 1);
  EXPECT_GT(rm_false, 0);
  EXPECT_GT(coalition_value, 0);  // at least Example 2
  RecordProperty("rm_but_not_rcm", rm_but_not_rcm);
}

// The MILP and column-generation route (forced with piece_limit = 0, so every
// hull and union goes through Cbc) decides exactly what the piece-by-piece
// LPs decide.
TEST(CoalitionMonotonicityProperty, ColumnGenerationAgreesWithPieceEnumeration) {
  MonotonicityOptions milp_only;
  milp_only.clause.piece_limit = 0;
  std::vector<Instance> cases = {example1(2, 2, 0.5).instance, example2().instance};
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    cases.push_back(random_instance({2, 2}, 4, UtilityModel::iid, ScfFamily::efficient, seed));
  }
  std::uint64_t milps = 0, dissolved = 0;
  for (std::size_t c = 0; c < cases.size(); ++c) {
    MonotonicityEngine pieces(cases[c]);
    MonotonicityEngine milp(cases[c], milp_only);
    const auto a = pieces.robust_coalitional_monotonicity(true);
    const auto b = milp.robust_coalitional_monotonicity(true);
    EXPECT_EQ(a.dissolved, b.dissolved) << "case " << c;
    EXPECT_EQ(a.holds, b.holds) << "case " << c;
    const auto d = pieces.pattern_monotonicity(Pattern::all(2));
    const auto e = milp.pattern_monotonicity(Pattern::all(2));
    EXPECT_EQ(d.dissolved, e.dissolved) << "case " << c;
    EXPECT_EQ(d.dissolved_only_by_coalition, e.dissolved_only_by_coalition) << "case " << c;
    milps += milp.counters().milps;
    dissolved += e.dissolved;
  }
  EXPECT_GT(milps, 0U);
  EXPECT_GT(dissolved, 0U);
}

// RewardSet::contains (pruned keys) against the definition of Y_S[𝒮] in
// spec §1.9, on random lotteries, and f(θ_S, ·) ∈ Y_S[𝒮] under R𝒮IC.
bool in_reward_set_by_definition(const Instance& instance, Coalition s, const std::vector<Coalition>& up,
                                 const std::vector<double>& y) {
  const ProfileSpace& profiles = instance.profiles();
  const Coalition everyone = all_agents(instance.agents());
  const int m = instance.outcomes();
  for (Coalition superset : up) {
    const Coalition partners = superset & ~s;
    for (std::size_t key_truth : profiles.embed(superset)) {
      for (std::size_t key_report : profiles.embed(partners)) {
        bool some_member = false;
        for (int j = 0; j < instance.agents() && !some_member; ++j) {
          if (!is_member(superset, j)) continue;
          bool weakly_worse = true;
          for (std::size_t outside : profiles.embed(everyone & ~superset)) {
            const std::size_t c = profiles.project(key_report + outside, everyone & ~s);
            const std::span<const double> lottery(y.data() + c * m, m);
            const std::size_t truth = key_truth + outside;
            weakly_worse = weakly_worse && instance.env().expected_utility(j, truth, lottery) <=
                                               instance.uf(j, truth, truth) + instance.tie();
          }
          some_member = weakly_worse;
        }
        if (!some_member) return false;
      }
    }
  }
  return true;
}

TEST(CoalitionRewardSet, MembershipMatchesTheDefinition) {
  std::mt19937_64 rng(7);
  int members = 0, non_members = 0;
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    const Instance instance = random_instance({2, 2, 2}, 3, UtilityModel::iid, ScfFamily::efficient, seed);
    const IcTable ic(instance);
    for (Coalition s : {Coalition{1}, Coalition{3}, Coalition{7}}) {
      std::vector<Coalition> up;
      for (Coalition c = 1; c <= 7; ++c) {
        if ((c & s) == s) up.push_back(c);
      }
      const RewardSet rewards(instance, s, up);
      const std::size_t components = rewards.components();
      std::vector<double> y(components * 3);
      for (int trial = 0; trial < 50; ++trial) {
        for (std::size_t c = 0; c < components; ++c) {
          // Mostly vertices and edges of the simplex, where membership flips.
          double total = 0.0;
          for (int x = 0; x < 3; ++x) total += y[c * 3 + x] = static_cast<double>(rng() % 3 == 0 ? 0 : rng() % 4);
          if (total == 0.0) y[c * 3] = total = 1.0;
          for (int x = 0; x < 3; ++x) y[c * 3 + x] /= total;
        }
        const bool by_definition = in_reward_set_by_definition(instance, s, up, y);
        EXPECT_EQ(rewards.contains(y), by_definition) << "seed " << seed << " S=" << s;
        (by_definition ? members : non_members) += 1;
      }
      // Non-emptiness (spec §1.9): f(θ_S, ·) ∈ Y_S[𝒮] when IC holds on the up-set.
      bool ic_on_up = true;
      for (Coalition c : up) ic_on_up = ic_on_up && ic.holds(c);
      if (!ic_on_up) continue;
      const auto inside = instance.profiles().embed(s);
      const auto outside = instance.profiles().embed(7 & ~s);
      for (std::size_t a = 0; a < inside.size(); ++a) {
        for (std::size_t c = 0; c < outside.size(); ++c) {
          const auto lottery = instance.scf().lottery(inside[a] + outside[c]);
          std::copy(lottery.begin(), lottery.end(), y.begin() + static_cast<std::ptrdiff_t>(c * 3));
        }
        EXPECT_TRUE(rewards.contains(std::span(y.data(), components * 3))) << "seed " << seed << " S=" << s;
      }
    }
  }
  EXPECT_GT(members, 0);
  EXPECT_GT(non_members, 0);
}

// Every singleton clause's answer comes with its proof: a TRUE with a reward in
// Y that gives a strict gain at every conjecture pair, a FALSE with a
// conjecture under which the best reward in Y gains nothing (spec §5.2 R1–R2).
TEST(CoalitionMonotonicityProperty, SingletonClausesCarryTheirWitnesses) {
  int yes = 0, no = 0, refuted_by_conjecture = 0;
  for (std::uint64_t seed = 0; seed < 12; ++seed) {
    const Instance instance = seed == 0   ? example2().instance
                              : seed == 1 ? example1(2, 2, 0.5).instance
                                          : random_instance({2, 2}, 3, UtilityModel::iid, ScfFamily::efficient, seed);
    SolverCounters counters;
    for (int i = 0; i < 2; ++i) {
      for (const bool coalitional : {false, true}) {
        std::vector<Coalition> up = {singleton(i)};
        if (coalitional) up.push_back(3);
        const RewardSet rewards(instance, singleton(i), up);
        // Γ: others' deception "anything", i.e. every pair.
        std::vector<ConjecturePair> gamma;
        for (std::uint32_t a = 0; a < 2; ++a) {
          for (std::uint32_t b = 0; b < 2; ++b) gamma.push_back({a, b});
        }
        for (std::size_t truth = 0; truth < 2; ++truth) {
          for (std::size_t report = 0; report < 2; ++report) {
            for (const std::uint64_t piece_limit : {std::uint64_t{16}, std::uint64_t{0}}) {
              ClauseOptions options;
              options.piece_limit = piece_limit;
              const ClauseResult clause = whistle_clause(instance, rewards, truth, report, gamma, counters, options);
              SCOPED_TRACE(testing::Message() << "seed " << seed << " i " << i << " coalitional " << coalitional
                                              << " piece_limit " << piece_limit);
              if (clause.truth == Truth::yes) {
                ++yes;
                if (clause.reward.empty()) continue;  // only the hull succeeds
                EXPECT_TRUE(rewards.contains(clause.reward));
                continue;
              }
              ASSERT_EQ(clause.truth, Truth::no);
              ++no;
              ASSERT_EQ(clause.failing_conjecture.size(), gamma.size());
              double total = 0.0;
              for (double w : clause.failing_conjecture) total += w;
              EXPECT_NEAR(total, 1.0, 1e-9);
              const std::vector<std::vector<double>> beliefs = {clause.failing_conjecture};
              const auto best = best_reward_against(instance, rewards, truth, report, gamma, beliefs, counters);
              if (best) {  // otherwise Y is empty and no conjecture is needed
                ++refuted_by_conjecture;
                EXPECT_LE(best->value, 1e-7);
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(yes, 0);
  EXPECT_GT(no, 0);
  EXPECT_GT(refuted_by_conjecture, 0);
}

TEST(CoalitionMonotonicity, RejectsSizesBeyondItsTables) {
  const Instance six = random_instance({2, 2, 2, 2, 2, 2}, 2, UtilityModel::iid, ScfFamily::constant, 1);
  EXPECT_THROW(MonotonicityEngine{six}, std::invalid_argument);
  const Instance instance = random_instance({2, 2}, 2, UtilityModel::iid, ScfFamily::constant, 1);
  MonotonicityEngine engine(instance);
  EXPECT_THROW(engine.pattern_monotonicity(Pattern::all(3)), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep::coalition
