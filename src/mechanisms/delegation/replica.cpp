#include "mechanisms/delegation/replica.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/probability.hpp"
#include "mechanisms/delegation/trade.hpp"
#include "solvers/lp.hpp"

namespace mechsweep::delegation {

using solvers::LinearProgram;

namespace {

using Mixtures = std::vector<std::vector<std::pair<double, Menu>>>;

constexpr int kMaxReplicas = 1 << 20;

// What one menu of agent j offers a copy: its cells. Ray cells come first
// (full-length rays with positive choice probability and positive length),
// then, if it has positive probability, the keep cell. A ray of length 0
// (it would take away a task the agent does not hold, spec §6 item 10) is a
// way of keeping η_j, so its probability joins the keep cell.
struct MenuCells {
  int agent = 0;
  bool remedial = false;
  std::vector<std::vector<double>> full_rays;
  std::vector<double> probability;  // per cell: rays, then keep when has_keep
  bool has_keep = false;
};

MenuCells describe(const Market& market, int agent, const Menu& menu) {
  MenuCells cells;
  cells.agent = agent;
  cells.remedial = menu.remedial;
  if (menu.remedial) return cells;
  const auto endowment = market.row(market.status_quo, agent);
  double keep = 1.0;
  for (const auto& ray : menu.rays) {
    const double q = probability_negative(market, agent, ray);
    const double length = ray_reach(endowment, ray);
    if (q > 0.0 && length > 0.0) {
      std::vector<double> full(ray.size());
      for (std::size_t i = 0; i < ray.size(); ++i) full[i] = length * ray[i];
      cells.full_rays.push_back(std::move(full));
      cells.probability.push_back(q);
      keep -= q;
    }
  }
  // The same rule as eopr_expected_cost, so that N = 1 reproduces it exactly.
  if (keep > 0.0) {
    cells.has_keep = true;
    cells.probability.push_back(keep);
  }
  return cells;
}

double ray_cost(const Market& market, int agent, const std::vector<double>& ray) {
  double total = 0.0;
  for (int i = 0; i < market.tasks; ++i) total += market.at(market.cost, agent, i) * ray[i];
  return total;
}

// The LM program over cohorts with weights: every cohort contributes
// weight·(its menu's reachable set) to its agent's expected allocation.
MenuLargeMarket large_market_value(const Market& market, const std::vector<MenuCells>& cohorts,
                                   const std::vector<double>& weights) {
  const int tasks = market.tasks;
  LinearProgram lp;
  std::vector<std::vector<std::pair<int, double>>> clearing(tasks);
  struct Column {
    int agent;
    int column;
    std::vector<double> direction;  // change of the agent's allocation per unit of the column
  };
  std::vector<Column> columns;
  for (std::size_t c = 0; c < cohorts.size(); ++c) {
    const MenuCells& cells = cohorts[c];
    const double weight = weights[c];
    if (weight <= 0.0) continue;
    if (cells.remedial) {
      for (int i = 0; i < tasks; ++i) {
        const double endowment = market.at(market.status_quo, cells.agent, i);
        // Shedding r costs −π·r; the LP maximises the negated cost.
        const int r = lp.add_column(0.0, weight * endowment, market.at(market.cost, cells.agent, i));
        clearing[i].emplace_back(r, -1.0);
        std::vector<double> direction(tasks, 0.0);
        direction[i] = -1.0;
        columns.push_back({cells.agent, r, std::move(direction)});
      }
      continue;
    }
    for (std::size_t k = 0; k < cells.full_rays.size(); ++k) {
      std::vector<double> direction(cells.full_rays[k]);
      for (double& entry : direction) entry *= weight * cells.probability[k];
      const int alpha = lp.add_column(0.0, 1.0, -ray_cost(market, cells.agent, direction));
      for (int i = 0; i < tasks; ++i) {
        if (direction[i] != 0.0) clearing[i].emplace_back(alpha, direction[i]);
      }
      columns.push_back({cells.agent, alpha, std::move(direction)});
    }
  }
  MenuLargeMarket result;
  result.allocation = market.status_quo;
  result.value = status_quo_cost(market);
  if (columns.empty()) return result;  // nobody can move: the status quo
  for (int i = 0; i < tasks; ++i) lp.add_row(clearing[i], 0.0, 0.0);
  const auto solution = lp.maximize();
  if (solution.status != LinearProgram::Status::optimal) {
    throw std::runtime_error("delegation: the large-market menu LP failed although the status quo is feasible");
  }
  result.value -= solution.objective;
  for (const Column& column : columns) {
    const double level = solution.primal[column.column];
    for (int i = 0; i < tasks; ++i) result.allocation[column.agent * tasks + i] += level * column.direction[i];
  }
  return result;
}

void check_options(const ReplicaOptions& options) {
  if (options.replicas < 1 || options.replicas > kMaxReplicas) {
    throw std::invalid_argument("delegation: replicas must lie in [1, 2^20], found " +
                                std::to_string(options.replicas));
  }
  if (options.draws < 1) throw std::invalid_argument("delegation: the replica simulation needs at least 1 draw");
}

void check_mixtures(const Market& market, const Mixtures& mixtures) {
  validate(market);
  if (mixtures.size() != static_cast<std::size_t>(market.agents)) {
    throw std::invalid_argument("delegation: " + std::to_string(mixtures.size()) + " menu mixtures for " +
                                std::to_string(market.agents) + " agents");
  }
  for (int j = 0; j < market.agents; ++j) {
    if (mixtures[j].empty()) throw std::invalid_argument("delegation: agent " + std::to_string(j) + " has no menu");
    double total = 0.0;
    for (const auto& [weight, menu] : mixtures[j]) {
      if (!std::isfinite(weight) || weight < 0.0) {
        throw std::invalid_argument("delegation: agent " + std::to_string(j) + " has a negative or non-finite weight");
      }
      total += weight;
      check_menu(market, j, menu);
    }
    if (std::abs(total - 1.0) > 1e-9) {
      throw std::invalid_argument("delegation: agent " + std::to_string(j) + "'s menu weights sum to " +
                                  std::to_string(total) + ", not 1");
    }
  }
}

// Largest-remainder split of `replicas` copies by the weights: ⌊w·N⌋ each,
// the leftover copies to the largest fractional parts (earlier menu first on ties).
std::vector<int> split_copies(const std::vector<std::pair<double, Menu>>& mixture, int replicas) {
  const auto n = static_cast<double>(replicas);
  std::vector<int> sizes(mixture.size());
  std::vector<double> remainder(mixture.size());
  int assigned = 0;
  for (std::size_t m = 0; m < mixture.size(); ++m) {
    const double share = mixture[m].first * n;
    sizes[m] = static_cast<int>(std::floor(share));
    remainder[m] = share - std::floor(share);
    assigned += sizes[m];
  }
  std::vector<std::size_t> order(mixture.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t r = 0; assigned < replicas; ++r, ++assigned) ++sizes[order[r % order.size()]];
  return sizes;
}

// One cohort of the replica economy: `size` copies of one agent on one menu.
struct Cohort {
  MenuCells cells;
  int size = 0;
  std::size_t first_count = 0;  // offset of its ray counts in the count vector
};

class ReplicaEconomy {
 public:
  ReplicaEconomy(const Market& market, std::vector<Cohort> cohorts, int replicas)
      : market_(market), cohorts_(std::move(cohorts)), replicas_(replicas) {
    for (Cohort& cohort : cohorts_) {
      cohort.first_count = ray_cells_;
      ray_cells_ += cohort.cells.full_rays.size();
    }
  }

