#include "mechanisms/coalition/verdict.hpp"

#include <optional>

namespace mechsweep::coalition {

Verdict robust_coalitional_verdict(bool rcic, Truth rcm, bool interior) {
  if (!rcic || rcm == Truth::no) return Verdict::no;
  return rcm == Truth::yes && interior ? Verdict::yes : Verdict::unknown;
}

Verdict robust_pattern_verdict(bool rsic, const MonotonicityResult& rsm, bool interior) {
  if (!rsic) return Verdict::no;
  return rsm.holds == Truth::yes && !rsm.heuristic && interior ? Verdict::yes : Verdict::unknown;
}

Verdict bergemann_morris_verdict(bool epic, Truth rm, bool interior, bool cnti) {
  if (!epic || rm == Truth::no) return Verdict::no;
  return rm == Truth::yes && (interior || cnti) ? Verdict::yes : Verdict::unknown;
}

InstanceAnalysis analyse(const Instance& instance, std::span<const Pattern> patterns, const AnalysisOptions& options) {
  // Built only when needed: its constructor rejects sizes beyond its tables.
  std::optional<MonotonicityEngine> engine;
  if (options.monotonicity) engine.emplace(instance, options.limits);
  MonotonicityResult skipped;
  skipped.holds = Truth::undetermined;
  const auto decide = [&](auto&& run) { return options.monotonicity ? run() : skipped; };
  InstanceAnalysis analysis{IcTable(instance),
                            decide([&] { return engine->robust_monotonicity(); }),
                            decide([&] { return engine->robust_coalitional_monotonicity(); }),
                            interior_reward_test(instance),
                            conditional_no_total_indifference(instance),
                            Verdict::unknown,
                            Verdict::unknown,
                            {},
                            {}};
  const bool interior = analysis.interior.passes;
  analysis.coalitional = robust_coalitional_verdict(analysis.ic.rcic(), analysis.rcm.holds, interior);
  analysis.bergemann_morris =
      bergemann_morris_verdict(analysis.ic.epic(), analysis.rm.holds, interior, analysis.cnti.holds);
  const Pattern minimal = Pattern::singletons(instance.agents());
  for (const Pattern& pattern : patterns) {
    PatternAnalysis entry;
    entry.rsic = analysis.ic.holds_for(pattern);
    if (pattern == minimal) {
      entry.rsm = analysis.rm;
      entry.verdict = analysis.bergemann_morris;
    } else {
      entry.rsm = decide([&] { return engine->pattern_monotonicity(pattern); });
      entry.verdict = robust_pattern_verdict(entry.rsic, entry.rsm, interior);
    }
    analysis.patterns.push_back(std::move(entry));
  }
  if (engine) analysis.counters = engine->counters();
  return analysis;
}

}  // namespace mechsweep::coalition
