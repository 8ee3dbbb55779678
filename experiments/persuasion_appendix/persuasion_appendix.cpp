// persuasion.appendix: the appendix examples of paper 004 (spec 004 §3.1–3.4),
// one example per task, so a sweep over n reproduces how each one scales.
//
//   parameter  type     default  range / choices     meaning
//   appendix   choice   a        a | b | c1 | c2     A: why signaling helps (select one, n + 1 agents);
//                                                    B: the Ω(n) non-polymatroid bound; C1: majorized
//                                                    allocations ≠ majorized utilities; C2: saturation
//                                                    is not enough (n is ignored)
//   n          integer  4        [1, 100000]         A: 2..100000; B: 1..1000; C1: 1..5 groups
//   scale      real     0        [0, 1e300]          B: M (0 = n³, needs M > n); C1: N (0 = 100·n^{2n},
//                                                    needs N > n^{2n}); ignored by A and C2
//
// Columns that do not apply to a row's appendix are NaN (scalars) or empty
// (per-j vectors). The headline `ratio` is A's max-min gain of the designed
// signal over no revelation, B's β*, C1's best α and C2's largest gap between
// the cut polytope's saturation and g.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "mechanisms/persuasion/appendix.hpp"
#include "mechanisms/persuasion/errors.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace ps = mechsweep::persuasion;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using ps::detail::show;

std::size_t mixture_length(const ParamPoint& point) {
  const std::string& which = point.choice("appendix");
  return which == "b" || which == "c1" ? static_cast<std::size_t>(point.integer("n")) : 0;
}

std::size_t prefix_length(const ParamPoint& point) {
  const std::string& which = point.choice("appendix");
  if (which == "b") return static_cast<std::size_t>(point.integer("n"));
  if (which == "c1") return 2 * static_cast<std::size_t>(point.integer("n"));
  return 0;
}

std::size_t best_prefix_length(const ParamPoint& point) {
  return point.choice("appendix") == "c1" ? 2 * static_cast<std::size_t>(point.integer("n")) : 0;
}

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "persuasion.appendix";
  info.summary = "Paper 004: Appendices A–C — designed signals vs full and no revelation, the Ω(n) examples";
  info.params = {
      choice_param("appendix", "a", {"a", "b", "c1", "c2"},
                   "a: select one with n + 1 agents; b: conv{u^(j)} lower bound; c1: groups g_i = {i, 2n+1−i}; "
                   "c2: h = (0, 1, 1.9, 2.5) with the cut x − y ≤ 0.39"),
      integer_param("n", 4, 1, 100000, "A: agents 1..n (2..100000); B: n (1..1000); C1: groups (1..5)"),
      real_param("scale", 0.0, 0.0, 1e300, "B: M (0 = n³); C1: N (0 = 100·n^{2n}); ignored by A and C2"),
  };
  auto& c = info.columns;
  const auto real = [&](const char* name, const char* doc) { c.push_back(real_column(name, doc, true)); };
  real("ratio", "A: designed max-min / NR max-min; B: β*; C1: best α; C2: max |saturation − g|");
  real("paper_bound", "B: n/(1 + n²/M) ≤ β*; A: √n (the order of the max-min gain); else NaN");
  real("nr_agent0", "A: no revelation, U_0");
  real("nr_other", "A: no revelation, U_i (i ≥ 1)");
  real("fr_agent0", "A: full revelation, U_0");
  real("fr_other", "A: full revelation, U_i (i ≥ 1)");
  real("designed_agent0", "A: the HIGH/LOW signal, U_0");
  real("designed_other", "A: the HIGH/LOW signal, U_i (i ≥ 1)");
  real("nr_welfare", "A: no revelation, Σ U");
  real("fr_welfare", "A: full revelation, Σ U");
  real("designed_welfare", "A: the HIGH/LOW signal, Σ U");
  real("low_posterior", "A: E[v | LOW] = 2√n/(√n + 1) (the paper's printed value is a typo)");
  real("all_low_probability", "A: Pr[all LOW] = (1 − 1/n)^n");
  real("bayes_residual", "A: largest |E μ_i − θ_i| over the three policies");
  real("lp_ratio", "B: β* from Clp's mixture (agrees with `ratio` within solver tolerance)");
  c.push_back(integer_column("certified", "B: β* is certified by equal ratios and a dual solution; C2: the "
                                          "vertices of B(g) are the permutations of (1, 0.9, 0.6); else 0"));
  c.push_back(integer_column("vertex_cut_off", "C2: the vertex (1, 0.6, 0.9) is outside the cut polytope"));
  c.push_back(integer_column("new_vertices_inside", "C2: (0.99, 0.6, 0.91) and (1, 0.61, 0.89) are inside"));
  c.push_back(ColumnSpec{"mixture", ColumnType::real, "B: optimal p over u^(1..n); C1: optimal p over the groups",
                         false, mixture_length});
  c.push_back(ColumnSpec{"prefix", ColumnType::real, "B: Q_j(x(p))/Q*_j; C1: Q_j(U(p)), j = 1..", false,
                         prefix_length});
  c.push_back(ColumnSpec{"best_prefix", ColumnType::real, "C1: Q*_j, j = 1..2n (B's Q*_j = M^j overflows)",
                         false, best_prefix_length});
  return info;
}

