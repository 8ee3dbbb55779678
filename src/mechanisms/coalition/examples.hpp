#pragma once
// The paper's examples as finite instances (spec 001 §3).
//
// Example-1 family (§3.1, a generalisation with cost scale c; the paper's case
// is c = ½): n agents, grid Θ_i = {0, 1/(k−1), …, 1}, outcomes x = (x_0, x_1..x_n)
// with f(θ) = (Σ_i θ_i, −c θ_1², …, −c θ_n²), u_i(x, θ) = w_i(θ)·x_0 + x_i where
// w_i(θ) = cos φ·θ_i + sin φ·Σ_{j≠i} θ_j (φ = 0: private values, the paper's
// case; spec §4 "angle"). X_fin = f(Θ) with duplicates merged, plus the
// optional disposal outcomes (0, −D, …, −D) for each depth D given.
//
//   parameter     default  meaning
//   agents        2        n ≥ 1
//   types         3        k ≥ 2 grid points per agent (k = 3 is Variant A, 2 is Variant B)
//   cost_scale    0.5      c ≥ 0
//   disposal      {}       disposal depths D > 0
//   mixing_deg    0        φ in [0°, 90°]
//
// Example 2 (§3.2): n = 2, Θ_i = {0, 1}, u_i = (θ_1+θ_2)·x_0 + x_i,
// X = {x¹ = (0,0,0), x² = (2,−1,−1), x³ = (4,−4,−4)} plus optional disposals,
// f(0,0) = x¹, f(0,1) = f(1,0) = x², f(1,1) = x³.

#include <vector>

#include "mechanisms/coalition/environment.hpp"

namespace mechsweep::coalition {

struct PublicGoodInstance {
  Instance instance;
  // The outcome vectors (x_0, x_1, …, x_n) behind each outcome index.
  std::vector<std::vector<double>> outcomes;
};

PublicGoodInstance example1(int agents, int types, double cost_scale, const std::vector<double>& disposal = {},
                            double mixing_deg = 0.0);
PublicGoodInstance example2(const std::vector<double>& disposal = {});

}  // namespace mechsweep::coalition
