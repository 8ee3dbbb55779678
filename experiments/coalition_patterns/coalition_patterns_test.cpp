// The coalition.patterns binding: registration, per-family pattern lists and
// ragged lengths, determinism in the task seed, the constant-SCF sanity anchor
// (spec 001 §2.6, KAT-6), the §4.3 invariants and the plan-time rejections.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/binding_test_helpers.hpp"
#include "experiments/coalition_common/expected_columns.hpp"
#include "mechanisms/coalition/pattern.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

using testing::column;

const Experiment& patterns() { return testing::registered("coalition.patterns"); }

ParamPoint point_with(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  return testing::point_with(patterns(), overrides);
}

ResultRow run(const std::vector<std::pair<std::string, ParamValue>>& overrides, std::uint64_t seed = 7) {
  const ParamPoint point = point_with(overrides);
  patterns().validate(point);
  ResultRow row(patterns().info().columns);
  patterns().run(point, seed, row);
  return row;
}

using testing::ragged;

std::size_t ragged_length(const std::string& name, const ParamPoint& point) {
  for (const ColumnSpec& c : patterns().info().columns) {
    if (c.name == name) return c.ragged_length(point);
  }
  throw std::logic_error("no column " + name);
}

ParamValue label(const char* text) { return std::string(text); }

const std::vector<std::string>& kPerPattern = testing::kCoalitionPatternColumns;

TEST(CoalitionPatternsBinding, DeclaresParametersAndColumns) {
  const ExperimentInfo& info = patterns().info();
  std::vector<std::string> params;
  for (const ParamSpec& spec : info.params) params.push_back(spec.name);
  EXPECT_EQ(params, (std::vector<std::string>{"agents", "types", "outcomes", "utility_model", "scf_family", "scf_index",
                                              "pattern_family", "pattern_probability", "pattern_count", "replicate"}));
  std::vector<std::string> expected = testing::kCoalitionInstanceColumns;
  expected.insert(expected.end(), kPerPattern.begin(), kPerPattern.end());
  EXPECT_EQ(testing::missing_or_undocumented(info, expected), std::vector<std::string>{});
}

TEST(CoalitionPatternsBinding, RaggedLengthsDependOnTheFamily) {
  struct Case {
    const char* family;
    std::int64_t agents;
    std::size_t patterns;
  };
  for (const Case& c : std::vector<Case>{{"named", 1, 3},
                                         {"named", 3, 3},
                                         {"named", 4, 3},
                                         {"size_bounded", 3, 3},
                                         {"size_bounded", 4, 4},
                                         {"party_blocks", 3, 5},
                                         {"party_subsets", 4, 15},
                                         {"connected", 2, 2},
                                         {"connected", 3, 8},
                                         {"connected", 4, 64},
                                         {"labeled", 2, 2},
                                         {"labeled", 3, 16},
                                         {"isomorphism_classes", 3, 8},
                                         {"isomorphism_classes", 4, 180},
                                         {"random", 3, 8}}) {
    SCOPED_TRACE(std::string(c.family) + " n=" + std::to_string(c.agents));
    const ParamPoint point = point_with({{"pattern_family", label(c.family)}, {"agents", c.agents}});
    for (const std::string& name : kPerPattern) EXPECT_EQ(ragged_length(name, point), c.patterns) << name;
    EXPECT_EQ(ragged_length("ic_holds", point), (std::size_t{1} << c.agents) - 1);
    EXPECT_EQ(ragged_length("ic_pairs", point), (std::size_t{1} << c.agents) - 1);
  }
  EXPECT_EQ(
      ragged_length("rsm", point_with({{"pattern_family", label("random")}, {"pattern_count", std::int64_t{17}}})),
      17U);
}

// Runs at n = 3 (k = 2, m = 3): every family's list, with rows of the declared length.
TEST(CoalitionPatternsBinding, FamiliesListTheirPatterns) {
  namespace co = mechsweep::coalition;
  const auto bits_of = [](const std::vector<co::Pattern>& list) {
    std::vector<double> bits;
    for (const co::Pattern& p : list) bits.push_back(static_cast<double>(p.non_singleton_bits()));
    return bits;
  };
  // Non-singletons of 3 agents in mask order: {0,1} (bit 0), {0,2} (bit 1), {1,2} (bit 2), {0,1,2} (bit 3).
  const std::vector<std::pair<const char*, std::vector<double>>> expected = {
      {"named", {0, 15, 8}},
      {"size_bounded", {0, 7, 15}},
      // Partitions in restricted-growth order: {0,1,2}, {0,1}{2}, {0,2}{1}, {0}{1,2}, {0}{1}{2}.
      {"party_blocks", {8, 1, 2, 4, 0}},
      {"party_subsets", {15, 1, 2, 4, 0}},
      // Edges (0,1), (0,2), (1,2) are bits 0, 1, 2 of the graph index.
      {"connected", {0, 1, 2, 11, 4, 13, 14, 15}},
      {"labeled", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}},
      {"isomorphism_classes", bits_of(co::isomorphism_class_patterns(3))},
  };
  for (const auto& [family, bits] : expected) {
    SCOPED_TRACE(family);
    const ResultRow row = run({{"agents", std::int64_t{3}}, {"pattern_family", label(family)}});
    EXPECT_EQ(ragged(row, "pattern_bits"), bits);
    for (const std::string& name : kPerPattern) EXPECT_EQ(ragged(row, name).size(), bits.size()) << name;
    EXPECT_EQ(ragged(row, "ic_holds").size(), 7U);
  }
  EXPECT_EQ(ragged(run({{"agents", std::int64_t{3}}, {"pattern_family", label("isomorphism_classes")}}), "pattern_bits")
                .size(),
            8U);
}

