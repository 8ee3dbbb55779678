#pragma once
// Result columns shared by the coalition experiments (paper 001, spec 001
// §4.3): coalition.patterns and coalition.examples both evaluate one
// (environment, f) against a list of coalition patterns with
// coalition::analyse and store the InstanceAnalysis through record().
//
// Codes of the three-valued columns:
//   Truth    (rm, rcm, rsm)                     0 = FALSE, 1 = TRUE, 2 = UNDETERMINED
//   Verdict  (verdict_*, per-pattern verdict)   0 = NO,    1 = YES,  2 = UNKNOWN
//
// Scalar columns, once per (environment, f):
//   epic, rcic, weak_pareto, ic_violations          IC table (spec §1.8)
//   rm, rm_unacceptable, rm_dissolved, rm_undissolved
//   rcm, rcm_unacceptable, rcm_dissolved, rcm_undissolved
//                                                    reflexive deceptions (spec §2.2)
//   interior, interior_margin                        the §5.5 sufficient test
//   cnti, cnti_failing_points                        Def 12
//   verdict_coalitional, verdict_bergemann_morris    spec §2 table
//   coalition_value, coalition_cost                  spec §4.3 aggregates, per instance
//   lps, milps, clauses                              solver work
// Ragged columns:
//   per coalition mask 1..2^n−1:  ic_holds, ic_pairs
//   per (agent i, type t), entry i·k + t:  rm_witness, rcm_witness — the first
//     undissolved deception's report mask β_i(t) (bit r = report r), all 0 if none
//   per pattern (in the order given): pattern_bits, pattern_size, rsic, rsm,
//     rsm_heuristic, rsm_unacceptable, rsm_by_singleton, rsm_only_by_coalition,
//     rsm_undissolved, rsm_undetermined, rsm_largest_needed, verdict

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/verdict.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments::coalition_columns {

// A quantity that depends on the parameters only (the number of agents, the
// number of patterns), as the ragged columns need.
using LengthOf = std::function<std::size_t(const ParamPoint&)>;

// The shared columns. `agents` gives n (coalition columns have 2^n − 1
// entries), `types` k (deception witnesses have n·k), `patterns` the number of
// patterns a point is evaluated against.
std::vector<ColumnSpec> columns(LengthOf agents, LengthOf types, LengthOf patterns);

// Writes every shared column. `patterns` are those handed to analyse, in the
// same order.
// Every agent must have the same number of types (as in both experiments).
void record(const coalition::Instance& instance, const coalition::InstanceAnalysis& analysis,
            std::span<const coalition::Pattern> patterns, ResultRow& row);

// [singletons, all, grand (𝒮̲ ∪ {I})], duplicates kept (for n ≤ 2 some coincide),
// so that the list always has 3 entries.
std::vector<coalition::Pattern> named_patterns(int agents);
inline constexpr std::size_t kNamedPatterns = 3;

// Reflexive deception profiles (2^{k(k−1)})^n, saturating at UINT64_MAX.
std::uint64_t reflexive_deception_profiles(int agents, int types);
// RM and RCM enumerate every reflexive profile, and R𝒮M does too when all
// profiles exceed 2,000,000 (spec §2.2, monotonicity.hpp). Measured (Release,
// one core): n = 2, k = 3 (4,096 reflexive, 117,649 in all) takes 5–10 s a
// task; n = 3, k = 3 (262,144 reflexive) more than 4 minutes; so validate()
// rejects anything above 100,000.
inline constexpr std::uint64_t kMaxReflexiveProfiles = 100'000;

// Throws InvalidParams naming `blamed` when the reflexive deception profiles of
// n agents with k types each exceed kMaxReflexiveProfiles; `hint` ends the
// message (what to change).
void check_deception_size(int agents, int types, std::vector<std::string> blamed,
                          const std::string& hint = "use fewer agents or types");

}  // namespace mechsweep::experiments::coalition_columns
