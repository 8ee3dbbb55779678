#include "mechanisms/fpre/continuity.hpp"

#include "mechanisms/fpre/errors.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/seed.hpp"

namespace mechsweep::fpre {
namespace {

constexpr std::int64_t max_ell = 1'000'000'000;
constexpr std::int64_t max_exact_ell = 1'000'000;
constexpr int max_agents = 1'000'000;
// z sits this far (relatively) below its supremum: the conditions are strict.
constexpr double z_margin = 1e-6;
constexpr double one_third = 1.0 / 3.0;
constexpr double two_thirds = 2.0 / 3.0;

using detail::reject;
using detail::show;

void check_agents(int n) {
  if (n < 2 || n > max_agents) reject("n", std::to_string(n), "an integer in [2, 1000000]");
}

void check_z(double z) {
  if (!std::isfinite(z) || z <= 0.0 || z >= one_third) reject("z", show(z), "a finite value in (0, 1/3)");
}

void check_ell(std::int64_t ell) {
  if (ell < 1 || ell > max_ell) reject("ell", std::to_string(ell), "an integer in [1, 10^9]");
}

void check_c(double c) {
  if (!std::isfinite(c) || c <= 0.0 || c > 1.0) reject("c", show(c), "a finite band fraction in (0, 1]");
}

void check_eta(double eta) {
  if (!std::isfinite(eta) || eta <= 0.0 || eta >= 1.0) reject("eta", show(eta), "a finite target in (0, 1)");
}

// Uniform on (0, 1), open at both ends, from 53 bits of a 64-bit word.
double to_open_unit(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }

double default_distance(const ContinuityParams& params) {
  return (1.0 - params.c / 2.0) * params.z / static_cast<double>(params.ell);
}

double distance_of(const ContinuityParams& params) {
  return params.same_index_distance > 0.0 ? params.same_index_distance : default_distance(params);
}

// On-path base profile (0, 1, …, n−1); agent 0 guesses the fresh index n.
std::vector<std::int64_t> on_path_indices(int n) {
  std::vector<std::int64_t> k(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) k[static_cast<std::size_t>(i)] = i;
  return k;
}

// (s, s'): agent 0's on-path share and the share its guess would give on the plateau.
std::pair<double, double> shares(int n) {
  std::vector<std::int64_t> k = on_path_indices(n);
  const double on_path = demo_base_rule(k)[0];
  k[0] = n;
  const double guessed = demo_base_rule(k)[0];
  return {on_path, guessed};
}

// Tiny deterministic generator for Monte Carlo: SplitMix64 over a counter.
class Stream {
 public:
  explicit Stream(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return splitmix64(state_);
  }
  double unit() { return to_open_unit(next()); }

 private:
  std::uint64_t state_;
};

class Counter {
 public:
  void add(bool hit) {
    hits_ += hit ? 1U : 0U;
    ++samples_;
  }
  Estimate estimate() const {
    Estimate out;
    out.samples = samples_;
    if (samples_ == 0) return out;
    const double n = static_cast<double>(samples_);
    out.mean = static_cast<double>(hits_) / n;
    out.standard_error = std::sqrt(out.mean * (1.0 - out.mean) / n);
    return out;
  }

