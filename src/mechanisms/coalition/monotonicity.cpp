#include "mechanisms/coalition/monotonicity.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include "solvers/lp.hpp"

namespace mechsweep::coalition {

using solvers::kInfinity;
using solvers::LinearProgram;

const char* label(Truth truth) {
  switch (truth) {
    case Truth::no:
      return "FALSE";
    case Truth::yes:
      return "TRUE";
    case Truth::undetermined:
      return "UNDETERMINED";
  }
  return "?";
}

namespace {

// v_r(y) = u_member(y[component], truth) − u_member(f(report), truth) > 0.
// Consecutive rows with the same group are one LP row, summed with their
// weights: a member's expected slack under a conjecture.
struct StrictRow {
  int member = 0;
  std::uint32_t component = 0;
  std::size_t truth = 0;
  std::size_t report = 0;
  double weight = 1.0;
  std::int64_t group = -1;  // −1: a row of its own
  std::uint32_t pair = 0;   // index of γ in the clause's Γ
};

constexpr std::size_t kAllBlocks = static_cast<std::size_t>(-1);

// LPs and MILPs over one block of a reward set. Values are "the best worst
// strict-row slack", capped at 1 so that every program is bounded; only the
// sign against the tie band matters.
class BlockPrograms {
 public:
  BlockPrograms(const Instance& instance, const RewardSet& rewards, std::size_t block, SolverCounters& counters)
      : instance_(instance), rewards_(rewards), block_(block), counters_(counters), m_(instance.outcomes()) {
    const auto in_block = [&](std::size_t c) { return block == kAllBlocks || rewards.block_of(c) == block; };
    local_.assign(rewards.components(), -1);
    for (std::size_t c = 0; c < rewards.components(); ++c) {
      if (!in_block(c)) continue;
      local_[c] = static_cast<int>(components_.size());
      components_.push_back(static_cast<std::uint32_t>(c));
    }
    for (const RewardRow& row : rewards.always_rows()) {
      if (in_block(row.component)) always_.push_back(row);
    }
    for (std::uint32_t k = 0; k < rewards.keys().size(); ++k) {
      if (in_block(rewards.keys()[k].disjuncts[0].rows[0].component)) keys_.push_back(k);
    }
  }

  std::uint64_t pieces() const {
    return block_ == kAllBlocks ? (keys_.empty() ? 1 : std::uint64_t{1} << 62) : rewards_.block_pieces(block_);
  }

  // max over y ∈ Y_B of min_r v_r(y); nullopt when Y_B is empty.
  std::optional<double> pointwise(std::span<const StrictRow> rows, std::vector<double>* best, std::uint64_t limit) {
    if (pieces() > limit) return milp(rows, best);
    std::optional<double> value;
    for_each_piece([&](const std::vector<std::uint32_t>& choice) {
      std::vector<double> y;
      const auto piece = piece_lp(std::span(&choice, 1), rows, best != nullptr ? &y : nullptr);
      if (piece && (!value || *piece > *value)) {
        value = piece;
        if (best != nullptr) *best = std::move(y);
      }
      return !(value && *value >= 1.0);
    });
    return value;
  }

  // max over y ∈ conv(Y_B) of min_r v_r(y).
  std::optional<double> convex(std::span<const StrictRow> rows, std::uint64_t limit) {
    if (pieces() > limit) return column_generation(rows);
    std::vector<std::vector<std::uint32_t>> all;
    for_each_piece([&](const std::vector<std::uint32_t>& choice) {
      all.push_back(choice);
      return true;
    });
    return piece_lp(all, rows, nullptr);
  }

  // The same over the always rows alone: a superset of conv(Y_B), so a
  // non-positive value refutes the clause with one small LP.
  std::optional<double> relaxation(std::span<const StrictRow> rows) {
    LinearProgram lp;
    const int t = lp.add_column(-kInfinity, 1.0, 1.0);
    const int copy = add_copy(lp, -1);
    for (const RewardRow& row : always_) add_reward_row(lp, copy, -1, row);
    const int first_strict = lp.rows();
    add_strict_rows(lp, std::span(&copy, 1), t, rows);
    ++counters_.lps;
    const auto solution = lp.maximize();
    if (solution.status != LinearProgram::Status::optimal) return std::nullopt;
    keep_strict_duals(solution, first_strict);
    return solution.objective;
  }

