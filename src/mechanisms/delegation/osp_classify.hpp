#pragma once
// The structural OSP classifier of Theorem 2 for one agent's menu, and the
// exact OSP test of the myopic strategy on a given type space (spec 002 §1.6,
// §2.6, §6 items 2–12 and 17).
//
// Model. The agent holds the endowment η ∈ R^I_+ (I ≥ 2) and has a finite menu
// of trading sets T^k ⊂ R^I_+, each given by the finite point set T̃^k (its
// essential reduction: the bundles the selection rule can actually give). The
// singleton {η} is always on the menu as well (the right to demand the
// endowment) and need not be listed. A type c ∈ C pays c·x for bundle x; C is
// either the full cone R^I_{++} or a box ∏[low_i, high_i].
//
// Structure (the necessity half of Theorem 2, conclusive only for C = R^I_{++}):
// classify_set sorts each T̃^k by its directions D^k = {x − η : x ≠ η} into
// trivial (D empty), redundant (all d ≥ 0), remedial (all d ≤ 0), a subset of
// one non-monotone ray η + yκ (y > 0), or none of these (Claim 4 fails).
// classify_menu then checks Claims 1–6 and Corollary 2 and reports which of
// Theorem 2's forms the menu has: (b) polarized rays plus redundant sets, or
// (a) at most one non-trivial remedial set plus redundant ones.
//
// Exact OSP on C (derived). Call T^k attractive at c if some d ∈ D^k has
// c·d < 0 and risky if some d has c·d > 0. Suppose η ∈ T̃^k for every k
// (Claim 1). A chosen set k is compared with {η}: its worst case must be
// ≤ c·η, so k is not risky, and as η ∈ T̃^k that worst case is exactly c·η.
// Every other set's best case must then be ≥ c·η: no other set is
// attractive. (If {η} itself is chosen, no set may be attractive.) Hence the
// myopic strategy (the unique attractive set, else {η}) is OSP at c iff
//   (V1) no two distinct sets are attractive at c, and
//   (V2) no set is both attractive and risky at c.
// V1 or V2 fails on an open part of C iff, for some pair of directions,
//   V1: d ∈ D^k, d' ∈ D^{k'}, k ≠ k':  t* = min{t : c·d ≤ t, c·d' ≤ t, c ∈ C̄} < 0,
//   V2: d, d'' ∈ D^k:                   t* = min{t : c·d ≤ t, −c·d'' ≤ t, c ∈ C̄} < 0,
// one tiny LP each (the full cone normalised to c ≥ 0, Σc = 1, spec §6 item
// 17), skipped when a simplex vertex or box corner already violates.
// Directions are unit vectors and a violation needs t* < −tolerance·s with
// s = max ‖c‖₁ over C̄, so ties of measure zero (c·κ = 0) are ignored. The
// witness type moves the violating c part of the way to the centre of C̄,
// keeping t ≤ t*/2 < 0; it then lies in C (strictly positive on the cone).
// When Claim 1 fails, the verdict is that of the menu with η added to every
// set, which is what every feasible essential reduction looks like (Claim 1).
// On the full cone V1 for two rays is non-polarization (Ville's theorem), so
// that verdict agrees with polarized(); on boxes polarized ⇒ OSP only (K2b).

#include <span>
#include <utility>
#include <vector>

namespace mechsweep::delegation {

// The agent's type space C_j: a box ∏[low_i, high_i] (0 ≤ low ≤ high) or the
// full cone R^I_{++}.
struct TypeSpace {
  std::vector<double> low, high;  // both empty = the full cone
  static TypeSpace full_cone();
  static TypeSpace box(std::vector<double> low, std::vector<double> high);
  bool is_full_cone() const { return low.empty(); }
};

enum class SetKind { trivial, remedial, redundant, ray, violates_claim4 };

struct SetClass {
  SetKind kind = SetKind::trivial;
  std::vector<double> direction;  // κ of unit length for rays, empty otherwise
};

// classify_set of spec §2.6 for the point set T̃ around the endowment η. Points
// within tolerance·max(1, largest |entry|) of η, coordinate-wise, count as η.
// Throws std::invalid_argument for points of the wrong size, negative or
// non-finite entries, or I < 2.
SetClass classify_set(const std::vector<std::vector<double>>& points, std::span<const double> endowment,
                      double tolerance = 1e-9);

struct OspClassification {
  enum class Form {
    polarized_rays,  // Theorem 2 (b): ≥ 1 pairwise polarized rays, ≤ I of them, plus redundant sets
    remedial,        // Theorem 2 (a): at most one non-trivial remedial set plus redundant sets
    none,            // Claims 4–6 or Corollary 2 fail
  };

  std::vector<SetClass> sets;
  bool claim1 = true;           // η ∈ every set
  bool claim2 = true;           // no c ≥ 0 finds two sets attractive (V1 on the full cone)
  bool claim3 = true;           // no set has x', x'' and c ≥ 0 with c·x' < c·η < c·x'' (V2 on the full cone)
  bool claim4 = true;           // every set is trivial, remedial, redundant or ray-contained
  bool claim5 = true;           // ray-contained sets pairwise polarized (redundant sets exempt)
  bool claim6 = true;           // a non-trivial remedial set ⇒ every other set remedial or redundant
  bool corollary2 = true;       // at most I ray sets
  int first_failing_claim = 0;  // 0 none, else 1..6 (7 = Corollary 2)
  std::pair<int, int> witness_sets{-1, -1};  // the set(s) behind that failure (−1 where only one)
  Form form = Form::none;

  // Exact OSP of the myopic strategy on the given type space (V1 and V2).
  bool osp_on_type_space = false;
  std::vector<double> witness_type;          // a c ∈ C where it fails (empty if OSP)
  std::pair<int, int> witness_pair{-1, -1};  // V1: the two sets; V2: the same set twice
  bool necessity_applies = false;            // Theorem 2's "only if" holds: C is the full cone
};

// Throws std::invalid_argument ("delegation: ...") for an empty set, points of
// the wrong size, negative or non-finite entries, η with I < 2 or a negative
// entry, or a box that is not 0 ≤ low ≤ high (finite) of size I.
OspClassification classify_menu(const std::vector<std::vector<std::vector<double>>>& sets,
                                std::span<const double> endowment, const TypeSpace& types, double tolerance = 1e-9);

}  // namespace mechsweep::delegation
