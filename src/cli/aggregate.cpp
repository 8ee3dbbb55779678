#include "cli/aggregate.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <set>

#include "core/utc_time.hpp"
#include "core/version.hpp"
#include "postprocess/group_stats.hpp"
#include "postprocess/row_filter.hpp"
#include "postprocess/text_table.hpp"
#include "store/store.hpp"
#include "store/table.hpp"

namespace mechsweep::cli {

namespace {

using postprocess::GroupedStatistics;
using store::Cell;
using store::StoreTable;
using store::TableColumn;
using store::ValueType;

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

std::vector<std::size_t> resolve_group_columns(const StoreTable& table, const std::vector<std::string>& names) {
  std::vector<std::size_t> columns;
  for (const std::string& name : names) {
    const std::size_t column = table.find(name, "--by");
    if (table.columns()[column].ragged) {
      throw InputError("", "--by", table.columns()[column].path() + " is ragged (a vector per task); cells need a " +
                                       "scalar column, such as a swept parameter");
    }
    if (std::find(columns.begin(), columns.end(), column) != columns.end()) {
      throw InputError("", "--by", "'" + name + "' is listed twice");
    }
    columns.push_back(column);
  }
  return columns;
}

std::vector<std::size_t> resolve_metrics(const StoreTable& table, const std::vector<std::string>& names) {
  std::vector<std::size_t> metrics;
  if (names.empty()) {
    for (std::size_t c = 0; c < table.columns().size(); ++c) {
      const TableColumn& column = table.columns()[c];
      if (column.group == store::ColumnGroup::result && !column.ragged && column.type != ValueType::text) {
        metrics.push_back(c);
      }
    }
    if (metrics.empty()) {
      throw InputError("'" + table.file().string() + "'", "--metric",
                       "the store has no scalar numeric result column to aggregate; name one with --metric");
    }
    return metrics;
  }
  for (const std::string& name : names) {
    const std::size_t column = table.find(name, "--metric");
    const TableColumn& spec = table.columns()[column];
    if (spec.ragged || spec.type == ValueType::text) {
      throw InputError("", "--metric",
                       spec.path() + (spec.ragged ? " is ragged (a vector per task)" : " holds text") +
                           "; a metric must be a scalar numeric column");
    }
    if (std::find(metrics.begin(), metrics.end(), column) != metrics.end()) {
      throw InputError("", "--metric", "'" + name + "' is listed twice");
    }
    metrics.push_back(column);
  }
  return metrics;
}

void check_aggregate_name(const std::string& name) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos || name.front() == ' ' ||
      name.back() == ' ') {
    throw InputError("", "--name",
                     "'" + name + "' is not a usable aggregate name; expected a non-empty name without '/' or "
                                  "surrounding spaces");
  }
}

struct Counts {
  std::uint64_t aggregated = 0;
  std::uint64_t failed = 0;
  std::uint64_t pending = 0;
  std::uint64_t filtered_out = 0;
};

// What one pass over the store produces: the cells' keys and statistics, with
// the names and types needed to print or store them.
struct Aggregation {
  std::vector<std::string> key_names;
  std::vector<ValueType> key_types;
  std::vector<std::string> metric_names;
  std::vector<std::string> stat_columns;
  GroupedStatistics::Result result;
  Counts counts;
  bool filtered = false;
};

