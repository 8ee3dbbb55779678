#include "core/test_rejection.hpp"
#include "mechanisms/persuasion/full_revelation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace mechsweep::persuasion {
namespace {

constexpr double kExact = 1e-12;

using mechsweep::module_tests::rejection;

ValueDistribution dist(std::vector<double> values, std::vector<double> probabilities) {
  return make_distribution(values, probabilities, "test");
}

std::vector<int> members_of(std::uint32_t mask, int n) {
  std::vector<int> members;
  for (int i = 0; i < n; ++i) {
    if (mask >> i & 1U) members.push_back(i);
  }
  return members;
}

// "134" (the spec's 1-based agents) → {0, 2, 3}.
std::vector<int> agents(const std::string& one_based) {
  std::vector<int> out;
  for (const char c : one_based) out.push_back(c - '1');
  return out;
}

std::vector<int> identity(int n) {
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  return order;
}

// Q_j: prefix sums of the ascending sort.
std::vector<double> prefix_sums(std::vector<double> u) {
  std::sort(u.begin(), u.end());
  std::partial_sum(u.begin(), u.end(), u.begin());
  return u;
}

// ---- an independent reference: explicit scenario enumeration ----------------

// Calls visit(probability, v) for every value vector.
template <class Visit>
void for_each_value_vector(const Prior& prior, Visit visit) {
  const std::size_t n = prior.size();
  std::vector<int> idx(n, 0);
  std::vector<double> v(n);
  while (true) {
    double probability = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
      v[i] = prior[i].values[idx[i]];
      probability *= prior[i].probabilities[idx[i]];
    }
    visit(probability, v);
    std::size_t i = 0;
    while (i < n && ++idx[i] == prior[i].support()) idx[i++] = 0;
    if (i == n) return;
  }
}

// The receiver's greedy in one scenario, key (value desc, position in order).
std::vector<double> receiver_utilities(const Polymatroid& f, const std::vector<double>& v, std::vector<int> order) {
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return v[a] > v[b]; });
  std::vector<double> x(v.size());
  greedy_vertex(f, order, x);
  for (std::size_t i = 0; i < v.size(); ++i) x[i] *= v[i];
  return x;
}

struct Moments {
  std::vector<double> mean, second;
};

Moments brute_vertex(const Polymatroid& f, const Prior& prior, const std::vector<int>& order) {
  Moments m{std::vector<double>(prior.size(), 0.0), std::vector<double>(prior.size(), 0.0)};
  for_each_value_vector(prior, [&](double probability, const std::vector<double>& v) {
    const std::vector<double> u = receiver_utilities(f, v, order);
    for (std::size_t i = 0; i < u.size(); ++i) {
      m.mean[i] += probability * u[i];
      m.second[i] += probability * u[i] * u[i];
    }
  });
  return m;
}

double brute_rank(const Polymatroid& f, const Prior& prior, const std::vector<int>& set) {
  double total = 0.0;
  for_each_value_vector(prior, [&](double probability, const std::vector<double>& v) {
    total += probability * scenario_rank(f, v, set);
  });
  return total;
}

// W_FR(S): greedy over S alone, in value order.
double brute_coalition(const Polymatroid& f, const Prior& prior, std::vector<int> set) {
  double total = 0.0;
  const TableRank table = tabulate(f);
  for_each_value_vector(prior, [&](double probability, const std::vector<double>& v) {
    std::vector<int> order = set;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return v[a] > v[b]; });
    TableRank::Greedy greedy(table);
    for (const int i : order) total += probability * v[i] * greedy.add(i);
  });
  return total;
}

std::vector<double> average_over_all_orders(const FullRevelation& fr) {
  const int n = fr.size();
  std::vector<int> order = identity(n);
  std::vector<double> average(static_cast<std::size_t>(n), 0.0), u(static_cast<std::size_t>(n));
  double count = 0.0;
  do {
    fr.vertex(order, u);
    for (int i = 0; i < n; ++i) average[i] += u[i];
    count += 1.0;
  } while (std::next_permutation(order.begin(), order.end()));
  for (double& a : average) a /= count;
  return average;
}

// ---- random instances --------------------------------------------------------

