#include "cli/submit.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "core/utc_time.hpp"
#include "core/version.hpp"
#include "mechsweep_sbatch_template.hpp"
#include "store/store.hpp"
#include "sweep/config.hpp"

extern char** environ;

namespace mechsweep::cli {
namespace {

namespace fs = std::filesystem;

// Single-quoted for bash: safe for any text.
std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// A file name pattern for an #SBATCH line: `path` with SLURM's %-patterns
// escaped (%% is a literal %), then `suffix` (which may use them), quoted when
// it contains blanks (sbatch reads quoted arguments).
std::string sbatch_path(const fs::path& path, const std::string& suffix) {
  std::string text;
  for (const char c : path.string()) {
    text += c;
    if (c == '%') text += '%';
  }
  text += suffix;
  return text.find_first_of(" \t") == std::string::npos ? text : "\"" + text + "\"";
}

bool has_control_char(const std::string& text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// A value that ends up in an #SBATCH line as one word.
void check_word(const std::string& flag, const std::string& value) {
  if (value.empty()) throw InputError(flag, "", "must not be empty");
  for (const char c : value) {
    if (std::isspace(static_cast<unsigned char>(c)) || has_control_char(std::string(1, c)) || c == '"' || c == '\'' ||
        c == '\\' || c == '#') {
      throw InputError(flag, "", "'" + value + "' contains a blank, quote, backslash or '#'; SLURM names cannot");
    }
  }
}

void check_path(const std::string& flag, const fs::path& path) {
  if (has_control_char(path.string()) || path.string().find('"') != std::string::npos) {
    throw InputError(flag, "", "the path '" + path.string() + "' contains a control character or a double quote");
  }
}

// SLURM's --time forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, or UNLIMITED /
// INFINITE. Returns the seconds (-1 when unlimited). (Parsed by hand:
// std::regex trips GCC 12's -Wmaybe-uninitialized under the sanitizers.)
long long parse_slurm_time(const std::string& text) {
  if (text == "UNLIMITED" || text == "INFINITE" || text == "unlimited" || text == "infinite") return -1;
  const auto bad = [&] {
    return InputError("--time", "",
                      "'" + text +
                          "' is not a SLURM time limit: expected minutes, minutes:seconds, hours:minutes:seconds, "
                          "days-hours, days-hours:minutes, days-hours:minutes:seconds or UNLIMITED");
  };
  // Splits "a:b:c" into numbers of at most 9 digits each.
  const auto numbers = [&](std::string_view part) {
    std::vector<long long> out;
    std::size_t start = 0;
    while (true) {
      const std::size_t colon = std::min(part.find(':', start), part.size());
      const std::string_view digits = part.substr(start, colon - start);
      long long n = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (digits.empty() || digits.size() > 9 || error != std::errc() || end != digits.data() + digits.size()) {
        throw bad();
      }
      out.push_back(n);
      if (colon == part.size()) return out;
      start = colon + 1;
    }
  };
  const std::string_view all(text);
  const std::size_t dash = all.find('-');
  if (dash != std::string_view::npos) {
    const std::vector<long long> days = numbers(all.substr(0, dash));
    const std::vector<long long> hms = numbers(all.substr(dash + 1));
    if (days.size() != 1 || hms.size() > 3) throw bad();
    long long seconds = (days[0] * 24 + hms[0]) * 3600;
    if (hms.size() > 1) seconds += hms[1] * 60;
    if (hms.size() > 2) seconds += hms[2];
    return seconds;
  }
  const std::vector<long long> parts = numbers(all);
  if (parts.size() == 1) return parts[0] * 60;                               // M
  if (parts.size() == 2) return parts[0] * 60 + parts[1];                    // M:S
  if (parts.size() == 3) return (parts[0] * 60 + parts[1]) * 60 + parts[2];  // H:M:S
  throw bad();
}

// Fills @NAME@ placeholders in one pass; values are not scanned again. Lines
// starting with "##" are template notes and are dropped.
std::string render(std::string_view templ, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t line_start = 0;
  while (line_start < templ.size()) {
    std::size_t line_end = templ.find('\n', line_start);
    line_end = line_end == std::string_view::npos ? templ.size() : line_end + 1;
    const std::string_view line = templ.substr(line_start, line_end - line_start);
    line_start = line_end;
    if (line.starts_with("##")) continue;
    for (std::size_t i = 0; i < line.size();) {
      const std::size_t close = line[i] == '@' ? line.find('@', i + 1) : std::string_view::npos;
      if (close != std::string_view::npos) {
        const std::string name(line.substr(i + 1, close - i - 1));
        if (const auto it = values.find(name); it != values.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
      out += line[i++];
    }
  }
  for (const auto& [name, value] : values) {
    (void)value;
    if (templ.find("@" + name + "@") == std::string_view::npos) {
      throw Error("the batch script template has no @" + name + "@ placeholder");
    }
  }
  return out;
}

fs::path running_executable() {
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) throw Error("cannot find the mechsweep binary's path (/proc/self/exe): " + error.message());
  return self;
}

// A store that already exists is resumed by the job: it must come from this
// config, or the job would finish some other sweep.
void check_existing_store(const fs::path& store, const std::string& config_hash) {
  if (!fs::exists(store)) return;
  const store::StoreSummary summary = store::read_summary(store);
  if (summary.config_hash != config_hash) {
    throw Error("store '" + store.string() + "' exists and was written by another config (hash " + summary.config_hash +
                ", this config " + config_hash + "): the job would resume it; remove it or choose another --out");
  }
  std::printf("note        %s exists (%llu done, %llu failed, %llu pending): the job resumes it\n",
              store.string().c_str(), static_cast<unsigned long long>(summary.done),
              static_cast<unsigned long long>(summary.failed), static_cast<unsigned long long>(summary.pending));
}

int run_sbatch(const fs::path& script) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::string program = "sbatch";
  std::string argument = script.string();
  char* argv[] = {program.data(), argument.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "sbatch", nullptr, nullptr, argv, environ);
  if (spawned == ENOENT) {
    throw Error("sbatch not found on PATH (is SLURM installed here, or is this not a login node?); the script is " +
                script.string() + ": submit it with `sbatch " + script.string() + "` where SLURM runs");
  }
  if (spawned != 0) throw Error("cannot run sbatch: " + std::string(std::strerror(spawned)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error("waiting for sbatch: " + std::string(std::strerror(errno)));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  throw Error("sbatch was killed by signal " + std::to_string(WTERMSIG(status)));
}

}  // namespace

void add_submit_options(CLI::App& command, SubmitOptions& options) {
  // Flag errors surface at parse time, like CLI11's own (exit status 2).
  const CLI::Validator positive(
      [](std::string& value) {
        int n = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (error != std::errc() || end != value.data() + value.size() || n < 1) {
          return "'" + value + "' is not a positive integer";
        }
        return std::string();
      },
      "POSITIVE");
  const auto validator = [](auto check, const std::string& flag) {
    return CLI::Validator(
        [check, flag](std::string& value) {
          try {
            check(flag, value);
          } catch (const InputError& e) {
            std::string message = e.what();  // CLI11 names the flag itself
            if (message.starts_with(flag + ": ")) message.erase(0, flag.size() + 2);
            return message;
          }
          return std::string();
        },
        "", flag);
  };
  command.add_option("config", options.config, "YAML sweep config")->required();
  command.add_option("--out,-o", options.out,
                     "Store (default: <config stem>.h5); with --array K the shards are <stem>.shard-<i>-of-<K>.h5");
  command.add_option("--set", options.overrides, "Override a config key: dotted.key=yaml-value (repeatable)");
  command.add_option("--nodes,-N", options.nodes, "Nodes to allocate (sbatch --nodes)")->check(positive);
  command
      .add_option("--ntasks-per-node", options.ntasks_per_node,
                  "MPI ranks per node (sbatch --ntasks-per-node; default: SLURM's, often 1)")
      ->check(positive);
  command.add_option("--time,-t", options.time, "Time limit, SLURM syntax: MM, HH:MM:SS, D-HH:MM, ... (sbatch --time)")
      ->check(validator([](const std::string&, const std::string& v) { parse_slurm_time(v); }, "--time"));
  command.add_option("--partition,-p", options.partition, "Partition (default: the cluster's default partition)")
      ->check(validator(check_word, "--partition"));
  command.add_option("--array", options.array, "Split the sweep into K shards, one job array task each")
      ->check(positive);
  command.add_option("--job-name,-J", options.job_name, "Job name (default: mechsweep-<config stem>)")
      ->check(validator(check_word, "--job-name"));
  command
      .add_option("--signal-lead", options.signal_lead_seconds,
                  "Seconds before the time limit at which SLURM signals the job to stop, flush and requeue")
      ->check(CLI::Range(1, 65535));
  command.add_option("--script", options.script, "Where to write the batch script (default: <store stem>.sbatch)");
  command.add_flag("--dry-run", options.dry_run, "Print the batch script; write and submit nothing");
}

ExitStatus submit_sweep(const SubmitOptions& options) {
  // The config first, exactly as `plan` and `run` read it: a bad one exits 2
  // before anything is written or submitted.
  const SweepPlan plan = load_plan(options.config, options.overrides);

  if (options.nodes < 1) throw InputError("--nodes", "", "must be a positive integer");
  if (options.ntasks_per_node < 0) throw InputError("--ntasks-per-node", "", "must be a positive integer");
  if (options.array < 0) throw InputError("--array", "", "must be a positive integer");
  if (options.signal_lead_seconds < 1 || options.signal_lead_seconds > 65535) {
    throw InputError("--signal-lead", "", "must be between 1 and 65535 seconds");
  }
  if (options.array > 0 && static_cast<std::uint64_t>(options.array) > plan.task_count()) {
    throw InputError("--array", "",
                     std::to_string(options.array) + " shards for " + std::to_string(plan.task_count()) +
                         " tasks: at most one shard per task");
  }
  // Ranks beyond one per task, plus the scheduling master, would only wait for
  // work that never comes: such an allocation is a typo, not a plan.
  const std::uint64_t ranks =
      static_cast<std::uint64_t>(options.nodes) * static_cast<std::uint64_t>(std::max(options.ntasks_per_node, 1));
  const std::uint64_t shards = options.array > 0 ? static_cast<std::uint64_t>(options.array) : 1;
  const std::uint64_t tasks_per_job = (plan.task_count() + shards - 1) / shards;
  if (ranks > tasks_per_job + 1) {
    throw InputError("--nodes", "",
                     std::to_string(ranks) + " ranks (--nodes × --ntasks-per-node) for " +
                         std::to_string(tasks_per_job) + (shards > 1 ? " tasks per array job" : " tasks") +
                         ": at most " + std::to_string(tasks_per_job + 1) +
                         " ranks can have work (one task each, plus the master)");
  }
  const long long time_seconds = options.time.empty() ? -1 : parse_slurm_time(options.time);
  if (!options.partition.empty()) check_word("--partition", options.partition);
  std::string job_name = options.job_name.empty() ? "mechsweep-" + options.config.stem().string() : options.job_name;
  check_word("--job-name", job_name);
  for (const std::string& o : options.overrides) {
    if (has_control_char(o)) throw InputError("--set", "", "an override contains a control character");
  }

  const fs::path config = fs::absolute(options.config).lexically_normal();
  const fs::path store =
      fs::absolute(options.out.empty() ? fs::path(options.config.stem().string() + ".h5") : options.out)
          .lexically_normal();
  if (store.filename().empty() || fs::is_directory(store)) {
    throw InputError("--out", "", "'" + store.string() + "' is a directory; --out names the store file");
  }
  const fs::path stem = fs::path(store).replace_extension();
  const fs::path script =
      options.script.empty() ? fs::path(stem.string() + ".sbatch") : fs::absolute(options.script).lexically_normal();
  const fs::path log = options.array > 0 ? fs::path(stem.string() + "-%a.log") : fs::path(stem.string() + ".log");
  const fs::path binary = running_executable();
  check_path("config", config);
  check_path("--out", store);
  check_path("--script", script);
  check_path("mechsweep binary", binary);
  if (!fs::is_directory(store.parent_path())) {
    throw InputError("--out", "", "the directory '" + store.parent_path().string() + "' does not exist");
  }
  if (!options.dry_run && !fs::is_directory(script.parent_path())) {
    throw InputError("--script", "", "the directory '" + script.parent_path().string() + "' does not exist");
  }
  if (time_seconds > 0 && time_seconds <= options.signal_lead_seconds) {
    std::fprintf(stderr,
                 "mechsweep: warning: --signal-lead %d s is not shorter than --time %s: the job is signalled to "
                 "stop as soon as it starts\n",
                 options.signal_lead_seconds, options.time.c_str());
  }

  std::string sbatch;
  const auto line = [&](const std::string& option) { sbatch += "#SBATCH " + option + "\n"; };
  line("--job-name=" + job_name);
  line("--nodes=" + std::to_string(options.nodes));
  if (options.ntasks_per_node > 0) line("--ntasks-per-node=" + std::to_string(options.ntasks_per_node));
  if (!options.time.empty()) line("--time=" + options.time);
  if (!options.partition.empty()) line("--partition=" + options.partition);
  if (options.array > 0) line("--array=0-" + std::to_string(options.array - 1));
  line("--requeue");
  line("--signal=B:USR1@" + std::to_string(options.signal_lead_seconds));
  line("--open-mode=append");
  line("--output=" + sbatch_path(stem, options.array > 0 ? "-%a.log" : ".log"));
  sbatch.pop_back();  // the template's line break follows the placeholder

  std::string run_args;
  for (const std::string& o : options.overrides) {
    run_args += (run_args.empty() ? "" : " ") + ("--set " + shell_quote(o));
  }

  const std::string text =
      render(kSbatchTemplate,
             {{"SUBMITTED", "mechsweep submit " + version() + " (" + git_commit() + ") at " + utc_timestamp()},
              {"SBATCH", sbatch},
              {"MECHSWEEP", shell_quote(binary.string())},
              {"CONFIG", shell_quote(config.string())},
              {"STORE", shell_quote(store.string())},
              {"STORE_STEM", shell_quote(stem.string())},
              {"SHARDS", std::to_string(options.array)},
              {"RUN_ARGS", run_args}});

  if (options.dry_run) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return ExitStatus::ok;
  }

  if (options.array > 0) {
    for (int i = 0; i < options.array; ++i) {
      check_existing_store(
          stem.string() + ".shard-" + std::to_string(i) + "-of-" + std::to_string(options.array) + ".h5",
          plan.config_hash());
    }
  } else {
    check_existing_store(store, plan.config_hash());
  }
  if (options.ntasks_per_node == 0) {
    std::fprintf(stderr, "mechsweep: note: no --ntasks-per-node: SLURM's default applies (often one rank per node)\n");
  }

  {
    std::ofstream file(script, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) throw Error("cannot write the batch script " + script.string());
  }
  fs::permissions(script, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  if (options.array > 0) {
    std::printf("stores      %s.shard-{0..%d}-of-%d.h5 (%llu tasks in %d shards; join them with mechsweep merge)\n",
                stem.string().c_str(), options.array - 1, options.array,
                static_cast<unsigned long long>(plan.task_count()), options.array);
  } else {
    std::printf("store       %s (%llu tasks)\n", store.string().c_str(),
                static_cast<unsigned long long>(plan.task_count()));
  }
  std::printf("script      %s\n", script.string().c_str());
  std::printf("log         %s\n", log.string().c_str());
  return static_cast<ExitStatus>(run_sbatch(script));
}

}  // namespace mechsweep::cli
