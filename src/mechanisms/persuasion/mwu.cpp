#include "mechanisms/persuasion/mwu.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "solvers/lp.hpp"

namespace mechsweep::persuasion {
namespace {

constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();

std::int64_t saturating_ceil(double value) {
  if (!(value < 9.0e18)) return kMaxCount;
  return static_cast<std::int64_t>(std::ceil(value));
}

void require_positive(double value, const char* what) {
  if (!(value > 0.0) || !std::isfinite(value)) {
    throw std::invalid_argument(std::string("persuasion: ") + what + " = " + std::to_string(value) +
                                ", expected a finite number > 0");
  }
}

void require_agent_count(int n) {
  if (n < 1) throw std::invalid_argument("persuasion: agent count = " + std::to_string(n) + ", expected ≥ 1");
}

void require_distribution(std::span<const double> p) {
  require_agent_count(static_cast<int>(p.size()));
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] >= 0.0) || !std::isfinite(p[i])) {
      throw std::invalid_argument("persuasion: constraint weight " + std::to_string(i) + " = " + std::to_string(p[i]) +
                                  ", expected a finite number ≥ 0");
    }
  }
}

// Agents by p descending, ties by index: the priority order of oracle A, and
// the order against which the easy-set minimiser is sorted.
void sort_descending(std::span<const double> p, std::vector<int>& order) {
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
}

double closed_form_minimum(std::span<const double> p, int j, double target, std::span<double> minimiser,
                           std::vector<int>& by_p_descending) {
  const int n = static_cast<int>(p.size());
  sort_descending(p, by_p_descending);
  // sum of the n − z smallest p = total − (sum of the z largest).
  const double total = std::accumulate(p.begin(), p.end(), 0.0);
  double largest = 0.0;
  double best = std::numeric_limits<double>::infinity();
  int best_z = 0;
  for (int z = 0; z < j; ++z) {
    if (z > 0) largest += p[by_p_descending[z - 1]];
    const double value = target / (j - z) * (total - largest);
    if (value < best) {
      best = value;
      best_z = z;
    }
  }
  const double level = target / (j - best_z);
  for (int k = 0; k < n; ++k) minimiser[by_p_descending[k]] = k < best_z ? 0.0 : level;
  return best;
}

double lp_minimum(std::span<const double> p, std::span<const double> targets, std::span<double> minimiser,
                  std::vector<int>& by_p_descending) {
  const int n = static_cast<int>(p.size());
  sort_descending(p, by_p_descending);
  // y_k = Σ_{l≤k} d_l (d ≥ 0) is the k-th smallest coordinate, given to the
  // agent with the k-th largest p; the objective is Σ_l d_l·(tail sum of p).
  solvers::LinearProgram lp;
  double tail = 0.0;
  std::vector<double> tails(n);
  for (int k = n - 1; k >= 0; --k) tails[k] = tail += p[by_p_descending[k]];
  for (int l = 0; l < n; ++l) lp.add_column(0.0, solvers::kInfinity, -tails[l]);
  std::vector<std::pair<int, double>> terms;
  terms.reserve(n);
  for (int j = 1; j <= n; ++j) {
    const double target = targets[j - 1];
    if (!(target > 0.0)) continue;  // implied by d ≥ 0
    terms.clear();
    for (int l = 0; l < j; ++l) terms.emplace_back(l, static_cast<double>(j - l));  // Q_j = Σ_{l≤j} (j−l+1) d_l
    lp.add_row(terms, target, solvers::kInfinity);
  }
  const auto solution = lp.maximize();
  if (solution.status != solvers::LinearProgram::Status::optimal) {
    throw std::runtime_error("persuasion: easy-set LP status = " + std::to_string(static_cast<int>(solution.status)) +
                             ", expected optimal");
  }
  double level = 0.0;
  double value = 0.0;
  for (int k = 0; k < n; ++k) {
    level += std::max(0.0, solution.primal[k]);
    minimiser[by_p_descending[k]] = level;
    value += p[by_p_descending[k]] * level;
  }
  return value;
}

struct InstanceScale {
  double welfare = 0.0;        // G(E)
  double max_singleton = 0.0;  // max_i G({i})
};

