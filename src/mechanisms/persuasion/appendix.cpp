#include "mechanisms/persuasion/appendix.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "mechanisms/persuasion/errors.hpp"
#include "mechanisms/persuasion/polymatroid.hpp"
#include "solvers/lp.hpp"

namespace mechsweep::persuasion {
namespace {

using detail::reject;
using solvers::kInfinity;
using solvers::LinearProgram;
using Term = std::pair<int, double>;

LinearProgram::Solution solve_or_throw(const LinearProgram& program, const char* what) {
  LinearProgram::Solution solution = program.maximize();
  if (solution.status != LinearProgram::Status::optimal) {
    throw std::runtime_error(std::string("persuasion: the ") + what + " LP did not solve to optimality");
  }
  return solution;
}

// Q_j(u), j = 1..n: prefix sums of u sorted ascending.
std::vector<double> prefix_sums(std::vector<double> u) {
  std::sort(u.begin(), u.end());
  std::partial_sum(u.begin(), u.end(), u.begin());
  return u;
}

// ─── posterior means ────────────────────────────────────────────────────────

void check_scheme(const ValueDistribution& distribution, const SignalScheme& scheme, std::size_t agent) {
  const std::string name = "agent " + std::to_string(agent);
  if (scheme.law.size() != static_cast<std::size_t>(distribution.support())) {
    reject(name + " signal-law rows", scheme.law.size(),
           "one per support point (" + std::to_string(distribution.support()) + ")");
  }
  const std::size_t signals = scheme.law.front().size();
  if (signals == 0) reject(name + " signal count", 0, "at least 1");
  for (std::size_t s = 0; s < scheme.law.size(); ++s) {
    const std::vector<double>& row = scheme.law[s];
    const std::string row_name = name + " signal law for value " + std::to_string(distribution.values[s]);
    if (row.size() != signals) reject(row_name + " length", row.size(), std::to_string(signals) + " signals");
    double total = 0.0;
    for (double probability : row) {
      if (!std::isfinite(probability) || probability < 0.0) {
        reject(row_name + " entry", probability, "a finite probability ≥ 0");
      }
      total += probability;
    }
    if (std::abs(total - 1.0) > 1e-12) reject(row_name + " sum", total, "1 within 1e-12");
  }
}

}  // namespace

SignalScheme uninformative_scheme(const ValueDistribution& distribution) {
  return SignalScheme{std::vector<std::vector<double>>(static_cast<std::size_t>(distribution.support()), {1.0})};
}

SignalScheme revealing_scheme(const ValueDistribution& distribution) {
  const auto support = static_cast<std::size_t>(distribution.support());
  SignalScheme scheme{std::vector<std::vector<double>>(support, std::vector<double>(support, 0.0))};
  for (std::size_t s = 0; s < support; ++s) scheme.law[s][s] = 1.0;
  return scheme;
}

Prior posterior_mean_prior(const Prior& prior, const std::vector<SignalScheme>& schemes, double tie_tolerance) {
  if (schemes.size() != prior.size()) {
    reject("signal scheme count", schemes.size(), "one per agent (" + std::to_string(prior.size()) + ")");
  }
  if (!(tie_tolerance >= 0.0 && tie_tolerance < 1e-3)) reject("tie_tolerance", tie_tolerance, "in [0, 1e-3)");

  // atoms[i]: (posterior mean, probability) per signal with positive probability.
  std::vector<std::vector<std::pair<double, double>>> atoms(prior.size());
  std::vector<double> means;
  for (std::size_t i = 0; i < prior.size(); ++i) {
    const ValueDistribution& distribution = prior[i];
    check_scheme(distribution, schemes[i], i);
    const std::size_t signals = schemes[i].law.front().size();
    for (std::size_t sigma = 0; sigma < signals; ++sigma) {
      double mass = 0.0;
      double value_mass = 0.0;
      for (std::size_t s = 0; s < distribution.values.size(); ++s) {
        const double joint = distribution.probabilities[s] * schemes[i].law[s][sigma];
        mass += joint;
        value_mass += joint * distribution.values[s];
      }
      if (mass <= 0.0) continue;
      // A mean is a convex combination of the support; rounding may step one
      // ulp outside it, which would create a value no agent has.
      const double mean = std::clamp(value_mass / mass, distribution.min(), distribution.max());
      atoms[i].emplace_back(mean, mass);
      means.push_back(mean);
    }
  }

  // Snap every mean to the smallest mean of its cluster (clusters anchored at
  // their smallest member, so there is no chaining drift).
  std::sort(means.begin(), means.end());
  std::vector<double> representative(means.size());
  for (std::size_t k = 0; k < means.size(); ++k) {
    const bool joins = k > 0 && means[k] - representative[k - 1] <= tie_tolerance * representative[k - 1];
    representative[k] = joins ? representative[k - 1] : means[k];
  }

  Prior posterior(prior.size());
  for (std::size_t i = 0; i < prior.size(); ++i) {
    std::vector<double> values;
    std::vector<double> probabilities;
    double total = 0.0;
    for (const auto& [mean, mass] : atoms[i]) total += mass;
    for (const auto& [mean, mass] : atoms[i]) {
      const auto at = std::lower_bound(means.begin(), means.end(), mean) - means.begin();
      values.push_back(representative[static_cast<std::size_t>(at)]);
      probabilities.push_back(mass / total);
    }
    posterior[i] = make_distribution(values, probabilities, "agent " + std::to_string(i) + " posterior means");
  }
  return posterior;
}

double bayes_plausibility_residual(const Prior& prior, const Prior& posterior_means) {
  if (prior.size() != posterior_means.size()) {
    reject("posterior-mean agent count", posterior_means.size(), std::to_string(prior.size()) + " (the prior's)");
  }
  double residual = 0.0;
  for (std::size_t i = 0; i < prior.size(); ++i) {
    residual = std::max(residual, std::abs(posterior_means[i].mean() - prior[i].mean()));
  }
  return residual;
}

// ─── Appendix A ─────────────────────────────────────────────────────────────

namespace {

void check_appendix_a_agents(int n) {
  if (n < 2 || n > kAppendixAMaxAgents) {
    reject("n", n, "2 ≤ n ≤ " + std::to_string(kAppendixAMaxAgents) + " (n = 1 gives q = 1: a degenerate prior)");
  }
}

AppendixAPolicy summarise(const std::vector<double>& utilities) {
  AppendixAPolicy policy;
  policy.agent0_utility = utilities.front();
  double low = utilities[1];
  double high = utilities[1];
  double others = 0.0;
  for (std::size_t i = 1; i < utilities.size(); ++i) {
    low = std::min(low, utilities[i]);
    high = std::max(high, utilities[i]);
    others += utilities[i];
  }
  policy.other_utility = others / static_cast<double>(utilities.size() - 1);
  policy.other_spread = high - low;
  policy.welfare = others + utilities.front();
  policy.min_utility = std::min(low, utilities.front());
  return policy;
}

}  // namespace

Prior appendix_a_prior(int n) {
  check_appendix_a_agents(n);
  const double root = std::sqrt(static_cast<double>(n));
  const double q = 1.0 / root;
  Prior prior;
  prior.reserve(static_cast<std::size_t>(n) + 1);
  prior.push_back(deterministic(2.0 - q));
  const std::array<double, 2> values{root, 1.0};
  const std::array<double, 2> probabilities{q, 1.0 - q};
  const ValueDistribution two_point = make_distribution(values, probabilities, "agent 1");
  prior.insert(prior.end(), static_cast<std::size_t>(n), two_point);
  return prior;
}

AppendixAResult appendix_a(int n, OracleOptions options) {
  const Prior prior = appendix_a_prior(n);
  AppendixAResult result;
  result.n = n;
  result.value_scale = std::sqrt(static_cast<double>(n));
  result.q = 1.0 / result.value_scale;
  result.prior_mean = 2.0 - result.q;
  // p = 1/(nq) = 1/√n, so that Pr[HIGH] = qp = 1/n.
  result.designed_p = 1.0 / (static_cast<double>(n) * result.q);

  const ValueDistribution& agent0 = prior.front();
  const ValueDistribution& other = prior[1];  // support (√n, 1), descending
  const SignalScheme high_low{{{result.designed_p, 1.0 - result.designed_p}, {0.0, 1.0}}};

  std::vector<SignalScheme> silent(prior.size(), uninformative_scheme(other));
  silent.front() = uninformative_scheme(agent0);
  std::vector<SignalScheme> revealing(prior.size(), revealing_scheme(other));
  revealing.front() = revealing_scheme(agent0);
  std::vector<SignalScheme> designed(prior.size(), high_low);
  designed.front() = uninformative_scheme(agent0);

  const Polymatroid select_one = make_uniform(n + 1, 1);
  const auto evaluate = [&](const std::vector<SignalScheme>& schemes, AppendixAPolicy& policy) {
    const Prior means = posterior_mean_prior(prior, schemes);
    result.bayes_residual = std::max(result.bayes_residual, bayes_plausibility_residual(prior, means));
    const FullRevelation receiver(select_one, means, options);
    result.method = receiver.method();
    policy = summarise(receiver.uniform_tie_break());
    return means;
  };
  evaluate(silent, result.no_revelation);
  evaluate(revealing, result.full_revelation);
  const Prior designed_means = evaluate(designed, result.designed);

  // Agent 1's posterior-mean law: HIGH is its larger atom, LOW the smaller.
  const ValueDistribution& signalled = designed_means[1];
  result.high_posterior = signalled.max();
  result.low_posterior = signalled.min();
  const double low_probability = signalled.probabilities.back();
  result.all_low_probability = std::pow(low_probability, n);
  result.maxmin_gain = result.designed.min_utility / result.no_revelation.min_utility;
  return result;
}

// ─── Appendix B ─────────────────────────────────────────────────────────────

namespace {

// Row j of the program divided by Q*_j = M^j is Σ_{i≤j} L_{ji} p_i with
// L_{ji} = (j−i+1)·M^{i−j}: unit lower-triangular and banded in d = j − i.
// band[d] = (d+1)·M^{−d}, cut where it drops below 1e-18 (it cannot move a
// row whose activity is ≥ t* ≥ 1/n).
std::vector<double> appendix_b_band(int n, double M) {
  std::vector<double> band{1.0};
  double power = 1.0;
  for (int d = 1; d < n; ++d) {
    power /= M;
    const double entry = (d + 1) * power;
    if (entry < 1e-18) break;
    band.push_back(entry);
  }
  return band;
}

double band_entry(const std::vector<double>& band, int d) {
  return static_cast<std::size_t>(d) < band.size() ? band[static_cast<std::size_t>(d)] : 0.0;
}

// The program is max t s.t. L p ≥ t·1, 1ᵀp = 1, p ≥ 0; its dual is
// min λ s.t. Lᵀy ≤ λ·1, 1ᵀy = 1, y ≥ 0. With a = L⁻¹1 and y = L⁻ᵀ1 both ≥ 0,
// p = a/1ᵀa equalises every row at t = 1/1ᵀa and y/1ᵀy is a dual solution of
// value 1/1ᵀy = t (1ᵀL⁻¹1 = 1ᵀL⁻ᵀ1): a certificate of optimality. It is exact
// up to rounding, where Clp's simplex stops within its tolerances on this very
// flat program (β* off by ~1e-6 relative at n = 200).
struct EqualisedMixture {
  bool certified = false;
  double t = 0.0;
  std::vector<double> p;
};

EqualisedMixture equalise_prefix_ratios(const std::vector<double>& band, int n) {
  const auto size = static_cast<std::size_t>(n);
  const int width = static_cast<int>(band.size());
  std::vector<double> a(size);
  std::vector<double> y(size);
  for (int j = 0; j < n; ++j) {
    double row = 1.0;
    for (int i = std::max(0, j - width + 1); i < j; ++i)
      row -= band_entry(band, j - i) * a[static_cast<std::size_t>(i)];
    a[static_cast<std::size_t>(j)] = row;
  }
  for (int i = n - 1; i >= 0; --i) {
    double column = 1.0;
    for (int k = i + 1; k < std::min(n, i + width); ++k)
      column -= band_entry(band, k - i) * y[static_cast<std::size_t>(k)];
    y[static_cast<std::size_t>(i)] = column;
  }
  EqualisedMixture mixture;
  mixture.certified = std::all_of(a.begin(), a.end(), [](double x) { return x >= 0.0; }) &&
                      std::all_of(y.begin(), y.end(), [](double x) { return x >= 0.0; });
  const double total = std::accumulate(a.begin(), a.end(), 0.0);
  mixture.t = 1.0 / total;
  mixture.p = std::move(a);
  for (double& weight : mixture.p) weight *= mixture.t;
  return mixture;
}

// Clp on the same program; rows multiplied by n, with the column T = n·t:
// t* ≥ 1/n (uniform p), so binding rows have activity O(1).
std::vector<double> appendix_b_lp(const std::vector<double>& band, int n) {
  const auto agents = static_cast<double>(n);
  const int width = static_cast<int>(band.size());
  LinearProgram program;
  std::vector<int> p(static_cast<std::size_t>(n));
  for (int& column : p) column = program.add_column(0.0, 1.0, 0.0);
  const int t = program.add_column(0.0, kInfinity, 1.0);
  std::vector<Term> simplex;
  for (int column : p) simplex.emplace_back(column, 1.0);
  program.add_row(simplex, 1.0, 1.0);
  std::vector<Term> terms;
  for (int j = 0; j < n; ++j) {
    terms.clear();
    for (int i = std::max(0, j - width + 1); i <= j; ++i) {
      terms.emplace_back(p[static_cast<std::size_t>(i)], agents * band_entry(band, j - i));
    }
    terms.emplace_back(t, -1.0);
    program.add_row(terms, 0.0, kInfinity);
  }
  const LinearProgram::Solution solution = solve_or_throw(program, "Appendix B");
  std::vector<double> mixture(solution.primal.begin(), solution.primal.begin() + n);
  for (double& weight : mixture) weight = std::max(weight, 0.0);
  return mixture;
}

// Q_j(x(p))/M^j, j = 1..n.
std::vector<double> appendix_b_ratios(const std::vector<double>& band, const std::vector<double>& p) {
  const int n = static_cast<int>(p.size());
  const int width = static_cast<int>(band.size());
  std::vector<double> ratio(p.size(), 0.0);
  for (int j = 0; j < n; ++j) {
    for (int i = std::max(0, j - width + 1); i <= j; ++i) {
      ratio[static_cast<std::size_t>(j)] += band_entry(band, j - i) * p[static_cast<std::size_t>(i)];
    }
  }
  return ratio;
}

}  // namespace

AppendixBResult appendix_b(int n, double M) {
  if (n < 1 || n > kAppendixBMaxAgents) reject("n", n, "1 ≤ n ≤ " + std::to_string(kAppendixBMaxAgents));
  if (!std::isfinite(M) || !(M > n)) reject("M", M, "a finite M > n = " + std::to_string(n));
  const std::vector<double> band = appendix_b_band(n, M);

  AppendixBResult result;
  result.n = n;
  result.M = M;
  result.paper_bound = n / (1.0 + static_cast<double>(n) * n / M);
  const std::vector<double> lp_mixture = appendix_b_lp(band, n);
  const std::vector<double> lp_ratio = appendix_b_ratios(band, lp_mixture);
  // Evaluated, not the LP objective: exactly the guarantee of the returned p.
  result.lp_beta_star = 1.0 / *std::min_element(lp_ratio.begin(), lp_ratio.end());

  EqualisedMixture equalised = equalise_prefix_ratios(band, n);
  result.certified = equalised.certified;
  result.p = result.certified ? std::move(equalised.p) : lp_mixture;
  result.prefix_ratio = appendix_b_ratios(band, result.p);
  result.t_star = *std::min_element(result.prefix_ratio.begin(), result.prefix_ratio.end());
  result.beta_star = 1.0 / result.t_star;
  return result;
}

AppendixBResult appendix_b(int n) {
  const double cube = static_cast<double>(n) * n * n;
  if (n < 2) reject("n", n, "n ≥ 2 for the default M = n³ (M must exceed n)");
  return appendix_b(n, cube);
}

// ─── Appendix C(1) ──────────────────────────────────────────────────────────

namespace {

// Group of 0-based agent k among 2n: g_i = {i, 2n−1−i}.
int group_of(int agent, int n) { return agent < n ? agent : 2 * n - 1 - agent; }

std::vector<double> c1_utilities(const std::vector<double>& values, const std::vector<double>& p, int n) {
  std::vector<double> utilities(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) {
    utilities[k] = p[static_cast<std::size_t>(group_of(static_cast<int>(k), n))] * values[k];
  }
  return utilities;
}

// Σ_{k∈S} U_k(p) as coefficients on the group columns, one entry per group.
void subset_terms(std::uint32_t subset, const std::vector<double>& values, int n, double scale,
                  const std::vector<int>& group_column, std::vector<Term>& terms) {
  std::vector<double> coefficient(static_cast<std::size_t>(n), 0.0);
  for (int k = 0; k < 2 * n; ++k) {
    if ((subset >> k) & 1U)
      coefficient[static_cast<std::size_t>(group_of(k, n))] += values[static_cast<std::size_t>(k)];
  }
  terms.clear();
  for (int g = 0; g < n; ++g) {
    const double c = coefficient[static_cast<std::size_t>(g)];
    if (c != 0.0) terms.emplace_back(group_column[static_cast<std::size_t>(g)], c * scale);
  }
}

// max bound over the group distribution p s.t., for every j with weight_j > 0
// and every j-subset S of the 2n agents, weight_j·U(S) ≥ bound (Q_j(U) ≥ s ⇔
// U(S) ≥ s for all |S| = j). With weight_j = 1/Q*_j for all j it is the
// τ-program, whose binding rows have activity ≈ τ = O(1); with a single j and
// weight 1 it is Q*_j, whose binding rows hold the j smallest utilities only.
std::vector<double> solve_subset_program(const std::vector<double>& values, int n, const std::vector<double>& weight,
                                         const char* what) {
  LinearProgram program;
  std::vector<int> group_column(static_cast<std::size_t>(n));
  for (int& column : group_column) column = program.add_column(0.0, 1.0, 0.0);
  const int bound = program.add_column(0.0, kInfinity, 1.0);
  std::vector<Term> simplex;
  for (int column : group_column) simplex.emplace_back(column, 1.0);
  program.add_row(simplex, 1.0, 1.0);
  std::vector<Term> terms;
  const std::uint32_t subsets = std::uint32_t{1} << (2 * n);
  for (std::uint32_t subset = 1; subset < subsets; ++subset) {
    const double scale = weight[static_cast<std::size_t>(std::popcount(subset) - 1)];
    if (scale == 0.0) continue;
    subset_terms(subset, values, n, scale, group_column, terms);
    terms.emplace_back(bound, -1.0);
    program.add_row(terms, 0.0, kInfinity);
  }
  const LinearProgram::Solution solution = solve_or_throw(program, what);
  std::vector<double> p(solution.primal.begin(), solution.primal.begin() + n);
  for (double& weight_g : p) weight_g = std::max(weight_g, 0.0);
  const double total = std::accumulate(p.begin(), p.end(), 0.0);
  for (double& weight_g : p) weight_g /= total;
  return p;
}

}  // namespace

AppendixC1Result appendix_c1(int n, double N) {
  if (n < 1 || n > kAppendixC1MaxGroups) reject("n", n, "1 ≤ n ≤ " + std::to_string(kAppendixC1MaxGroups));
  const double threshold = std::pow(static_cast<double>(n), 2.0 * n);
  if (!std::isfinite(N) || !(N > threshold)) {
    reject("N", N, "a finite N > n^{2n} = " + std::to_string(threshold) + " (the theory needs N = ω(n^{2n}))");
  }
  AppendixC1Result result;
  result.n = n;
  result.N = N;
  const auto agents = static_cast<std::size_t>(2 * n);
  result.values.resize(agents);
  for (int i = 1; i <= n; ++i) {
    const double low = std::pow(static_cast<double>(n), 2.0 * i);
    result.values[static_cast<std::size_t>(i - 1)] = low;
    result.values[static_cast<std::size_t>(2 * n - i)] = N - low;
  }

  // Q*_j, evaluated at the maximiser the LP returns (so each is attained).
  result.best_prefix.resize(agents);
  for (std::size_t j = 0; j < agents; ++j) {
    std::vector<double> weight(agents, 0.0);
    weight[j] = 1.0;
    const std::vector<double> p = solve_subset_program(result.values, n, weight, "Appendix C(1) Q*_j");
    result.best_prefix[j] = prefix_sums(c1_utilities(result.values, p, n))[j];
  }

  std::vector<double> weight(agents);
  for (std::size_t j = 0; j < agents; ++j) weight[j] = 1.0 / result.best_prefix[j];
  result.p = solve_subset_program(result.values, n, weight, "Appendix C(1) best-α");
  result.utilities = c1_utilities(result.values, result.p, n);
  result.prefix = prefix_sums(result.utilities);
  result.alpha = 0.0;
  for (std::size_t j = 0; j < agents; ++j) {
    result.alpha = std::max(result.alpha, result.best_prefix[j] / result.prefix[j]);
  }
  return result;
}

// ─── Appendix C(2) ──────────────────────────────────────────────────────────

namespace {

constexpr std::array<double, 4> kC2Phi{0.0, 1.0, 1.9, 2.5};
constexpr double kC2Cut = 0.39;

std::vector<double> c2_vertices() {
  const Polymatroid g = make_cardinality({kC2Phi.begin(), kC2Phi.end()});
  std::array<int, 3> order{0, 1, 2};
  std::vector<double> vertices;
  std::array<double, 3> vertex{};
  do {
    greedy_vertex(g, order, vertex);
    vertices.insert(vertices.end(), vertex.begin(), vertex.end());
  } while (std::next_permutation(order.begin(), order.end()));
  return vertices;
}

// Convex weights λ over the 6 vertices with the cut row; the caller adds the
// objective or the point rows.
struct CutProgram {
  LinearProgram program;
  std::array<int, 6> weight{};
};

CutProgram cut_program(const std::vector<double>& vertices, const std::array<double, 3>& objective) {
  CutProgram cut;
  std::vector<Term> simplex;
  std::vector<Term> cut_row;
  for (std::size_t r = 0; r < cut.weight.size(); ++r) {
    double gain = 0.0;
    for (std::size_t c = 0; c < 3; ++c) gain += objective[c] * vertices[3 * r + c];
    cut.weight[r] = cut.program.add_column(0.0, 1.0, gain);
    simplex.emplace_back(cut.weight[r], 1.0);
    cut_row.emplace_back(cut.weight[r], vertices[3 * r] - vertices[3 * r + 1]);
  }
  cut.program.add_row(simplex, 1.0, 1.0);
  cut.program.add_row(cut_row, -kInfinity, kC2Cut);
  return cut;
}

bool cut_polytope_contains(const std::vector<double>& vertices, std::span<const double> point) {
  CutProgram cut = cut_program(vertices, {0.0, 0.0, 0.0});
  std::vector<Term> coordinate;
  for (std::size_t c = 0; c < 3; ++c) {
    coordinate.clear();
    for (std::size_t r = 0; r < cut.weight.size(); ++r) coordinate.emplace_back(cut.weight[r], vertices[3 * r + c]);
    cut.program.add_row(coordinate, point[c], point[c]);
  }
  const LinearProgram::Solution solution = cut.program.maximize();
  if (solution.status == LinearProgram::Status::optimal) return true;
  if (solution.status == LinearProgram::Status::infeasible) return false;
  throw std::runtime_error("persuasion: the Appendix C(2) membership LP failed");
}

}  // namespace

bool appendix_c2_cut_polytope_contains(std::span<const double> point) {
  if (point.size() != 3) reject("point dimension", point.size(), "3");
  return cut_polytope_contains(c2_vertices(), point);
}

AppendixC2Result appendix_c2() {
  AppendixC2Result result;
  result.h.assign(kC2Phi.begin(), kC2Phi.end());
  result.cut = kC2Cut;
  result.vertices = c2_vertices();

  result.vertices_are_permutations = true;
  for (std::size_t r = 0; r < 6; ++r) {
    std::array<double, 3> sorted{result.vertices[3 * r], result.vertices[3 * r + 1], result.vertices[3 * r + 2]};
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const std::array<double, 3> expected{1.0, 0.9, 0.6};
    for (std::size_t c = 0; c < 3; ++c) {
      if (std::abs(sorted[c] - expected[c]) > 1e-12) result.vertices_are_permutations = false;
    }
  }

  for (std::uint32_t subset = 1; subset < 8; ++subset) {
    std::array<double, 3> indicator{};
    for (std::size_t c = 0; c < 3; ++c) indicator[c] = ((subset >> c) & 1U) != 0 ? 1.0 : 0.0;
    const LinearProgram::Solution solution =
        solve_or_throw(cut_program(result.vertices, indicator).program, "Appendix C(2) saturation");
    result.saturation.push_back(solution.objective);
    result.rank.push_back(kC2Phi[static_cast<std::size_t>(std::popcount(subset))]);
    result.max_saturation_gap =
        std::max(result.max_saturation_gap, std::abs(result.saturation.back() - result.rank.back()));
  }

  const std::array<double, 3> removed{1.0, 0.6, 0.9};
  const std::array<std::array<double, 3>, 2> created{{{0.99, 0.6, 0.91}, {1.0, 0.61, 0.89}}};
  result.removed_vertex_inside = cut_polytope_contains(result.vertices, removed);
  result.new_vertices_inside = true;
  for (const auto& vertex : created) {
    result.new_vertices_inside = result.new_vertices_inside && cut_polytope_contains(result.vertices, vertex);
    result.new_vertices_cut_gap = std::max(result.new_vertices_cut_gap, std::abs(vertex[0] - vertex[1] - kC2Cut));
  }
  return result;
}

}  // namespace mechsweep::persuasion
