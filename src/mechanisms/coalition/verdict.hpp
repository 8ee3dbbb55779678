#pragma once
// Verdicts (spec 001 §2 table, §4.3): three-valued answers per (environment, f)
// and per (environment, f, pattern), built from the IC table, the
// monotonicity engine and the interior/CNTI tests.
//
//   target                 YES if                                  NO if                      else
//   robust coalitional     RCIC ∧ RCM ∧ interior (Thm 1)           ¬RCIC or ¬RCM (Props 1–2)  UNKNOWN
//   robust 𝒮, 𝒮 ≠ 𝒮̲        R𝒮IC ∧ R𝒮M ∧ interior (Thm 2)           ¬R𝒮IC (Prop 1′)            UNKNOWN
//   robust 𝒮̲ (B&M 2011)    EPIC ∧ RM ∧ interior, or RM ∧ CNTI       ¬EPIC or ¬RM               UNKNOWN
//
// ¬R𝒮M is not a proven NO for 𝒮 ≠ 𝒮̲ (spec §6.1 item 9), and an R𝒮M found
// TRUE on reflexive deceptions only (a heuristic) is not a proven YES. The
// interior property is the §5.5 sufficient test, which covers every pattern.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "mechanisms/coalition/ic.hpp"
#include "mechanisms/coalition/interior.hpp"
#include "mechanisms/coalition/monotonicity.hpp"
#include "mechanisms/coalition/pattern.hpp"

namespace mechsweep::coalition {

enum class Verdict : std::uint8_t { no = 0, yes = 1, unknown = 2 };
inline constexpr std::array<std::string_view, 3> kVerdictLabels = {"NO", "YES", "UNKNOWN"};

Verdict robust_coalitional_verdict(bool rcic, Truth rcm, bool interior);
Verdict robust_pattern_verdict(bool rsic, const MonotonicityResult& rsm, bool interior);
Verdict bergemann_morris_verdict(bool epic, Truth rm, bool interior, bool cnti);

struct PatternAnalysis {
  bool rsic = false;
  MonotonicityResult rsm;
  Verdict verdict = Verdict::unknown;
};

struct InstanceAnalysis {
  IcTable ic;
  MonotonicityResult rm;
  MonotonicityResult rcm;
  InteriorTest interior;
  CntiResult cnti;
  Verdict coalitional = Verdict::unknown;
  Verdict bergemann_morris = Verdict::unknown;
  std::vector<PatternAnalysis> patterns;  // in the order given
  SolverCounters counters;
};

struct AnalysisOptions {
  // Off: IC, the interior test and CNTI only; every monotonicity result is
  // UNDETERMINED with zero counts (for sizes whose deceptions are too many).
  bool monotonicity = true;
  MonotonicityOptions limits;
};

// Everything about one (environment, f), reusing IC flags and clauses across
// the patterns (spec §4.4).
InstanceAnalysis analyse(const Instance& instance, std::span<const Pattern> patterns,
                         const AnalysisOptions& options = {});

}  // namespace mechsweep::coalition
