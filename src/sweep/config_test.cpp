#include "sweep/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/seed.hpp"

namespace mechsweep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A test-only experiment with one parameter of each type.
class ToyExperiment : public Experiment {
 public:
  ToyExperiment() {
    info_.name = "test.toy";
    info_.summary = "parameters of every type, for config tests";
    info_.params = {
        {"x", ParamType::real, 1.5, 0.0, 10.0, {}, "a bounded real"},
        {"n", ParamType::integer, std::int64_t{10}, 1.0, 1000.0, {}, "a bounded integer"},
        {"mode", ParamType::choice, std::string("fast"), -kInf, kInf, {"fast", "slow", "exact"}, "a choice"},
        {"y", ParamType::real, 0.0, -kInf, kInf, {}, "an unbounded real"},
        {"z", ParamType::real, 0.0, -5.0, 5.0, {}, "another bounded real"},
    };
    info_.columns = {{"out", ColumnType::real, "x + y", false, {}}};
  }
  const ExperimentInfo& info() const override { return info_; }
  void run(const ParamPoint& point, std::uint64_t, ResultRow& row) const override {
    row.set("out", point.real("x") + point.real("y"));
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  ExperimentInfo info_;
};

// Stand-in with the name and parameter table of the real testdesign.evaluate
// (experiments/ is not linked into this test), for the bad-config table.
class TestdesignStandIn : public Experiment {
 public:
  TestdesignStandIn() {
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double positive = std::nextafter(0.0, 1.0);
    const std::vector<std::string> procedures{"simultaneous", "fixed_ab", "fixed_ba", "random_undisclosed",
                                              "random_disclosed"};
    info_.name = "testdesign.evaluate";
    info_.summary = "stand-in for the config tests";
    info_.params = {
        {"angle_deg", ParamType::real, 60.0, 0.5, 179.5, {}, ""},
        {"cost_scale", ParamType::real, 1.0, positive, 1e6, {}, ""},
        {"procedure", ParamType::choice, std::string("simultaneous"), -inf, inf, procedures, ""},
        {"setting", ParamType::choice, std::string("manipulation"), -inf, inf, {"manipulation", "investment"}, ""},
        {"q", ParamType::real, 0.5, 0.0, 1.0, {}, ""},
        {"distribution",
         ParamType::choice,
         std::string("uniform_square"),
         -inf,
         inf,
         {"uniform_square", "uniform_disk", "gaussian"},
         ""},
        {"dist_scale", ParamType::real, 1.0, positive, inf, {}, ""},
        {"dist_offset", ParamType::real, 0.0, -inf, inf, {}, ""},
        {"shift_a", ParamType::real, 0.0, -10.0, 10.0, {}, ""},
        {"shift_b", ParamType::real, 0.0, -10.0, 10.0, {}, ""},
        {"rotate_a_deg", ParamType::real, 0.0, -89.0, 89.0, {}, ""},
        {"rotate_b_deg", ParamType::real, 0.0, -89.0, 89.0, {}, ""},
        {"mc_samples", ParamType::integer, std::int64_t{100000}, 0.0, 1e8, {}, ""},
    };
  }
  const ExperimentInfo& info() const override { return info_; }
  void run(const ParamPoint&, std::uint64_t, ResultRow&) const override {}

 private:
  ExperimentInfo info_;
};

}  // namespace
}  // namespace mechsweep

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::ToyExperiment)
MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::TestdesignStandIn)

