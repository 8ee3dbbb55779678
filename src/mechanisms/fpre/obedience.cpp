#include "mechanisms/fpre/obedience.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

namespace mechsweep::fpre {
namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("fpre: " + message); }

Integer ceil_of(const Rational& q) {
  const Integer num = numerator(q);
  const Integer den = denominator(q);  // > 0
  Integer quotient = num / den;
  if (quotient * den < num) ++quotient;
  return quotient;
}

// The least m' ≥ 1 with 1/m' ≤ x_star (x_star > 0).
CriticalGrid grid_from_threshold(const Rational& x_star) {
  if (x_star >= 1) return {false, 1};
  return {false, ceil_of(1 / x_star)};
}

// Critical grid of a convex, piecewise-affine, non-decreasing G on [0, 1],
// given G, its right slope at 0 and its breakpoints.
template <typename Gain>
CriticalGrid critical_of_convex(const Gain& g, const Rational& right_slope_at_zero, std::vector<Rational> breaks) {
  const Rational at_zero = g(Rational{0});
  if (at_zero > 0 || (at_zero == 0 && right_slope_at_zero > 0)) return CriticalGrid::never();
  if (g(Rational{1}) <= 0) return {false, 1};
  breaks.push_back(Rational{0});
  breaks.push_back(Rational{1});
  std::sort(breaks.begin(), breaks.end());
  breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
  Rational lo = 0;
  Rational g_lo = at_zero;
  for (const Rational& hi : breaks) {
    if (hi <= 0 || hi > 1) continue;
    const Rational g_hi = g(hi);
    if (g_hi > 0) {
      // G is affine on [lo, hi] with G(lo) ≤ 0 < G(hi): one root.
      const Rational root = lo - g_lo * (hi - lo) / (g_hi - g_lo);
      return grid_from_threshold(root);
    }
    lo = hi;
    g_lo = g_hi;
  }
  return {false, 1};  // unreachable: G(1) > 0 was found above
}

std::vector<std::int64_t> others_indices(const BaseRule& base, int on_path) { return base.indices_for(on_path); }

}  // namespace

double CriticalGrid::as_double() const {
  return infinite ? std::numeric_limits<double>::infinity() : value.convert_to<double>();
}

std::string CriticalGrid::to_string() const { return infinite ? std::string("inf") : value.str(); }

Rational guess_probability(std::optional<std::int64_t> grid) {
  if (!grid) return Rational{0};
  if (*grid < 1) reject("password grid m' = " + std::to_string(*grid) + "; expected m' ≥ 1");
  return Rational{1, *grid};
}