// The derived table as the store keeps it: key columns in their source type.
store::DerivedTable to_derived(const Aggregation& aggregation, const AggregateOptions& options) {
  const GroupedStatistics::Result& result = aggregation.result;
  store::DerivedTable derived;
  for (std::size_t k = 0; k < aggregation.key_names.size(); ++k) {
    store::DerivedColumn out{aggregation.key_names[k], {}};
    const auto column = [&]<class T>(std::vector<T> values) {
      for (const auto& key : result.keys) values.push_back(std::get<T>(key[k]));
      out.values = std::move(values);
    };
    switch (aggregation.key_types[k]) {
      case ValueType::text:
        column(std::vector<std::string>());
        break;
      case ValueType::integer:
        column(std::vector<std::int64_t>());
        break;
      case ValueType::real:
        column(std::vector<double>());
        break;
    }
    derived.columns.push_back(std::move(out));
  }
  derived.columns.push_back({"tasks", result.rows});
  for (std::size_t s = 0; s < aggregation.stat_columns.size(); ++s) {
    derived.columns.push_back({aggregation.stat_columns[s], result.columns[s]});
  }
  const Counts& counts = aggregation.counts;
  derived.attributes = {{"by", joined(options.by, ",")},
                        {"metrics", joined(aggregation.metric_names, ",")},
                        {"stats", joined(options.stats, ",")},
                        {"where", joined(options.where, " and ")},
                        {"level", postprocess::format_number(options.level, 17)},
                        {"tasks_aggregated", std::to_string(counts.aggregated)},
                        {"tasks_failed_skipped", std::to_string(counts.failed)},
                        {"tasks_pending_skipped", std::to_string(counts.pending)},
                        {"tasks_filtered_out", std::to_string(counts.filtered_out)},
                        {"created_utc", utc_timestamp()},
                        {"mechsweep_version", version()}};
  return derived;
}

postprocess::TextTable to_text(const Aggregation& aggregation, int significant) {
  const GroupedStatistics::Result& result = aggregation.result;
  postprocess::TextTable text;
  for (std::size_t k = 0; k < aggregation.key_names.size(); ++k) {
    text.add_column(aggregation.key_names[k], aggregation.key_types[k] != ValueType::text);
  }
  text.add_column("tasks", true);
  for (const std::string& name : aggregation.stat_columns) text.add_column(name, true);
  text.rows.reserve(result.keys.size());
  for (std::size_t cell = 0; cell < result.keys.size(); ++cell) {
    std::vector<std::string> row;
    row.reserve(text.header.size());
    for (const Cell& key : result.keys[cell]) row.push_back(postprocess::format_cell(key, significant));
    row.push_back(std::to_string(result.rows[cell]));
    for (const auto& column : result.columns) row.push_back(postprocess::format_number(column[cell], significant));
    text.rows.push_back(std::move(row));
  }
  return text;
}

Aggregation aggregate(const StoreTable& table, const AggregateOptions& options,
                      const std::vector<postprocess::StatSpec>& stats) {
  const auto group_columns = resolve_group_columns(table, options.by);
  const auto metrics = resolve_metrics(table, options.metrics);
  const postprocess::RowFilter filter(table, options.where);
  const std::size_t status_column = table.find("tasks/status", "--by");
  Aggregation out;
  out.filtered = !filter.empty();
  for (std::size_t column : group_columns) {
    out.key_names.push_back(table.columns()[column].name);
    out.key_types.push_back(table.columns()[column].type);
  }
  for (std::size_t metric : metrics) {
    out.metric_names.push_back(table.columns()[metric].name);
    for (std::string& column : postprocess::stat_column_names(out.metric_names.back(), stats)) {
      out.stat_columns.push_back(std::move(column));
    }
  }

  GroupedStatistics groups(metrics.size(), stats, options.level);
  Counts& counts = out.counts;
  std::vector<std::uint8_t> keep;
  std::vector<std::vector<Cell>> keys(group_columns.size());
  std::vector<std::vector<double>> values(metrics.size());
  std::vector<Cell> key(group_columns.size());
  std::vector<double> row_values(metrics.size());
  for (std::uint64_t first = 0; first < table.rows(); first += options.block_rows) {
    const std::uint64_t count = std::min(options.block_rows, table.rows() - first);
    filter.apply(table, first, count, keep);
    const std::vector<double> status = table.read_numbers(status_column, first, count);
    for (std::size_t k = 0; k < group_columns.size(); ++k) keys[k] = table.read_cells(group_columns[k], first, count);
    for (std::size_t m = 0; m < metrics.size(); ++m) values[m] = table.read_numbers(metrics[m], first, count);
    for (std::uint64_t row = 0; row < count; ++row) {
      if (!keep[row]) {
        ++counts.filtered_out;
      } else if (status[row] == store::kFailed) {
        ++counts.failed;
      } else if (status[row] != store::kDone) {
        ++counts.pending;
      } else {
        for (std::size_t k = 0; k < key.size(); ++k) key[k] = std::move(keys[k][row]);
        for (std::size_t m = 0; m < metrics.size(); ++m) row_values[m] = values[m][row];
        groups.add(key, row_values);
        ++counts.aggregated;
      }
    }
  }
  out.result = groups.result();
  return out;
}

}  // namespace