  std::size_t ray_cells() const { return ray_cells_; }
  const std::vector<Cohort>& cohorts() const { return cohorts_; }

  // N·V_SQ + the cell LP's value for the ray counts d (one per ray cell).
  double cost(const std::vector<int>& counts) const {
    const int tasks = market_.tasks;
    const double status_quo = static_cast<double>(replicas_) * status_quo_cost(market_);
    LinearProgram lp;
    std::vector<std::vector<std::pair<int, double>>> clearing(tasks);
    bool movable = false;
    for (const Cohort& cohort : cohorts_) {
      const MenuCells& cells = cohort.cells;
      if (cells.remedial) {
        for (int i = 0; i < tasks; ++i) {
          const double endowment = market_.at(market_.status_quo, cells.agent, i);
          if (endowment <= 0.0) continue;
          const int r = lp.add_column(0.0, cohort.size * endowment, market_.at(market_.cost, cells.agent, i));
          clearing[i].emplace_back(r, -1.0);
          movable = true;
        }
        continue;
      }
      for (std::size_t k = 0; k < cells.full_rays.size(); ++k) {
        const int count = counts[cohort.first_count + k];
        if (count == 0) continue;
        const auto& ray = cells.full_rays[k];
        const int alpha = lp.add_column(0.0, count, -ray_cost(market_, cells.agent, ray));
        for (int i = 0; i < tasks; ++i) {
          if (ray[i] != 0.0) clearing[i].emplace_back(alpha, ray[i]);
        }
        movable = true;
      }
    }
    if (!movable) return status_quo;
    for (int i = 0; i < tasks; ++i) lp.add_row(clearing[i], 0.0, 0.0);
    const auto solution = lp.maximize();
    if (solution.status != LinearProgram::Status::optimal) {
      throw std::runtime_error("delegation: a replica cell LP failed although y = r = 0 is feasible");
    }
    return status_quo - solution.objective;
  }

