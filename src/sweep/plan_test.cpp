#include "sweep/plan.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/seed.hpp"

namespace mechsweep {
namespace {

using ::testing::ElementsAre;

// Not registered: SweepPlan takes any experiment.
class PlanExperiment : public Experiment {
 public:
  PlanExperiment() {
    info_.name = "test.plan";
    info_.params = {
        {"a", ParamType::real, 0.5, 0.0, 1.0, {}, ""},
        {"b", ParamType::integer, std::int64_t{3}, 0.0, 100.0, {}, ""},
        {"c", ParamType::choice, std::string("u"), 0.0, 0.0, {"u", "v"}, ""},
    };
  }
  const ExperimentInfo& info() const override { return info_; }
  void run(const ParamPoint&, std::uint64_t, ResultRow&) const override {}

 private:
  ExperimentInfo info_;
};

std::vector<ParamValue> defaults() { return {0.5, std::int64_t{3}, std::string("u")}; }

AxisGroup axis(std::string name, std::vector<ParamValue> values) {
  return AxisGroup{{std::move(name)}, {std::move(values)}};
}

TEST(SweepPlan, TaskCountIsTheProductOfGroupSizes) {
  const PlanExperiment e;
  const SweepPlan plan(e, 1, defaults(), {axis("a", {0.1, 0.2, 0.3}), axis("c", {std::string("u"), std::string("v")})},
                       "text", "here");
  EXPECT_EQ(plan.task_count(), 6u);
  EXPECT_EQ(SweepPlan(e, 1, defaults(), {}, "text", "here").task_count(), 1u);
}

TEST(SweepPlan, PointIsMixedRadixWithLastGroupFastest) {
  const PlanExperiment e;
  AxisGroup zip{{"b", "a"}, {{std::int64_t{7}, std::int64_t{8}}, {0.7, 0.8}}};
  const SweepPlan plan(e, 1, defaults(), {axis("c", {std::string("u"), std::string("v")}), zip}, "", "");
  ASSERT_EQ(plan.task_count(), 4u);
  std::vector<std::string> c;
  std::vector<std::int64_t> b;
  std::vector<double> a;
  for (std::uint64_t k = 0; k < 4; ++k) {
    const ParamPoint p = plan.point(k);
    c.push_back(p.choice("c"));
    b.push_back(p.integer("b"));
    a.push_back(p.real("a"));
  }
  EXPECT_THAT(c, ElementsAre("u", "u", "v", "v"));
  EXPECT_THAT(b, ElementsAre(7, 8, 7, 8));
  EXPECT_THAT(a, ElementsAre(0.7, 0.8, 0.7, 0.8));
}

TEST(SweepPlan, UnsweptParametersKeepTheirFixedValues) {
  const PlanExperiment e;
  std::vector<ParamValue> fixed = defaults();
  fixed[1] = std::int64_t{42};
  const SweepPlan plan(e, 1, fixed, {axis("a", {0.1, 0.2})}, "", "");
  EXPECT_EQ(plan.point(1).integer("b"), 42);
  EXPECT_EQ(plan.point(1).choice("c"), "u");
  EXPECT_EQ(plan.point(1).real("a"), 0.2);
}

TEST(SweepPlan, TaskSeedIsDeriveSeed) {
  const PlanExperiment e;
  const SweepPlan plan(e, 99, defaults(), {axis("a", {0.1, 0.2})}, "", "");
  EXPECT_EQ(plan.task_seed(0), derive_seed(99, 0));
  EXPECT_EQ(plan.task_seed(1), derive_seed(99, 1));
  EXPECT_NE(plan.task_seed(0), plan.task_seed(1));
}

TEST(SweepPlan, PointPastTheLastTaskThrows) {
  const PlanExperiment e;
  const SweepPlan plan(e, 1, defaults(), {axis("a", {0.1, 0.2})}, "", "");
  EXPECT_THROW(plan.point(2), Error);
}

TEST(SweepPlan, InconsistentInputsAreInternalErrors) {
  const PlanExperiment e;
  EXPECT_THROW(SweepPlan(e, 1, {0.5}, {}, "", ""), Error);
  EXPECT_THROW(SweepPlan(e, 1, defaults(), {axis("nope", {0.1})}, "", ""), Error);
  EXPECT_THROW(SweepPlan(e, 1, defaults(), {axis("a", {})}, "", ""), Error);
  EXPECT_THROW(SweepPlan(e, 1, defaults(), {axis("b", {0.5})}, "", ""), Error);
  EXPECT_THROW(SweepPlan(e, 1, defaults(), {axis("a", {0.1}), axis("a", {0.2})}, "", ""), Error);
  EXPECT_THROW(SweepPlan(e, 1, defaults(), {AxisGroup{{"a", "b"}, {{0.1, 0.2}, {std::int64_t{1}}}}}, "", ""), Error);
}

TEST(SweepPlan, ConfigHashIsFnv1aHexOfConfigText) {
  const PlanExperiment e;
  const SweepPlan plan(e, 1, defaults(), {}, "foobar", "origin");
  EXPECT_EQ(plan.config_hash(), "85944171f73967e8");
  EXPECT_EQ(plan.config_text(), "foobar");
  EXPECT_EQ(plan.origin(), "origin");
}

TEST(Fnv1a, MatchesPublishedTestVectors) {
  // Vectors from the FNV reference (Fowler, Noll, Vo): 64-bit FNV-1a.
  EXPECT_EQ(fnv1a_hex(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a_hex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(fnv1a_hex("foobar"), "85944171f73967e8");
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
}

TEST(Fnv1a, HexHasSixteenDigitsWithLeadingZeros) {
  for (const std::string text : {"", "x", "leading zeros?", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) {
    EXPECT_EQ(fnv1a_hex(text).size(), 16u);
  }
}

}  // namespace
}  // namespace mechsweep
