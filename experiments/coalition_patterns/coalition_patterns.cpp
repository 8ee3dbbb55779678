// coalition.patterns: one (environment, f) of paper 001 (robust coalitional
// implementation, spec 001 §4) evaluated against every pattern of a family.
// The task is the natural work unit of spec §4.4: the IC table and the
// monotonicity clauses are computed once and shared by all the patterns.
//
//   parameter            type     default    range / choices              meaning
//   agents               integer  2          1..4                         n
//   types                integer  2          1..3                         k = |Θ_i|, the same for every agent
//   outcomes             integer  3          1..8                         m = |X|
//   utility_model        choice   iid        iid | private | common       random_instances.hpp
//   scf_family           choice   efficient  efficient | dictatorial | constant | random | enumerated
//   scf_index            integer  0          ≥ 0, < m^{k^n}               enumerated only: which deterministic SCF
//   pattern_family       choice   named      see below
//   pattern_probability  real     0.5        [0, 1]                       random: inclusion probability
//   pattern_count        integer  8          1..256                       random: number of patterns
//   replicate            integer  0          ≥ 0                          a label for replications (unused)
//
//   pattern_family       patterns (the length of every per-pattern column)
//   named                [singletons 𝒮̲, all 𝒮̄, grand 𝒮̲ ∪ {I}]: always 3 (they coincide for small n)
//   size_bounded         𝒮_{≤q}, q = 1..n: n
//   party_blocks         𝒮̲ ∪ {blocks of P}, one per set partition P (restricted growth order): Bell(n)
//   party_subsets        𝒮̲ ∪ {subsets of blocks of P}, same order: Bell(n)
//   connected            connected coalitions of graph g = 0..2^{C(n,2)}−1, edges (i<j) in lexicographic
//                        order, bit e of g ⇔ edge e: 2^{C(n,2)}
//   labeled              every labeled pattern (n ≤ 3): 2^{2^n−n−1}
//   isomorphism_classes  one pattern per class (n ≤ 4; k = 2 for n = 4): 1, 2, 8, 180
//   random               pattern_count patterns, each non-singleton with probability pattern_probability
//
// Seeds: the environment and the random SCF come from derive_seed(seed,
// kEnvironmentStream), random pattern k from derive_seed(seed, k).
// Columns: experiments/coalition_common/coalition_columns.hpp.

#include <array>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/seed.hpp"
#include "experiments/coalition_common/coalition_columns.hpp"
#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/random_instances.hpp"
#include "mechanisms/coalition/verdict.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace co = mechsweep::coalition;
namespace cols = coalition_columns;

// Far from the pattern streams 0..255.
constexpr std::uint64_t kEnvironmentStream = 0xC0A1'E7E1'0000'0001ULL;

const std::vector<std::string> kFamilies = {"named",     "size_bounded", "party_blocks",        "party_subsets",
                                            "connected", "labeled",      "isomorphism_classes", "random"};

template <std::size_t N>
std::vector<std::string> labels(const std::array<std::string_view, N>& all) {
  return {all.begin(), all.end()};
}

template <std::size_t N>
std::size_t label_index(const std::array<std::string_view, N>& all, const std::string& label) {
  for (std::size_t i = 0; i < N; ++i) {
    if (all[i] == label) return i;
  }
  throw std::invalid_argument("coalition.patterns: unknown label " + label);
}

int agents_of(const ParamPoint& point) { return static_cast<int>(point.integer("agents")); }

std::size_t bell(int n) {
  static constexpr std::size_t kBell[] = {1, 1, 2, 5, 15};
  return kBell[n];
}

std::size_t pattern_count_of(const ParamPoint& point) {
  const int n = agents_of(point);
  const std::string& family = point.choice("pattern_family");
  if (family == "named") return cols::kNamedPatterns;
  if (family == "size_bounded") return static_cast<std::size_t>(n);
  if (family == "party_blocks" || family == "party_subsets") return bell(n);
  if (family == "connected") return std::size_t{1} << (n * (n - 1) / 2);
  if (family == "labeled") return std::size_t{1} << ((1 << n) - n - 1);
  if (family == "isomorphism_classes") {
    static constexpr std::size_t kClasses[] = {1, 1, 2, 8, 180};
    return kClasses[n];
  }
  return static_cast<std::size_t>(point.integer("pattern_count"));
}

std::vector<co::Pattern> make_patterns(const ParamPoint& point, std::uint64_t seed) {
  const int n = agents_of(point);
  const std::string& family = point.choice("pattern_family");
  std::vector<co::Pattern> out;
  if (family == "named") return cols::named_patterns(n);
  if (family == "size_bounded") {
    for (int q = 1; q <= n; ++q) out.push_back(co::size_bounded(n, q));
  } else if (family == "party_blocks" || family == "party_subsets") {
    for (const co::Partition& partition : co::set_partitions(n)) {
      out.push_back(family == "party_blocks" ? co::party_blocks(partition) : co::party_subsets(partition));
    }
  } else if (family == "connected") {
    co::Edges edges;
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) edges.emplace_back(i, j);
    }
    for (std::uint64_t graph = 0; graph < (std::uint64_t{1} << edges.size()); ++graph) {
      co::Edges chosen;
      for (std::size_t e = 0; e < edges.size(); ++e) {
        if (((graph >> e) & 1U) != 0) chosen.push_back(edges[e]);
      }
      out.push_back(co::connected_coalitions(n, chosen));
    }
  } else if (family == "labeled") {
    out = co::all_labeled_patterns(n);
  } else if (family == "isomorphism_classes") {
    out = co::isomorphism_class_patterns(n);
  } else {
    const double p = point.real("pattern_probability");
    const auto count = static_cast<std::uint64_t>(point.integer("pattern_count"));
    for (std::uint64_t k = 0; k < count; ++k) out.push_back(co::random_pattern(n, p, derive_seed(seed, k)));
  }
  return out;
}

