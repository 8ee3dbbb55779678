// persuasion.market: fair persuasion under a polymatroid constraint (paper
// 004, spec 004 §2.2, §2.4, §4). One task draws n agents' independent value
// distributions and a constraint, then compares the policies of §4.3:
//   nr          no revelation (μ_i = θ_i), ties uniform;
//   fr_uniform  full revelation, value ties broken uniformly at random;
//   fr_star     full revelation with the 1-majorized selection rule: the
//               min-norm point U* of B(G) and the priority orders realising it;
//   sm          (ε > 0) Section 4's randomised single-mean policy with maximal
//               mappings facing the bucketed receiver: the least-majorized
//               fake utilities Û*, and the policy's canonical and true utilities;
// against the upper bound UB_j = min(min_{|S|=j} W_FR(S), (j/n)·G(E)), which
// holds for every policy and receiver (Jensen), and against the best prefix
// sums achieved by the policies computed.
//
//   parameter         type     default    range / choices                      meaning
//   agents            integer  6          [1, 1000]                            n (market size)
//   distribution      choice   two_point  two_point | random_two_point |       every D_i: {V w.p. q, 1}; q_i ~ U(0,1);
//                                         uniform_grid | geometric |           s values 1 + (V−1)t/(s−1), uniform;
//                                         random_grid                          V^{t/(s−1)} w.p. ∝ V^{−γt/(s−1)};
//                                                                              the uniform grid with seeded weights
//   value_scale       real     4          [1, 1e6]                             V
//   support           integer  3          [1, 8]                               s (grid families)
//   high_probability  real     0          [0, 1]                               two_point's q; 0 = 1/√n
//   gamma             real     1          [0, 10]                              geometric's power-law exponent
//   constraint        choice   uniform    uniform | partition | laminar |      min(|S|, k); Σ_g min(|S∩E_g|, k_g);
//                                         budget | click                       group caps under a root cap;
//                                                                              min(B, Σc); 1 − Π(1 − p)
//   capacity          real     0.25       [0.001, 1]                           k/n; k_g/|E_g|; cap per member;
//                                                                              B/Σc (click ignores it)
//   groups            integer  2          [1, 1000]                            partition / laminar groups (≤ n)
//   click_low         real     0.1        [0, 1]                               click p_i ~ U(click_low, click_high)
//   click_high        real     0.5        [0, 1]
//   epsilon           real     1          [0, 100]                             bucket width ε; 0 skips Section 4
//   oracle            choice   automatic  automatic | enumerate | monte_carlo  how E_v is taken (spec §5)
//   samples           integer  20000      [100, 1e7]                           Monte Carlo scenarios
//   min_norm          choice   wolfe      wolfe | frank_wolfe                  the min-norm-point algorithm
//   min_norm_tolerance real    1e-9       [1e-15, 0.01]                        stop at gap ≤ tolerance·scale
//   min_norm_iterations integer 20000     [1, 1e7]                             iteration cap (fr_star_converged says)
//
// The instance, and every Monte Carlo sample, comes from the task seed.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/seed.hpp"
#include "mechanisms/persuasion/bucketed_receiver.hpp"
#include "mechanisms/persuasion/errors.hpp"
#include "mechanisms/persuasion/full_revelation.hpp"
#include "mechanisms/persuasion/majorization.hpp"
#include "mechanisms/persuasion/min_norm.hpp"
#include "mechanisms/persuasion/polymatroid.hpp"
#include "mechanisms/persuasion/prior.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace ps = mechsweep::persuasion;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using ps::detail::show;
// Monte Carlo work per vertex call (scenarios × agents) a task may ask for.
constexpr double kMaxMonteCarloWork = 2e7;
constexpr double kEnumerationLimit = 65536.0;  // OracleOptions::enumeration_limit's default

// The policies compared, in column order; `sm` only when ε > 0.
const std::vector<std::string>& policies() {
  static const std::vector<std::string> kPolicies = {"nr", "fr_uniform", "fr_star", "sm"};
  return kPolicies;
}