 private:
  std::uint64_t hits_ = 0;
  std::uint64_t samples_ = 0;
};

// |MC − exact| in units of the exact binomial standard error.
double z_score(const Estimate& estimate, double exact) {
  if (estimate.samples == 0) return 0.0;
  const double se = std::sqrt(exact * (1.0 - exact) / static_cast<double>(estimate.samples));
  const double gap = std::abs(estimate.mean - exact);
  if (se == 0.0) return gap == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return gap / se;
}

bool exceeds(const Estimate& estimate, double bound) {
  return estimate.samples > 0 && estimate.mean - 4.0 * estimate.standard_error > bound + 1e-12;
}

Rational floor_of(const Rational& value) {
  using boost::multiprecision::cpp_int;
  const cpp_int num = boost::multiprecision::numerator(value);
  const cpp_int den = boost::multiprecision::denominator(value);
  cpp_int q = num / den;
  if (num < 0 && q * den != num) q -= 1;
  return Rational(q);
}

Rational power(const Rational& base, int exponent) {
  Rational out(1);
  for (int i = 0; i < exponent; ++i) out *= base;
  return out;
}

}  // namespace

void validate(const ContinuityParams& params) {
  check_agents(params.n);
  check_z(params.z);
  check_ell(params.ell);
  check_c(params.c);
  if (!std::isfinite(params.guess_password) || params.guess_password < 0.0 || params.guess_password >= 1.0)
    reject("guess_password", show(params.guess_password), "a finite password part in [0, 1)");
  if (!std::isfinite(params.same_index_distance) || params.same_index_distance < 0.0 ||
      params.same_index_distance >= one_third)
    reject("same_index_distance", show(params.same_index_distance),
           "a finite distance in (0, 1/3), or 0 for the middle of the first band");
}

Band band(const ContinuityParams& params, std::int64_t level) {
  if (level < 1 || level > params.ell)
    reject("level", std::to_string(level), "a band level in [1, ell = " + std::to_string(params.ell) + "]");
  const double step = params.z / static_cast<double>(params.ell);
  const double beta1 = static_cast<double>(level) * step;
  // spec §1.7.3 item 4 [erratum]: β_0 = β_1 − c·z/ℓ, not β_1 − 1/ℓ.
  return {std::max(0.0, beta1 - params.c * step), beta1};
}

double ramp(double password_part, double password, const Band& widths) {
  const double d = std::abs(password_part - password);
  if (d <= widths.beta0) return 0.0;
  if (d >= widths.beta1) return 1.0;
  return (d - widths.beta0) / (widths.beta1 - widths.beta0);
}

Message split(double tau) {
  if (!std::isfinite(tau)) reject("tau", show(tau), "a finite message");
  const double floor_tau = std::floor(tau);
  if (std::abs(floor_tau) > 9.0e15) reject("tau", show(tau), "a message with |tau| < 9e15");
  Message out{static_cast<std::int64_t>(floor_tau), tau - floor_tau};
  if (out.password >= 1.0) out = {out.index + 1, 0.0};
  return out;
}

ContinuousRule::ContinuousRule(const ContinuityParams& params, std::uint64_t table_seed, std::int64_t level)
    : n_(params.n), table_seed_(table_seed), level_(level), band_() {
  validate(params);
  band_ = band(params, level);
}

ContinuousRule::ContinuousRule(int n, std::uint64_t table_seed, Band widths)
    : n_(n), table_seed_(table_seed), level_(0), band_(widths) {
  check_agents(n);
  if (!std::isfinite(widths.beta0) || !std::isfinite(widths.beta1) || widths.beta0 < 0.0 ||
      widths.beta1 <= widths.beta0 || widths.beta1 > one_third)
    reject("band", "(" + show(widths.beta0) + ", " + show(widths.beta1) + ")", "0 ≤ beta0 < beta1 ≤ 1/3");
}

ContinuousRule ContinuousRule::draw(const ContinuityParams& params, std::uint64_t seed) {
  validate(params);
  const std::uint64_t level_bits = derive_seed(seed, 0);
  const auto level = static_cast<std::int64_t>(level_bits % static_cast<std::uint64_t>(params.ell)) + 1;
  return ContinuousRule(params, derive_seed(seed, 1), level);
}

double ContinuousRule::password(std::int64_t index) const {
  return one_third + one_third * to_open_unit(derive_seed(table_seed_, static_cast<std::uint64_t>(index)));
}

double ContinuousRule::term(const Message& message) const {
  if (message.index < 0) return 1.0;  // spec §1.7.3 item 5 [derived]: q = 1 off ℕ
  return ramp(message.password, password(message.index), band_);
}

double ContinuousRule::failure_weight(std::span<const Message> profile) const {
  if (profile.size() != static_cast<std::size_t>(n_))
    reject("profile size", std::to_string(profile.size()), std::to_string(n_) + " messages");
  double pass = 1.0;
  for (const Message& message : profile) pass *= 1.0 - term(message);
  return 1.0 - pass;
}

double ContinuousRule::failure_weight(std::span<const double> tau) const {
  std::vector<Message> profile;
  profile.reserve(tau.size());
  for (const double t : tau) profile.push_back(split(t));
  return failure_weight(profile);
}

std::vector<double> ContinuousRule::evaluate(std::span<const Message> profile) const {
  const double weight = failure_weight(profile);
  std::vector<std::int64_t> indices;
  indices.reserve(profile.size());
  // ν*(k) matters only where Q < 1, and there every k_i ≥ 0 (q = 1 off ℕ).
  for (const Message& message : profile) indices.push_back(std::max<std::int64_t>(message.index, 0));
  std::vector<double> out = demo_base_rule(indices);
  for (double& x : out) x *= 1.0 - weight;  // Q·o̲ + (1 − Q)·ν*(k) with o̲ = 0
  return out;
}

std::vector<double> ContinuousRule::evaluate(std::span<const double> tau) const {
  std::vector<Message> profile;
  profile.reserve(tau.size());
  for (const double t : tau) profile.push_back(split(t));
  return evaluate(profile);
}

double guess_hit_probability(double password_part, double radius) {
  // 3·|(w − r, w + r) ∩ (1/3, 2/3)|.
  const double length = std::min(password_part + radius, two_thirds) - std::max(password_part - radius, one_third);
  return std::clamp(3.0 * length, 0.0, 1.0);
}

std::vector<double> demo_base_rule(std::span<const std::int64_t> indices) {
  double total = 1.0;
  for (const std::int64_t k : indices) {
    if (k < 0) reject("base index", std::to_string(k), "a natural number");
    total += static_cast<double>(k) + 1.0;
  }
  std::vector<double> out;
  out.reserve(indices.size());
  for (const std::int64_t k : indices) out.push_back((static_cast<double>(k) + 1.0) / total);
  return out;
}

double max_term(const ContinuityParams& params) {
  validate(params);
  return std::max(6.0 * params.z, 1.0 / static_cast<double>(params.ell));
}

double eta_bound_paper(const ContinuityParams& params) {
  return 1.0 - std::pow(1.0 - std::min(max_term(params), 1.0), params.n);
}

double eta_union_bound(const ContinuityParams& params) { return static_cast<double>(params.n) * max_term(params); }

double eta_single_bound(const ContinuityParams& params) { return max_term(params); }

double different_index_escape(const ContinuityParams& params) {
  validate(params);
  // spec §2.6: Pr[|w' − ε_{k'}| < β_1], averaged over the ℓ levels. O(ℓ).
  double total = 0.0;
  for (std::int64_t j = 1; j <= params.ell; ++j)
    total += guess_hit_probability(params.guess_password, band(params, j).beta1);
  return total / static_cast<double>(params.ell);
}

double different_index_escape_sup(const ContinuityParams& params) {
  validate(params);
  // At w' = 1/2: E_j[min(6jz/ℓ, 1)]. Levels j ≤ J = ⌊ℓ/(6z)⌋ are below 1.
  const double ell = static_cast<double>(params.ell);
  const double big_j = std::min(ell, std::floor(ell / (6.0 * params.z)));
  return (6.0 * params.z / ell * big_j * (big_j + 1.0) / 2.0 + (ell - big_j)) / ell;
}

double same_index_escape(const ContinuityParams& params) {
  validate(params);
  const double d = distance_of(params);
  // β_0 < d < β_1 ⇔ j ∈ (x, x + c), x = dℓ/z. Points within 1e-9 of the grid
  // count as on it: the band is open, and the grid point is a tie (spec §6.3).
  const double x = d * static_cast<double>(params.ell) / params.z;
  const double tolerance = 1e-9 * std::max(1.0, x);
  const double nearest = std::round(x);
  const double low = std::abs(x - nearest) <= tolerance ? nearest : x;
  const double high_raw = x + params.c;
  const double high_nearest = std::round(high_raw);
  const double high = std::abs(high_raw - high_nearest) <= tolerance ? high_nearest : high_raw;
  // Integers j with low < j < high and 1 ≤ j ≤ ℓ.
  const double first = std::max(1.0, std::floor(low) + 1.0);
  const double last = std::min(static_cast<double>(params.ell), std::ceil(high) - 1.0);
  return last >= first ? (last - first + 1.0) / static_cast<double>(params.ell) : 0.0;
}

double joint_escape(const ContinuityParams& params) {
  validate(params);
  double stay = 0.0;
  for (std::int64_t j = 1; j <= params.ell; ++j)
    stay += std::pow(1.0 - guess_hit_probability(params.guess_password, band(params, j).beta1), params.n);
  return 1.0 - stay / static_cast<double>(params.ell);
}

double eta_single_exact(const ContinuityParams& params) {
  return std::max(different_index_escape_sup(params), 1.0 / static_cast<double>(params.ell));
}

double improvement_probability(const ContinuityParams& params) {
  validate(params);
  const auto [on_path, guessed] = shares(params.n);
  // (1 − q)·s' > s ⇔ q < θ = 1 − s/s' ⇔ |w' − ε| < β_0 + θ(β_1 − β_0).
  const double theta = 1.0 - on_path / guessed;
  double total = 0.0;
  for (std::int64_t j = 1; j <= params.ell; ++j) {
    const Band b = band(params, j);
    total += guess_hit_probability(params.guess_password, b.beta0 + theta * (b.beta1 - b.beta0));
  }
  return total / static_cast<double>(params.ell);
}

double demo_diameter() { return 1.0; }

double lipschitz_bound_tight(const ContinuityParams& params) {
  validate(params);
  return static_cast<double>(params.ell) / (params.c * params.z) * demo_diameter();
}

double lipschitz_bound(const ContinuityParams& params) {
  return static_cast<double>(params.n) * lipschitz_bound_tight(params);
}

ExactContinuity exact_continuity(int n, const Rational& z, std::int64_t ell, const Rational& c,
                                 const Rational& distance) {
  check_agents(n);
  if (n > 1000) reject("n", std::to_string(n), "at most 1000 for exact evaluation");
  if (z <= 0 || z >= Rational(1, 3)) reject("z", z.str(), "a value in (0, 1/3)");
  if (ell < 1 || ell > max_exact_ell)
    reject("ell", std::to_string(ell), "an integer in [1, 10^6] for exact evaluation");
  if (c <= 0 || c > 1) reject("c", c.str(), "a band fraction in (0, 1]");
  if (distance <= 0) reject("same_index_distance", distance.str(), "a positive distance");
  const Rational ell_q(ell);
  ExactContinuity out;
  out.max_term = std::max(Rational(6) * z, Rational(1) / ell_q);
  const Rational capped = std::min(out.max_term, Rational(1));
  out.eta_bound_paper = 1 - power(1 - capped, n);
  out.eta_union_bound = Rational(n) * out.max_term;
  out.eta_single_bound = out.max_term;
  // Different index at w' = 1/2: E_j[min(6jz/ℓ, 1)]; joint: 1 − E_j[(1 − ·)^n].
  Rational sum(0);
  Rational stay(0);
  for (std::int64_t j = 1; j <= ell; ++j) {
    const Rational p = std::min(Rational(6) * Rational(j) * z / ell_q, Rational(1));
    sum += p;
    stay += power(1 - p, n);
  }
  out.different_index_escape = sum / ell_q;
  out.joint_escape = 1 - stay / ell_q;
  // Same index: integers j ∈ (x, x + c) ∩ [1, ℓ], x = dℓ/z.
  const Rational x = distance * ell_q / z;
  Rational first = floor_of(x) + 1;
  if (first < 1) first = 1;
  const Rational top = x + c;
  Rational last = floor_of(top);
  if (last == top) last -= 1;
  if (last > ell_q) last = ell_q;
  out.same_index_escape = last >= first ? (last - first + 1) / ell_q : Rational(0);
  return out;
}

ContinuityReport analyse_continuity(const ContinuityParams& params, std::uint64_t seed, std::uint64_t samples) {
  validate(params);
  ContinuityReport report;
  report.max_term = max_term(params);
  report.eta_bound_paper = eta_bound_paper(params);
  report.eta_union_bound = eta_union_bound(params);
  report.eta_single_bound = eta_single_bound(params);
  report.eta_single_exact = eta_single_exact(params);
  report.different_index_escape_exact = different_index_escape(params);
  report.same_index_distance = distance_of(params);
  report.same_index_escape_exact = same_index_escape(params);
  report.joint_escape_exact = joint_escape(params);
  report.improvement_exact = improvement_probability(params);
  report.diameter = demo_diameter();
  report.lipschitz_bound = lipschitz_bound(params);
  report.lipschitz_bound_tight = lipschitz_bound_tight(params);

  const auto n = static_cast<std::size_t>(params.n);
  const double on_path_share = shares(params.n).first;
  const double d = report.same_index_distance;
  Counter different;
  Counter same;
  Counter joint;
  Counter improve;
  Counter same_improve;
  double lipschitz = 0.0;
  std::vector<Message> profile(n);
  std::vector<Message> moved(n);
  for (std::uint64_t s = 0; s < samples; ++s) {
    const std::uint64_t sample_seed = derive_seed(seed, s);
    const ContinuousRule rule = ContinuousRule::draw(params, sample_seed);
    for (std::size_t i = 0; i < n; ++i) profile[i] = rule.recommend(static_cast<std::int64_t>(i));

    // Agent 0 guesses the fresh index n at w' (spec §2.6 different-index case).
    std::vector<Message> deviation = profile;
    deviation[0] = {params.n, params.guess_password};
    different.add(rule.failure_weight(deviation) < 1.0);
    improve.add(rule.evaluate(deviation)[0] > on_path_share);

    // Agent 0 keeps its index and moves its password part by d (it knows ε_0).
    deviation[0] = {0, profile[0].password + d};
    const double same_weight = rule.failure_weight(deviation);
    same.add(same_weight > 0.0 && same_weight < 1.0);
    same_improve.add(rule.evaluate(deviation)[0] > on_path_share);

    // Every agent guesses its own fresh index n + i at w'.
    bool any_live = false;
    for (std::size_t i = 0; i < n; ++i)
      any_live = any_live || rule.term({params.n + static_cast<std::int64_t>(i), params.guess_password}) < 1.0;
    joint.add(any_live);

    // Lipschitz probe: one agent's password part across its ramp, others obey.
    Stream stream(derive_seed(sample_seed, 2));
    const std::size_t agent = s % n;
    const Band& b = rule.widths();
    const double width = b.beta1 - b.beta0;
    const double sign = stream.unit() < 0.5 ? -1.0 : 1.0;
    const double offset = b.beta0 + width * (-0.1 + 1.2 * stream.unit());
    const double h = std::max(width * 1e-3, 1e-10);
    moved = profile;
    moved[agent].password = profile[agent].password + sign * offset;
    const std::vector<double> before = rule.evaluate(moved);
    const double w_before = moved[agent].password;
    moved[agent].password = w_before + sign * h;
    const double step = std::abs(moved[agent].password - w_before);
    const std::vector<double> after = rule.evaluate(moved);
    double change = 0.0;
    for (std::size_t i = 0; i < n; ++i) change += std::abs(after[i] - before[i]);
    if (step > 0.0) lipschitz = std::max(lipschitz, change / step);
  }
  report.different_index_escape_mc = different.estimate();
  report.same_index_escape_mc = same.estimate();
  report.joint_escape_mc = joint.estimate();
  report.improvement_mc = improve.estimate();
  report.same_index_improvement_mc = same_improve.estimate();
  report.lipschitz_empirical = lipschitz;
  report.max_z_score = std::max({z_score(report.different_index_escape_mc, report.different_index_escape_exact),
                                 z_score(report.same_index_escape_mc, report.same_index_escape_exact),
                                 z_score(report.joint_escape_mc, report.joint_escape_exact),
                                 z_score(report.improvement_mc, report.improvement_exact),
                                 z_score(report.same_index_improvement_mc, 0.0)});
  constexpr double tol = 1e-12;
  // Exact values and MC (beyond 4 SE) against their bounds; the sampled
  // Lipschitz ratio against the tight ℓ/(c·z)·diam (which implies the spec's
  // n·ℓ/(c·z)·diam), with a relative 1e-5 allowance for rounding.
  report.bound_violated = report.eta_single_exact > report.eta_single_bound + tol ||
                          report.different_index_escape_exact > report.eta_single_bound + tol ||
                          report.same_index_escape_exact > report.eta_single_bound + tol ||
                          report.joint_escape_exact > report.eta_bound_paper + tol ||
                          report.eta_bound_paper > report.eta_union_bound + tol ||
                          exceeds(report.different_index_escape_mc, report.eta_single_bound) ||
                          exceeds(report.same_index_escape_mc, report.eta_single_bound) ||
                          exceeds(report.joint_escape_mc, report.eta_bound_paper) ||
                          report.same_index_improvement_mc.mean > 0.0 ||
                          report.lipschitz_empirical > report.lipschitz_bound_tight * (1.0 + 1e-5);
  return report;
}

const char* label(EtaCriterion criterion) {
  switch (criterion) {
    case EtaCriterion::paper:
      return "paper";
    case EtaCriterion::union_bound:
      return "union";
    case EtaCriterion::single_agent:
      return "single";
    case EtaCriterion::exact_single:
      return "exact_single";
  }
  return "unknown";
}

EtaCriterion parse_eta_criterion(const std::string& text) {
  for (const EtaCriterion criterion :
       {EtaCriterion::paper, EtaCriterion::union_bound, EtaCriterion::single_agent, EtaCriterion::exact_single})
    if (text == label(criterion)) return criterion;
  reject("eta_criterion", "\"" + text + "\"", "one of paper, union, single, exact_single");
}

namespace {

double criterion_value(const ContinuityParams& params, EtaCriterion criterion) {
  switch (criterion) {
    case EtaCriterion::paper:
      return eta_bound_paper(params);
    case EtaCriterion::union_bound:
      return eta_union_bound(params);
    case EtaCriterion::single_agent:
      return eta_single_bound(params);
    case EtaCriterion::exact_single:
      return eta_single_exact(params);
  }
  return 1.0;
}

// Smallest ℓ with 1/ℓ < b.
std::int64_t smallest_ell(double b) {
  const double guess = std::floor(1.0 / b) + 1.0;
  if (guess > static_cast<double>(max_ell)) reject("eta", show(b), "a target that needs ell ≤ 10^9");
  auto ell = static_cast<std::int64_t>(guess);
  while (1.0 / static_cast<double>(ell) >= b) ++ell;
  while (ell > 1 && 1.0 / static_cast<double>(ell - 1) < b) --ell;
  return ell;
}

}  // namespace

EtaSolution solve_for_eta(int n, double eta, double c, EtaCriterion criterion) {
  check_agents(n);
  check_eta(eta);
  check_c(c);
  // Each criterion is max{6z, 1/ℓ}-type with threshold b, except exact_single.
  double b = eta;
  switch (criterion) {
    case EtaCriterion::paper:
      b = -std::expm1(std::log1p(-eta) / static_cast<double>(n));  // 1 − (1 − η)^{1/n}
      break;
    case EtaCriterion::union_bound:
      b = eta / static_cast<double>(n);
      break;
    case EtaCriterion::single_agent:
    case EtaCriterion::exact_single:
      b = eta;
      break;
  }
  EtaSolution out;
  out.ell = smallest_ell(b);
  ContinuityParams params;
  params.n = n;
  params.ell = out.ell;
  params.c = c;
  if (criterion == EtaCriterion::exact_single) {
    // E_j[min(6jz/ℓ, 1)] is continuous and increasing in z: bisect for its supremum.
    double low = 0.0;
    double high = one_third;
    for (int iter = 0; iter < 200; ++iter) {
      const double mid = 0.5 * (low + high);
      if (mid <= low || mid >= high) break;
      params.z = mid;
      (different_index_escape_sup(params) < eta ? low : high) = mid;
    }
    out.z_supremum = high;
  } else {
    out.z_supremum = std::min(b / 6.0, one_third);
  }
  out.z = out.z_supremum * (1.0 - z_margin);
  params.z = out.z;
  out.achieved = criterion_value(params, criterion);
  if (!(out.achieved < eta))
    throw std::logic_error("fpre: solve_for_eta reached " + show(out.achieved) + " ≥ eta = " + show(eta));
  out.lipschitz_bound = lipschitz_bound(params);
  return out;
}

PasswordGrid password_grid(std::int64_t m) {
  if (m < 2 || m > max_ell) reject("m", std::to_string(m), "a grid size in [2, 10^9] (m' = m − 1 ≥ 1 points)");
  return {m, m - 1, Rational(1, m - 1)};
}

PasswordGrid grid_for_eta(const Rational& eta) {
  if (eta <= 0 || eta >= 1) reject("eta", eta.str(), "a target in (0, 1)");
  // spec §2.7 Claim B: 1/m' < η ⇔ m' > 1/η; smallest m' = ⌊1/η⌋ + 1, m = m' + 1.
  const Rational m_prime = floor_of(Rational(1) / eta) + 1;
  if (m_prime >= Rational(max_ell)) reject("eta", eta.str(), "a target that needs m ≤ 10^9");
  return password_grid(static_cast<std::int64_t>(boost::multiprecision::numerator(m_prime)) + 1);
}

PasswordGrid grid_for_eta(double eta) {
  check_eta(eta);
  if (1.0 / eta >= static_cast<double>(max_ell - 1)) reject("eta", show(eta), "a target that needs m ≤ 10^9");
  auto m_prime = static_cast<std::int64_t>(std::floor(1.0 / eta)) + 1;
  while (1.0 / static_cast<double>(m_prime) >= eta) ++m_prime;
  while (m_prime > 1 && 1.0 / static_cast<double>(m_prime - 1) < eta) --m_prime;
  return password_grid(m_prime + 1);
}

std::vector<Rational> grid_passwords(std::int64_t m) {
  const PasswordGrid grid = password_grid(m);
  if (m > max_exact_ell) reject("m", std::to_string(m), "at most 10^6 to list the grid");
  std::vector<Rational> out;
  out.reserve(static_cast<std::size_t>(grid.m_prime));
  for (std::int64_t k = 1; k < m; ++k) out.emplace_back(k, m);
  return out;
}

Rational countable_eta(std::int64_t m, bool improving_guess_exists) {
  const PasswordGrid grid = password_grid(m);
  return improving_guess_exists ? grid.guess_success : Rational(0);
}

}  // namespace mechsweep::fpre
