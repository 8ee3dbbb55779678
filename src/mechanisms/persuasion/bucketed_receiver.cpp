#include "mechanisms/persuasion/bucketed_receiver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/seed.hpp"
#include "mechanisms/persuasion/errors.hpp"
#include "mechanisms/persuasion/majorization.hpp"

namespace mechsweep::persuasion {
namespace {

using detail::reject;
using detail::show;

// Poisson-binomial tables above this many cells (group members × (cap+1))
// would not fit comfortably in memory; automatic then picks another method.
constexpr std::int64_t kMaxPoissonBinomialCells = std::int64_t{1} << 24;

// Agent i's signal in one active bucket k, as the receiver sees it.
struct AgentSignal {
  double p_in = 0.0;
  OutSide side = OutSide::none;
  double in_mean = 0.0;
  double out_mean = 0.0;
  int out_bucket = -1;  // the receiver's bucket for "out"; −1 when p_in = 1
  bool certain_in() const { return p_in >= 1.0; }
  bool uncertain() const { return p_in > 0.0 && p_in < 1.0; }
  // Pr[out on the side above bucket k]: such agents outrank bucket k.
  double above() const { return side == OutSide::above ? 1.0 - p_in : 0.0; }
};

// A rank that depends on counts only, per group: f(S) = Σ_g φ_g(|S ∩ E_g|).
// Counts are truncated at cap (φ_g is constant from cap on, or no group
// member count can exceed cap).
struct CountGroup {
  std::vector<int> members;
  int cap = 0;
  std::vector<double> phi;  // φ(0..cap)
  bool threshold = false;   // φ(c) = c up to cap: the increment is 1{count < cap}
  double increment(int count) const {
    return count < cap ? phi[static_cast<std::size_t>(count) + 1] - phi[static_cast<std::size_t>(count)] : 0.0;
  }
};

std::vector<double> threshold_phi(int cap) {
  std::vector<double> phi(static_cast<std::size_t>(cap) + 1);
  for (int c = 0; c <= cap; ++c) phi[static_cast<std::size_t>(c)] = c;
  return phi;
}

// The count families as groups; empty when f is not one of them.
std::vector<CountGroup> count_groups(const Polymatroid& f) {
  std::vector<CountGroup> groups;
  if (const auto* uniform = std::get_if<UniformMatroid>(&f)) {
    CountGroup group;
    group.cap = std::min(uniform->k, uniform->n);
    group.phi = threshold_phi(group.cap);
    group.threshold = true;
    for (int i = 0; i < uniform->n; ++i) group.members.push_back(i);
    groups.push_back(std::move(group));
  } else if (const auto* cardinality = std::get_if<CardinalityRank>(&f)) {
    CountGroup group;
    group.cap = cardinality->size();
    group.phi = cardinality->phi;
    for (int i = 0; i < cardinality->size(); ++i) group.members.push_back(i);
    groups.push_back(std::move(group));
  } else if (const auto* partition = std::get_if<PartitionMatroid>(&f)) {
    groups.resize(partition->capacity.size());
    for (int i = 0; i < partition->size(); ++i) {
      groups[static_cast<std::size_t>(partition->group_of[static_cast<std::size_t>(i)])].members.push_back(i);
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
      groups[g].cap = std::min(partition->capacity[g], static_cast<int>(groups[g].members.size()));
      groups[g].phi = threshold_phi(groups[g].cap);
      groups[g].threshold = true;
    }
  }
  return groups;
}

bool count_groups_fit(const std::vector<CountGroup>& groups) {
  if (groups.empty()) return false;
  for (const auto& group : groups) {
    const std::int64_t cells =
        (static_cast<std::int64_t>(group.members.size()) + 1) * (static_cast<std::int64_t>(group.cap) + 1);
    if (cells > kMaxPoissonBinomialCells) return false;
  }
  return true;
}

// Adds one Bernoulli(p) to a count distribution truncated at cap (in place).
void add_bernoulli(std::span<double> dist, double p) {
  const std::size_t cap = dist.size() - 1;
  if (cap == 0) return;
  dist[cap] += dist[cap - 1] * p;
  for (std::size_t c = cap - 1; c > 0; --c) dist[c] = dist[c] * (1.0 - p) + dist[c - 1] * p;
  dist[0] *= 1.0 - p;
}

// Uniform in [0, 1) from the raw 64-bit output: platform-independent, unlike
// std::uniform_real_distribution.
double unit_uniform(std::mt19937_64& engine) { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }

void require_order(std::span<const int> order, int n, std::vector<int>& position) {
  if (static_cast<int>(order.size()) != n) {
    reject("priority order length", std::to_string(order.size()), std::to_string(n) + " (one entry per agent)");
  }
  position.assign(static_cast<std::size_t>(n), -1);
  for (int t = 0; t < n; ++t) {
    const int agent = order[static_cast<std::size_t>(t)];
    if (agent < 0 || agent >= n || position[static_cast<std::size_t>(agent)] >= 0) {
      reject("priority order entry " + std::to_string(t), std::to_string(agent),
             "a permutation of 0.." + std::to_string(n - 1));
    }
    position[static_cast<std::size_t>(agent)] = t;
  }
}

}  // namespace

struct BucketedReceiver::Impl {
  Polymatroid f;
  Prior prior;
  Buckets buckets;
  BucketedOptions options;
  int n = 0;
  std::vector<MaximalMapping> mappings;     // [k·n + i]
  std::vector<AgentSignal> signals;         // [k·n + i]
  std::vector<std::vector<int>> uncertain;  // per bucket: agents with 0 < p_ik < 1
  std::int64_t outcome_count = 0;
  OracleMethod method = OracleMethod::enumerate;
  bool policy_enumerates = true;
  std::vector<CountGroup> groups;  // poisson_binomial only

