#include "store/table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "store/hdf5.hpp"
#include "store/lock.hpp"
#include "store/open_store.hpp"

namespace mechsweep::store {

namespace {

constexpr std::int64_t kIntegerFill = std::numeric_limits<std::int64_t>::min();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char* group_name(ColumnGroup group) {
  switch (group) {
    case ColumnGroup::param:
      return "params";
    case ColumnGroup::result:
      return "results";
    case ColumnGroup::task:
      return "tasks";
  }
  return "?";
}

ValueType value_type_of(const h5::DataSet& dataset) {
  switch (dataset.type().type_class()) {
    case H5T_INTEGER:
      return ValueType::integer;
    case H5T_STRING:
      return ValueType::text;
    default:
      return ValueType::real;
  }
}

std::string doc_of(const h5::DataSet& dataset) {
  return dataset.has_attribute("doc") ? dataset.read_string_attribute("doc") : std::string();
}

double integer_as_number(std::int64_t value) {
  return value == kIntegerFill ? kNaN : static_cast<double>(value);
}

}  // namespace

std::string TableColumn::path() const { return std::string(group_name(group)) + "/" + name; }

struct StoreTable::Impl {
  std::filesystem::path path;
  h5::File file;
  std::uint64_t rows = 0;
  std::vector<TableColumn> columns;
  // The dataset of each scalar column, or the values and offsets of a ragged one.
  std::vector<h5::DataSet> values;
  std::vector<h5::DataSet> offsets;

  void add(TableColumn column, h5::DataSet data, h5::DataSet row_offsets = {}) {
    columns.push_back(std::move(column));
    values.push_back(std::move(data));
    offsets.push_back(std::move(row_offsets));
  }
};

StoreTable::StoreTable(const std::filesystem::path& file) : impl_(std::make_unique<Impl>()) {
  Impl& table = *impl_;
  table.path = file;
  table.file = detail::open_store(file, false);
  table.rows = table.file.read_uint64_attribute("task_count");

  const h5::Group params = table.file.open_group("params");
  for (const std::string& name : params.children()) {
    h5::DataSet data = params.open_dataset(name);
    TableColumn column{name, ColumnGroup::param, value_type_of(data), false, doc_of(data)};
    table.add(std::move(column), std::move(data));
  }
  const h5::Group results = table.file.open_group("results");
  for (const std::string& name : results.children()) {
    if (results.is_group(name)) {
      const h5::Group ragged = results.open_group(name);
      h5::DataSet data = ragged.open_dataset("values");
      TableColumn column{name, ColumnGroup::result, value_type_of(data), true,
                         ragged.has_attribute("doc") ? ragged.read_string_attribute("doc") : doc_of(data)};
      table.add(std::move(column), std::move(data), ragged.open_dataset("offsets"));
    } else {
      h5::DataSet data = results.open_dataset(name);
      TableColumn column{name, ColumnGroup::result, value_type_of(data), false, doc_of(data)};
      table.add(std::move(column), std::move(data));
    }
  }
  const h5::Group tasks = table.file.open_group("tasks");
  for (const char* name : {"status", "error", "seconds", "rank", "seed"}) {
    h5::DataSet data = tasks.open_dataset(name);
    // Seeds are uint64: shown as text so that no seed above 2^63 is mangled.
    TableColumn column{name, ColumnGroup::task, std::string_view(name) == "seed" ? ValueType::text : value_type_of(data),
                       false, doc_of(data)};
    table.add(std::move(column), std::move(data));
  }
}

StoreTable::StoreTable(StoreTable&&) noexcept = default;
StoreTable& StoreTable::operator=(StoreTable&&) noexcept = default;
StoreTable::~StoreTable() = default;

const std::filesystem::path& StoreTable::file() const { return impl_->path; }
std::string StoreTable::experiment() const { return impl_->file.read_string_attribute("experiment"); }
std::uint64_t StoreTable::rows() const { return impl_->rows; }
const std::vector<TableColumn>& StoreTable::columns() const { return impl_->columns; }

std::size_t StoreTable::find(std::string_view name, const std::string& flag) const {
  const auto& columns = impl_->columns;
  std::vector<std::size_t> matches;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].name == name || columns[c].path() == name) matches.push_back(c);
  }
  if (matches.size() == 1) return matches.front();
  const std::string where = "'" + impl_->path.string() + "'";
  if (matches.size() > 1) {
    std::string paths;
    for (std::size_t c : matches) paths += (paths.empty() ? "" : " or ") + columns[c].path();
    throw InputError(where, flag, "'" + std::string(name) + "' is ambiguous: write " + paths);
  }
  std::string known;
  for (const TableColumn& column : columns) known += (known.empty() ? "" : ", ") + column.name;
  throw InputError(where, flag, "the store has no column '" + std::string(name) + "'; its columns are " + known);
}