  // The normalised |duals| of the strict rows of the last LP that returned a
  // value (or of the last column-generation master): a conjecture under which
  // no reward beats that value (spec §5.2 R1, "failing conjecture ψ").
  const std::vector<double>& strict_duals() const { return strict_duals_; }

 private:
  void keep_strict_duals(const LinearProgram::Solution& solution, int first_strict) {
    strict_duals_.assign(solution.row_duals.begin() + first_strict, solution.row_duals.end());
    double total = 0.0;
    for (double& d : strict_duals_) total += d = std::abs(d);
    for (double& d : strict_duals_) d = total > 0.0 ? d / total : 1.0 / static_cast<double>(strict_duals_.size());
  }

  template <typename Visit>
  void for_each_piece(Visit visit) const {
    const auto& keys = keys_;
    std::vector<std::uint32_t> choice(keys.size(), 0);
    while (true) {
      if (!visit(choice)) return;
      std::size_t k = 0;
      for (; k < keys.size(); ++k) {
        if (++choice[k] < rewards_.keys()[keys[k]].disjuncts.size()) break;
        choice[k] = 0;
      }
      if (k == keys.size()) return;
    }
  }

  // Columns of one lottery copy per component; `scale` is the column that
  // the copy sums to (Balas's homogenisation) or −1 for a plain lottery.
  int add_copy(LinearProgram& lp, int scale) const {
    const int first = lp.columns();
    for (std::size_t c = 0; c < components_.size(); ++c) {
      for (int x = 0; x < m_; ++x) lp.add_column(0.0, scale < 0 ? 1.0 : kInfinity, 0.0);
    }
    for (std::size_t c = 0; c < components_.size(); ++c) {
      terms_.clear();
      for (int x = 0; x < m_; ++x) terms_.emplace_back(first + static_cast<int>(c) * m_ + x, 1.0);
      if (scale < 0) {
        lp.add_row(terms_, 1.0, 1.0);
      } else {
        terms_.emplace_back(scale, -1.0);
        lp.add_row(terms_, 0.0, 0.0);
      }
    }
    return first;
  }

  void add_reward_row(LinearProgram& lp, int copy, int scale, const RewardRow& row) const {
    const auto coefficients = rewards_.row_coefficients(row);
    const int base = copy + local_[row.component] * m_;
    terms_.clear();
    for (int x = 0; x < m_; ++x) terms_.emplace_back(base + x, coefficients[x]);
    if (scale < 0) {
      lp.add_row(terms_, -kInfinity, rewards_.row_bound(row));
    } else {
      terms_.emplace_back(scale, -rewards_.row_bound(row));
      lp.add_row(terms_, -kInfinity, 0.0);
    }
  }

  void add_piece_rows(LinearProgram& lp, int copy, int scale, const std::vector<std::uint32_t>& choice) const {
    for (const RewardRow& row : always_) add_reward_row(lp, copy, scale, row);
    const auto& keys = keys_;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      for (const RewardRow& row : rewards_.keys()[keys[k]].disjuncts[choice[k]].rows) {
        add_reward_row(lp, copy, scale, row);
      }
    }
  }

  // Σ_copies u·y[c] − t ≥ u(f(report)) for every strict row.
  void add_strict_rows(LinearProgram& lp, std::span<const int> copies, int t, std::span<const StrictRow> rows) const {
    for (std::size_t r = 0; r < rows.size();) {
      terms_.clear();
      double bound = 0.0;
      const std::size_t first = r;
      do {
        const StrictRow& row = rows[r];
        const auto coefficients = instance_.env().utility_row(row.member, row.truth);
        for (int copy : copies) {
          const int base = copy + local_[row.component] * m_;
          for (int x = 0; x < m_; ++x) terms_.emplace_back(base + x, row.weight * coefficients[x]);
        }
        bound += row.weight * instance_.uf(row.member, row.truth, row.report);
        ++r;
      } while (r < rows.size() && rows[first].group >= 0 && rows[r].group == rows[first].group);
      terms_.emplace_back(t, -1.0);
      lp.add_row(terms_, bound, kInfinity);
    }
  }

