// The coalition.examples binding: registration, the parameter and column
// tables, and the known answers of spec 001 §3 and §7 (KAT-1, KAT-2, KAT-3,
// KAT-5) read back from the result row.

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "experiments/binding_test_helpers.hpp"
#include "experiments/coalition_common/expected_columns.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

using testing::column;

const Experiment& examples() { return testing::registered("coalition.examples"); }

ParamPoint point_with(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  return testing::point_with(examples(), overrides);
}

ResultRow run(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  const ParamPoint point = point_with(overrides);
  examples().validate(point);
  ResultRow row(examples().info().columns);
  examples().run(point, 1, row);
  return row;
}

using testing::ragged;

// Named patterns, in this order.
constexpr std::size_t kSingletons = 0;
constexpr std::size_t kAll = 1;
constexpr std::size_t kGrand = 2;

// Three-valued codes of the columns.
constexpr double kNo = 0.0;
constexpr double kYes = 1.0;

ParamValue example2() { return std::string("example2"); }

TEST(CoalitionExamplesBinding, DeclaresParametersAndColumns) {
  const ExperimentInfo& info = examples().info();
  std::vector<std::string> params;
  for (const ParamSpec& spec : info.params) params.push_back(spec.name);
  EXPECT_EQ(params, (std::vector<std::string>{"example", "agents", "types", "cost_scale", "disposal", "mixing_deg",
                                              "monotonicity"}));
  std::vector<std::string> expected = testing::kCoalitionInstanceColumns;
  expected.insert(expected.end(), testing::kCoalitionPatternColumns.begin(), testing::kCoalitionPatternColumns.end());
  expected.push_back("outcomes");
  EXPECT_EQ(testing::missing_or_undocumented(info, expected), std::vector<std::string>{});
  for (const ColumnSpec& c : info.columns) {
    if (c.is_ragged()) {
      // Per coalition 2^n − 1, per (agent, type) n·k, per named pattern 3;
      // Example 2 is always n = k = 2.
      const bool per_coalition = c.name == "ic_holds" || c.name == "ic_pairs";
      const bool per_type = c.name == "rm_witness" || c.name == "rcm_witness";
      EXPECT_EQ(c.ragged_length(point_with({{"agents", std::int64_t{3}}})), per_coalition ? 7U : per_type ? 9U : 3U)
          << c.name;
      EXPECT_EQ(c.ragged_length(point_with({{"example", example2()}, {"agents", std::int64_t{4}}})),
                per_type ? 4U : 3U)
          << c.name;
    }
  }
}

