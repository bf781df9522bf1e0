#include "bench/support/wrk.hpp"

#include <cstdio>
#include <string_view>

namespace bench {

namespace {

// Single-quoted for the shell (the headers carry spaces and a bearer token).
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

double wrk_requests_per_s(const std::string& url, const WrkLoad& load) {
  std::string command = "wrk -t" + std::to_string(load.threads) + " -c" +
                        std::to_string(load.connections) + " -d" + std::to_string(load.seconds) +
                        "s";
  for (const std::string& h : load.headers)
    command += " -H " + quoted(h);
  command += " " + quoted(url) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return 0;
  char line[512];
  double rps = 0;
  bool errors = false;
  while (fgets(line, sizeof line, pipe) != nullptr) {
    std::fputs(line, stdout);
    std::sscanf(line, "Requests/sec: %lf", &rps);
    const std::string_view text(line);
    if (text.find("Non-2xx") != std::string_view::npos ||
        text.find("Socket errors") != std::string_view::npos)
      errors = true;
  }
  const int status = pclose(pipe);
  return status == 0 && !errors ? rps : 0;
}

}  // namespace bench