std::size_t agents_of(const ParamPoint& point) { return static_cast<std::size_t>(point.integer("agents")); }
std::size_t agents_if_bucketed(const ParamPoint& point) {
  return point.real("epsilon") > 0.0 ? agents_of(point) : 0;
}

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "persuasion.market";
  info.summary = "Paper 004: fair persuasion — NR, FR (uniform and 1-majorized) and Section 4's RSM policy vs UB_j";
  info.params = {
      integer_param("agents", 6, 1, 1000, "n, agents (market size)"),
      choice_param("distribution", "two_point",
                   {"two_point", "random_two_point", "uniform_grid", "geometric", "random_grid"},
                   "value distributions: {V w.p. q, 1}; q_i ~ U(0,1); an s-point uniform grid on [1, V]; "
                   "s geometric points with power-law weights; the grid with seeded weights per agent"),
      real_param("value_scale", 4, 1, 1e6, "V, the largest value (the smallest is 1)"),
      integer_param("support", 3, 1, 8, "s, support size of the grid families"),
      real_param("high_probability", 0, 0, 1, "two_point: q = P(v = V); 0 means 1/√n (Appendix A)"),
      real_param("gamma", 1, 0, 10, "geometric: weights ∝ V^{−γ t/(s−1)}"),
      choice_param("constraint", "uniform", {"uniform", "partition", "laminar", "budget", "click"},
                   "the polymatroid: k-uniform, partition, laminar group caps, budget, click"),
      real_param("capacity", 0.25, 0.001, 1,
                 "uniform: k/n; partition: k_g/|E_g|; laminar: cap per member of each group (root: half the "
                 "groups' total); budget: B/Σc"),
      integer_param("groups", 2, 1, 1000, "partition and laminar: contiguous groups (at most n)"),
      real_param("click_low", 0.1, 0, 1, "click: p_i ~ U(click_low, click_high)"),
      real_param("click_high", 0.5, 0, 1, "click: upper end of p_i"),
      real_param("epsilon", 1, 0, 100, "bucket width ε of the bounded-rational receiver; 0 skips Section 4"),
      choice_param("oracle", "automatic", {"automatic", "enumerate", "monte_carlo"},
                   "E_v: polynomial oracle where one exists, else enumeration up to 2^16 scenarios, else "
                   "Monte Carlo"),
      integer_param("samples", 20000, 100, 1e7, "Monte Carlo scenarios (one fixed sample per task)"),
      choice_param("min_norm", "wolfe", {"wolfe", "frank_wolfe"}, "the min-norm-point algorithm for U* and Û*"),
      real_param("min_norm_tolerance", 1e-9, 1e-15, 0.01,
                 "stop when the gap ⟨U, U − s⟩ ≤ tolerance × the squared scale of the vertices"),
      integer_param("min_norm_iterations", 20000, 1, 1e7, "iteration cap of the min-norm algorithm"),
  };
  auto& c = info.columns;
  const auto real = [&](const std::string& name, const std::string& doc, bool nan = false) {
    c.push_back(real_column(name, doc, nan));
  };
  const auto integer = [&](const std::string& name, const std::string& doc) {
    c.push_back(integer_column(name, doc));
  };
  integer("oracle_exact", "1: E_v is exact (enumeration or a polynomial oracle); 0: Monte Carlo");
  real("welfare_fr", "G(E) = E_v max_{x∈P(f)} v·x, the welfare of every FR policy");
  for (const std::string& policy : policies()) {
    const bool sm = policy == "sm";
    const std::string what = sm ? " (true utilities; NaN when ε = 0)" : "";
    real(policy + "_welfare", "Σ U" + what, sm);
    real(policy + "_min", "min U" + what, sm);
    real(policy + "_nash", "Σ log U (−∞ with a zero-utility agent)" + what, sm);
    real(policy + "_zero_agents", "agents with U_i = 0" + what, sm);
    real(policy + "_ratio_upper", "max_j UB_j / Q_j(U)" + what, sm);
    real(policy + "_ratio_lower", "max_j (best achieved Q_j) / Q_j(U)" + what, sm);
  }
  real("fr_star_gap", "min-norm gap ⟨U, U − s⟩ (‖U − U*‖² ≤ gap)");
  integer("fr_star_iterations", "min-norm iterations for U*");
  integer("fr_star_converged", "1: the min-norm algorithm met its tolerance (0: the iteration cap stopped it)");
  integer("fr_star_oracle_calls", "vertex-oracle calls for U*");
  integer("fr_star_mixture_size", "priority orders in the selection rule realising U*");
  integer("fr_star_majorizes", "1: Q_j(U*) ≥ Q_j(U) − 1e-9·G(E) for NR and FR uniform, every j (must be 1 when exact)");
  integer("buckets", "K = max(1, ⌈ln V / ln(1+ε)⌉) (0 when ε = 0)");
  real("bound_canonical", "Theorem 4.9: K (canonical utilities)", true);
  real("bound_true", "(1+ε)·K (true utilities)", true);
  real("sm_fake_welfare", "Ĝ(E), the fake welfare", true);
  real("sm_fake_min", "min Û*", true);
  real("sm_gap", "min-norm gap for Û*", true);
  real("sm_bayes_residual", "largest Bayes-plausibility residual of the maximal mappings", true);
  real("sm_certificate_ratio", "max_j Q_j(U_sm true) / ((1+ε)K·Q_j(Û*)); ≤ 1 by Theorem 4.9", true);
  integer("sm_mixture_size", "priority orders realising Û*");
  const auto per_agent = [&](const std::string& name, const std::string& doc, bool bucketed) {
    c.push_back(ColumnSpec{name, ColumnType::real, doc, false,
                           bucketed ? std::function<std::size_t(const ParamPoint&)>(agents_if_bucketed)
                                    : std::function<std::size_t(const ParamPoint&)>(agents_of)});
  };
  per_agent("u_nr", "per agent: U under no revelation", false);
  per_agent("u_fr_uniform", "per agent: U under FR with uniform ties", false);
  per_agent("u_fr_star", "per agent: the 1-majorized FR point U*", false);
  per_agent("q_nr", "Q_j(U_nr), j = 1..n (sum of the j smallest)", false);
  per_agent("q_fr_uniform", "Q_j(U_fr_uniform)", false);
  per_agent("q_fr_star", "Q_j(U*)", false);
  per_agent("ub_prefix", "UB_j, j = 1..n", false);
  per_agent("uhat_star", "per agent: Û*, least-majorized fake utilities (ε > 0)", true);
  per_agent("u_sm_canonical", "per agent: the RSM policy's canonical utilities (ε > 0)", true);
  per_agent("u_sm_true", "per agent: the RSM policy's true utilities (ε > 0)", true);
  per_agent("q_sm_true", "Q_j(U_sm true) (ε > 0)", true);
  return info;
}

