#include "postprocess/row_filter.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>

#include "core/error.hpp"
#include "store/store.hpp"

namespace mechsweep::postprocess {

namespace {

constexpr const char* kFlag = "--where";

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

// Two-character operators first, so that "<=" is not read as "<".
constexpr std::array<std::pair<const char*, Comparison>, 7> kOperators{{{"!=", Comparison::not_equal},
                                                                        {"<=", Comparison::less_equal},
                                                                        {">=", Comparison::greater_equal},
                                                                        {"==", Comparison::equal},
                                                                        {"=", Comparison::equal},
                                                                        {"<", Comparison::less},
                                                                        {">", Comparison::greater}}};

std::optional<double> parse_number(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

bool nearly_equal(double a, double b) {
  if (a == b) return true;  // infinities too
  return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

}  // namespace

Condition parse_condition(const std::string& text) {
  std::size_t at = std::string::npos;
  std::size_t width = 0;
  Comparison comparison = Comparison::equal;
  // The leftmost operator splits the text; at one position the longest wins.
  for (const auto& [symbol, kind] : kOperators) {
    const std::size_t found = text.find(symbol);
    const std::size_t length = std::char_traits<char>::length(symbol);
    if (found != std::string::npos && (found < at || (found == at && length > width))) {
      at = found;
      width = length;
      comparison = kind;
    }
  }
  if (at == std::string::npos) {
    throw InputError("", kFlag,
                     "'" + text + "' has no comparison; expected COLUMN=VALUE (or !=, <, <=, >, >=), e.g. agents=3");
  }
  Condition condition;
  condition.text = text;
  condition.comparison = comparison;
  condition.column = trim(std::string_view(text).substr(0, at));
  const std::string value = trim(std::string_view(text).substr(at + width));
  if (condition.column.empty()) throw InputError("", kFlag, "'" + text + "' names no column before the comparison");
  if (value.empty()) throw InputError("", kFlag, "'" + text + "' has no value after the comparison");
  const bool alternatives = comparison == Comparison::equal || comparison == Comparison::not_equal;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = alternatives ? value.find('|', start) : std::string::npos;
    const std::string part = trim(std::string_view(value).substr(start, bar - start));
    if (part.empty()) throw InputError("", kFlag, "'" + text + "' has an empty alternative between '|'");
    condition.values.push_back(part);
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return condition;
}

RowFilter::RowFilter(const store::StoreTable& table, const std::vector<std::string>& conditions) {
  for (const std::string& text : conditions) {
    const Condition condition = parse_condition(text);
    Term term;
    term.column = table.find(condition.column, kFlag);
    term.comparison = condition.comparison;
    const store::TableColumn& column = table.columns()[term.column];
    if (column.ragged) {
      throw InputError("", kFlag, "'" + text + "': " + column.path() + " is ragged (a vector per task); a condition " +
                                      "needs a scalar column");
    }
    term.numeric = column.type != store::ValueType::text;
    const bool is_status = column.group == store::ColumnGroup::task && column.name == "status";
    for (const std::string& value : condition.values) {
      if (!term.numeric) {
        term.texts.push_back(value);
        continue;
      }
      std::optional<double> number;
      if (is_status) {
        if (const auto status = store::status_of(value)) number = *status;
      }
      if (!number) number = parse_number(value);
      if (!number) {
        throw InputError("", kFlag,
                         "'" + text + "': " + column.path() + " holds numbers, and '" + value + "' is not one" +
                             (is_status ? " (status also takes pending, done, failed)" : ""));
      }
      term.numbers.push_back(*number);
    }
    if (!term.numeric && condition.comparison != Comparison::equal && condition.comparison != Comparison::not_equal) {
      throw InputError("", kFlag, "'" + text + "': " + column.path() + " holds text, which takes only = and !=");
    }
    terms_.push_back(std::move(term));
  }
}

bool RowFilter::holds(const Term& term, double value) {
  switch (term.comparison) {
    case Comparison::equal:
      return std::any_of(term.numbers.begin(), term.numbers.end(), [&](double x) { return nearly_equal(value, x); });
    case Comparison::not_equal:
      return std::none_of(term.numbers.begin(), term.numbers.end(), [&](double x) { return nearly_equal(value, x); });
    case Comparison::less:
      return value < term.numbers.front();
    case Comparison::less_equal:
      return value <= term.numbers.front();
    case Comparison::greater:
      return value > term.numbers.front();
    case Comparison::greater_equal:
      return value >= term.numbers.front();
  }
  return false;
}

bool RowFilter::holds(const Term& term, const std::string& value) {
  const bool listed = std::find(term.texts.begin(), term.texts.end(), value) != term.texts.end();
  return term.comparison == Comparison::equal ? listed : !listed;
}

void RowFilter::apply(const store::StoreTable& table, std::uint64_t first, std::uint64_t count,
                      std::vector<std::uint8_t>& keep) const {
  keep.assign(count, 1);
  for (const Term& term : terms_) {
    if (term.numeric) {
      const std::vector<double> values = table.read_numbers(term.column, first, count);
      for (std::uint64_t row = 0; row < count; ++row) {
        if (!holds(term, values[row])) keep[row] = 0;
      }
    } else {
      const std::vector<store::Cell> cells = table.read_cells(term.column, first, count);
      for (std::uint64_t row = 0; row < count; ++row) {
        if (!holds(term, std::get<std::string>(cells[row]))) keep[row] = 0;
      }
    }
  }
}

}  // namespace mechsweep::postprocess
