// synthetic.trivial: a mechanism-free experiment for exercising the runner.
// Tasks cost as much as `spin` asks, can be told to fail, and write a ragged
// column, so scheduling, failure handling, ragged storage and tasks-per-second
// can be measured and tested without any paper's math in the way.
//
// | parameter | type    | default | meaning                                              |
// |-----------|---------|---------|------------------------------------------------------|
// | x         | real    | 0       | copied into `y` (plus a seeded uniform draw)          |
// | n         | integer | 3       | length of the ragged column `draws`                   |
// | spin      | integer | 0       | iterations of deterministic busy work (cost knob)     |
// | failure   | choice  | none    | none, throw (the task throws), nan (y is NaN)         |

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <stdexcept>

#include "sweep/experiment.hpp"

namespace {

using namespace mechsweep;

class SyntheticTrivial final : public Experiment {
 public:
  const ExperimentInfo& info() const override { return info_; }

  void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const override {
    const std::string& failure = point.choice("failure");
    if (failure == "throw") throw std::runtime_error("synthetic failure requested by failure=throw");
    boost::random::mt19937_64 engine(seed);
    boost::random::uniform_01<double> uniform;
    const double u = uniform(engine);
    std::vector<double> draws(static_cast<std::size_t>(point.integer("n")));
    for (double& d : draws) d = uniform(engine);
    // A dependent chain the optimiser cannot remove: cost grows linearly in spin.
    std::uint64_t state = seed;
    for (std::int64_t i = 0; i < point.integer("spin"); ++i) state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    row.set("y", failure == "nan" ? std::nan("") : point.real("x") + u);
    row.set("u", u);
    row.set("checksum", static_cast<double>(state >> 40));
    row.set_ragged("draws", std::move(draws));
  }

 private:
  ExperimentInfo info_{
      "synthetic.trivial",
      "Runner test bed: cheap seeded draws, a cost knob, requested failures and a ragged column",
      {
          {"x", ParamType::real, 0.0, -1e12, 1e12, {}, "copied into y"},
          {"n", ParamType::integer, std::int64_t{3}, 0, 1e6, {}, "length of the ragged column draws"},
          {"spin", ParamType::integer, std::int64_t{0}, 0, 1e12, {}, "iterations of busy work per task"},
          {"failure", ParamType::choice, std::string("none"), 0, 0, {"none", "throw", "nan"},
           "make the task throw, or return NaN in y"},
      },
      {
          {"y", ColumnType::real, "x + u", false, {}},
          {"u", ColumnType::real, "first uniform draw from the task seed", false, {}},
          {"checksum", ColumnType::integer, "result of the busy work (top 24 bits)", false, {}},
          {"draws", ColumnType::real, "n further uniform draws (ragged)", false,
           [](const ParamPoint& p) { return static_cast<std::size_t>(p.integer("n")); }},
      }};
};

}  // namespace

MECHSWEEP_REGISTER_EXPERIMENT(SyntheticTrivial)