  const AgentSignal& signal(int k, int i) const {
    return signals[static_cast<std::size_t>(k) * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)];
  }
  double scale(int k) const { return buckets.canonical[static_cast<std::size_t>(k)] / buckets.K; }

  // Calls visit(weight) once per in/out pattern of bucket k's uncertain
  // agents (all 2^{n'} of them, or the fixed Monte Carlo sample) with
  // in[i] = 1 for the agents "in"; certain agents are fixed.
  template <class Visit>
  void for_each_pattern(int k, bool enumerate, std::vector<std::uint8_t>& in, Visit&& visit) const {
    for (int i = 0; i < n; ++i) in[static_cast<std::size_t>(i)] = signal(k, i).certain_in() ? 1 : 0;
    const auto& agents = uncertain[static_cast<std::size_t>(k)];
    if (enumerate) {
      const std::uint64_t patterns = std::uint64_t{1} << agents.size();
      for (std::uint64_t mask = 0; mask < patterns; ++mask) {
        double weight = 1.0;
        for (std::size_t t = 0; t < agents.size(); ++t) {
          const bool is_in = ((mask >> t) & 1U) != 0;
          const double p = signal(k, agents[t]).p_in;
          in[static_cast<std::size_t>(agents[t])] = is_in ? 1 : 0;
          weight *= is_in ? p : 1.0 - p;
        }
        visit(weight);
      }
      return;
    }
    std::mt19937_64 engine(derive_seed(options.seed, static_cast<std::uint64_t>(k)));
    const double weight = 1.0 / static_cast<double>(options.samples);
    for (std::int64_t s = 0; s < options.samples; ++s) {
      for (const int agent : agents) {
        in[static_cast<std::size_t>(agent)] = unit_uniform(engine) < signal(k, agent).p_in ? 1 : 0;
      }
      visit(weight);
    }
  }

  double rank_by_patterns(std::span<const int> set, bool enumerate) const;
  void vertex_by_patterns(std::span<const int> order, std::span<double> out, bool enumerate) const;
  double rank_by_counts(std::span<const int> set) const;
  void vertex_by_counts(std::span<const int> position, std::span<double> out) const;
  double rank_by_click(std::span<const int> set) const;
  void vertex_by_click(std::span<const int> order, std::span<double> out) const;
};

double BucketedReceiver::Impl::rank_by_patterns(std::span<const int> set, bool enumerate) const {
  std::vector<std::uint8_t> in(static_cast<std::size_t>(n));
  return std::visit(
      [&](const auto& family) {
        typename std::decay_t<decltype(family)>::Greedy greedy(family);
        double total = 0.0;
        for (int k = 0; k < buckets.K; ++k) {
          double bucket_total = 0.0;
          for_each_pattern(k, enumerate, in, [&](double weight) {
            greedy.clear();
            for (int i = 0; i < n; ++i) {
              if (in[static_cast<std::size_t>(i)] == 0 && signal(k, i).side == OutSide::above) greedy.add(i);
            }
            double gain = 0.0;
            for (const int i : set) {
              if (in[static_cast<std::size_t>(i)] != 0) gain += greedy.add(i);
            }
            bucket_total += weight * gain;
          });
          total += scale(k) * bucket_total;
        }
        return total;
      },
      f);
}

