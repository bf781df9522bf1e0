#pragma once
// DevicesOptions: the devices domain's timings and limits. The defaults are the product's; tests
// and the scenario runner shorten some of them.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include "server/store/batch_writer.hpp"
#include "transport/mqtt_client.hpp"

namespace server::devices {

struct DevicesOptions {
  // The broker connection (host, port, login, password). Absent: no connection at all; every
  // command is refused as unavailable and shadows wait (domain tests without a broker).
  std::optional<transport::ClientOptions> broker;
  // For tests without a broker: every publish goes here instead (return whether it was taken),
  // and the link counts as connected (BrokerLink::set_test_connected to change that).
  std::function<bool(std::string_view topic, std::string_view payload, bool retain)> test_publish;

  // A command is valid at the lock for this long after it is issued ...
  std::chrono::milliseconds command_lifetime{30'000};
  // ... and its outcome is awaited this much longer (a turn that started just before expiry).
  std::chrono::milliseconds ack_grace{3'000};
  // events_ack commands: short-lived, since a lock remembers every command id until it expires.
  std::chrono::milliseconds events_ack_lifetime{10'000};

  // A shadow the lock has not confirmed is published again after a capped exponential backoff.
  std::chrono::milliseconds shadow_retry_initial{2'000};
  std::chrono::milliseconds shadow_retry_max{300'000};

  // A lock or hub whose messages are refused is audited at most once per window.
  std::chrono::milliseconds refusal_audit_window{600'000};

  // Flaky: at least this many offline transitions within the window.
  std::size_t flaky_transitions = 3;
  std::chrono::milliseconds flaky_window{24 * 3'600'000};

  // A battery sample is kept when the percentage changes, or this long after the last one.
  std::chrono::milliseconds battery_sample_interval{3'600'000};

  // Digital keys: the longest window a grant may have.
  std::chrono::milliseconds max_key_window{24 * 3'600'000};

  // The batch writer for events and health (its own connection to the store).
  store::BatchWriterOptions writer;
};

}  // namespace server::devices
