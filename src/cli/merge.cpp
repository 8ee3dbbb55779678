#include "cli/merge.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <string>

#include "core/shard.hpp"
#include "core/utc_time.hpp"
#include "runner/mpi.hpp"
#include "runner/runner.hpp"
#include "store/lock.hpp"
#include "store/store.hpp"
#include "sweep/config.hpp"

namespace mechsweep::cli {
namespace {

namespace fs = std::filesystem;
using store::kDone;
using store::kFailed;

constexpr std::uint64_t kWindowTasks = 1 << 16;  // rows read and written at a time
constexpr int kNoInput = -1;

std::string in_quotes(const fs::path& file) { return "'" + file.string() + "'"; }

std::string task_range(std::uint64_t first, std::uint64_t end) {
  return first + 1 == end ? "task " + std::to_string(first)
                          : "tasks " + std::to_string(first) + ".." + std::to_string(end - 1);
}

struct Input {
  store::StoreReader reader;
  std::vector<std::uint8_t> status;
};

// Removes OUT.partial unless the merge got to its rename.
class PartialFile {
 public:
  explicit PartialFile(fs::path path) : path_(std::move(path)) {}
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  ~PartialFile() {
    std::error_code ignored;
    if (!kept_) fs::remove(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  void keep() { kept_ = true; }

 private:
  fs::path path_;
  bool kept_ = false;
};

// Which input provides task k: the first that has it done, else the first
// that has it failed, else none.
int source_of(const std::vector<Input>& inputs, std::uint64_t task) {
  int failed = kNoInput;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::uint8_t status = inputs[i].status[task];
    if (status == kDone) return static_cast<int>(i);
    if (status == kFailed && failed == kNoInput) failed = static_cast<int>(i);
  }
  return failed;
}

// The error for tasks no input has done or failed: how many, and where they
// are (by shard when the inputs are shards of one K), so that the user knows
// which shard to run or resume.
std::string missing_message(const std::vector<Input>& inputs, const std::vector<bool>& missing, std::uint64_t count) {
  const std::uint64_t tasks = missing.size();
  std::string text = std::to_string(count) + " of " + std::to_string(tasks) +
                     " tasks are neither done nor failed in any input, so nothing was written:";
  std::optional<std::uint64_t> shard_count;
  bool same_count = true;
  for (const Input& input : inputs) {
    const auto shard = input.reader.shard();
    if (!shard || (shard_count && *shard_count != shard->count)) {
      same_count = false;
      break;
    }
    shard_count = shard->count;
  }
  constexpr std::size_t kShown = 8;
  std::size_t shown = 0;
  if (same_count && shard_count) {
    for (std::uint64_t index = 0; index < *shard_count; ++index) {
      const Shard shard{index, *shard_count};
      std::uint64_t in_slice = 0;
      for (std::uint64_t k = shard.first(tasks); k < shard.end(tasks); ++k) in_slice += missing[k];
      if (in_slice == 0) continue;
      if (++shown > kShown) {
        text += "\n  ... and more shards";
        break;
      }
      text += "\n  shard " + shard.text() + " (" + task_range(shard.first(tasks), shard.end(tasks)) +
              "): " + std::to_string(in_slice) + " missing; ";
      const Input* holder = nullptr;
      for (const Input& input : inputs) {
        if (input.reader.shard() == shard) holder = &input;
      }
      if (holder == nullptr) {
        text += "no input is shard " + shard.text() + " (run it with `--shard " + shard.text() + "` and add its store)";
      } else {
        text += in_quotes(holder->reader.file()) + " has them pending (`mechsweep resume " +
                holder->reader.file().string() + "` finishes it)";
      }
    }
    return text;
  }
  for (std::uint64_t k = 0; k < tasks; ++k) {
    if (!missing[k]) continue;
    std::uint64_t end = k + 1;
    while (end < tasks && missing[end]) ++end;
    if (++shown > kShown) {
      text += "\n  ... and more";
      break;
    }
    text += "\n  " + task_range(k, end);
    k = end - 1;
  }
  return text + "\n  (resume the store that holds them, or add the store that ran them)";
}

// The values row `task` occupies in each column of a block read from
// [first, first + count).
struct RowSpan {
  std::size_t begin;
  std::size_t length;
};
RowSpan row_span(const store::ResultColumnLayout& column, std::uint64_t first, std::uint64_t task) {
  if (!column.is_ragged) return {static_cast<std::size_t>(task - first), 1};
  return {static_cast<std::size_t>(column.offsets[task] - column.offsets[first]),
          static_cast<std::size_t>(column.offsets[task + 1] - column.offsets[task])};
}

// "" when the two blocks hold bit-identical results for `task`, else the column.
std::string differing_column(const store::StoreLayout& layout, const store::ResultBlock& a, const store::ResultBlock& b,
                             std::uint64_t first, std::uint64_t task) {
  for (std::size_t c = 0; c < layout.results.size(); ++c) {
    const RowSpan span = row_span(layout.results[c], first, task);
    if (span.length > 0 && std::memcmp(a.columns[c].data() + span.begin, b.columns[c].data() + span.begin,
                                       span.length * sizeof(double)) != 0) {
      return layout.results[c].name;
    }
  }
  return "";
}

}  // namespace

ExitStatus merge_stores(const MergeOptions& options, int& argc, char**& argv) {
  // Several ranks would all write OUT: refuse before touching anything.
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* size = std::getenv(variable);
    if (size != nullptr && std::atoi(size) > 1) {
      throw InputError("merge", "", "run `mechsweep merge` as one process, not under mpirun or srun");
    }
  }
  const auto start = std::chrono::steady_clock::now();
  std::error_code ignored;
  const fs::path out_canonical = fs::weakly_canonical(options.out, ignored);
  std::set<fs::path> seen;
  for (const fs::path& input : options.inputs) {
    const fs::path canonical = fs::weakly_canonical(input, ignored);
    if (canonical == out_canonical) {
      throw InputError("merge", "", "the output " + in_quotes(options.out) + " is also an input");
    }
    if (!seen.insert(canonical).second) throw InputError("merge", "", "input " + in_quotes(input) + " is given twice");
  }
  const store::StoreLock lock(options.out);
  if (fs::exists(options.out) && !options.force) {
    throw Error("store " + in_quotes(options.out) + " already exists; pass --force to overwrite it");
  }

