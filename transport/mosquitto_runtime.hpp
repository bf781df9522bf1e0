#pragma once
// Process-wide set-up for libmosquitto, and the one way this code base creates a libmosquitto
// handle. Internal to transport/ (the client uses it); tests use it to pin the fd budget.

#include <cstdint>

#include "lockcore/result.hpp"

struct mosquitto;

namespace transport {

// Calls mosquitto_lib_init() once per process and raises the fd limit (below). Idempotent and
// thread-safe; every MqttClient calls it, so callers need not.
void ensure_mosquitto_runtime();

// Raises the soft RLIMIT_NOFILE to the hard limit (10,000 clients need 10,000 descriptors; the
// soft limit is often 1,024). Returns the soft limit now in force, or errno.
lockcore::Result<std::uint64_t, int> raise_fd_limit();

// mosquitto_new() without the socket pair libmosquitto opens in every handle to wake its own
// select() loop in threaded mode. We never run that loop, so the pair would only cost two file
// descriptors per client (30,000 for 10,000 clients, over this machine's hard limit of 20,000)
// and fill with one unread byte per queued packet. Returns nullptr when libmosquitto fails
// (out of memory, or an invalid id).
mosquitto* new_mosquitto_handle(const char* client_id, bool clean_session, void* user_data);

}  // namespace transport
