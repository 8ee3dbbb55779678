#pragma once
// Seeds are derived, never drawn: task k of a run gets a seed that depends only
// on (run seed, k), so results do not depend on ranks or scheduling.

#include <cstdint>

namespace mechsweep {

// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijection on 64-bit words
// with full avalanche, the standard way to turn counters into seeds.
constexpr std::uint64_t splitmix64(std::uint64_t z) noexcept {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Counter-based: the stream index goes through its own mix so that nearby run
// seeds and nearby task ids never produce correlated seeds.
constexpr std::uint64_t derive_seed(std::uint64_t run_seed, std::uint64_t stream) noexcept {
  return splitmix64(splitmix64(run_seed) ^ splitmix64(stream + 0x632be59bd9b4e019ULL));
}

}  // namespace mechsweep
