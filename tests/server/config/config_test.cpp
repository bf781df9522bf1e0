// Configuration: defaults, then the file, then the environment; every mistake named with where it
// was made.

#include "server/config/config.hpp"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace server::config {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::string file(std::string_view toml) { return dir_.write("latchkey.toml", toml); }
  std::string load_error(std::string_view toml, Environment env = {}) {
    auto r = load(file(toml), env);
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.error();
  }
  testsupport::TempDir dir_;
};

TEST_F(ConfigTest, DefaultsWithoutAFileOrEnvironment) {
  auto c = load(std::nullopt, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->http.address, "127.0.0.1");
  EXPECT_EQ(c->http.port, 8080);
  EXPECT_EQ(c->http.body_limit, 1 << 20);
  EXPECT_EQ(c->store.path, "latchkey.db");
  EXPECT_EQ(c->log.level, "info");
  EXPECT_TRUE(c->log.access);
  EXPECT_EQ(c->web.static_dir, "");
}

TEST_F(ConfigTest, TheFileOverridesDefaultsAndTheEnvironmentOverridesTheFile) {
  std::string path = file(R"(
[http]
port = 9000
body_limit = 65536

[store]
path = "/var/lib/latchkey/main.db"

[log]
level = "debug"
access = false
)");
  auto c = load(path, {{"LATCHKEY_HTTP_PORT", "9100"},
                       {"LATCHKEY_BROKER_HOST", "broker.local"},
                       {"LATCHKEY_BENCH_DIR", "/tmp/x"}});  // not ours: ignored
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->http.port, 9100);
  EXPECT_EQ(c->http.body_limit, 65536);
  EXPECT_EQ(c->store.path, "/var/lib/latchkey/main.db");
  EXPECT_EQ(c->log.level, "debug");
  EXPECT_FALSE(c->log.access);
  EXPECT_EQ(c->broker.host, "broker.local");
}

TEST_F(ConfigTest, UnknownSectionsAndKeysNameTheFileAndLine) {
  EXPECT_EQ(load_error("[http]\nport = 1\nprot = 2\n"),
            dir_.file("latchkey.toml") + ":3: unknown key \"http.prot\"");
  EXPECT_EQ(load_error("\n[htp]\nport = 1\n"),
            dir_.file("latchkey.toml") + ":2: unknown section \"htp\"");
  EXPECT_EQ(load_error("port = 1\n"), dir_.file("latchkey.toml") + ":1: unknown section \"port\"");
  EXPECT_EQ(load_error("[http.tls]\ncert = \"x\"\n"),
            dir_.file("latchkey.toml") + ":1: unknown key \"http.tls\"");
}

TEST_F(ConfigTest, WrongTypesAndRangesAreRefused) {
  std::string f = dir_.file("latchkey.toml");
  EXPECT_EQ(load_error("[http]\nport = \"8080\"\n"), f + ":2: http.port must be an integer");
  EXPECT_EQ(load_error("[http]\nport = 70000\n"),
            f + ":2: http.port must be from 0 to 65535, not 70000");
  EXPECT_EQ(load_error("[http]\nport = 80.5\n"), f + ":2: http.port must be an integer");
  EXPECT_EQ(load_error("[log]\naccess = \"yes\"\n"), f + ":2: log.access must be true or false");
  EXPECT_EQ(load_error("[log]\nlevel = \"loud\"\n"),
            f + ":2: log.level must be one of trace|debug|info|warn|error|off, not \"loud\"");
  EXPECT_EQ(load_error("[http]\nbody_limit = 10\n"),
            f + ":2: http.body_limit must be from 1024 to 1073741824, not 10");
}

TEST_F(ConfigTest, EnvironmentMistakesNameTheVariable) {
  auto bad = [](Environment env) {
    auto r = load(std::nullopt, env);
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.error();
  };
  EXPECT_EQ(bad({{"LATCHKEY_HTTP_PORT", "eighty"}}),
            "LATCHKEY_HTTP_PORT: http.port must be an integer");
  EXPECT_EQ(bad({{"LATCHKEY_HTTP_PORT", "99999"}}),
            "LATCHKEY_HTTP_PORT: http.port must be from 0 to 65535, not 99999");
  EXPECT_EQ(bad({{"LATCHKEY_HTTP_PROT", "1"}}), "LATCHKEY_HTTP_PROT: unknown option");
  EXPECT_EQ(bad({{"LATCHKEY_LOG_ACCESS", "maybe"}}),
            "LATCHKEY_LOG_ACCESS: log.access must be true or false");
}

TEST_F(ConfigTest, SyntaxErrorsAndMissingFilesAreReported) {
  std::string error = load_error("[http]\nport = = 1\n");
  EXPECT_TRUE(error.starts_with(dir_.file("latchkey.toml") + ":2: ")) << error;
  auto missing = load(dir_.file("nope.toml"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), dir_.file("nope.toml") + ": cannot read the configuration file");
}

TEST_F(ConfigTest, TheHelpTableDocumentsEveryOption) {
  std::string help = options_help();
  for (const OptionInfo& o : options()) {
    EXPECT_NE(help.find(o.env), std::string::npos) << o.key;
    EXPECT_FALSE(o.description.empty()) << o.key;
  }
  for (const char* required :
       {"http.address", "http.port", "http.body_limit", "store.path", "broker.host", "broker.port",
        "broker.credentials_file", "log.level", "web.static_dir"}) {
    std::string name = required;
    std::string section = name.substr(0, name.find('.'));
    std::string key = name.substr(name.find('.') + 1);
    bool found = false;
    for (const OptionInfo& o : options())
      found = found || (o.section == section && o.key == key);
    EXPECT_TRUE(found) << required;
  }
  EXPECT_NE(help.find("LATCHKEY_HTTP_PORT"), std::string::npos);
}

}  // namespace
}  // namespace server::config