InstanceScale measure_instance(int n, const VertexOracle& oracle, bool need_singletons, std::int64_t& calls) {
  InstanceScale scale;
  std::vector<int> order(n);
  std::vector<double> vertex(n);
  std::iota(order.begin(), order.end(), 0);
  oracle(order, vertex);
  ++calls;
  scale.welfare = std::accumulate(vertex.begin(), vertex.end(), 0.0);
  scale.max_singleton = vertex[0];
  if (need_singletons) {
    for (int i = 1; i < n; ++i) {
      std::swap(order[0], order[i]);  // agent i first: its coordinate is G({i})
      oracle(order, vertex);
      ++calls;
      scale.max_singleton = std::max(scale.max_singleton, vertex[i]);
      std::swap(order[0], order[i]);
    }
  }
  return scale;
}

struct HedgeRun {
  bool infeasible = false;
  std::int64_t iterations = 0;
  std::vector<double> policy;  // ū
  std::vector<double> target;  // Ū
  double max_cost = 0.0;
};

// One Hedge run over the hard constraints c_i = u_i − U_i ≥ 0. `easy(p, U)`
// writes the easy-set minimiser and returns B.
template <class Easy>
HedgeRun run_hedge(int n, const VertexOracle& oracle, Easy&& easy, const MwuSchedule& schedule, std::int64_t iterations,
                   std::map<std::vector<int>, std::int64_t>* order_counts) {
  HedgeRun run;
  run.policy.assign(n, 0.0);
  run.target.assign(n, 0.0);
  std::vector<double> weight(n, 1.0 / n);
  std::vector<double> vertex(n);
  std::vector<double> easy_point(n);
  std::vector<int> order(n);
  for (std::int64_t t = 0; t < iterations; ++t) {
    sort_descending(weight, order);
    oracle(order, vertex);
    double a = 0.0;
    for (int i = 0; i < n; ++i) a += weight[i] * vertex[i];
    const double b = easy(weight, easy_point);
    // The iteration counts even when it proves infeasibility, so that a run
    // stopped at once still has a (one-order) policy to report.
    ++run.iterations;
    for (int i = 0; i < n; ++i) {
      run.policy[i] += vertex[i];
      run.target[i] += easy_point[i];
    }
    if (order_counts != nullptr) ++(*order_counts)[order];
    if (a < b - 1e-12 * std::max({1.0, std::abs(a), std::abs(b)})) {
      run.infeasible = true;
      break;
    }
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
      const double cost = vertex[i] - easy_point[i];
      run.max_cost = std::max(run.max_cost, std::abs(cost));
      // The factor stays in [1 − ε, 1 + ε] while |c_i| ≤ ρ; a width the costs
      // exceed (reported through max_cost) must not make a weight negative.
      weight[i] *= std::max(0.0, 1.0 - schedule.step * cost / schedule.width);
      total += weight[i];
    }
    if (total > 0.0) {
      for (double& value : weight) value /= total;
    } else {
      std::fill(weight.begin(), weight.end(), 1.0 / n);
    }
  }
  const double count = static_cast<double>(std::max<std::int64_t>(run.iterations, 1));
  for (int i = 0; i < n; ++i) {
    run.policy[i] /= count;
    run.target[i] /= count;
  }
  return run;
}

std::int64_t capped_iterations(const MwuSchedule& schedule, std::int64_t cap) {
  return cap > 0 ? std::min(cap, schedule.required_iterations) : schedule.required_iterations;
}

void require_options(const MwuOptions& options) {
  require_positive(options.delta, "MWU delta");
  if (!(options.width >= 0.0) || !std::isfinite(options.width)) {
    throw std::invalid_argument("persuasion: MWU width = " + std::to_string(options.width) +
                                ", expected a finite number ≥ 0 (0: computed)");
  }
  if (options.max_iterations < 0 || options.max_combined_iterations < 0) {
    throw std::invalid_argument("persuasion: MWU iteration cap = " +
                                std::to_string(std::min(options.max_iterations, options.max_combined_iterations)) +
                                ", expected ≥ 0 (0: uncapped)");
  }
  if (options.binary_search_rounds < 0) {
    throw std::invalid_argument("persuasion: MWU binary search rounds = " +
                                std::to_string(options.binary_search_rounds) + ", expected ≥ 0 (0: computed)");
  }
}

