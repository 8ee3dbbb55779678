#include "runner/scheduler.hpp"

#include <gtest/gtest.h>

namespace mechsweep::runner {
namespace {

TEST(ChunkSizer, HandsOutSingleTasksUntilATaskHasBeenTimed) {
  const ChunkSizer sizer;
  EXPECT_EQ(sizer.next(1000, 2), 1u);
}

TEST(ChunkSizer, ChunkTakesAboutTheTargetTime) {
  ChunkSizer sizer(0.25, 100000);
  for (int i = 0; i < 10; ++i) sizer.record(0.001);
  EXPECT_EQ(sizer.next(1'000'000, 2), 250u);
}

TEST(ChunkSizer, LongTasksGoOneAtATime) {
  ChunkSizer sizer(0.25);
  sizer.record(5.0);
  EXPECT_EQ(sizer.next(1000, 4), 1u);
}

TEST(ChunkSizer, TailChunksShrinkSoNoRankIdlesAtTheEnd) {
  ChunkSizer sizer(0.25, 100000);
  sizer.record(1e-6);  // would ask for 250000 tasks
  EXPECT_EQ(sizer.next(40, 4), 5u);  // ceil(40 / (2 * 4))
  EXPECT_EQ(sizer.next(3, 4), 1u);
}

TEST(ChunkSizer, NeverExceedsTheCapOrWhatIsLeft) {
  ChunkSizer sizer(10.0, 64);
  sizer.record(1e-6);
  EXPECT_EQ(sizer.next(1'000'000, 1), 64u);
  EXPECT_EQ(sizer.next(0, 1), 0u);
}

TEST(ChunkSizer, FollowsDriftInTaskTime) {
  ChunkSizer sizer(1.0, 1'000'000);
  for (int i = 0; i < 100; ++i) sizer.record(0.001);
  for (int i = 0; i < 200; ++i) sizer.record(0.1);
  EXPECT_NEAR(sizer.mean_task_seconds(), 0.1, 0.01);
}

TEST(TaskQueue, HandsOutTasksInOrderExactlyOnce) {
  TaskQueue queue({3, 4, 5, 9, 10});
  EXPECT_EQ(queue.take(2), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(queue.take(10), (std::vector<std::uint64_t>{5, 9, 10}));
  EXPECT_TRUE(queue.empty());
  EXPECT_TRUE(queue.take(1).empty());
}

TEST(ConsecutiveRuns, SplitsAtGaps) {
  const std::vector<std::uint64_t> tasks{0, 1, 2, 5, 7, 8};
  const auto runs = consecutive_runs(tasks);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].first, 0u);
  EXPECT_EQ(runs[0].count, 3u);
  EXPECT_EQ(runs[1].first, 5u);
  EXPECT_EQ(runs[1].count, 1u);
  EXPECT_EQ(runs[2].first, 7u);
  EXPECT_EQ(runs[2].count, 2u);
}

}  // namespace
}  // namespace mechsweep::runner
