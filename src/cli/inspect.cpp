#include "cli/inspect.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "postprocess/row_filter.hpp"
#include "postprocess/text_table.hpp"
#include "store/store.hpp"
#include "store/table.hpp"

namespace mechsweep::cli {

namespace {

using store::ColumnGroup;
using store::StoreTable;
using store::TableColumn;

constexpr int kDigits = 10;
constexpr std::uint64_t kBlockRows = 1 << 16;
constexpr std::size_t kRaggedShown = 8;  // values of a ragged cell shown in a table

std::string ragged_text(const store::RaggedRows& rows, std::size_t row, std::size_t most) {
  const std::uint64_t begin = rows.offsets[row] - rows.offsets.front();
  const std::uint64_t end = rows.offsets[row + 1] - rows.offsets.front();
  std::string text = "[";
  for (std::uint64_t i = begin; i < end && i - begin < most; ++i) {
    text += (i > begin ? ", " : "") + postprocess::format_number(rows.values[i], kDigits);
  }
  if (end - begin > most) text += ", … " + std::to_string(end - begin) + " values";
  return text + "]";
}

// The text of every row of the block for one column.
std::vector<std::string> column_text(const StoreTable& table, std::size_t column, std::uint64_t first,
                                     std::uint64_t count, std::size_t ragged_most) {
  std::vector<std::string> text;
  text.reserve(count);
  const TableColumn& spec = table.columns()[column];
  if (spec.ragged) {
    const store::RaggedRows rows = table.read_ragged(column, first, count);
    for (std::uint64_t row = 0; row < count; ++row) text.push_back(ragged_text(rows, row, ragged_most));
  } else if (spec.group == ColumnGroup::task && spec.name == "status") {
    for (double code : table.read_numbers(column, first, count)) {
      text.emplace_back(store::status_name(static_cast<std::uint8_t>(code)));
    }
  } else {
    for (const store::Cell& cell : table.read_cells(column, first, count)) {
      text.push_back(postprocess::format_cell(cell, kDigits));
    }
  }
  return text;
}

std::vector<std::size_t> shown_columns(const StoreTable& table, const std::vector<std::string>& names) {
  std::vector<std::size_t> columns;
  if (names.empty()) {
    for (std::size_t c = 0; c < table.columns().size(); ++c) {
      if (table.columns()[c].group != ColumnGroup::task) columns.push_back(c);
    }
    columns.push_back(table.find("tasks/status", "--columns"));
    return columns;
  }
  for (const std::string& name : names) columns.push_back(table.find(name, "--columns"));
  return columns;
}

void show_task(const StoreTable& table, std::uint64_t task) {
  if (task >= table.rows()) {
    throw InputError("'" + table.file().string() + "'", "--task",
                     "task " + std::to_string(task) + " does not exist; " +
                         (table.rows() == 0 ? std::string("the store has no tasks")
                                            : "the store has tasks 0.." + std::to_string(table.rows() - 1)));
  }
  const auto cell = [&](const char* name) {
    return column_text(table, table.find(std::string("tasks/") + name, "--task"), task, 1, SIZE_MAX).front();
  };
  std::cout << "task " << task << " of " << table.rows() << " in " << table.file().string() << " ("
            << table.experiment() << "): " << cell("status") << ", rank " << cell("rank") << ", " << cell("seconds")
            << " s, seed " << cell("seed") << '\n';
  if (const std::string error = cell("error"); !error.empty()) std::cout << "error: " << error << '\n';
  for (const ColumnGroup group : {ColumnGroup::param, ColumnGroup::result}) {
    postprocess::TextTable lines;
    lines.add_column(group == ColumnGroup::param ? "parameter" : "result", false);
    lines.add_column("value", false);
    for (std::size_t c = 0; c < table.columns().size(); ++c) {
      if (table.columns()[c].group != group) continue;
      lines.rows.push_back({table.columns()[c].name, column_text(table, c, task, 1, SIZE_MAX).front()});
    }
    std::cout << '\n';
    postprocess::write_aligned(std::cout, lines);
  }
}

void show_rows(const StoreTable& table, const InspectOptions& options) {
  const postprocess::RowFilter filter(table, options.where);
  const auto columns = shown_columns(table, options.columns);
  postprocess::TextTable shown;
  shown.add_column("task", true);
  for (std::size_t c : columns) {
    const TableColumn& spec = table.columns()[c];
    shown.add_column(spec.name, !spec.ragged && spec.type != store::ValueType::text);
  }
  const std::uint64_t limit = options.limit == 0 ? UINT64_MAX : options.limit;
  std::uint64_t matching = 0;
  std::vector<std::uint8_t> keep;
  for (std::uint64_t first = 0; first < table.rows(); first += kBlockRows) {
    const std::uint64_t count = std::min(kBlockRows, table.rows() - first);
    filter.apply(table, first, count, keep);
    const std::uint64_t before = matching;
    matching += static_cast<std::uint64_t>(std::count(keep.begin(), keep.end(), 1));
    if (before >= limit || matching == before) continue;
    std::vector<std::vector<std::string>> text;
    for (std::size_t c : columns) text.push_back(column_text(table, c, first, count, kRaggedShown));
    for (std::uint64_t row = 0; row < count && shown.rows.size() < limit; ++row) {
      if (!keep[row]) continue;
      std::vector<std::string> line{std::to_string(first + row)};
      for (const auto& column : text) line.push_back(column[row]);
      shown.rows.push_back(std::move(line));
    }
  }
  postprocess::write_aligned(std::cout, shown);
  std::cout << "(" << shown.rows.size() << " of " << matching << (filter.empty() ? " rows" : " matching rows");
  if (shown.rows.size() < matching) std::cout << "; --limit N shows more, --limit 0 all";
  std::cout << ")\n";
}

}  // namespace

void add_inspect_options(CLI::App& command, InspectOptions& options) {
  command.add_option("store", options.store, "Store to read")->required();
  auto* task = command.add_option("--task", options.task, "Show this task in full (ragged columns included)")
                   ->check(CLI::NonNegativeNumber);
  command
      .add_option("--where", options.where,
                  "Show the rows where COLUMN OP VALUE holds (OP: = != < <= > >=; a=x|y for alternatives); "
                  "repeatable, all must hold")
      ->excludes(task);
  command.add_option("--columns", options.columns, "Columns to show, comma-separated (default: all)")
      ->delimiter(',')
      ->excludes(task);
  command.add_option("--limit", options.limit, "Rows shown (0: all)")->capture_default_str()->excludes(task);
}

ExitStatus inspect_store(const InspectOptions& options) {
  const StoreTable table(options.store);
  if (options.task) {
    show_task(table, *options.task);
  } else {
    show_rows(table, options);
  }
  return ExitStatus::ok;
}

}  // namespace mechsweep::cli
