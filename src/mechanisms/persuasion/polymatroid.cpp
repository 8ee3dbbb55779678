#include "mechanisms/persuasion/polymatroid.hpp"

#include <algorithm>
#include <bit>
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

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

void require_size(int n, const char* what) {
  if (n < 0) reject(what, std::to_string(n), "≥ 0");
}

// Nodes sorted innermost first: by member count, equal sets by index, so that
// "A precedes B" is a total order compatible with containment.
std::vector<int> nodes_inner_first(const LaminarCaps& f) {
  std::vector<int> order(f.nodes.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const auto sa = f.nodes[a].members.size();
    const auto sb = f.nodes[b].members.size();
    return sa != sb ? sa < sb : a < b;
  });
  return order;
}

// The innermost node strictly above each node in the inner-first order (−1: a root).
std::vector<int> laminar_parents(const LaminarCaps& f, const std::vector<int>& inner_first) {
  std::vector<int> position(f.nodes.size());
  for (std::size_t t = 0; t < inner_first.size(); ++t) position[inner_first[t]] = static_cast<int>(t);
  std::vector<int> parent(f.nodes.size(), -1);
  for (std::size_t a = 0; a < f.nodes.size(); ++a) {
    if (f.nodes[a].members.empty()) continue;
    const auto& chain = f.ancestors[f.nodes[a].members.front()];
    for (std::size_t t = 0; t + 1 < chain.size(); ++t) {
      if (chain[t] == static_cast<int>(a)) {
        parent[a] = chain[t + 1];
        break;
      }
    }
  }
  return parent;
}

// Σ over the j largest coordinates ≤ cap(j) for every j: the closed-form
// membership test for ranks that depend on |S| only.
bool largest_sums_within(std::vector<double> x, const std::vector<double>& cap_by_count, double tol) {
  std::sort(x.begin(), x.end(), std::greater<>());
  double sum = 0.0;
  for (std::size_t j = 0; j < x.size(); ++j) {
    sum += x[j];
    if (sum > cap_by_count[j + 1] + tol) return false;
  }
  return true;
}

}  // namespace

double UniformMatroid::rank(std::span<const int> set) const {
  return static_cast<double>(std::min<std::size_t>(set.size(), static_cast<std::size_t>(std::max(k, 0))));
}

double PartitionMatroid::rank(std::span<const int> set) const {
  std::vector<int> used(capacity.size(), 0);
  double total = 0.0;
  for (const int i : set) {
    const int g = group_of[i];
    if (used[g] < capacity[g]) {
      ++used[g];
      total += 1.0;
    }
  }
  return total;
}

double PartitionMatroid::Greedy::add(int agent) {
  const int g = f_->group_of[agent];
  if (used_[g] >= f_->capacity[g]) return 0.0;
  ++used_[g];
  return 1.0;
}

void PartitionMatroid::Greedy::clear() { std::fill(used_.begin(), used_.end(), 0); }

double LaminarCaps::rank(std::span<const int> set) const {
  // f_A(S) = min(c_A, Σ_children f_C(S ∩ C) + Σ_{i ∈ S directly in A} c_i),
  // evaluated bottom-up; agents in no node add c_i to the total.
  const std::vector<int> inner_first = nodes_inner_first(*this);
  const std::vector<int> parent = laminar_parents(*this, inner_first);
  std::vector<double> inflow(nodes.size(), 0.0);
  double total = 0.0;
  for (const int i : set) {
    if (ancestors[i].empty()) {
      total += leaf_cap[i];
    } else {
      inflow[ancestors[i].front()] += leaf_cap[i];
    }
  }
  for (const int a : inner_first) {
    const double value = std::min(nodes[a].cap, inflow[a]);
    if (parent[a] < 0) {
      total += value;
    } else {
      inflow[parent[a]] += value;
    }
  }
  return total;
}

double LaminarCaps::Greedy::add(int agent) {
  // Greedy for laminar capacities: raise x_i until its own cap or the first
  // ancestor's residual capacity binds (a maximal vector of P(f|S) extended by
  // one coordinate is maximal in P(f|S+i), so this is f(S+i) − f(S)).
  double gain = f_->leaf_cap[agent];
  for (const int a : f_->ancestors[agent]) gain = std::min(gain, f_->nodes[a].cap - load_[a]);
  gain = std::max(gain, 0.0);
  for (const int a : f_->ancestors[agent]) load_[a] += gain;
  return gain;
}

void LaminarCaps::Greedy::clear() { std::fill(load_.begin(), load_.end(), 0.0); }