// Supports drawn from one shared grid, so that value ties occur.
Prior random_prior(int n, std::mt19937_64& rng) {
  std::vector<double> grid{3.0, 2.0, 1.5, 1.0};
  std::uniform_real_distribution<double> weight(0.1, 1.0);
  Prior prior;
  for (int i = 0; i < n; ++i) {
    std::shuffle(grid.begin(), grid.end(), rng);
    const std::size_t s = 1 + rng() % 3;
    std::vector<double> values(grid.begin(), grid.begin() + static_cast<std::ptrdiff_t>(s)), p(s);
    double total = 0.0;
    for (auto& x : p) total += x = weight(rng);
    for (auto& x : p) x /= total;
    prior.push_back(make_distribution(values, p, "random"));
  }
  return prior;
}

std::vector<Polymatroid> random_families(int n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<int> group_of(static_cast<std::size_t>(n));
  for (auto& g : group_of) g = static_cast<int>(rng() % 2);
  std::vector<double> cost(static_cast<std::size_t>(n)), p(static_cast<std::size_t>(n));
  for (auto& c : cost) c = 0.25 * static_cast<double>(1 + rng() % 4);
  for (auto& x : p) x = rng() % 4 == 0 ? 1.0 : unit(rng);
  std::vector<double> phi{0.0, 1.0};
  for (int t = 2; t <= n; ++t) phi.push_back(phi.back() + (phi[t - 1] - phi[t - 2]) * unit(rng));
  std::vector<LaminarCaps::Node> nodes{{1.0 + unit(rng), identity(n)}};
  nodes.push_back({0.5 + unit(rng), {0, n - 1}});
  return {make_uniform(n, 1 + static_cast<int>(rng() % 2)),
          make_partition(group_of, {1, 2}),
          make_laminar_caps(std::vector<double>(static_cast<std::size_t>(n), 0.75), nodes),
          make_budget(1.0 + unit(rng), cost),
          make_click(p),
          make_cardinality(phi),
          tabulate(make_click(p))};
}

OracleOptions forced(OracleMethod method) {
  OracleOptions options;
  options.method = method;
  return options;
}

// ---- spec §3.5 known answers ------------------------------------------------

struct KnownInstance {
  std::string name;
  Polymatroid f;
  Prior prior;
  std::map<std::string, double> G;  // every nonempty subset, 1-based
  std::vector<double> uniform;
  std::vector<std::pair<std::string, std::vector<double>>> vertices;  // order (1-based, highest first)
};

std::vector<KnownInstance> known_instances() {
  const auto half12 = dist({1, 2}, {0.5, 0.5});
  const auto half13 = dist({1, 3}, {0.5, 0.5});
  return {
      {"FR-A",
       make_uniform(3, 1),
       {half12, deterministic(2), deterministic(1)},
       {{"1", 1}, {"2", 2}, {"3", 0}, {"12", 2}, {"13", 1}, {"23", 2}, {"123", 2}},
       {0.5, 1.5, 0.0},
       {}},
      {"FR-B",
       make_uniform(3, 1),
       {half13, half13, half13},
       {{"1", 13.0 / 8},
        {"2", 13.0 / 8},
        {"3", 13.0 / 8},
        {"12", 19.0 / 8},
        {"13", 19.0 / 8},
        {"23", 19.0 / 8},
        {"123", 11.0 / 4}},
       {11.0 / 12, 11.0 / 12, 11.0 / 12},
       {{"123", {13.0 / 8, 3.0 / 4, 3.0 / 8}}}},
      {"FR-C",
       make_uniform(4, 2),
       {half12, deterministic(2), dist({1, 2}, {0.25, 0.75}), deterministic(1)},
       {{"1", 9.0 / 8},
        {"2", 2},
        {"3", 13.0 / 8},
        {"4", 1.0 / 8},
        {"12", 25.0 / 8},
        {"13", 21.0 / 8},
        {"14", 9.0 / 8},
        {"23", 29.0 / 8},
        {"24", 17.0 / 8},
        {"34", 13.0 / 8},
        {"123", 31.0 / 8},
        {"124", 25.0 / 8},
        {"134", 21.0 / 8},
        {"234", 29.0 / 8},
        {"1234", 31.0 / 8}},
       {19.0 / 24, 7.0 / 4, 31.0 / 24, 1.0 / 24},
       {{"1234", {9.0 / 8, 2, 3.0 / 4, 0}}, {"4321", {1.0 / 4, 2, 3.0 / 2, 1.0 / 8}}}},
      {"FR-D",
       make_budget(1.0, {0.5, 0.5, 1.0}),
       {half12, deterministic(2), half12},
       {{"1", 5.0 / 8},
        {"2", 1},
        {"3", 9.0 / 8},
        {"12", 13.0 / 8},
        {"13", 11.0 / 8},
        {"23", 13.0 / 8},
        {"123", 15.0 / 8}},
       {7.0 / 16, 3.0 / 4, 11.0 / 16},
       {{"123", {5.0 / 8, 1, 1.0 / 4}}, {"321", {1.0 / 4, 1.0 / 2, 9.0 / 8}}}},
      {"FR-E",
       make_click({0.5, 0.5, 0.25}),
       {half12, half12, half12},
       {{"1", 85.0 / 128},
        {"2", 85.0 / 128},
        {"3", 41.0 / 128},
        {"12", 147.0 / 128},
        {"13", 115.0 / 128},
        {"23", 115.0 / 128},
        {"123", 169.0 / 128}},
       {69.0 / 128, 69.0 / 128, 31.0 / 128},
       {{"123", {85.0 / 128, 31.0 / 64, 11.0 / 64}}, {"321", {27.0 / 64, 37.0 / 64, 41.0 / 128}}}},
  };
}

