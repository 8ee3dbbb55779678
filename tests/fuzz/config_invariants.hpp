#pragma once
// What must hold for any config text (the fuzz target's oracle, replayed over
// the checked-in corpus by fuzz_corpus_test in every normal build):
//  - it is accepted, or rejected with mechsweep::InputError; any other
//    exception escapes to the caller, which counts it as a bug;
//  - an accepted config has tasks, and its first, middle and last tasks have
//    every parameter and a seed;
//  - its canonical text rebuilds the same plan (what `resume` relies on).

#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "sweep/config.hpp"

namespace mechsweep::fuzz {

// "" when every invariant holds, else the one that does not.
inline std::string config_invariant_violation(const std::string& text) {
  std::uint64_t tasks = 0;
  std::string canonical;
  std::uint64_t run_seed = 0;
  try {
    const SweepPlan plan = plan_from_text(text, "fuzz");
    tasks = plan.task_count();
    if (tasks == 0) return "an accepted plan has no tasks";
    for (const std::uint64_t task : {std::uint64_t{0}, tasks / 2, tasks - 1}) {
      if (plan.point(task).size() != plan.experiment().info().params.size()) return "a task lacks parameters";
      (void)plan.task_seed(task);
    }
    canonical = plan.config_text();
    run_seed = plan.run_seed();
  } catch (const InputError&) {
    return "";  // rejected, as most fuzzed text is
  }
  try {
    const SweepPlan again = plan_from_text(canonical, "canonical");
    if (again.config_text() != canonical || again.task_count() != tasks || again.run_seed() != run_seed) {
      return "the canonical text does not rebuild the same plan";
    }
  } catch (const InputError& error) {
    return std::string("the canonical text is rejected: ") + error.what();
  }
  return "";
}

}  // namespace mechsweep::fuzz