// KAT-3 (spec §3.2): robust 𝒮̄ YES, robust 𝒮̲ NO, robust coalitional NO.
TEST(CoalitionExamplesBinding, Example2CoalitionsHelp) {
  for (const double disposal : {0.0, 10.0}) {
    SCOPED_TRACE(disposal);
    const ResultRow row = run({{"example", example2()}, {"disposal", disposal}});
    EXPECT_EQ(column(row, "outcomes"), disposal == 0.0 ? 3.0 : 5.0);
    EXPECT_EQ(column(row, "epic"), 1.0);
    EXPECT_EQ(column(row, "rcic"), 1.0);
    EXPECT_EQ(column(row, "ic_violations"), 0.0);
    EXPECT_EQ(column(row, "rm"), kNo);
    EXPECT_EQ(column(row, "rcm"), kNo);
    // Reflexive deceptions: 16 profiles, 15 unacceptable, 12 dissolved, 3 undissolved.
    EXPECT_EQ(column(row, "rcm_unacceptable"), 15.0);
    EXPECT_EQ(column(row, "rcm_dissolved"), 12.0);
    EXPECT_EQ(column(row, "rcm_undissolved"), 3.0);
    // The first undissolved reflexive β as masks per (agent, type): agent 0's
    // type 1 may also report 0 and agent 1's type 0 may also report 1 (0b11) —
    // the support of the paper's bad profile σ'_1 ≡ 0, σ'_2 ≡ 1 (spec §3.2).
    EXPECT_EQ(ragged(row, "rcm_witness"), (std::vector<double>{1, 3, 3, 2}));
    EXPECT_EQ(ragged(row, "rm_witness"), ragged(row, "rcm_witness"));
    EXPECT_EQ(column(row, "interior"), 1.0);
    // t* = 1 without disposals; 11 with (0,−10,−10), (0,−11,−11): x² beats the deeper disposal by 11
    // (the spec says "identical", interior_test.cpp documents 11).
    EXPECT_NEAR(column(row, "interior_margin"), disposal == 0.0 ? 1.0 : 11.0, 1e-9);
    EXPECT_EQ(column(row, "verdict_coalitional"), kNo);
    EXPECT_EQ(column(row, "verdict_bergemann_morris"), kNo);
    EXPECT_EQ(column(row, "coalition_value"), 1.0);
    EXPECT_EQ(column(row, "coalition_cost"), 0.0);
    EXPECT_EQ(ragged(row, "verdict"), (std::vector<double>{kNo, kYes, kYes}));
    EXPECT_EQ(ragged(row, "rsm"), (std::vector<double>{kNo, kYes, kYes}));
    EXPECT_EQ(ragged(row, "rsic"), (std::vector<double>{1.0, 1.0, 1.0}));
    // Every one of the 80 unacceptable deceptions is dissolved under 𝒮̄, some
    // only by the grand coalition (spec §3.2).
    EXPECT_EQ(ragged(row, "rsm_unacceptable")[kAll], 80.0);
    EXPECT_EQ(ragged(row, "rsm_undissolved")[kAll], 0.0);
    EXPECT_GT(ragged(row, "rsm_only_by_coalition")[kAll], 0.0);
    EXPECT_EQ(ragged(row, "rsm_largest_needed")[kAll], 2.0);
    EXPECT_EQ(ragged(row, "rsm_heuristic")[kAll], 0.0);
    // For n = 2, 𝒮̄ = 𝒮̲ ∪ {I}.
    EXPECT_EQ(ragged(row, "pattern_bits"), (std::vector<double>{0.0, 1.0, 1.0}));
    EXPECT_EQ(ragged(row, "pattern_size"), (std::vector<double>{2.0, 3.0, 3.0}));
    EXPECT_EQ(ragged(row, "ic_holds"), (std::vector<double>{1.0, 1.0, 1.0}));
    EXPECT_GT(column(row, "lps"), 0.0);
    EXPECT_GT(column(row, "clauses"), 0.0);
  }
}

// KAT-1 (spec §3.1 Variant A): the grand coalition's one manipulation.
TEST(CoalitionExamplesBinding, Example1VariantACoalitionsHurt) {
  const ResultRow row = run({{"agents", std::int64_t{2}}, {"types", std::int64_t{3}}, {"cost_scale", 0.5}});
  EXPECT_EQ(column(row, "outcomes"), 9.0);
  EXPECT_EQ(column(row, "ic_violations"), 1.0);
  EXPECT_EQ(column(row, "epic"), 1.0);
  EXPECT_EQ(column(row, "rcic"), 0.0);
  EXPECT_EQ(column(row, "weak_pareto"), 0.0);
  EXPECT_EQ(ragged(row, "ic_holds"), (std::vector<double>{1.0, 1.0, 0.0}));
  EXPECT_EQ(ragged(row, "ic_pairs"), (std::vector<double>{0.0, 0.0, 1.0}));
  EXPECT_EQ(column(row, "rm"), kYes);
  EXPECT_EQ(column(row, "rm_unacceptable"), 4095.0);
  EXPECT_EQ(column(row, "rm_undissolved"), 0.0);
  EXPECT_NEAR(column(row, "interior_margin"), 0.125, 1e-9);
  EXPECT_EQ(column(row, "verdict_bergemann_morris"), kYes);
  EXPECT_EQ(column(row, "verdict_coalitional"), kNo);
  EXPECT_EQ(column(row, "coalition_cost"), 1.0);
  EXPECT_EQ(column(row, "coalition_value"), 0.0);
  EXPECT_EQ(ragged(row, "rsic"), (std::vector<double>{1.0, 0.0, 0.0}));
  EXPECT_EQ(ragged(row, "verdict"), (std::vector<double>{kYes, kNo, kNo}));
}