void expect_known_answers(const KnownInstance& instance, const FullRevelation& fr) {
  const std::string where = instance.name + " via " + std::string(to_string(fr.method()));
  const int n = fr.size();
  ASSERT_EQ(instance.G.size(), (std::size_t{1} << n) - 1) << where;
  std::vector<double> table(std::size_t{1} << n, 0.0);
  for (const auto& [set, value] : instance.G) {
    const std::vector<int> members = agents(set);
    EXPECT_NEAR(fr.rank(members), value, kExact) << where << " G({" << set << "})";
    std::uint32_t mask = 0;
    for (const int i : members) mask |= 1U << i;
    table[mask] = fr.rank(members);
  }
  EXPECT_NEAR(fr.welfare(), instance.G.at(std::string("1234").substr(0, static_cast<std::size_t>(n))), kExact) << where;
  EXPECT_TRUE(validate_rank(make_table(n, table)).valid()) << where;  // §3.5 invariant 1
  const std::vector<double> uniform = fr.uniform_tie_break();
  for (int i = 0; i < n; ++i) EXPECT_NEAR(uniform[i], instance.uniform[i], kExact) << where << " uniform " << i;
  std::vector<double> u(static_cast<std::size_t>(n));
  for (const auto& [order, expected] : instance.vertices) {
    fr.vertex(agents(order), u);
    for (int i = 0; i < n; ++i) EXPECT_NEAR(u[i], expected[i], kExact) << where << " order " << order << " agent " << i;
  }
}

// spec §3.5 FR-A..FR-E: G on every subset, G(E), uniform tie-break and the
// fixed-priority vertices, by enumeration and by the polynomial oracles.
TEST(FullRevelation, SpecKnownAnswerInstances) {
  for (const KnownInstance& instance : known_instances()) {
    expect_known_answers(instance, FullRevelation(instance.f, instance.prior, forced(OracleMethod::enumerate)));
    const FullRevelation automatic(instance.f, instance.prior);
    if (automatic.method() != OracleMethod::enumerate) expect_known_answers(instance, automatic);
  }
  EXPECT_EQ(FullRevelation(make_uniform(3, 1), known_instances()[0].prior).method(), OracleMethod::poisson_binomial);
  EXPECT_EQ(FullRevelation(make_click({0.5, 0.5, 0.25}), known_instances()[4].prior).method(),
            OracleMethod::click_product);
  EXPECT_EQ(FullRevelation(make_budget(1.0, {0.5, 0.5, 1.0}), known_instances()[3].prior).method(),
            OracleMethod::enumerate);
}