// Spec §4.3 invariants on one instance: R𝒮̲IC = EPIC, R𝒮̄IC = RCIC, R𝒮IC is the
// AND of the IC flags, and the 𝒮̲ entry carries the Bergemann–Morris verdict.
TEST(CoalitionPatternsBinding, PatternColumnsAgreeWithTheInstanceColumns) {
  // Each utility model and each SCF family once (a full analysis over 16
  // patterns per pair; the Cartesian product would add nothing but time).
  const std::vector<std::pair<const char*, const char*>> pairs = {
      {"iid", "random"}, {"private", "efficient"}, {"common", "dictatorial"}};
  for (const auto& [model, scf] : pairs) {
    SCOPED_TRACE(std::string(model) + " " + scf);
    const ResultRow row = run({{"agents", std::int64_t{3}},
                               {"utility_model", label(model)},
                               {"scf_family", label(scf)},
                               {"pattern_family", label("labeled")}});
    const std::vector<double>& rsic = ragged(row, "rsic");
    const std::vector<double>& holds = ragged(row, "ic_holds");
    EXPECT_EQ(rsic.front(), column(row, "epic"));
    EXPECT_EQ(rsic.back(), column(row, "rcic"));
    EXPECT_EQ(ragged(row, "verdict").front(), column(row, "verdict_bergemann_morris"));
    EXPECT_EQ(ragged(row, "rsm").front(), column(row, "rm"));
    // Non-singleton ordinal b ↔ mask: 3, 5, 6, 7.
    const std::vector<std::size_t> masks = {3, 5, 6, 7};
    for (std::size_t bits = 0; bits < 16; ++bits) {
      double expected = holds[0] * holds[1] * holds[3];
      for (std::size_t b = 0; b < 4; ++b) {
        if (((bits >> b) & 1U) != 0) expected *= holds[masks[b] - 1];
      }
      EXPECT_EQ(rsic[bits], expected) << bits;
      if (rsic[bits] == 0.0) {
        EXPECT_EQ(ragged(row, "verdict")[bits], 0.0) << bits;
      }
    }
    // RCM ⇒ RM (spec §1.15).
    if (column(row, "rcm") == 1.0) {
      EXPECT_EQ(column(row, "rm"), 1.0);
    }
  }
}

TEST(CoalitionPatternsBinding, SameSeedSameRow) {
  const std::vector<std::pair<std::string, ParamValue>> overrides = {{"scf_family", label("random")},
                                                                     {"pattern_family", label("random")},
                                                                     {"pattern_count", std::int64_t{6}},
                                                                     {"agents", std::int64_t{3}}};
  const ResultRow a = run(overrides, 11);
  const ResultRow b = run(overrides, 11);
  const ResultRow c = run(overrides, 12);
  bool differs = false;
  for (std::size_t i = 0; i < a.columns().size(); ++i) {
    if (a.columns()[i].is_ragged()) {
      EXPECT_EQ(a.ragged(i), b.ragged(i)) << a.columns()[i].name;
      differs = differs || a.ragged(i) != c.ragged(i);
    } else {
      EXPECT_EQ(a.scalar(i), b.scalar(i)) << a.columns()[i].name;
      differs = differs || a.scalar(i) != c.scalar(i);
    }
  }
  EXPECT_TRUE(differs);
  // Random patterns come from the task seed: 16 patterns of 4 non-singleton bits are not all equal.
  const std::vector<double>& bits = ragged(a, "pattern_bits");
  EXPECT_NE(std::count(bits.begin(), bits.end(), bits.front()), 16);
  EXPECT_NE(ragged(a, "pattern_bits"), ragged(c, "pattern_bits"));
  // Probability 0 and 1 give the extreme patterns.
  EXPECT_EQ(ragged(run({{"pattern_family", label("random")}, {"pattern_probability", 0.0}}), "pattern_bits"),
            std::vector<double>(8, 0.0));
  EXPECT_EQ(ragged(run({{"pattern_family", label("random")}, {"pattern_probability", 1.0}}), "pattern_bits"),
            std::vector<double>(8, 1.0));
}

