#pragma once
// Finite environments of paper 000 (Daido & Tajika, FPRE; spec 000 §1.1–1.3).
//
// n agents with finite type sets Θ_i (L_i types), a common prior p over type
// profiles (independent or correlated), a finite outcome set 𝒪 of n-tuples
// with exact rational coordinates, utilities u_i(t, o) that may depend on the
// whole profile, the worst-outcome family o̲^i and the symmetric fallback o*
// (Assumption 1), and optionally the principal's utility u_0(t, o) (§2.8).
//
// Parameters of an environment:
//
//   parameter      type                 meaning
//   type_counts    int[n]               L_i ≥ 1 types of agent i, 2 ≤ n ≤ kMaxAgents
//   outcomes       rational[|O|][n]     the finite outcome set 𝒪 (distinct n-tuples)
//   prior          rational[|Θ|]        p(t) ≥ 0, Σ p = 1 exactly
//   utility        rational[n][|Θ|][|O|] u_i(t, o)
//   worst          int[n]               index of o̲^i in outcomes
//   fallback       int                  index of o* in outcomes
//   principal      rational[|Θ|][|O|]   u_0(t, o); empty = no principal utility
//
// Agents are 0-based in the API; messages and reports name them 1-based, as
// the paper does ("agent 1"). Profiles are mixed-radix indices with agent 0
// least significant. Everything is exact (boost::multiprecision::cpp_rational),
// so the spec's ties (e.g. §6.3's m' = 14) are ties here too.
//
// Construction checks the structure (sizes, ranges, prior, n-tuples) and
// throws std::invalid_argument("fpre: ..."). The economic conditions of
// Assumption 1 and Definition 1 are flags of validate() (so sweeps can record
// them); require_valid() turns the first failing flag into the same exception.

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mechsweep::fpre {

using Rational = boost::multiprecision::cpp_rational;
using Integer = boost::multiprecision::cpp_int;
using Outcome = std::vector<Rational>;
using Profile = std::vector<int>;

inline constexpr int kMaxAgents = 10;
inline constexpr std::int64_t kMaxProfiles = std::int64_t{1} << 22;

// (n_1/den, …, n_k/den). Built element by element: brace lists of
// cpp_rational trip GCC 12's -Wmaybe-uninitialized at -O2.
Outcome make_outcome(std::initializer_list<std::int64_t> numerators, std::int64_t denominator = 1);
// "(1/5, 3/10, 1/2)".
std::string to_string(const Outcome& outcome);
std::string to_string(const Rational& value);
// x^π with x^π_k = x_{π(k)} (spec §1.1); π is a permutation of 0..n−1.
Outcome permute(const Outcome& x, std::span<const int> pi);
// x with coordinates j and j+1 swapped (the adjacent transposition (j j+1)).
Outcome swap_adjacent(const Outcome& x, int j);
bool is_symmetric(const Outcome& x);
// Converts a finite double exactly; rejects NaN and ±∞ naming `what`.
Rational exact_rational(double value, const std::string& what);

// Θ = Θ_0 × … × Θ_{n−1} as mixed-radix indices, agent 0 least significant.
class ProfileSpace {
 public:
  ProfileSpace() = default;
  explicit ProfileSpace(std::vector<int> type_counts);

  int agents() const { return static_cast<int>(type_counts_.size()); }
  int types(int agent) const { return type_counts_[agent]; }
  const std::vector<int>& type_counts() const { return type_counts_; }
  std::int64_t size() const { return size_; }
  bool equal_type_counts() const;
  Profile decode(std::int64_t index) const;
  std::int64_t encode(std::span<const int> profile) const;
  int type_of(std::int64_t index, int agent) const;
  // The profile `index` with agent's type replaced by `type`.
  std::int64_t with_type(std::int64_t index, int agent, int type) const;
  // Profile index with agent's coordinate set to 0 (identifies t_{−i}).
  std::int64_t others(std::int64_t index, int agent) const { return with_type(index, agent, 0); }

 private:
  std::vector<int> type_counts_;
  std::vector<std::int64_t> stride_;
  std::int64_t size_ = 0;
};

struct EnvironmentSpec {
  std::vector<int> type_counts;
  std::vector<Outcome> outcomes;
  std::vector<Rational> prior;
  std::vector<Rational> utility;
  std::vector<int> worst;
  int fallback = -1;
  std::vector<Rational> principal;
};

class Environment {
 public:
  explicit Environment(EnvironmentSpec spec);

  int agents() const { return profiles_.agents(); }
  const ProfileSpace& profiles() const { return profiles_; }
  int outcome_count() const { return static_cast<int>(spec_.outcomes.size()); }
  const Outcome& outcome(int o) const { return spec_.outcomes[o]; }
  const std::vector<Outcome>& outcomes() const { return spec_.outcomes; }
  std::optional<int> find(const Outcome& x) const;
  const Rational& prior(std::int64_t t) const { return spec_.prior[t]; }
  const std::vector<Rational>& prior() const { return spec_.prior; }
  // p_i(t_i), the marginal of agent i.
  const Rational& marginal(int agent, int type) const { return marginals_[agent][type]; }
  const Rational& u(int agent, std::int64_t t, int o) const {
    return spec_.utility[(static_cast<std::size_t>(agent) * profiles_.size() + t) * outcome_count() + o];
  }
  int worst(int agent) const { return spec_.worst[agent]; }
  int fallback() const { return spec_.fallback; }
  bool has_principal() const { return !spec_.principal.empty(); }
  const Rational& u0(std::int64_t t, int o) const { return spec_.principal[t * outcome_count() + o]; }
  const EnvironmentSpec& spec() const { return spec_; }

 private:
  EnvironmentSpec spec_;
  ProfileSpace profiles_;
  std::vector<std::vector<Rational>> marginals_;
  std::map<Outcome, int> index_;
};

// Assumption 1, the permutation-consistency of the worst family (spec §1.2
// [derived]) and the Definition 1 preconditions of §1.3. Each flag is true
// when the condition holds; `problems` lists one message per failure.
struct ValidationReport {
  bool worst_is_worst = true;           // A1(i) first clause
  bool worst_others_equal = true;       // A1(i) o̲^i_j = o̲^i_k for j, k ≠ i
  bool fallback_symmetric = true;       // A1(ii) o* symmetric
  bool fallback_dominated = true;       // A1(ii) u_i(o̲^j) ≥ u_i(o*)
  bool assumption1_ok = true;           // all four above
  bool worst_family_consistent = true;  // o̲^i = (b,…,a,…,b) for one (a, b)
  bool outcomes_permutation_closed = true;
  bool has_symmetric_outcome = true;
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// Everything but the permutation closure of all of 𝒪, which is a flag only:
// only the outcomes a symmetric rule must reach need their permutations in 𝒪
// (checked against the target in ic.hpp's require_valid_target).
ValidationReport validate(const Environment& env);
// Throws std::invalid_argument with the first problem of validate(), except
// outcomes_permutation_closed (see above).
void require_valid(const Environment& env);

// ---- builders ---------------------------------------------------------------
// u_i(t, o) tabulated from a function of (agent, profile, outcome).
std::vector<Rational> tabulate_utility(const ProfileSpace& profiles, const std::vector<Outcome>& outcomes,
                                       const std::function<Rational(int, const Profile&, const Outcome&)>& u);
// p(t) = Π_i p_i(t_i).
std::vector<Rational> independent_prior(const ProfileSpace& profiles,
                                        const std::vector<std::vector<Rational>>& marginals);
std::vector<Rational> uniform_prior(const ProfileSpace& profiles);
// The permutation-consistent worst family o̲^i = (b,…,b,a,b,…,b), a at position i.
std::vector<Outcome> worst_family_from_template(int n, const Rational& a, const Rational& b);
// All permutations of each outcome, de-duplicated, in lexicographic order.
std::vector<Outcome> permutation_closure(const std::vector<Outcome>& outcomes);

}  // namespace mechsweep::fpre
