// Shards (src/core/shard.hpp): the slices `run --shard I/K` executes.
#include "core/shard.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mechsweep {
namespace {

TEST(Shard, SlicesCoverEveryTaskOnceInOrder) {
  for (const std::uint64_t tasks : {0ull, 1ull, 2ull, 7ull, 600ull, 1001ull}) {
    for (const std::uint64_t count : {1ull, 2ull, 3ull, 7ull, 10ull}) {
      std::uint64_t next = 0;
      for (std::uint64_t index = 0; index < count; ++index) {
        const Shard shard{index, count};
        EXPECT_EQ(shard.first(tasks), next) << tasks << " tasks, shard " << shard.text();
        EXPECT_EQ(shard.first(tasks), index * tasks / count);
        EXPECT_LE(shard.end(tasks) - shard.first(tasks), tasks / count + 1);
        EXPECT_GE(shard.end(tasks) - shard.first(tasks), tasks / count);
        next = shard.end(tasks);
      }
      EXPECT_EQ(next, tasks);
    }
  }
}

TEST(Shard, LargePlansDoNotOverflow) {
  const std::uint64_t tasks = 1'000'000'000;
  const Shard last{kMaxShardCount - 1, kMaxShardCount};
  EXPECT_EQ(last.end(tasks), tasks);
  EXPECT_EQ(last.first(tasks), tasks - 1);  // T < K: only some shards hold a task
  EXPECT_EQ((Shard{2, 3}.first(tasks)), 666'666'666u);
}

TEST(Shard, ParsesIOfK) {
  EXPECT_EQ(parse_shard("0/1"), (Shard{0, 1}));
  EXPECT_EQ(parse_shard("2/3"), (Shard{2, 3}));
  EXPECT_EQ(parse_shard("2/3").text(), "2/3");
}

TEST(Shard, RejectsBadTextNamingTheFlag) {
  for (const std::string bad :
       {"3", "3/3", "4/3", "0/0", "-1/3", "a/3", "1/", "/3", "1/3/4", " 1/3", "1/99999999999"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << "'" << bad << "' was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.key(), "--shard");
      EXPECT_EQ(e.status(), ExitStatus::bad_input);
      EXPECT_NE(std::string(e.what()).find("'" + bad + "'"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace mechsweep