double Budget::rank(std::span<const int> set) const {
  double spent = 0.0;
  for (const int i : set) spent += cost[i];
  return std::min(budget, spent);
}

double Budget::Greedy::add(int agent) {
  const double before = std::min(f_->budget, spent_);
  spent_ += f_->cost[agent];
  return std::min(f_->budget, spent_) - before;
}

double Click::rank(std::span<const int> set) const {
  double miss = 1.0;
  for (const int i : set) miss *= 1.0 - p[i];
  return 1.0 - miss;
}

double Click::Greedy::add(int agent) {
  // The cascade increment p_i·Π(1 − p_j): exact, no cancellation in 1 − miss.
  const double gain = miss_ * f_->p[agent];
  miss_ *= 1.0 - f_->p[agent];
  return gain;
}

double TableRank::rank(std::span<const int> set) const {
  std::uint32_t mask = 0;
  for (const int i : set) mask |= std::uint32_t{1} << i;
  return value[mask];
}

double TableRank::Greedy::add(int agent) {
  const std::uint32_t next = mask_ | (std::uint32_t{1} << agent);
  const double gain = f_->value[next] - f_->value[mask_];
  mask_ = next;
  return gain;
}

Polymatroid make_uniform(int n, int k) {
  require_size(n, "uniform matroid n");
  if (k < 0) reject("uniform matroid k", std::to_string(k), "≥ 0");
  return UniformMatroid{n, k};
}

Polymatroid make_partition(std::vector<int> group_of, std::vector<int> capacity) {
  const int groups = static_cast<int>(capacity.size());
  for (std::size_t g = 0; g < capacity.size(); ++g) {
    if (capacity[g] < 0) reject("partition capacity[" + std::to_string(g) + "]", std::to_string(capacity[g]), "≥ 0");
  }
  for (std::size_t i = 0; i < group_of.size(); ++i) {
    if (group_of[i] < 0 || group_of[i] >= groups) {
      reject("partition group_of[" + std::to_string(i) + "]", std::to_string(group_of[i]),
             "a group in 0.." + std::to_string(groups - 1));
    }
  }
  PartitionMatroid f;
  f.group_of = std::move(group_of);
  f.capacity = std::move(capacity);
  return f;
}

Polymatroid make_laminar_caps(std::vector<double> leaf_cap, std::vector<LaminarCaps::Node> nodes) {
  const int n = static_cast<int>(leaf_cap.size());
  for (int i = 0; i < n; ++i) {
    if (std::isnan(leaf_cap[i]) || leaf_cap[i] < 0.0) {
      reject("laminar leaf_cap[" + std::to_string(i) + "]", show(leaf_cap[i]), "≥ 0 (+inf allowed)");
    }
  }
  std::vector<std::vector<char>> in_node(nodes.size(), std::vector<char>(static_cast<std::size_t>(n), 0));
  for (std::size_t a = 0; a < nodes.size(); ++a) {
    const std::string name = "laminar node[" + std::to_string(a) + "]";
    if (!std::isfinite(nodes[a].cap) || nodes[a].cap < 0.0) reject(name + " cap", show(nodes[a].cap), "finite ≥ 0");
    for (const int i : nodes[a].members) {
      if (i < 0 || i >= n) reject(name + " member", std::to_string(i), "an agent in 0.." + std::to_string(n - 1));
      if (in_node[a][i]) reject(name + " member", std::to_string(i), "distinct members");
      in_node[a][i] = 1;
    }
  }
  for (std::size_t a = 0; a < nodes.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes.size(); ++b) {
      std::size_t shared = 0;
      for (const int i : nodes[a].members) shared += in_node[b][i] ? 1 : 0;
      const bool nested_or_disjoint =
          shared == 0 || shared == nodes[a].members.size() || shared == nodes[b].members.size();
      if (!nested_or_disjoint) {
        reject("laminar nodes " + std::to_string(a) + " and " + std::to_string(b),
               "overlapping in " + std::to_string(shared) + " agents", "nested or disjoint member sets");
      }
    }
  }
  LaminarCaps f;
  f.leaf_cap = std::move(leaf_cap);
  f.nodes = std::move(nodes);
  f.ancestors.assign(static_cast<std::size_t>(n), {});
  for (const int a : nodes_inner_first(f)) {
    for (const int i : f.nodes[a].members) f.ancestors[i].push_back(a);
  }
  for (int i = 0; i < n; ++i) {
    if (std::isinf(f.leaf_cap[i]) && f.ancestors[i].empty()) {
      reject("laminar leaf_cap[" + std::to_string(i) + "]", "inf with no enclosing node",
             "a finite cap or an enclosing node");
    }
  }
  return f;
}

