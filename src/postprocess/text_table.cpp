#include "postprocess/text_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mechsweep::postprocess {

namespace {

// Display width: UTF-8 continuation bytes take no column (m′, ℓ in names).
std::size_t width_of(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void pad(std::ostream& out, const std::string& text, std::size_t width, bool right) {
  const std::string fill(width - std::min(width, width_of(text)), ' ');
  if (right) out << fill;
  out << text;
  if (!right) out << fill;
}

std::vector<std::size_t> column_widths(const TextTable& table) {
  std::vector<std::size_t> widths;
  for (const std::string& name : table.header) widths.push_back(width_of(name));
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width_of(row[c]));
  }
  return widths;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string markdown_field(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|') escaped += '\\';
    escaped += c == '\n' ? ' ' : c;
  }
  return escaped;
}

}  // namespace

void write_aligned(std::ostream& out, const TextTable& table) {
  const auto widths = column_widths(table);
  const auto line = [&](const std::vector<std::string>& cells, bool header) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out << "  ";
      pad(out, cells[c], c + 1 == cells.size() && !table.right_aligned[c] ? 0 : widths[c],
          !header && table.right_aligned[c]);
    }
    out << '\n';
  };
  line(table.header, true);
  for (const auto& row : table.rows) line(row, false);
}

void write_markdown(std::ostream& out, const TextTable& table) {
  out << '|';
  for (const std::string& name : table.header) out << ' ' << markdown_field(name) << " |";
  out << "\n|";
  for (bool right : table.right_aligned) out << (right ? "---:|" : "---|");
  out << '\n';
  for (const auto& row : table.rows) {
    out << '|';
    for (const std::string& cell : row) out << ' ' << markdown_field(cell) << " |";
    out << '\n';
  }
}

void write_csv(std::ostream& out, const TextTable& table) {
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) out << (c ? "," : "") << csv_field(cells[c]);
    out << '\n';
  };
  line(table.header);
  for (const auto& row : table.rows) line(row);
}

std::string format_number(double value, int significant) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[40];
  std::snprintf(text, sizeof text, "%.*g", significant, value);
  return text;
}

std::string format_cell(const store::Cell& cell, int significant) {
  if (const auto* number = std::get_if<double>(&cell)) return format_number(*number, significant);
  if (const auto* integer = std::get_if<std::int64_t>(&cell)) return std::to_string(*integer);
  return std::get<std::string>(cell);
}

}  // namespace mechsweep::postprocess