  // One piece: a plain LP. Several: Balas's hull of their union.
  std::optional<double> piece_lp(std::span<const std::vector<std::uint32_t>> choices, std::span<const StrictRow> rows,
                                 std::vector<double>* best) {
    LinearProgram lp;
    const int t = lp.add_column(-kInfinity, 1.0, 1.0);
    std::vector<int> copies;
    if (choices.size() == 1) {
      copies.push_back(add_copy(lp, -1));
      add_piece_rows(lp, copies[0], -1, choices[0]);
    } else {
      terms_.clear();
      std::vector<int> scales;
      for (std::size_t p = 0; p < choices.size(); ++p) scales.push_back(lp.add_column(0.0, 1.0, 0.0));
      for (int scale : scales) terms_.emplace_back(scale, 1.0);
      lp.add_row(terms_, 1.0, 1.0);
      for (std::size_t p = 0; p < choices.size(); ++p) {
        copies.push_back(add_copy(lp, scales[p]));
        add_piece_rows(lp, copies.back(), scales[p], choices[p]);
      }
    }
    const int first_strict = lp.rows();
    add_strict_rows(lp, copies, t, rows);
    ++counters_.lps;
    const auto solution = lp.maximize();
    if (solution.status != LinearProgram::Status::optimal) return std::nullopt;
    keep_strict_duals(solution, first_strict);
    if (best != nullptr) extract(solution.primal, copies, *best);
    return solution.objective;
  }

  void extract(const std::vector<double>& primal, std::span<const int> copies, std::vector<double>& y) const {
    y.assign(components_.size() * m_, 0.0);
    for (int copy : copies) {
      for (std::size_t e = 0; e < y.size(); ++e) y[e] += primal[copy + e];
    }
  }

  // The disjunctive form with binaries z_{κ,j}: Σ_j z ≥ 1 and the tight big-M
  // u·y ≤ bound + M(1 − z), M = max_x u_x − bound (spec §5.2 "MILP form").
  // With `weights` the objective is Σ_r w_r u_r·y (column-generation pricing)
  // instead of the worst strict-row slack.
  std::optional<double> milp(std::span<const StrictRow> rows, std::vector<double>* best,
                             const std::vector<double>* weights = nullptr) {
    LinearProgram lp;
    const int t = weights == nullptr ? lp.add_column(-kInfinity, 1.0, 1.0) : -1;
    const int copy = add_copy(lp, -1);
    for (const RewardRow& row : always_) add_reward_row(lp, copy, -1, row);
    for (std::uint32_t k : keys_) {
      const auto& disjuncts = rewards_.keys()[k].disjuncts;
      std::vector<std::pair<int, double>> choose;
      for (const RewardDisjunct& disjunct : disjuncts) {
        const int z = lp.add_column(0.0, 1.0, 0.0, true);
        choose.emplace_back(z, 1.0);
        for (const RewardRow& row : disjunct.rows) {
          const auto coefficients = rewards_.row_coefficients(row);
          const double bound = rewards_.row_bound(row);
          const double big_m = *std::max_element(coefficients.begin(), coefficients.end()) - bound;
          terms_.clear();
          const int base = copy + local_[row.component] * m_;
          for (int x = 0; x < m_; ++x) terms_.emplace_back(base + x, coefficients[x]);
          terms_.emplace_back(z, big_m);
          lp.add_row(terms_, -kInfinity, bound + big_m);
        }
      }
      lp.add_row(choose, 1.0, kInfinity);
    }
    if (weights == nullptr) {
      add_strict_rows(lp, std::span(&copy, 1), t, rows);
    } else {
      // Objective Σ_r w_r u_r·y: set through a free column pinned by one row.
      const int value = lp.add_column(-kInfinity, kInfinity, 1.0);
      terms_.clear();
      for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto coefficients = instance_.env().utility_row(rows[r].member, rows[r].truth);
        const int base = copy + local_[rows[r].component] * m_;
        for (int x = 0; x < m_; ++x) terms_.emplace_back(base + x, (*weights)[r] * coefficients[x]);
      }
      terms_.emplace_back(value, -1.0);
      lp.add_row(terms_, 0.0, 0.0);
    }
    ++counters_.milps;
    const auto solution = lp.maximize();
    if (solution.status != LinearProgram::Status::optimal) return std::nullopt;
    if (best != nullptr) extract(solution.primal, std::span(&copy, 1), *best);
    return solution.objective;
  }

  double slack(const StrictRow& row, const std::vector<double>& y) const {
    const auto coefficients = instance_.env().utility_row(row.member, row.truth);
    const std::size_t base = static_cast<std::size_t>(local_[row.component]) * m_;
    double value = 0.0;
    for (int x = 0; x < m_; ++x) value += y[base + x] * coefficients[x];
    return value - instance_.uf(row.member, row.truth, row.report);
  }

