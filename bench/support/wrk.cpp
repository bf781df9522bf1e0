#include "bench/support/wrk.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace bench {

namespace {

// Starts `argv` with its stdout and stderr on a pipe and nothing else inherited: a benchmark
// process holds thousands of sockets (a fleet, a server), and wrk's event loop only takes file
// descriptors below its own small limit, so inherited ones would make its connects fail.
FILE* spawn(std::vector<std::string>& args, pid_t& pid) {
  int fds[2];
  if (::pipe(fds) != 0) return nullptr;
  pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return nullptr;
  }
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::close_range(3, ~0U, 0);
    std::vector<char*> argv;
    for (std::string& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    std::perror("wrk");
    ::_exit(127);
  }
  ::close(fds[1]);
  return ::fdopen(fds[0], "r");
}

}  // namespace

double wrk_requests_per_s(const std::string& url, const WrkLoad& load) {
  std::vector<std::string> args{"wrk", "-t" + std::to_string(load.threads),
                                "-c" + std::to_string(load.connections),
                                "-d" + std::to_string(load.seconds) + "s"};
  for (const std::string& h : load.headers) {
    args.emplace_back("-H");
    args.push_back(h);
  }
  args.push_back(url);
  std::fflush(stdout);
  pid_t pid = 0;
  FILE* out = spawn(args, pid);
  if (out == nullptr) return 0;
  char line[512];
  double rps = 0;
  bool errors = false;
  while (std::fgets(line, sizeof line, out) != nullptr) {
    std::fputs(line, stdout);
    std::sscanf(line, "Requests/sec: %lf", &rps);
    const std::string_view text(line);
    if (text.find("Non-2xx") != std::string_view::npos ||
        text.find("Socket errors") != std::string_view::npos)
      errors = true;
  }
  std::fclose(out);
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return 0;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 && !errors ? rps : 0;
}

}  // namespace bench
