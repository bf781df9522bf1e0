#include "transport/mosquitto_runtime.hpp"

#include <cerrno>
#include <mutex>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mosquitto.h>

namespace {

// Set only on the thread that is inside new_mosquitto_handle().
thread_local bool refuse_socketpair = false;

}  // namespace

// libmosquitto calls socketpair() exactly once per handle, from mosquitto_new(), for its threaded
// wake-up pair, and carries on without it when the call fails ("outgoing publish commands may be
// delayed", which only concerns mosquitto_loop()). Defining socketpair here interposes on libc's
// for the whole executable: on the thread creating a handle it fails with EMFILE; everywhere else
// it is the plain system call. A thread-local flag, unlike lowering RLIMIT_NOFILE for a moment,
// cannot make another thread's open() or accept() fail. tests/transport pins the effect (no
// descriptor per idle client).
extern "C" int socketpair(int domain, int type, int protocol, int fds[2]) noexcept {
  if (refuse_socketpair) {
    errno = EMFILE;
    return -1;
  }
  return static_cast<int>(::syscall(SYS_socketpair, domain, type, protocol, fds));
}

namespace transport {

lockcore::Result<std::uint64_t, int> raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return lockcore::fail(errno);
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return lockcore::fail(errno);
  }
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

void ensure_mosquitto_runtime() {
  static std::once_flag once;
  std::call_once(once, [] {
    mosquitto_lib_init();
    // Best effort: a process that cannot raise it keeps the limit it has and finds out at
    // connect time (network_error with EMFILE).
    (void)raise_fd_limit();
  });
}

mosquitto* new_mosquitto_handle(const char* client_id, bool clean_session, void* user_data) {
  ensure_mosquitto_runtime();
  refuse_socketpair = true;
  mosquitto* handle = mosquitto_new(client_id, clean_session, user_data);
  refuse_socketpair = false;
  return handle;
}

}  // namespace transport
