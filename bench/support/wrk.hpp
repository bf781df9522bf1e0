#pragma once
// wrk as the load tool of the read benchmarks: the same tool and parameters for Latchkey's server
// and the bare Beast baseline it is measured against (keep-alive connections, fixed duration).

#include <string>
#include <vector>

namespace bench {

struct WrkLoad {
  int threads = 1;
  int connections = 32;
  int seconds = 3;
  std::vector<std::string> headers;  // "Name: value", each passed as -H
};

// Runs wrk against `url` (inheriting no file descriptor of this process), echoing its report, and
// returns its Requests/sec: 0 when wrk could not run, failed, or saw a socket error or a non-2xx
// answer (a rate of errors is not a rate).
double wrk_requests_per_s(const std::string& url, const WrkLoad& load);

}  // namespace bench
