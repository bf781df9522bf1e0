#include "bench/support/metrics.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <benchmark/benchmark.h>

namespace bench {

namespace {

std::filesystem::path bench_dir() {
  const char* dir = std::getenv("LATCHKEY_BENCH_DIR");
  return dir != nullptr ? std::filesystem::path(dir) : std::filesystem::path("build/bench");
}

// Collects per-case results without printing Google Benchmark's own JSON.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
      results[run.benchmark_name()] = run.GetAdjustedRealTime() *
                                      benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
                                      benchmark::GetTimeUnitMultiplier(run.time_unit);
    }
  }
  std::map<std::string, double> results;
};

}  // namespace

bool write_metrics(const std::string& part, const Metrics& metrics) {
  std::error_code ec;
  std::filesystem::path dir = bench_dir() / "parts";
  std::filesystem::create_directories(dir, ec);
  std::ofstream out(dir / (part + ".json"));
  if (!out) {
    std::fprintf(stderr, "bench: cannot write %s\n", (dir / (part + ".json")).c_str());
    return false;
  }
  out << "{";
  bool first = true;
  for (const auto& [name, value] : metrics) {
    out << (first ? "" : ",") << "\n  \"" << name << "\": " << value;
    first = false;
  }
  out << "\n}\n";
  return static_cast<bool>(out);
}

std::map<std::string, double> run_google_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return reporter.results;
}

}  // namespace bench