namespace mechsweep {
namespace {

const std::string kHead = "experiment: test.toy\nseed: 42\n";

SweepPlan toy(const std::string& body) { return plan_from_text(kHead + body, "toy.yaml"); }

std::vector<double> reals(const SweepPlan& plan, const std::string& name) {
  std::vector<double> out;
  for (std::uint64_t k = 0; k < plan.task_count(); ++k) out.push_back(plan.point(k).real(name));
  return out;
}

std::vector<std::int64_t> integers(const SweepPlan& plan, const std::string& name) {
  std::vector<std::int64_t> out;
  for (std::uint64_t k = 0; k < plan.task_count(); ++k) out.push_back(plan.point(k).integer(name));
  return out;
}

std::vector<std::string> choices(const SweepPlan& plan, const std::string& name) {
  std::vector<std::string> out;
  for (std::uint64_t k = 0; k < plan.task_count(); ++k) out.push_back(plan.point(k).choice(name));
  return out;
}

// The InputError thrown by `make`, or a test failure.
template <typename F>
InputError input_error(F make) {
  try {
    make();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError thrown";
  return InputError("", "", "none");
}

InputError toy_error(const std::string& body) {
  return input_error([&] { toy(body); });
}

// Every task of both plans has the same parameters and seed.
void expect_same_plan(const SweepPlan& a, const SweepPlan& b) {
  ASSERT_EQ(a.task_count(), b.task_count());
  EXPECT_EQ(&a.experiment(), &b.experiment());
  EXPECT_EQ(a.run_seed(), b.run_seed());
  for (std::uint64_t k = 0; k < a.task_count(); ++k) {
    const ParamPoint pa = a.point(k);
    const ParamPoint pb = b.point(k);
    ASSERT_EQ(pa.size(), pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_EQ(pa.value(i), pb.value(i)) << "task " << k << " param " << i;
    EXPECT_EQ(a.task_seed(k), b.task_seed(k));
  }
}

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("mechsweep_config_test_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

// ---------------------------------------------------------------------------
// Axis kinds

TEST(SweepAxes, ListGivesItsValuesInOrder) {
  const SweepPlan plan = toy("sweep:\n  x: [3, 1.5, 2]\n");
  EXPECT_THAT(reals(plan, "x"), ElementsAre(3.0, 1.5, 2.0));
}

TEST(SweepAxes, LinspaceMatchesNumpyWithBothEnds) {
  EXPECT_THAT(reals(toy("sweep:\n  x: {linspace: [0.5, 2, 4]}\n"), "x"), ElementsAre(0.5, 1.0, 1.5, 2.0));
  EXPECT_THAT(reals(toy("sweep:\n  x: {linspace: [2, 0, 3]}\n"), "x"), ElementsAre(2.0, 1.0, 0.0));
}

TEST(SweepAxes, LinspaceIsStartPlusIndexTimesStepWithExactStop) {
  const std::vector<double> x = reals(toy("sweep:\n  x: {linspace: [0.1, 0.7, 7]}\n"), "x");
  ASSERT_EQ(x.size(), 7u);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) EXPECT_EQ(x[i], static_cast<double>(i) * (0.6 / 6) + 0.1);
  EXPECT_EQ(x.back(), 0.7);
}

TEST(SweepAxes, LinspaceWithOneValueIsStart) {
  EXPECT_THAT(reals(toy("sweep:\n  x: {linspace: [3, 7, 1]}\n"), "x"), ElementsAre(3.0));
}

TEST(SweepAxes, LogspaceIsTenToTheLinspaceLikeNumpy) {
  EXPECT_THAT(reals(toy("sweep:\n  y: {logspace: [-1, 2, 4]}\n"), "y"), ElementsAre(0.1, 1.0, 10.0, 100.0));
  const std::vector<double> y = reals(toy("sweep:\n  y: {logspace: [0, 1, 3]}\n"), "y");
  EXPECT_THAT(y, ElementsAre(1.0, std::pow(10.0, 0.5), 10.0));
}

TEST(SweepAxes, GeomspaceRunsGeometricallyFromStartToStop) {
  const std::vector<double> y = reals(toy("sweep:\n  y: {geomspace: [1, 1000, 4]}\n"), "y");
  ASSERT_EQ(y.size(), 4u);
  EXPECT_EQ(y[0], 1.0);
  EXPECT_DOUBLE_EQ(y[1], 10.0);
  EXPECT_DOUBLE_EQ(y[2], 100.0);
  EXPECT_EQ(y[3], 1000.0);
  const std::vector<double> negative = reals(toy("sweep:\n  y: {geomspace: [-2, -0.02, 3]}\n"), "y");
  EXPECT_EQ(negative[0], -2.0);
  EXPECT_DOUBLE_EQ(negative[1], -0.2);
  EXPECT_EQ(negative[2], -0.02);
}

TEST(SweepAxes, GeomspaceRejectsZeroAndMixedSigns) {
  EXPECT_THAT(toy_error("sweep:\n  y: {geomspace: [0, 1, 3]}\n").what(), HasSubstr("same sign"));
  EXPECT_THAT(toy_error("sweep:\n  y: {geomspace: [-1, 1, 3]}\n").what(), HasSubstr("same sign"));
}

TEST(SweepAxes, RangeIncludesStopWithinToleranceOfRounding) {
  // 0.1 + 4*0.2 lands within rounding of 0.9 and is included.
  EXPECT_THAT(reals(toy("sweep:\n  x: {range: [0.1, 0.9, 0.2]}\n"), "x"),
              ElementsAre(0.1, 0.1 + 0.2, 0.1 + 2 * 0.2, 0.1 + 3 * 0.2, 0.1 + 4 * 0.2));
  EXPECT_THAT(reals(toy("sweep:\n  x: {range: [0, 1, 0.3]}\n"), "x"), ElementsAre(0.0, 0.3, 0.6, 0.3 * 3));
}

TEST(SweepAxes, RangeWithNegativeStepCountsDown) {
  EXPECT_THAT(reals(toy("sweep:\n  x: {range: [5, 1, -2]}\n"), "x"), ElementsAre(5.0, 3.0, 1.0));
}

TEST(SweepAxes, RangeWithZeroStepIsAnError) {
  const InputError e = toy_error("sweep:\n  x: {range: [0, 1, 0]}\n");
  EXPECT_EQ(e.key(), "sweep.x");
  EXPECT_THAT(e.what(), HasSubstr("step must be nonzero"));
}

TEST(SweepAxes, RangeThatCannotReachStopIsAnEmptyAxis) {
  EXPECT_THAT(toy_error("sweep:\n  x: {range: [1, 0, 1]}\n").what(), HasSubstr("empty axis"));
}

TEST(SweepAxes, RangeOnIntegerParameterGivesIntegers) {
  EXPECT_THAT(integers(toy("sweep:\n  n: {range: [1, 10, 3]}\n"), "n"), ElementsAre(1, 4, 7, 10));
}

TEST(SweepAxes, LinspaceOnIntegerParameterGivesIntegersWhenIntegral) {
  EXPECT_THAT(integers(toy("sweep:\n  n: {linspace: [10, 50, 5]}\n"), "n"), ElementsAre(10, 20, 30, 40, 50));
  EXPECT_THAT(integers(toy("sweep:\n  n: {logspace: [0, 2, 3]}\n"), "n"), ElementsAre(1, 10, 100));
}

TEST(SweepAxes, NonIntegralGeneratedValueForIntegerParameterIsAnError) {
  const InputError e = toy_error("sweep:\n  n: {linspace: [1, 2, 3]}\n");
  EXPECT_EQ(e.key(), "sweep.n");
  EXPECT_THAT(e.what(), HasSubstr("linspace value 1.5 is not an integer"));
  EXPECT_THAT(toy_error("sweep:\n  n: {range: [1, 5, 1.5]}\n").what(), HasSubstr("not an integer"));
}

TEST(SweepAxes, GeneratedValuesAreRangeChecked) {
  EXPECT_THAT(toy_error("sweep:\n  x: {linspace: [0, 20, 3]}\n").what(),
              HasSubstr("linspace value 20 is out of range [0, 10]"));
}

TEST(SweepAxes, ChoiceParameterTakesOnlyAListOfLabels) {
  EXPECT_THAT(choices(toy("sweep:\n  mode: [slow, exact]\n"), "mode"), ElementsAre("slow", "exact"));
  EXPECT_THAT(toy_error("sweep:\n  mode: {linspace: [0, 1, 2]}\n").what(), HasSubstr("takes a list of labels"));
  EXPECT_THAT(toy_error("sweep:\n  mode: {random: {dist: uniform, n: 2, low: 0, high: 1}}\n").what(),
              HasSubstr("takes a list of labels"));
}

TEST(SweepAxes, UnknownAxisKindSuggestsTheClosest) {
  EXPECT_THAT(toy_error("sweep:\n  x: {linspce: [0, 1, 3]}\n").what(),
              HasSubstr("unknown axis kind 'linspce' (expected a list of values or one of: linspace, logspace, "
                        "geomspace, range, random) (did you mean 'linspace'?)"));
}

TEST(SweepAxes, ScalarWhereAnAxisBelongsIsAnError) {
  EXPECT_THAT(toy_error("sweep:\n  x: 3\n").what(), HasSubstr("expected a list of values or one of"));
}

TEST(SweepAxes, EmptyListIsAnEmptyAxisError) {
  const InputError e = toy_error("sweep:\n  x: []\n");
  EXPECT_EQ(e.where(), "toy.yaml:4");
  EXPECT_EQ(e.key(), "sweep.x");
  EXPECT_THAT(e.what(), HasSubstr("empty axis"));
  EXPECT_THAT(toy_error("sweep:\n  x: {linspace: [0, 1, 0]}\n").what(), HasSubstr("empty axis"));
}

// ---------------------------------------------------------------------------
// Random axes

std::uint64_t axis_stream_seed(std::uint64_t run_seed, const std::string& name) {
  return derive_seed(run_seed, fnv1a64("axis:" + name));
}

TEST(SweepRandomAxes, UniformDrawsComeFromTheAxisStreamOfTheRunSeed) {
  const std::vector<double> x = reals(toy("sweep:\n  x: {random: {dist: uniform, n: 5, low: 2, high: 8}}\n"), "x");
  boost::random::mt19937_64 engine(axis_stream_seed(42, "x"));
  boost::random::uniform_real_distribution<double> draw(2, 8);
  ASSERT_EQ(x.size(), 5u);
  for (const double v : x) EXPECT_EQ(v, draw(engine));
}

TEST(SweepRandomAxes, NormalLoguniformAndIntegerMatchBoostDistributions) {
  const SweepPlan plan =
      toy("sweep:\n"
          "  y: {random: {dist: normal, mean: 1, sd: 2, n: 3}}\n"
          "  zip:\n"
          "    x: {random: {dist: loguniform, low: 0.1, high: 10, n: 2}}\n"
          "    n: {random: {dist: integer, low: 1, high: 6, n: 2}}\n");
  ASSERT_EQ(plan.task_count(), 6u);
  const auto& axes = plan.axes();
  ASSERT_EQ(axes.size(), 2u);

  boost::random::mt19937_64 y_engine(axis_stream_seed(42, "y"));
  boost::random::normal_distribution<double> normal(1, 2);
  for (const ParamValue& v : axes[0].values[0]) EXPECT_EQ(std::get<double>(v), normal(y_engine));

  boost::random::mt19937_64 x_engine(axis_stream_seed(42, "x"));
  boost::random::uniform_real_distribution<double> log_uniform(std::log(0.1), std::log(10.0));
  for (const ParamValue& v : axes[1].values[0]) EXPECT_EQ(std::get<double>(v), std::exp(log_uniform(x_engine)));

  boost::random::mt19937_64 n_engine(axis_stream_seed(42, "n"));
  boost::random::uniform_int_distribution<std::int64_t> dice(1, 6);
  for (const ParamValue& v : axes[1].values[1]) EXPECT_EQ(std::get<std::int64_t>(v), dice(n_engine));
}

TEST(SweepRandomAxes, SameConfigGivesSameValues) {
  const std::string body = "sweep:\n  y: {random: {dist: normal, mean: 0, sd: 1, n: 20}}\n";
  EXPECT_EQ(reals(toy(body), "y"), reals(toy(body), "y"));
}

TEST(SweepRandomAxes, ValuesDependOnTheRunSeed) {
  const std::string body = "sweep:\n  y: {random: {dist: normal, mean: 0, sd: 1, n: 20}}\n";
  const SweepPlan a = plan_from_text("experiment: test.toy\nseed: 1\n" + body, "a.yaml");
  const SweepPlan b = plan_from_text("experiment: test.toy\nseed: 2\n" + body, "b.yaml");
  EXPECT_NE(reals(a, "y"), reals(b, "y"));
}

TEST(SweepRandomAxes, ValuesDependOnTheAxisNameNotItsPosition) {
  const SweepPlan alone = toy("sweep:\n  y: {random: {dist: uniform, low: 0, high: 1, n: 4}}\n");
  const SweepPlan after = toy("sweep:\n  mode: [fast, slow]\n  y: {random: {dist: uniform, low: 0, high: 1, n: 4}}\n");
  const SweepPlan other = toy("sweep:\n  z: {random: {dist: uniform, low: 0, high: 1, n: 4}}\n");
  EXPECT_EQ(alone.axes()[0].values[0], after.axes()[1].values[0]);
  EXPECT_NE(alone.axes()[0].values[0], other.axes()[0].values[0]);
}

TEST(SweepRandomAxes, MoreDrawsExtendFewerDraws) {
  const SweepPlan three = toy("sweep:\n  y: {random: {dist: normal, mean: 0, sd: 1, n: 3}}\n");
  const SweepPlan five = toy("sweep:\n  y: {random: {dist: normal, mean: 0, sd: 1, n: 5}}\n");
  const auto& a = three.axes()[0].values[0];
  const auto& b = five.axes()[0].values[0];
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin()));
}

TEST(SweepRandomAxes, BadSpecificationsAreErrors) {
  EXPECT_THAT(toy_error("sweep:\n  x: {random: {dist: gamma, n: 2, low: 0, high: 1}}\n").what(),
              HasSubstr("unknown distribution 'gamma'"));
  EXPECT_THAT(toy_error("sweep:\n  x: {random: {dist: uniform, n: 2, low: 0}}\n").what(),
              HasSubstr("missing key 'high'"));
  EXPECT_THAT(toy_error("sweep:\n  x: {random: {dist: uniform, n: 2, mean: 0, sd: 1}}\n").what(),
              HasSubstr("unknown key 'mean' for dist uniform"));
  EXPECT_THAT(toy_error("sweep:\n  x: {random: {dist: normal, n: 2, mean: 0, sd: 0}}\n").what(),
              HasSubstr("sd must be positive"));
  EXPECT_THAT(toy_error("sweep:\n  x: {random: {dist: loguniform, n: 2, low: 0, high: 1}}\n").what(),
              HasSubstr("needs low > 0"));
  EXPECT_THAT(toy_error("sweep:\n  x: {random: {dist: uniform, low: 0, high: 1}}\n").what(),
              HasSubstr("missing key 'n'"));
  EXPECT_THAT(toy_error("sweep:\n  n: {random: {dist: uniform, n: 2, low: 1, high: 5}}\n").what(),
              HasSubstr("is not an integer"));
  EXPECT_THAT(toy_error("sweep:\n  x: {random: {dist: uniform, n: 2, low: 5, high: 20}}\n").what(),
              HasSubstr("out of range [0, 10]"));
}

// ---------------------------------------------------------------------------
// Task order, zip, seeds, defaults

TEST(SweepTasks, CartesianProductInConfigOrderWithLastAxisFastest) {
  const SweepPlan plan = toy("sweep:\n  x: [1, 2]\n  mode: [fast, slow, exact]\n");
  ASSERT_EQ(plan.task_count(), 6u);
  EXPECT_THAT(reals(plan, "x"), ElementsAre(1, 1, 1, 2, 2, 2));
  EXPECT_THAT(choices(plan, "mode"), ElementsAre("fast", "slow", "exact", "fast", "slow", "exact"));
}

TEST(SweepTasks, ZipAxesAdvanceTogether) {
  const SweepPlan plan = toy("sweep:\n  zip:\n    x: [1, 2, 3]\n    z: [-1, -2, -3]\n");
  ASSERT_EQ(plan.task_count(), 3u);
  EXPECT_THAT(reals(plan, "x"), ElementsAre(1, 2, 3));
  EXPECT_THAT(reals(plan, "z"), ElementsAre(-1, -2, -3));
}

TEST(SweepTasks, ZipGroupTakesItsPlaceInTheAxisOrder) {
  const SweepPlan plan = toy("sweep:\n  mode: [fast, slow]\n  zip:\n    x: [1, 2]\n    z: [3, 4]\n  y: [7, 8, 9]\n");
  ASSERT_EQ(plan.task_count(), 12u);
  EXPECT_THAT(choices(plan, "mode"), ElementsAre("fast", "fast", "fast", "fast", "fast", "fast", "slow", "slow", "slow",
                                                 "slow", "slow", "slow"));
  EXPECT_THAT(reals(plan, "x"), ElementsAre(1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2));
  EXPECT_THAT(reals(plan, "z"), ElementsAre(3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4));
  EXPECT_THAT(reals(plan, "y"), ElementsAre(7, 8, 9, 7, 8, 9, 7, 8, 9, 7, 8, 9));
}

TEST(SweepTasks, ZipListHoldsSeveralGroupsInOrder) {
  const SweepPlan plan = toy("sweep:\n  zip:\n    - {x: [1, 2], z: [3, 4]}\n    - {y: [5, 6, 7], n: [1, 2, 3]}\n");
  ASSERT_EQ(plan.task_count(), 6u);
  EXPECT_THAT(reals(plan, "x"), ElementsAre(1, 1, 1, 2, 2, 2));
  EXPECT_THAT(reals(plan, "y"), ElementsAre(5, 6, 7, 5, 6, 7));
  EXPECT_THAT(integers(plan, "n"), ElementsAre(1, 2, 3, 1, 2, 3));
}

TEST(SweepTasks, ZipAxesOfDifferentLengthsAreAnError) {
  const InputError e = toy_error("sweep:\n  zip:\n    x: [1, 2, 3]\n    z: [1, 2]\n");
  EXPECT_EQ(e.key(), "sweep.zip.z");
  EXPECT_EQ(e.where(), "toy.yaml:6");
  EXPECT_THAT(e.what(), HasSubstr("'z' has 2 values but 'x' has 3"));
  EXPECT_EQ(toy_error("sweep:\n  zip:\n    - {x: [1]}\n    - {y: [1, 2], z: [1, 2, 3]}\n").key(), "sweep.zip.1.z");
}

TEST(SweepTasks, ParameterSweptTwiceIsAnError) {
  EXPECT_THAT(toy_error("sweep:\n  x: [1, 2]\n  zip:\n    x: [1, 2]\n    z: [1, 2]\n").what(),
              HasSubstr("swept twice"));
}

TEST(SweepTasks, TaskSeedIsDeriveSeedOfRunSeedAndTaskIndex) {
  const SweepPlan plan = toy("sweep:\n  x: [1, 2, 3]\n");
  for (std::uint64_t k = 0; k < plan.task_count(); ++k) EXPECT_EQ(plan.task_seed(k), derive_seed(42, k));
}

TEST(SweepTasks, NoSweepMeansOneTaskWithDefaults) {
  const SweepPlan plan = toy("");
  ASSERT_EQ(plan.task_count(), 1u);
  const ParamPoint p = plan.point(0);
  EXPECT_EQ(p.real("x"), 1.5);
  EXPECT_EQ(p.integer("n"), 10);
  EXPECT_EQ(p.choice("mode"), "fast");
  EXPECT_EQ(toy("params:\nsweep:\n").task_count(), 1u);
}

TEST(SweepTasks, FixedParametersReplaceDefaultsAndAxesTheRest) {
  const SweepPlan plan = toy("params:\n  mode: slow\n  n: 7\nsweep:\n  x: [2, 3]\n");
  for (std::uint64_t k = 0; k < 2; ++k) {
    const ParamPoint p = plan.point(k);
    EXPECT_EQ(p.choice("mode"), "slow");
    EXPECT_EQ(p.integer("n"), 7);
    EXPECT_EQ(p.real("y"), 0.0);
    EXPECT_EQ(p.real("x"), 2.0 + static_cast<double>(k));
  }
}

TEST(SweepTasks, TaskCountAboveOneBillionIsAnError) {
  const InputError e = toy_error("sweep:\n  y: {linspace: [0, 1, 100000]}\n  z: {linspace: [0, 1, 100000]}\n");
  EXPECT_EQ(e.key(), "sweep.z");
  EXPECT_THAT(e.what(), HasSubstr("more than 1000000000 tasks (axis lengths 100000 x 100000)"));
}

TEST(SweepTasks, HugeAxisIsRejectedBeforeItIsMade) {
  EXPECT_THAT(toy_error("sweep:\n  y: {range: [0, 1e12, 1]}\n").what(), HasSubstr("more than the limit of 10000000"));
  EXPECT_THAT(toy_error("sweep:\n  y: {random: {dist: normal, mean: 0, sd: 1, n: 1e15}}\n").what(),
              HasSubstr("more than the limit"));
}

// ---------------------------------------------------------------------------
// Values and their types

TEST(SweepValues, RealAcceptsIntegersAndFloats) {
  EXPECT_THAT(reals(toy("sweep:\n  y: [1, -2.5, 1e3, +4, .5]\n"), "y"), ElementsAre(1, -2.5, 1000, 4, 0.5));
}

TEST(SweepValues, QuotingDoesNotChangeHowAScalarIsRead) {
  EXPECT_EQ(toy("params:\n  x: '2.5'\n").point(0).real("x"), 2.5);
}

TEST(SweepValues, IntegerAcceptsOnlyIntegralValues) {
  EXPECT_THAT(integers(toy("sweep:\n  n: [3, 4.0, 1e2]\n"), "n"), ElementsAre(3, 4, 100));
  const InputError e = toy_error("params:\n  n: 2.5\n");
  EXPECT_EQ(e.key(), "params.n");
  EXPECT_THAT(e.what(), HasSubstr("expected an integer, found '2.5'"));
}

TEST(SweepValues, ValuesOutsideTheParameterRangeAreRejected) {
  const InputError e = toy_error("sweep:\n  x:\n    - 1\n    - 10.5\n");
  EXPECT_EQ(std::string(e.what()), "toy.yaml:6: key 'sweep.x': value 10.5 is out of range [0, 10]");
  EXPECT_THAT(toy_error("params:\n  n: 0\n").what(), HasSubstr("value 0 is out of range [1, 1000]"));
}

TEST(SweepValues, NanAndInfinityAreRejected) {
  EXPECT_THAT(toy_error("params:\n  y: .nan\n").what(), HasSubstr("value .nan is not a finite number"));
  EXPECT_THAT(toy_error("params:\n  y: -.inf\n").what(), HasSubstr("value -.inf is not a finite number"));
  EXPECT_THAT(toy_error("params:\n  y: 1e999\n").what(), HasSubstr("not a finite number"));
  EXPECT_THAT(toy_error("sweep:\n  y: [1, nan]\n").what(), HasSubstr("not a finite number"));
}

TEST(SweepValues, WrongTypeSaysWhatWasFoundAndExpected) {
  EXPECT_THAT(toy_error("params:\n  x: abc\n").what(),
              HasSubstr("key 'params.x': expected a real number, found 'abc'"));
  EXPECT_THAT(toy_error("params:\n  x: [1, 2]\n").what(), HasSubstr("found a list (a parameter given several values"));
  EXPECT_THAT(toy_error("params:\n  x:\n").what(), HasSubstr("expected a real number, found nothing"));
}

TEST(SweepValues, ChoiceAcceptsOnlyItsLabels) {
  EXPECT_THAT(toy_error("params:\n  mode: slwo\n").what(),
              HasSubstr("expected one of {fast, slow, exact}, found 'slwo' (did you mean 'slow'?)"));
}

// ---------------------------------------------------------------------------
// Top level

TEST(SweepConfigKeys, UnknownExperimentListsTheKnownOnes) {
  const InputError e = input_error([] { plan_from_text("experiment: foo\nseed: 1\n", "c.yaml"); });
  EXPECT_EQ(e.key(), "experiment");
  EXPECT_EQ(e.where(), "c.yaml:1");
  EXPECT_THAT(e.what(), HasSubstr("unknown experiment 'foo' (known: test.toy, testdesign.evaluate)"));
}

TEST(SweepConfigKeys, UnknownTopLevelKeyListsTheExpectedOnes) {
  const InputError e = toy_error("sweeps:\n  x: [1]\n");
  EXPECT_EQ(std::string(e.what()),
            "toy.yaml:3: key 'sweeps': unknown key 'sweeps' (expected one of: experiment, seed, params, sweep, "
            "description) (did you mean 'sweep'?)");
}

TEST(SweepConfigKeys, UnknownParameterSuggestsTheClosest) {
  const InputError e = input_error(
      [] { plan_from_text("experiment: testdesign.evaluate\nseed: 1\nsweep:\n  agnle_deg: [1]\n", "c.yaml"); });
  EXPECT_EQ(std::string(e.what()),
            "c.yaml:4: key 'sweep.agnle_deg': unknown parameter 'agnle_deg' for experiment testdesign.evaluate (did "
            "you mean 'angle_deg'?)");
  EXPECT_THAT(toy_error("params:\n  qqqqq: 1\n").what(), HasSubstr("(parameters: x, n, mode, y, z)"));
}

TEST(SweepConfigKeys, ExperimentAndSeedAreRequired) {
  const InputError no_seed = input_error([] { plan_from_text("experiment: test.toy\n", "c.yaml"); });
  EXPECT_EQ(no_seed.key(), "seed");
  EXPECT_THAT(no_seed.what(), HasSubstr("missing required key 'seed'"));
  EXPECT_EQ(input_error([] { plan_from_text("seed: 3\n", "c.yaml"); }).key(), "experiment");
  EXPECT_EQ(input_error([] { plan_from_text("", "c.yaml"); }).key(), "experiment");
}

TEST(SweepConfigKeys, SeedIsAnUnsigned64BitInteger) {
  EXPECT_EQ(plan_from_text("experiment: test.toy\nseed: 18446744073709551615\n", "c").run_seed(),
            18446744073709551615ULL);
  EXPECT_THAT(input_error([] { plan_from_text("experiment: test.toy\nseed: 18446744073709551616\n", "c"); }).what(),
              HasSubstr("does not fit"));
  EXPECT_THAT(input_error([] { plan_from_text("experiment: test.toy\nseed: -1\n", "c"); }).what(),
              HasSubstr("expected an unsigned 64-bit integer, found '-1'"));
  EXPECT_THAT(input_error([] { plan_from_text("experiment: test.toy\nseed: 1.5\n", "c"); }).what(),
              HasSubstr("expected an unsigned 64-bit integer"));
}

TEST(SweepConfigKeys, DescriptionIsFreeText) {
  EXPECT_EQ(toy("description: \"a sweep: of things # not a comment\"\n").task_count(), 1u);
  EXPECT_THAT(toy_error("description: [a, b]\n").what(), HasSubstr("expected free text"));
}

TEST(SweepConfigKeys, ParameterBothFixedAndSweptIsAnError) {
  const InputError e = toy_error("params:\n  x: 1\nsweep:\n  x: [1, 2]\n");
  EXPECT_EQ(e.key(), "sweep.x");
  EXPECT_EQ(e.where(), "toy.yaml:6");
  EXPECT_THAT(e.what(), HasSubstr("both fixed (params.x at toy.yaml:4) and swept"));
}

TEST(SweepConfigKeys, DuplicateKeysAreAnError) {
  const InputError e = toy_error("params:\n  x: 1\n  x: 2\n");
  EXPECT_EQ(e.key(), "params.x");
  EXPECT_EQ(e.where(), "toy.yaml:5");
  EXPECT_THAT(e.what(), HasSubstr("duplicate key 'x' (first given at toy.yaml:4)"));
}

TEST(SweepConfigKeys, YamlSyntaxErrorNamesTheParserLine) {
  const InputError e = toy_error("params:\n  x: [1, 2\n  y: 3\n]]\n");
  EXPECT_THAT(e.where(), HasSubstr("toy.yaml:"));
  EXPECT_THAT(e.what(), HasSubstr("invalid YAML"));
  EXPECT_EQ(e.key(), "");
}

TEST(SweepConfigKeys, ConfigMustBeOneMap) {
  EXPECT_THAT(input_error([] { plan_from_text("- a\n- b\n", "c"); }).what(), HasSubstr("expected a map with keys"));
  EXPECT_THAT(input_error([] { plan_from_text("a: 1\n---\nb: 2\n", "c"); }).what(), HasSubstr("a second document starts here"));
}

TEST(SweepConfigKeys, MissingFileCannotBeRead) {
  const InputError e = input_error([] { load_plan("/nonexistent/sweep.yaml", {}); });
  EXPECT_EQ(e.where(), "/nonexistent/sweep.yaml");
  EXPECT_THAT(e.what(), HasSubstr("cannot read config file"));
}

TEST(SweepConfigKeys, PlanRemembersItsOrigin) {
  TempDir dir;
  const auto file = dir.write("ok.yaml", kHead);
  EXPECT_EQ(load_plan(file, {}).origin(), file.string());
  EXPECT_EQ(plan_from_text(kHead, "store:run.h5").origin(), "store:run.h5");
}

// ---------------------------------------------------------------------------
// --set overrides

SweepPlan toy_with(const std::string& body, std::vector<std::string> overrides) {
  TempDir dir;
  return load_plan(dir.write("toy.yaml", kHead + body), overrides);
}

template <typename... Overrides>
InputError override_error(const std::string& body, Overrides... overrides) {
  return input_error([&] { toy_with(body, {overrides...}); });
}

TEST(SweepOverrides, SetFixedParameterSeedAndAxis) {
  const SweepPlan plan = toy_with("params:\n  mode: fast\n", {"params.mode=slow", "seed=7", "sweep.x=[3, 4]"});
  EXPECT_EQ(plan.run_seed(), 7u);
  EXPECT_THAT(choices(plan, "mode"), ElementsAre("slow", "slow"));
  EXPECT_THAT(reals(plan, "x"), ElementsAre(3, 4));
}

TEST(SweepOverrides, ValueIsParsedAsYaml) {
  const SweepPlan plan = toy_with("", {"sweep.y={linspace: [0, 1, 3]}", "params.mode = exact"});
  EXPECT_THAT(reals(plan, "y"), ElementsAre(0, 0.5, 1));
  EXPECT_EQ(plan.point(0).choice("mode"), "exact");
}

TEST(SweepOverrides, SettingASweptParameterUnderParamsMovesItOutOfTheSweep) {
  const SweepPlan plan = toy_with("sweep:\n  x: [1, 2]\n  y: [5, 6]\n", {"params.x=3"});
  EXPECT_EQ(plan.task_count(), 2u);
  EXPECT_THAT(reals(plan, "x"), ElementsAre(3, 3));
  EXPECT_EQ(plan.config_text(), "experiment: test.toy\nseed: 42\nsweep:\n  y:\n    - 5\n    - 6\nparams:\n  x: 3\n");
}

TEST(SweepOverrides, SweepingAFixedParameterMovesItOutOfParams) {
  const SweepPlan plan = toy_with("params:\n  x: 1\n  y: 2\n", {"sweep.x=[1, 2, 3]"});
  EXPECT_THAT(reals(plan, "x"), ElementsAre(1, 2, 3));
  EXPECT_THAT(reals(plan, "y"), ElementsAre(2, 2, 2));
}

TEST(SweepOverrides, MovingTheLastAxisOutOfAZipGroupDropsTheGroup) {
  const std::string body = "sweep:\n  zip:\n    - {x: [1, 2]}\n    - {y: [3, 4], z: [1, 2]}\n  mode: [fast, slow]\n";
  const SweepPlan plan = toy_with(body, {"params.x=5", "sweep.y=[7]"});
  ASSERT_EQ(plan.axes().size(), 3u);
  EXPECT_THAT(plan.axes()[0].params, ElementsAre("z"));
  EXPECT_THAT(plan.axes()[1].params, ElementsAre("mode"));
  EXPECT_THAT(plan.axes()[2].params, ElementsAre("y"));
  EXPECT_EQ(plan.point(0).real("x"), 5.0);
}

TEST(SweepOverrides, SettingAZipMemberReplacesItInPlace) {
  const SweepPlan plan = toy_with("params:\n  z: 1\nsweep:\n  zip:\n    x: [1, 2]\n    y: [3, 4]\n",
                                  {"sweep.zip.y=[8, 9]", "sweep.zip.z=[0, 1]"});
  ASSERT_EQ(plan.axes().size(), 1u);
  EXPECT_THAT(plan.axes()[0].params, ElementsAre("x", "y", "z"));
  EXPECT_THAT(reals(plan, "y"), ElementsAre(8, 9));
  EXPECT_THAT(reals(plan, "z"), ElementsAre(0, 1));
}

TEST(SweepOverrides, MalformedOverridesAreInputErrorsAtSet) {
  for (const auto& bad : {"params.x", "=3", "params..x=3", "sweep.x=[1, 2", "params.x={a: 1, a: 2}"}) {
    const InputError e = override_error("", bad);
    EXPECT_EQ(e.where(), "--set") << bad;
    EXPECT_THAT(e.what(), HasSubstr("--set: ")) << bad;
  }
  EXPECT_THAT(override_error("", "params.x").what(), HasSubstr("expected dotted.key=value"));
  EXPECT_EQ(override_error("", "sweep.x=[1, 2").key(), "sweep.x");
}

TEST(SweepOverrides, InvalidOverriddenValuesAreReportedAtSet) {
  const InputError range = override_error("params:\n  x: 1\n", "params.x=200");
  EXPECT_EQ(std::string(range.what()), "--set: key 'params.x': value 200 is out of range [0, 10]");
  EXPECT_EQ(override_error("", "sweeps.x=[1]").where(), "--set");
  EXPECT_EQ(override_error("", "params.qq=1").key(), "params.qq");
  EXPECT_THAT(override_error("params: 3\n", "params.x=1").what(), HasSubstr("'params' is '3', not a map"));
  EXPECT_THAT(override_error("", "params.x=").what(), HasSubstr("found nothing"));
}

TEST(SweepOverrides, OverridesAreRecordedInTheConfigText) {
  const SweepPlan plan = toy_with("params:\n  y: 1\n", {"params.y=2", "description=tuned"});
  EXPECT_EQ(plan.config_text(), "experiment: test.toy\nseed: 42\nparams:\n  y: 2\ndescription: tuned\n");
}

// ---------------------------------------------------------------------------
// Canonical text, round trip, hash

TEST(SweepConfigText, IsBlockStyleInTheGivenKeyOrder) {
  const SweepPlan plan = plan_from_text(
      "# comment\nseed: 9   # trailing\nexperiment: test.toy\nsweep: {x: [1, 2], zip: [{y: {linspace: [0, 1, 2]}, "
      "z: [1, 2]}]}\nparams: {mode: slow}\n",
      "c.yaml");
  EXPECT_EQ(plan.config_text(),
            "seed: 9\n"
            "experiment: test.toy\n"
            "sweep:\n"
            "  x:\n"
            "    - 1\n"
            "    - 2\n"
            "  zip:\n"
            "    - y:\n"
            "        linspace:\n"
            "          - 0\n"
            "          - 1\n"
            "          - 2\n"
            "      z:\n"
            "        - 1\n"
            "        - 2\n"
            "params:\n"
            "  mode: slow\n");
}

TEST(SweepConfigText, RoundTripReproducesThePlanAndTheText) {
  const std::vector<std::string> configs = {
      kHead,
      kHead + "description: \"null\"\nparams:\n  mode: 'exact'\n  y: \"-7\"\n",
      kHead + "description: |\n  two lines:\n  with 'quotes' and # hashes\nsweep:\n  x: {range: [0.1, 0.9, 0.2]}\n",
      kHead +
          "sweep:\n  y: {random: {dist: normal, mean: 0, sd: 3, n: 4}}\n  zip:\n    - {x: [1, 2], z: [3, 4]}\n"
          "    - {n: {range: [1, 9, 4]}, mode: [fast, slow, exact]}\n",
      kHead + "params: {y: 1e-3}\nsweep:\n  x: {geomspace: [0.5, 8, 5]}\n  z: {logspace: [-1, 0.5, 3]}\n",
  };
  for (const std::string& config : configs) {
    const SweepPlan plan = plan_from_text(config, "c.yaml");
    const SweepPlan again = plan_from_text(plan.config_text(), "store:c.h5");
    expect_same_plan(plan, again);
    EXPECT_EQ(again.config_text(), plan.config_text()) << config;
    EXPECT_EQ(again.config_hash(), plan.config_hash());
  }
}

TEST(SweepConfigText, RoundTripKeepsOverrides) {
  const SweepPlan plan =
      toy_with("sweep:\n  x: [1, 2]\n",
               {"params.x=4", "sweep.y={random: {dist: uniform, low: 0, high: 1, n: 3}}", "description='a: b'"});
  const SweepPlan again = plan_from_text(plan.config_text(), "store:c.h5");
  expect_same_plan(plan, again);
  EXPECT_EQ(again.config_text(), plan.config_text());
}

TEST(SweepConfigText, QuotedNullWordStaysText) {
  const SweepPlan plan = toy("description: 'null'\n");
  EXPECT_THAT(plan.config_text(), HasSubstr("description: \"null\"\n"));
}

TEST(SweepConfigText, HashIsFnv1aOfTheTextAndStable) {
  const SweepPlan plan = toy("sweep:\n  x: [1, 2]\n");
  EXPECT_EQ(plan.config_hash(), fnv1a_hex(plan.config_text()));
  EXPECT_EQ(plan.config_text(), "experiment: test.toy\nseed: 42\nsweep:\n  x:\n    - 1\n    - 2\n");
  // Pinned: a change here changes the hash of every store ever written.
  EXPECT_EQ(plan.config_hash(), fnv1a_hex("experiment: test.toy\nseed: 42\nsweep:\n  x:\n    - 1\n    - 2\n"));
  EXPECT_EQ(plan.config_hash(), "58346f9f2277c3d6");
}

TEST(SweepConfigText, FormattingAndCommentsDoNotChangeTheHash) {
  const SweepPlan a = toy("sweep:\n  x: [1, 2]\n");
  const SweepPlan b = plan_from_text("# a comment\nexperiment:   test.toy\nseed: 42\nsweep: {x: [1,   2]}\n", "b.yaml");
  EXPECT_EQ(a.config_hash(), b.config_hash());
}

// ---------------------------------------------------------------------------
// The bad-config table shared with the CLI tests (tests/bad_inputs/cases.txt).

struct BadCase {
  std::string file;
  std::string key;  // "-": the error names no key
  int line = 0;
};

std::filesystem::path bad_inputs_dir() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "tests" / "bad_inputs";
}

std::vector<BadCase> read_bad_cases(const char* list = "cases.txt") {
  std::ifstream in(bad_inputs_dir() / list);
  std::vector<BadCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    std::istringstream fields(line);
    BadCase c;
    if (fields >> c.file >> c.key >> c.line) cases.push_back(c);
  }
  return cases;
}

