#include "mechanisms/delegation/large_market.hpp"

#include <nlopt.h>

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "mechanisms/delegation/probability.hpp"
#include "mechanisms/delegation/trade.hpp"
#include "solvers/lp.hpp"

namespace mechsweep::delegation {

namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("delegation: " + message); }

// validate() already rejects an endowment that does not clear (Σ_j σ_j = n
// within 1e-9·max(1, n^i), spec §6 item 9), which Claim 1 and the starting
// column η_j of the column generation need.
void check_market(const Market& market) { validate(market); }

void check_vector(std::span<const double> v, int expected, const char* name) {
  if (v.size() != static_cast<std::size_t>(expected)) {
    reject(std::string(name) + " has " + std::to_string(v.size()) + " entries, expected I = " +
           std::to_string(expected));
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) reject(std::string(name) + "[" + std::to_string(i) + "] is not finite");
  }
}

double dot(std::span<const double> a, std::span<const double> b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

// A ray of a candidate menu: full-length direction κ, its take-up q(κ).
struct Ray {
  std::vector<double> direction;
  double probability = 0.0;
};

// Assembles the SupportPoint of a polarized menu whose rays all have
// w·κ > 0 (so α = 1 each): point = η + Σ_k q_k κ_k.
SupportPoint ray_menu_point(std::span<const double> endowment, std::span<const double> w, std::vector<Ray> rays) {
  SupportPoint result;
  result.point.assign(endowment.begin(), endowment.end());
  for (auto& ray : rays) {
    for (std::size_t i = 0; i < result.point.size(); ++i) result.point[i] += ray.probability * ray.direction[i];
    result.ray_scale.push_back(1.0);
    result.probabilities.push_back(ray.probability);
    result.menu.rays.push_back(std::move(ray.direction));
  }
  // A full-length ray lands on the orthant's face up to rounding.
  for (double& x : result.point) x = std::max(x, 0.0);
  result.value = dot(w, result.point);
  return result;
}

// The remedial menu's best point: keep the tasks with w_i > 0, shed the rest.
SupportPoint remedial_point(std::span<const double> endowment, std::span<const double> w) {
  SupportPoint result;
  result.menu.remedial = true;
  result.point.resize(endowment.size());
  for (std::size_t i = 0; i < endowment.size(); ++i) result.point[i] = w[i] > 0.0 ? endowment[i] : 0.0;
  result.value = dot(w, result.point);
  return result;
}

// ---------------------------------------------------------------- I = 2 ----

// The two I = 2 ray families of an agent at a weight w (spec §2.9).
class TwoTaskRays {
 public:
  TwoTaskRays(const Market& market, int agent, std::span<const double> w)
      : market_(market), agent_(agent), w_(w), endowment_(market.row(market.status_quo, agent)) {}

  std::vector<double> buy(double p) const { return {endowment_[1] / p, -endowment_[1]}; }
  std::vector<double> sell(double q) const { return {-endowment_[0], q * endowment_[0]}; }

  // f(p) = q_b(p)(w·κ_b(p))^+; 0 when η_B = 0 (the ray has length 0).
  double buy_gain(double p) const { return endowment_[1] > 0.0 ? gain(buy(p)) : 0.0; }
  // g(q) = q_s(q)(w·κ_s(q))^+; 0 when η_A = 0.
  double sell_gain(double q) const { return endowment_[0] > 0.0 ? gain(sell(q)) : 0.0; }

  // The menu {buy at p (if it gains), sell at q (if it gains)}; p ≤ q is the
  // caller's business (K2: polarized iff p ≤ q).
  SupportPoint menu_point(std::optional<double> p, std::optional<double> q) const {
    std::vector<Ray> rays;
    if (p && buy_gain(*p) > 0.0) rays.push_back({buy(*p), probability_negative(market_, agent_, buy(*p))});
    if (q && sell_gain(*q) > 0.0) {
      rays.push_back({sell(*q), probability_negative(market_, agent_, sell(*q))});
    }
    return ray_menu_point(endowment_, w_, std::move(rays));
  }

 private:
  double gain(const std::vector<double>& ray) const {
    const double value = dot(w_, ray);
    return value > 0.0 ? probability_negative(market_, agent_, ray) * value : 0.0;
  }

  const Market& market_;
  int agent_;
  std::span<const double> w_;
  std::span<const double> endowment_;
};

// Brent's method on −h over the grid cell [x_{k−1}, x_{k+1}]; returns the
// better of the polished point and x_k itself. Boost caps the location's
// precision at half the mantissa (≈1e-8), so the value is found to about
// full double precision near a smooth maximum.
double polish_maximum(const std::function<double(double)>& h, const std::vector<double>& grid, std::size_t k) {
  const double left = grid[k == 0 ? 0 : k - 1];
  const double right = grid[std::min(k + 1, grid.size() - 1)];
  std::uintmax_t iterations = 200;
  const auto [x, minus_value] = boost::math::tools::brent_find_minima([&](double t) { return -h(t); }, left, right,
                                                                      std::numeric_limits<double>::digits, iterations);
  return -minus_value > h(grid[k]) ? x : grid[k];
}

std::size_t argmax(const std::vector<double>& values) {
  return static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

// S^ray for I = 2 (spec §2.9 "I = 2 closed-form search").
//
// Why prices outside the ratio range [r̲, r̄] = [c̲_A/c̄_B, c̄_A/c̲_B] cannot do
// better than the candidates searched here:
//   * p < r̲: nobody buys (q_b = 0), f = 0 — the same as p = r̲ in a pair.
//   * q > r̄: nobody sells, g = 0 — the same as q = r̄.
//   * p > r̄: every type buys (q_b = 1) and no q ≥ p sells, so the menu is the
//     single buy ray taken surely; its points η + ακ_b(p) are convex
//     combinations of η and (η_A + η_B/p, 0). If w_A ≥ 0, f is decreasing
//     in p there and p = r̄ does at least as well; if w_A < 0 the end point is
//     worth w_A(η_A + η_B/p) ≤ w_A η_A ≤ S^rem(w), so the remedial and the
//     empty menu (always candidates) dominate.
//   * q < r̲: symmetric (every type sells, no p ≤ q buys; w_B ≥ 0 favours
//     q = r̲, w_B < 0 is dominated by the remedial menu).
// The range is widened by a relative 1e-9 so that an agent whose ratio is
// known (both box widths zero) still reaches the one-sided limits; every
// evaluated price is a genuine menu, so widening never overstates S.
SupportPoint two_task_support(const Market& market, int agent, std::span<const double> w, int grid_points) {
  const TwoTaskRays rays(market, agent, w);
  const double ratio_low = market.at(market.box_low, agent, 0) / market.at(market.box_high, agent, 1);
  const double ratio_high = market.at(market.box_high, agent, 0) / market.at(market.box_low, agent, 1);
  const double low = ratio_low * (1.0 - 1e-9);
  const double high = ratio_high * (1.0 + 1e-9);

  const auto size = static_cast<std::size_t>(std::max(grid_points, 3));
  std::vector<double> grid(size), buy(size), sell(size), diagonal(size);
  for (std::size_t k = 0; k < size; ++k) {
    grid[k] = low + (high - low) * static_cast<double>(k) / static_cast<double>(size - 1);
    buy[k] = rays.buy_gain(grid[k]);
    sell[k] = rays.sell_gain(grid[k]);
    diagonal[k] = buy[k] + sell[k];
  }
  // best_sell_from[k] = argmax_{m ≥ k} g(x_m): the suffix maximum makes the
  // best grid pair with p ≤ q an O(G) scan.
  std::vector<std::size_t> best_sell_from(size);
  best_sell_from[size - 1] = size - 1;
  for (std::size_t k = size - 1; k-- > 0;) {
    const std::size_t next = best_sell_from[k + 1];
    best_sell_from[k] = sell[k] >= sell[next] ? k : next;
  }
  std::size_t pair_buy = 0;
  for (std::size_t k = 1; k < size; ++k) {
    if (buy[k] + sell[best_sell_from[k]] > buy[pair_buy] + sell[best_sell_from[pair_buy]]) pair_buy = k;
  }
  const std::size_t pair_sell = best_sell_from[pair_buy];

  const std::function<double(double)> f = [&](double p) { return rays.buy_gain(p); };
  const std::function<double(double)> g = [&](double q) { return rays.sell_gain(q); };
  const std::function<double(double)> h = [&](double r) { return rays.buy_gain(r) + rays.sell_gain(r); };

  // Polished buy prices, sell prices and diagonal prices: around the grid's
  // best pair (the constrained optimum's neighbourhood) and around each
  // function's own grid maximum (the unconstrained optimum).
  const std::vector<double> buy_prices = {grid[pair_buy], polish_maximum(f, grid, pair_buy),
                                          polish_maximum(f, grid, argmax(buy))};
  const std::vector<double> sell_prices = {grid[pair_sell], polish_maximum(g, grid, pair_sell),
                                           polish_maximum(g, grid, argmax(sell))};
  const std::vector<double> diagonal_prices = {polish_maximum(h, grid, argmax(diagonal)),
                                               polish_maximum(h, grid, pair_buy), polish_maximum(h, grid, pair_sell)};

  SupportPoint best = rays.menu_point(std::nullopt, std::nullopt);  // the empty menu
  const auto consider = [&](std::optional<double> p, std::optional<double> q) {
    SupportPoint candidate = rays.menu_point(p, q);
    if (candidate.value > best.value) best = std::move(candidate);
  };
  for (const double p : buy_prices) {
    consider(p, std::nullopt);
    for (const double q : sell_prices) {
      if (p <= q) consider(p, q);
    }
  }
  for (const double q : sell_prices) consider(std::nullopt, q);
  for (const double r : diagonal_prices) consider(r, r);
  return best;
}

// --------------------------------------------------------------- I ≥ 3 ----

// RAII owner of an nlopt_opt handle.
struct NloptDestroy {
  void operator()(nlopt_opt opt) const { nlopt_destroy(opt); }
};
using NloptHandle = std::unique_ptr<std::remove_pointer_t<nlopt_opt>, NloptDestroy>;

constexpr int kLocalEvaluations = 300;
constexpr double kLogRateBound = 30.0;

// Maximises objective from start with Nelder–Mead; the caller's objective
// records the best menu it has seen, so the returned value is not needed.
void nelder_mead(const std::function<double(const double*)>& objective, std::vector<double> start) {
  const NloptHandle opt(nlopt_create(NLOPT_LN_NELDERMEAD, static_cast<unsigned>(start.size())));
  if (!opt) throw std::runtime_error("delegation: NLopt could not create a Nelder–Mead optimiser");
  const auto trampoline = [](unsigned, const double* x, double*, void* data) -> double {
    return (*static_cast<const std::function<double(const double*)>*>(data))(x);
  };
  nlopt_set_max_objective(opt.get(), trampoline, const_cast<std::function<double(const double*)>*>(&objective));
  nlopt_set_maxeval(opt.get(), kLocalEvaluations);
  nlopt_set_xtol_rel(opt.get(), 1e-10);
  nlopt_set_initial_step1(opt.get(), 0.5);
  double value = 0.0;
  nlopt_optimize(opt.get(), start.data(), &value);  // a failed or stopped run still leaves its best in `best`
}

// The I ≥ 3 heuristic (see the header): single rays of any direction and
// "give up one task" menus, from seeded multi-starts.
class ManyTaskSearch {
 public:
  ManyTaskSearch(const Market& market, int agent, std::span<const double> w, const SupportOptions& options)
      : market_(market),
        agent_(agent),
        w_(w),
        endowment_(market.row(market.status_quo, agent)),
        tasks_(market.tasks),
        engine_(options.seed ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(agent + 1))),
        starts_(std::max(options.starts, 1)) {
    best_ = ray_menu_point(endowment_, w_, {});  // the empty menu
    SupportPoint remedial = remedial_point(endowment_, w_);
    if (remedial.value > best_.value) best_ = std::move(remedial);
  }

  SupportPoint run() {
    search_single_rays();
    search_give_up_menus();
    return std::move(best_);
  }

 private:
  double uniform(double low, double high) {
    return low + (high - low) * static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  }

  // The single ray along d at full length: ȳ = min_{d(i)<0} η(i)/|d(i)|. Its
  // gain q(κ)(w·κ)^+, 0 for a monotone d or a ray of length 0.
  double single_ray(const double* d) {
    double length = std::numeric_limits<double>::infinity();
    bool positive = false;
    for (int i = 0; i < tasks_; ++i) {
      if (d[i] < 0.0) length = std::min(length, endowment_[i] / -d[i]);
      positive = positive || d[i] > 0.0;
    }
    if (!positive || !std::isfinite(length) || length <= 0.0) return 0.0;
    std::vector<double> ray(d, d + tasks_);
    for (double& x : ray) x *= length;
    return offer({std::move(ray)});
  }

  // κ_a = η(a)(−e_a + Σ_{b≠a} r_a(b) e_b) for a ∈ tasks, log-rates x packed
  // per ray (I − 1 each). Pairwise polarization r_a(b) r_b(a) ≥ 1 is imposed
  // by raising both log-rates of a pair by half its deficit: each log-rate
  // belongs to one pair only, so the pairs are repaired independently.
  double give_up_menu(const std::vector<int>& tasks, const double* x) {
    const std::size_t m = tasks.size();
    const auto per_ray = static_cast<std::size_t>(tasks_ - 1);
    std::vector<double> log_rate(x, x + m * per_ray);
    for (double& v : log_rate) v = std::clamp(v, -kLogRateBound, kLogRateBound);
    const auto slot = [&](std::size_t ray, int task) {  // index of r_{tasks[ray]}(task)
      const int offset = task < tasks[ray] ? task : task - 1;
      return ray * per_ray + static_cast<std::size_t>(offset);
    };
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = a + 1; b < m; ++b) {
        double& ab = log_rate[slot(a, tasks[b])];
        double& ba = log_rate[slot(b, tasks[a])];
        const double deficit = -(ab + ba);
        // The 1e-12 margin keeps exp(ab)·exp(ba) ≥ 1 after rounding.
        if (deficit > -1e-12) ab += 0.5 * deficit + 1e-12, ba += 0.5 * deficit + 1e-12;
      }
    }
    std::vector<std::vector<double>> rays;
    for (std::size_t a = 0; a < m; ++a) {
      const double held = endowment_[tasks[a]];
      std::vector<double> ray(static_cast<std::size_t>(tasks_));
      for (int b = 0; b < tasks_; ++b) ray[b] = b == tasks[a] ? -held : held * std::exp(log_rate[slot(a, b)]);
      rays.push_back(std::move(ray));
    }
    return offer(std::move(rays));
  }

  // Values a candidate collection (rays with w·κ ≤ 0 leave the menu), keeps
  // it if it is the best so far and truly polarized, and returns its gain
  // Σ_k q_k (w·κ_k)^+ over w·η.
  double offer(std::vector<std::vector<double>> candidates) {
    std::vector<Ray> rays;
    double gain = 0.0;
    for (auto& ray : candidates) {
      const double value = dot(w_, ray);
      if (value <= 0.0) continue;
      const double probability = probability_negative(market_, agent_, ray);
      if (probability <= 0.0) continue;
      gain += probability * value;
      rays.push_back({std::move(ray), probability});
    }
    const double base = dot(w_, endowment_);
    if (base + gain > best_.value && collection_is_valid(rays)) best_ = ray_menu_point(endowment_, w_, std::move(rays));
    return gain;
  }

  static bool collection_is_valid(const std::vector<Ray>& rays) {
    for (std::size_t a = 0; a < rays.size(); ++a) {
      if (!non_monotone(rays[a].direction)) return false;
      for (std::size_t b = a + 1; b < rays.size(); ++b) {
        if (!polarized(rays[a].direction, rays[b].direction)) return false;
      }
    }
    return true;
  }

  void search_single_rays() {
    // A deterministic start along w's deviation from its mean (gain tasks
    // worth more than average, give up the others), then random directions.
    double mean = 0.0;
    for (int i = 0; i < tasks_; ++i) mean += w_[i] / tasks_;
    std::vector<double> start(static_cast<std::size_t>(tasks_));
    for (int i = 0; i < tasks_; ++i) start[i] = w_[i] - mean;
    const std::function<double(const double*)> objective = [this](const double* d) { return single_ray(d); };
    for (int s = 0; s < starts_; ++s) {
      if (s > 0) {
        for (double& x : start) x = uniform(-1.0, 1.0);
      }
      nelder_mead(objective, start);
    }
  }

  void search_give_up_menus() {
    std::vector<int> eligible;  // a task the agent does not hold cannot be given up
    for (int a = 0; a < tasks_; ++a) {
      if (endowment_[a] > 0.0) eligible.push_back(a);
    }
    if (eligible.size() < 2) return;  // one-ray menus are the single-ray family
    for (int s = 0; s < starts_; ++s) {
      // Start 0: all tasks, all rates 1 (every pair exactly polarized); then
      // random subsets of at least two tasks with random log-rates.
      std::vector<int> tasks;
      if (s == 0) {
        tasks = eligible;
      } else {
        while (tasks.size() < 2) {
          tasks.clear();
          for (const int a : eligible) {
            if (uniform(0.0, 1.0) < 0.5) tasks.push_back(a);
          }
        }
      }
      std::vector<double> start(tasks.size() * static_cast<std::size_t>(tasks_ - 1), 0.0);
      if (s > 0) {
        for (double& x : start) x = uniform(-1.0, 1.0);
      }
      const std::function<double(const double*)> objective = [this, &tasks](const double* x) {
        return give_up_menu(tasks, x);
      };
      nelder_mead(objective, start);
    }
  }

  const Market& market_;
  int agent_;
  std::span<const double> w_;
  std::span<const double> endowment_;
  int tasks_;
  std::mt19937_64 engine_;
  int starts_;
  SupportPoint best_;
};

