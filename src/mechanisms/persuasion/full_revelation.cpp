#include "mechanisms/persuasion/full_revelation.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <utility>

#include "core/seed.hpp"
#include "mechanisms/persuasion/errors.hpp"

namespace mechsweep::persuasion {
namespace {

using detail::reject;
using detail::show;

// Seed streams: one per random purpose, so that adding draws to one never
// shifts another.
constexpr std::uint64_t kScenarioStream = 1;
constexpr std::uint64_t kTieBreakStream = 2;
// Exact averages over every within-block tie order up to this many agents.
constexpr int kExactTieAgents = 8;
// Work (scenario × agent × agent) allowed for the generic UB_j chain at n > 12.
constexpr double kUpperBoundChainWork = 2e8;

// A uniform double in [0, 1) from the top 53 bits: platform independent,
// unlike std::uniform_real_distribution.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

std::vector<char> member_mask(int n, std::span<const int> set, const char* what) {
  std::vector<char> in(static_cast<std::size_t>(n), 0);
  for (const int i : set) {
    if (i < 0 || i >= n) reject(what, std::to_string(i), "an agent in 0.." + std::to_string(n - 1));
    if (in[i]) reject(what, std::to_string(i) + " twice", "distinct agents");
    in[i] = 1;
  }
  return in;
}

void require_permutation(int n, std::span<const int> order) {
  if (static_cast<int>(order.size()) != n)
    reject("priority order size", std::to_string(order.size()), std::to_string(n));
  member_mask(n, order, "priority order entry");
}

// Polymatroids built without make_* (aggregate initialisation) get the same
// checks; laminar caps also get their ancestor lists.
Polymatroid revalidated(Polymatroid f) {
  return std::visit(
      [](auto&& family) -> Polymatroid {
        using Family = std::decay_t<decltype(family)>;
        if constexpr (std::is_same_v<Family, UniformMatroid>) {
          return make_uniform(family.n, family.k);
        } else if constexpr (std::is_same_v<Family, PartitionMatroid>) {
          return make_partition(std::move(family.group_of), std::move(family.capacity));
        } else if constexpr (std::is_same_v<Family, LaminarCaps>) {
          return make_laminar_caps(std::move(family.leaf_cap), std::move(family.nodes));
        } else if constexpr (std::is_same_v<Family, Budget>) {
          return make_budget(family.budget, std::move(family.cost));
        } else if constexpr (std::is_same_v<Family, Click>) {
          return make_click(std::move(family.p));
        } else if constexpr (std::is_same_v<Family, CardinalityRank>) {
          return make_cardinality(std::move(family.phi));
        } else {
          Polymatroid table = make_table(family.n, std::move(family.value));
          require_polymatroid(table);
          return table;
        }
      },
      std::move(f));
}

// Gauss–Legendre rule on [0, 1] with q nodes: exact for polynomials of degree
// ≤ 2q − 1 (Newton on the Legendre recurrence, the classical gauleg).
void gauss_legendre(int q, std::vector<double>& nodes, std::vector<double>& weights) {
  nodes.assign(static_cast<std::size_t>(q), 0.0);
  weights.assign(static_cast<std::size_t>(q), 0.0);
  const double pi = std::acos(-1.0);
  for (int r = 0; r < (q + 1) / 2; ++r) {
    double z = std::cos(pi * (r + 0.75) / (q + 0.5));
    double derivative = 1.0;
    for (int iteration = 0; iteration < 100; ++iteration) {
      double p1 = 1.0;
      double p2 = 0.0;
      for (int j = 1; j <= q; ++j) {
        const double p3 = p2;
        p2 = p1;
        p1 = ((2.0 * j - 1.0) * z * p2 - (j - 1.0) * p3) / j;
      }
      derivative = q * (z * p1 - p2) / (z * z - 1.0);
      const double previous = z;
      z = previous - p1 / derivative;
      if (std::abs(z - previous) <= 1e-16) break;
    }
    const double weight = 1.0 / ((1.0 - z * z) * derivative * derivative);  // [−1,1] weight / 2
    nodes[r] = 0.5 * (1.0 - z);
    nodes[q - 1 - r] = 0.5 * (1.0 + z);
    weights[r] = weight;
    weights[q - 1 - r] = weight;
  }
}

// Poisson-binomial pmf truncated to counts 0..K−1: multiply by Bern(r).
void add_bernoulli(std::span<double> pmf, double r) {
  for (std::size_t c = pmf.size(); c-- > 1;) pmf[c] = pmf[c] * (1.0 - r) + pmf[c - 1] * r;
  pmf[0] *= 1.0 - r;
}

}  // namespace

OracleMethod parse_oracle_method(std::string_view name) {
  if (name == "automatic") return OracleMethod::automatic;
  if (name == "enumerate") return OracleMethod::enumerate;
  if (name == "poisson_binomial") return OracleMethod::poisson_binomial;
  if (name == "click_product") return OracleMethod::click_product;
  if (name == "monte_carlo") return OracleMethod::monte_carlo;
  reject("oracle method", std::string(name), "automatic, enumerate, poisson_binomial, click_product or monte_carlo");
}

std::string_view to_string(OracleMethod method) {
  switch (method) {
    case OracleMethod::automatic:
      return "automatic";
    case OracleMethod::enumerate:
      return "enumerate";
    case OracleMethod::poisson_binomial:
      return "poisson_binomial";
    case OracleMethod::click_product:
      return "click_product";
    case OracleMethod::monte_carlo:
      return "monte_carlo";
  }
  return "unknown";
}

double scenario_rank(const Polymatroid& f, std::span<const double> values, std::span<const int> set) {
  const int n = size(f);
  if (static_cast<int>(values.size()) != n)
    reject("scenario value count", std::to_string(values.size()), std::to_string(n));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]) || values[i] <= 0.0)
      reject("scenario value[" + std::to_string(i) + "]", show(values[i]), "finite > 0");
  }
  const std::vector<char> in_set = member_mask(n, set, "scenario rank set member");
  std::vector<double> levels(values.begin(), values.end());
  std::sort(levels.begin(), levels.end(), std::greater<>());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  // Lemma 3.2: g(S; v) = Σ_l w_l [f(P_{<l} ∪ (S ∩ E_l)) − f(P_{<l})].
  std::vector<int> higher;
  std::vector<int> with_set;
  double total = 0.0;
  for (const double w : levels) {
    with_set = higher;
    for (int i = 0; i < n; ++i) {
      if (values[i] == w && in_set[i]) with_set.push_back(i);
    }
    total += w * (rank(f, with_set) - rank(f, higher));
    for (int i = 0; i < n; ++i) {
      if (values[i] == w) higher.push_back(i);
    }
  }
  return total;
}

