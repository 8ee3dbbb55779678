#pragma once
// The result columns both coalition experiments must declare (test-only):
// spec 001 §4.3's per-(environment, f) record and its per-pattern record.

#include <string>
#include <vector>

namespace mechsweep::testing {

inline const std::vector<std::string> kCoalitionInstanceColumns = {"epic",
                                                                   "rcic",
                                                                   "weak_pareto",
                                                                   "ic_violations",
                                                                   "rm",
                                                                   "rm_unacceptable",
                                                                   "rm_undissolved",
                                                                   "rcm",
                                                                   "rcm_dissolved",
                                                                   "rcm_undissolved",
                                                                   "interior",
                                                                   "interior_margin",
                                                                   "cnti",
                                                                   "cnti_failing_points",
                                                                   "verdict_coalitional",
                                                                   "verdict_bergemann_morris",
                                                                   "coalition_value",
                                                                   "coalition_cost",
                                                                   "lps",
                                                                   "milps",
                                                                   "clauses",
                                                                   "ic_holds",
                                                                   "ic_pairs",
                                                                   "rm_witness",
                                                                   "rcm_witness"};

inline const std::vector<std::string> kCoalitionPatternColumns = {"pattern_bits",
                                                                  "pattern_size",
                                                                  "rsic",
                                                                  "rsm",
                                                                  "rsm_heuristic",
                                                                  "rsm_unacceptable",
                                                                  "rsm_by_singleton",
                                                                  "rsm_only_by_coalition",
                                                                  "rsm_undissolved",
                                                                  "rsm_undetermined",
                                                                  "rsm_largest_needed",
                                                                  "verdict"};

}  // namespace mechsweep::testing