  // How many count vectors exact enumeration visits: ∏ C(size + cells − 1, cells − 1),
  // saturated at `cap` + 1 so that it never overflows.
  double count_vectors(double cap) const {
    double total = 1.0;
    for (const Cohort& cohort : cohorts_) {
      const std::size_t cells = cohort.cells.probability.size();
      double compositions = 1.0;  // C(size + cells − 1, cells − 1), built factor by factor
      for (std::size_t c = 1; c < cells && compositions <= cap; ++c) {
        compositions = compositions * static_cast<double>(cohort.size + static_cast<int>(c)) / static_cast<double>(c);
      }
      total *= compositions;
      if (total > cap) return cap + 1.0;
    }
    return total;
  }

 private:
  const Market& market_;
  std::vector<Cohort> cohorts_;
  int replicas_;
  std::size_t ray_cells_ = 0;
};

// Every composition of `total` into `cells` parts, with its multinomial log
// probability; only the ray parts (all but the keep cell) are kept.
struct Composition {
  std::vector<int> ray_counts;
  double log_probability = 0.0;
};

std::vector<Composition> compositions(const MenuCells& cells, int total) {
  std::vector<Composition> all;
  const std::size_t parts = cells.probability.size();
  if (parts == 0) return {Composition{}};  // a remedial cohort: one (empty) outcome
  std::vector<double> log_q(parts);
  for (std::size_t c = 0; c < parts; ++c) log_q[c] = std::log(cells.probability[c]);
  const double log_total_factorial = std::lgamma(static_cast<double>(total) + 1.0);
  std::vector<int> counts(parts, 0);
  // Recursively fill parts 0 … parts−2; the last part takes the rest.
  const auto fill = [&](auto&& self, std::size_t part, int left) -> void {
    if (part + 1 == parts) {
      counts[part] = left;
      double log_probability = log_total_factorial;
      for (std::size_t c = 0; c < parts; ++c) {
        log_probability += counts[c] * log_q[c] - std::lgamma(static_cast<double>(counts[c]) + 1.0);
      }
      const auto rays_end = counts.begin() + static_cast<std::ptrdiff_t>(cells.full_rays.size());
      all.push_back({std::vector<int>(counts.begin(), rays_end), log_probability});
      return;
    }
    for (int d = 0; d <= left; ++d) {
      counts[part] = d;
      self(self, part + 1, left - d);
    }
  };
  fill(fill, 0, total);
  return all;
}

ReplicaEstimate simulate(const Market& market, std::vector<Cohort> cohorts, const ReplicaOptions& options) {
  const int replicas = options.replicas;
  const auto n = static_cast<double>(replicas);
  std::vector<MenuCells> cells;
  std::vector<double> shares;
  for (const Cohort& cohort : cohorts) {
    cells.push_back(cohort.cells);
    shares.push_back(static_cast<double>(cohort.size) / n);
  }
  const ReplicaEconomy economy(market, std::move(cohorts), replicas);
  ReplicaEstimate estimate;
  estimate.large_market_value = large_market_value(market, cells, shares).value;
  std::vector<int> counts(economy.ray_cells(), 0);

  const double cap = static_cast<double>(options.exact_limit);
  if (economy.count_vectors(cap) <= cap) {
    // Exact: the odometer runs over every cohort's compositions.
    std::vector<std::vector<Composition>> outcomes;
    for (const Cohort& cohort : economy.cohorts()) outcomes.push_back(compositions(cohort.cells, cohort.size));
    std::vector<std::size_t> pick(outcomes.size(), 0);
    double expected = 0.0;
    while (true) {
      double log_probability = 0.0;
      for (std::size_t c = 0; c < outcomes.size(); ++c) {
        const Composition& outcome = outcomes[c][pick[c]];
        std::copy(outcome.ray_counts.begin(), outcome.ray_counts.end(),
                  counts.begin() + static_cast<std::ptrdiff_t>(economy.cohorts()[c].first_count));
        log_probability += outcome.log_probability;
      }
      expected += std::exp(log_probability) * economy.cost(counts);
      ++estimate.draws;
      std::size_t c = 0;
      for (; c < outcomes.size(); ++c) {
        if (++pick[c] < outcomes[c].size()) break;
        pick[c] = 0;
      }
      if (c == outcomes.size()) break;
    }
    estimate.exact = true;
    estimate.per_capita_cost = expected / n;
  } else {
    // Sampled: multinomial counts as a chain of binomials; many count vectors
    // recur, so their LP values are cached.
    std::mt19937_64 rng(options.seed);
    std::map<std::vector<int>, double> cached;
    MeanAccumulator per_capita;
    for (std::uint64_t draw = 0; draw < options.draws; ++draw) {
      for (const Cohort& cohort : economy.cohorts()) {
        const MenuCells& menu = cohort.cells;
        int left = cohort.size;
        double mass = 1.0;
        for (std::size_t k = 0; k < menu.full_rays.size(); ++k) {
          int d = left;  // the last cell takes the rest when there is no keep cell
          if (menu.has_keep || k + 1 < menu.full_rays.size()) {
            const double p = mass > menu.probability[k] ? menu.probability[k] / mass : 1.0;
            d = std::binomial_distribution<int>(left, std::clamp(p, 0.0, 1.0))(rng);
          }
          counts[cohort.first_count + k] = d;
          left -= d;
          mass -= menu.probability[k];
        }
      }
      auto found = cached.find(counts);
      if (found == cached.end()) found = cached.emplace(counts, economy.cost(counts)).first;
      per_capita.add(found->second / n);
    }
    const MonteCarloEstimate mean = per_capita.estimate();
    estimate.per_capita_cost = mean.mean;
    estimate.standard_error = mean.standard_error;
    estimate.draws = mean.samples;
  }
  estimate.gap = estimate.per_capita_cost - estimate.large_market_value;
  return estimate;
}

}  // namespace

MenuLargeMarket large_market_menu_value(const Market& market, const std::vector<Menu>& menus) {
  check_menus(market, menus);
  std::vector<MenuCells> cells;
  for (int j = 0; j < market.agents; ++j) cells.push_back(describe(market, j, menus[j]));
  return large_market_value(market, cells, std::vector<double>(cells.size(), 1.0));
}

MenuLargeMarket large_market_mixture_value(const Market& market, const Mixtures& mixtures) {
  check_mixtures(market, mixtures);
  std::vector<MenuCells> cells;
  std::vector<double> weights;
  for (int j = 0; j < market.agents; ++j) {
    for (const auto& [weight, menu] : mixtures[j]) {
      cells.push_back(describe(market, j, menu));
      weights.push_back(weight);
    }
  }
  return large_market_value(market, cells, weights);
}

ReplicaEstimate replica_cost(const Market& market, const std::vector<Menu>& menus, const ReplicaOptions& options) {
  check_menus(market, menus);
  check_options(options);
  std::vector<Cohort> cohorts;
  for (int j = 0; j < market.agents; ++j) cohorts.push_back({describe(market, j, menus[j]), options.replicas, 0});
  return simulate(market, std::move(cohorts), options);
}

ReplicaEstimate replica_cost_mixed(const Market& market, const Mixtures& mixtures, const ReplicaOptions& options) {
  check_mixtures(market, mixtures);
  check_options(options);
  std::vector<Cohort> cohorts;
  for (int j = 0; j < market.agents; ++j) {
    const std::vector<int> sizes = split_copies(mixtures[j], options.replicas);
    for (std::size_t m = 0; m < sizes.size(); ++m) {
      if (sizes[m] > 0) cohorts.push_back({describe(market, j, mixtures[j][m].second), sizes[m], 0});
    }
  }
  return simulate(market, std::move(cohorts), options);
}

}  // namespace mechsweep::delegation