void BucketedReceiver::Impl::vertex_by_patterns(std::span<const int> order, std::span<double> out,
                                                bool enumerate) const {
  std::vector<std::uint8_t> in(static_cast<std::size_t>(n));
  std::fill(out.begin(), out.end(), 0.0);
  std::vector<double> bucket_out(static_cast<std::size_t>(n));
  std::visit(
      [&](const auto& family) {
        typename std::decay_t<decltype(family)>::Greedy greedy(family);
        for (int k = 0; k < buckets.K; ++k) {
          std::fill(bucket_out.begin(), bucket_out.end(), 0.0);
          for_each_pattern(k, enumerate, in, [&](double weight) {
            greedy.clear();
            for (int i = 0; i < n; ++i) {
              if (in[static_cast<std::size_t>(i)] == 0 && signal(k, i).side == OutSide::above) greedy.add(i);
            }
            for (const int i : order) {
              if (in[static_cast<std::size_t>(i)] != 0)
                bucket_out[static_cast<std::size_t>(i)] += weight * greedy.add(i);
            }
          });
          for (int i = 0; i < n; ++i)
            out[static_cast<std::size_t>(i)] += scale(k) * bucket_out[static_cast<std::size_t>(i)];
        }
      },
      f);
}

// Count ranks: f(Above ∪ (S∩In)) − f(Above) = Σ_g φ_g(A_g + C_g) − φ_g(A_g),
// and A_g + C_g is itself a sum of independent Bernoullis (agent j counts
// w.p. above_j, plus p_j when j ∈ S), so two 1-D Poisson-binomial DPs suffice.
double BucketedReceiver::Impl::rank_by_counts(std::span<const int> set) const {
  std::vector<std::uint8_t> in_set(static_cast<std::size_t>(n), 0);
  for (const int i : set) in_set[static_cast<std::size_t>(i)] = 1;
  double total = 0.0;
  std::vector<double> above_only;
  std::vector<double> above_or_in;
  for (int k = 0; k < buckets.K; ++k) {
    double bucket_total = 0.0;
    for (const auto& group : groups) {
      above_only.assign(static_cast<std::size_t>(group.cap) + 1, 0.0);
      above_or_in.assign(static_cast<std::size_t>(group.cap) + 1, 0.0);
      above_only[0] = 1.0;
      above_or_in[0] = 1.0;
      for (const int j : group.members) {
        const AgentSignal& s = signal(k, j);
        add_bernoulli(above_only, s.above());
        add_bernoulli(above_or_in, s.above() + (in_set[static_cast<std::size_t>(j)] != 0 ? s.p_in : 0.0));
      }
      for (int c = 0; c <= group.cap; ++c) {
        const auto cell = static_cast<std::size_t>(c);
        bucket_total += (above_or_in[cell] - above_only[cell]) * group.phi[cell];
      }
    }
    total += scale(k) * bucket_total;
  }
  return total;
}

