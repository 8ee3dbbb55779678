#pragma once
// Robust coalitional implementation (paper 001, Guo & Yannelis 2020; spec 001).
//
// A finite payoff environment: n agents with finite payoff-type sets Θ_i
// (k_i = |Θ_i| types), m deterministic outcomes X, lotteries A = Δ(X), and
// utilities u_i(x, θ) that may depend on the whole profile θ (interdependent
// values). A social choice function (SCF) f maps every profile to a lottery.
// Nearly every check of the paper is a lookup in the table
// UF[i][θ][θ'] = u_i(f(θ'), θ) (spec §1.1), which an Instance precomputes.
//
// Parameters of an environment (the experiments use the same names):
//
//   parameter   type        meaning
//   agents      int         n ≥ 1 (kMaxAgents at most)
//   types       int[n]      k_i ≥ 1 payoff types per agent
//   outcomes    int         m ≥ 1 deterministic outcomes
//   utility     real[n·|Θ|·m]  U[i][θ][x], finite
//   scf         real[|Θ|·m]    F[θ][x] ≥ 0 with Σ_x F[θ][x] = 1 (within 1e-9)
//
// Profiles are mixed-radix numbers with agent 0 least significant, so a
// profile splits additively into the parts of a coalition and of its
// complement: profile = embed(S, θ_S) + embed(I∖S, θ_{−S}). Coalitions are
// bitmasks (bit i = agent i, 0-indexed; the paper counts from 1).
//
// Numbers: utilities are doubles. Two utilities closer than Instance::tie
// (1e-9 times the largest |U|, at least 1e-12) are a tie: a weak inequality
// holds and a strict one fails (spec §6.2 item 1). The paper's examples have
// exact ties, and this band makes them ties here too.
//
// Companion headers: pattern.hpp (coalition patterns), ic.hpp (robust 𝒮-IC),
// deception.hpp, reward.hpp (reward sets), monotonicity.hpp, interior.hpp,
// verdict.hpp, type_space.hpp (interim 𝒮 equilibria), canonical_mechanism.hpp
// (Theorems 1–2) and examples.hpp (the paper's Examples 1 and 2).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace mechsweep::coalition {

inline constexpr int kMaxAgents = 8;

// Bit i is agent i. The empty coalition is 0; the grand coalition is all_agents(n).
using Coalition = std::uint32_t;

constexpr Coalition all_agents(int n) { return (Coalition{1} << n) - 1; }
constexpr Coalition singleton(int i) { return Coalition{1} << i; }
constexpr bool is_member(Coalition s, int i) { return ((s >> i) & 1U) != 0; }
int coalition_size(Coalition s);
// Smallest member; s must be non-empty.
int first_member(Coalition s);

// Θ = Θ_0 × … × Θ_{n−1} as mixed-radix profile indices.
class ProfileSpace {
 public:
  ProfileSpace() = default;
  explicit ProfileSpace(std::vector<int> type_counts);

  int agents() const { return static_cast<int>(type_counts_.size()); }
  int types(int i) const { return type_counts_[i]; }
  const std::vector<int>& type_counts() const { return type_counts_; }
  std::size_t size() const { return size_; }

  int type_of(std::size_t profile, int i) const { return static_cast<int>((profile / stride_[i]) % type_counts_[i]); }
  std::size_t with_type(std::size_t profile, int i, int type) const {
    return profile + (static_cast<std::size_t>(type) - static_cast<std::size_t>(type_of(profile, i))) * stride_[i];
  }
  std::size_t profile_of(std::span<const int> types) const;

  // Θ_S for a coalition S: |Θ_S| (1 for the empty coalition: its one empty
  // profile, spec §6.2 item 6) and the full-profile offset of each θ_S.
  std::size_t count(Coalition s) const { return embed_[s].size(); }
  std::span<const std::size_t> embed(Coalition s) const { return embed_[s]; }
  // Index of θ_S (the part of `profile` on S) within Θ_S.
  std::size_t project(std::size_t profile, Coalition s) const;

 private:
  std::vector<int> type_counts_;
  std::vector<std::size_t> stride_;
  std::size_t size_ = 0;
  std::vector<std::vector<std::size_t>> embed_;  // by coalition mask
};

class Environment {
 public:
  // Throws std::invalid_argument naming the first bad entry.
  Environment(std::vector<int> type_counts, int outcomes, std::vector<double> utility);

  int agents() const { return profiles_.agents(); }
  int outcomes() const { return outcomes_; }
  const ProfileSpace& profiles() const { return profiles_; }
  double utility(int i, std::size_t profile, int x) const {
    return utility_[(static_cast<std::size_t>(i) * profiles_.size() + profile) * outcomes_ + x];
  }
  // u_i(·, θ) as a row over X.
  std::span<const double> utility_row(int i, std::size_t profile) const {
    return {utility_.data() + (static_cast<std::size_t>(i) * profiles_.size() + profile) * outcomes_,
            static_cast<std::size_t>(outcomes_)};
  }
  double expected_utility(int i, std::size_t profile, std::span<const double> lottery) const;
  const std::vector<double>& utility_table() const { return utility_; }

 private:
  ProfileSpace profiles_;
  int outcomes_;
  std::vector<double> utility_;
};

// A lottery per profile. Throws std::invalid_argument for a negative, non-finite
// or non-normalised lottery, or a table of the wrong size.
class Scf {
 public:
  Scf(const Environment& env, std::vector<double> lotteries);
  // A deterministic SCF from an outcome index per profile.
  static Scf deterministic(const Environment& env, std::span<const int> outcome_of_profile);

  std::span<const double> lottery(std::size_t profile) const {
    return {lotteries_.data() + profile * outcomes_, static_cast<std::size_t>(outcomes_)};
  }
  const std::vector<double>& table() const { return lotteries_; }
  // f(θ) == f(θ') as lotteries (exactly, up to the normalisation tolerance).
  bool same_outcome(std::size_t a, std::size_t b) const;

 private:
  int outcomes_;
  std::vector<double> lotteries_;
};

// (environment, f) with the UF table and the tie band.
class Instance {
 public:
  Instance(Environment env, Scf scf);

  const Environment& env() const { return env_; }
  const Scf& scf() const { return scf_; }
  const ProfileSpace& profiles() const { return env_.profiles(); }
  int agents() const { return env_.agents(); }
  int outcomes() const { return env_.outcomes(); }

  // u_i(f(reported), true_profile).
  double uf(int i, std::size_t true_profile, std::size_t reported) const {
    return uf_[(static_cast<std::size_t>(i) * size_ + true_profile) * size_ + reported];
  }
  double tie() const { return tie_; }
  bool weakly_greater(double a, double b) const { return a >= b - tie_; }
  bool strictly_greater(double a, double b) const { return a > b + tie_; }

 private:
  Environment env_;
  Scf scf_;
  std::size_t size_;
  std::vector<double> uf_;
  double tie_;
};

}  // namespace mechsweep::coalition
