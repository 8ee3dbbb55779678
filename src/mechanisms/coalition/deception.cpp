#include "mechanisms/coalition/deception.hpp"

#include <array>
#include <bit>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mechsweep::coalition {

namespace {

void check_types(int types) {
  if (types < 1 || types > kMaxDeceptionTypes) {
    throw std::invalid_argument("coalition: deceptions need 1.." + std::to_string(kMaxDeceptionTypes) +
                                " payoff types per agent, found " + std::to_string(types));
  }
}

}  // namespace

std::uint64_t deception_count(int types, bool reflexive_only) {
  check_types(types);
  std::uint64_t count = 1;
  const std::uint64_t choices = reflexive_only ? (std::uint64_t{1} << (types - 1)) : ((std::uint64_t{1} << types) - 1);
  for (int t = 0; t < types; ++t) count *= choices;
  return count;
}

AgentDeception agent_deception(int types, std::uint64_t index, bool reflexive_only) {
  check_types(types);
  AgentDeception deception(types);
  for (int t = 0; t < types; ++t) {
    if (reflexive_only) {
      // The other types' bits, spread around the fixed bit of type t.
      const std::uint64_t digit = index % (std::uint64_t{1} << (types - 1));
      index /= std::uint64_t{1} << (types - 1);
      const TypeMask low = static_cast<TypeMask>(digit & ((std::uint64_t{1} << t) - 1));
      const TypeMask high = static_cast<TypeMask>((digit >> t) << (t + 1));
      deception[t] = low | high | (TypeMask{1} << t);
    } else {
      const std::uint64_t digit = index % ((std::uint64_t{1} << types) - 1);
      index /= (std::uint64_t{1} << types) - 1;
      deception[t] = static_cast<TypeMask>(digit + 1);
    }
  }
  return deception;
}

bool is_reflexive(const AgentDeception& deception) {
  for (std::size_t t = 0; t < deception.size(); ++t) {
    if (((deception[t] >> t) & 1U) == 0) return false;
  }
  return true;
}

bool acceptable(const Instance& instance, const DeceptionProfile& beta) {
  const ProfileSpace& profiles = instance.profiles();
  const int n = instance.agents();
  std::array<TypeMask, kMaxAgents> remaining{};
  std::array<TypeMask, kMaxAgents> left{};
  for (std::size_t truth = 0; truth < profiles.size(); ++truth) {
    // Odometer over ∏_i β_i(θ_i).
    for (int i = 0; i < n; ++i) remaining[i] = beta[i][profiles.type_of(truth, i)];
    left = remaining;
    while (true) {
      std::size_t reported = 0;
      for (int i = 0; i < n; ++i) {
        reported = profiles.with_type(reported, i, std::countr_zero(left[i]));
      }
      if (!instance.scf().same_outcome(truth, reported)) return false;
      int i = 0;
      for (; i < n; ++i) {
        left[i] &= left[i] - 1;
        if (left[i] != 0) break;
        left[i] = remaining[i];
      }
      if (i == n) break;
    }
  }
  return true;
}

std::string describe(const DeceptionProfile& beta) {
  std::ostringstream text;
  for (std::size_t i = 0; i < beta.size(); ++i) {
    if (i > 0) text << "; ";
    text << "β_" << i << " = [";
    for (std::size_t t = 0; t < beta[i].size(); ++t) {
      if (t > 0) text << ", ";
      text << '{';
      bool first = true;
      for (std::size_t r = 0; r < beta[i].size(); ++r) {
        if (((beta[i][t] >> r) & 1U) == 0) continue;
        if (!first) text << ',';
        text << r;
        first = false;
      }
      text << '}';
    }
    text << ']';
  }
  return text.str();
}

}  // namespace mechsweep::coalition
