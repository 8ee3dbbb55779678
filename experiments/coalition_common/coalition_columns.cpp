#include "experiments/coalition_common/coalition_columns.hpp"

#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "mechanisms/coalition/deception.hpp"

namespace mechsweep::experiments::coalition_columns {

namespace co = mechsweep::coalition;

namespace {

double flag(bool value) { return value ? 1.0 : 0.0; }
double code(co::Truth truth) { return static_cast<double>(static_cast<std::uint8_t>(truth)); }
double code(co::Verdict verdict) { return static_cast<double>(static_cast<std::uint8_t>(verdict)); }
double count(std::uint64_t value) { return static_cast<double>(value); }

// β as masks per (agent, type); zeros when every unacceptable β is dissolved.
std::vector<double> witness(const co::MonotonicityResult& result, int agents, int types) {
  std::vector<double> masks(static_cast<std::size_t>(agents) * types, 0.0);
  if (!result.first_undissolved) return masks;
  for (int i = 0; i < agents; ++i) {
    for (int t = 0; t < types; ++t) masks[i * types + t] = static_cast<double>((*result.first_undissolved)[i][t]);
  }
  return masks;
}

ColumnSpec ragged(ColumnSpec spec, LengthOf length) {
  spec.ragged_length = std::move(length);
  return spec;
}

}  // namespace

std::vector<ColumnSpec> columns(LengthOf agents, LengthOf types, LengthOf patterns) {
  const LengthOf coalitions = [agents](const ParamPoint& point) { return (std::size_t{1} << agents(point)) - 1; };
  const LengthOf agent_types = [agents, types](const ParamPoint& point) { return agents(point) * types(point); };
  return {
      integer_column("epic", "1 if f is ex-post IC (R𝒮̲IC: IC({i}) for every agent)"),
      integer_column("rcic", "1 if f is robustly coalitionally IC (IC(S) for every coalition S)"),
      integer_column("weak_pareto", "1 if f is ex-post weakly Pareto efficient within f(Θ) (= IC(I))"),
      integer_column("ic_violations", "violating (S, θ*_S, θ'_S) triples over every coalition S"),
      integer_column("rm", "robust monotonicity (Bergemann–Morris): 0 = FALSE, 1 = TRUE, 2 = UNDETERMINED"),
      integer_column("rm_unacceptable", "unacceptable reflexive deception profiles (RM)"),
      integer_column("rm_dissolved", "of those, dissolved by a singleton with the B&M reward set"),
      integer_column("rm_undissolved", "of those, not dissolved (RM fails iff > 0)"),
      integer_column("rcm", "robust coalitional monotonicity: 0 = FALSE, 1 = TRUE, 2 = UNDETERMINED"),
      integer_column("rcm_unacceptable", "unacceptable reflexive deception profiles (RCM)"),
      integer_column("rcm_dissolved", "of those, dissolved by a singleton with the coalitional reward set Y_i"),
      integer_column("rcm_undissolved", "of those, not dissolved (RCM fails iff > 0)"),
      integer_column("interior", "1 if the §5.5 sufficient interior test passes (0 means unknown, not false)"),
      real_column("interior_margin", "min over agents of the interior LP margin t*_i; −inf when W is empty"),
      integer_column("cnti", "1 if conditional no total indifference (Def 12) holds"),
      integer_column("cnti_failing_points", "(i, θ_i, θ'_{−i}) points where CNTI fails"),
      integer_column("verdict_coalitional", "robust coalitional implementation: 0 = NO, 1 = YES, 2 = UNKNOWN"),
      integer_column("verdict_bergemann_morris",
                     "robust 𝒮̲ (Bergemann–Morris) implementation: 0 = NO, 1 = YES, 2 = UNKNOWN"),
      integer_column("coalition_value",
                     "1 if some pattern's verdict is YES while verdict_bergemann_morris is NO (spec §4.3)"),
      integer_column("coalition_cost",
                     "1 if verdict_bergemann_morris is YES and some pattern's R𝒮IC fails (spec §4.3)"),
      integer_column("lps", "LPs solved (RM, RCM and every pattern; cached clauses count once)"),
      integer_column("milps", "MILPs solved"),
      integer_column("clauses", "distinct whistle-blowing clauses decided"),
      ragged(integer_column("ic_holds", "per coalition mask 1..2^n−1 (bit i = agent i): 1 if IC(S) holds"), coalitions),
      ragged(integer_column("ic_pairs", "per coalition mask 1..2^n−1: violating (θ*_S, θ'_S) pairs"), coalitions),
      ragged(integer_column("rm_witness",
                            "per (agent i, type t), entry i·k + t: the first reflexive deception RM leaves "
                            "undissolved, as the report mask β_i(t) (bit r = report r); all 0 if RM holds"),
             agent_types),
      ragged(integer_column("rcm_witness", "the same for RCM (the coalitional reward set Y_i)"), agent_types),
      ragged(integer_column("pattern_bits",
                            "per pattern: its non-singleton coalitions as bits (ordinal in increasing mask order)"),
             patterns),
      ragged(integer_column("pattern_size", "per pattern: number of coalitions, singletons included"), patterns),
      ragged(integer_column("rsic", "per pattern: 1 if R𝒮IC holds"), patterns),
      ragged(integer_column("rsm", "per pattern: R𝒮M, 0 = FALSE, 1 = TRUE, 2 = UNDETERMINED"), patterns),
      ragged(integer_column("rsm_heuristic",
                            "per pattern: 1 if R𝒮M enumerated reflexive deceptions only where that is not proven"),
             patterns),
      ragged(integer_column("rsm_unacceptable", "per pattern: unacceptable deception profiles enumerated"), patterns),
      ragged(integer_column("rsm_by_singleton", "per pattern: dissolved by some singleton"), patterns),
      ragged(integer_column("rsm_only_by_coalition",
                            "per pattern: dissolved only by a non-singleton coalition (value of coalitions)"),
             patterns),
      ragged(integer_column("rsm_undissolved", "per pattern: not dissolved by any S ∈ 𝒮"), patterns),
      ragged(integer_column("rsm_undetermined", "per pattern: dissolution undetermined (sandwich gap)"), patterns),
      ragged(integer_column("rsm_largest_needed",
                            "per pattern: max over β of the smallest dissolving |S| (0 if none dissolved)"),
             patterns),
      ragged(integer_column("verdict", "per pattern: robust 𝒮 implementation, 0 = NO, 1 = YES, 2 = UNKNOWN"), patterns),
  };
}

void record(const co::Instance& instance, const co::InstanceAnalysis& analysis, std::span<const co::Pattern> patterns,
            ResultRow& row) {
  if (patterns.size() != analysis.patterns.size()) {
    throw std::logic_error("coalition columns: " + std::to_string(patterns.size()) + " patterns but " +
                           std::to_string(analysis.patterns.size()) + " analyses");
  }
  const co::IcTable& ic = analysis.ic;
  row.set("epic", flag(ic.epic()));
  row.set("rcic", flag(ic.rcic()));
  row.set("weak_pareto", flag(ic.weak_pareto_within_image()));
  row.set("ic_violations", count(ic.total_violations()));
  row.set("rm", code(analysis.rm.holds));
  row.set("rm_unacceptable", count(analysis.rm.unacceptable));
  row.set("rm_dissolved", count(analysis.rm.dissolved));
  row.set("rm_undissolved", count(analysis.rm.undissolved));
  row.set("rcm", code(analysis.rcm.holds));
  row.set("rcm_unacceptable", count(analysis.rcm.unacceptable));
  row.set("rcm_dissolved", count(analysis.rcm.dissolved));
  row.set("rcm_undissolved", count(analysis.rcm.undissolved));
  row.set("interior", flag(analysis.interior.passes));
  row.set("interior_margin", analysis.interior.min_margin);
  row.set("cnti", flag(analysis.cnti.holds));
  row.set("cnti_failing_points", count(analysis.cnti.failing_points));
  row.set("verdict_coalitional", code(analysis.coalitional));
  row.set("verdict_bergemann_morris", code(analysis.bergemann_morris));
  bool some_yes = false;
  bool some_rsic_fails = false;
  for (const co::PatternAnalysis& p : analysis.patterns) {
    some_yes = some_yes || p.verdict == co::Verdict::yes;
    some_rsic_fails = some_rsic_fails || !p.rsic;
  }
  row.set("coalition_value", flag(some_yes && analysis.bergemann_morris == co::Verdict::no));
  row.set("coalition_cost", flag(analysis.bergemann_morris == co::Verdict::yes && some_rsic_fails));
  row.set("lps", count(analysis.counters.lps));
  row.set("milps", count(analysis.counters.milps));
  row.set("clauses", count(analysis.counters.clauses));

  const int n = instance.agents();
  const int types = instance.profiles().types(0);
  std::vector<double> holds;
  std::vector<double> pairs;
  const auto last = static_cast<co::Coalition>((std::uint64_t{1} << n) - 1);
  for (co::Coalition s = 1; s <= last; ++s) {
    holds.push_back(flag(ic.of(s).holds));
    pairs.push_back(count(ic.of(s).violations));
  }
  row.set_ragged("ic_holds", std::move(holds));
  row.set_ragged("rm_witness", witness(analysis.rm, n, types));
  row.set_ragged("rcm_witness", witness(analysis.rcm, n, types));
  row.set_ragged("ic_pairs", std::move(pairs));

  const std::size_t size = patterns.size();
  std::vector<double> bits(size), members(size), rsic(size), rsm(size), heuristic(size), unacceptable(size),
      by_singleton(size), only_by_coalition(size), undissolved(size), undetermined(size), largest(size), verdict(size);
  for (std::size_t k = 0; k < size; ++k) {
    const co::PatternAnalysis& p = analysis.patterns[k];
    bits[k] = count(patterns[k].non_singleton_bits());
    members[k] = count(patterns[k].size());
    rsic[k] = flag(p.rsic);
    rsm[k] = code(p.rsm.holds);
    heuristic[k] = flag(p.rsm.heuristic);
    unacceptable[k] = count(p.rsm.unacceptable);
    by_singleton[k] = count(p.rsm.dissolved_by_singleton);
    only_by_coalition[k] = count(p.rsm.dissolved_only_by_coalition);
    undissolved[k] = count(p.rsm.undissolved);
    undetermined[k] = count(p.rsm.undetermined);
    largest[k] = static_cast<double>(p.rsm.largest_needed_coalition);
    verdict[k] = code(p.verdict);
  }
  row.set_ragged("pattern_bits", std::move(bits));
  row.set_ragged("pattern_size", std::move(members));
  row.set_ragged("rsic", std::move(rsic));
  row.set_ragged("rsm", std::move(rsm));
  row.set_ragged("rsm_heuristic", std::move(heuristic));
  row.set_ragged("rsm_unacceptable", std::move(unacceptable));
  row.set_ragged("rsm_by_singleton", std::move(by_singleton));
  row.set_ragged("rsm_only_by_coalition", std::move(only_by_coalition));
  row.set_ragged("rsm_undissolved", std::move(undissolved));
  row.set_ragged("rsm_undetermined", std::move(undetermined));
  row.set_ragged("rsm_largest_needed", std::move(largest));
  row.set_ragged("verdict", std::move(verdict));
}

std::vector<co::Pattern> named_patterns(int agents) {
  return {co::Pattern::singletons(agents), co::Pattern::all(agents),
          co::Pattern::with_singletons(agents, {co::all_agents(agents)})};
}

std::uint64_t reflexive_deception_profiles(int agents, int types) {
  const std::uint64_t per_agent = co::deception_count(types, true);
  std::uint64_t total = 1;
  for (int i = 0; i < agents; ++i) {
    if (per_agent != 0 && total > std::numeric_limits<std::uint64_t>::max() / per_agent) {
      return std::numeric_limits<std::uint64_t>::max();
    }
    total *= per_agent;
  }
  return total;
}

void check_deception_size(int agents, int types, std::vector<std::string> blamed, const std::string& hint) {
  const std::uint64_t profiles = reflexive_deception_profiles(agents, types);
  if (profiles > kMaxReflexiveProfiles) {
    std::ostringstream message;
    message << "coalition: " << agents << " agents with " << types << " types each have " << profiles
            << " reflexive deception profiles (2^{k(k−1)})^n, more than the " << kMaxReflexiveProfiles
            << " the monotonicity checks can enumerate in reasonable time (minutes or more a task); " << hint;
    throw InvalidParams(std::move(blamed), message.str());
  }
}

}  // namespace mechsweep::experiments::coalition_columns
