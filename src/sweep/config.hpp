#pragma once
// YAML sweep configs → SweepPlan. The one place configs are parsed and checked.
//
//   experiment: testdesign.evaluate     # a name from `mechsweep list`
//   seed: 12345                         # run seed (unsigned 64-bit, decimal)
//   description: free text              # optional
//   params:                             # fixed parameters; omitted ones take defaults
//     setting: manipulation
//   sweep:                              # axes, outermost first
//     angle_deg: [30, 45, 60]           # a list
//     cost_scale: {linspace: [0.5, 2, 4]}   # numpy.linspace: n values, both ends included
//     shift_a:  {logspace: [-1, 0, 3]}  # 10^-1 .. 10^0 (numpy convention: exponents)
//     dist_scale: {geomspace: [0.1, 10, 3]} # 0.1 .. 10 geometrically (numpy.geomspace)
//     q: {range: [0.1, 0.9, 0.2]}       # a, a+step, ... up to b inclusive (with tolerance)
//     x: {random: {dist: uniform, low: 0, high: 1, n: 5}}
//     zip:                              # one group of axes that advance together
//       shift_a: [0, 1]
//       shift_b: [0, 1]
//
// Top-level keys: experiment and seed (required), params, sweep, description.
// A parameter is either fixed (params:) or swept (sweep:), never both.
//
// Tasks: the Cartesian product of the axis groups in config order, the last
// varying fastest; a zip group is one factor, at the place of its `zip:` key.
// `zip:` holds one map of axes or a list of such maps (several groups). Task k
// has seed derive_seed(run_seed, k).
//
// Axes:
//   [v, ...]                     the values as given (choice parameters: labels only)
//   linspace: [a, b, n]          a + i*(b-a)/(n-1), last value exactly b
//   logspace: [a, b, n]          10^linspace(a, b, n)
//   geomspace: [a, b, n]         a .. b with a constant ratio; a, b nonzero, same sign
//   range: [a, b, step]          a + i*step while not past b, within 1e-9*|step|;
//                                step may be negative, not zero
//   random: {dist, n, ...}       uniform (low, high), loguniform (low > 0, high),
//                                normal (mean, sd > 0), integer (low, high inclusive)
// Random values come from boost::random::mt19937_64 seeded with
// derive_seed(run_seed, fnv1a64("axis:<parameter>")) through the
// boost::random distributions (stable across platforms, unlike std::), so
// they depend on the run seed and the parameter's name, not on the other
// axes; a larger n extends the same sequence. loguniform = exp(uniform(log
// low, log high)). Generated values for integer parameters must be integral
// (up to 1e-9 relative rounding), else it is an error.
//
// Values: scalars are read by their text (quoting does not matter). A real
// parameter takes any finite number; an integer one any integral number (3,
// 3.0, 1e8); a choice one only its labels. Values outside [min, max], NaN and
// infinities are errors, for generated values as for given ones.
//
// Limits (to catch typos): at most 10^7 values on one axis and 10^9 tasks.
//
// Overrides (`--set dotted.key=value`, value parsed as YAML): the dotted key
// names a path into the config (list items by index, e.g. sweep.zip.1.x);
// missing maps are created, an existing value is replaced whole, a new key
// goes last. A parameter set by an override (params.x, sweep.x, sweep.zip.x,
// sweep.zip.<i>.x, or every parameter of a whole params/sweep/zip value) is
// first removed from every other place in params and sweep, so it ends up
// exactly where the override put it: `params.x=3` on a swept x fixes it,
// `sweep.x=[1,2]` on a fixed x sweeps it. A zip group left empty by such a
// move is dropped.
//
// Canonical text: the effective config (file plus overrides) re-emitted as
// block-style YAML, keys in their given order, comments dropped; this is
// config_text(), and plan_from_text(plan.config_text()) rebuilds the same
// tasks, seeds and text.
//
// Every error is an InputError naming the place ("file:line" of the offending
// node, "--set" for an override, or the parser's line for a YAML syntax
// error), the dotted key (e.g. "sweep.angle_deg") and what was found against
// what was expected; nothing is created or written before the config
// validates.

#include <filesystem>
#include <span>
#include <string>

#include "sweep/plan.hpp"

namespace mechsweep {

// Reads `file`, applies `overrides` ("dotted.key=yaml-value", like Hydra), and
// validates. Throws InputError (exit status 2).
SweepPlan load_plan(const std::filesystem::path& file, std::span<const std::string> overrides);

// Rebuilds a plan from config text recorded in a store; `origin` names the
// store in error messages.
SweepPlan plan_from_text(const std::string& text, const std::string& origin);

}  // namespace mechsweep