std::vector<double> grid_values(double V, int s) {
  std::vector<double> values(static_cast<std::size_t>(s));
  for (int t = 0; t < s; ++t) values[static_cast<std::size_t>(t)] = s == 1 ? 1.0 : 1.0 + (V - 1.0) * t / (s - 1);
  return values;
}

ps::Prior make_prior(const ParamPoint& point, std::mt19937_64& rng) {
  const int n = static_cast<int>(point.integer("agents"));
  const double V = point.real("value_scale");
  const int s = static_cast<int>(point.integer("support"));
  const std::string& family = point.choice("distribution");
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  ps::Prior prior;
  prior.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::vector<double> values, weights;
    if (family == "two_point" || family == "random_two_point") {
      double q = point.real("high_probability");
      if (family == "random_two_point") q = unit(rng);
      else if (q == 0.0) q = 1.0 / std::sqrt(static_cast<double>(n));
      values = {V, 1.0};
      weights = {q, 1.0 - q};
    } else if (family == "geometric") {
      const double gamma = point.real("gamma");
      for (int t = 0; t < s; ++t) {
        const double exponent = s == 1 ? 0.0 : static_cast<double>(t) / (s - 1);
        values.push_back(std::pow(V, exponent));
        weights.push_back(std::pow(V, -gamma * exponent));
      }
    } else {
      values = grid_values(V, s);
      weights.assign(values.size(), 1.0);
      if (family == "random_grid") {
        std::exponential_distribution<double> gamma1(1.0);
        for (double& w : weights) w = gamma1(rng);
      }
    }
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    for (double& w : weights) w /= total;
    prior.push_back(ps::make_distribution(values, weights, "agent " + std::to_string(i)));
  }
  return prior;
}