// m^{k^n}, saturating at 2^63 (the SCFs the enumerated family can index).
std::uint64_t scf_count(int agents, int types, int outcomes) {
  constexpr std::uint64_t kSaturated = std::uint64_t{1} << 63;
  std::uint64_t profiles = 1;
  for (int i = 0; i < agents; ++i) profiles *= static_cast<std::uint64_t>(types);
  std::uint64_t count = 1;
  const auto m = static_cast<std::uint64_t>(outcomes);
  for (std::uint64_t p = 0; p < profiles; ++p) {
    if (count > kSaturated / m) return kSaturated;
    count *= m;
  }
  return count;
}

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "coalition.patterns";
  info.summary =
      "Paper 001: IC, monotonicity and verdicts of one random (environment, f) under every pattern of a family";
  info.params = {
      integer_param("agents", 2, 1, 4, "n, the number of agents"),
      integer_param("types", 2, 1, 3, "k = |Θ_i| payoff types, the same for every agent"),
      integer_param("outcomes", 3, 1, 8, "m = |X| deterministic outcomes"),
      choice_param("utility_model", "iid", labels(co::kUtilityModelLabels),
                   "iid: U[i][θ][x] uniform on {0..9}; private: u_i(x, θ_i); common: the same u(x, θ) for all"),
      choice_param("scf_family", "efficient", labels(co::kScfFamilyLabels),
                   "efficient: argmax Σu_i; dictatorial: argmax u_1; constant: outcome 0; random: uniform "
                   "outcome per θ; enumerated: the scf_index-th deterministic SCF"),
      integer_param("scf_index", 0, 0, 1e18, "scf_family enumerated only: index < m^{k^n} of the deterministic SCF"),
      choice_param("pattern_family", "named", kFamilies,
                   "named: [singletons, all, grand]; size_bounded: q = 1..n; party_blocks / party_subsets: one "
                   "per set partition; connected: one per labeled graph; labeled (n ≤ 3); isomorphism_classes "
                   "(n ≤ 4, k = 2 at n = 4); random: pattern_count random patterns"),
      real_param("pattern_probability", 0.5, 0.0, 1.0,
                 "pattern_family random: probability that each non-singleton coalition is in a pattern"),
      integer_param("pattern_count", 8, 1, 256, "pattern_family random: number of patterns"),
      integer_param("replicate", 0, 0, 1e9,
                    "replication label only (sweep it to draw several instances per cell; the draws come from "
                    "the task seed)"),
  };
  info.columns =
      cols::columns([](const ParamPoint& p) { return static_cast<std::size_t>(agents_of(p)); },
                    [](const ParamPoint& p) { return static_cast<std::size_t>(p.integer("types")); }, pattern_count_of);
  return info;
}

class CoalitionPatterns final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void validate(const ParamPoint& point) const override {
    const int n = agents_of(point);
    const int k = static_cast<int>(point.integer("types"));
    const int m = static_cast<int>(point.integer("outcomes"));
    cols::check_deception_size(n, k, {"types", "agents"});
    const std::string& family = point.choice("pattern_family");
    if (family == "labeled" && n > 3) {
      throw InvalidParams(std::vector<std::string>{"pattern_family", "agents"},
                          "coalition.patterns: pattern_family labeled has 2048 patterns at 4 agents, too many to "
                          "check monotonicity for each; use it with agents ≤ 3, or isomorphism_classes");
    }
    if (family == "isomorphism_classes" && n == 4 && k != 2) {
      throw InvalidParams(std::vector<std::string>{"pattern_family", "types", "agents"},
                          "coalition.patterns: pattern_family isomorphism_classes at 4 agents (180 patterns) "
                          "needs types = 2");
    }
    if (point.choice("scf_family") == "enumerated") {
      const std::uint64_t count = scf_count(n, k, m);
      const auto index = static_cast<std::uint64_t>(point.integer("scf_index"));
      if (index >= count) {
        std::ostringstream message;
        message << "coalition.patterns: scf_index " << index << " is outside [0, m^{k^n} = " << count << "): there are "
                << count << " deterministic SCFs with m = " << m << " outcomes and " << k << "^" << n
                << " type profiles";
        throw InvalidParams("scf_index", message.str());
      }
    }
  }

  void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const override {
    validate(point);
    const int n = agents_of(point);
    const std::vector<int> types(static_cast<std::size_t>(n), static_cast<int>(point.integer("types")));
    const auto model =
        static_cast<co::UtilityModel>(label_index(co::kUtilityModelLabels, point.choice("utility_model")));
    const auto family = static_cast<co::ScfFamily>(label_index(co::kScfFamilyLabels, point.choice("scf_family")));
    const co::Instance instance = co::random_instance(types, static_cast<int>(point.integer("outcomes")), model, family,
                                                      derive_seed(seed, kEnvironmentStream),
                                                      static_cast<std::uint64_t>(point.integer("scf_index")));
    const std::vector<co::Pattern> patterns = make_patterns(point, seed);
    const co::InstanceAnalysis analysis = co::analyse(instance, patterns);
    cols::record(instance, analysis, patterns, row);
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::CoalitionPatterns)