  // Every input: a complete store of the same config.
  std::vector<Input> inputs;
  for (const fs::path& file : options.inputs) inputs.push_back({store::StoreReader(file), {}});
  const store::StoreReader& first = inputs.front().reader;
  const std::string config_hash = first.config_hash();
  const std::uint64_t tasks = first.task_count();
  for (const Input& input : inputs) {
    const store::StoreReader& reader = input.reader;
    if (reader.config_hash() != config_hash || reader.task_count() != tasks) {
      throw Error(in_quotes(reader.file()) + " was written by a different config than " + in_quotes(first.file()) +
                  " (config hash " + reader.config_hash() + " with " + std::to_string(reader.task_count()) +
                  " tasks, not " + config_hash + " with " + std::to_string(tasks) +
                  "); only stores of one config can be merged");
    }
    if (fnv1a_hex(reader.config_text()) != config_hash) {
      throw Error("store " + in_quotes(reader.file()) +
                  ": its config text does not match its config_hash attribute; refusing to merge it");
    }
  }
  const SweepPlan plan = plan_from_text(first.config_text(), "store:" + first.file().string());
  const store::StoreLayout layout = runner::make_layout(plan);
  for (Input& input : inputs) {
    if (const std::string diff = input.reader.layout_difference(layout); !diff.empty()) {
      throw Error("store " + in_quotes(input.reader.file()) + " " + diff);
    }
    input.status = input.reader.read_status();
  }