std::vector<int> contiguous_groups(int n, int groups) {
  std::vector<int> group_of(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) group_of[static_cast<std::size_t>(i)] = static_cast<int>(
      static_cast<std::int64_t>(i) * groups / n);
  return group_of;
}

ps::Polymatroid make_constraint(const ParamPoint& point, std::mt19937_64& rng) {
  const int n = static_cast<int>(point.integer("agents"));
  const double capacity = point.real("capacity");
  const std::string& family = point.choice("constraint");
  if (family == "uniform") {
    return ps::make_uniform(n, std::clamp(static_cast<int>(std::lround(capacity * n)), 1, n));
  }
  if (family == "partition" || family == "laminar") {
    const int groups = static_cast<int>(point.integer("groups"));
    const std::vector<int> group_of = contiguous_groups(n, groups);
    std::vector<int> members(static_cast<std::size_t>(groups), 0);
    for (const int g : group_of) ++members[static_cast<std::size_t>(g)];
    if (family == "partition") {
      std::vector<int> caps;
      for (const int size : members) caps.push_back(std::max(1, static_cast<int>(std::lround(capacity * size))));
      return ps::make_partition(group_of, std::move(caps));
    }
    std::vector<ps::LaminarCaps::Node> nodes(static_cast<std::size_t>(groups));
    double total = 0.0;
    for (int i = 0; i < n; ++i) nodes[static_cast<std::size_t>(group_of[static_cast<std::size_t>(i)])].members.push_back(i);
    for (std::size_t g = 0; g < nodes.size(); ++g) {
      nodes[g].cap = capacity * members[g];
      total += nodes[g].cap;
    }
    ps::LaminarCaps::Node root;
    root.cap = total / 2.0;
    root.members.resize(static_cast<std::size_t>(n));
    std::iota(root.members.begin(), root.members.end(), 0);
    nodes.push_back(std::move(root));
    return ps::make_laminar_caps(std::vector<double>(static_cast<std::size_t>(n), 1.0), std::move(nodes));
  }
  if (family == "budget") {
    std::uniform_int_distribution<int> cost(1, 3);
    std::vector<double> costs(static_cast<std::size_t>(n));
    for (double& c : costs) c = cost(rng);
    const double budget = capacity * std::accumulate(costs.begin(), costs.end(), 0.0);
    return ps::make_budget(budget, std::move(costs));
  }
  std::uniform_real_distribution<double> p(point.real("click_low"), point.real("click_high"));
  std::vector<double> probabilities(static_cast<std::size_t>(n));
  for (double& value : probabilities) value = p(rng);
  return ps::make_click(std::move(probabilities));
}

ps::MinNormOptions min_norm_options_of(const ParamPoint& point) {
  ps::MinNormOptions options;
  options.tolerance = point.real("min_norm_tolerance");
  options.max_iterations = point.integer("min_norm_iterations");
  return options;
}

ps::OracleMethod oracle_method(const ParamPoint& point) { return ps::parse_oracle_method(point.choice("oracle")); }

double ratio_or_nan(std::span<const double> benchmark, std::span<const double> u) {
  return ps::approximation_ratio(benchmark, u, 1e-12);
}