Polymatroid make_budget(double budget, std::vector<double> cost) {
  if (!std::isfinite(budget) || budget <= 0.0) reject("budget B", show(budget), "finite > 0");
  for (std::size_t i = 0; i < cost.size(); ++i) {
    if (!std::isfinite(cost[i]) || cost[i] < 0.0)
      reject("budget cost[" + std::to_string(i) + "]", show(cost[i]), "finite ≥ 0");
  }
  Budget f;
  f.budget = budget;
  f.cost = std::move(cost);
  return f;
}

Polymatroid make_click(std::vector<double> p) {
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] >= 0.0 && p[i] <= 1.0)) reject("click p[" + std::to_string(i) + "]", show(p[i]), "in [0, 1]");
  }
  Click f;
  f.p = std::move(p);
  return f;
}

Polymatroid make_cardinality(std::vector<double> phi) {
  if (phi.empty()) reject("cardinality phi size", "0", "n + 1 ≥ 1 entries φ(0..n)");
  for (std::size_t t = 0; t < phi.size(); ++t) {
    if (!std::isfinite(phi[t])) reject("cardinality phi[" + std::to_string(t) + "]", show(phi[t]), "finite");
  }
  if (phi[0] != 0.0) reject("cardinality phi[0]", show(phi[0]), "0");
  double scale = 1.0;
  for (const double v : phi) scale = std::max(scale, std::abs(v));
  const double tol = 1e-12 * scale;
  for (std::size_t t = 1; t < phi.size(); ++t) {
    const double step = phi[t] - phi[t - 1];
    if (step < -tol)
      reject("cardinality phi[" + std::to_string(t) + "] − phi[" + std::to_string(t - 1) + "]", show(step),
             "≥ 0 (non-decreasing)");
    if (t >= 2 && step > phi[t - 1] - phi[t - 2] + tol) {
      reject("cardinality increment phi[" + std::to_string(t) + "] − phi[" + std::to_string(t - 1) + "]", show(step),
             "≤ the previous increment " + show(phi[t - 1] - phi[t - 2]) + " (concave)");
    }
  }
  CardinalityRank f;
  f.phi = std::move(phi);
  return f;
}

Polymatroid make_table(int n, std::vector<double> value) {
  if (n < 0 || n > kMaxTableAgents) reject("table n", std::to_string(n), "in 0.." + std::to_string(kMaxTableAgents));
  const std::size_t expected = std::size_t{1} << n;
  if (value.size() != expected) reject("table size", std::to_string(value.size()), "2^n = " + std::to_string(expected));
  for (std::size_t mask = 0; mask < value.size(); ++mask) {
    if (!std::isfinite(value[mask])) reject("table value[" + std::to_string(mask) + "]", show(value[mask]), "finite");
  }
  TableRank f;
  f.n = n;
  f.value = std::move(value);
  return f;
}

TableRank tabulate(const Polymatroid& f) {
  if (const auto* table = std::get_if<TableRank>(&f)) return *table;
  const int n = size(f);
  if (n > kMaxTableAgents) reject("tabulated n", std::to_string(n), "≤ " + std::to_string(kMaxTableAgents));
  TableRank out;
  out.n = n;
  out.value.assign(std::size_t{1} << n, 0.0);
  std::visit(
      [&](const auto& family) {
        std::vector<int> members;
        members.reserve(static_cast<std::size_t>(n));
        for (std::size_t mask = 1; mask < out.value.size(); ++mask) {
          members.clear();
          for (int i = 0; i < n; ++i) {
            if (mask >> i & 1U) members.push_back(i);
          }
          out.value[mask] = family.rank(members);
        }
      },
      f);
  return out;
}

int size(const Polymatroid& f) {
  return std::visit([](const auto& family) { return family.size(); }, f);
}

double rank(const Polymatroid& f, std::span<const int> set) {
  return std::visit([&](const auto& family) { return family.rank(set); }, f);
}