struct FullRevelation::Impl {
  Polymatroid f;
  Prior prior;
  OracleOptions options;
  OracleMethod method = OracleMethod::enumerate;
  int n = 0;
  // Every value of every agent, distinct and descending; rank_of[offset[i] + a]
  // is the position of agent i's a-th value in it (smaller rank = larger value).
  std::vector<double> distinct;
  std::vector<int> offset;
  std::vector<int> rank_of;
  // Monte Carlo: support indices, scenario-major ([s·n + i]).
  std::int64_t samples = 0;
  std::vector<std::uint16_t> sampled;

  int rank_at(int agent, int atom) const { return rank_of[offset[agent] + atom]; }

  // ---- scenario loops (enumeration or the fixed Monte Carlo sample) -------

  // visit(weight, idx) for every scenario of the listed agents; idx[t] is the
  // support index of agents[t].
  template <class Visit>
  void for_each_scenario(std::span<const int> agents, Visit&& visit) const {
    const std::size_t m = agents.size();
    std::vector<int> idx(m, 0);
    if (method == OracleMethod::monte_carlo) {
      const double weight = 1.0 / static_cast<double>(samples);
      for (std::int64_t s = 0; s < samples; ++s) {
        const std::uint16_t* row = sampled.data() + static_cast<std::size_t>(s) * static_cast<std::size_t>(n);
        for (std::size_t t = 0; t < m; ++t) idx[t] = row[agents[t]];
        visit(weight, idx);
      }
      return;
    }
    while (true) {
      double weight = 1.0;
      for (std::size_t t = 0; t < m; ++t) weight *= prior[agents[t]].probabilities[idx[t]];
      visit(weight, idx);
      std::size_t t = 0;
      while (t < m && ++idx[t] == prior[agents[t]].support()) idx[t++] = 0;
      if (t == m) return;
    }
  }