// Count ranks: agent i's bucket-k increment is φ(X+1) − φ(X), X the number of
// other group members ahead of it (out above, or in and earlier in π): a
// Poisson-binomial count, split into the members before i (a running prefix
// DP) and after i (suffix DPs stored once per group and bucket).
void BucketedReceiver::Impl::vertex_by_counts(std::span<const int> position, std::span<double> out) const {
  std::fill(out.begin(), out.end(), 0.0);
  std::vector<int> members;
  std::vector<double> suffix;
  std::vector<double> prefix;
  for (const auto& group : groups) {
    members = group.members;
    std::sort(members.begin(), members.end(), [&](int a, int b) {
      return position[static_cast<std::size_t>(a)] < position[static_cast<std::size_t>(b)];
    });
    const std::size_t m = members.size();
    const std::size_t width = static_cast<std::size_t>(group.cap) + 1;
    suffix.assign((m + 1) * width, 0.0);
    for (int k = 0; k < buckets.K; ++k) {
      // suffix row t: the members after position t (0-based) of the group order.
      std::fill(suffix.begin(), suffix.end(), 0.0);
      suffix[m * width] = 1.0;
      for (std::size_t t = m; t > 0; --t) {
        std::copy_n(suffix.begin() + static_cast<std::ptrdiff_t>(t * width), width,
                    suffix.begin() + static_cast<std::ptrdiff_t>((t - 1) * width));
        add_bernoulli(std::span<double>(suffix).subspan((t - 1) * width, width), signal(k, members[t - 1]).above());
      }
      prefix.assign(width, 0.0);
      prefix[0] = 1.0;
      for (std::size_t t = 0; t < m; ++t) {
        const int agent = members[t];
        const AgentSignal& s = signal(k, agent);
        if (s.p_in > 0.0) {
          const std::span<const double> after = std::span<const double>(suffix).subspan((t + 1) * width, width);
          double expected = 0.0;
          if (group.threshold) {
            // E[1{X < cap}] = Σ_a Pr[prefix = a]·Pr[suffix ≤ cap − 1 − a].
            double below = 0.0;
            for (int b = 0; b < group.cap; ++b) {
              below += after[static_cast<std::size_t>(b)];
              expected += prefix[static_cast<std::size_t>(group.cap - 1 - b)] * below;
            }
          } else {
            for (int a = 0; a < group.cap; ++a) {
              const double pa = prefix[static_cast<std::size_t>(a)];
              if (pa == 0.0) continue;
              double inner = 0.0;
              for (int b = 0; a + b < group.cap; ++b)
                inner += after[static_cast<std::size_t>(b)] * group.increment(a + b);
              expected += pa * inner;
            }
          }
          out[static_cast<std::size_t>(agent)] += scale(k) * s.p_in * expected;
        }
        add_bernoulli(prefix, s.above() + s.p_in);
      }
    }
  }
}

// Click: f(A ∪ T) − f(A) = Π_A(1 − c)·(1 − Π_T(1 − c)), and the factors are
// independent across agents, so the expectations are products.
double BucketedReceiver::Impl::rank_by_click(std::span<const int> set) const {
  const auto& click = std::get<Click>(f);
  std::vector<std::uint8_t> in_set(static_cast<std::size_t>(n), 0);
  for (const int i : set) in_set[static_cast<std::size_t>(i)] = 1;
  double total = 0.0;
  for (int k = 0; k < buckets.K; ++k) {
    double miss_above = 1.0;
    double miss_both = 1.0;
    for (int j = 0; j < n; ++j) {
      const AgentSignal& s = signal(k, j);
      const double c = click.p[static_cast<std::size_t>(j)];
      miss_above *= 1.0 - c * s.above();
      miss_both *= 1.0 - c * (s.above() + (in_set[static_cast<std::size_t>(j)] != 0 ? s.p_in : 0.0));
    }
    total += scale(k) * (miss_above - miss_both);
  }
  return total;
}

void BucketedReceiver::Impl::vertex_by_click(std::span<const int> order, std::span<double> out) const {
  const auto& click = std::get<Click>(f);
  std::fill(out.begin(), out.end(), 0.0);
  std::vector<double> miss_after(static_cast<std::size_t>(n) + 1);
  for (int k = 0; k < buckets.K; ++k) {
    miss_after[static_cast<std::size_t>(n)] = 1.0;
    for (int t = n; t > 0; --t) {
      const int j = order[static_cast<std::size_t>(t) - 1];
      miss_after[static_cast<std::size_t>(t) - 1] =
          miss_after[static_cast<std::size_t>(t)] * (1.0 - click.p[static_cast<std::size_t>(j)] * signal(k, j).above());
    }
    double miss_before = 1.0;
    for (int t = 0; t < n; ++t) {
      const int i = order[static_cast<std::size_t>(t)];
      const AgentSignal& s = signal(k, i);
      const double c = click.p[static_cast<std::size_t>(i)];
      out[static_cast<std::size_t>(i)] +=
          scale(k) * s.p_in * c * miss_before * miss_after[static_cast<std::size_t>(t) + 1];
      miss_before *= 1.0 - c * (s.above() + s.p_in);
    }
  }
}