std::string describe(const Polymatroid& f) {
  const std::string n = std::to_string(size(f));
  return std::visit(
      Overloaded{
          [&](const UniformMatroid& u) { return "uniform(n=" + n + ", k=" + std::to_string(u.k) + ")"; },
          [&](const PartitionMatroid& p) {
            return "partition(n=" + n + ", groups=" + std::to_string(p.capacity.size()) + ")";
          },
          [&](const LaminarCaps& l) { return "laminar(n=" + n + ", nodes=" + std::to_string(l.nodes.size()) + ")"; },
          [&](const Budget& b) { return "budget(n=" + n + ", B=" + show(b.budget) + ")"; },
          [&](const Click&) { return "click(n=" + n + ")"; },
          [&](const CardinalityRank&) { return "cardinality(n=" + n + ")"; },
          [&](const TableRank&) { return "table(n=" + n + ")"; },
      },
      f);
}

void greedy_vertex(const Polymatroid& f, std::span<const int> order, std::span<double> vertex) {
  const int n = size(f);
  if (static_cast<int>(order.size()) != n) reject("greedy order size", std::to_string(order.size()), std::to_string(n));
  if (static_cast<int>(vertex.size()) != n)
    reject("greedy vertex size", std::to_string(vertex.size()), std::to_string(n));
  std::vector<char> seen(static_cast<std::size_t>(n), 0);
  for (const int i : order) {
    if (i < 0 || i >= n || seen[i])
      reject("greedy order entry", std::to_string(i), "a permutation of 0.." + std::to_string(n - 1));
    seen[i] = 1;
  }
  std::visit(
      [&](const auto& family) {
        typename std::decay_t<decltype(family)>::Greedy greedy(family);
        for (const int i : order) vertex[i] = greedy.add(i);
      },
      f);
}

bool in_base_polytope(const Polymatroid& f, std::span<const double> x, double tol) {
  const int n = size(f);
  if (static_cast<int>(x.size()) != n) reject("base polytope point size", std::to_string(x.size()), std::to_string(n));
  for (const double xi : x) {
    if (!(xi >= -tol)) return false;
  }
  std::vector<int> everyone(static_cast<std::size_t>(n));
  std::iota(everyone.begin(), everyone.end(), 0);
  if (std::abs(std::accumulate(x.begin(), x.end(), 0.0) - rank(f, everyone)) > tol) return false;

  if (const auto* u = std::get_if<UniformMatroid>(&f)) {
    std::vector<double> cap(static_cast<std::size_t>(n) + 1);
    for (int j = 0; j <= n; ++j) cap[j] = std::min(j, u->k);
    return largest_sums_within({x.begin(), x.end()}, cap, tol);
  }
  if (const auto* c = std::get_if<CardinalityRank>(&f)) return largest_sums_within({x.begin(), x.end()}, c->phi, tol);
  if (const auto* p = std::get_if<PartitionMatroid>(&f)) {
    // Separable: x(S) = Σ_g x(S ∩ E_g) and f likewise, so test each group alone.
    std::vector<std::vector<double>> by_group(p->capacity.size());
    for (int i = 0; i < n; ++i) by_group[p->group_of[i]].push_back(x[i]);
    for (std::size_t g = 0; g < by_group.size(); ++g) {
      std::vector<double> cap(by_group[g].size() + 1);
      for (std::size_t j = 0; j < cap.size(); ++j) cap[j] = std::min<double>(static_cast<double>(j), p->capacity[g]);
      if (!largest_sums_within(by_group[g], cap, tol)) return false;
    }
    return true;
  }
  if (n > kMaxTableAgents) {
    reject("base polytope test n for " + describe(f), std::to_string(n),
           "≤ " + std::to_string(kMaxTableAgents) + " (exhaustive) or a uniform/partition/cardinality rank");
  }
  const TableRank table = tabulate(f);
  std::vector<double> partial(table.value.size(), 0.0);
  for (std::size_t mask = 1; mask < partial.size(); ++mask) {
    const int low = std::countr_zero(static_cast<std::uint32_t>(mask));
    partial[mask] = partial[mask & (mask - 1)] + x[low];
    if (partial[mask] > table.value[mask] + tol) return false;
  }
  return true;
}