std::vector<double> StoreTable::read_numbers(std::size_t column, std::uint64_t first, std::uint64_t count) const {
  const TableColumn& spec = impl_->columns.at(column);
  const h5::DataSet& data = impl_->values[column];
  if (spec.ragged || spec.type == ValueType::text) {
    throw Error("column " + spec.path() + " of '" + impl_->path.string() + "' holds no scalar numbers");
  }
  if (spec.type == ValueType::real) return data.read<double>(first, count);
  const auto integers = data.read<std::int64_t>(first, count);
  std::vector<double> numbers(integers.size());
  std::transform(integers.begin(), integers.end(), numbers.begin(), integer_as_number);
  return numbers;
}

std::vector<Cell> StoreTable::read_cells(std::size_t column, std::uint64_t first, std::uint64_t count) const {
  const TableColumn& spec = impl_->columns.at(column);
  const h5::DataSet& data = impl_->values[column];
  std::vector<Cell> cells;
  cells.reserve(count);
  if (spec.ragged) throw Error("column " + spec.path() + " of '" + impl_->path.string() + "' is ragged");
  if (spec.group == ColumnGroup::task && spec.name == "seed") {
    for (std::uint64_t seed : data.read<std::uint64_t>(first, count)) cells.emplace_back(std::to_string(seed));
  } else if (spec.type == ValueType::text) {
    for (std::string& text : data.read_strings(first, count)) cells.emplace_back(std::move(text));
  } else if (spec.type == ValueType::integer) {
    for (std::int64_t value : data.read<std::int64_t>(first, count)) cells.emplace_back(value);
  } else {
    for (double value : data.read<double>(first, count)) cells.emplace_back(value);
  }
  return cells;
}

RaggedRows StoreTable::read_ragged(std::size_t column, std::uint64_t first, std::uint64_t count) const {
  const TableColumn& spec = impl_->columns.at(column);
  if (!spec.ragged) throw Error("column " + spec.path() + " of '" + impl_->path.string() + "' is not ragged");
  RaggedRows rows;
  rows.offsets = impl_->offsets[column].read<std::uint64_t>(first, count + 1);
  const std::uint64_t begin = rows.offsets.front();
  const std::uint64_t end = rows.offsets.back();
  if (end < begin) throw Error("column " + spec.path() + " of '" + impl_->path.string() + "' has decreasing offsets");
  const h5::DataSet& data = impl_->values[column];
  if (spec.type == ValueType::integer) {
    const auto integers = data.read<std::int64_t>(begin, end - begin);
    rows.values.resize(integers.size());
    std::transform(integers.begin(), integers.end(), rows.values.begin(), integer_as_number);
  } else {
    rows.values = data.read<double>(begin, end - begin);
  }
  return rows;
}

namespace {

template <class T>
void write_column(const h5::Group& group, const std::string& name, const std::vector<T>& values) {
  const h5::DataType type = [&] {
    if constexpr (std::is_same_v<T, std::string>) {
      std::size_t longest = 1;
      for (const std::string& value : values) longest = std::max(longest, value.size());
      return h5::DataType::fixed_string(longest, false);
    } else {
      return h5::DataType::file_type<T>();
    }
  }();
  const h5::DataSet data = group.create_dataset(name, type, h5::DataSpace::vector(values.size()), h5::PropertyList());
  if (values.empty()) return;
  if constexpr (std::is_same_v<T, std::string>) {
    data.write_strings(values, 0);
  } else {
    data.write(std::span<const T>(values), 0);
  }
}

}  // namespace

bool write_derived_table(const std::filesystem::path& file, const std::string& name, const DerivedTable& table) {
  const StoreLock lock(file);
  const h5::File store = detail::open_store(file, true);
  const h5::Group aggregates = store.exists("aggregates") ? store.open_group("aggregates") : store.create_group("aggregates");
  const bool replaced = aggregates.exists(name);
  if (replaced) aggregates.remove(name);
  const h5::Group group = aggregates.create_group(name);
  std::string names;
  for (const DerivedColumn& column : table.columns) {
    std::visit([&](const auto& values) { write_column(group, column.name, values); }, column.values);
    names += (names.empty() ? "" : "\n") + column.name;
  }
  group.write_attribute("columns", names);
  for (const auto& [key, text] : table.attributes) group.write_attribute(key, text);
  store.flush();
  return replaced;
}

}  // namespace mechsweep::store