  // Stable counting sort of positions 0..m−1 by value rank (descending value),
  // so that equal values keep the listed (priority) order.
  struct ValueSorter {
    std::vector<int> local;   // local rank of agents[t]'s atoms, flattened
    std::vector<int> start;   // offsets into `local` per t
    std::vector<int> count;   // one bucket per local rank (+1)
    std::vector<int> sorted;  // positions t, by (value desc, t)
    ValueSorter(const Impl& impl, std::span<const int> agents) {
      std::vector<int> ranks;
      for (const int a : agents) {
        for (int atom = 0; atom < impl.prior[a].support(); ++atom) ranks.push_back(impl.rank_at(a, atom));
      }
      std::vector<int> levels = ranks;
      std::sort(levels.begin(), levels.end());
      levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
      local.reserve(ranks.size());
      start.reserve(agents.size());
      for (std::size_t t = 0, k = 0; t < agents.size(); ++t) {
        start.push_back(static_cast<int>(local.size()));
        for (int atom = 0; atom < impl.prior[agents[t]].support(); ++atom, ++k) {
          local.push_back(static_cast<int>(std::lower_bound(levels.begin(), levels.end(), ranks[k]) - levels.begin()));
        }
      }
      count.assign(levels.size() + 1, 0);
      sorted.assign(agents.size(), 0);
    }
    int level(std::size_t t, int atom) const { return local[start[t] + atom]; }
    void sort(const std::vector<int>& idx) {
      std::fill(count.begin(), count.end(), 0);
      for (std::size_t t = 0; t < idx.size(); ++t) ++count[level(t, idx[t]) + 1];
      for (std::size_t l = 1; l < count.size(); ++l) count[l] += count[l - 1];
      for (std::size_t t = 0; t < idx.size(); ++t) sorted[count[level(t, idx[t])]++] = static_cast<int>(t);
    }
  };

  // E_v[v_i x_i] for the receiver's greedy over the listed agents only, key
  // (value desc, position in `agents`).
  template <class Family>
  void greedy_by_scenarios(const Family& family, std::span<const int> agents, std::span<double> out) const {
    ValueSorter sorter(*this, agents);
    typename Family::Greedy greedy(family);
    for_each_scenario(agents, [&](double weight, const std::vector<int>& idx) {
      sorter.sort(idx);
      greedy.clear();
      for (const int t : sorter.sorted) {
        const int a = agents[t];
        const double x = greedy.add(a);
        if (x != 0.0) out[a] += weight * prior[a].values[idx[t]] * x;
      }
    });
  }

  // Value ties broken uniformly at random, scenario by scenario: every
  // within-block order (exact) or `repeats` random ones.
  template <class Family>
  void uniform_ties_by_scenarios(const Family& family, std::span<double> out) const {
    std::vector<int> everyone(static_cast<std::size_t>(n));
    std::iota(everyone.begin(), everyone.end(), 0);
    ValueSorter sorter(*this, everyone);
    typename Family::Greedy greedy(family);
    const bool exact_blocks = n <= kExactTieAgents;
    int repeats = 1;
    if (!exact_blocks && method == OracleMethod::enumerate) {
      const std::int64_t count = scenario_count(prior);
      repeats = static_cast<int>(std::max<std::int64_t>(1, (options.samples + count - 1) / count));
    }
    std::mt19937_64 rng(derive_seed(options.seed, kTieBreakStream));
    std::vector<int> arrangement(static_cast<std::size_t>(n));
    std::vector<int> block_start;
    auto run = [&](double weight, const std::vector<int>& idx) {
      greedy.clear();
      for (const int a : arrangement) {
        const double x = greedy.add(a);
        if (x != 0.0) out[a] += weight * prior[a].values[idx[a]] * x;
      }
    };
    for_each_scenario(everyone, [&](double weight, const std::vector<int>& idx) {
      sorter.sort(idx);
      arrangement = sorter.sorted;
      block_start.clear();
      for (int t = 0; t < n; ++t) {
        if (t == 0 || sorter.level(static_cast<std::size_t>(arrangement[t]), idx[arrangement[t]]) !=
                          sorter.level(static_cast<std::size_t>(arrangement[t - 1]), idx[arrangement[t - 1]])) {
          block_start.push_back(t);
        }
      }
      block_start.push_back(n);
      const std::size_t blocks = block_start.size() - 1;
      if (exact_blocks) {
        double orders = 1.0;
        for (std::size_t l = 0; l < blocks; ++l) {
          for (int j = 2; j <= block_start[l + 1] - block_start[l]; ++j) orders *= j;
        }
        // Each block starts ascending (the counting sort is stable), so
        // next_permutation walks every order of it exactly once.
        while (true) {
          run(weight / orders, idx);
          std::size_t l = blocks;
          while (l > 0) {
            --l;
            if (std::next_permutation(arrangement.begin() + block_start[l], arrangement.begin() + block_start[l + 1])) {
              ++l;
              break;
            }
          }
          if (l == 0) break;
        }
        return;
      }
      for (int r = 0; r < repeats; ++r) {
        for (std::size_t l = 0; l < blocks; ++l) {
          for (int t = block_start[l + 1] - 1; t > block_start[l]; --t) {
            boost::random::uniform_int_distribution<int> pick(block_start[l], t);
            std::swap(arrangement[t], arrangement[pick(rng)]);
          }
        }
        run(weight / repeats, idx);
      }
    });
  }

