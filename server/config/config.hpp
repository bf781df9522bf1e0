#pragma once
// Latchkey's configuration: defaults, then a TOML file, then the environment
// (LATCHKEY_<SECTION>_<KEY>, e.g. LATCHKEY_HTTP_PORT=9090 overrides [http] port), validated
// strictly: an unknown section or key, a wrong type or a value out of range is an error that names
// the key and where it came from ("latchkey.toml:12: …" or "LATCHKEY_HTTP_PORT: …").
// options() lists every option with its description; `latchkey serve --help` prints it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lockcore/result.hpp"

namespace server::config {

struct Config {
  struct Http {
    std::string address = "127.0.0.1";
    std::int64_t port = 8080;
    std::int64_t body_limit = 1 << 20;
    std::int64_t header_limit = 16 * 1024;
    std::int64_t idle_timeout_ms = 60'000;
    std::int64_t read_timeout_ms = 10'000;
    std::int64_t write_timeout_ms = 10'000;
  } http;
  struct Store {
    std::string path = "latchkey.db";
    std::int64_t busy_timeout_ms = 5'000;
    std::int64_t batch_max_rows = 10'000;
    std::int64_t batch_max_delay_ms = 2;
  } store;
  struct Broker {
    std::string host = "127.0.0.1";
    std::int64_t port = 1883;
    std::string credentials_file;
    std::string login = "server";
  } broker;
  struct Log {
    std::string level = "info";
    bool access = true;
  } log;
  struct Web {
    std::string static_dir;
  } web;
  struct Identity {
    std::int64_t password_opslimit = 2;          // libsodium's argon2id INTERACTIVE
    std::int64_t password_memlimit_kib = 65536;  // 64 MiB
    // Not a configuration option (no file key, no variable): only a test, in C++, may set it, to
    // let Node run with argon2id below the OWASP ASVS floor (identity::HashCost::test_only()).
    bool allow_weak_password_hash = false;
  } identity;
  struct Notify {
    std::int64_t workers = 2;
    std::int64_t send_timeout_ms = 30'000;
    bool email_enabled = false;
    std::string smtp_url;
    std::string smtp_starttls = "required";
    std::string smtp_username;
    std::string smtp_password;
    std::string email_from;
    std::string email_from_name = "Latchkey";
    bool sms_enabled = false;
    std::string sms_base_url = "https://api.twilio.com";
    std::string sms_account_sid;
    std::string sms_auth_token;
    std::string sms_from;
    bool webhook_enabled = true;
    std::int64_t webhook_timeout_ms = 10'000;
  } notify;
};

// One row of the options table.
struct OptionInfo {
  std::string section;
  std::string key;
  std::string type;           // "string", "integer", "boolean", or "one of a|b|c"
  std::string default_value;  // as it would be written in TOML
  std::string description;    // includes the accepted range
  std::string env;            // LATCHKEY_<SECTION>_<KEY>
};

const std::vector<OptionInfo>& options();
// The table as text for --help: one block per option.
std::string options_help();

using Environment = std::map<std::string, std::string>;
// The LATCHKEY_* variables of this process.
Environment process_environment();

// Loads defaults <- `file` (if given; a missing or unreadable file is an error) <- `env`.
// Errors: one message naming the file and line (or the variable) and what was wrong.
lockcore::Result<Config, std::string> load(const std::optional<std::string>& file,
                                           const Environment& env);

}  // namespace server::config