MwuSchedule schedule_for(int n, const MwuOptions& options, const InstanceScale& scale) {
  const double width = options.width > 0.0 ? options.width : std::max(scale.max_singleton, scale.welfare);
  return mwu_schedule(n, options.delta, width > 0.0 ? width : 1.0);
}

// ⌈log₂(G(E)/δ)⌉ (at least 1) rounds leave a bracket of width
// (j/n)·G(E)/2^rounds ≤ δ.
int default_rounds(double welfare, double delta) {
  const double ratio = welfare / delta;
  if (!(ratio > 1.0)) return 1;
  return static_cast<int>(std::ceil(std::log2(std::min(ratio, 1e300))));
}

struct PrefixSearch {
  PrefixOptimum optimum;
  double max_cost = 0.0;
};

PrefixSearch search_prefix(int n, const VertexOracle& oracle, int j, const MwuOptions& options,
                           const InstanceScale& scale, const MwuSchedule& schedule) {
  PrefixSearch search;
  search.optimum.j = j;
  double low = 0.0;
  double high = static_cast<double>(j) / n * scale.welfare;  // Q_j ≤ (j/n)·Σ U
  const int rounds =
      options.binary_search_rounds > 0 ? options.binary_search_rounds : default_rounds(scale.welfare, options.delta);
  const std::int64_t iterations = capped_iterations(schedule, options.max_iterations);
  std::vector<int> scratch(n);
  for (int round = 0; round < rounds && high > 0.0; ++round) {
    const double target = 0.5 * (low + high);
    const auto easy = [&](std::span<const double> p, std::span<double> point) {
      return closed_form_minimum(p, j, target, point, scratch);
    };
    const HedgeRun run = run_hedge(n, oracle, easy, schedule, iterations, nullptr);
    search.optimum.iterations += run.iterations;
    search.max_cost = std::max(search.max_cost, run.max_cost);
    if (run.infeasible) {
      high = target;
    } else {
      low = target;
      if (iterations < schedule.required_iterations) search.optimum.capped = true;
    }
  }
  search.optimum.value = low;
  search.optimum.lower = std::max(0.0, low - j * schedule.delta_prime);
  search.optimum.upper = high;
  return search;
}

}  // namespace

MwuSchedule mwu_schedule(int n, double delta, double width) {
  require_agent_count(n);
  require_positive(delta, "MWU delta");
  require_positive(width, "MWU width");
  MwuSchedule schedule;
  schedule.delta_prime = delta / n;
  schedule.width = width;
  schedule.step = schedule.delta_prime / (2.0 * width);
  const double required =
      4.0 * width * width * std::log(static_cast<double>(n)) / (schedule.delta_prime * schedule.delta_prime);
  schedule.required_iterations = std::max<std::int64_t>(1, saturating_ceil(required));
  return schedule;
}

std::int64_t hoeffding_sample_size(double range, int n, double delta, double beta) {
  require_agent_count(n);
  require_positive(range, "Hoeffding range");
  require_positive(delta, "Hoeffding delta");
  if (!(beta > 0.0 && beta < 1.0)) {
    throw std::invalid_argument("persuasion: Hoeffding failure probability = " + std::to_string(beta) +
                                ", expected a number in (0, 1)");
  }
  const double count = static_cast<double>(n);
  return saturating_ceil(range * range * count * count * std::log(2.0 * count / beta) / (2.0 * delta * delta));
}

double hoeffding_half_width(double range, int n, std::int64_t samples, double beta) {
  require_agent_count(n);
  require_positive(range, "Hoeffding range");
  if (samples < 1) {
    throw std::invalid_argument("persuasion: Hoeffding sample count = " + std::to_string(samples) + ", expected ≥ 1");
  }
  if (!(beta > 0.0 && beta < 1.0)) {
    throw std::invalid_argument("persuasion: Hoeffding failure probability = " + std::to_string(beta) +
                                ", expected a number in (0, 1)");
  }
  return range * std::sqrt(std::log(2.0 * n / beta) / (2.0 * static_cast<double>(samples)));
}

