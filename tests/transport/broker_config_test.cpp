// The broker config writer: the exact ACL each login gets, the settings the broker must run with,
// hashed passwords from the real mosquitto_passwd, and refusal of names or topics that could
// inject lines into Mosquitto's files.

#include "transport/broker_config.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tests/support/device_logins.hpp"
#include "tests/support/test_broker.hpp"

namespace {

using transport::Access;
using transport::BrokerLogin;
using transport::ConfigErrorCode;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return info.st_mode & 0777;
}

TEST(BrokerConfig, LoginNamesFollowTheDeviceKind) {
  EXPECT_EQ(transport::lock_login("site1", "front"), "lock/site1/front");
  EXPECT_EQ(transport::hub_login("site1", "h1"), "hub/site1/h1");
  const BrokerLogin server = transport::server_login();
  EXPECT_EQ(server.name, "server");
  ASSERT_EQ(server.grants.size(), 1u);
  EXPECT_EQ(server.grants[0], (transport::TopicGrant{"latchkey/v1/#", Access::readwrite}));
}

TEST(BrokerConfig, AclGrantsEachLoginExactlyItsTopics) {
  const std::vector<BrokerLogin> logins{
      transport::server_login(),
      {"lock/s1/a",
       {{"latchkey/v1/s1/a/state", Access::write}, {"latchkey/v1/s1/a/cmd", Access::read}}},
      {"lock/s1/mute", {}},
  };
  auto acl = transport::render_acl(logins);
  ASSERT_TRUE(acl.ok()) << acl.error().detail;
  const std::string expected_body =
      "\nuser server\n"
      "topic readwrite latchkey/v1/#\n"
      "\nuser lock/s1/a\n"
      "topic write latchkey/v1/s1/a/state\n"
      "topic read latchkey/v1/s1/a/cmd\n"
      "\nuser lock/s1/mute\n";
  ASSERT_GE(acl->size(), expected_body.size());
  EXPECT_EQ(acl->substr(acl->size() - expected_body.size()), expected_body);
  // Everything before the first user block is comments: no rule applies to anonymous clients.
  std::istringstream lines(acl->substr(0, acl->size() - expected_body.size()));
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(line.empty() || line[0] == '#') << line;
  }
}

TEST(BrokerConfig, DeviceGrantsMatchDesignSection4) {
  auto grants = testsupport::lock_account("s1", "a").grants;
  std::vector<transport::TopicGrant> expected{
      {"latchkey/v1/s1/a/status", Access::write},
      {"latchkey/v1/s1/a/state", Access::write},
      {"latchkey/v1/s1/a/event", Access::write},
      {"latchkey/v1/s1/a/ack", Access::write},
      {"latchkey/v1/s1/a/shadow/reported", Access::write},
      {"latchkey/v1/s1/a/cmd", Access::read},
      {"latchkey/v1/s1/a/shadow/desired", Access::read},
  };
  auto by_topic = [](const auto& x, const auto& y) { return x.topic < y.topic; };
  std::sort(grants.begin(), grants.end(), by_topic);
  std::sort(expected.begin(), expected.end(), by_topic);
  EXPECT_EQ(grants, expected);
}

TEST(BrokerConfig, RefusesNamesThatCouldInjectIntoMosquittoFiles) {
  for (const std::string& name :
       {std::string("lock/a\nuser server"), std::string("lock a"), std::string("lock:a"),
        std::string("lock/+"), std::string("lock/#"), std::string(""), std::string("/lock"),
        std::string("lock/"), std::string("lock//a"), std::string("lock\ta"),
        std::string("lock/a\0b", 8), std::string(201, 'x')}) {
    auto acl = transport::render_acl(std::vector<BrokerLogin>{{name, {}}});
    ASSERT_FALSE(acl.ok()) << testing::PrintToString(name);
    EXPECT_EQ(acl.error().code, ConfigErrorCode::invalid_login) << testing::PrintToString(name);
  }
}

TEST(BrokerConfig, RefusesTopicsThatAreNotCleanFilters) {
  for (const std::string& topic :
       {std::string("latchkey/v1/a b"), std::string("latchkey/v1/a\ntopic readwrite #"),
        std::string(""), std::string("latchkey/#/cmd"), std::string("latchkey/v1/a+"),
        std::string("latchkey/\x7f"), std::string("latchkey/v1/a\rb")}) {
    auto acl =
        transport::render_acl(std::vector<BrokerLogin>{{"lock/s/l", {{topic, Access::read}}}});
    ASSERT_FALSE(acl.ok()) << testing::PrintToString(topic);
    EXPECT_EQ(acl.error().code, ConfigErrorCode::invalid_topic) << testing::PrintToString(topic);
  }
}