  // max over conv(Y_B) by column generation: the master mixes generated
  // points of Y_B, and pricing (a MILP over Y_B) maximises the master's
  // dual-weighted slack. It stops when no point beats the master's value.
  std::optional<double> column_generation(std::span<const StrictRow> rows) {
    std::vector<std::vector<double>> points(1);
    const auto start = milp(rows, &points[0]);
    if (!start) return std::nullopt;
    if (rows.empty() || *start >= 1.0) return start;
    double value = *start;
    std::vector<double> weights(rows.size());
    std::vector<std::pair<int, double>> terms;
    for (int round = 0; round < 200; ++round) {
      ++counters_.column_generation_rounds;
      LinearProgram master;
      const int t = master.add_column(-kInfinity, 1.0, 1.0);
      terms.clear();
      for (std::size_t p = 0; p < points.size(); ++p) terms.emplace_back(master.add_column(0.0, 1.0, 0.0), 1.0);
      master.add_row(terms, 1.0, 1.0);
      for (const StrictRow& row : rows) {
        terms.clear();
        for (std::size_t p = 0; p < points.size(); ++p)
          terms.emplace_back(1 + static_cast<int>(p), slack(row, points[p]));
        terms.emplace_back(t, -1.0);
        master.add_row(terms, 0.0, kInfinity);
      }
      ++counters_.lps;
      const auto solution = master.maximize();
      if (solution.status != LinearProgram::Status::optimal) return value;
      value = solution.objective;
      double total = 0.0;
      for (std::size_t r = 0; r < rows.size(); ++r) total += weights[r] = std::abs(solution.row_duals[1 + r]);
      if (total <= 0.0) return value;
      for (double& w : weights) w /= total;
      strict_duals_ = weights;
      std::vector<double> candidate;
      if (!milp(rows, &candidate, &weights)) return value;
      double priced = 0.0;
      for (std::size_t r = 0; r < rows.size(); ++r) priced += weights[r] * slack(rows[r], candidate);
      if (priced <= value + 1e-9 * std::max(1.0, std::abs(value))) return value;
      points.push_back(std::move(candidate));
    }
    return value;
  }

  const Instance& instance_;
  const RewardSet& rewards_;
  std::size_t block_;
  SolverCounters& counters_;
  int m_;
  std::vector<int> local_;
  std::vector<std::uint32_t> components_;
  std::vector<RewardRow> always_;
  std::vector<std::uint32_t> keys_;
  std::vector<double> strict_duals_;
  mutable std::vector<std::pair<int, double>> terms_;
};

bool block_nonempty(const Instance& instance, const RewardSet& rewards, std::size_t block, SolverCounters& counters,
                    const ClauseOptions& options) {
  std::int8_t& known = rewards.block_nonempty(block);
  if (known < 0) {
    BlockPrograms programs(instance, rewards, block, counters);
    known = programs.pointwise({}, nullptr, options.piece_limit).has_value() ? 1 : 0;
  }
  return known == 1;
}

}  // namespace