SupportPoint support_unchecked(const Market& market, int agent, std::span<const double> w,
                               const SupportOptions& options) {
  const auto endowment = market.row(market.status_quo, agent);
  SupportPoint best;
  if (market.tasks == 2) {
    best = two_task_support(market, agent, w, options.grid);
    SupportPoint remedial = remedial_point(endowment, w);
    if (remedial.value > best.value) best = std::move(remedial);
    best.exact = exact_probabilities(market);
  } else {
    best = ManyTaskSearch(market, agent, w, options).run();
    best.exact = false;
  }
  return best;
}

double dual_unchecked(const Market& market, std::span<const double> prices, const SupportOptions& options) {
  double value = dot(prices, market.units);
  std::vector<double> w(static_cast<std::size_t>(market.tasks));
  for (int j = 0; j < market.agents; ++j) {
    for (int i = 0; i < market.tasks; ++i) w[i] = prices[i] - market.at(market.cost, j, i);
    value -= support_unchecked(market, j, w, options).value;
  }
  return value;
}

constexpr double kMasterObjectiveScale = 1e4;  // see solve_master

struct Column {
  int agent = 0;
  std::vector<double> point;
  Menu menu;
};

struct MasterSolution {
  double value = 0.0;                 // min Σ θ π·y
  std::vector<double> weights;        // θ per column
  std::vector<double> prices;         // λ = ∂V/∂n
  std::vector<double> agent_duals;    // ν_j = ∂V/∂(convexity rhs)
};

