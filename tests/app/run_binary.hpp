#pragma once
// Runs build/latchkey (LATCHKEY_BINARY) as a child process, as an operator would, and collects
// what it printed and its exit code (or starts it to talk to). For the tests of the binary's
// subcommands.

#include <signal.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace apptest {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// In a forked child: becomes the binary with `args` and `env` added to the environment.
[[noreturn]] inline void exec_binary(const std::vector<std::string>& args,
                                     const std::vector<std::string>& env) {
  for (const std::string& e : env)
    putenv(const_cast<char*>(e.c_str()));
  std::vector<char*> argv{const_cast<char*>(LATCHKEY_BINARY)};
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(LATCHKEY_BINARY, argv.data());
  _exit(127);
}

// Runs the binary with `args`, `env` added to the environment and `input` on its stdin.
inline Outcome run(const std::vector<std::string>& args, const std::vector<std::string>& env,
                   const std::string& input = {}) {
  int out[2];
  int in[2];
  if (pipe(out) != 0 || pipe(in) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(out[1], 2);
    close(in[1]);
    close(out[0]);
    exec_binary(args, env);
  }
  close(in[0]);
  close(out[1]);
  if (!input.empty()) (void)!write(in[1], input.data(), input.size());
  close(in[1]);
  Outcome outcome;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = read(out[0], buffer, sizeof buffer)) > 0)
    outcome.output.append(buffer, static_cast<std::size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

}  // namespace apptest