  // ---- polynomial oracles -------------------------------------------------

  // Per member and per level x (descending): P(v > x) and P(v = x).
  struct LevelWalk {
    std::vector<int> levels;  // global ranks present among the members, ascending
    std::vector<int> pointer;
    std::vector<double> above;
    std::vector<double> equal;
    LevelWalk(const Impl& impl, std::span<const int> members)
        : pointer(members.size(), 0), above(members.size(), 0.0), equal(members.size(), 0.0) {
      for (const int a : members) {
        for (int atom = 0; atom < impl.prior[a].support(); ++atom) levels.push_back(impl.rank_at(a, atom));
      }
      std::sort(levels.begin(), levels.end());
      levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    }
    void advance(const Impl& impl, std::span<const int> members, int level) {
      for (std::size_t t = 0; t < members.size(); ++t) {
        const auto& d = impl.prior[members[t]];
        while (pointer[t] < d.support() && impl.rank_at(members[t], pointer[t]) < level) {
          above[t] += d.probabilities[pointer[t]];
          ++pointer[t];
        }
        equal[t] = pointer[t] < d.support() && impl.rank_at(members[t], pointer[t]) == level
                       ? d.probabilities[pointer[t]]
                       : 0.0;
      }
    }
  };

  // D1 for min(|S|, k) over `members` in priority order: i is selected iff at
  // most k − 1 members rank ahead (v_j > x, or v_j = x and j precedes i).
  // For each level x, suffix pmfs (r_j = P(v_j > x)) and a running prefix pmf
  // (r_j = P(v_j ≥ x)), truncated at k − 1, meet at i in O(k).
  void uniform_vertex(std::span<const int> members, int k, std::span<double> out, std::vector<double>& suffix_cdf,
                      std::vector<double>& prefix) const {
    const std::size_t m = members.size();
    if (m == 0 || k <= 0) return;
    if (static_cast<std::size_t>(k) >= m) {
      for (const int a : members) out[a] += prior[a].mean();
      return;
    }
    const std::size_t K = static_cast<std::size_t>(k);
    suffix_cdf.resize(m * K);
    prefix.resize(K);
    LevelWalk walk(*this, members);
    for (const int level : walk.levels) {
      walk.advance(*this, members, level);
      const double x = distinct[level];
      std::fill(prefix.begin(), prefix.end(), 0.0);
      prefix[0] = 1.0;  // reused as the suffix pmf first
      for (std::size_t t = m; t-- > 0;) {
        double cumulative = 0.0;
        for (std::size_t c = 0; c < K; ++c) suffix_cdf[t * K + c] = cumulative += prefix[c];
        add_bernoulli(prefix, walk.above[t]);
      }
      std::fill(prefix.begin(), prefix.end(), 0.0);
      prefix[0] = 1.0;
      for (std::size_t t = 0; t < m; ++t) {
        if (walk.equal[t] > 0.0) {
          double selected = 0.0;
          for (std::size_t c = 0; c < K; ++c) selected += prefix[c] * suffix_cdf[t * K + (K - 1 - c)];
          out[members[t]] += walk.equal[t] * x * selected;
        }
        add_bernoulli(prefix, std::min(1.0, walk.above[t] + walk.equal[t]));
      }
    }
  }

