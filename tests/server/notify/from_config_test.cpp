// [notify] in the configuration: which channels the deliverer serves, and why the others wait.

#include "server/notify/from_config.hpp"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace server::notify {
namespace {

TEST(NotifyConfig, ByDefaultOnlyWebhooksAreServedAndEmailAndSmsSayTheyAreDisabled) {
  auto config = config::load(std::nullopt, {});
  ASSERT_TRUE(config);
  Senders s = senders_from(config->notify);
  EXPECT_EQ(s.email, nullptr);
  EXPECT_EQ(s.sms, nullptr);
  EXPECT_NE(s.webhook, nullptr);
  EXPECT_EQ(s.email_problem, "disabled ([notify] email_enabled = false)");
  EXPECT_EQ(s.sms_problem, "disabled ([notify] sms_enabled = false)");
}

TEST(NotifyConfig, ChannelsComeFromTheFileAndTheEnvironment) {
  testsupport::TempDir dir;
  const std::string file = dir.write("latchkey.toml", R"toml(
[notify]
email_enabled = true
smtp_url = "smtp://mail.example.com:587"
smtp_starttls = "required"
smtp_username = "latchkey"
email_from = "noreply@latchkey.example"
sms_enabled = true
sms_account_sid = "AC42"
sms_from = "+15555550100"
webhook_enabled = false
workers = 3
)toml");
  auto config = config::load(file, {{"LATCHKEY_NOTIFY_SMTP_PASSWORD", "hunter2"},
                                    {"LATCHKEY_NOTIFY_SMS_AUTH_TOKEN", "token"}});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->notify.smtp_password, "hunter2");
  Senders s = senders_from(config->notify);
  EXPECT_NE(s.email, nullptr) << s.email_problem;
  EXPECT_NE(s.sms, nullptr) << s.sms_problem;
  EXPECT_EQ(s.webhook, nullptr);
  EXPECT_EQ(deliverer_options_from(config->notify).workers, 3u);
}

TEST(NotifyConfig, AnEnabledChannelWithUnusableSettingsIsNotServedAndSaysWhy) {
  auto config = config::load(std::nullopt, {{"LATCHKEY_NOTIFY_EMAIL_ENABLED", "true"},
                                            {"LATCHKEY_NOTIFY_SMTP_URL", "smtp://mail.example.com"},
                                            {"LATCHKEY_NOTIFY_SMS_ENABLED", "true"}});
  ASSERT_TRUE(config) << config.error();
  Senders s = senders_from(config->notify);
  EXPECT_EQ(s.email, nullptr);
  EXPECT_NE(s.email_problem.find("sender"), std::string::npos) << s.email_problem;
  EXPECT_EQ(s.sms, nullptr);
  EXPECT_NE(s.sms_problem.find("SID"), std::string::npos) << s.sms_problem;
}

TEST(NotifyConfig, ABadStartTlsModeOrTimeoutIsAConfigurationError) {
  auto mode = config::load(std::nullopt, {{"LATCHKEY_NOTIFY_SMTP_STARTTLS", "maybe"}});
  ASSERT_FALSE(mode);
  EXPECT_NE(mode.error().find("notify.smtp_starttls"), std::string::npos) << mode.error();
  auto timeout = config::load(std::nullopt, {{"LATCHKEY_NOTIFY_SEND_TIMEOUT_MS", "999999"}});
  ASSERT_FALSE(timeout);
  EXPECT_NE(config::options_help().find("LATCHKEY_NOTIFY_SMS_AUTH_TOKEN"), std::string::npos);
}

}  // namespace
}  // namespace server::notify