class PersuasionAppendix final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void validate(const ParamPoint& point) const override {
    const std::string& which = point.choice("appendix");
    const std::int64_t n = point.integer("n");
    const double scale = point.real("scale");
    const auto reject = [&](const std::string& param, const std::string& message) {
      throw InvalidParams(param, "appendix " + which + ": " + message);
    };
    if (which == "a" && n < 2) reject("n", "n = " + std::to_string(n) + "; expected n ≥ 2 (q = 1/√n < 1)");
    if (which == "b") {
      if (n > ps::kAppendixBMaxAgents) {
        reject("n", "n = " + std::to_string(n) + "; expected n ≤ " + std::to_string(ps::kAppendixBMaxAgents));
      }
      if (scale != 0.0 && scale <= static_cast<double>(n)) {
        reject("scale", "M = " + show(scale) + " with n = " + std::to_string(n) + "; expected M > n");
      }
    }
    if (which == "c1") {
      if (n > ps::kAppendixC1MaxGroups) {
        reject("n", "n = " + std::to_string(n) + " groups; expected n ≤ " +
                        std::to_string(ps::kAppendixC1MaxGroups) + " (the LP has 4^n rows)");
      }
      const double floor = std::pow(static_cast<double>(n), 2.0 * static_cast<double>(n));
      if (scale != 0.0 && scale <= floor) {
        reject("scale", "N = " + show(scale) + "; expected N > n^{2n} = " + show(floor));
      }
    }
  }

  void run(const ParamPoint& point, std::uint64_t /*seed: every appendix is deterministic*/,
           ResultRow& row) const override {
    for (const ColumnSpec& column : info().columns) {
      if (!column.is_ragged()) row.set(column.name, column.type == ColumnType::integer ? 0.0 : kNaN);
    }
    const std::string& which = point.choice("appendix");
    const int n = static_cast<int>(point.integer("n"));
    const double scale = point.real("scale");
    if (which == "a") {
      record(ps::appendix_a(n), row);
    } else if (which == "b") {
      record(scale == 0.0 ? ps::appendix_b(n) : ps::appendix_b(n, scale), row);
    } else if (which == "c1") {
      record(ps::appendix_c1(n, scale == 0.0 ? 100.0 * std::pow(n, 2.0 * n) : scale), row);
    } else {
      record(ps::appendix_c2(), row);
    }
  }

 private:
  static void record(const ps::AppendixAResult& a, ResultRow& row) {
    row.set("ratio", a.maxmin_gain);
    row.set("paper_bound", std::sqrt(static_cast<double>(a.n)));
    row.set("nr_agent0", a.no_revelation.agent0_utility);
    row.set("nr_other", a.no_revelation.other_utility);
    row.set("fr_agent0", a.full_revelation.agent0_utility);
    row.set("fr_other", a.full_revelation.other_utility);
    row.set("designed_agent0", a.designed.agent0_utility);
    row.set("designed_other", a.designed.other_utility);
    row.set("nr_welfare", a.no_revelation.welfare);
    row.set("fr_welfare", a.full_revelation.welfare);
    row.set("designed_welfare", a.designed.welfare);
    row.set("low_posterior", a.low_posterior);
    row.set("all_low_probability", a.all_low_probability);
    row.set("bayes_residual", a.bayes_residual);
  }

  static void record(const ps::AppendixBResult& b, ResultRow& row) {
    row.set("ratio", b.beta_star);
    row.set("paper_bound", b.paper_bound);
    row.set("lp_ratio", b.lp_beta_star);
    row.set("certified", b.certified ? 1 : 0);
    row.set_ragged("mixture", b.p);
    row.set_ragged("prefix", b.prefix_ratio);
  }

  static void record(const ps::AppendixC1Result& c1, ResultRow& row) {
    row.set("ratio", c1.alpha);
    row.set_ragged("mixture", c1.p);
    row.set_ragged("prefix", c1.prefix);
    row.set_ragged("best_prefix", c1.best_prefix);
  }

  static void record(const ps::AppendixC2Result& c2, ResultRow& row) {
    row.set("ratio", c2.max_saturation_gap);
    row.set("certified", c2.vertices_are_permutations ? 1 : 0);
    row.set("vertex_cut_off", c2.removed_vertex_inside ? 0 : 1);
    row.set("new_vertices_inside", c2.new_vertices_inside ? 1 : 0);
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::PersuasionAppendix)