  // Uniformly random tie-break for min(|S|, k): with tied competitors ahead
  // independently with probability τ and τ ~ U[0, 1] (i's uniform position
  // among its tied block), the selection probability is a polynomial in τ of
  // degree < #tied, integrated exactly by Gauss–Legendre.
  void uniform_ties(std::span<const int> members, int k, std::span<double> out) const {
    const std::size_t m = members.size();
    if (m == 0 || k <= 0) return;
    if (static_cast<std::size_t>(k) >= m) {
      for (const int a : members) out[a] += prior[a].mean();
      return;
    }
    const std::size_t K = static_cast<std::size_t>(k);
    LevelWalk walk(*this, members);
    std::vector<double> base(K), prefix(K), suffix_cdf, nodes, weights, accumulated;
    std::vector<std::size_t> tied;
    for (const int level : walk.levels) {
      walk.advance(*this, members, level);
      const double x = distinct[level];
      tied.clear();
      std::fill(base.begin(), base.end(), 0.0);
      base[0] = 1.0;
      for (std::size_t t = 0; t < m; ++t) {
        if (walk.equal[t] > 0.0) {
          tied.push_back(t);
        } else {
          add_bernoulli(base, walk.above[t]);
        }
      }
      const std::size_t T = tied.size();
      gauss_legendre(static_cast<int>((T + 1) / 2), nodes, weights);
      suffix_cdf.resize(T * K);
      accumulated.assign(T, 0.0);
      for (std::size_t q = 0; q < nodes.size(); ++q) {
        auto ahead = [&](std::size_t u) {
          const std::size_t t = tied[u];
          return std::min(1.0, walk.above[t] + walk.equal[t] * nodes[q]);
        };
        std::fill(prefix.begin(), prefix.end(), 0.0);
        prefix[0] = 1.0;
        for (std::size_t u = T; u-- > 0;) {
          double cumulative = 0.0;
          for (std::size_t c = 0; c < K; ++c) suffix_cdf[u * K + c] = cumulative += prefix[c];
          add_bernoulli(prefix, ahead(u));
        }
        prefix = base;
        for (std::size_t u = 0; u < T; ++u) {
          double selected = 0.0;
          for (std::size_t c = 0; c < K; ++c) selected += prefix[c] * suffix_cdf[u * K + (K - 1 - c)];
          accumulated[u] += weights[q] * selected;
          add_bernoulli(prefix, ahead(u));
        }
      }
      for (std::size_t u = 0; u < T; ++u) out[members[tied[u]]] += walk.equal[tied[u]] * x * accumulated[u];
    }
  }

  // D1 for the click rank: x_i = p_i Π_{j ahead} (1 − p_j), so
  // u_i = Σ_x P(v_i = x)·x·p_i·Π_{j≠i}(1 − p_j P(j ahead | v_i = x)), with
  // prefix and suffix products (no division: p_j = 1 gives exact zeros).
  void click_vertex(const Click& click, std::span<const int> members, std::span<double> out) const {
    const std::size_t m = members.size();
    if (m == 0) return;
    LevelWalk walk(*this, members);
    std::vector<double> suffix(m);
    for (const int level : walk.levels) {
      walk.advance(*this, members, level);
      const double x = distinct[level];
      double product = 1.0;
      for (std::size_t t = m; t-- > 0;) {
        suffix[t] = product;
        product *= 1.0 - click.p[members[t]] * walk.above[t];
      }
      product = 1.0;
      for (std::size_t t = 0; t < m; ++t) {
        const double p = click.p[members[t]];
        if (walk.equal[t] > 0.0) out[members[t]] += walk.equal[t] * x * p * product * suffix[t];
        product *= 1.0 - p * std::min(1.0, walk.above[t] + walk.equal[t]);
      }
    }
  }