// KAT-2 (spec §3.1 Variant B): robustly coalitionally implementable.
TEST(CoalitionExamplesBinding, Example1VariantBIsRobustlyCoalitionallyImplementable) {
  const ResultRow row = run({{"types", std::int64_t{2}}});
  EXPECT_EQ(column(row, "outcomes"), 4.0);
  EXPECT_EQ(column(row, "rcic"), 1.0);
  EXPECT_EQ(column(row, "rcm"), kYes);
  EXPECT_EQ(column(row, "rm"), kYes);
  EXPECT_EQ(ragged(row, "rcm_witness"), (std::vector<double>{0, 0, 0, 0}));  // nothing undissolved
  EXPECT_NEAR(column(row, "interior_margin"), 0.25, 1e-9);
  EXPECT_EQ(column(row, "verdict_coalitional"), kYes);
  EXPECT_EQ(column(row, "verdict_bergemann_morris"), kYes);
  EXPECT_EQ(ragged(row, "verdict"), (std::vector<double>{kYes, kYes, kYes}));
  // All 80 unacceptable deceptions of 𝒮̄ are dissolved by singletons.
  EXPECT_EQ(ragged(row, "rsm_unacceptable")[kAll], 80.0);
  EXPECT_EQ(ragged(row, "rsm_by_singleton")[kAll], 80.0);
  EXPECT_EQ(ragged(row, "rsm_largest_needed")[kGrand], 1.0);
  EXPECT_EQ(ragged(row, "rsm_unacceptable")[kSingletons], 15.0);  // reflexive, exact for 𝒮̲
  // With the disposal points (0,−5,−5) and (0,−6,−6) the margin is 6, not the
  // spec's 1: f(0,0) beats the deeper disposal by 6 at every θ (interior_test.cpp).
  const ResultRow disposal = run({{"types", std::int64_t{2}}, {"disposal", 5.0}});
  EXPECT_EQ(column(disposal, "outcomes"), 6.0);
  EXPECT_NEAR(column(disposal, "interior_margin"), 6.0, 1e-9);
  EXPECT_EQ(column(disposal, "verdict_coalitional"), kYes);
}