TEST(FullRevelation, WelfareIsTheSameForEveryPolicy) {
  // D3: FR-C welfare 31/8, FR-D 15/8, FR-E 169/128; Σ vertex = G(E) for every order.
  const std::vector<double> welfare{2.0, 11.0 / 4, 31.0 / 8, 15.0 / 8, 169.0 / 128};
  const auto instances = known_instances();
  for (std::size_t k = 0; k < instances.size(); ++k) {
    const FullRevelation fr(instances[k].f, instances[k].prior);
    EXPECT_NEAR(fr.welfare(), welfare[k], kExact) << instances[k].name;
    std::vector<int> order = identity(fr.size());
    std::vector<double> u(order.size());
    do {
      fr.vertex(order, u);
      EXPECT_NEAR(std::accumulate(u.begin(), u.end(), 0.0), welfare[k], kExact) << instances[k].name;
    } while (std::next_permutation(order.begin(), order.end()));
  }
}

// ---- spec §3.1 Appendix A ---------------------------------------------------

Prior appendix_a_prior(int n, double q) {
  Prior prior{deterministic(2.0 - q)};
  for (int i = 1; i <= n; ++i) prior.push_back(dist({1.0 / q, 1.0}, {q, 1.0 - q}));
  return prior;
}

TEST(FullRevelation, AppendixAFullAndNoRevelationAtFourAgents) {
  const Polymatroid select_one = make_uniform(5, 1);
  const Prior prior = appendix_a_prior(4, 0.5);
  for (const OracleMethod method : {OracleMethod::poisson_binomial, OracleMethod::enumerate}) {
    const FullRevelation fr(select_one, prior, forced(method));
    const std::vector<double> u = fr.uniform_tie_break();
    EXPECT_NEAR(u[0], 3.0 / 32, kExact);
    for (int i = 1; i <= 4; ++i) EXPECT_NEAR(u[i], 15.0 / 32, kExact);
    EXPECT_NEAR(std::accumulate(u.begin(), u.end(), 0.0), 63.0 / 32, kExact);
    EXPECT_NEAR(fr.welfare(), 63.0 / 32, kExact);
    const std::vector<double> nr = no_revelation(select_one, prior, forced(method));
    for (const double x : nr) EXPECT_NEAR(x, 3.0 / 10, kExact);
  }
}

TEST(FullRevelation, AppendixALargeMarketsWithPoissonBinomialOracle) {
  struct Case {
    int n;
    double q, U0, Ui, welfare;
  };
  for (const Case c :
       {Case{16, 0.25, 0.0175395, 0.247494, 3.977449}, Case{100, 0.1, 5.04667e-5, 0.0999973, 9.999785}}) {
    const FullRevelation fr(make_uniform(c.n + 1, 1), appendix_a_prior(c.n, c.q));
    ASSERT_EQ(fr.method(), OracleMethod::poisson_binomial);
    const std::vector<double> u = fr.uniform_tie_break();
    const double P0 = std::pow(1.0 - c.q, c.n);
    EXPECT_NEAR(u[0], (2.0 - c.q) * P0, 1e-12 * u[0]);
    EXPECT_NEAR(u[0], c.U0, 1e-5 * c.U0);
    for (int i = 1; i <= c.n; ++i) {
      EXPECT_NEAR(u[i], (1.0 - P0) / c.q / c.n, 1e-12);
      EXPECT_NEAR(u[i], c.Ui, 1e-5 * c.Ui);
    }
    EXPECT_NEAR(fr.welfare(), c.welfare, 1e-6 * c.welfare);
  }
  // NR at n = 16: every prior mean is 7/4, so each agent gets (7/4)/17 = 7/68.
  for (const double x : no_revelation(make_uniform(17, 1), appendix_a_prior(16, 0.25))) {
    EXPECT_NEAR(x, 7.0 / 68, kExact);
  }
}

// ---- invariants on random instances (spec §3.5 1–3, §6.5 1–4) ----------------

