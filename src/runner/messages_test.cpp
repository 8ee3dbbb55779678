#include "runner/messages.hpp"

#include <gtest/gtest.h>

#include "runner/mpi.hpp"

namespace mechsweep::runner {
namespace {

TEST(Messages, WorkRequestSurvivesSerialization) {
  WorkRequest request;
  request.reports.push_back({42, 2, 0.5, "boom: bad input"});
  request.reports.push_back({43, 1, 1e-6, ""});
  const auto back = deserialize<WorkRequest>(serialize(request));
  ASSERT_EQ(back.reports.size(), 2u);
  EXPECT_EQ(back.reports[0].task, 42u);
  EXPECT_EQ(back.reports[0].status, 2);
  EXPECT_EQ(back.reports[0].seconds, 0.5);
  EXPECT_EQ(back.reports[0].error, "boom: bad input");
  EXPECT_EQ(back.reports[1].task, 43u);
  EXPECT_EQ(back.stop_signal, 0);
}

TEST(Messages, WorkRequestCarriesTheStopSignal) {
  WorkRequest request;
  request.stop_signal = 15;
  EXPECT_EQ(deserialize<WorkRequest>(serialize(request)).stop_signal, 15);
}

TEST(Messages, EmptyAssignmentMeansStop) {
  EXPECT_TRUE(deserialize<WorkAssignment>(serialize(WorkAssignment{})).is_stop());
  const auto back = deserialize<WorkAssignment>(serialize(WorkAssignment{{7, 8, 9}}));
  EXPECT_FALSE(back.is_stop());
  EXPECT_EQ(back.tasks, (std::vector<std::uint64_t>{7, 8, 9}));
}

}  // namespace
}  // namespace mechsweep::runner
