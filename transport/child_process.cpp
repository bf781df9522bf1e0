#include "transport/child_process.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <climits>

namespace transport {

std::optional<std::filesystem::path> find_executable(std::string_view name) {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest(path);
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      dirs.emplace_back(rest.substr(0, colon));
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
  }
  for (const char* dir : {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    dirs.emplace_back(dir);
  }
  for (const std::string& dir : dirs) {
    if (dir.empty()) continue;
    std::filesystem::path candidate = std::filesystem::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

lockcore::Result<pid_t, int> spawn_child(const ChildSpec& spec) {
  // Everything the child needs is prepared before fork(): after it, only async-signal-safe calls.
  std::vector<std::string> argv_storage;
  argv_storage.push_back(spec.program.string());
  argv_storage.insert(argv_storage.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string program = spec.program.string();
  const std::string output = spec.output.string();
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) return lockcore::fail(errno);
  if (pid > 0) return pid;

  // Child.
  if (spec.terminate_with_parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
  }
  const int null_in = ::open("/dev/null", O_RDONLY);
  const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (null_in < 0 || out < 0) ::_exit(126);
  ::dup2(null_in, STDIN_FILENO);
  ::dup2(out, STDOUT_FILENO);
  ::dup2(out, STDERR_FILENO);
  // The parent's sockets (other brokers, thousands of client connections) must not live on in
  // the child: a client socket kept open here would hide its death from the broker.
  ::close_range(3, UINT_MAX, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGUSR1, SIGCHLD})
    ::signal(sig, SIG_DFL);
  ::execv(program.c_str(), argv.data());
  ::_exit(127);
}

std::optional<int> wait_child(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return 0;  // not our child (any more): nothing to wait for
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           ::strsignal(WTERMSIG(status)) + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

lockcore::Result<void, std::string> run_child(const ChildSpec& spec,
                                              std::chrono::milliseconds timeout) {
  auto pid = spawn_child(spec);
  if (!pid) return lockcore::fail(std::string("cannot start: ") + std::strerror(pid.error()));
  const auto status = wait_child(*pid, timeout);
  if (!status) {
    ::kill(*pid, SIGKILL);
    (void)wait_child(*pid, std::chrono::seconds(5));
    return lockcore::fail("did not finish within " + std::to_string(timeout.count()) + " ms");
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0)
    return lockcore::fail(describe_wait_status(*status));
  return {};
}

void stop_child(pid_t pid, int signal, std::chrono::milliseconds grace) {
  ::kill(pid, signal);
  if (!wait_child(pid, grace)) {
    ::kill(pid, SIGKILL);
    (void)wait_child(pid, std::chrono::seconds(10));
  }
}

}  // namespace transport