TEST(FullRevelation, RankIsAPolymatroidOnRandomInstances) {
  std::mt19937_64 rng(21);
  for (int trial = 0; trial < 6; ++trial) {
    const int n = 2 + trial % 4;
    const Prior prior = random_prior(n, rng);
    for (const Polymatroid& f : random_families(n, rng)) {
      const FullRevelation fr(f, prior);
      std::vector<double> table(std::size_t{1} << n, 0.0);
      for (std::uint32_t mask = 1; mask < table.size(); ++mask) table[mask] = fr.rank(members_of(mask, n));
      const RankValidation check = validate_rank(make_table(n, table));
      EXPECT_TRUE(check.valid()) << describe(f) << ": " << check.first_problem;
      EXPECT_EQ(fr.rank({}), 0.0);
    }
  }
}

// Lemma 3.2 / Theorem 3.1: G(S) (closed form, averaged over scenarios) equals
// the max over all priority orders of Σ_{i∈S} vertex_i, and Σ vertex = G(E).
TEST(FullRevelation, ClosedFormEqualsMaxOverTieBreaks) {
  std::mt19937_64 rng(22);
  for (int trial = 0; trial < 4; ++trial) {
    const int n = 3 + trial % 2;
    const Prior prior = random_prior(n, rng);
    for (const Polymatroid& f : random_families(n, rng)) {
      const FullRevelation fr(f, prior);
      std::vector<double> best(std::size_t{1} << n, 0.0);
      std::vector<int> order = identity(n);
      std::vector<double> u(static_cast<std::size_t>(n));
      do {
        fr.vertex(order, u);
        ASSERT_NEAR(std::accumulate(u.begin(), u.end(), 0.0), fr.welfare(), kExact) << describe(f);
        for (std::uint32_t mask = 1; mask < best.size(); ++mask) {
          double sum = 0.0;
          for (const int i : members_of(mask, n)) sum += u[i];
          best[mask] = std::max(best[mask], sum);
        }
      } while (std::next_permutation(order.begin(), order.end()));
      for (std::uint32_t mask = 1; mask < best.size(); ++mask) {
        const std::vector<int> set = members_of(mask, n);
        const double closed_form = brute_rank(f, prior, set);
        EXPECT_NEAR(best[mask], closed_form, kExact) << describe(f) << " mask " << mask;
        EXPECT_NEAR(fr.rank(set), closed_form, kExact) << describe(f) << " mask " << mask;
      }
    }
  }
}

// g(S; v) in one scenario: the closed form against every tie-break order.
TEST(FullRevelation, ScenarioRankIsTheMaxOverReceiverOptimalVertices) {
  std::mt19937_64 rng(23);
  const std::vector<double> grid{1.0, 2.0, 2.0, 3.0};
  for (int trial = 0; trial < 10; ++trial) {
    const int n = 4;
    std::vector<double> v(static_cast<std::size_t>(n));
    for (auto& x : v) x = grid[rng() % grid.size()];
    for (const Polymatroid& f : random_families(n, rng)) {
      for (std::uint32_t mask = 0; mask < 16; ++mask) {
        double best = 0.0;
        std::vector<int> order = identity(n);
        do {
          const std::vector<double> u = receiver_utilities(f, v, order);
          double sum = 0.0;
          for (const int i : members_of(mask, n)) sum += u[i];
          best = std::max(best, sum);
        } while (std::next_permutation(order.begin(), order.end()));
        EXPECT_NEAR(scenario_rank(f, v, members_of(mask, n)), best, kExact) << describe(f);
      }
    }
  }
}

// §6.5 (3): the D1 vertex is the expected receiver greedy, for every method
// that applies; the polynomial oracles agree with enumeration to 1e-12.
TEST(FullRevelation, VertexOraclesAgreeWithExpectedReceiverGreedy) {
  std::mt19937_64 rng(24);
  for (int trial = 0; trial < 12; ++trial) {
    const int n = 2 + trial % 6;
    const Prior prior = random_prior(n, rng);
    for (const Polymatroid& f : random_families(n, rng)) {
      const FullRevelation automatic(f, prior);
      const FullRevelation enumerated(f, prior, forced(OracleMethod::enumerate));
      std::vector<double> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n));
      for (int r = 0; r < 3; ++r) {
        std::vector<int> order = identity(n);
        std::shuffle(order.begin(), order.end(), rng);
        automatic.vertex(order, a);
        enumerated.vertex(order, b);
        const Moments reference = brute_vertex(f, prior, order);
        for (int i = 0; i < n; ++i) {
          ASSERT_NEAR(a[i], reference.mean[i], kExact) << describe(f) << " " << to_string(automatic.method());
          ASSERT_NEAR(b[i], reference.mean[i], kExact) << describe(f);
        }
        std::vector<int> set;
        for (int i = 0; i < n; ++i) {
          if (rng() % 2) set.push_back(order[i]);
        }
        EXPECT_NEAR(automatic.rank(set), enumerated.rank(set), kExact) << describe(f);
        EXPECT_NEAR(automatic.coalition_value(set), brute_coalition(f, prior, set), kExact) << describe(f);
        EXPECT_NEAR(enumerated.coalition_value(set), brute_coalition(f, prior, set), kExact) << describe(f);
      }
    }
  }
}

