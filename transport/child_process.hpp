#pragma once
// Starting and reaping helper programs (mosquitto, mosquitto_passwd). Internal to transport/.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "lockcore/result.hpp"

namespace transport {

// `name` from $PATH, else from /usr/sbin, /usr/bin, /usr/local/sbin, /usr/local/bin (Debian puts
// mosquitto in /usr/sbin, which a non-root PATH often lacks).
std::optional<std::filesystem::path> find_executable(std::string_view name);

struct ChildSpec {
  std::filesystem::path program;
  std::vector<std::string> args;       // argv[1..]
  std::filesystem::path output;        // stdout and stderr are appended here; stdin is /dev/null
  bool terminate_with_parent = false;  // SIGTERM when the thread that started it dies
};

// Starts the child with no inherited descriptors beyond 0..2 and default signal handling.
// Returns its pid, or errno.
lockcore::Result<pid_t, int> spawn_child(const ChildSpec& spec);

// Waits up to `timeout` for the child to exit. Returns its wait status (as from waitpid), or
// nullopt if it is still running.
std::optional<int> wait_child(pid_t pid, std::chrono::milliseconds timeout);

// "exited with status 3" / "killed by signal 9".
std::string describe_wait_status(int status);

// Starts the child and waits up to `timeout` for it to exit with status 0; one still running then
// is killed. Errors: what went wrong, e.g. "cannot start: No such file or directory", "exited
// with status 1", "did not finish within 60000 ms".
lockcore::Result<void, std::string> run_child(const ChildSpec& spec,
                                              std::chrono::milliseconds timeout);

// Sends `signal`, waits up to `grace` for the child to exit, then kills it (and reaps it).
void stop_child(pid_t pid, int signal, std::chrono::milliseconds grace);

}  // namespace transport