void add_aggregate_options(CLI::App& command, AggregateOptions& options) {
  command.add_option("store", options.store, "Store to read")->required();
  command.add_option("--by", options.by, "Cell columns, comma-separated (parameters or scalar results)")
      ->delimiter(',');
  command.add_option("--metric", options.metrics, "Columns to summarise (default: every scalar numeric result)")
      ->delimiter(',');
  command
      .add_option("--stat", options.stats,
                  "Statistics: count, mean, ci, std, sem, min, max, qNN (percentile, e.g. q05,q50,q95)")
      ->delimiter(',')
      ->capture_default_str();
  command.add_option("--where", options.where, "Keep rows where COLUMN OP VALUE holds (OP: = != < <= > >=; "
                                              "a=x|y for alternatives); repeatable, all must hold");
  command.add_option("--level", options.level, "Confidence level of ci")->capture_default_str();
  command.add_option("--name", options.name, "Name under /aggregates (default: the --by columns joined by '+')");
  command.add_option("--csv", options.csv, "Write CSV to this file ('-': stdout) instead of the store");
  command.add_flag("--md", options.markdown, "Print a Markdown table instead of writing the store");
  command.add_option("--block-rows", options.block_rows, "Rows read per block")->group("");
}

ExitStatus aggregate_store(const AggregateOptions& options) {
  const bool to_store = options.csv.empty() && !options.markdown;
  if (!to_store && !options.name.empty()) {
    throw InputError("", "--name", "names the aggregate written into the store; with --csv or --md nothing is "
                                   "written there");
  }
  const std::string name = options.name.empty() ? (options.by.empty() ? "all" : joined(options.by, "+")) : options.name;
  if (to_store) check_aggregate_name(name);
  if (options.block_rows < 1 || options.block_rows > (std::uint64_t{1} << 26)) {
    throw InputError("", "--block-rows", "expected 1 to 2^26 rows per block, found " + std::to_string(options.block_rows));
  }
  const auto stats = postprocess::parse_stats(options.stats);
  // The reading handle closes before the store is opened for writing.
  const Aggregation result = aggregate(StoreTable(options.store), options, stats);

  if (!options.csv.empty()) {
    // 17 significant digits: a CSV reader gets the stored doubles back exactly.
    const postprocess::TextTable text = to_text(result, 17);
    if (options.csv == "-") {
      postprocess::write_csv(std::cout, text);
    } else {
      std::ofstream out(options.csv);
      if (out) postprocess::write_csv(out, text);
      if (!out) throw Error("cannot write the CSV file '" + options.csv + "'");
    }
  }
  if (options.markdown) postprocess::write_markdown(std::cout, to_text(result, 6));
  if (to_store) {
    postprocess::write_aligned(std::cout, to_text(result, 6));
    const bool replaced = store::write_derived_table(options.store, name, to_derived(result, options));
    std::cerr << (replaced ? "replaced " : "wrote ") << "/aggregates/" << name << " in " << options.store.string()
              << '\n';
  }
  const Counts& counts = result.counts;
  std::cerr << counts.aggregated << " done tasks in " << result.result.keys.size() << " cells; skipped " << counts.failed
            << " failed and " << counts.pending << " pending tasks";
  if (result.filtered) std::cerr << "; " << counts.filtered_out << " rows did not match --where";
  std::cerr << '\n';
  return ExitStatus::ok;
}

}  // namespace mechsweep::cli