// Uniform tie-breaking is the average of all n! vertices: the Gauss–Legendre
// forms (uniform, partition, click) and the within-block enumeration (others).
TEST(FullRevelation, UniformTieBreakIsTheAverageOfAllOrders) {
  std::mt19937_64 rng(25);
  for (int trial = 0; trial < 6; ++trial) {
    const int n = 2 + trial % 5;
    const Prior prior = random_prior(n, rng);
    for (const Polymatroid& f : random_families(n, rng)) {
      const FullRevelation fr(f, prior);
      const std::vector<double> average = average_over_all_orders(fr);
      const std::vector<double> uniform = fr.uniform_tie_break();
      for (int i = 0; i < n; ++i) EXPECT_NEAR(uniform[i], average[i], kExact) << describe(f);
    }
  }
  // Many tied agents (one value), where the number of tied agents ahead is
  // uniform on 0..m−1 rather than binomial.
  const Prior tied(6, dist({2.0, 1.0}, {0.5, 0.5}));
  for (const Polymatroid& f :
       {make_uniform(6, 2), make_partition({0, 0, 0, 1, 1, 1}, {2, 1}), make_click({0.5, 1.0, 0.2, 0.7, 0.1, 0.9})}) {
    const FullRevelation fr(f, tied);
    const std::vector<double> average = average_over_all_orders(fr);
    const std::vector<double> uniform = fr.uniform_tie_break();
    for (int i = 0; i < 6; ++i) EXPECT_NEAR(uniform[i], average[i], kExact) << describe(f);
  }
}

TEST(FullRevelation, RandomOrderTieBreakAboveEightAgentsKeepsWelfareAndSymmetry) {
  const Prior prior(10, dist({2.0, 1.0}, {0.5, 0.5}));
  const Polymatroid f = make_budget(2.0, std::vector<double>(10, 0.5));
  OracleOptions options;
  options.samples = 4000;
  const FullRevelation fr(f, prior, options);
  ASSERT_EQ(fr.method(), OracleMethod::enumerate);
  const std::vector<double> u = fr.uniform_tie_break();
  EXPECT_NEAR(std::accumulate(u.begin(), u.end(), 0.0), fr.welfare(), kExact);
  const double share = fr.welfare() / 10;
  for (const double x : u) EXPECT_NEAR(x, share, 0.05 * share);
}

// Monte Carlo over one fixed sample: reproducible, and within 5 standard
// errors of the exact vertex.
TEST(FullRevelation, MonteCarloIsWithinFiveStandardErrors) {
  std::mt19937_64 rng(26);
  const int n = 5;
  const Prior prior = random_prior(n, rng);
  OracleOptions options = forced(OracleMethod::monte_carlo);
  options.samples = 20000;
  options.seed = 99;
  for (const Polymatroid& f : random_families(n, rng)) {
    const FullRevelation mc(f, prior, options);
    EXPECT_FALSE(mc.exact());
    std::vector<int> order = identity(n);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<double> u(static_cast<std::size_t>(n)), again(static_cast<std::size_t>(n));
    mc.vertex(order, u);
    FullRevelation(f, prior, options).vertex(order, again);
    EXPECT_EQ(u, again) << "same seed, same sample";
    const Moments exact = brute_vertex(f, prior, order);
    for (int i = 0; i < n; ++i) {
      const double se = std::sqrt(std::max(0.0, exact.second[i] - exact.mean[i] * exact.mean[i]) /
                                  static_cast<double>(options.samples));
      EXPECT_NEAR(u[i], exact.mean[i], 5 * se + 1e-12) << describe(f) << " agent " << i;
    }
    EXPECT_NEAR(std::accumulate(u.begin(), u.end(), 0.0), mc.welfare(), kExact);
  }
  options.seed = 100;
  const Polymatroid f = make_budget(1.0, std::vector<double>(n, 0.5));
  std::vector<double> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n));
  FullRevelation(f, prior, options).vertex(identity(n), a);
  options.seed = 101;
  FullRevelation(f, prior, options).vertex(identity(n), b);
  EXPECT_NE(a, b);
}

