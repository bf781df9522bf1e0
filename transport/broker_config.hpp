#pragma once
// Writes a Mosquitto configuration directory for one Latchkey site:
//
//   <dir>/mosquitto.conf  listener on 127.0.0.1:<port>, no anonymous access, password and ACL
//                         files, persistence in <dir>/data/ with a short autosave interval
//   <dir>/passwd          hashed by the real `mosquitto_passwd -U` (never hashed here)
//   <dir>/acl             one `user` block per login listing exactly the topics it was given
//   <dir>/credentials     the plain passwords, mode 0600, for the simulator and the server
//   <dir>/mosquitto.log   the broker's log (written by the broker)
//
// Which topics a lock or hub may use is the protocol's business (protocol/topics.hpp); this writer
// takes each login's grants as input and only checks that they are well-formed.
//
// Mosquitto semantics worth knowing: an ACL grants, never subtracts (except `deny`); a login with
// no grants can connect but neither publish nor receive anything. The config sets
// use_username_as_clientid, so no login can take over another's session by reusing its client id:
// two connections with the same login replace each other (give each server instance its own).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/result.hpp"
#include "transport/credentials_file.hpp"

namespace transport {

enum class Access : std::uint8_t { read, write, readwrite };

struct TopicGrant {
  std::string topic;  // a topic or filter (+ and # allowed as whole levels)
  Access access;
  friend bool operator==(const TopicGrant&, const TopicGrant&) = default;
};

struct BrokerLogin {
  std::string name;  // see is_valid_login()
  std::vector<TopicGrant> grants;
};

// Login names. Precondition: site, lock and hub ids are non-empty and contain no '/'.
std::string lock_login(std::string_view site, std::string_view lock);  // "lock/{site}/{lock}"
std::string hub_login(std::string_view site, std::string_view hub);    // "hub/{site}/{hub}"
// The server: read and write everything under latchkey/v1/.
BrokerLogin server_login(std::string name = "server");

struct BrokerSettings {
  std::filesystem::path dir;  // created (mode 0700) if missing
  std::uint16_t port = 0;     // must be set before the config is written
  // The broker snapshots sessions, subscriptions, queued and retained messages this often. A
  // crash loses what happened since (a clean stop saves everything); see
  // shared/research/perf_security.md 3.1.
  std::chrono::seconds autosave_interval{1};
  std::uint32_t max_queued_messages = 100'000;  // per client, QoS 1 above in-flight (default 1000)
  std::uint32_t max_packet_bytes = 320 * 1024;  // larger packets disconnect the sender
};

struct BrokerFiles {
  std::filesystem::path conf, passwd, acl, credentials, log, data_dir;
};
BrokerFiles broker_files(const std::filesystem::path& dir);

enum class ConfigErrorCode {
  no_logins,
  invalid_login,  // see is_valid_login()
  duplicate_login,
  invalid_topic,  // not a valid MQTT topic filter, or whitespace / control characters
  io_error,       // detail names the file
  passwd_failed,  // mosquitto_passwd missing or failed; detail says why
};

struct ConfigError {
  ConfigErrorCode code;
  std::string detail;
};

// The pure parts, for tests and for callers who want to look before writing.
lockcore::Result<void, ConfigError> validate_logins(std::span<const BrokerLogin> logins);
lockcore::Result<std::string, ConfigError> render_acl(std::span<const BrokerLogin> logins);
std::string render_mosquitto_conf(const BrokerSettings& settings);

// Writes every file above, with a fresh random password per login, and returns those passwords.
// Replaces an existing config in `dir` (keeping its data/ and log).
lockcore::Result<Credentials, ConfigError> write_broker_config(const BrokerSettings& settings,
                                                               std::span<const BrokerLogin> logins);

// Rewrites only mosquitto.conf, e.g. to move the broker to another port.
lockcore::Result<void, ConfigError> write_mosquitto_conf(const BrokerSettings& settings);

}  // namespace transport
