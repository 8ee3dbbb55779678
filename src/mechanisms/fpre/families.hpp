#pragma once
// Seeded generators for sweeps (spec 000 §4.1): priors, target SCF families
// and a share-division environment. Every choice a config can name is an enum
// class parsed here and only here.

#include <cstdint>
#include <string_view>

#include "mechanisms/fpre/environment.hpp"
#include "mechanisms/fpre/ic.hpp"

namespace mechsweep::fpre {

enum class PriorFamily { independent_uniform, random_dirichlet, correlated_mixture };
enum class ScfFamily { constant, random_deterministic, favour_agent_1 };

PriorFamily parse_prior_family(std::string_view name);
ScfFamily parse_scf_family(std::string_view name);
std::string_view to_string(PriorFamily family);
std::string_view to_string(ScfFamily family);

// independent_uniform: p = Π uniform.
// random_dirichlet: independent marginals ~ Dirichlet(1,…,1), rounded to exact
//   rationals (integer weights 1..1000 over their sum).
// correlated_mixture: (1−ρ)·uniform + ρ·uniform on the "diagonal" profiles
//   t_i = t_0 mod L_i; ρ ∈ [0, 1].
std::vector<Rational> make_prior(const ProfileSpace& profiles, PriorFamily family, std::uint64_t seed,
                                 const Rational& rho = Rational{1, 2});

// constant: μ ≡ the outcome that maximises agent 1's utility at profile 0
//   (Example 2 type), ties to the lowest index.
// random_deterministic: μ(t) uniform on 𝒪.
// favour_agent_1: μ(t) maximises 2·u_1(t,o) + Σ_{i>1} u_i(t,o), ties to the
//   lowest index (asymmetric by design).
// Every family chooses only among outcomes whose coordinates are all ≥
// min_share. On share environments a positive floor keeps every agent above
// its worst outcome on path, which is what makes α > 0 and m′_crit finite
// (spec §2.5); 0 allows every outcome. No outcome meeting the floor is an error.
Scf make_scf(const Environment& env, ScfFamily family, std::uint64_t seed, const Rational& min_share = Rational(0));

// Shares on the grid (1/d)ℤ: 𝒪 = {x ≥ 0 : Σx = 1} (simplex) or Σx ≤ 1 (free
// disposal). u_i(t, x) = w_i(t_i)·x_i with integer weights in 1..5 drawn from
// the seed; the principal is utilitarian. Simplex: o̲^i gives 0 to i and
// 1/(n−1) to the others, o* = 1/n each (needs (n−1) | d and n | d). Free
// disposal: o̲^i = o* = 0.
struct ShareEnvironmentParams {
  int agents = 2;
  int types = 2;
  int denominator = 2;
  bool free_disposal = false;
  PriorFamily prior = PriorFamily::independent_uniform;
  Rational rho{1, 2};
  std::uint64_t seed = 0;
};
Environment make_share_environment(const ShareEnvironmentParams& params);

}  // namespace mechsweep::fpre
