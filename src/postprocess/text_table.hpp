#pragma once
// A table of already formatted cells, written three ways: aligned for a
// terminal, as a GitHub Markdown table, or as CSV (RFC 4180 quoting).

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "store/table.hpp"

namespace mechsweep::postprocess {

struct TextTable {
  std::vector<std::string> header;
  std::vector<bool> right_aligned;  // one per column: numbers
  std::vector<std::vector<std::string>> rows;

  void add_column(std::string name, bool numeric) {
    header.push_back(std::move(name));
    right_aligned.push_back(numeric);
  }
};

void write_aligned(std::ostream& out, const TextTable& table);
void write_markdown(std::ostream& out, const TextTable& table);
void write_csv(std::ostream& out, const TextTable& table);

// A number as the tables show it: `significant` digits (17 round-trips a
// double), "nan", "inf" and "-inf" as numpy and pandas spell them.
std::string format_number(double value, int significant);
std::string format_cell(const store::Cell& cell, int significant);

}  // namespace mechsweep::postprocess