// Clp's optimality tolerances are absolute (about 1e-7 on reduced costs), so
// a master priced in units of the market's cost scale stops improving once
// the pricing gains reach ~1e-8 and the generation stalls re-adding columns
// Clp will not pivot in. Multiplying the objective by objective_scale (and
// dividing the duals back) puts that floor far below the tolerance asked for.
MasterSolution solve_master(const Market& market, const std::vector<Column>& columns, double objective_scale) {
  solvers::LinearProgram lp;
  std::vector<double> column_cost;
  for (const Column& column : columns) {
    column_cost.push_back(dot(market.row(market.cost, column.agent), column.point));
    lp.add_column(0.0, solvers::kInfinity, -objective_scale * column_cost.back());
  }
  std::vector<std::pair<int, double>> terms;
  for (int i = 0; i < market.tasks; ++i) {
    terms.clear();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].point[i] != 0.0) terms.emplace_back(static_cast<int>(c), columns[c].point[i]);
    }
    lp.add_row(terms, market.units[i], market.units[i]);
  }
  for (int j = 0; j < market.agents; ++j) {
    terms.clear();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].agent == j) terms.emplace_back(static_cast<int>(c), 1.0);
    }
    lp.add_row(terms, 1.0, 1.0);
  }
  const auto solution = lp.maximize();
  if (solution.status != solvers::LinearProgram::Status::optimal) {
    throw std::runtime_error("delegation: the large-market master LP did not solve to optimality");
  }
  // The LP maximises −objective_scale·cost, and row_duals are ∂(that)/∂bound:
  // negate and unscale them for the cost-side prices λ = ∂V/∂n and ν_j.
  MasterSolution master;
  master.weights = solution.primal;
  for (std::size_t c = 0; c < columns.size(); ++c) master.value += master.weights[c] * column_cost[c];
  for (int i = 0; i < market.tasks; ++i) master.prices.push_back(-solution.row_duals[i] / objective_scale);
  for (int j = 0; j < market.agents; ++j) {
    master.agent_duals.push_back(-solution.row_duals[market.tasks + j] / objective_scale);
  }
  return master;
}

// True when agent j already has a column at point: re-adding it cannot
// change the master, so its apparent gain is the LP solver's tolerance.
bool already_generated(const std::vector<Column>& columns, int agent, const std::vector<double>& point) {
  return std::any_of(columns.begin(), columns.end(), [&](const Column& column) {
    if (column.agent != agent) return false;
    for (std::size_t i = 0; i < point.size(); ++i) {
      if (std::abs(column.point[i] - point[i]) > 1e-14 * std::max(1.0, std::abs(point[i]))) return false;
    }
    return true;
  });
}

}  // namespace

SupportPoint support_function(const Market& market, int agent, std::span<const double> w,
                              const SupportOptions& options) {
  check_market(market);
  if (agent < 0 || agent >= market.agents) {
    reject("agent " + std::to_string(agent) + " is out of range 0.." + std::to_string(market.agents - 1));
  }
  check_vector(w, market.tasks, "the support direction w");
  return support_unchecked(market, agent, w, options);
}

double dual_function(const Market& market, std::span<const double> prices, const SupportOptions& options) {
  check_market(market);
  check_vector(prices, market.tasks, "the prices λ");
  return dual_unchecked(market, prices, options);
}

LargeMarketSolution solve_large_market(const Market& market, const LargeMarketOptions& options) {
  check_market(market);
  if (options.max_iterations < 1) reject("max_iterations must be at least 1");
  if (!(options.tolerance >= 0.0)) reject("the column-generation tolerance must be non-negative");
  const int tasks = market.tasks;
  const int agents = market.agents;

  double scale = 1.0;
  {
    double total = 0.0;
    for (int i = 0; i < tasks; ++i) {
      double largest = 0.0;
      for (int j = 0; j < agents; ++j) largest = std::max(largest, std::abs(market.at(market.cost, j, i)));
      total += market.units[i] * largest;
    }
    scale = std::max(scale, total);
  }
  const double threshold = options.tolerance * scale;

  std::vector<Column> columns;
  for (int j = 0; j < agents; ++j) {
    const auto endowment = market.row(market.status_quo, j);
    columns.push_back({j, std::vector<double>(endowment.begin(), endowment.end()), Menu{}});
  }

  LargeMarketSolution result;
  result.exact_support = tasks == 2 && exact_probabilities(market);
  result.dual_value = -std::numeric_limits<double>::infinity();
  MasterSolution master;
  std::vector<double> w(static_cast<std::size_t>(tasks));
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    master = solve_master(market, columns, kMasterObjectiveScale / scale);
    result.iterations = iteration + 1;
    result.columns = static_cast<int>(columns.size());

    // Price every agent at w = λ − π_j: its best column gains S_j + ν_j.
    double dual = dot(master.prices, market.units);
    std::vector<Column> entering;
    bool stalled = false;
    for (int j = 0; j < agents; ++j) {
      for (int i = 0; i < tasks; ++i) w[i] = master.prices[i] - market.at(market.cost, j, i);
      SupportPoint best = support_unchecked(market, j, w, options.support);
      dual -= best.value;
      if (best.value + master.agent_duals[j] <= threshold) continue;
      if (already_generated(columns, j, best.point)) {
        stalled = true;
      } else {
        entering.push_back({j, std::move(best.point), std::move(best.menu)});
      }
    }
    if (dual > result.dual_value) {
      result.dual_value = dual;
      result.prices = master.prices;
    }
    if (entering.empty()) {
      // Only gains within tolerance, or the master's LP tolerance (a column
      // it already has): the latter is a stall, not convergence.
      result.converged = !stalled;
      break;
    }
    for (auto& column : entering) columns.push_back(std::move(column));
  }

  result.primal_value = master.value;
  result.duality_gap = result.primal_value - result.dual_value;
  result.allocation.assign(static_cast<std::size_t>(tasks) * static_cast<std::size_t>(agents), 0.0);
  result.menus.resize(static_cast<std::size_t>(agents));
  // The last master saw only the columns that existed when it was solved.
  for (std::size_t c = 0; c < master.weights.size(); ++c) {
    const double weight = master.weights[c];
    const Column& column = columns[c];
    for (int i = 0; i < tasks; ++i) result.allocation[column.agent * tasks + i] += weight * column.point[i];
    if (weight > 0.0) result.menus[column.agent].emplace_back(weight, column.menu);
  }
  return result;
}

}  // namespace mechsweep::delegation
