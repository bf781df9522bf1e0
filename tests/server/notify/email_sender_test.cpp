// Email over real SMTP: aiosmtpd on a loopback port receives what the sender sends, and the test
// reads the message as it was stored — envelope, headers, body. The failure paths are the
// server's own answers (550 and 451 to RCPT TO) and a port nobody listens on.

#include "server/notify/email_sender.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "tests/support/smtp_sink.hpp"

namespace server::notify {
namespace {

constexpr lockcore::UnixMs kNewYear2026 = 1'767'225'600'000;

std::string decode_base64(std::string_view text) {
  std::string bin(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), text.data(),
                        text.size(), "\r\n", &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "<not base64>";
  }
  bin.resize(length);
  return bin;
}

Attempt email_to(std::string address, std::string subject = "Your backup code",
                 std::string body = "Open https://latchkey.example/b/abc within 30 minutes.\n") {
  Message m;
  m.id = "msg_5f1e";
  m.notice = {"acc_lee",      Channel::email,     std::move(address), Kind::backup_code,
              "harbor-flats", std::move(subject), std::move(body)};
  return {m, kNewYear2026, {}, nullptr};
}

class EmailSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = testsupport::SmtpSink::start();
    ASSERT_NE(sink_, nullptr);
  }
  EmailSettings settings() const {
    EmailSettings s;
    s.url = sink_->url();
    s.from_address = "noreply@latchkey.example";
    s.from_name = "Latchkey";
    s.starttls = StartTls::off;  // aiosmtpd without a certificate offers no STARTTLS
    s.timeout = std::chrono::seconds(20);
    return s;
  }

  std::unique_ptr<testsupport::SmtpSink> sink_;
};

TEST_F(EmailSenderTest, TheMessageArrivesWithItsEnvelopeHeadersAndBody) {
  EmailSender sender(settings());
  auto sent = sender.send(email_to("lee@example.com", "Zugang für Lee",
                                   "Hello Lee,\n.\nA line that was only a dot.\n"));
  ASSERT_TRUE(sent) << sent.error().message;

  auto mail = sink_->messages();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].header("X-MailFrom"), "noreply@latchkey.example");
  EXPECT_EQ(mail[0].header("X-RcptTo"), "lee@example.com");
  EXPECT_EQ(mail[0].header("To"), "lee@example.com");
  EXPECT_EQ(mail[0].header("From"), "\"Latchkey\" <noreply@latchkey.example>");
  EXPECT_EQ(mail[0].header("Date"), "Thu, 01 Jan 2026 00:00:00 +0000");
  EXPECT_EQ(mail[0].header("Message-ID"), "<msg_5f1e@latchkey.example>");
  EXPECT_EQ(mail[0].header("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(mail[0].header("Subject"), "=?UTF-8?B?WnVnYW5nIGbDvHIgTGVl?=");
  EXPECT_EQ(decode_base64(mail[0].body), "Hello Lee,\r\n.\r\nA line that was only a dot.\r\n");
}

TEST_F(EmailSenderTest, ARecipientRefusedWith5xxIsRejectedForGoodAndNothingArrives) {
  EmailSender sender(settings());
  auto sent = sender.send(email_to("reject-me@example.com"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, SendErrc::rejected) << sent.error().message;
  EXPECT_TRUE(sent.error().permanent());
  EXPECT_NE(sent.error().message.find("550"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(sink_->messages().empty());
}

TEST_F(EmailSenderTest, ARecipientDeferredWith4xxIsToBeRetried) {
  EmailSender sender(settings());
  auto sent = sender.send(email_to("later@example.com"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, SendErrc::deferred) << sent.error().message;
  EXPECT_FALSE(sent.error().permanent());
  EXPECT_NE(sent.error().message.find("451"), std::string::npos) << sent.error().message;
}

TEST_F(EmailSenderTest, AServerThatIsNotThereIsAConnectionFailureToRetry) {
  EmailSettings s = settings();
  s.url = "smtp://127.0.0.1:" + std::to_string(testsupport::closed_port());
  auto sent = EmailSender(s).send(email_to("lee@example.com"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, SendErrc::connection_failed) << sent.error().message;
  EXPECT_FALSE(sent.error().permanent());
}

TEST_F(EmailSenderTest, RequiredStartTlsThatTheServerDoesNotOfferSendsNothing) {
  EmailSettings s = settings();
  s.starttls = StartTls::required;
  auto sent = EmailSender(s).send(email_to("lee@example.com"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, SendErrc::tls_failed) << sent.error().message;
  EXPECT_TRUE(sink_->messages().empty());
}

TEST_F(EmailSenderTest, AnAbortedAttemptEndsAtOnceAsAborted) {
  std::atomic<bool> abort{true};
  Attempt attempt = email_to("lee@example.com");
  attempt.abort = &abort;
  auto sent = EmailSender(settings()).send(attempt);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, SendErrc::aborted);
  EXPECT_TRUE(sink_->messages().empty());
}

TEST(EmailSettings, UnusableSettingsAreNamedBeforeAnyMessageIsTried) {
  EmailSettings s;
  EXPECT_EQ(email_settings_problem(s), "no SMTP URL is set");
  s.url = "http://mail.example.com";
  ASSERT_TRUE(email_settings_problem(s));
  EXPECT_NE(email_settings_problem(s)->find("smtp://"), std::string::npos);
  s.url = "smtps://mail.example.com:465";
  s.from_address = "Latchkey <noreply@latchkey.example>";
  ASSERT_TRUE(email_settings_problem(s));
  s.from_address = "noreply@latchkey.example";
  EXPECT_EQ(email_settings_problem(s), std::nullopt);
}

}  // namespace
}  // namespace server::notify
