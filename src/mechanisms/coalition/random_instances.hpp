#pragma once
// Random and enumerated (environment, f) pairs for sweeps and property tests
// (spec 001 §4.1, §5.7).
//
//   parameter      values                               meaning
//   utility_model  iid | private | common               iid: U[i][θ][x] uniform on {0..9};
//                                                       private: u_i(x, θ) = V_i(θ_i, x);
//                                                       common: u_i(x, θ) = V(θ, x) for all i
//   scf_family     efficient | dictatorial | constant | efficient: argmax_x Σ_i u_i (ties to the lowest x);
//                  random | enumerated                  dictatorial: argmax_x u_0; constant: x = 0;
//                                                       random: uniform x per θ; enumerated: the
//                                                       index-th of the m^{|Θ|} deterministic SCFs
//
// Draws come from std::mt19937_64 seeded with the caller's seed (in sweeps the
// task seed), reduced by modulo so they are the same on every platform.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "mechanisms/coalition/environment.hpp"

namespace mechsweep::coalition {

enum class UtilityModel { iid, private_values, common_value };
enum class ScfFamily { efficient, dictatorial, constant, random, enumerated };

inline constexpr std::array<std::string_view, 3> kUtilityModelLabels = {"iid", "private", "common"};
inline constexpr std::array<std::string_view, 5> kScfFamilyLabels = {"efficient", "dictatorial", "constant", "random",
                                                                     "enumerated"};

Environment random_environment(const std::vector<int>& type_counts, int outcomes, UtilityModel model,
                               std::uint64_t seed);
// `index` is used by ScfFamily::enumerated only (index < m^{|Θ|}); `seed` by random only.
Scf make_scf(const Environment& env, ScfFamily family, std::uint64_t seed, std::uint64_t index = 0);
// m^{|Θ|}, saturating at 2^63.
std::uint64_t deterministic_scf_count(const Environment& env);

Instance random_instance(const std::vector<int>& type_counts, int outcomes, UtilityModel model, ScfFamily family,
                         std::uint64_t seed, std::uint64_t index = 0);

}  // namespace mechsweep::coalition