TEST(SweepBadConfigs, EveryCaseIsAnInputErrorNamingFileKeyAndLine) {
  const std::vector<BadCase> cases = read_bad_cases();
  ASSERT_GE(cases.size(), 12u) << "cannot read " << (bad_inputs_dir() / "cases.txt");
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.file);
    const std::filesystem::path file = bad_inputs_dir() / c.file;
    ASSERT_TRUE(std::filesystem::exists(file));
    try {
      load_plan(file, {});
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_THAT(what, HasSubstr(c.file + ":" + std::to_string(c.line) + ": ")) << what;
      EXPECT_EQ(e.where(), file.string() + ":" + std::to_string(c.line));
      if (c.key == "-") {
        EXPECT_EQ(e.key(), "") << what;
      } else {
        EXPECT_THAT(e.key(), HasSubstr(c.key)) << what;
        EXPECT_THAT(what, HasSubstr(c.key));
      }
      EXPECT_EQ(e.status(), ExitStatus::bad_input);
    }
  }
}

TEST(SweepBadConfigs, EveryFileInTheFolderIsACase) {
  std::vector<std::string> listed;
  for (const BadCase& c : read_bad_cases()) listed.push_back(c.file);
  // Combinations only the real experiments reject; tests/e2e runs them.
  for (const BadCase& c : read_bad_cases("semantic_cases.txt")) listed.push_back(c.file);
  for (const BadCase& c : read_bad_cases("experiment_cases.txt")) listed.push_back(c.file);
  for (const auto& entry : std::filesystem::directory_iterator(bad_inputs_dir())) {
    if (entry.path().extension() != ".yaml") continue;
    EXPECT_NE(std::find(listed.begin(), listed.end(), entry.path().filename().string()), listed.end())
        << entry.path() << " is not listed in cases.txt, semantic_cases.txt or experiment_cases.txt";
  }
}

}  // namespace
}  // namespace mechsweep