ClauseResult whistle_clause(const Instance& instance, const RewardSet& rewards, std::size_t truth_s,
                            std::size_t report_s, std::span<const ConjecturePair> gamma, SolverCounters& counters,
                            const ClauseOptions& options) {
  ++counters.clauses;
  ClauseResult result;
  if (rewards.empty()) {
    // No reward at all: every conjecture defeats the whistle-blower.
    if (coalition_size(rewards.coalition()) == 1) {
      result.failing_conjecture.assign(gamma.size(), 1.0 / static_cast<double>(gamma.size()));
    }
    return result;
  }
  const ProfileSpace& profiles = instance.profiles();
  const Coalition s = rewards.coalition();
  const Coalition outsiders = all_agents(instance.agents()) & ~s;
  const std::size_t truth_inside = profiles.embed(s)[truth_s];
  const std::size_t report_inside = profiles.embed(s)[report_s];
  const auto outside = profiles.embed(outsiders);
  std::vector<int> members;
  for (int i = 0; i < instance.agents(); ++i) {
    if (is_member(s, i)) members.push_back(i);
  }

  // rows[b] holds block b's strict rows, member-major.
  std::vector<std::vector<StrictRow>> rows(rewards.blocks());
  for (int i : members) {
    for (std::size_t g = 0; g < gamma.size(); ++g) {
      const ConjecturePair& pair = gamma[g];
      rows[rewards.block_of(pair.outsider_report)].push_back(
          {i, pair.outsider_report, truth_inside + outside[pair.outsider_truth],
           report_inside + outside[pair.outsider_report], 1.0, -1, static_cast<std::uint32_t>(g)});
    }
  }
  // A FALSE for a singleton comes with the conjecture that defeats every
  // reward: the duals of the failing block, or any conjecture on a block
  // with no reward at all.
  const auto refute = [&](std::span<const StrictRow> block_rows, const std::vector<double>* duals) {
    if (members.size() == 1 && block_rows.empty()) {
      result.failing_conjecture.assign(gamma.size(), 1.0 / static_cast<double>(gamma.size()));
    } else if (members.size() == 1) {
      result.failing_conjecture.assign(gamma.size(), 0.0);
      for (std::size_t r = 0; r < block_rows.size(); ++r) {
        const bool have_duals = duals != nullptr && duals->size() == block_rows.size();
        result.failing_conjecture[block_rows[r].pair] =
            have_duals ? (*duals)[r] : 1.0 / static_cast<double>(block_rows.size());
      }
    }
    return result;
  };

  const int m = instance.outcomes();
  std::vector<double> reward(rewards.components() * m, 0.0);
  bool single_reward = true;
  std::vector<std::size_t> undecided;  // blocks where only the hull succeeds (|S| ≥ 2)
  for (std::size_t b = 0; b < rewards.blocks(); ++b) {
    if (rows[b].empty()) {
      if (!block_nonempty(instance, rewards, b, counters, options)) return refute({}, nullptr);
      single_reward = false;  // any reward works there; none is recorded
      continue;
    }
    BlockPrograms programs(instance, rewards, b, counters);
    if (programs.pieces() > 1) {
      const auto relaxed = programs.relaxation(rows[b]);
      if (!relaxed) return refute(rows[b], nullptr);
      if (!instance.strictly_greater(*relaxed, 0.0)) return refute(rows[b], &programs.strict_duals());
    }
    std::vector<double> y;
    const auto lower = programs.pointwise(rows[b], &y, options.piece_limit);
    if (!lower) return refute(rows[b], nullptr);  // Y_B is empty
    if (instance.strictly_greater(*lower, 0.0)) {
      std::size_t local = 0;
      for (std::size_t c = 0; c < rewards.components(); ++c) {
        if (rewards.block_of(c) != b) continue;
        std::copy_n(y.begin() + static_cast<std::ptrdiff_t>(local * m), m,
                    reward.begin() + static_cast<std::ptrdiff_t>(c * m));
        ++local;
      }
      continue;
    }
    single_reward = false;
    if (programs.pieces() == 1) {
      // Convex, so the pointwise answer is exact. Its duals come from the LP;
      // the MILP route (a piece limit of 0) has none, so solve the LP once.
      if (members.size() == 1 && programs.strict_duals().size() != rows[b].size()) programs.relaxation(rows[b]);
      return refute(rows[b], &programs.strict_duals());
    }
    const auto upper = programs.convex(rows[b], options.piece_limit);
    if (!upper) return refute(rows[b], nullptr);
    if (!instance.strictly_greater(*upper, 0.0)) return refute(rows[b], &programs.strict_duals());
    if (members.size() > 1) undecided.push_back(b);
  }

  if (undecided.empty()) {
    result.truth = Truth::yes;
    if (single_reward) result.reward = std::move(reward);
    return result;
  }

  // Point-mass conjecture profiles (γ_i)_{i∈S}: each must admit a y ∈ Y.
  double profiles_total = 1.0;
  for (std::size_t i = 0; i < members.size(); ++i) profiles_total *= static_cast<double>(gamma.size());
  if (profiles_total > static_cast<double>(options.point_mass_limit)) {
    result.truth = Truth::undetermined;
    return result;
  }
  std::vector<std::size_t> pick(members.size(), 0);
  std::vector<StrictRow> chosen;
  while (true) {
    for (std::size_t b : undecided) {
      chosen.clear();
      for (std::size_t i = 0; i < members.size(); ++i) {
        const ConjecturePair& pair = gamma[pick[i]];
        if (rewards.block_of(pair.outsider_report) != b) continue;
        chosen.push_back({members[i], pair.outsider_report, truth_inside + outside[pair.outsider_truth],
                          report_inside + outside[pair.outsider_report]});
      }
      BlockPrograms programs(instance, rewards, b, counters);
      const auto value = programs.pointwise(chosen, nullptr, options.piece_limit);
      if (!value || !instance.strictly_greater(*value, 0.0)) return result;
    }
    std::size_t i = 0;
    for (; i < pick.size(); ++i) {
      if (++pick[i] < gamma.size()) break;
      pick[i] = 0;
    }
    if (i == pick.size()) break;
  }
  result.truth = Truth::undetermined;
  return result;
}

