// Replays the runner's scheduling protocol (src/runner/runner.cpp) in
// simulated time with the real ChunkSizer and TaskQueue, for given task
// costs: how long the sweep takes on K ranks, and how long ranks idle at the
// end. The machine's noise cannot touch these figures, so bench/efficiency.py
// sets them beside the measured ones, and chunk policies can be compared on
// the same costs.
//
//   build/bench/schedule_sim [--ranks K] [--master auto|compute|schedule|prompt]
//                            [--target SECONDS] [--max-chunk N] [--latency SECONDS] < costs
//
// Each input line is one sweep: a label, then the cost of every task in
// seconds, in task order. Each output line: label, tasks, work (Σ costs),
// makespan, efficiency work / (computing ranks × makespan), tail (from the
// first computing rank going idle for good to the end), chunks, and the
// longest chunk in seconds.
//
// The protocol as simulated: rank 0 serves requests at the start of its loop
// and between its own tasks (and, once it has nothing to compute, as they
// arrive); it records its own tasks' times when its chunk ends. A worker asks
// for its next chunk as it starts one (one request in flight), and the request
// carries the times of the chunk it has just finished. Messages take
// --latency seconds one way (default 20 µs); serving a request takes no time.
// `--master prompt` is not the runner's: a computing master that answers each
// request when it arrives, even inside one of its own tasks (as one that
// served MPI from a second thread would).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>
#include <queue>
#include <sstream>
#include <string>
#include <vector>

#include "runner/scheduler.hpp"