class PersuasionMarket final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void validate(const ParamPoint& point) const override {
    const std::int64_t n = point.integer("agents");
    const std::string& constraint = point.choice("constraint");
    if ((constraint == "partition" || constraint == "laminar") && point.integer("groups") > n) {
      throw InvalidParams("groups", "groups = " + std::to_string(point.integer("groups")) + " with " +
                                        std::to_string(n) + " agents; expected at most one group per agent");
    }
    if (constraint == "click" && point.real("click_low") > point.real("click_high")) {
      throw InvalidParams(std::vector<std::string>{"click_low", "click_high"},
                          "click_low > click_high; expected click_low ≤ click_high");
    }
    const bool polynomial = constraint == "uniform" || constraint == "partition" || constraint == "click";
    const std::string& distribution = point.choice("distribution");
    const double support =
        distribution == "two_point" || distribution == "random_two_point" ? 2.0
                                                                           : static_cast<double>(point.integer("support"));
    // Π s_i, the scenarios enumeration visits (the library's limit is 2^16).
    const double scenarios = std::pow(support, static_cast<double>(n));
    const std::string& oracle = point.choice("oracle");
    if (oracle == "enumerate" && scenarios > kEnumerationLimit) {
      throw InvalidParams("oracle", "oracle = enumerate with " + std::to_string(n) + " agents of support " +
                                        std::to_string(static_cast<int>(support)) + ": s^n = " +
                                        show(scenarios) + " scenarios; expected at most 65536");
    }
    const double samples = static_cast<double>(point.integer("samples"));
    const bool sampled = oracle == "monte_carlo" || (oracle == "automatic" && !polynomial && scenarios > kEnumerationLimit);
    if (sampled && samples * static_cast<double>(n) > kMaxMonteCarloWork) {
      throw InvalidParams("samples", "samples = " + std::to_string(point.integer("samples")) + " with " +
                                         std::to_string(n) + " agents: Monte Carlo work " +
                                         show(samples * static_cast<double>(n)) +
                                         " per oracle call; expected samples × agents ≤ 2e7");
    }
  }

  void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const override {
    const int n = static_cast<int>(point.integer("agents"));
    std::mt19937_64 rng(derive_seed(seed, 0));
    const ps::Prior prior = make_prior(point, rng);
    const ps::Polymatroid f = make_constraint(point, rng);
    ps::OracleOptions options;
    options.method = oracle_method(point);
    options.samples = point.integer("samples");
    options.seed = derive_seed(seed, 1);
    const ps::MinNormMethod min_norm = ps::parse_min_norm_method(point.choice("min_norm"));
    const ps::MinNormOptions min_norm_options = min_norm_options_of(point);

    const ps::FullRevelation fr(f, prior, options);
    row.set("oracle_exact", fr.exact() ? 1 : 0);
    row.set("welfare_fr", fr.welfare());
    std::vector<std::vector<double>> utilities(policies().size());
    utilities[0] = ps::no_revelation(f, prior, options);
    utilities[1] = fr.uniform_tie_break();
    const ps::MinNormResult star = ps::min_norm_point(
        n, [&fr](std::span<const int> order, std::span<double> out) { fr.vertex(order, out); }, min_norm,
        min_norm_options);
    row.set("fr_star_converged", star.converged ? 1 : 0);
    utilities[2] = star.point;
    row.set("fr_star_gap", star.gap);
    row.set("fr_star_iterations", static_cast<double>(star.iterations));
    row.set("fr_star_oracle_calls", static_cast<double>(star.oracle_calls));
    row.set("fr_star_mixture_size", static_cast<double>(star.mixture.size()));
    const double slack = 1e-9 * std::max(1.0, fr.welfare());
    row.set("fr_star_majorizes",
            ps::majorizes(star.point, utilities[0], 1.0, slack) && ps::majorizes(star.point, utilities[1], 1.0, slack)
                ? 1
                : 0);
    const std::vector<double> upper = fr.upper_bound_prefix();

    const double epsilon = point.real("epsilon");
    if (epsilon > 0.0) {
      utilities[3] = record_section4(point, f, prior, seed, min_norm, row);
    } else {
      for (const char* name : {"bound_canonical", "bound_true", "sm_fake_welfare", "sm_fake_min", "sm_gap",
                               "sm_bayes_residual", "sm_certificate_ratio"}) {
        row.set(name, kNaN);
      }
      row.set("buckets", 0);
      row.set("sm_mixture_size", 0);
    }

    // The best prefix sums achieved by any policy computed here: the lower
    // benchmark of spec §4.3.
    std::vector<double> best(static_cast<std::size_t>(n), 0.0);
    for (const auto& u : utilities) {
      if (u.empty()) continue;
      const std::vector<double> q = ps::prefix_sums_smallest(u);
      for (std::size_t j = 0; j < best.size(); ++j) best[j] = std::max(best[j], q[j]);
    }
    for (std::size_t p = 0; p < policies().size(); ++p) {
      const std::string& policy = policies()[p];
      const auto& u = utilities[p];
      if (u.empty()) {
        for (const char* suffix : {"_welfare", "_min", "_nash", "_zero_agents", "_ratio_upper", "_ratio_lower"}) {
          row.set(policy + suffix, kNaN);
        }
        continue;
      }
      const ps::UtilitySummary summary = ps::summarize_utilities(u, 1e-12);
      row.set(policy + "_welfare", summary.welfare);
      row.set(policy + "_min", summary.min);
      row.set(policy + "_nash", summary.nash_welfare);
      row.set(policy + "_zero_agents", summary.zero_count);
      row.set(policy + "_ratio_upper", ratio_or_nan(upper, u));
      row.set(policy + "_ratio_lower", ratio_or_nan(best, u));
    }
    row.set_ragged("u_nr", utilities[0]);
    row.set_ragged("u_fr_uniform", utilities[1]);
    row.set_ragged("u_fr_star", utilities[2]);
    row.set_ragged("q_nr", ps::prefix_sums_smallest(utilities[0]));
    row.set_ragged("q_fr_uniform", ps::prefix_sums_smallest(utilities[1]));
    row.set_ragged("q_fr_star", ps::prefix_sums_smallest(utilities[2]));
    row.set_ragged("ub_prefix", upper);
    if (!utilities[3].empty()) {
      row.set_ragged("u_sm_true", utilities[3]);
      row.set_ragged("q_sm_true", ps::prefix_sums_smallest(utilities[3]));
    }
  }

 private:
  // Section 4 (A4): returns the RSM policy's true utilities.
  static std::vector<double> record_section4(const ParamPoint& point, const ps::Polymatroid& f,
                                             const ps::Prior& prior, std::uint64_t seed, ps::MinNormMethod min_norm,
                                             ResultRow& row) {
    const int n = static_cast<int>(point.integer("agents"));
    const double epsilon = point.real("epsilon");
    ps::BucketedOptions options;
    options.method = oracle_method(point);
    options.samples = point.integer("samples");
    options.seed = derive_seed(seed, 2);
    options.value_scale = point.real("value_scale");
    const ps::BucketedReceiver receiver(f, prior, epsilon, options);
    const int K = receiver.buckets().K;
    row.set("buckets", K);
    row.set("bound_canonical", K);
    row.set("bound_true", (1.0 + epsilon) * K);
    const ps::MinNormResult fake = ps::min_norm_point(n, receiver.vertex_oracle(), min_norm, min_norm_options_of(point));
    row.set("sm_fake_welfare", receiver.welfare());
    row.set("sm_fake_min", *std::min_element(fake.point.begin(), fake.point.end()));
    row.set("sm_gap", fake.gap);
    row.set("sm_bayes_residual", receiver.max_bayes_residual());
    row.set("sm_mixture_size", static_cast<double>(fake.mixture.size()));
    std::vector<std::vector<int>> orders;
    std::vector<double> weights;
    for (const ps::WeightedOrder& entry : fake.mixture) {
      orders.push_back(entry.order);
      weights.push_back(entry.weight);
    }
    ps::RsmUtilities policy = receiver.rsm_utilities(orders, weights);
    const std::vector<double> certificate = receiver.true_certificate(fake.point);
    const std::vector<double> achieved = ps::prefix_sums_smallest(policy.true_utility);
    double worst = 0.0;
    for (std::size_t j = 0; j < achieved.size(); ++j) {
      worst = std::max(worst, certificate[j] > 0.0 ? achieved[j] / certificate[j] : (achieved[j] > 1e-12 ? 1e300 : 0.0));
    }
    row.set("sm_certificate_ratio", worst);
    row.set_ragged("uhat_star", fake.point);
    row.set_ragged("u_sm_canonical", std::move(policy.canonical));
    return std::move(policy.true_utility);
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::PersuasionMarket)