// spec §4.3: UB_j bounds Q_j of every vertex (hence every FR policy).
TEST(FullRevelation, UpperBoundPrefixDominatesEveryVertex) {
  std::mt19937_64 rng(27);
  for (int trial = 0; trial < 3; ++trial) {
    const int n = 4;
    const Prior prior = random_prior(n, rng);
    for (const Polymatroid& f : random_families(n, rng)) {
      const FullRevelation fr(f, prior);
      const std::vector<double> ub = fr.upper_bound_prefix();
      ASSERT_EQ(ub.size(), static_cast<std::size_t>(n));
      EXPECT_NEAR(ub[n - 1], fr.welfare(), kExact);
      std::vector<int> order = identity(n);
      std::vector<double> u(static_cast<std::size_t>(n));
      do {
        fr.vertex(order, u);
        const std::vector<double> q = prefix_sums(u);
        for (int j = 0; j < n; ++j) EXPECT_GE(ub[j] + 1e-12, q[j]) << describe(f) << " j=" << j + 1;
      } while (std::next_permutation(order.begin(), order.end()));
      for (int j = 1; j <= n; ++j) EXPECT_LE(ub[j - 1], fr.welfare() * j / n + 1e-12);
    }
  }
  // Above 12 agents: the heuristic chain, still a valid bound.
  const Prior prior = random_prior(14, rng);
  const FullRevelation fr(make_uniform(14, 3), prior);
  const std::vector<double> ub = fr.upper_bound_prefix();
  const std::vector<double> q = prefix_sums(fr.uniform_tie_break());
  for (int j = 0; j < 14; ++j) EXPECT_GE(ub[j] + 1e-12, q[j]);
}

// The polynomial oracles at scale: Σ vertex = G(E) for different orders.
TEST(FullRevelation, PolynomialOraclesAtAThousandAgents) {
  std::mt19937_64 rng(28);
  const int n = 1000;
  const Prior prior = random_prior(n, rng);
  std::vector<double> p(static_cast<std::size_t>(n));
  std::uniform_real_distribution<double> unit(0.0, 0.02);
  for (auto& x : p) x = unit(rng);
  for (const Polymatroid& f : {make_uniform(n, 10), make_click(p)}) {
    const FullRevelation fr(f, prior);
    std::vector<int> order = identity(n);
    std::vector<double> u(static_cast<std::size_t>(n));
    fr.vertex(order, u);
    const double forward = std::accumulate(u.begin(), u.end(), 0.0);
    std::reverse(order.begin(), order.end());
    fr.vertex(order, u);
    EXPECT_NEAR(std::accumulate(u.begin(), u.end(), 0.0), forward, 1e-9 * forward) << describe(f);
    const std::vector<double> uniform = fr.uniform_tie_break();
    EXPECT_NEAR(std::accumulate(uniform.begin(), uniform.end(), 0.0), forward, 1e-9 * forward) << describe(f);
  }
  // i.i.d. agents: uniform tie-breaking is symmetric (each gets G(E)/n), which
  // checks the Gauss–Legendre rule with ~500 nodes; NR gives each θ·k/n.
  const Prior iid(static_cast<std::size_t>(n), dist({3.0, 2.0, 1.0}, {0.2, 0.3, 0.5}));
  for (const Polymatroid& f :
       {make_uniform(n, 10), make_click(std::vector<double>(static_cast<std::size_t>(n), 0.01))}) {
    const FullRevelation fr(f, iid);
    const double share = fr.welfare() / n;
    for (const double x : fr.uniform_tie_break()) ASSERT_NEAR(x, share, 1e-10 * share) << describe(f);
  }
  for (const double x : no_revelation(make_uniform(n, 10), iid)) ASSERT_NEAR(x, 1.7 * 10 / n, 1e-12);
}