std::optional<ConjecturedReward> best_reward_against(const Instance& instance, const RewardSet& rewards,
                                                     std::size_t truth_s, std::size_t report_s,
                                                     std::span<const ConjecturePair> gamma,
                                                     std::span<const std::vector<double>> beliefs,
                                                     SolverCounters& counters, const ClauseOptions& options) {
  if (rewards.empty()) return std::nullopt;
  const ProfileSpace& profiles = instance.profiles();
  const Coalition s = rewards.coalition();
  const auto outside = profiles.embed(all_agents(instance.agents()) & ~s);
  std::vector<StrictRow> rows;
  std::int64_t group = 0;
  for (int i = 0; i < instance.agents(); ++i) {
    if (!is_member(s, i)) continue;
    const auto& belief = beliefs[group];
    if (belief.size() != gamma.size()) {
      throw std::invalid_argument("coalition: a conjecture needs one weight per pair of Γ");
    }
    for (std::size_t g = 0; g < gamma.size(); ++g) {
      rows.push_back({i, gamma[g].outsider_report, profiles.embed(s)[truth_s] + outside[gamma[g].outsider_truth],
                      profiles.embed(s)[report_s] + outside[gamma[g].outsider_report], belief[g], group});
    }
    ++group;
  }
  ConjecturedReward best;
  BlockPrograms programs(instance, rewards, kAllBlocks, counters);
  const auto value = programs.pointwise(rows, &best.reward, options.piece_limit);
  if (!value) return std::nullopt;
  best.value = *value;
  return best;
}

// ---------------------------------------------------------------------------

