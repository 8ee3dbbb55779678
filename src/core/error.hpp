#pragma once
// The one project exception. It carries what a user needs to fix the input:
// where (file, line, key), what was found and what was expected.

#include <stdexcept>
#include <string>

namespace mechsweep {

// Process exit statuses shared by every subcommand.
enum class ExitStatus : int {
  ok = 0,
  runtime_error = 1,  // the store is locked, missing, corrupt, or I/O failed
  bad_input = 2,      // a config, flag or instance file is invalid; nothing was touched
  tasks_failed = 3,   // the run finished but some tasks failed
  interrupted = 4,    // SIGTERM/SIGUSR1/SIGINT stopped the run cleanly; `resume` finishes it
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ExitStatus status = ExitStatus::runtime_error)
      : std::runtime_error(message), status_(status) {}
  ExitStatus status() const noexcept { return status_; }

 private:
  ExitStatus status_;
};

// Invalid user input. `where` is "file:line" (line may be absent), `key` the
// config key or flag at fault.
class InputError : public Error {
 public:
  InputError(std::string where, std::string key, const std::string& problem)
      : Error(format(where, key, problem), ExitStatus::bad_input),
        where_(std::move(where)),
        key_(std::move(key)) {}
  const std::string& where() const noexcept { return where_; }
  const std::string& key() const noexcept { return key_; }

 private:
  static std::string format(const std::string& where, const std::string& key, const std::string& problem) {
    std::string text = where.empty() ? std::string{} : where + ": ";
    if (!key.empty()) text += "key '" + key + "': ";
    return text + problem;
  }
  std::string where_;
  std::string key_;
};

}  // namespace mechsweep
