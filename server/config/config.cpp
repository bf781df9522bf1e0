#include "server/config/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <functional>
#include <variant>

#include <fmt/format.h>
#include <toml++/toml.h>

extern char** environ;

namespace server::config {

namespace {

using Value = std::variant<std::int64_t, bool, std::string>;

struct Option {
  OptionInfo info;
  enum class Kind { string, integer, boolean } kind;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::vector<std::string> choices;  // strings: allowed values, if restricted
  std::function<void(Config&, const Value&)> set;
};

std::string upper(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

Option text(std::string section, std::string key, std::string def, std::string description,
            std::function<void(Config&, const Value&)> set, std::vector<std::string> choices = {}) {
  std::string type = "string";
  if (!choices.empty()) {
    type = "one of ";
    for (const auto& c : choices)
      type += (&c == &choices.front() ? "" : "|") + c;
  }
  return Option{{section, key, type, "\"" + def + "\"", description,
                 "LATCHKEY_" + upper(section) + "_" + upper(key)},
                Option::Kind::string,
                0,
                0,
                std::move(choices),
                std::move(set)};
}

Option integer(std::string section, std::string key, std::int64_t def, std::int64_t min,
               std::int64_t max, std::string description,
               std::function<void(Config&, const Value&)> set) {
  return Option{{section, key, "integer", std::to_string(def),
                 fmt::format("{} ({} to {})", description, min, max),
                 "LATCHKEY_" + upper(section) + "_" + upper(key)},
                Option::Kind::integer,
                min,
                max,
                {},
                std::move(set)};
}

Option boolean(std::string section, std::string key, bool def, std::string description,
               std::function<void(Config&, const Value&)> set) {
  return Option{{section, key, "boolean", def ? "true" : "false", description,
                 "LATCHKEY_" + upper(section) + "_" + upper(key)},
                Option::Kind::boolean,
                0,
                0,
                {},
                std::move(set)};
}

template <class T, class Section>
std::function<void(Config&, const Value&)> member(Section Config::*section, T Section::*field) {
  return [section, field](Config& c, const Value& v) { c.*section.*field = std::get<T>(v); };
}

const std::vector<Option>& table() {
  static const std::vector<Option> kOptions = [] {
    Config d;
    using C = Config;
    std::vector<Option> o;
    o.push_back(text("http", "address", d.http.address, "IP address the HTTP server listens on",
                     member(&C::http, &C::Http::address)));
    o.push_back(integer("http", "port", d.http.port, 0, 65535,
                        "TCP port of the HTTP server; 0 picks a free one",
                        member(&C::http, &C::Http::port)));
    o.push_back(integer("http", "body_limit", d.http.body_limit, 1024, 1 << 30,
                        "largest request body in bytes; larger ones get 413",
                        member(&C::http, &C::Http::body_limit)));
    o.push_back(integer("http", "header_limit", d.http.header_limit, 1024, 1 << 20,
                        "largest request head in bytes; larger ones get 431",
                        member(&C::http, &C::Http::header_limit)));
    o.push_back(integer("http", "idle_timeout_ms", d.http.idle_timeout_ms, 100, 3'600'000,
                        "how long a keep-alive connection may wait for its next request",
                        member(&C::http, &C::Http::idle_timeout_ms)));
    o.push_back(integer("http", "read_timeout_ms", d.http.read_timeout_ms, 100, 600'000,
                        "how long one request may take to arrive once it has started",
                        member(&C::http, &C::Http::read_timeout_ms)));
    o.push_back(integer("http", "write_timeout_ms", d.http.write_timeout_ms, 100, 600'000,
                        "how long one answer may take to be written",
                        member(&C::http, &C::Http::write_timeout_ms)));
    o.push_back(text("store", "path", d.store.path,
                     "SQLite database file (created if missing; WAL files beside it)",
                     member(&C::store, &C::Store::path)));
    o.push_back(integer("store", "busy_timeout_ms", d.store.busy_timeout_ms, 0, 600'000,
                        "how long a write waits for another writer before failing busy",
                        member(&C::store, &C::Store::busy_timeout_ms)));
    o.push_back(integer("store", "batch_max_rows", d.store.batch_max_rows, 1, 1'000'000,
                        "most rows (lock events) committed in one durable batch",
                        member(&C::store, &C::Store::batch_max_rows)));
    o.push_back(integer("store", "batch_max_delay_ms", d.store.batch_max_delay_ms, 0, 10'000,
                        "longest a queued event waits for its batch to fill before commit",
                        member(&C::store, &C::Store::batch_max_delay_ms)));
    o.push_back(text("broker", "host", d.broker.host, "MQTT broker host name or address",
                     member(&C::broker, &C::Broker::host)));
    o.push_back(integer("broker", "port", d.broker.port, 1, 65535, "MQTT broker TCP port",
                        member(&C::broker, &C::Broker::port)));
    o.push_back(text("broker", "credentials_file", d.broker.credentials_file,
                     "file holding the server's broker user name and password (empty: none)",
                     member(&C::broker, &C::Broker::credentials_file)));
    o.push_back(text("broker", "login", d.broker.login,
                     "the server's broker login, looked up in the credentials file (give each "
                     "server instance its own)",
                     member(&C::broker, &C::Broker::login)));
    o.push_back(text("log", "level", d.log.level, "least severe log level written",
                     member(&C::log, &C::Log::level),
                     {"trace", "debug", "info", "warn", "error", "off"}));
    o.push_back(boolean("log", "access", d.log.access, "log one line per HTTP request (at info)",
                        member(&C::log, &C::Log::access)));
    o.push_back(text("web", "static_dir", d.web.static_dir,
                     "directory of the web app's files served at / (empty: none)",
                     member(&C::web, &C::Web::static_dir)));
    o.push_back(integer("identity", "password_opslimit", d.identity.password_opslimit, 1, 10,
                        "argon2id passes per password hash; with password_memlimit_kib it must "
                        "meet the OWASP ASVS floor (t=1: 46 MiB, t=2: 19 MiB, t=3: 12 MiB, "
                        "t=4: 9 MiB, t>=5: 7 MiB)",
                        member(&C::identity, &C::Identity::password_opslimit)));
    o.push_back(integer("identity", "password_memlimit_kib", d.identity.password_memlimit_kib, 8,
                        4 * 1024 * 1024,
                        "argon2id memory per password hash in KiB (one hash runs at a time)",
                        member(&C::identity, &C::Identity::password_memlimit_kib)));
    using N = C::Notify;
    o.push_back(integer("notify", "workers", d.notify.workers, 1, 16,
                        "threads that send notifications (each send blocks one)",
                        member(&C::notify, &N::workers)));
    o.push_back(integer("notify", "send_timeout_ms", d.notify.send_timeout_ms, 1'000, 120'000,
                        "longest one email or SMS attempt may take, connecting included",
                        member(&C::notify, &N::send_timeout_ms)));
    o.push_back(boolean("notify", "email_enabled", d.notify.email_enabled,
                        "send email; when off (or smtp_url/email_from unset) emails wait unsent",
                        member(&C::notify, &N::email_enabled)));
    o.push_back(
        text("notify", "smtp_url", d.notify.smtp_url,
             "SMTP server: smtp://host:587 (STARTTLS per smtp_starttls) or smtps://host:465",
             member(&C::notify, &N::smtp_url)));
    o.push_back(text("notify", "smtp_starttls", d.notify.smtp_starttls,
                     "STARTTLS on smtp://: off, opportunistic (if offered) or required",
                     member(&C::notify, &N::smtp_starttls), {"off", "opportunistic", "required"}));
    o.push_back(text("notify", "smtp_username", d.notify.smtp_username,
                     "SMTP AUTH user name (empty: no AUTH)",
                     member(&C::notify, &N::smtp_username)));
    o.push_back(text("notify", "smtp_password", d.notify.smtp_password,
                     "SMTP AUTH password (prefer the environment variable to the file)",
                     member(&C::notify, &N::smtp_password)));
    o.push_back(text("notify", "email_from", d.notify.email_from,
                     "sender address of every email (MAIL FROM and From)",
                     member(&C::notify, &N::email_from)));
    o.push_back(text("notify", "email_from_name", d.notify.email_from_name,
                     "display name in From (empty: none)",
                     member(&C::notify, &N::email_from_name)));
    o.push_back(boolean("notify", "sms_enabled", d.notify.sms_enabled,
                        "send SMS; when off (or the provider settings unset) SMS wait unsent",
                        member(&C::notify, &N::sms_enabled)));
    o.push_back(text("notify", "sms_base_url", d.notify.sms_base_url,
                     "Twilio-style provider API; messages go to "
                     "<url>/2010-04-01/Accounts/<sid>/Messages.json",
                     member(&C::notify, &N::sms_base_url)));
    o.push_back(text("notify", "sms_account_sid", d.notify.sms_account_sid,
                     "provider account SID (basic-auth user name)",
                     member(&C::notify, &N::sms_account_sid)));
    o.push_back(text("notify", "sms_auth_token", d.notify.sms_auth_token,
                     "provider auth token (basic-auth password; prefer the environment variable)",
                     member(&C::notify, &N::sms_auth_token)));
    o.push_back(text("notify", "sms_from", d.notify.sms_from,
                     "sender number (E.164) or provider sender id",
                     member(&C::notify, &N::sms_from)));
    o.push_back(boolean("notify", "webhook_enabled", d.notify.webhook_enabled,
                        "send webhooks to the sites' subscriptions; when off they wait unsent",
                        member(&C::notify, &N::webhook_enabled)));
    o.push_back(integer("notify", "webhook_timeout_ms", d.notify.webhook_timeout_ms, 1'000, 120'000,
                        "longest one webhook attempt may take, connecting included",
                        member(&C::notify, &N::webhook_timeout_ms)));
    return o;
  }();
  return kOptions;
}

const Option* find(std::string_view section, std::string_view key) {
  for (const Option& o : table()) {
    if (o.info.section == section && o.info.key == key) return &o;
  }
  return nullptr;
}

bool known_section(std::string_view section) {
  return std::any_of(table().begin(), table().end(),
                     [&](const Option& o) { return o.info.section == section; });
}

// Checks range and choices; returns an error text completing "<where>: <section>.<key> …".
std::optional<std::string> check(const Option& o, const Value& v) {
  if (o.kind == Option::Kind::integer) {
    std::int64_t n = std::get<std::int64_t>(v);
    if (n < o.min || n > o.max)
      return fmt::format("must be from {} to {}, not {}", o.min, o.max, n);
  }
  if (o.kind == Option::Kind::string && !o.choices.empty()) {
    const std::string& s = std::get<std::string>(v);
    if (std::find(o.choices.begin(), o.choices.end(), s) == o.choices.end()) {
      return fmt::format("must be {}, not \"{}\"", o.info.type, s);
    }
  }
  return std::nullopt;
}

std::string kind_name(Option::Kind kind) {
  switch (kind) {
    case Option::Kind::string:
      return "a string";
    case Option::Kind::integer:
      return "an integer";
    case Option::Kind::boolean:
      return "true or false";
  }
  return "?";
}

std::optional<Value> from_toml(const Option& o, const toml::node& node) {
  switch (o.kind) {
    case Option::Kind::string:
      if (auto s = node.value_exact<std::string>()) return Value(*s);
      break;
    case Option::Kind::integer:
      if (auto n = node.value_exact<std::int64_t>()) return Value(*n);
      break;
    case Option::Kind::boolean:
      if (auto b = node.value_exact<bool>()) return Value(*b);
      break;
  }
  return std::nullopt;
}

std::optional<Value> from_text(const Option& o, const std::string& text) {
  switch (o.kind) {
    case Option::Kind::string:
      return Value(text);
    case Option::Kind::integer: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
      return Value(n);
    }
    case Option::Kind::boolean:
      if (text == "true" || text == "1") return Value(true);
      if (text == "false" || text == "0") return Value(false);
      return std::nullopt;
  }
  return std::nullopt;
}

lockcore::Result<void, std::string> apply(Config& config, const Option& o,
                                          const std::optional<Value>& value,
                                          const std::string& where) {
  std::string name = o.info.section + "." + o.info.key;
  if (!value)
    return lockcore::fail(fmt::format("{}: {} must be {}", where, name, kind_name(o.kind)));
  if (auto why = check(o, *value))
    return lockcore::fail(fmt::format("{}: {} {}", where, name, *why));
  o.set(config, *value);
  return {};
}

lockcore::Result<void, std::string> apply_file(Config& config, const std::string& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return lockcore::fail(fmt::format("{}: cannot read the configuration file", file));
  }
  toml::table root;
  try {
    root = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    return lockcore::fail(fmt::format("{}:{}: {}", file, e.source().begin.line, e.description()));
  } catch (const std::exception& e) {
    return lockcore::fail(fmt::format("{}: {}", file, e.what()));
  }
  for (auto&& [section, node] : root) {
    std::string where = fmt::format("{}:{}", file, section.source().begin.line);
    const toml::table* entries = node.as_table();
    if (!known_section(section.str()) || entries == nullptr) {
      return lockcore::fail(fmt::format("{}: unknown section \"{}\"", where, section.str()));
    }
    for (auto&& [key, value] : *entries) {
      where = fmt::format("{}:{}", file, key.source().begin.line);
      const Option* o = find(section.str(), key.str());
      if (o == nullptr) {
        return lockcore::fail(
            fmt::format("{}: unknown key \"{}.{}\"", where, section.str(), key.str()));
      }
      if (auto r = apply(config, *o, from_toml(*o, value), where); !r) return r;
    }
  }
  return {};
}

lockcore::Result<void, std::string> apply_env(Config& config, const Environment& env) {
  for (const auto& [name, text] : env) {
    const Option* match = nullptr;
    for (const Option& o : table()) {
      if (o.info.env == name) match = &o;
    }
    if (match != nullptr) {
      if (auto r = apply(config, *match, from_text(*match, text), name); !r) return r;
      continue;
    }
    // A variable in one of our sections that names no option is a typo, not someone else's.
    for (const Option& o : table()) {
      std::string prefix = "LATCHKEY_" + upper(o.info.section) + "_";
      if (name.starts_with(prefix)) return lockcore::fail(fmt::format("{}: unknown option", name));
    }
  }
  return {};
}

}  // namespace

const std::vector<OptionInfo>& options() {
  static const std::vector<OptionInfo> kInfo = [] {
    std::vector<OptionInfo> out;
    for (const Option& o : table())
      out.push_back(o.info);
    return out;
  }();
  return kInfo;
}

std::string options_help() {
  std::string out =
      "Configuration (TOML file sections, each overridable by its environment variable):\n";
  std::string section;
  for (const OptionInfo& o : options()) {
    if (o.section != section) {
      section = o.section;
      out += fmt::format("\n  [{}]\n", section);
    }
    out += fmt::format("  {:<20} {} = {}   env {}\n  {:<20} {}\n", o.key, o.type, o.default_value,
                       o.env, "", o.description);
  }
  return out;
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (!entry.starts_with("LATCHKEY_")) continue;
    std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

lockcore::Result<Config, std::string> load(const std::optional<std::string>& file,
                                           const Environment& env) {
  Config config;
  if (file) {
    if (auto r = apply_file(config, *file); !r) return lockcore::fail(r.error());
  }
  if (auto r = apply_env(config, env); !r) return lockcore::fail(r.error());
  return config;
}

}  // namespace server::config