  // Every task done or failed somewhere, before anything is written.
  std::vector<bool> missing(tasks, false);
  std::uint64_t missing_count = 0, done = 0, failed = 0;
  for (std::uint64_t k = 0; k < tasks; ++k) {
    const int source = source_of(inputs, k);
    if (source == kNoInput) {
      missing[k] = true;
      ++missing_count;
    } else if (inputs[static_cast<std::size_t>(source)].status[k] == kDone) {
      ++done;
    } else {
      ++failed;
    }
  }
  if (missing_count > 0) throw Error(missing_message(inputs, missing, missing_count));

  // Only now MPI: the store is written with its MPI-IO code, by this process alone.
  const runner::MpiSession mpi(argc, argv);
  if (mpi.size() > 1) throw InputError("merge", "", "run `mechsweep merge` as one process, not under mpirun");
  PartialFile partial(options.out.string() + ".partial");
  fs::remove(partial.path(), ignored);  // a leftover of a killed merge; we hold OUT's lock
  {
    auto out = store::ResultStore::create(partial.path(), layout, MPI_COMM_SELF);
    for (const Input& input : inputs) {
      for (const store::RunSegment& segment : input.reader.segments()) out.append_segment(segment);
    }
    const std::size_t merge_segment = out.begin_segment("merge", 1, utc_timestamp());

    std::vector<std::optional<store::ResultBlock>> blocks(inputs.size());
    store::ResultBlock block;
    for (std::uint64_t window = 0; window < tasks; window += kWindowTasks) {
      const std::uint64_t count = std::min(kWindowTasks, tasks - window);
      for (auto& b : blocks) b.reset();
      auto block_of = [&](std::size_t i) -> const store::ResultBlock& {
        if (!blocks[i]) blocks[i] = inputs[i].reader.read_block(layout, window, count);
        return *blocks[i];
      };
      block.first_task = window;
      block.count = count;
      block.columns.assign(layout.results.size(), {});
      block.status.clear();
      block.seconds.clear();
      block.rank.clear();
      block.errors.clear();
      for (std::uint64_t k = window; k < window + count; ++k) {
        const auto source = static_cast<std::size_t>(source_of(inputs, k));
        const store::ResultBlock& from = block_of(source);
        const std::size_t row = static_cast<std::size_t>(k - window);
        // A task done in several inputs must have the same results in each.
        if (from.status[row] == kDone) {
          for (std::size_t other = source + 1; other < inputs.size(); ++other) {
            if (inputs[other].status[k] != kDone) continue;
            if (const std::string column = differing_column(layout, from, block_of(other), window, k);
                !column.empty()) {
              throw Error("task " + std::to_string(k) + " is done in both " + in_quotes(inputs[source].reader.file()) +
                          " and " + in_quotes(inputs[other].reader.file()) + " with different results (column '" +
                          column + "'); nothing was written");
            }
          }
        }
        for (std::size_t c = 0; c < layout.results.size(); ++c) {
          const RowSpan span = row_span(layout.results[c], window, k);
          const auto values = from.columns[c].begin() + static_cast<std::ptrdiff_t>(span.begin);
          block.columns[c].insert(block.columns[c].end(), values, values + static_cast<std::ptrdiff_t>(span.length));
        }
        block.status.push_back(from.status[row]);
        block.seconds.push_back(from.seconds[row]);
        block.rank.push_back(from.rank[row]);
        block.errors.push_back(from.status[row] == kFailed ? from.errors[row] : std::string());
      }
      out.write(block);
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.end_segment(merge_segment, wall, static_cast<std::int64_t>(done), static_cast<std::int64_t>(failed));
  }  // closes the store
  fs::rename(partial.path(), options.out);
  partial.keep();
  std::printf("%s: merged %zu store%s: %llu done, %llu failed of %llu tasks\n", options.out.string().c_str(),
              inputs.size(), inputs.size() == 1 ? "" : "s", static_cast<unsigned long long>(done),
              static_cast<unsigned long long>(failed), static_cast<unsigned long long>(tasks));
  return failed > 0 ? ExitStatus::tasks_failed : ExitStatus::ok;
}

}  // namespace mechsweep::cli