// KAT-6 / spec §2.6: a constant SCF satisfies R𝒮IC and R𝒮M for every pattern,
// with no unacceptable deception at all.
TEST(CoalitionPatternsBinding, ConstantScfIsTriviallyImplementable) {
  for (const char* model : {"iid", "private", "common"}) {
    for (const std::int64_t agents : {1, 2, 3}) {
      SCOPED_TRACE(std::string(model) + " n=" + std::to_string(agents));
      const ResultRow row = run({{"agents", agents},
                                 {"utility_model", label(model)},
                                 {"scf_family", label("constant")},
                                 {"pattern_family", label("labeled")}});
      const std::size_t count = std::size_t{1} << ((1 << agents) - agents - 1);
      EXPECT_EQ(ragged(row, "rsic"), std::vector<double>(count, 1.0));
      EXPECT_EQ(ragged(row, "rsm"), std::vector<double>(count, 1.0));
      EXPECT_EQ(ragged(row, "rsm_unacceptable"), std::vector<double>(count, 0.0));
      EXPECT_EQ(ragged(row, "ic_holds"), std::vector<double>((std::size_t{1} << agents) - 1, 1.0));
      EXPECT_EQ(column(row, "rcic"), 1.0);
      EXPECT_EQ(column(row, "rm"), 1.0);
      EXPECT_EQ(column(row, "rcm"), 1.0);
      EXPECT_EQ(column(row, "rcm_unacceptable"), 0.0);
      EXPECT_EQ(column(row, "ic_violations"), 0.0);
      EXPECT_NE(column(row, "verdict_coalitional"), 0.0);
    }
  }
}

TEST(CoalitionPatternsBinding, EnumeratedScfsFollowTheIndex) {
  // m^{k^n} = 3^4 = 81 deterministic SCFs; index 0 is the constant outcome 0.
  const ResultRow first = run({{"scf_family", label("enumerated")}, {"scf_index", std::int64_t{0}}});
  EXPECT_EQ(column(first, "rcic"), 1.0);
  EXPECT_EQ(column(first, "rcm_unacceptable"), 0.0);
  const ResultRow last = run({{"scf_family", label("enumerated")}, {"scf_index", std::int64_t{80}}});
  EXPECT_EQ(column(last, "rcm_unacceptable"), 0.0);  // outcome 2 everywhere: constant too
  const ResultRow mixed = run({{"scf_family", label("enumerated")}, {"scf_index", std::int64_t{5}}});
  EXPECT_GT(column(mixed, "rcm_unacceptable"), 0.0);
}

std::string invalid_params(const ParamPoint& point, std::string* param = nullptr) {
  try {
    patterns().validate(point);
  } catch (const InvalidParams& e) {
    if (param != nullptr) *param = e.param();
    return e.what();
  }
  return "(valid)";
}

TEST(CoalitionPatternsBinding, ValidateNamesTheParameterAtFault) {
  std::string param;
  // (2^{3·2})^4 = 16,777,216 reflexive deception profiles.
  std::string message = invalid_params(point_with({{"agents", std::int64_t{4}}, {"types", std::int64_t{3}}}), &param);
  EXPECT_EQ(param, "types");
  EXPECT_NE(message.find("16777216"), std::string::npos) << message;
  // 64³ = 262,144: minutes a task (measured), rejected too; 64² = 4,096 is fine.
  EXPECT_NE(invalid_params(point_with({{"agents", std::int64_t{3}}, {"types", std::int64_t{3}}}), &param), "(valid)");
  EXPECT_EQ(param, "types");
  EXPECT_EQ(invalid_params(point_with({{"agents", std::int64_t{2}}, {"types", std::int64_t{3}}})), "(valid)");
  message = invalid_params(point_with({{"agents", std::int64_t{4}}, {"pattern_family", label("labeled")}}), &param);
  EXPECT_EQ(param, "pattern_family");
  EXPECT_NE(message.find("2048"), std::string::npos) << message;
  EXPECT_EQ(invalid_params(point_with({{"agents", std::int64_t{3}}, {"pattern_family", label("labeled")}})), "(valid)");
  EXPECT_EQ(invalid_params(point_with({{"agents", std::int64_t{4}}, {"pattern_family", label("isomorphism_classes")}})),
            "(valid)");
  invalid_params(
      point_with(
          {{"agents", std::int64_t{4}}, {"types", std::int64_t{1}}, {"pattern_family", label("isomorphism_classes")}}),
      &param);
  EXPECT_EQ(param, "pattern_family");
  // 3^{2^2} = 81 SCFs: indices 0..80.
  message = invalid_params(point_with({{"scf_family", label("enumerated")}, {"scf_index", std::int64_t{81}}}), &param);
  EXPECT_EQ(param, "scf_index");
  EXPECT_NE(message.find("81"), std::string::npos) << message;
  EXPECT_EQ(invalid_params(point_with({{"scf_family", label("enumerated")}, {"scf_index", std::int64_t{80}}})),
            "(valid)");
  // The index matters to the enumerated family only.
  EXPECT_EQ(invalid_params(point_with({{"scf_index", std::int64_t{81}}})), "(valid)");
  // run() checks too.
  ResultRow row(patterns().info().columns);
  EXPECT_THROW(
      patterns().run(point_with({{"scf_family", label("enumerated")}, {"scf_index", std::int64_t{81}}}), 1, row),
      std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep
