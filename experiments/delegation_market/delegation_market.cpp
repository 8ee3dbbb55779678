// delegation.market: the value of choice in OSP trading mechanisms (paper 002,
// spec 002 §4) over market size, performance heterogeneity, type boxes, slack
// and menus. One task builds a market and a menu per agent and records every
// benchmark of spec §4.3 side by side.
//
// The market. Every task type has n units split by the status quo σ (equal, or
// Dirichlet(α) shares drawn from the task seed). The designer's costs are
// π_j = π̄·1 + s·ξ_j: with cost_direction = angle, ξ_j = (cos φ_j, sin φ_j, 0, …)
// with φ_j = θ + 360°·(j mod G)/G for G cost groups; with random, ξ_j is a
// seeded uniform direction per group. The base instance B2 of spec §3.2 is the
// default: I = J = 2, n = 2, π̄ = 1.5, s = 1/√2, θ = 135° (π_1 = (1,2),
// π_2 = (2,1)), types U[1,2]². Types lie on boxes, uniform or Beta-shaped:
// task i's cost lies in [c̲, c̲ + w] (task 0: width w·aspect, shifted by
// j·shift for agent j; shift > 0 makes supports differ, spec K7b).
//
// The menus. The first `remedial_agents` agents get the remedial menu; every
// other agent gets `rays_per_agent` "give up one task" rays
// κ_a = −e_a + ρ Σ_{b≠a} e_b (give up one unit of task a for ρ units of each
// other task), a = j, j+1, … mod I (rotate) or 0, 1, … (same). Two such rays are
// polarized iff ρ ≥ 1 (spec §2.6: the product of exchange rates ≥ 1), so a menu
// with several rays needs ρ ≥ 1. With I = 2 and ρ = 1 this is K5's menu.
//
//   parameter        type     default  range / choices     meaning
//   tasks            integer  2        [2, 5]              I
//   agents           integer  2        [2, 50]             J
//   units            real     2        [1e-6, 1e6]         n^i for every task
//   status_quo       choice   equal    equal | dirichlet   σ_j = n/J, or Dirichlet(α) shares per task
//   dirichlet_alpha  real     1        [0.05, 100]         α of the Dirichlet split
//   base_cost        real     1.5      [-1e6, 1e6]         π̄
//   cost_spread      real     1/√2     [0, 1e6]            s (0 is the null case K8)
//   cost_angle_deg   real     135      [-360, 360]         θ (angle directions)
//   cost_direction   choice   angle    angle | random      how ξ_j is chosen
//   cost_groups      integer  0        [0, 50]             distinct π types G (0: one per agent)
//   box_low          real     1        [1e-6, 1e6]         c̲ (all tasks)
//   box_width        real     1        [0, 1e6]            w
//   box_aspect       real     1        [0, 1e3]            task 0's width is w·aspect
//   box_shift        real     0        [0, 1e6]            agent j's task-0 box moves up by j·shift
//   type_shape       choice   uniform  uniform | beta      c on the box: uniform (exact choice probabilities) or
//                                                          independent Beta(a, b) coordinates (probabilities from
//                                                          a seeded sample of 8192 types per agent)
//   beta_a, beta_b   real     2, 2     [0.05, 100]         the Beta shapes (type_shape = beta)
//   slack            real     1        [1, 100]            β for every agent
//   rays_per_agent   integer  2        [0, 5]              rays per non-remedial menu (≤ I)
//   exchange_rate    real     1        [1e-3, 1e3]         ρ
//   ray_assignment   choice   rotate   rotate | same       which tasks agent j's rays give up
//   remedial_agents  integer  0        [0, 50]             agents 0.. get the remedial menu
//   replicas         integer  1        [1, 1048576]        N of the replica economy (Proposition 3)
//   samples          integer  2000     [2, 1e7]            type draws for V_CI and per-agent EOPR outcomes
//   exact_profiles   integer  4096     [1, 1e7]            enumerate EOPR when ∏_j(K_j+1) ≤ this, else sample
//   replica_draws    integer  2000     [1, 1e7]            multinomial draws when the replica economy is not enumerated
//   lm_grid          integer  256      [16, 100000]        price grid of the I = 2 support function
//   lm_iterations    integer  200      [1, 100000]         column-generation rounds
//
// Every random draw comes from the task seed (σ, ξ, type draws, replicas, the
// I ≥ 3 support heuristic), each through its own derived stream.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "core/seed.hpp"
#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/eopr.hpp"
#include "mechanisms/delegation/eopr_sampling.hpp"
#include "mechanisms/delegation/large_market.hpp"
#include "mechanisms/delegation/market.hpp"
#include "mechanisms/delegation/osp_classify.hpp"
#include "mechanisms/delegation/probability.hpp"
#include "mechanisms/delegation/replica.hpp"
#include "mechanisms/delegation/theorem1.hpp"
#include "mechanisms/delegation/types.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace dl = mechsweep::delegation;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Independent random streams of one task.
enum Stream : std::uint64_t { kStatusQuo = 1, kDirections, kTypes, kCompleteInformation, kReplica, kSupport, kTypeSample };

std::uint64_t stream_seed(std::uint64_t seed, Stream stream) { return derive_seed(seed, stream); }

// Gamma variates for the Dirichlet split. std::gamma_distribution is not
// guaranteed identical across standard libraries; one libstdc++ is enough for
// the store's reproducibility promise (same build, same results).
std::vector<double> dirichlet_shares(std::mt19937_64& rng, int agents, double alpha) {
  std::gamma_distribution<double> gamma(alpha, 1.0);
  std::vector<double> shares(agents);
  double total = 0.0;
  for (double& share : shares) total += share = std::max(gamma(rng), 1e-300);
  for (double& share : shares) share /= total;
  return shares;
}

int agents_of(const ParamPoint& point) { return static_cast<int>(point.integer("agents")); }
int tasks_of(const ParamPoint& point) { return static_cast<int>(point.integer("tasks")); }

dl::Market build_market(const ParamPoint& point, std::uint64_t seed) {
  dl::Market market;
  market.tasks = tasks_of(point);
  market.agents = agents_of(point);
  const int tasks = market.tasks, agents = market.agents;
  const double units = point.real("units");
  market.units.assign(tasks, units);
  market.status_quo.assign(static_cast<std::size_t>(tasks) * agents, units / agents);
  if (point.choice("status_quo") == "dirichlet") {
    std::mt19937_64 rng(stream_seed(seed, kStatusQuo));
    for (int i = 0; i < tasks; ++i) {
      const std::vector<double> shares = dirichlet_shares(rng, agents, point.real("dirichlet_alpha"));
      double assigned = 0.0;
      for (int j = 0; j + 1 < agents; ++j) assigned += market.status_quo[j * tasks + i] = units * shares[j];
      market.status_quo[(agents - 1) * tasks + i] = std::max(0.0, units - assigned);  // columns sum to n exactly
    }
  }
  const int groups = point.integer("cost_groups") == 0 ? agents : static_cast<int>(point.integer("cost_groups"));
  std::vector<std::vector<double>> directions(groups, std::vector<double>(tasks, 0.0));
  if (point.choice("cost_direction") == "angle") {
    for (int g = 0; g < groups; ++g) {
      const double phi = (point.real("cost_angle_deg") + 360.0 * g / groups) * std::numbers::pi / 180.0;
      directions[g][0] = std::cos(phi);
      directions[g][1] = std::sin(phi);
    }
  } else {
    std::mt19937_64 rng(stream_seed(seed, kDirections));
    std::normal_distribution<double> normal;
    for (auto& direction : directions) {
      double norm = 0.0;
      for (double& x : direction) {
        x = normal(rng);
        norm += x * x;
      }
      for (double& x : direction) x /= std::sqrt(norm);
    }
  }
  const double base = point.real("base_cost"), spread = point.real("cost_spread");
  const double low = point.real("box_low"), width = point.real("box_width");
  for (int j = 0; j < agents; ++j) {
    for (int i = 0; i < tasks; ++i) {
      market.cost.push_back(base + spread * directions[j % groups][i]);
      const double shift = i == 0 ? j * point.real("box_shift") : 0.0;
      market.box_low.push_back(low + shift);
      market.box_high.push_back(low + shift + (i == 0 ? width * point.real("box_aspect") : width));
    }
  }
  market.slack.assign(agents, point.real("slack"));
  if (point.choice("type_shape") == "beta") {
    market.types = std::make_shared<dl::BetaTypes>(agents, tasks, point.real("beta_a"), point.real("beta_b"), 8192,
                                                   stream_seed(seed, kTypeSample));
  }
  return market;
}

std::vector<dl::Menu> build_menus(const ParamPoint& point) {
  const int tasks = tasks_of(point), agents = agents_of(point);
  const auto rays = static_cast<int>(point.integer("rays_per_agent"));
  const double rate = point.real("exchange_rate");
  const bool rotate = point.choice("ray_assignment") == "rotate";
  std::vector<dl::Menu> menus(agents);
  for (int j = 0; j < agents; ++j) {
    if (j < point.integer("remedial_agents")) {
      menus[j].remedial = true;
      continue;
    }
    for (int a = 0; a < rays; ++a) {
      std::vector<double> ray(tasks, rate);
      ray[((rotate ? j : 0) + a) % tasks] = -1.0;
      menus[j].rays.push_back(std::move(ray));
    }
  }
  return menus;
}

// The agent's menu as finite point sets around η for the structural
// classifier: two points on each full-length ray, the corners of [0, η] for
// the remedial set.
std::vector<std::vector<std::vector<double>>> menu_point_sets(const dl::Market& market, int agent,
                                                              const dl::Menu& menu) {
  const auto endowment = market.row(market.status_quo, agent);
  std::vector<std::vector<std::vector<double>>> sets;
  if (menu.remedial) {
    std::vector<std::vector<double>> corners;
    for (unsigned mask = 0; mask < (1U << market.tasks); ++mask) {
      std::vector<double> corner(endowment.begin(), endowment.end());
      for (int i = 0; i < market.tasks; ++i) {
        if (((mask >> i) & 1U) != 0) corner[i] = 0.0;
      }
      corners.push_back(std::move(corner));
    }
    sets.push_back(std::move(corners));
    return sets;
  }
  for (const auto& ray : menu.rays) {
    const double reach = dl::ray_reach(endowment, ray);
    std::vector<std::vector<double>> points;
    for (const double fraction : {0.5, 1.0}) {
      std::vector<double> x(endowment.begin(), endowment.end());
      for (int i = 0; i < market.tasks; ++i) x[i] = std::max(0.0, x[i] + fraction * reach * ray[i]);
      points.push_back(std::move(x));
    }
    sets.push_back(std::move(points));
  }
  return sets;
}

std::uint64_t profile_count(const std::vector<dl::Menu>& menus, std::uint64_t cap) {
  std::uint64_t count = 1;
  for (const dl::Menu& menu : menus) {
    count *= menu.remedial ? 1 : menu.rays.size() + 1;
    if (count > cap) return cap + 1;
  }
  return count;
}

double share_of_first_best(double status_quo, double first_best, double value) {
  const double room = status_quo - first_best;
  return room > 1e-12 * std::max(1.0, std::abs(status_quo)) ? (status_quo - value) / room : kNaN;
}

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "delegation.market";
  info.summary = "Paper 002: benchmarks, EOPR, large market and replicas over market size, π, boxes, β and menus";
  info.params = {
      integer_param("tasks", 2, 2, 5, "I, task types"),
      integer_param("agents", 2, 2, 50, "J, agents"),
      real_param("units", 2.0, 1e-6, 1e6, "n^i, units of every task type"),
      choice_param("status_quo", "equal", {"equal", "dirichlet"},
                   "σ: equal split n/J, or Dirichlet(α) shares per task drawn from the task seed"),
      real_param("dirichlet_alpha", 1.0, 0.05, 100.0, "α of the Dirichlet split (status_quo = dirichlet)"),
      real_param("base_cost", 1.5, -1e6, 1e6, "π̄, the designer's average cost of a unit"),
      real_param("cost_spread", std::numbers::sqrt2 / 2.0, 0.0, 1e6,
                 "s in π_j = π̄ + s·ξ_j (0: identical performance, K8)"),
      real_param("cost_angle_deg", 135.0, -360.0, 360.0,
                 "θ: group g's direction is (cos, sin)(θ + 360°·g/G) in tasks 0 and 1 (cost_direction = angle)"),
      choice_param("cost_direction", "angle", {"angle", "random"},
                   "ξ_j by angle (tasks 0, 1) or a seeded uniform direction in R^I per cost group"),
      integer_param("cost_groups", 0, 0, 50, "G, distinct π types (agent j is in group j mod G); 0: one per agent"),
      real_param("box_low", 1.0, 1e-6, 1e6, "c̲, the lowest unit cost of every task"),
      real_param("box_width", 1.0, 0.0, 1e6, "w, the width of the cost box (0: degenerate types)"),
      real_param("box_aspect", 1.0, 0.0, 1e3, "task 0's box width is w·aspect (sets the range of c_A/c_B)"),
      real_param("box_shift", 0.0, 0.0, 1e6, "agent j's task-0 box moves up by j·shift (> 0: supports differ)"),
      choice_param("type_shape", "uniform", {"uniform", "beta"},
                   "costs on the box: uniform (exact choice probabilities) or independent Beta(a, b) coordinates "
                   "(probabilities from a seeded sample of 8192 types per agent)"),
      real_param("beta_a", 2.0, 0.05, 100.0, "a of the Beta cost shape (type_shape = beta)"),
      real_param("beta_b", 2.0, 0.05, 100.0, "b of the Beta cost shape (type_shape = beta)"),
      real_param("slack", 1.0, 1.0, 100.0, "β, the participation slack of every agent"),
      integer_param("rays_per_agent", 2, 0, 5, "rays on every non-remedial menu (at most I, Corollary 2)"),
      real_param("exchange_rate", 1.0, 1e-3, 1e3,
                 "ρ in κ_a = −e_a + ρ Σ_{b≠a} e_b; several rays need ρ ≥ 1 to be polarized"),
      choice_param("ray_assignment", "rotate", {"rotate", "same"},
                   "agent j's rays give up tasks j, j+1, … (rotate) or 0, 1, … (same) mod I"),
      integer_param("remedial_agents", 0, 0, 50, "agents 0 … this − 1 get the remedial menu"),
      integer_param("replicas", 1, 1, 1 << 20, "N of the replica economy (Proposition 3)"),
      integer_param("samples", 2000, 2, 1e7, "type draws for V_CI and the per-agent EOPR outcomes"),
      integer_param("exact_profiles", 4096, 1, 1e7,
                    "E[V_EOPR] by enumeration when the choice profiles ∏_j(K_j+1) are at most this, else sampled"),
      integer_param("replica_draws", 2000, 1, 1e7, "multinomial draws when the replica economy is too big to enumerate"),
      integer_param("lm_grid", 256, 16, 100000, "price grid of the I = 2 support function (then refined)"),
      integer_param("lm_iterations", 200, 1, 100000, "column-generation rounds of the large-market program"),
  };
  const auto per_agent = [](const ParamPoint& p) { return static_cast<std::size_t>(agents_of(p)); };
  const auto per_task = [](const ParamPoint& p) { return static_cast<std::size_t>(tasks_of(p)); };
  auto& c = info.columns;
  c.push_back(real_column("v_sq", "V_SQ = Σ_j π_j·σ_j"));
  c.push_back(real_column("v_fb", "V_FB = Σ_i n^i min_j π_j(i), the first best"));
  c.push_back(real_column("v_nd", "V_ND(β), the best allocation without choice (LP, spec §2.1)"));
  c.push_back(real_column("v_ci", "V_CI, the complete-information bound with ex-post participation (Monte Carlo)"));
  c.push_back(real_column("v_ci_se", "standard error of v_ci"));
  c.push_back(real_column("v_bilateral", "E[V] of Proposition 1's improving bilateral trade (NaN: none built)", true));
  c.push_back(integer_column("bilateral_first", "j' of that trade (−1: none)"));
  c.push_back(integer_column("bilateral_second", "j'' of that trade (−1: none)"));
  c.push_back(real_column("v_eopr", "E[V_EOPR] of the configured menus"));
  c.push_back(real_column("v_eopr_se", "standard error of v_eopr (0 when enumerated)"));
  c.push_back(integer_column("eopr_exact", "1: every choice profile enumerated; 0: sampled"));
  c.push_back(integer_column("eopr_profiles", "choice profiles enumerated, or distinct profiles met by sampling"));
  c.push_back(real_column("eopr_worst_lp", "max over profiles of the selection LP value (≤ 0; NaN when sampled)", true));
  c.push_back(real_column("v_lm", "V_LM, the large-market optimum over all OSP menus (column generation)"));
  c.push_back(real_column("lm_dual", "the dual (6) at the final prices: a lower bound on V_LM when I = 2"));
  c.push_back(real_column("lm_gap", "v_lm − lm_dual, the duality gap"));
  c.push_back(integer_column("lm_iterations", "column-generation rounds used"));
  c.push_back(integer_column("lm_converged", "1: no improving column was left"));
  c.push_back(integer_column("lm_exact", "1: exact support functions (I = 2); 0: the I ≥ 3 heuristic"));
  c.push_back(ColumnSpec{"lm_prices", ColumnType::real, "λ*, the market-clearing prices of the LM program", false,
                         per_task});
  c.push_back(real_column("v_lm_menus", "the LM value of the configured menus (the N → ∞ replica limit)"));
  c.push_back(real_column("v_replica", "(1/N) E[V(N)] of the configured menus in the N-replica economy"));
  c.push_back(real_column("v_replica_se", "standard error of v_replica (0 when enumerated)"));
  c.push_back(integer_column("replica_exact", "1: every count vector enumerated; 0: sampled"));
  c.push_back(real_column("replica_gap", "v_replica − v_lm_menus (≥ 0, → 0 like N^{-1/2})"));
  c.push_back(real_column("gain_eopr", "V_SQ − V_EOPR, the value of choice"));
  c.push_back(real_column("gain_eopr_vs_nd", "V_ND − V_EOPR, the value of choice over the best non-choice allocation"));
  c.push_back(real_column("fb_share_eopr", "(V_SQ − V_EOPR)/(V_SQ − V_FB); NaN when V_SQ = V_FB", true));
  c.push_back(real_column("fb_share_lm", "(V_SQ − V_LM)/(V_SQ − V_FB); NaN when V_SQ = V_FB", true));
  c.push_back(real_column("any_trade_probability", "Pr(some agent trades) under EOPR (sampled)"));
  c.push_back(real_column("mean_traders", "E[number of agents who trade] under EOPR (sampled)"));
  c.push_back(integer_column("participation_violations", "sampled types worse off than at σ, all agents (must be 0)"));
  c.push_back(ColumnSpec{"choice_probability", ColumnType::real,
                         "per agent: Pr(takes a ray); 1 for a remedial agent", false, per_agent});
  c.push_back(ColumnSpec{"welfare", ColumnType::real, "per agent: E[c_j·(x_j − σ_j)] (≤ 0)", false, per_agent});
  c.push_back(ColumnSpec{"trade_volume", ColumnType::real, "per agent: E‖x_j − σ_j‖₁", false, per_agent});
  c.push_back(ColumnSpec{"ir_violations", ColumnType::real, "per agent: sampled ex-post participation violations",
                         false, per_agent});
  c.push_back(integer_column("osp_full_cone",
                             "1: every menu passes Theorem 2's structural test (OSP on every type space)"));
  c.push_back(integer_column("osp_on_boxes", "1: every menu is OSP on the agent's own box (exact LP check)"));
  c.push_back(integer_column("thm1_hypotheses", "1: common box and σ > 0 (Theorem 1's H)"));
  c.push_back(integer_column("thm1_condition_i", "1: non-degenerate types and π_j differ (Theorem 1 (i))"));
  c.push_back(real_column("corollary1_gap", "V_ND(1) − V_SQ when Corollary 1 applies (must be 0), else NaN", true));
  return info;
}

class DelegationMarket final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void validate(const ParamPoint& point) const override {
    const int tasks = tasks_of(point), agents = agents_of(point);
    const auto rays = point.integer("rays_per_agent");
    if (rays > tasks) {
      throw InvalidParams("rays_per_agent", "rays_per_agent = " + std::to_string(rays) + " exceeds tasks = " +
                                                std::to_string(tasks) +
                                                ": at most I rays can be polarized (spec 002 Corollary 2)");
    }
    if (rays >= 2 && point.real("exchange_rate") < 1.0) {
      throw InvalidParams(std::vector<std::string>{"exchange_rate", "rays_per_agent"},
                          "exchange_rate = " + std::to_string(point.real("exchange_rate")) +
                              " < 1 with several rays per agent: the rays would not be polarized (spec 002 §2.6)");
    }
    if (point.integer("remedial_agents") > agents) {
      throw InvalidParams("remedial_agents", "remedial_agents = " + std::to_string(point.integer("remedial_agents")) +
                                                 " exceeds agents = " + std::to_string(agents));
    }
    if (point.integer("cost_groups") > agents) {
      throw InvalidParams("cost_groups", "cost_groups = " + std::to_string(point.integer("cost_groups")) +
                                             " exceeds agents = " + std::to_string(agents));
    }
  }

  void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const override {
    const dl::Market market = build_market(point, seed);
    dl::validate(market);
    const std::vector<dl::Menu> menus = build_menus(point);
    const auto samples = static_cast<std::uint64_t>(point.integer("samples"));

    const double v_sq = dl::status_quo_cost(market);
    const double v_fb = dl::first_best_cost(market);
    const double v_nd = dl::best_non_choice(market).cost;
    row.set("v_sq", v_sq);
    row.set("v_fb", v_fb);
    row.set("v_nd", v_nd);
    const dl::MonteCarloEstimate ci =
        dl::complete_information_bound(market, samples, stream_seed(seed, kCompleteInformation));
    row.set("v_ci", ci.mean);
    row.set("v_ci_se", ci.standard_error);

    const dl::Theorem1Report theorem = dl::theorem1(market);
    row.set("v_bilateral", theorem.witness ? v_sq - theorem.witness_gain : kNaN);
    row.set("bilateral_first", theorem.witness ? theorem.witness->first : -1);
    row.set("bilateral_second", theorem.witness ? theorem.witness->second : -1);
    row.set("thm1_hypotheses", theorem.hypotheses() ? 1 : 0);
    row.set("thm1_condition_i", theorem.condition_i() ? 1 : 0);
    row.set("corollary1_gap", theorem.non_choice_gap ? *theorem.non_choice_gap : kNaN);

    // EOPR: exact when the profiles are few; sampling gives the per-agent outcomes either way.
    const auto limit = static_cast<std::uint64_t>(point.integer("exact_profiles"));
    const dl::EoprSample sample = dl::sample_eopr(market, menus, samples, stream_seed(seed, kTypes));
    double v_eopr = sample.cost.mean;
    if (profile_count(menus, limit) <= limit) {
      const dl::EoprValue exact = dl::eopr_expected_cost(market, menus);
      v_eopr = exact.expected_cost;
      row.set("v_eopr_se", 0.0);
      row.set("eopr_exact", 1);
      row.set("eopr_profiles", static_cast<double>(exact.profiles));
      row.set("eopr_worst_lp", exact.worst_lp_value);
    } else {
      row.set("v_eopr_se", sample.cost.standard_error);
      row.set("eopr_exact", 0);
      row.set("eopr_profiles", static_cast<double>(sample.distinct_profiles));
      row.set("eopr_worst_lp", kNaN);
    }
    std::vector<double> taking(market.agents);
    for (int j = 0; j < market.agents; ++j) {
      double keep = 1.0;
      for (const auto& ray : menus[j].rays) keep -= dl::probability_negative(market, j, ray);
      taking[j] = menus[j].remedial ? 1.0 : 1.0 - std::max(0.0, keep);
    }
    row.set_ragged("choice_probability", std::move(taking));
    row.set("v_eopr", v_eopr);
    row.set("gain_eopr", v_sq - v_eopr);
    row.set("gain_eopr_vs_nd", v_nd - v_eopr);
    row.set("fb_share_eopr", share_of_first_best(v_sq, v_fb, v_eopr));
    row.set("any_trade_probability", sample.any_trade_probability);
    row.set("mean_traders", sample.mean_traders);
    std::uint64_t violations = 0;
    std::vector<double> per_agent_violations;
    for (const std::uint64_t v : sample.participation_violations) {
      violations += v;
      per_agent_violations.push_back(static_cast<double>(v));
    }
    row.set("participation_violations", static_cast<double>(violations));
    row.set_ragged("welfare", sample.welfare);
    row.set_ragged("trade_volume", sample.trade_volume);
    row.set_ragged("ir_violations", std::move(per_agent_violations));

    dl::LargeMarketOptions lm_options;
    lm_options.support.grid = static_cast<int>(point.integer("lm_grid"));
    lm_options.support.seed = stream_seed(seed, kSupport);
    lm_options.max_iterations = static_cast<int>(point.integer("lm_iterations"));
    const dl::LargeMarketSolution lm = dl::solve_large_market(market, lm_options);
    row.set("v_lm", lm.primal_value);
    row.set("lm_dual", lm.dual_value);
    row.set("lm_gap", lm.duality_gap);
    row.set("lm_iterations", lm.iterations);
    row.set("lm_converged", lm.converged ? 1 : 0);
    row.set("lm_exact", lm.exact_support ? 1 : 0);
    row.set_ragged("lm_prices", lm.prices);
    row.set("fb_share_lm", share_of_first_best(v_sq, v_fb, lm.primal_value));

    dl::ReplicaOptions replica_options;
    replica_options.replicas = static_cast<int>(point.integer("replicas"));
    replica_options.draws = static_cast<std::uint64_t>(point.integer("replica_draws"));
    replica_options.seed = stream_seed(seed, kReplica);
    const dl::ReplicaEstimate replica = dl::replica_cost(market, menus, replica_options);
    row.set("v_lm_menus", replica.large_market_value);
    row.set("v_replica", replica.per_capita_cost);
    row.set("v_replica_se", replica.standard_error);
    row.set("replica_exact", replica.exact ? 1 : 0);
    row.set("replica_gap", replica.gap);

    bool full_cone = true, boxes = true;
    for (int j = 0; j < market.agents; ++j) {
      const auto sets = menu_point_sets(market, j, menus[j]);
      const auto endowment = market.row(market.status_quo, j);
      full_cone = full_cone && dl::classify_menu(sets, endowment, dl::TypeSpace::full_cone()).osp_on_type_space;
      const auto low = market.row(market.box_low, j), high = market.row(market.box_high, j);
      const dl::TypeSpace box = dl::TypeSpace::box({low.begin(), low.end()}, {high.begin(), high.end()});
      boxes = boxes && dl::classify_menu(sets, endowment, box).osp_on_type_space;
    }
    row.set("osp_full_cone", full_cone ? 1 : 0);
    row.set("osp_on_boxes", boxes ? 1 : 0);
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::DelegationMarket)