double prefix_target_minimum(std::span<const double> p, int j, double target, std::span<double> minimiser) {
  require_distribution(p);
  const int n = static_cast<int>(p.size());
  if (j < 1 || j > n) {
    throw std::invalid_argument("persuasion: prefix index j = " + std::to_string(j) + ", expected 1.." +
                                std::to_string(n));
  }
  if (!(target >= 0.0) || !std::isfinite(target)) {
    throw std::invalid_argument("persuasion: prefix target = " + std::to_string(target) +
                                ", expected a finite number ≥ 0");
  }
  if (minimiser.size() != p.size()) {
    throw std::invalid_argument("persuasion: minimiser length = " + std::to_string(minimiser.size()) + ", expected " +
                                std::to_string(n));
  }
  std::vector<int> scratch(n);
  return closed_form_minimum(p, j, target, minimiser, scratch);
}

double prefix_targets_minimum(std::span<const double> p, std::span<const double> targets, std::span<double> minimiser) {
  require_distribution(p);
  const int n = static_cast<int>(p.size());
  if (targets.size() != p.size() || minimiser.size() != p.size()) {
    throw std::invalid_argument("persuasion: prefix target length = " + std::to_string(targets.size()) + ", expected " +
                                std::to_string(n));
  }
  for (std::size_t j = 0; j < targets.size(); ++j) {
    if (!std::isfinite(targets[j])) {
      throw std::invalid_argument("persuasion: prefix target " + std::to_string(j + 1) + " = " +
                                  std::to_string(targets[j]) + ", expected a finite number");
    }
  }
  std::vector<int> scratch(n);
  return lp_minimum(p, targets, minimiser, scratch);
}

PrefixOptimum mwu_max_prefix_sum(int n, const VertexOracle& oracle, int j, const MwuOptions& options) {
  require_agent_count(n);
  require_options(options);
  if (j < 1 || j > n) {
    throw std::invalid_argument("persuasion: prefix index j = " + std::to_string(j) + ", expected 1.." +
                                std::to_string(n));
  }
  std::int64_t calls = 0;
  const InstanceScale scale = measure_instance(n, oracle, options.width == 0.0, calls);
  return search_prefix(n, oracle, j, options, scale, schedule_for(n, options, scale)).optimum;
}

MwuResult mwu_majorized_point(int n, const VertexOracle& oracle, const MwuOptions& options) {
  require_agent_count(n);
  require_options(options);
  MwuResult result;
  const InstanceScale scale = measure_instance(n, oracle, options.width == 0.0, result.oracle_calls);
  result.schedule = schedule_for(n, options, scale);
  const double delta_prime = result.schedule.delta_prime;

  // Step 2: OPT_j for every j.
  std::vector<double> targets(n);
  for (int j = 1; j <= n; ++j) {
    const PrefixSearch search = search_prefix(n, oracle, j, options, scale, result.schedule);
    result.prefix.push_back(search.optimum);
    result.iterations += search.optimum.iterations;
    result.max_cost = std::max(result.max_cost, search.max_cost);
    result.iteration_cap_hit = result.iteration_cap_hit || search.optimum.capped;
    targets[j - 1] = std::max(0.0, search.optimum.value - j * delta_prime);
  }

  // Step 4: one run for all j with the lowered targets; step 5: its orders.
  std::map<std::vector<int>, std::int64_t> order_counts;
  std::vector<int> scratch(n);
  const auto easy = [&](std::span<const double> p, std::span<double> point) {
    return lp_minimum(p, targets, point, scratch);
  };
  const std::int64_t iterations = capped_iterations(result.schedule, options.max_combined_iterations);
  const HedgeRun run = run_hedge(n, oracle, easy, result.schedule, iterations, &order_counts);
  result.iterations += run.iterations;
  result.max_cost = std::max(result.max_cost, run.max_cost);
  result.combined_infeasible = run.infeasible;
  if (!run.infeasible && iterations < result.schedule.required_iterations) result.iteration_cap_hit = true;
  result.oracle_calls += result.iterations;

  result.utilities = run.policy;
  result.target_utilities = run.target;
  for (int i = 0; i < n; ++i) {
    result.max_primal_violation = std::max(result.max_primal_violation, run.target[i] - run.policy[i]);
  }
  for (const auto& [order, count] : order_counts) {
    result.mixture.push_back({order, static_cast<double>(count) / static_cast<double>(run.iterations)});
  }
  result.certified =
      !result.iteration_cap_hit && !result.combined_infeasible && result.max_cost <= result.schedule.width;
  return result;
}

}  // namespace mechsweep::persuasion
