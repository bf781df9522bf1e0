#pragma once
// Every benchmark binary reports its figures the same way: a flat JSON object of metric name to
// number, written to $LATCHKEY_BENCH_DIR/parts/<part>.json (default build/bench). scripts/bench.sh
// merges the parts into build/bench/results.json.

#include <map>
#include <string>

namespace bench {

using Metrics = std::map<std::string, double>;

// Writes (replacing) the part file named `part`. Returns false and prints why if it cannot.
bool write_metrics(const std::string& part, const Metrics& metrics);

// Runs the Google Benchmark cases registered in this binary (honouring --benchmark_* flags) and
// returns each case's mean real time per iteration in nanoseconds, keyed by the case's name.
std::map<std::string, double> run_google_benchmarks(int argc, char** argv);

}  // namespace bench
