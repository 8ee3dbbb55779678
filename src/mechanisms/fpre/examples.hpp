#pragma once
// The paper's examples and the spec's derived known-answer settings
// (spec 000 §3.1, §3.2, §3.4), one type per agent unless stated.

#include <vector>

#include "mechanisms/fpre/environment.hpp"

namespace mechsweep::fpre {

// Example 1 (simplex, u_i = x_i): 𝒪 = permutation closure of `targets`, the
// consistent worst family (0 to i, 1/(n−1) to the others) and o* = 1/n each.
Environment example1_environment(int n, const std::vector<Outcome>& targets);

// Example 2: n = 2, 𝒪 = {(1,0), (1/2,1/2), (0,1)}, u_1 ≡ 0, u_2(o) = o_2,
// o̲^1 = (0,1), o̲^2 = (1,0), o* = (1/2,1/2); `types` types per agent, uniform prior.
Environment example2_environment(int types = 1);

// KAT-D1: n = 2, 𝒪 = {(A,B), (B,A), (∅,∅)} with ∅ < A < B coded 0 < 1 < 2;
// u_1(B)=2, u_1(A)=1, u_1(∅)=0; u_2(A)=2, u_2(B)=1, u_2(∅)=0; o̲^i = o* = (∅,∅).
Environment kat_d1_environment();

}  // namespace mechsweep::fpre
