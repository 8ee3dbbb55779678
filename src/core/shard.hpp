#pragma once
// A shard I/K of a plan of T tasks: the contiguous task ids
// [floor(I*T/K), floor((I+1)*T/K)). The K slices cover every task exactly once,
// their sizes differ by at most one, and they depend only on I, K and T.

#include <cstdint>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace mechsweep {

struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;

  // floor(i * tasks / count) without overflow: count < 2^32, so r * i < 2^64.
  static std::uint64_t boundary(std::uint64_t i, std::uint64_t count, std::uint64_t tasks) {
    return (tasks / count) * i + (tasks % count) * i / count;
  }
  std::uint64_t first(std::uint64_t tasks) const { return boundary(index, count, tasks); }
  std::uint64_t end(std::uint64_t tasks) const { return boundary(index + 1, count, tasks); }
  bool contains(std::uint64_t task, std::uint64_t tasks) const { return task >= first(tasks) && task < end(tasks); }
  bool is_whole() const { return count == 1; }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
  friend bool operator==(const Shard&, const Shard&) = default;
};

constexpr std::uint64_t kMaxShardCount = std::numeric_limits<std::uint32_t>::max();

// Parses "I/K" (0 <= I < K, 1 <= K < 2^32); throws InputError naming `flag`.
inline Shard parse_shard(const std::string& text, const std::string& flag = "--shard") {
  const auto fail = [&](const std::string& problem) -> Shard {
    throw InputError("", flag, "'" + text + "' " + problem);
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) return fail("is not of the form I/K (shard I of K, counting from 0), e.g. 0/4");
  const auto number = [&](const std::string& part, const char* what) -> std::uint64_t {
    if (part.empty() || part.size() > 10 || part.find_first_not_of("0123456789") != std::string::npos) {
      fail(std::string("has ") + what + " '" + part + "', expected a non-negative integer");
    }
    return std::stoull(part);
  };
  Shard shard;
  shard.index = number(text.substr(0, slash), "shard index");
  shard.count = number(text.substr(slash + 1), "shard count");
  if (shard.count == 0) return fail("has shard count 0; it must be at least 1");
  if (shard.count > kMaxShardCount) return fail("has more than " + std::to_string(kMaxShardCount) + " shards");
  if (shard.index >= shard.count) {
    return fail("has shard index " + std::to_string(shard.index) + ", but shards are numbered 0 to " +
                std::to_string(shard.count - 1));
  }
  return shard;
}

}  // namespace mechsweep