namespace {

using mechsweep::runner::ChunkSizer;
using mechsweep::runner::TaskQueue;

struct Options {
  int ranks = 2;
  bool master_computes = true;
  bool master_prompt = false;  // answers requests on arrival, even while computing
  std::optional<double> target;
  std::optional<std::uint64_t> max_chunk;
  double latency = 20e-6;
};

struct Request {
  double arrival = 0;
  int worker = 0;
  std::vector<double> reports;  // task times of the chunk the worker has just finished
  bool final = false;
  bool operator>(const Request& other) const { return arrival > other.arrival; }
};

struct Worker {
  double chunk_end = 0;             // when the chunk it is computing ends
  std::vector<double> chunk_costs;  // that chunk's task times
};

struct Outcome {
  double makespan = 0;
  double tail = 0;
  std::size_t chunks = 0;
  double longest_chunk = 0;
};

ChunkSizer make_sizer(const Options& options) {
  const ChunkSizer defaults;
  if (!options.target && !options.max_chunk) return defaults;
  return ChunkSizer(options.target.value_or(0.25), options.max_chunk.value_or(4096));
}

Outcome simulate(const std::vector<double>& costs, const Options& options) {
  const int workers = options.ranks - 1;
  const int computing = workers + (options.master_computes ? 1 : 0);
  std::vector<std::uint64_t> ids(costs.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = i;
  TaskQueue queue(std::move(ids));
  ChunkSizer sizer = make_sizer(options);
  std::priority_queue<Request, std::vector<Request>, std::greater<>> requests;
  std::vector<Worker> state(static_cast<std::size_t>(workers));
  std::vector<double> last_busy(static_cast<std::size_t>(options.ranks), 0.0);
  Outcome outcome;
  const auto chunk_cost = [&](const std::vector<std::uint64_t>& chunk) {
    double sum = 0;
    for (const std::uint64_t task : chunk) sum += costs[task];
    return sum;
  };
  for (int w = 0; w < workers; ++w) requests.push({options.latency, w, {}, false});

  int active = workers;
  double now = 0;
  // The reply to a request, sent at `now`: the worker starts it when its
  // current chunk is done, and asks again at that moment (or says it stops).
  const auto serve = [&](const Request& request) {
    for (const double seconds : request.reports) sizer.record(seconds);
    if (request.final) {
      --active;
      return;
    }
    Worker& worker = state[static_cast<std::size_t>(request.worker)];
    const auto chunk = queue.take(sizer.next(queue.remaining(), computing));
    const double sent = options.master_prompt ? request.arrival : now;
    const double start = std::max(sent + options.latency, worker.chunk_end);
    const std::vector<double> finished = std::move(worker.chunk_costs);
    worker.chunk_costs.clear();
    if (chunk.empty()) {
      requests.push({start + options.latency, request.worker, finished, true});
      return;
    }
    for (const std::uint64_t task : chunk) worker.chunk_costs.push_back(costs[task]);
    const double cost = chunk_cost(chunk);
    worker.chunk_end = start + cost;
    last_busy[static_cast<std::size_t>(request.worker) + 1] = worker.chunk_end;
    ++outcome.chunks;
    outcome.longest_chunk = std::max(outcome.longest_chunk, cost);
    requests.push({start + options.latency, request.worker, finished, false});
  };
  const auto serve_arrived = [&] {
    while (!requests.empty() && requests.top().arrival <= now) {
      const Request request = requests.top();
      requests.pop();
      serve(request);
    }
  };

  while (true) {
    serve_arrived();
    if (options.master_computes && !queue.empty()) {
      const auto chunk = queue.take(sizer.next(queue.remaining(), computing));
      ++outcome.chunks;
      outcome.longest_chunk = std::max(outcome.longest_chunk, chunk_cost(chunk));
      for (const std::uint64_t task : chunk) {
        now += costs[task];
        serve_arrived();
      }
      last_busy[0] = now;
      for (const std::uint64_t task : chunk) sizer.record(costs[task]);
    } else if (active > 0) {
      now = std::max(now, requests.top().arrival);
      serve_arrived();
    } else {
      break;
    }
  }
  outcome.makespan = now;
  double first_idle = std::numeric_limits<double>::infinity();
  for (int r = options.master_computes ? 0 : 1; r < options.ranks; ++r) {
    first_idle = std::min(first_idle, last_busy[static_cast<std::size_t>(r)]);
  }
  outcome.tail = outcome.makespan - first_idle;
  return outcome;
}

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s [--ranks K] [--master auto|compute|schedule|prompt] [--target SECONDS] [--max-chunk N] "
               "[--latency SECONDS] < lines of 'label cost...'\n",
               program);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::string master = "auto";
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return usage(argv[0]);
    const std::string value = argv[++i];
    if (flag == "--ranks") {
      options.ranks = std::stoi(value);
    } else if (flag == "--master") {
      master = value;
    } else if (flag == "--target") {
      options.target = std::stod(value);
    } else if (flag == "--max-chunk") {
      options.max_chunk = std::stoull(value);
    } else if (flag == "--latency") {
      options.latency = std::stod(value);
    } else {
      return usage(argv[0]);
    }
  }
  if (options.ranks < 1 || (master != "auto" && master != "compute" && master != "schedule" && master != "prompt")) {
    return usage(argv[0]);
  }
  // runner.cpp's master_computes(): auto computes on at most 4 ranks; one rank always computes.
  options.master_computes =
      options.ranks == 1 || master == "compute" || master == "prompt" || (master == "auto" && options.ranks <= 4);
  options.master_prompt = master == "prompt";

  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream fields(line);
    std::string label;
    if (!(fields >> label)) continue;
    std::vector<double> costs;
    double cost = 0;
    while (fields >> cost) costs.push_back(cost);
    double work = 0;
    for (const double c : costs) work += c;
    const Outcome outcome = simulate(costs, options);
    const int computing = options.ranks - 1 + (options.master_computes ? 1 : 0);
    std::printf("%s tasks=%zu work=%.6f makespan=%.6f efficiency=%.4f tail=%.6f chunks=%zu longest_chunk=%.6f\n",
                label.c_str(), costs.size(), work, outcome.makespan,
                outcome.makespan > 0 ? work / (computing * outcome.makespan) : 1.0, outcome.tail, outcome.chunks,
                outcome.longest_chunk);
  }
  return 0;
}
