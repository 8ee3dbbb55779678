#pragma once
// `--where` conditions over a store's rows, as `aggregate` and `inspect` take
// them: COLUMN OP VALUE with OP one of = != < <= > >=. `=` and `!=` accept
// alternatives separated by '|' (scf=constant|favour_agent_1). Numbers compare
// as numbers, equal within a relative 1e-9 so that a value typed with fewer
// digits than the store holds (0.35355339 for 1/sqrt(8)) still matches; text
// compares exactly; `status` also takes pending, done and failed. Several
// conditions must all hold.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "store/table.hpp"

namespace mechsweep::postprocess {

enum class Comparison { equal, not_equal, less, less_equal, greater, greater_equal };

struct Condition {
  std::string column;
  Comparison comparison = Comparison::equal;
  std::vector<std::string> values;  // more than one only for = and !=
  std::string text;                 // as the user wrote it
};

// Throws InputError (key `--where`) naming the text and what was expected.
Condition parse_condition(const std::string& text);

class RowFilter {
 public:
  RowFilter() = default;  // keeps every row
  // Resolves each condition's column and checks its values against the
  // column's type; throws InputError naming the condition.
  RowFilter(const store::StoreTable& table, const std::vector<std::string>& conditions);

  bool empty() const { return terms_.empty(); }
  // keep[k] for the rows [first, first + count): 1 where every condition holds.
  void apply(const store::StoreTable& table, std::uint64_t first, std::uint64_t count,
             std::vector<std::uint8_t>& keep) const;

 private:
  struct Term {
    std::size_t column = 0;
    bool numeric = false;
    Comparison comparison = Comparison::equal;
    std::vector<double> numbers;
    std::vector<std::string> texts;
  };
  static bool holds(const Term& term, double value);
  static bool holds(const Term& term, const std::string& value);
  std::vector<Term> terms_;
};

}  // namespace mechsweep::postprocess
