// The group-by and the --where grammar of `aggregate` and `inspect`, checked
// against direct computations. The end-to-end test (tests/e2e, case
// `aggregate`) compares the command on a real store with pandas.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <sstream>

#include "core/error.hpp"
#include "postprocess/group_stats.hpp"
#include "postprocess/row_filter.hpp"
#include "postprocess/text_table.hpp"

namespace mechsweep::postprocess {
namespace {

using store::Cell;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> names(std::initializer_list<const char*> list) { return {list.begin(), list.end()}; }

TEST(GroupStats, SmallCellMatchesHandComputedValues) {
  GroupedStatistics groups(1, parse_stats(names({"count", "mean", "std", "sem", "min", "max", "q05", "q50", "ci"})),
                           0.95);
  for (double x : {3.0, 1.0, 4.0, 2.0, kNaN}) groups.add({Cell{std::int64_t{7}}}, std::span<const double>(&x, 1));
  const auto result = groups.result();
  ASSERT_EQ(result.keys.size(), 1u);
  EXPECT_EQ(result.rows[0], 5);  // the NaN row counts as a row, not as a value
  const auto value = [&](std::size_t column) { return result.columns[column][0]; };
  EXPECT_EQ(value(0), 4);                                   // count
  EXPECT_DOUBLE_EQ(value(1), 2.5);                          // mean
  EXPECT_NEAR(value(2), std::sqrt(5.0 / 3.0), 1e-15);       // std, n - 1
  EXPECT_NEAR(value(3), std::sqrt(5.0 / 3.0) / 2, 1e-15);   // sem
  EXPECT_EQ(value(4), 1);                                   // min
  EXPECT_EQ(value(5), 4);                                   // max
  EXPECT_NEAR(value(6), 1.15, 1e-15);                       // q05: 1 + 0.15·(2 − 1)
  EXPECT_DOUBLE_EQ(value(7), 2.5);                          // q50
  const double t = 3.182446305284263;                       // t_{0.975, 3}
  EXPECT_NEAR(value(8), 2.5 - t * std::sqrt(5.0 / 3.0) / 2, 1e-12);
  EXPECT_NEAR(value(9), 2.5 + t * std::sqrt(5.0 / 3.0) / 2, 1e-12);
}

TEST(GroupStats, OneValueHasNoSpreadOrInterval) {
  GroupedStatistics groups(1, parse_stats(names({"mean", "std", "ci"})), 0.9);
  const double x = 5;
  groups.add({Cell{std::string("a")}}, std::span<const double>(&x, 1));
  const auto result = groups.result();
  EXPECT_EQ(result.columns[0][0], 5);
  EXPECT_TRUE(std::isnan(result.columns[1][0]));
  EXPECT_TRUE(std::isnan(result.columns[2][0]));
  EXPECT_TRUE(std::isnan(result.columns[3][0]));
}

// Random rows in random order against a direct computation per cell.
TEST(GroupStats, StreamingEqualsDirectComputationOnRandomRows) {
  std::mt19937_64 rng(20261124);
  for (int round = 0; round < 20; ++round) {
    const auto stats = parse_stats(names({"count", "mean", "std", "min", "max", "q05", "q50", "q95"}));
    GroupedStatistics groups(2, stats, 0.95);
    std::map<std::pair<std::int64_t, std::string>, std::vector<std::vector<double>>> direct;
    std::uniform_int_distribution<int> cell(0, 4), size(1, 300);
    std::normal_distribution<double> noise(0, 3);
    const int rows = size(rng);
    for (int row = 0; row < rows; ++row) {
      const std::int64_t a = cell(rng);
      const std::string b = cell(rng) % 2 ? "x" : "y";
      const double values[2] = {noise(rng) + static_cast<double>(a), row % 7 == 0 ? kNaN : noise(rng)};
      groups.add({Cell{a}, Cell{b}}, values);
      auto& seen = direct[{a, b}];
      seen.resize(2);
      for (int m = 0; m < 2; ++m) {
        if (!std::isnan(values[m])) seen[m].push_back(values[m]);
      }
    }
    const auto result = groups.result();
    ASSERT_EQ(result.keys.size(), direct.size());
    std::size_t cell_index = 0;
    for (const auto& [key, per_metric] : direct) {  // std::map: the same key order
      EXPECT_EQ(std::get<std::int64_t>(result.keys[cell_index][0]), key.first);
      EXPECT_EQ(std::get<std::string>(result.keys[cell_index][1]), key.second);
      for (int m = 0; m < 2; ++m) {
        std::vector<double> x = per_metric[m];
        std::sort(x.begin(), x.end());
        if (x.empty()) {  // every value of the cell was NaN
          EXPECT_EQ(result.columns[m * stats.size()][cell_index], 0);
          for (std::size_t s = 1; s < stats.size(); ++s) {
            EXPECT_TRUE(std::isnan(result.columns[m * stats.size() + s][cell_index])) << stats[s].name;
          }
          continue;
        }
        const auto n = static_cast<double>(x.size());
        double mean = 0;
        for (double v : x) mean += v / n;
        double squares = 0;
        for (double v : x) squares += (v - mean) * (v - mean);
        const auto quantile = [&](double q) {
          const double h = q * (n - 1);
          const auto lo = static_cast<std::size_t>(h);
          return lo + 1 < x.size() ? x[lo] + (h - static_cast<double>(lo)) * (x[lo + 1] - x[lo]) : x[lo];
        };
        const double expected[] = {n, mean, n > 1 ? std::sqrt(squares / (n - 1)) : kNaN, x.front(), x.back(),
                                   quantile(0.05), quantile(0.5), quantile(0.95)};
        for (std::size_t s = 0; s < stats.size(); ++s) {
          const double got = result.columns[m * stats.size() + s][cell_index];
          if (std::isnan(expected[s])) {
            EXPECT_TRUE(std::isnan(got)) << stats[s].name;
          } else {
            EXPECT_NEAR(got, expected[s], 1e-10 * (1 + std::abs(expected[s]))) << stats[s].name;
          }
        }
      }
      ++cell_index;
    }
  }
}

TEST(GroupStats, KeysSortNumericallyWithNaNLast) {
  GroupedStatistics groups(1, parse_stats(names({"count"})), 0.95);
  const double one = 1;
  for (double key : {10.0, kNaN, 2.0, kNaN, -1.0}) groups.add({Cell{key}}, std::span<const double>(&one, 1));
  const auto result = groups.result();
  ASSERT_EQ(result.keys.size(), 4u);
  EXPECT_EQ(std::get<double>(result.keys[0][0]), -1);
  EXPECT_EQ(std::get<double>(result.keys[1][0]), 2);
  EXPECT_EQ(std::get<double>(result.keys[2][0]), 10);
  EXPECT_TRUE(std::isnan(std::get<double>(result.keys[3][0])));
  EXPECT_EQ(result.rows[3], 2);
}

TEST(GroupStats, RejectsUnknownRepeatedAndOutOfRangeStatistics) {
  EXPECT_THROW(parse_stats(names({"median"})), InputError);
  EXPECT_THROW(parse_stats(names({"mean", "mean"})), InputError);
  EXPECT_THROW(parse_stats(names({"q101"})), InputError);
  EXPECT_THROW(parse_stats(names({"q5x"})), InputError);
  EXPECT_THROW(parse_stats({}), InputError);
  EXPECT_DOUBLE_EQ(parse_stats(names({"q99.9"}))[0].quantile, 0.999);
  EXPECT_THROW(GroupedStatistics(1, parse_stats(names({"ci"})), 1.0), InputError);
  EXPECT_EQ(stat_column_names("w", parse_stats(names({"ci", "q05"}))),
            names({"w.ci_low", "w.ci_high", "w.q05"}));
}

TEST(RowFilterGrammar, ReadsEveryOperatorAndAlternatives) {
  const Condition equal = parse_condition("scf = constant|favour_agent_1");
  EXPECT_EQ(equal.column, "scf");
  EXPECT_EQ(equal.comparison, Comparison::equal);
  EXPECT_EQ(equal.values, names({"constant", "favour_agent_1"}));
  EXPECT_EQ(parse_condition("n<=3").comparison, Comparison::less_equal);
  EXPECT_EQ(parse_condition("n>=3").comparison, Comparison::greater_equal);
  EXPECT_EQ(parse_condition("n!=3").comparison, Comparison::not_equal);
  EXPECT_EQ(parse_condition("n==3").comparison, Comparison::equal);
  EXPECT_EQ(parse_condition("n<3").comparison, Comparison::less);
  EXPECT_EQ(parse_condition("n>3").values, names({"3"}));
  // Only = and != take alternatives; '|' elsewhere is part of the value.
  EXPECT_EQ(parse_condition("n<3|4").values, names({"3|4"}));
}

TEST(RowFilterGrammar, RejectsMalformedConditions) {
  for (const char* text : {"agents", "=3", "agents=", "agents= ", "a=x||y", "a=|x"}) {
    EXPECT_THROW(parse_condition(text), InputError) << text;
  }
}

TEST(TextTables, CsvQuotesAndMarkdownEscapes) {
  TextTable table;
  table.add_column("name", false);
  table.add_column("x", true);
  table.rows = {{"a,b", "1"}, {"say \"hi\"", "2"}, {"p|q", "nan"}};
  std::ostringstream csv, markdown;
  write_csv(csv, table);
  write_markdown(markdown, table);
  EXPECT_EQ(csv.str(), "name,x\n\"a,b\",1\n\"say \"\"hi\"\"\",2\np|q,nan\n");
  EXPECT_EQ(markdown.str(), "| name | x |\n|---|---:|\n| a,b | 1 |\n| say \"hi\" | 2 |\n| p\\|q | nan |\n");
  EXPECT_EQ(format_number(0.1, 17), "0.10000000000000001");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity(), 6), "-inf");
}

}  // namespace
}  // namespace mechsweep::postprocess
