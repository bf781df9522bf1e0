// SMS through a Twilio-style provider: the test stands in for the provider with a capture server
// and checks the exact request — path, basic auth, form fields — and what each answer means.

#include "server/notify/sms_sender.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "tests/support/capture_server.hpp"
#include "tests/support/smtp_sink.hpp"

namespace server::notify {
namespace {

constexpr const char* kMessages = "/2010-04-01/Accounts/{sid}/Messages.json";

Attempt sms_to(std::string number, std::string body = "Your backup code link: https://l.k/b/x") {
  Message m;
  m.id = "msg_77aa";
  m.notice = {"acc_lee",      Channel::sms, std::move(number), Kind::backup_code,
              "harbor-flats", "",           std::move(body)};
  return {m, 1'767'225'600'000, {}, nullptr};
}

class SmsSenderTest : public ::testing::Test {
 protected:
  SmsSettings settings() const {
    SmsSettings s;
    s.base_url = provider_.base_url() + "/";  // a trailing slash is allowed
    s.account_sid = "AC0123456789abcdef";
    s.auth_token = "t0k3n:with&odd=chars";
    s.from_number = "+15555550100";
    s.timeout = std::chrono::seconds(10);
    return s;
  }
  SendResult send(const Attempt& attempt) { return SmsSender(settings()).send(attempt); }

  testsupport::CaptureServer provider_{{kMessages}};
};

std::string basic_auth(std::string_view user, std::string_view password) {
  std::string plain = std::string(user) + ":" + std::string(password);
  std::string out(sodium_base64_encoded_len(plain.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()),
                    plain.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return "Basic " + out;
}

TEST_F(SmsSenderTest, PostsTheFormFieldsWithBasicAuthToTheAccountsMessagesUrl) {
  provider_.answer({201});
  auto sent = send(sms_to("+15555550142", "Código: 12 34 & more = ok?"));
  ASSERT_TRUE(sent) << sent.error().message;

  auto requests = provider_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/2010-04-01/Accounts/AC0123456789abcdef/Messages.json");
  EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(r.header("Authorization"), basic_auth("AC0123456789abcdef", "t0k3n:with&odd=chars"));
  EXPECT_EQ(r.form, (std::map<std::string, std::string>{{"To", "+15555550142"},
                                                        {"From", "+15555550100"},
                                                        {"Body", "Código: 12 34 & more = ok?"}}));
  EXPECT_EQ(r.body.find(' '), std::string::npos) << "the form body is percent-encoded: " << r.body;
}

TEST_F(SmsSenderTest, AProviderRefusalIsPermanentButCredentialsThrottlingAndOutagesAreRetried) {
  struct Case {
    unsigned status;
    SendErrc code;
  };
  for (Case c : {Case{400, SendErrc::rejected}, Case{404, SendErrc::rejected},
                 Case{401, SendErrc::auth_failed}, Case{403, SendErrc::auth_failed},
                 Case{429, SendErrc::deferred}, Case{500, SendErrc::deferred},
                 Case{503, SendErrc::deferred}, Case{302, SendErrc::protocol_error}}) {
    provider_.answer({c.status});
    auto sent = send(sms_to("+15555550142"));
    ASSERT_FALSE(sent) << c.status;
    EXPECT_EQ(sent.error().code, c.code) << c.status << ": " << sent.error().message;
    EXPECT_EQ(sent.error().permanent(), c.code == SendErrc::rejected) << c.status;
    EXPECT_NE(sent.error().message.find(std::to_string(c.status)), std::string::npos);
    EXPECT_EQ(sent.error().message.find("t0k3n"), std::string::npos) << "no secret in the log";
  }
}

TEST_F(SmsSenderTest, ANumberThatIsNotE164IsNeverSentToTheProvider) {
  for (const char* bad : {"", "5555550142", "+0555550142", "+1555", "+1 555 555 0142",
                          "+15555550142&To=+19999999999"}) {
    auto sent = send(sms_to(bad));
    ASSERT_FALSE(sent) << bad;
    EXPECT_EQ(sent.error().code, SendErrc::invalid_message) << bad;
  }
  EXPECT_EQ(provider_.count(), 0u);
}

TEST_F(SmsSenderTest, AProviderThatIsNotThereIsAConnectionFailureToRetry) {
  SmsSettings s = settings();
  s.base_url = "http://127.0.0.1:" + std::to_string(testsupport::closed_port());
  auto sent = SmsSender(s).send(sms_to("+15555550142"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, SendErrc::connection_failed) << sent.error().message;
}

TEST(SmsSettings, UnusableSettingsAreNamed) {
  SmsSettings s;
  s.account_sid = "AC1";
  s.auth_token = "t";
  s.from_number = "+15555550100";
  EXPECT_EQ(sms_settings_problem(s), std::nullopt);
  EXPECT_EQ(sms_messages_url(s), "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json");
  s.account_sid = "AC1/../../x";
  EXPECT_TRUE(sms_settings_problem(s));
  s.account_sid = "AC1";
  s.base_url = "ftp://api.twilio.com";
  EXPECT_TRUE(sms_settings_problem(s));
  s.base_url = "https://api.twilio.com";
  s.auth_token.clear();
  EXPECT_TRUE(sms_settings_problem(s));
}

}  // namespace
}  // namespace server::notify
