#pragma once
// Deceptions and acceptability (spec 001 §1.7).
//
// A deception of agent i maps each payoff type θ_i to a non-empty set
// β_i(θ_i) ⊆ Θ_i of reports, stored as a bitmask per type. A profile β is
// acceptable iff f(θ') = f(θ) (as lotteries) for every θ and θ' ∈ β(θ).
// Deceptions of one agent are numbered in mixed radix over its types (type 0
// least significant) with digit = mask − 1, so there are (2^k − 1)^k of them;
// reflexive ones (θ_i ∈ β_i(θ_i)) are numbered by the masks of the other
// types only, 2^{k(k−1)} of them.

#include <cstdint>
#include <string>
#include <vector>

#include "mechanisms/coalition/environment.hpp"

namespace mechsweep::coalition {

inline constexpr int kMaxDeceptionTypes = 6;

using TypeMask = std::uint32_t;

// β_i: one report mask per payoff type.
using AgentDeception = std::vector<TypeMask>;
using DeceptionProfile = std::vector<AgentDeception>;

std::uint64_t deception_count(int types, bool reflexive_only);
// The index-th deception of an agent with `types` payoff types.
AgentDeception agent_deception(int types, std::uint64_t index, bool reflexive_only);
bool is_reflexive(const AgentDeception& deception);

// f(θ') = f(θ) for all θ and θ' ∈ β(θ).
bool acceptable(const Instance& instance, const DeceptionProfile& beta);

// "β_0 = [{0}, {0,1}]; β_1 = …" with 0-indexed types.
std::string describe(const DeceptionProfile& beta);

}  // namespace mechsweep::coalition