  void click_ties(const Click& click, std::span<double> out) const {
    std::vector<int> members(static_cast<std::size_t>(n));
    std::iota(members.begin(), members.end(), 0);
    LevelWalk walk(*this, members);
    std::vector<double> suffix, nodes, weights, accumulated;
    std::vector<std::size_t> tied;
    for (const int level : walk.levels) {
      walk.advance(*this, members, level);
      const double x = distinct[level];
      tied.clear();
      double base = 1.0;
      for (int t = 0; t < n; ++t) {
        if (walk.equal[t] > 0.0) {
          tied.push_back(static_cast<std::size_t>(t));
        } else {
          base *= 1.0 - click.p[t] * walk.above[t];
        }
      }
      const std::size_t T = tied.size();
      gauss_legendre(static_cast<int>((T + 1) / 2), nodes, weights);
      suffix.resize(T);
      accumulated.assign(T, 0.0);
      for (std::size_t q = 0; q < nodes.size(); ++q) {
        auto factor = [&](std::size_t u) {
          const std::size_t t = tied[u];
          return 1.0 - click.p[t] * std::min(1.0, walk.above[t] + walk.equal[t] * nodes[q]);
        };
        double product = 1.0;
        for (std::size_t u = T; u-- > 0;) {
          suffix[u] = product;
          product *= factor(u);
        }
        product = base;
        for (std::size_t u = 0; u < T; ++u) {
          accumulated[u] += weights[q] * product * suffix[u];
          product *= factor(u);
        }
      }
      for (std::size_t u = 0; u < T; ++u) {
        const std::size_t t = tied[u];
        out[t] += walk.equal[t] * x * click.p[t] * accumulated[u];
      }
    }
  }

  // Partition members by group, keeping the listed order inside each group.
  static std::vector<std::vector<int>> by_group(const PartitionMatroid& partition, std::span<const int> agents) {
    std::vector<std::vector<int>> groups(partition.capacity.size());
    for (const int a : agents) groups[partition.group_of[a]].push_back(a);
    return groups;
  }

  // ---- dispatch -------------------------------------------------------------

  // out (size n) := E_v[v_i x_i] for the greedy over the listed agents only, in
  // value order with ties broken by the listed order; 0 for unlisted agents.
  void expected_greedy(std::span<const int> agents, std::span<double> out) const {
    std::fill(out.begin(), out.end(), 0.0);
    if (method == OracleMethod::poisson_binomial) {
      std::vector<double> suffix_cdf, prefix;
      if (const auto* uniform = std::get_if<UniformMatroid>(&f)) {
        uniform_vertex(agents, uniform->k, out, suffix_cdf, prefix);
      } else {
        const auto& partition = std::get<PartitionMatroid>(f);
        const auto groups = by_group(partition, agents);
        for (std::size_t g = 0; g < groups.size(); ++g) {
          uniform_vertex(groups[g], partition.capacity[g], out, suffix_cdf, prefix);
        }
      }
      return;
    }
    if (method == OracleMethod::click_product) {
      click_vertex(std::get<Click>(f), agents, out);
      return;
    }
    std::visit([&](const auto& family) { greedy_by_scenarios(family, agents, out); }, f);
  }
};