BucketedReceiver::BucketedReceiver(Polymatroid f, Prior prior, double epsilon, BucketedOptions options) {
  auto impl = std::make_shared<Impl>();
  if (prior.empty()) reject("number of agents", "0", "≥ 1");
  const int n = static_cast<int>(prior.size());
  if (persuasion::size(f) != n) {
    reject("rank function size", std::to_string(persuasion::size(f)),
           std::to_string(n) + " (the number of agents in the prior)");
  }
  if (!std::isfinite(options.value_scale) || options.value_scale < 0.0) {
    reject("value_scale", show(options.value_scale), "0 (the prior's largest value) or a finite V ≥ 1");
  }
  if (options.enumeration_limit < 1) reject("enumeration_limit", std::to_string(options.enumeration_limit), "≥ 1");
  if (options.samples < 1) reject("samples", std::to_string(options.samples), "≥ 1");
  const double V = options.value_scale > 0.0 ? options.value_scale : value_scale(prior);
  require_normalised(prior, V);
  impl->buckets = make_buckets(epsilon, V);
  impl->n = n;
  impl->options = options;
  const int K = impl->buckets.K;

  const auto cells = static_cast<std::size_t>(K) * static_cast<std::size_t>(n);
  impl->mappings.reserve(cells);
  impl->signals.reserve(cells);
  impl->uncertain.resize(static_cast<std::size_t>(K));
  constexpr std::int64_t kSaturated = std::numeric_limits<std::int64_t>::max();
  for (int k = 0; k < K; ++k) {
    for (int i = 0; i < n; ++i) {
      const ValueDistribution& d = prior[static_cast<std::size_t>(i)];
      MaximalMapping mapping = maximal_mapping(d, impl->buckets, k);
      AgentSignal s;
      s.p_in = mapping.p_in;
      s.side = mapping.side;
      s.in_mean = mapping.in_mean;
      s.out_mean = mapping.out_mean;
      if (s.p_in < 1.0) {
        // Out-signals lie strictly on their side (A3); the clamp keeps a mean
        // that rounding put on the edge from being bucketed into k itself.
        const int b = impl->buckets.bucket_of(s.out_mean);
        s.out_bucket = s.side == OutSide::below ? std::min(b, k - 1) : std::max(b, k + 1);
      }
      if (s.uncertain()) impl->uncertain[static_cast<std::size_t>(k)].push_back(i);
      impl->mappings.push_back(std::move(mapping));
      impl->signals.push_back(s);
    }
    const std::size_t count = impl->uncertain[static_cast<std::size_t>(k)].size();
    const std::int64_t patterns = count >= 62 ? kSaturated : (std::int64_t{1} << count);
    impl->outcome_count = impl->outcome_count > kSaturated - patterns ? kSaturated : impl->outcome_count + patterns;
  }

  std::vector<CountGroup> groups = count_groups(f);
  const bool counts_fit = count_groups_fit(groups);
  const bool is_click = std::holds_alternative<Click>(f);
  const bool can_enumerate = impl->outcome_count <= options.enumeration_limit;
  switch (options.method) {
    case OracleMethod::automatic:
      impl->method = counts_fit      ? OracleMethod::poisson_binomial
                     : is_click      ? OracleMethod::click_product
                     : can_enumerate ? OracleMethod::enumerate
                                     : OracleMethod::monte_carlo;
      break;
    case OracleMethod::enumerate:
      if (!can_enumerate) {
        reject("enumeration patterns Σ_k 2^{n'_k}", std::to_string(impl->outcome_count),
               "≤ enumeration_limit = " + std::to_string(options.enumeration_limit) + " (or method monte_carlo)");
      }
      impl->method = OracleMethod::enumerate;
      break;
    case OracleMethod::poisson_binomial:
      if (!counts_fit) {
        reject("poisson_binomial rank function", describe(f),
               "uniform, cardinality or partition with (members+1)·(cap+1) ≤ 2^24 per group");
      }
      impl->method = OracleMethod::poisson_binomial;
      break;
    case OracleMethod::click_product:
      if (!is_click) reject("click_product rank function", describe(f), "a click rank");
      impl->method = OracleMethod::click_product;
      break;
    case OracleMethod::monte_carlo:
      impl->method = OracleMethod::monte_carlo;
      break;
  }
  if (impl->method == OracleMethod::poisson_binomial) impl->groups = std::move(groups);
  impl->policy_enumerates = can_enumerate;
  impl->f = std::move(f);
  impl->prior = std::move(prior);
  impl_ = std::move(impl);
}

