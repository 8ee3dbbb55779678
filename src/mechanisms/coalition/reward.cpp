#include "mechanisms/coalition/reward.hpp"

#include <algorithm>
#include <numeric>
#include <set>

namespace mechsweep::coalition {

namespace {

enum class RowKind { slack, binding, impossible };

struct DisjointSets {
  std::vector<std::uint32_t> parent;
  explicit DisjointSets(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0U); }
  std::uint32_t find(std::uint32_t a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  }
  void join(std::uint32_t a, std::uint32_t b) { parent[find(a)] = find(b); }
};

}  // namespace

std::span<const double> RewardSet::row_coefficients(const RewardRow& row) const {
  return instance_->env().utility_row(static_cast<int>(row.member), row.profile);
}

double RewardSet::row_bound(const RewardRow& row) const {
  return instance_->uf(static_cast<int>(row.member), row.profile, row.profile);
}

double RewardSet::row_excess(const RewardRow& row, std::span<const double> lottery) const {
  const auto coefficients = row_coefficients(row);
  double value = 0.0;
  for (std::size_t x = 0; x < coefficients.size(); ++x) value += lottery[x] * coefficients[x];
  return value - row_bound(row);
}

RewardSet::RewardSet(const Instance& instance, Coalition s, std::span<const Coalition> up_set)
    : instance_(&instance), coalition_(s) {
  const ProfileSpace& profiles = instance.profiles();
  const Coalition everyone = all_agents(instance.agents());
  const Coalition outsiders = everyone & ~s;
  components_ = profiles.count(outsiders);

  // A row every lottery satisfies carries no information; one no lottery
  // satisfies kills its disjunct (spec §5.2 "Prune keys").
  const auto classify = [&](const RewardRow& row) {
    const auto coefficients = row_coefficients(row);
    const double bound = row_bound(row);
    const auto [low, high] = std::minmax_element(coefficients.begin(), coefficients.end());
    if (*high <= bound + instance.tie()) return RowKind::slack;
    if (*low > bound + instance.tie()) return RowKind::impossible;
    return RowKind::binding;
  };

  std::vector<std::vector<std::vector<RewardRow>>> raw_keys;
  for (Coalition superset : up_set) {
    if ((superset & s) != s) continue;
    const Coalition partners = superset & ~s;
    const Coalition beyond = everyone & ~superset;
    for (std::size_t key_truth : profiles.embed(superset)) {
      for (std::size_t key_report : profiles.embed(partners)) {
        std::vector<std::vector<RewardRow>> disjuncts;
        bool vacuous = false;
        for (int j = 0; j < instance.agents() && !vacuous; ++j) {
          if (!is_member(superset, j)) continue;
          std::vector<RewardRow> rows;
          bool possible = true;
          for (std::size_t outside : profiles.embed(beyond)) {
            const RewardRow row{static_cast<std::uint32_t>(profiles.project(key_report + outside, outsiders)),
                                static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(key_truth + outside)};
            const RowKind kind = classify(row);
            if (kind == RowKind::impossible) possible = false;
            if (kind == RowKind::binding) rows.push_back(row);
          }
          if (!possible) continue;
          if (rows.empty()) vacuous = true;
          std::sort(rows.begin(), rows.end());
          disjuncts.push_back(std::move(rows));
        }
        if (vacuous) continue;
        if (disjuncts.empty()) empty_ = true;
        raw_keys.push_back(std::move(disjuncts));
      }
    }
  }

  // One-disjunct keys are plain rows, and plain rows can make other keys
  // vacuous, so iterate to a fixpoint.
  std::set<RewardRow> always;
  std::vector<bool> settled(raw_keys.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t k = 0; k < raw_keys.size(); ++k) {
      if (settled[k]) continue;
      auto& disjuncts = raw_keys[k];
      if (disjuncts.size() == 1) {
        always.insert(disjuncts[0].begin(), disjuncts[0].end());
        settled[k] = changed = true;
        continue;
      }
      const bool implied = std::any_of(disjuncts.begin(), disjuncts.end(), [&](const auto& rows) {
        return std::all_of(rows.begin(), rows.end(), [&](const RewardRow& row) { return always.contains(row); });
      });
      if (implied) settled[k] = changed = true;
    }
  }
  always_.assign(always.begin(), always.end());
  for (std::size_t k = 0; k < raw_keys.size(); ++k) {
    if (settled[k] || raw_keys[k].empty()) continue;
    RewardKey key;
    for (auto& rows : raw_keys[k]) key.disjuncts.push_back({std::move(rows)});
    keys_.push_back(std::move(key));
  }

  DisjointSets sets(components_);
  for (const RewardKey& key : keys_) {
    const std::uint32_t anchor = key.disjuncts[0].rows[0].component;
    for (const auto& disjunct : key.disjuncts) {
      for (const RewardRow& row : disjunct.rows) sets.join(row.component, anchor);
    }
  }
  block_of_.assign(components_, 0);
  std::vector<std::int64_t> block_of_root(components_, -1);
  for (std::size_t c = 0; c < components_; ++c) {
    const std::uint32_t root = sets.find(static_cast<std::uint32_t>(c));
    if (block_of_root[root] < 0) {
      block_of_root[root] = static_cast<std::int64_t>(block_keys_.size());
      block_keys_.emplace_back();
    }
    block_of_[c] = static_cast<std::uint32_t>(block_of_root[root]);
  }
  block_nonempty_.assign(block_keys_.size(), -1);
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    block_keys_[block_of_[keys_[k].disjuncts[0].rows[0].component]].push_back(static_cast<std::uint32_t>(k));
  }
}

std::uint64_t RewardSet::block_pieces(std::size_t block) const {
  constexpr std::uint64_t kSaturated = std::uint64_t{1} << 62;
  std::uint64_t pieces = 1;
  for (std::uint32_t k : block_keys_[block]) {
    const std::uint64_t choices = keys_[k].disjuncts.size();
    pieces = pieces > kSaturated / choices ? kSaturated : pieces * choices;
  }
  return pieces;
}

bool RewardSet::contains(std::span<const double> y) const {
  if (empty_) return false;
  const std::size_t m = static_cast<std::size_t>(instance_->outcomes());
  const auto holds = [&](const RewardRow& row) {
    return row_excess(row, y.subspan(row.component * m, m)) <= instance_->tie();
  };
  if (!std::all_of(always_.begin(), always_.end(), holds)) return false;
  return std::all_of(keys_.begin(), keys_.end(), [&](const RewardKey& key) {
    return std::any_of(key.disjuncts.begin(), key.disjuncts.end(),
                       [&](const RewardDisjunct& d) { return std::all_of(d.rows.begin(), d.rows.end(), holds); });
  });
}

}  // namespace mechsweep::coalition