// ---- rejected inputs (spec §6.4) -----------------------------------------------

TEST(FullRevelation, RejectsBadInputs) {
  const Prior two(2, dist({1.0, 2.0}, {0.5, 0.5}));
  EXPECT_NE(rejection([&] { FullRevelation(make_uniform(3, 1), two); }).find("prior size = 2"), std::string::npos);
  EXPECT_NE(rejection([&] { FullRevelation(make_uniform(0, 1), {}); }).find("number of agents = 0"), std::string::npos);
  EXPECT_NE(rejection([&] {
              FullRevelation(make_click({0.5, 0.5}), two, forced(OracleMethod::poisson_binomial));
            }).find("poisson_binomial"),
            std::string::npos);
  EXPECT_NE(rejection([&] {
              FullRevelation(make_uniform(2, 1), two, forced(OracleMethod::click_product));
            }).find("click_product"),
            std::string::npos);
  OracleOptions small = forced(OracleMethod::enumerate);
  small.enumeration_limit = 3;
  const std::string too_many = rejection([&] { FullRevelation(make_budget(1.0, {1.0, 1.0}), two, small); });
  EXPECT_NE(too_many.find("enumerate"), std::string::npos) << too_many;
  EXPECT_NE(too_many.find("budget"), std::string::npos) << too_many;
  // Distributions built by hand are checked again.
  auto raw = [&](std::vector<double> v, std::vector<double> p) {
    Prior prior = two;
    prior[1] = ValueDistribution{std::move(v), std::move(p)};
    return rejection([&] { FullRevelation(make_uniform(2, 1), prior); });
  };
  EXPECT_NE(raw({2.0, 1.0}, {1.5, -0.5}).find("agent 1 probability[1] = -0.5"), std::string::npos);
  EXPECT_NE(raw({2.0, 1.0}, {0.5, 0.25}).find("agent 1 probability sum = 0.75"), std::string::npos);
  EXPECT_NE(raw({2.0, 0.0}, {0.5, 0.5}).find("agent 1 value[1] = 0"), std::string::npos);
  EXPECT_NE(raw({}, {}).find("agent 1 support size = 0"), std::string::npos);
  // Rank tables that are not polymatroids.
  EXPECT_NE(rejection([&] {
              FullRevelation(make_table(2, {0.0, 1.0, 1.0, 3.0}), two);
            }).find("submodular"),
            std::string::npos);
  EXPECT_NE(rejection([&] {
              FullRevelation(make_table(2, {0.5, 1.0, 1.0, 1.5}), two);
            }).find("f(∅)"),
            std::string::npos);
  EXPECT_NE(rejection([&] {
              FullRevelation(make_table(2, {0.0, 1.0, 1.0, 0.5}), two);
            }).find("monotone"),
            std::string::npos);
  EXPECT_NE(rejection([&] { FullRevelation(UniformMatroid{2, -1}, two); }).find("k = -1"), std::string::npos);
  EXPECT_NE(rejection([] { parse_oracle_method("exact"); }).find("oracle method = exact"), std::string::npos);
  for (const auto method : {OracleMethod::automatic, OracleMethod::enumerate, OracleMethod::poisson_binomial,
                            OracleMethod::click_product, OracleMethod::monte_carlo}) {
    EXPECT_EQ(parse_oracle_method(to_string(method)), method);
  }
  const FullRevelation fr(make_uniform(2, 1), two);
  std::vector<double> out(2);
  EXPECT_NE(rejection([&] { fr.vertex(std::vector<int>{1, 1}, out); }).find("priority order"), std::string::npos);
  EXPECT_NE(rejection([&] { fr.rank(std::vector<int>{2}); }).find("coalition member = 2"), std::string::npos);
  EXPECT_NE(rejection([&] {
              scenario_rank(make_uniform(2, 1), std::vector<double>{1.0, -1.0}, {});
            }).find("scenario value[1]"),
            std::string::npos);
}

}  // namespace
}  // namespace mechsweep::persuasion