int BucketedReceiver::size() const { return impl_->n; }
const Buckets& BucketedReceiver::buckets() const { return impl_->buckets; }
const Polymatroid& BucketedReceiver::rank_function() const { return impl_->f; }
const Prior& BucketedReceiver::prior() const { return impl_->prior; }
OracleMethod BucketedReceiver::method() const { return impl_->method; }
bool BucketedReceiver::exact() const { return impl_->method != OracleMethod::monte_carlo; }
bool BucketedReceiver::policy_exact() const { return impl_->policy_enumerates; }
std::int64_t BucketedReceiver::outcome_count() const { return impl_->outcome_count; }

const MaximalMapping& BucketedReceiver::mapping(int agent, int bucket) const {
  if (agent < 0 || agent >= impl_->n)
    reject("agent", std::to_string(agent), "in [0, " + std::to_string(impl_->n) + ")");
  if (bucket < 0 || bucket >= impl_->buckets.K) {
    reject("bucket", std::to_string(bucket), "in [0, " + std::to_string(impl_->buckets.K) + ")");
  }
  return impl_->mappings[static_cast<std::size_t>(bucket) * static_cast<std::size_t>(impl_->n) +
                         static_cast<std::size_t>(agent)];
}

double BucketedReceiver::max_bayes_residual() const {
  double worst = 0.0;
  for (std::size_t cell = 0; cell < impl_->mappings.size(); ++cell) {
    const auto agent = cell % static_cast<std::size_t>(impl_->n);
    worst = std::max(worst, std::abs(bayes_plausibility_residual(impl_->mappings[cell], impl_->prior[agent])));
  }
  return worst;
}

double BucketedReceiver::rank(std::span<const int> set) const {
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(impl_->n), 0);
  for (const int i : set) {
    if (i < 0 || i >= impl_->n || seen[static_cast<std::size_t>(i)] != 0) {
      reject("set member", std::to_string(i), "distinct agents in [0, " + std::to_string(impl_->n) + ")");
    }
    seen[static_cast<std::size_t>(i)] = 1;
  }
  switch (impl_->method) {
    case OracleMethod::poisson_binomial:
      return impl_->rank_by_counts(set);
    case OracleMethod::click_product:
      return impl_->rank_by_click(set);
    case OracleMethod::monte_carlo:
      return impl_->rank_by_patterns(set, false);
    default:
      return impl_->rank_by_patterns(set, true);
  }
}

double BucketedReceiver::welfare() const {
  std::vector<int> all(static_cast<std::size_t>(impl_->n));
  for (int i = 0; i < impl_->n; ++i) all[static_cast<std::size_t>(i)] = i;
  return rank(all);
}

void BucketedReceiver::vertex(std::span<const int> order, std::span<double> out) const {
  std::vector<int> position;
  require_order(order, impl_->n, position);
  if (static_cast<int>(out.size()) != impl_->n) {
    reject("vertex output size", std::to_string(out.size()), std::to_string(impl_->n));
  }
  switch (impl_->method) {
    case OracleMethod::poisson_binomial:
      impl_->vertex_by_counts(position, out);
      return;
    case OracleMethod::click_product:
      impl_->vertex_by_click(order, out);
      return;
    case OracleMethod::monte_carlo:
      impl_->vertex_by_patterns(order, out, false);
      return;
    default:
      impl_->vertex_by_patterns(order, out, true);
      return;
  }
}

VertexOracle BucketedReceiver::vertex_oracle() const {
  return [receiver = *this](std::span<const int> order, std::span<double> out) { receiver.vertex(order, out); };
}

std::function<double(std::span<const int>)> BucketedReceiver::rank_oracle() const {
  return [receiver = *this](std::span<const int> set) { return receiver.rank(set); };
}