namespace {

constexpr std::size_t kMaxOutsiderProfiles = 11;  // |Θ_{−S}|² ≤ 128 pair bits

struct ClauseKey {
  std::array<std::uint64_t, 2> gamma{};
  Coalition coalition = 0;
  std::uint32_t up_set = 0;
  std::uint32_t truth = 0;
  std::uint32_t report = 0;
  friend bool operator==(const ClauseKey&, const ClauseKey&) = default;
};

struct ClauseKeyHash {
  std::size_t operator()(const ClauseKey& key) const {
    std::uint64_t h = key.gamma[0] * 0x9e3779b97f4a7c15ULL ^ key.gamma[1];
    h ^= (static_cast<std::uint64_t>(key.coalition) << 40) ^ (static_cast<std::uint64_t>(key.up_set) << 8);
    h ^= (static_cast<std::uint64_t>(key.truth) << 20) ^ (static_cast<std::uint64_t>(key.report) << 52);
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
};

}  // namespace

struct MonotonicityEngine::Caches {
  std::map<std::pair<Coalition, std::uint32_t>, std::unique_ptr<RewardSet>> rewards;
  std::unordered_map<ClauseKey, Truth, ClauseKeyHash> clauses;
};

MonotonicityEngine::MonotonicityEngine(const Instance& instance, MonotonicityOptions options)
    : instance_(instance), options_(options), caches_(std::make_unique<Caches>()) {
  if (instance.agents() > 5) {
    throw std::invalid_argument("coalition: monotonicity checks support at most 5 agents, found " +
                                std::to_string(instance.agents()));
  }
  for (int i = 0; i < instance.agents(); ++i) {
    if (instance.profiles().types(i) > kMaxDeceptionTypes) {
      throw std::invalid_argument("coalition: monotonicity checks support at most " +
                                  std::to_string(kMaxDeceptionTypes) + " types per agent, agent " + std::to_string(i) +
                                  " has " + std::to_string(instance.profiles().types(i)));
    }
  }
}

MonotonicityEngine::~MonotonicityEngine() = default;

const RewardSet& MonotonicityEngine::reward_set(Coalition s, std::uint32_t up_set) {
  auto& slot = caches_->rewards[{s, up_set}];
  if (!slot) {
    std::vector<Coalition> supersets;
    for (Coalition c = 1; c <= all_agents(instance_.agents()); ++c) {
      if (((up_set >> c) & 1U) != 0) supersets.push_back(c);
    }
    slot = std::make_unique<RewardSet>(instance_, s, supersets);
  }
  return *slot;
}

// Γ_{−S}(β) as pair bits a·|Θ_{−S}| + b for (θ_{−S}, θ'_{−S}) = (a, b) with
// θ'_j ∈ β_j(θ_j) for every outsider j. Computed once per (β, S).
std::array<std::uint64_t, 2> MonotonicityEngine::conjecture_support(Coalition s, const DeceptionProfile& beta) const {
  const ProfileSpace& profiles = instance_.profiles();
  const Coalition outsiders = all_agents(instance_.agents()) & ~s;
  const auto outside = profiles.embed(outsiders);
  const std::size_t count = outside.size();
  if (count > kMaxOutsiderProfiles) {
    throw std::invalid_argument("coalition: monotonicity needs |Θ_{−S}| ≤ " + std::to_string(kMaxOutsiderProfiles) +
                                ", found " + std::to_string(count));
  }
  std::array<std::uint64_t, 2> bits{};
  for (std::size_t a = 0; a < count; ++a) {
    for (std::size_t b = 0; b < count; ++b) {
      bool allowed = true;
      for (int j = 0; j < instance_.agents() && allowed; ++j) {
        if (!is_member(outsiders, j)) continue;
        allowed = ((beta[j][profiles.type_of(outside[a], j)] >> profiles.type_of(outside[b], j)) & 1U) != 0;
      }
      if (allowed) bits[(a * count + b) / 64] |= std::uint64_t{1} << ((a * count + b) % 64);
    }
  }
  return bits;
}

Truth MonotonicityEngine::clause(const Candidate& candidate, std::size_t truth_s, std::size_t report_s,
                                 const std::array<std::uint64_t, 2>& support) {
  const ClauseKey key{support, candidate.coalition, candidate.up_set, static_cast<std::uint32_t>(truth_s),
                      static_cast<std::uint32_t>(report_s)};
  const auto found = caches_->clauses.find(key);
  if (found != caches_->clauses.end()) return found->second;
  const std::size_t count = instance_.profiles().count(all_agents(instance_.agents()) & ~candidate.coalition);
  std::vector<ConjecturePair> gamma;
  for (std::size_t bit = 0; bit < count * count; ++bit) {
    if (((support[bit / 64] >> (bit % 64)) & 1U) == 0) continue;
    gamma.push_back({static_cast<std::uint32_t>(bit / count), static_cast<std::uint32_t>(bit % count)});
  }
  const Truth truth = whistle_clause(instance_, reward_set(candidate.coalition, candidate.up_set), truth_s, report_s,
                                     gamma, counters_, options_.clause)
                          .truth;
  caches_->clauses.emplace(key, truth);
  return truth;
}

MonotonicityResult MonotonicityEngine::evaluate(const std::vector<Candidate>& candidates, bool reflexive_only,
                                                bool heuristic) {
  const ProfileSpace& profiles = instance_.profiles();
  const int n = instance_.agents();
  MonotonicityResult result;
  result.reflexive_only = reflexive_only;
  result.heuristic = heuristic;

  std::vector<std::uint64_t> per_agent(n);
  std::uint64_t total = 1;
  for (int i = 0; i < n; ++i) {
    per_agent[i] = deception_count(profiles.types(i), reflexive_only);
    total *= per_agent[i];
  }
  result.deceptions = total;

  std::vector<std::size_t> digit(n, 0);
  DeceptionProfile beta(n);
  for (int i = 0; i < n; ++i) beta[i] = agent_deception(profiles.types(i), 0, reflexive_only);

  std::vector<int> members;
  std::vector<TypeMask> remaining, left;
  for (std::uint64_t index = 0; index < total; ++index) {
    if (index > 0) {
      for (int i = 0; i < n; ++i) {
        if (++digit[i] < per_agent[i]) {
          beta[i] = agent_deception(profiles.types(i), digit[i], reflexive_only);
          break;
        }
        digit[i] = 0;
        beta[i] = agent_deception(profiles.types(i), 0, reflexive_only);
      }
    }
    if (acceptable(instance_, beta)) continue;
    ++result.unacceptable;

    int dissolving_size = 0;
    bool undetermined = false;
    for (const Candidate& candidate : candidates) {
      if (dissolving_size != 0) break;
      const Coalition s = candidate.coalition;
      members.clear();
      for (int i = 0; i < n; ++i) {
        if (is_member(s, i)) members.push_back(i);
      }
      const auto inside = profiles.embed(s);
      const auto support = conjecture_support(s, beta);
      for (std::size_t truth_s = 0; truth_s < inside.size() && dissolving_size == 0; ++truth_s) {
        // Odometer over θ'_S ∈ β_S(θ_S), as an index within Θ_S.
        remaining.assign(members.size(), 0);
        for (std::size_t k = 0; k < members.size(); ++k) {
          remaining[k] = beta[members[k]][profiles.type_of(inside[truth_s], members[k])];
        }
        left = remaining;
        while (true) {
          std::size_t report_s = 0;
          std::size_t radix = 1;
          for (std::size_t k = 0; k < members.size(); ++k) {
            report_s += static_cast<std::size_t>(std::countr_zero(left[k])) * radix;
            radix *= static_cast<std::size_t>(profiles.types(members[k]));
          }
          const Truth truth = clause(candidate, truth_s, report_s, support);
          if (truth == Truth::yes) {
            dissolving_size = coalition_size(s);
            break;
          }
          undetermined = undetermined || truth == Truth::undetermined;
          std::size_t k = 0;
          for (; k < members.size(); ++k) {
            left[k] &= left[k] - 1;
            if (left[k] != 0) break;
            left[k] = remaining[k];
          }
          if (k == members.size()) break;
        }
      }
    }

    if (dissolving_size > 0) {
      ++result.dissolved;
      (dissolving_size == 1 ? result.dissolved_by_singleton : result.dissolved_only_by_coalition) += 1;
      result.largest_needed_coalition = std::max(result.largest_needed_coalition, dissolving_size);
    } else if (undetermined) {
      ++result.undetermined;
    } else {
      ++result.undissolved;
      if (!result.first_undissolved) result.first_undissolved = beta;
    }
  }
  result.holds = result.undissolved > 0 ? Truth::no : result.undetermined > 0 ? Truth::undetermined : Truth::yes;
  return result;
}

MonotonicityResult MonotonicityEngine::robust_monotonicity(bool all_deceptions) {
  std::vector<Candidate> candidates;
  for (int i = 0; i < instance_.agents(); ++i) {
    candidates.push_back({singleton(i), std::uint32_t{1} << singleton(i)});
  }
  return evaluate(candidates, !all_deceptions, false);
}

MonotonicityResult MonotonicityEngine::robust_coalitional_monotonicity(bool all_deceptions) {
  std::vector<Candidate> candidates;
  for (int i = 0; i < instance_.agents(); ++i) {
    std::uint32_t up = 0;
    for (Coalition c = 1; c <= all_agents(instance_.agents()); ++c) {
      if (is_member(c, i)) up |= std::uint32_t{1} << c;
    }
    candidates.push_back({singleton(i), up});
  }
  return evaluate(candidates, !all_deceptions, false);
}

MonotonicityResult MonotonicityEngine::pattern_monotonicity(const Pattern& pattern) {
  if (pattern.agents() != instance_.agents()) {
    throw std::invalid_argument("coalition: the pattern has " + std::to_string(pattern.agents()) +
                                " agents but the environment has " + std::to_string(instance_.agents()));
  }
  auto members = pattern.coalitions();
  std::stable_sort(members.begin(), members.end(),
                   [](Coalition a, Coalition b) { return coalition_size(a) < coalition_size(b); });
  std::vector<Candidate> candidates;
  for (Coalition s : members) {
    std::uint32_t up = 0;
    for (Coalition c : pattern.up_set(s)) up |= std::uint32_t{1} << c;
    candidates.push_back({s, up});
  }
  // The reflexive reduction is proven for singleton whistle-blowers only
  // (spec §2.2), so it is exact for 𝒮̲ and a labelled heuristic otherwise.
  std::uint64_t all = 1;
  for (int i = 0; i < instance_.agents(); ++i) {
    all *= deception_count(instance_.profiles().types(i), false);
    if (all > options_.max_deceptions) break;
  }
  const bool only_singletons = pattern == Pattern::singletons(instance_.agents());
  const bool reflexive = only_singletons || all > options_.max_deceptions;
  return evaluate(candidates, reflexive, reflexive && !only_singletons);
}

}  // namespace mechsweep::coalition