std::vector<ExPostCase> expost_cases(const Environment& env, const Scf& mu, const BaseRule& base) {
  require_scf(env, mu);
  std::vector<ExPostCase> cases;
  const std::int64_t k = base.index_count();
  for (int i = 0; i < env.agents(); ++i) {
    const int worst = env.worst(i);
    for (std::int64_t t = 0; t < env.profiles().size(); ++t) {
      ExPostCase c;
      c.agent = i;
      c.profile = t;
      c.on_path = mu[static_cast<std::size_t>(t)];
      const Rational floor = env.u(i, t, worst);
      const Rational on_path_gap = env.u(i, t, c.on_path) - floor;  // B
      std::vector<std::int64_t> s = others_indices(base, c.on_path);
      const std::int64_t own = s[static_cast<std::size_t>(i)];
      Rational best_slope = 0;  // failing: slope 0
      for (std::int64_t guess = 0; guess < k; ++guess) {
        if (guess == own) continue;
        s[static_cast<std::size_t>(i)] = guess;
        const int reached = base.evaluate(s);
        const Rational slope = env.u(i, t, reached) - floor;  // A
        if (slope > on_path_gap) c.improving_guess = true;
        if (slope > best_slope) {
          best_slope = slope;
          c.best_guess = guess;
          c.guess_outcome = reached;
        }
      }
      c.best_gain = Affine{-on_path_gap, best_slope};
      if (best_slope > on_path_gap) {
        c.critical = on_path_gap > 0 ? CriticalGrid{false, ceil_of(best_slope / on_path_gap)} : CriticalGrid::never();
      }
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

Rational InterimCase::gain(const Rational& x) const {
  Rational total = -truthful;
  for (const InterimGroup& g : groups) total += std::max(g.obey, Rational{g.fail + x * g.guess_slope});
  return total;
}

std::vector<InterimCase> interim_cases(const Environment& env, const Scf& mu, const BaseRule& base) {
  require_scf(env, mu);
  const ProfileSpace& profiles = env.profiles();
  const std::int64_t k = base.index_count();
  std::vector<InterimCase> cases;
  for (int i = 0; i < env.agents(); ++i) {
    const int worst = env.worst(i);
    for (int ti = 0; ti < profiles.types(i); ++ti) {
      const Rational& marginal = env.marginal(i, ti);
      if (marginal == 0) continue;  // vacuous (spec §6.3)
      for (int tr = 0; tr < profiles.types(i); ++tr) {
        InterimCase c;
        c.agent = i;
        c.true_type = ti;
        c.reported_type = tr;
        struct Accumulator {
          Rational obey;
          Rational fail;
          std::vector<Rational> slopes;
        };
        std::map<std::int64_t, Accumulator> groups;
        for (std::int64_t t = 0; t < profiles.size(); ++t) {
          if (profiles.type_of(t, i) != ti || env.prior(t) == 0) continue;
          const Rational weight = env.prior(t) / marginal;
          c.truthful += weight * env.u(i, t, mu[static_cast<std::size_t>(t)]);
          const int reported = mu[static_cast<std::size_t>(profiles.with_type(t, i, tr))];
          std::vector<std::int64_t> s = base.indices_for(reported);
          const std::int64_t own = s[static_cast<std::size_t>(i)];
          Accumulator& acc = groups[own];
          if (acc.slopes.empty()) acc.slopes.assign(static_cast<std::size_t>(k), Rational{0});
          const Rational floor = env.u(i, t, worst);
          acc.obey += weight * env.u(i, t, reported);
          acc.fail += weight * floor;
          for (std::int64_t guess = 0; guess < k; ++guess) {
            if (guess == own) continue;
            s[static_cast<std::size_t>(i)] = guess;
            acc.slopes[static_cast<std::size_t>(guess)] += weight * (env.u(i, t, base.evaluate(s)) - floor);
          }
        }
        Rational right_slope = 0;
        std::vector<Rational> breaks;
        for (auto& [own, acc] : groups) {
          Rational slope = 0;
          for (std::int64_t guess = 0; guess < k; ++guess) {
            if (guess != own) slope = std::max(slope, acc.slopes[static_cast<std::size_t>(guess)]);
          }
          c.groups.push_back(InterimGroup{own, acc.obey, acc.fail, slope});
          if (acc.fail >= acc.obey) right_slope += slope;
          if (slope > 0 && acc.obey > acc.fail) breaks.push_back((acc.obey - acc.fail) / slope);
        }
        c.critical = critical_of_convex([&c](const Rational& x) { return c.gain(x); }, right_slope, breaks);
        cases.push_back(std::move(c));
      }
    }
  }
  return cases;
}

GapReport utility_gaps(const Environment& env, const Scf& mu, const BaseRule& base) {
  require_scf(env, mu);
  const std::vector<int> targets = scf_image(mu);
  const std::vector<int>& image = base.image();
  GapReport gaps;
  bool first = true;
  for (int i = 0; i < env.agents(); ++i) {
    for (std::int64_t t = 0; t < env.profiles().size(); ++t) {
      const Rational floor = env.u(i, t, env.worst(i));
      Rational best = env.u(i, t, image.front());
      Rational least = best;
      for (const int o : image) {
        best = std::max(best, env.u(i, t, o));
        least = std::min(least, env.u(i, t, o));
      }
      Rational target_least = env.u(i, t, targets.front());
      for (const int o : targets) {
        const Rational value = env.u(i, t, o);
        target_least = std::min(target_least, value);
        if (best > value && (!gaps.alpha_refined || value - floor < *gaps.alpha_refined)) {
          gaps.alpha_refined = value - floor;
        }
      }
      if (first || target_least - floor < gaps.alpha) gaps.alpha = target_least - floor;
      if (first || least - floor < gaps.alpha_ds) gaps.alpha_ds = least - floor;
      if (first || best - floor > gaps.reach) gaps.reach = best - floor;
      first = false;
    }
  }
  if (gaps.alpha_refined && *gaps.alpha_refined > 0) gaps.d_over_alpha = gaps.reach / *gaps.alpha_refined;
  return gaps;
}

ObedienceReport analyse_obedience(const Environment& env, const Scf& mu, const BaseRule& base,
                                  std::optional<std::int64_t> grid) {
  ObedienceReport report;
  report.grid = grid;
  report.guess_probability = guess_probability(grid);
  const Rational& x = report.guess_probability;
  bool first = true;
  for (ExPostCase& c : expost_cases(env, mu, base)) {
    report.improving_guess_exists = report.improving_guess_exists || c.improving_guess;
    const Rational gain = c.best_gain.at(x);
    if (first || gain > report.max_expost_gain) {
      report.max_expost_gain = gain;
      report.expost_witness = c;
      first = false;
    }
    if (c.critical.infinite || (!report.m_crit_expost.infinite && c.critical.value > report.m_crit_expost.value)) {
      report.m_crit_expost = c.critical;
    }
  }
  first = true;
  for (InterimCase& c : interim_cases(env, mu, base)) {
    const Rational gain = c.gain(x);
    if (first || gain > report.max_interim_gain) {
      report.max_interim_gain = gain;
      report.interim_witness = c;
      first = false;
    }
    if (c.critical.infinite || (!report.m_crit_interim.infinite && c.critical.value > report.m_crit_interim.value)) {
      report.m_crit_interim = c.critical;
    }
  }
  report.eta_achieved = report.improving_guess_exists ? x : Rational{0};
  report.obedient_expost = report.max_expost_gain <= 0;
  report.obedient_interim = report.max_interim_gain <= 0;
  report.gaps = utility_gaps(env, mu, base);
  report.obedient_ds_bound = !grid || Rational{*grid} * report.gaps.alpha_ds >= report.gaps.reach;
  return report;
}

}  // namespace mechsweep::fpre