FullRevelation::FullRevelation(Polymatroid f, Prior prior, OracleOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->f = revalidated(std::move(f));
  impl->n = persuasion::size(impl->f);
  const int n = impl->n;
  if (n < 1) reject("number of agents", std::to_string(n), "≥ 1");
  if (static_cast<int>(prior.size()) != n) {
    reject("prior size", std::to_string(prior.size()),
           std::to_string(n) + " (one distribution per agent of " + describe(impl->f) + ")");
  }
  for (int i = 0; i < n; ++i) {
    prior[i] = make_distribution(prior[i].values, prior[i].probabilities, "agent " + std::to_string(i));
  }
  impl->prior = std::move(prior);
  if (options.enumeration_limit < 1) reject("enumeration_limit", std::to_string(options.enumeration_limit), "≥ 1");
  if (options.samples < 1) reject("Monte Carlo samples", std::to_string(options.samples), "≥ 1");
  impl->options = options;

  for (const auto& d : impl->prior) impl->distinct.insert(impl->distinct.end(), d.values.begin(), d.values.end());
  std::sort(impl->distinct.begin(), impl->distinct.end(), std::greater<>());
  impl->distinct.erase(std::unique(impl->distinct.begin(), impl->distinct.end()), impl->distinct.end());
  impl->offset.push_back(0);
  for (const auto& d : impl->prior) {
    for (const double v : d.values) {
      const auto at = std::lower_bound(impl->distinct.begin(), impl->distinct.end(), v, std::greater<>());
      impl->rank_of.push_back(static_cast<int>(at - impl->distinct.begin()));
    }
    impl->offset.push_back(static_cast<int>(impl->rank_of.size()));
  }

  const bool has_poisson_binomial =
      std::holds_alternative<UniformMatroid>(impl->f) || std::holds_alternative<PartitionMatroid>(impl->f);
  const bool has_click = std::holds_alternative<Click>(impl->f);
  const std::int64_t scenarios = scenario_count(impl->prior);
  OracleMethod method = options.method;
  if (method == OracleMethod::automatic) {
    if (has_poisson_binomial) {
      method = OracleMethod::poisson_binomial;
    } else if (has_click) {
      method = OracleMethod::click_product;
    } else {
      method = scenarios <= options.enumeration_limit ? OracleMethod::enumerate : OracleMethod::monte_carlo;
    }
  }
  if (method == OracleMethod::poisson_binomial && !has_poisson_binomial) {
    reject("oracle method for " + describe(impl->f), "poisson_binomial", "a uniform or partition matroid");
  }
  if (method == OracleMethod::click_product && !has_click) {
    reject("oracle method for " + describe(impl->f), "click_product", "a click rank");
  }
  if (method == OracleMethod::enumerate && scenarios > options.enumeration_limit) {
    reject("scenario count for oracle method enumerate on " + describe(impl->f), std::to_string(scenarios),
           "≤ enumeration_limit = " + std::to_string(options.enumeration_limit));
  }
  impl->method = method;

  if (method == OracleMethod::monte_carlo) {
    for (int i = 0; i < n; ++i) {
      if (impl->prior[i].support() > std::numeric_limits<std::uint16_t>::max()) {
        reject("agent " + std::to_string(i) + " support size for monte_carlo", std::to_string(impl->prior[i].support()),
               "≤ 65535");
      }
    }
    // One fixed sample (spec §5): every call averages over the same scenarios,
    // so the sampled G is itself a polymatroid and its vertices are consistent.
    impl->samples = options.samples;
    impl->sampled.resize(static_cast<std::size_t>(options.samples) * static_cast<std::size_t>(n));
    std::mt19937_64 rng(derive_seed(options.seed, kScenarioStream));
    std::vector<std::vector<double>> cumulative(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      const auto& p = impl->prior[i].probabilities;
      cumulative[i].resize(p.size());
      std::partial_sum(p.begin(), p.end(), cumulative[i].begin());
    }
    for (std::size_t s = 0, cell = 0; s < static_cast<std::size_t>(options.samples); ++s) {
      for (int i = 0; i < n; ++i, ++cell) {
        const double u = uniform01(rng);
        const auto& c = cumulative[i];
        const auto atom = std::min<std::ptrdiff_t>(std::upper_bound(c.begin(), c.end(), u) - c.begin(),
                                                   static_cast<std::ptrdiff_t>(c.size()) - 1);
        impl->sampled[cell] = static_cast<std::uint16_t>(atom);
      }
    }
  }
  impl_ = std::move(impl);
}

int FullRevelation::size() const { return impl_->n; }
OracleMethod FullRevelation::method() const { return impl_->method; }
bool FullRevelation::exact() const { return impl_->method != OracleMethod::monte_carlo; }
const Polymatroid& FullRevelation::rank_function() const { return impl_->f; }
const Prior& FullRevelation::prior() const { return impl_->prior; }

void FullRevelation::vertex(std::span<const int> order, std::span<double> out) const {
  require_permutation(impl_->n, order);
  if (static_cast<int>(out.size()) != impl_->n)
    reject("vertex output size", std::to_string(out.size()), std::to_string(impl_->n));
  impl_->expected_greedy(order, out);
}

double FullRevelation::rank(std::span<const int> set) const {
  // Lemma 3.2: g(S; v) is the greedy in value order with S first inside each
  // block, so G(S) is Σ_{i∈S} of the D1 vertex whose order puts S first.
  const int n = impl_->n;
  const std::vector<char> in_set = member_mask(n, set, "coalition member");
  if (set.empty()) return 0.0;
  std::vector<int> order(set.begin(), set.end());
  for (int i = 0; i < n; ++i) {
    if (!in_set[i]) order.push_back(i);
  }
  std::vector<double> u(static_cast<std::size_t>(n));
  impl_->expected_greedy(order, u);
  double total = 0.0;
  for (const int i : set) total += u[i];
  return total;
}