TEST(BrokerConfig, RefusesDuplicatesAndAnEmptyList) {
  auto twice = transport::render_acl(
      std::vector<BrokerLogin>{transport::server_login(), transport::server_login()});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ConfigErrorCode::duplicate_login);
  auto none = transport::render_acl(std::vector<BrokerLogin>{});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ConfigErrorCode::no_logins);
}

TEST(BrokerConfig, MosquittoConfHasTheSettingsTheProductReliesOn) {
  transport::BrokerSettings settings;
  settings.dir = "/srv/latchkey/site1";
  settings.port = 18833;
  settings.autosave_interval = std::chrono::seconds(2);
  settings.max_queued_messages = 5000;
  const std::string conf = transport::render_mosquitto_conf(settings);
  std::vector<std::string> lines;
  std::istringstream in(conf);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  EXPECT_TRUE(has("listener 18833 127.0.0.1"));
  EXPECT_TRUE(has("allow_anonymous false"));
  EXPECT_TRUE(has("password_file /srv/latchkey/site1/passwd"));
  EXPECT_TRUE(has("acl_file /srv/latchkey/site1/acl"));
  EXPECT_TRUE(has("persistence true"));
  EXPECT_TRUE(has("persistence_location /srv/latchkey/site1/data"));
  EXPECT_TRUE(has("autosave_interval 2"));
  EXPECT_TRUE(has("max_connections -1"));
  EXPECT_TRUE(has("max_queued_messages 5000"));
  EXPECT_TRUE(has("log_dest file /srv/latchkey/site1/mosquitto.log"));
  EXPECT_TRUE(has("use_username_as_clientid true"));
  // Listener options must follow their listener line.
  const auto listener = std::find(lines.begin(), lines.end(), "listener 18833 127.0.0.1");
  EXPECT_LT(listener, std::find(lines.begin(), lines.end(), "max_connections -1"));
  EXPECT_LT(listener, std::find(lines.begin(), lines.end(), "use_username_as_clientid true"));
}

class BrokerConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testsupport::make_temp_dir("latchkey-config");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(BrokerConfigFiles, WritesHashedPasswordsPrivateFilesAndMatchingCredentials) {
  transport::BrokerSettings settings;
  settings.dir = dir_ / "site1";
  settings.port = 18834;
  const std::vector<BrokerLogin> logins{transport::server_login(),
                                        testsupport::lock_account("site1", "front"),
                                        testsupport::hub_account("site1", "h1", {"a", "b"})};
  auto written = transport::write_broker_config(settings, logins);
  ASSERT_TRUE(written.ok()) << written.error().detail;
  const auto files = transport::broker_files(settings.dir);

  EXPECT_EQ(mode_of(settings.dir), 0700u);
  for (const auto& path : {files.conf, files.passwd, files.acl, files.credentials}) {
    EXPECT_EQ(mode_of(path), 0600u) << path;
  }
  EXPECT_TRUE(std::filesystem::is_directory(files.data_dir));

  // mosquitto_passwd -U leaves one "login:$7$<iterations>$<salt>$<hash>" line per login.
  const std::string passwd = slurp(files.passwd);
  std::istringstream lines(passwd);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    const auto colon = line.find(':');
    ASSERT_NE(colon, std::string::npos) << line;
    EXPECT_EQ(line.compare(colon + 1, 3, "$7$"), 0) << line;
    const std::string login = line.substr(0, colon);
    ASSERT_TRUE(written->password_for(login).has_value()) << login;
    EXPECT_EQ(line.find(std::string(*written->password_for(login))), std::string::npos);
  }
  EXPECT_EQ(count, 3);

  auto read = transport::read_credentials(files.credentials);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->entries(), written->entries());
  EXPECT_EQ(slurp(files.acl), *transport::render_acl(logins));
  EXPECT_EQ(slurp(files.conf), transport::render_mosquitto_conf(settings));

  // Writing again rotates every password.
  auto again = transport::write_broker_config(settings, logins);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->password_for("server"), written->password_for("server"));
}

TEST_F(BrokerConfigFiles, RefusesADirectoryMosquittoWouldMisparse) {
  transport::BrokerSettings settings;
  settings.dir = dir_ / "with space";
  auto written =
      transport::write_broker_config(settings, std::vector<BrokerLogin>{transport::server_login()});
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ConfigErrorCode::io_error);
  EXPECT_FALSE(std::filesystem::exists(settings.dir / "passwd"));
}

}  // namespace