RankValidation validate_rank(const Polymatroid& f, double tol, std::uint64_t seed, std::int64_t samples) {
  RankValidation result;
  const int n = size(f);
  std::vector<int> everyone(static_cast<std::size_t>(n));
  std::iota(everyone.begin(), everyone.end(), 0);
  // Tolerances scale with the largest value, f(E) for a monotone f.
  const double scaled_tol = tol * std::max(1.0, std::abs(rank(f, everyone)));

  auto note = [&](bool& flag, const std::string& problem) {
    if (flag) {
      flag = false;
      if (result.first_problem.empty()) result.first_problem = problem;
    }
  };
  auto set_text = [](std::span<const int> members) {
    std::string text = "{";
    for (std::size_t t = 0; t < members.size(); ++t) text += (t ? "," : "") + std::to_string(members[t]);
    return text + "}";
  };

  const double empty_value = rank(f, {});
  ++result.checks;
  if (std::abs(empty_value) > scaled_tol) note(result.normalized, "f(∅) = " + show(empty_value) + ", expected 0");

  if (n <= 12) {
    const TableRank table = tabulate(f);
    const auto& value = table.value;
    auto members_of = [&](std::uint32_t mask) {
      std::vector<int> members;
      for (int i = 0; i < n; ++i) {
        if (mask >> i & 1U) members.push_back(i);
      }
      return members;
    };
    for (std::uint32_t mask = 0; mask < value.size(); ++mask) {
      ++result.checks;
      if (value[mask] < -scaled_tol) {
        note(result.nonnegative, "f(" + set_text(members_of(mask)) + ") = " + show(value[mask]) + ", expected ≥ 0");
      }
      for (int i = 0; i < n; ++i) {
        const std::uint32_t with_i = mask | (1U << i);
        if (with_i == mask) continue;
        ++result.checks;
        const double gain_i = value[with_i] - value[mask];
        if (gain_i < -scaled_tol) {
          note(result.monotone, "f(S ∪ {" + std::to_string(i) + "}) − f(S) = " + show(gain_i) +
                                    " at S = " + set_text(members_of(mask)) + ", expected ≥ 0 (monotone)");
        }
        for (int j = i + 1; j < n; ++j) {
          const std::uint32_t with_j = mask | (1U << j);
          if (with_j == mask) continue;
          ++result.checks;
          const double later_gain = value[with_i | with_j] - value[with_j];
          if (gain_i < later_gain - scaled_tol) {
            note(result.submodular, "f(S+" + std::to_string(i) + ") − f(S) = " + show(gain_i) + " < f(S+" +
                                        std::to_string(i) + "+" + std::to_string(j) + ") − f(S+" + std::to_string(j) +
                                        ") = " + show(later_gain) + " at S = " + set_text(members_of(mask)) +
                                        ", expected submodular");
          }
        }
      }
    }
    return result;
  }

  result.exhaustive = false;
  std::mt19937_64 rng(derive_seed(seed, 0x7a11da7e));
  std::vector<int> set;
  std::vector<int> scratch;
  for (std::int64_t sample = 0; sample < samples; ++sample) {
    // A random S (random inclusion rate, so small and large sets both occur)
    // and i ≠ j outside it.
    const int i = static_cast<int>(rng() % static_cast<std::uint64_t>(n));
    int j = static_cast<int>(rng() % static_cast<std::uint64_t>(n - 1));
    if (j >= i) ++j;
    const std::uint64_t threshold = rng();
    set.clear();
    for (int e = 0; e < n; ++e) {
      if (e != i && e != j && rng() < threshold) set.push_back(e);
    }
    auto value_with = [&](int a, int b) {
      scratch = set;
      if (a >= 0) scratch.push_back(a);
      if (b >= 0) scratch.push_back(b);
      return rank(f, scratch);
    };
    const double base = value_with(-1, -1);
    const double with_i = value_with(i, -1);
    const double with_j = value_with(j, -1);
    const double with_ij = value_with(i, j);
    result.checks += 3;
    if (base < -scaled_tol) note(result.nonnegative, "f(" + set_text(set) + ") = " + show(base) + ", expected ≥ 0");
    if (with_i - base < -scaled_tol) {
      note(result.monotone, "f(S ∪ {" + std::to_string(i) + "}) − f(S) = " + show(with_i - base) +
                                " at S = " + set_text(set) + ", expected ≥ 0 (monotone)");
    }
    if (with_i - base < with_ij - with_j - scaled_tol) {
      note(result.submodular, "f(S+" + std::to_string(i) + ") − f(S) = " + show(with_i - base) + " < f(S+" +
                                  std::to_string(i) + "+" + std::to_string(j) + ") − f(S+" + std::to_string(j) +
                                  ") = " + show(with_ij - with_j) + " at S = " + set_text(set) +
                                  ", expected submodular");
    }
  }
  return result;
}

void require_polymatroid(const Polymatroid& f, double tol) {
  const RankValidation check = validate_rank(f, tol);
  if (!check.valid()) {
    throw std::invalid_argument("persuasion: rank function " + describe(f) +
                                " is not a polymatroid: " + check.first_problem);
  }
}

}  // namespace mechsweep::persuasion