RsmUtilities BucketedReceiver::rsm_utilities(std::span<const std::vector<int>> orders,
                                             std::span<const double> weights) const {
  const Impl& impl = *impl_;
  const int n = impl.n;
  if (orders.empty() || orders.size() != weights.size()) {
    reject("priority mixture size",
           std::to_string(orders.size()) + " orders, " + std::to_string(weights.size()) + " weights",
           "≥ 1 orders with one weight each");
  }
  double weight_total = 0.0;
  for (const double w : weights) {
    if (!std::isfinite(w) || w < 0.0) reject("mixture weight", show(w), "finite ≥ 0");
    weight_total += w;
  }
  if (std::abs(weight_total - 1.0) > 1e-9) reject("mixture weight sum", show(weight_total), "1 (within 1e-9)");

  RsmUtilities result;
  result.fake.assign(static_cast<std::size_t>(n), 0.0);
  result.canonical.assign(static_cast<std::size_t>(n), 0.0);
  result.true_utility.assign(static_cast<std::size_t>(n), 0.0);
  result.exact = impl.policy_enumerates;

  // One entry per (agent, possible signal) in the receiver's greedy order for
  // bucket k: bucket label descending, then position in π.
  struct Entry {
    int label;
    int position;
    int agent;
    bool in;
    double mean;
  };
  std::vector<Entry> entries;
  std::vector<int> position;
  std::vector<std::uint8_t> in(static_cast<std::size_t>(n));
  for (const auto& order : orders) require_order(order, n, position);
  // The receiver's greedy order for bucket k under order r: bucket label
  // descending, then position in π.
  const auto build_entries = [&](std::size_t r, int k) {
    for (int i = 0; i < n; ++i) position[static_cast<std::size_t>(orders[r][static_cast<std::size_t>(i)])] = i;
    entries.clear();
    for (int i = 0; i < n; ++i) {
      const AgentSignal& s = impl.signal(k, i);
      const int pos = position[static_cast<std::size_t>(i)];
      if (s.p_in > 0.0) entries.push_back({k, pos, i, true, s.in_mean});
      if (s.p_in < 1.0) entries.push_back({s.out_bucket, pos, i, false, s.out_mean});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.label != b.label ? a.label > b.label : a.position < b.position;
    });
  };
  std::visit(
      [&](const auto& family) {
        typename std::decay_t<decltype(family)>::Greedy greedy(family);
        const auto allocate = [&](int k, double w) {
          greedy.clear();
          const double m_active = impl.buckets.canonical[static_cast<std::size_t>(k)];
          for (const Entry& e : entries) {
            if ((in[static_cast<std::size_t>(e.agent)] != 0) != e.in) continue;
            const double x = greedy.add(e.agent);
            if (x == 0.0) continue;
            const auto a = static_cast<std::size_t>(e.agent);
            if (e.in) result.fake[a] += w * m_active * x;
            result.canonical[a] += w * impl.buckets.canonical[static_cast<std::size_t>(e.label)] * x;
            result.true_utility[a] += w * e.mean * x;
          }
        };
        if (impl.policy_enumerates) {
          for (std::size_t r = 0; r < orders.size(); ++r) {
            if (weights[r] == 0.0) continue;
            for (int k = 0; k < impl.buckets.K; ++k) {
              build_entries(r, k);
              const double scale = weights[r] / impl.buckets.K;
              impl.for_each_pattern(k, true, in, [&](double weight) { allocate(k, scale * weight); });
            }
          }
          return;
        }
        // Monte Carlo: each sampled pattern draws its order from the mixture
        // (systematic sampling: sample s takes the order whose cumulative
        // weight covers (s + ½)/samples), as the policy itself randomises.
        // Evaluating every order on every sample would cost the mixture's
        // size again — up to n + 1 orders.
        std::vector<double> cumulative(weights.size());
        std::partial_sum(weights.begin(), weights.end(), cumulative.begin());
        const double samples = static_cast<double>(impl.options.samples);
        for (int k = 0; k < impl.buckets.K; ++k) {
          std::size_t current = orders.size();
          std::size_t r = 0;
          std::int64_t s = 0;
          impl.for_each_pattern(k, false, in, [&](double weight) {
            const double target = (static_cast<double>(s++) + 0.5) / samples * weight_total;
            while (r + 1 < cumulative.size() && cumulative[r] < target) ++r;
            if (r != current) {
              build_entries(r, k);
              current = r;
            }
            allocate(k, weight / impl.buckets.K);
          });
        }
      },
      impl.f);
  return result;
}

std::vector<double> BucketedReceiver::canonical_certificate(std::span<const double> fake_star) const {
  if (static_cast<int>(fake_star.size()) != impl_->n) {
    reject("fake utility vector size", std::to_string(fake_star.size()), std::to_string(impl_->n));
  }
  std::vector<double> bound = prefix_sums_smallest(fake_star);
  for (double& q : bound) q *= impl_->buckets.K;
  return bound;
}

std::vector<double> BucketedReceiver::true_certificate(std::span<const double> fake_star) const {
  std::vector<double> bound = canonical_certificate(fake_star);
  for (double& q : bound) q *= 1.0 + impl_->buckets.epsilon;
  return bound;
}

}  // namespace mechsweep::persuasion