double FullRevelation::welfare() const {
  std::vector<int> order(static_cast<std::size_t>(impl_->n));
  std::iota(order.begin(), order.end(), 0);
  return rank(order);
}

std::vector<double> FullRevelation::uniform_tie_break() const {
  const Impl& impl = *impl_;
  std::vector<double> out(static_cast<std::size_t>(impl.n), 0.0);
  if (impl.method != OracleMethod::monte_carlo) {
    if (const auto* uniform = std::get_if<UniformMatroid>(&impl.f)) {
      std::vector<int> everyone(static_cast<std::size_t>(impl.n));
      std::iota(everyone.begin(), everyone.end(), 0);
      impl.uniform_ties(everyone, uniform->k, out);
      return out;
    }
    if (const auto* partition = std::get_if<PartitionMatroid>(&impl.f)) {
      std::vector<int> everyone(static_cast<std::size_t>(impl.n));
      std::iota(everyone.begin(), everyone.end(), 0);
      const auto groups = Impl::by_group(*partition, everyone);
      for (std::size_t g = 0; g < groups.size(); ++g) impl.uniform_ties(groups[g], partition->capacity[g], out);
      return out;
    }
    if (const auto* click = std::get_if<Click>(&impl.f)) {
      impl.click_ties(*click, out);
      return out;
    }
  }
  std::visit([&](const auto& family) { impl.uniform_ties_by_scenarios(family, out); }, impl.f);
  return out;
}

double FullRevelation::coalition_value(std::span<const int> set) const {
  member_mask(impl_->n, set, "coalition member");
  if (set.empty()) return 0.0;
  std::vector<double> u(static_cast<std::size_t>(impl_->n));
  impl_->expected_greedy(set, u);
  double total = 0.0;
  for (const int i : set) total += u[i];
  return total;
}

std::vector<double> FullRevelation::upper_bound_prefix() const {
  const int n = impl_->n;
  const double welfare_total = welfare();
  std::vector<double> bound(static_cast<std::size_t>(n));
  for (int j = 1; j <= n; ++j) bound[j - 1] = welfare_total * j / n;
  std::vector<int> members;
  if (n <= 12) {
    for (std::uint32_t mask = 1; mask < (1U << n); ++mask) {
      members.clear();
      for (int i = 0; i < n; ++i) {
        if (mask >> i & 1U) members.push_back(i);
      }
      double& slot = bound[members.size() - 1];
      slot = std::min(slot, coalition_value(members));
    }
    return bound;
  }
  // Heuristic chain: the agents with the smallest W({i}) = θ_i f({i}) first;
  // every S gives a valid bound. The generic scenario loop costs
  // scenarios × n² for the whole chain; beyond a budget keep (j/n)·G(E).
  const bool polynomial =
      impl_->method == OracleMethod::poisson_binomial || impl_->method == OracleMethod::click_product;
  const double scenarios = impl_->method == OracleMethod::monte_carlo
                               ? static_cast<double>(impl_->samples)
                               : static_cast<double>(scenario_count(impl_->prior));
  if (!polynomial && scenarios * n * n > kUpperBoundChainWork) return bound;
  std::vector<std::pair<double, int>> singles;
  for (int i = 0; i < n; ++i) {
    const int single[] = {i};
    singles.emplace_back(impl_->prior[i].mean() * persuasion::rank(impl_->f, single), i);
  }
  std::sort(singles.begin(), singles.end());
  for (int j = 1; j <= n; ++j) {
    members.push_back(singles[j - 1].second);
    bound[j - 1] = std::min(bound[j - 1], coalition_value(members));
  }
  return bound;
}

std::vector<double> no_revelation(const Polymatroid& f, const Prior& prior, OracleOptions options) {
  Prior means;
  means.reserve(prior.size());
  for (std::size_t i = 0; i < prior.size(); ++i) {
    const ValueDistribution d =
        make_distribution(prior[i].values, prior[i].probabilities, "agent " + std::to_string(i));
    means.push_back(deterministic(d.mean()));
  }
  return FullRevelation(f, std::move(means), options).uniform_tie_break();
}

}  // namespace mechsweep::persuasion
