// The persuasion.appendix binding: each appendix fills its own columns (the
// others NaN or empty) with the spec's §3.1–3.4 numbers, and the plan rejects
// what each example cannot take.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "experiments/binding_test_helpers.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

using testing::column;
using testing::ragged;

const Experiment& appendix() { return testing::registered("persuasion.appendix"); }

ResultRow run(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  const ParamPoint point = testing::point_with(appendix(), overrides);
  appendix().validate(point);
  ResultRow row(appendix().info().columns);
  appendix().run(point, 1, row);
  return row;
}

TEST(PersuasionAppendixBinding, EveryColumnIsDocumented) {
  EXPECT_EQ(testing::missing_or_undocumented(appendix().info(), {"ratio", "designed_agent0", "mixture", "prefix"}),
            std::vector<std::string>{});
}

// spec §3.1 at n = 4: NR 3/10, FR U_0 = 3/32, U_i = 15/32, designed 243/512
// and 175/512; the LOW posterior 4/3 and Pr[all LOW] = 81/256.
TEST(PersuasionAppendixBinding, AppendixAReproducesTheFourAgentColumn) {
  const ResultRow row = run({{"appendix", std::string("a")}, {"n", std::int64_t{4}}});
  EXPECT_NEAR(column(row, "nr_other"), 3.0 / 10, 1e-12);
  EXPECT_NEAR(column(row, "fr_agent0"), 3.0 / 32, 1e-12);
  EXPECT_NEAR(column(row, "fr_other"), 15.0 / 32, 1e-12);
  EXPECT_NEAR(column(row, "designed_agent0"), 243.0 / 512, 1e-12);
  EXPECT_NEAR(column(row, "designed_other"), 175.0 / 512, 1e-12);
  EXPECT_NEAR(column(row, "designed_welfare"), 943.0 / 512, 1e-12);
  EXPECT_NEAR(column(row, "low_posterior"), 4.0 / 3, 1e-12);
  EXPECT_NEAR(column(row, "all_low_probability"), 81.0 / 256, 1e-12);
  EXPECT_TRUE(std::isnan(column(row, "lp_ratio")));
  EXPECT_TRUE(ragged(row, "mixture").empty());
}

TEST(PersuasionAppendixBinding, AppendicesBAndCReproduceTheirKnownAnswers) {
  const ResultRow b = run({{"appendix", std::string("b")}, {"n", std::int64_t{2}}, {"scale", 8.0}});
  EXPECT_NEAR(column(b, "ratio"), 7.0 / 4, 1e-9);  // β*(n = 2, M = 8), by hand in appendix_test.cpp
  EXPECT_GE(column(b, "ratio"), column(b, "paper_bound"));
  EXPECT_EQ(ragged(b, "mixture").size(), 2U);
  const ResultRow c1 = run({{"appendix", std::string("c1")}, {"n", std::int64_t{2}}, {"scale", 1e4}});
  EXPECT_NEAR(column(c1, "ratio"), 20009.0 / 12515, 1e-7);
  EXPECT_EQ(ragged(c1, "best_prefix").size(), 4U);
  EXPECT_NEAR(ragged(c1, "best_prefix")[0], 16.0 / 5, 1e-7);
  const ResultRow c2 = run({{"appendix", std::string("c2")}});
  EXPECT_LT(column(c2, "ratio"), 1e-9);
  EXPECT_EQ(column(c2, "certified"), 1.0);
  EXPECT_EQ(column(c2, "vertex_cut_off"), 1.0);
  EXPECT_EQ(column(c2, "new_vertices_inside"), 1.0);
}

TEST(PersuasionAppendixBinding, RejectsWhatEachExampleCannotTake) {
  const auto rejected = [](const std::vector<std::pair<std::string, ParamValue>>& overrides) -> std::string {
    try {
      appendix().validate(testing::point_with(appendix(), overrides));
    } catch (const InvalidParams& error) {
      return error.param();
    }
    return "";
  };
  EXPECT_EQ(rejected({{"appendix", std::string("a")}, {"n", std::int64_t{1}}}), "n");
  EXPECT_EQ(rejected({{"appendix", std::string("b")}, {"n", std::int64_t{5}}, {"scale", 4.0}}), "scale");
  EXPECT_EQ(rejected({{"appendix", std::string("b")}, {"n", std::int64_t{1001}}}), "n");
  EXPECT_EQ(rejected({{"appendix", std::string("c1")}, {"n", std::int64_t{6}}}), "n");
  EXPECT_EQ(rejected({{"appendix", std::string("c1")}, {"n", std::int64_t{2}}, {"scale", 16.0}}), "scale");
  EXPECT_EQ(rejected({{"appendix", std::string("c2")}, {"n", std::int64_t{1}}}), "");
}

}  // namespace
}  // namespace mechsweep
