#pragma once
// The finite FPRE (spec 000 §1.7.2, Lemma 1, Prop 1): the password layer over
// the canonical base rule, the three-case rule ν^ε, the recommendations τ^ε,
// and the checks of Definition 1 (symmetry, surjectivity) and of exact
// implementation ν^ε(τ^ε(t)) = μ(t).
//
// Messages are pairs (base index s ∈ S = {0,…,K−1}, password w ∈ W =
// {0,…,m'−1}); the message alphabet A = S × W has K·m' letters, and a message
// outside A fails every password check. The password table ε ∈ W^S is never
// stored: ε_s is a counter-based hash of (seed, s) (core/seed.hpp's
// SplitMix64), reduced to W without bias, so huge K costs nothing and sweeps
// are reproducible. |M| = m'^K rules are sampled, never enumerated.
//
//   ν^ε(τ) = ν_base(s_1,…,s_n)  if every agent passes (w_i = ε_{s_i}),
//            o̲^i                if exactly agent i fails,
//            o*                 if two or more fail.
//   τ̃^ε_i(o) = (s*_i(o), ε_{s*_i(o)}),   τ^ε(t) = τ̃^ε(μ(t)).

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "mechanisms/fpre/base_rule.hpp"
#include "mechanisms/fpre/environment.hpp"
#include "mechanisms/fpre/ic.hpp"

namespace mechsweep::fpre {

struct FiniteMessage {
  std::int64_t index = 0;
  std::int64_t password = 0;
  friend bool operator==(const FiniteMessage&, const FiniteMessage&) = default;
};

// ε ∈ W^S, evaluated lazily: password(s) depends only on (seed, s).
class PasswordTable {
 public:
  PasswordTable(std::uint64_t seed, std::int64_t grid);
  std::int64_t grid() const { return grid_; }
  std::uint64_t seed() const { return seed_; }
  std::int64_t password(std::int64_t index) const;

 private:
  std::uint64_t seed_;
  std::int64_t grid_;
};

class Fpre {
 public:
  // grid = m' ≥ 1 (spec §6.2). Keeps a reference to env (it must outlive this).
  Fpre(const Environment& env, BaseRule base, std::int64_t grid);

  const Environment& environment() const { return *env_; }
  const BaseRule& base() const { return base_; }
  std::int64_t grid() const { return grid_; }
  std::int64_t alphabet_size() const;  // K·m' (saturating)
  double log10_family_size() const;    // log10 |M| = K·log10 m'

  PasswordTable table(std::uint64_t seed) const { return PasswordTable(seed, grid_); }
  bool passes(const FiniteMessage& m, const PasswordTable& eps) const;
  // ν^ε(τ) as an outcome index.
  int evaluate(std::span<const FiniteMessage> tau, const PasswordTable& eps) const;
  // τ̃^ε(o); o must be a permutation of a base-rule target.
  std::vector<FiniteMessage> recommend(int outcome, const PasswordTable& eps) const;
  // τ^ε(t) = τ̃^ε(μ(t)).
  std::vector<FiniteMessage> recommend(const Scf& mu, std::int64_t t, const PasswordTable& eps) const;

  // Letters of A as integers: code = index·m' + password.
  std::int64_t encode(const FiniteMessage& m) const { return m.index * grid_ + m.password; }
  FiniteMessage decode(std::int64_t code) const { return {code / grid_, code % grid_}; }

 private:
  const Environment* env_;
  BaseRule base_;
  std::int64_t grid_;
};

// The base rule for implementing μ: targets μ(Θ), K = K_min unless given.
BaseRule base_rule_for(const Environment& env, const Scf& mu, std::int64_t indices = 0);

// ---- Definition 1 checks on a finite rule over letters {0,…,A−1} ---------------
using MessageRule = std::function<int(std::span<const std::int64_t>)>;

struct SymmetryOptions {
  bool all_permutations = true;             // all n! (else the n−1 adjacent transpositions)
  std::int64_t exhaustive_limit = 1 << 16;  // enumerate A^n profiles up to this many
  std::int64_t samples = 4096;              // random profiles otherwise
  std::uint64_t seed = 0;
};

struct SymmetryCheck {
  bool exhaustive = false;
  std::int64_t pairs = 0;       // (profile, π) pairs checked
  std::int64_t violations = 0;  // ν(τ^π) ≠ ν(τ)^π, compared as outcome vectors
  std::vector<std::int64_t> witness;
  bool symmetric() const { return violations == 0; }
};

SymmetryCheck check_symmetry(const Environment& env, std::int64_t alphabet, const MessageRule& rule,
                             const SymmetryOptions& options = {});
SymmetryCheck check_symmetry(const Fpre& fpre, const PasswordTable& eps, const SymmetryOptions& options = {});

struct SurjectivityCheck {
  bool exhaustive = false;
  std::vector<int> required;  // outcomes that must be reached
  std::vector<int> missing;   // of those, not reached
  bool surjective() const { return missing.empty(); }
};
// Whether the image of `rule` contains `required` (exhaustive when A^n is at
// most the limit; else only the given witness profiles are tried).
SurjectivityCheck check_surjective(const Environment& env, std::int64_t alphabet, const MessageRule& rule,
                                   std::span<const int> required, std::int64_t exhaustive_limit = 1 << 16);
// ν^ε onto O_fin = Im ν_base ∪ {o̲^i} (o̲^i only when m' ≥ 2: with one
// password every letter of A passes): targets via τ̃^ε, o* via a diagonal
// obedient profile, o̲^i via one wrong password; exhaustive when small.
SurjectivityCheck check_surjective(const Fpre& fpre, const PasswordTable& eps, std::int64_t exhaustive_limit = 1 << 16);

struct ImplementationCheck {
  std::int64_t draws = 0;
  std::int64_t checks = 0;
  std::int64_t matches = 0;
  std::optional<std::int64_t> failing_profile;
  std::optional<std::uint64_t> failing_seed;
  double rate() const { return checks == 0 ? 1.0 : static_cast<double>(matches) / static_cast<double>(checks); }
};
// ν^ε(τ^ε(t)) = μ(t) for every t and `draws` tables ε with seeds derive_seed(seed, d).
ImplementationCheck check_exact_implementation(const Fpre& fpre, const Scf& mu, std::uint64_t seed, int draws);

}  // namespace mechsweep::fpre