// KAT-5: the (EPIC, RCIC, #violations) grid of the Example-1 family (spec §3.1),
// with monotonicity skipped (the IC table does not need it; n = k = 3 with it
// takes minutes).
TEST(CoalitionExamplesBinding, Example1FamilyTable) {
  const std::vector<double> costs = {0.0, 0.25, 0.3333333333333333, 0.5, 0.6666666666666666, 0.75, 1.0, 1.25};
  using Cell = std::tuple<int, int, int>;  // EPIC, RCIC, violations
  const std::vector<std::tuple<int, int, std::vector<Cell>>> table = {
      {2, 2, {{1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {0, 0, 2}}},
      {2, 3, {{0, 0, 7}, {0, 0, 7}, {1, 0, 1}, {1, 0, 1}, {1, 1, 0}, {0, 0, 2}, {0, 0, 2}, {0, 0, 6}}},
      {3, 2, {{1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {0, 0, 3}}},
      {3, 3, {{0, 0, 43}, {0, 0, 43}, {1, 0, 10}, {1, 0, 10}, {1, 0, 1}, {0, 0, 4}, {0, 0, 3}, {0, 0, 9}}},
  };
  for (const auto& [n, k, cells] : table) {
    for (std::size_t c = 0; c < costs.size(); ++c) {
      SCOPED_TRACE("n=" + std::to_string(n) + " k=" + std::to_string(k) + " c=" + std::to_string(costs[c]));
      const ResultRow row = run({{"agents", std::int64_t{n}},
                                 {"types", std::int64_t{k}},
                                 {"cost_scale", costs[c]},
                                 {"monotonicity", std::string("skip")}});
      const auto [epic, rcic, violations] = cells[c];
      EXPECT_EQ(column(row, "epic"), epic);
      EXPECT_EQ(column(row, "rcic"), rcic);
      EXPECT_EQ(column(row, "ic_violations"), violations);
      EXPECT_EQ(ragged(row, "rsic")[kSingletons], epic);
      EXPECT_EQ(ragged(row, "rsic")[kAll], rcic);
      EXPECT_EQ(ragged(row, "ic_holds").size(), (std::size_t{1} << n) - 1);
      // Skipped monotonicity is UNDETERMINED; the verdicts follow from IC alone.
      EXPECT_EQ(column(row, "rm"), 2.0);
      EXPECT_EQ(column(row, "rcm"), 2.0);
      EXPECT_EQ(ragged(row, "rsm"), std::vector<double>(3, 2.0));
      EXPECT_EQ(column(row, "verdict_coalitional"), rcic == 1 ? 2.0 : kNo);
      EXPECT_EQ(column(row, "verdict_bergemann_morris"), epic == 1 ? 2.0 : kNo);
      EXPECT_EQ(column(row, "lps"), 0.0);
    }
  }
}

// Full monotonicity on a small cell agrees with skip on the IC columns.
TEST(CoalitionExamplesBinding, SkippingMonotonicityKeepsTheIcColumns) {
  const std::vector<std::pair<std::string, ParamValue>> cell = {
      {"agents", std::int64_t{3}}, {"types", std::int64_t{2}}, {"cost_scale", 1.25}};
  auto skip_cell = cell;
  skip_cell.emplace_back("monotonicity", std::string("skip"));
  const ResultRow full = run(cell);
  const ResultRow skip = run(skip_cell);
  for (const std::string name : {"epic", "rcic", "weak_pareto", "ic_violations", "interior", "interior_margin", "cnti",
                                 "cnti_failing_points", "outcomes"}) {
    EXPECT_EQ(column(full, name), column(skip, name)) << name;
  }
  EXPECT_EQ(ragged(full, "ic_pairs"), ragged(skip, "ic_pairs"));
  EXPECT_EQ(ragged(full, "rsic"), ragged(skip, "rsic"));
  EXPECT_NE(column(full, "rm"), 2.0);
}

std::string invalid_params(const ParamPoint& point, std::string* param = nullptr) {
  try {
    examples().validate(point);
  } catch (const InvalidParams& e) {
    if (param != nullptr) *param = e.param();
    return e.what();
  }
  return "(valid)";
}

TEST(CoalitionExamplesBinding, ValidateRejectsTooManyDeceptions) {
  std::string param;
  // (2^{3·2})^3 = 262,144 reflexive deception profiles: minutes a task.
  const std::string three = invalid_params(point_with({{"agents", std::int64_t{3}}}), &param);
  EXPECT_EQ(param, "types");
  EXPECT_NE(three.find("262144"), std::string::npos) << three;
  EXPECT_NE(three.find("monotonicity: skip"), std::string::npos) << three;
  EXPECT_EQ(invalid_params(point_with({{"agents", std::int64_t{3}}, {"monotonicity", std::string("skip")}})),
            "(valid)");
  // (2^{3·2})^4 = 16,777,216 reflexive deception profiles.
  const std::string message = invalid_params(point_with({{"agents", std::int64_t{4}}}), &param);
  EXPECT_EQ(param, "types");
  EXPECT_NE(message.find("16777216"), std::string::npos) << message;
  EXPECT_NE(invalid_params(point_with({{"types", std::int64_t{4}}})), "(valid)");  // 4096² profiles
  EXPECT_EQ(invalid_params(point_with({{"types", std::int64_t{4}}, {"agents", std::int64_t{1}}})), "(valid)");
  EXPECT_EQ(invalid_params(point_with({{"types", std::int64_t{2}}, {"agents", std::int64_t{4}}})), "(valid)");
  // Example 2 ignores agents and types.
  EXPECT_EQ(invalid_params(point_with({{"example", example2()}, {"agents", std::int64_t{4}}})), "(valid)");
}

}  // namespace
}  // namespace mechsweep
