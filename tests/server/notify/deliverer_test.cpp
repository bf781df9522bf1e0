// The deliverer on a virtual clock against real far ends: aiosmtpd for email, a capture server
// for the SMS provider and webhook receivers. Time moves only when the test moves it, so each
// retry is seen to happen exactly when the ladder says, and never a millisecond before.

#include "server/notify/deliverer.hpp"

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "runtime/virtual_scheduler.hpp"
#include "server/notify/email_sender.hpp"
#include "server/notify/sms_sender.hpp"
#include "server/notify/webhook_sender.hpp"
#include "server/notify/webhook_signature.hpp"
#include "tests/support/capture_server.hpp"
#include "tests/support/migrated_store.hpp"
#include "tests/support/run_until.hpp"
#include "tests/support/smtp_sink.hpp"

namespace server::notify {
namespace {

using namespace std::chrono_literals;

constexpr lockcore::UnixMs kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t kLadderMs[] = {0,         5'000,      300'000,    1'800'000,
                                      7'200'000, 18'000'000, 36'000'000, 36'000'000};

EmailSettings email_settings(const std::string& url) {
  EmailSettings s;
  s.url = url;
  s.from_address = "noreply@latchkey.example";
  s.starttls = StartTls::off;
  s.timeout = 20s;
  return s;
}

SmsSettings sms_settings(const std::string& base_url) {
  SmsSettings s;
  s.base_url = base_url;
  s.account_sid = "AC42";
  s.auth_token = "token";
  s.from_number = "+15555550100";
  s.timeout = 10s;
  return s;
}

Senders email_only(const std::string& url) {
  Senders s;
  s.email = std::make_unique<EmailSender>(email_settings(url));
  s.sms_problem = "not in this test";
  s.webhook_problem = "not in this test";
  return s;
}

Senders webhooks_only() {
  Senders s;
  s.webhook = std::make_unique<WebhookSender>();
  s.email_problem = "not in this test";
  s.sms_problem = "not in this test";
  return s;
}

// Sends through `real`, then holds on as if the process had died before recording the outcome;
// lets go only when the deliverer is torn down (abort), and its outcome is then never recorded.
class SendThenHang final : public Sender {
 public:
  explicit SendThenHang(std::unique_ptr<Sender> real) : real_(std::move(real)) {}
  SendResult send(const Attempt& attempt) const override {
    SendResult result = real_->send(attempt);
    while (!attempt.abort->load())
      std::this_thread::sleep_for(1ms);
    return result;
  }

 private:
  std::unique_ptr<Sender> real_;
};

// Never finishes by itself: waits for stop() and reports the attempt aborted.
class UntilAborted final : public Sender {
 public:
  SendResult send(const Attempt& attempt) const override {
    started = true;
    while (!attempt.abort->load())
      std::this_thread::sleep_for(1ms);
    return send_error(SendErrc::aborted, "stopping");
  }
  mutable std::atomic<bool> started{false};
};

// Everything logged while it lives, for tests of what the deliverer says.
class LogCapture {
 public:
  LogCapture()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000)),
        previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink_));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::size_t count(std::string_view text) const {
    std::size_t n = 0;
    for (const std::string& line : sink_->last_formatted())
      n += line.find(text) != std::string::npos ? 1 : 0;
    return n;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

class DelivererTest : public ::testing::Test {
 protected:
  std::unique_ptr<Deliverer> make(Senders senders) {
    return std::make_unique<Deliverer>(io_.get_executor(), clock_, outbox_, webhooks_, metrics_,
                                       std::move(senders));
  }
  void start(Senders senders) {
    deliverer_ = make(std::move(senders));
    deliverer_->start();
    ASSERT_TRUE(settle());
  }
  // Runs the io thread until the deliverer has nothing under way and no pass waiting.
  bool settle(Deliverer* d = nullptr) {
    Deliverer* which = d != nullptr ? d : deliverer_.get();
    return testsupport::run_until(
        io_, [&] { return which->idle(); }, 30s);
  }
  void advance_to(lockcore::UnixMs t) {
    clock_.advance_to(t);
    ASSERT_TRUE(settle());
  }
  std::string enqueue(Notice notice) {
    auto id = outbox_.enqueue(notice);
    EXPECT_TRUE(id);
    return id ? *id : std::string();
  }
  Message stored(const std::string& id) {
    auto all = outbox_.list({});
    for (const Message& m : *all)
      if (m.id == id) return m;
    ADD_FAILURE() << "no message " << id;
    return {};
  }
  std::uint64_t count(const std::string& metric, Channel channel) {
    return metrics_.counter(metric, "", {{"channel", std::string(to_string(channel))}}).value();
  }

  boost::asio::io_context io_;
  runtime::VirtualScheduler clock_{kStart};
  testsupport::MigratedStore store_{migrations()};
  Outbox outbox_{store_.db(), clock_};
  Webhooks webhooks_{store_.db(), clock_};
  http::Registry metrics_;
  std::unique_ptr<Deliverer> deliverer_;
};

Notice email_to(std::string address) {
  return {"acc_lee",
          Channel::email,
          std::move(address),
          Kind::backup_code,
          "harbor-flats",
          "Your backup code",
          "Open https://latchkey.example/b/abc within 30 minutes.\n"};
}

TEST_F(DelivererTest, APokedEmailArrivesAtTheSmtpServerAndIsMarkedSent) {
  auto sink = testsupport::SmtpSink::start();
  ASSERT_NE(sink, nullptr);
  ASSERT_NO_FATAL_FAILURE(start(email_only(sink->url())));
  clock_.advance_to(kStart + 1'500);
  const std::string id = enqueue(email_to("lee@example.com"));
  deliverer_->poke();
  ASSERT_TRUE(settle());

  auto mail = sink->messages();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].header("X-RcptTo"), "lee@example.com");
  EXPECT_EQ(mail[0].header("Subject"), "Your backup code");
  EXPECT_EQ(mail[0].header("Message-ID"), "<" + id + "@latchkey.example>");
  EXPECT_EQ(mail[0].header("Date"), "Thu, 01 Jan 2026 00:00:01 +0000");  // the virtual clock's
  Message m = stored(id);
  EXPECT_EQ(m.status, DeliveryStatus::sent);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(count("notify_sent_total", Channel::email), 1u);
  EXPECT_EQ(clock_.pending(), 0u) << "nothing pending, so no timer";
}

TEST_F(DelivererTest, ARecipientTheServerRefusesFailsForGoodAtTheFirstAttempt) {
  auto sink = testsupport::SmtpSink::start();
  ASSERT_NE(sink, nullptr);
  ASSERT_NO_FATAL_FAILURE(start(email_only(sink->url())));
  const std::string refused = enqueue(email_to("reject-lee@example.com"));
  const std::string fine = enqueue(email_to("sam@example.com"));
  deliverer_->poke();
  ASSERT_TRUE(settle());

  Message m = stored(refused);
  EXPECT_EQ(m.status, DeliveryStatus::failed);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_NE(m.last_error.find("550"), std::string::npos) << m.last_error;
  EXPECT_EQ(stored(fine).status, DeliveryStatus::sent);
  ASSERT_EQ(sink->messages().size(), 1u);
  EXPECT_EQ(count("notify_failed_total", Channel::email), 1u);
  EXPECT_EQ(count("notify_retrying_total", Channel::email), 0u);
  EXPECT_EQ(clock_.pending(), 0u);
}

TEST_F(DelivererTest, AClosedSmtpPortIsRetriedDownTheLadderThenFailedForGood) {
  const std::string url = "smtp://127.0.0.1:" + std::to_string(testsupport::closed_port());
  ASSERT_NO_FATAL_FAILURE(start(email_only(url)));
  const std::string id = enqueue(email_to("lee@example.com"));
  deliverer_->poke();
  ASSERT_TRUE(settle());

  lockcore::UnixMs at = kStart;
  for (std::size_t attempt = 2; attempt <= 8; ++attempt) {
    at += kLadderMs[attempt - 1];
    Message m = stored(id);
    ASSERT_EQ(m.attempts, static_cast<std::int64_t>(attempt - 1));
    ASSERT_EQ(m.status, DeliveryStatus::pending);
    EXPECT_NE(m.last_error.find("SMTP to lee@example.com"), std::string::npos) << m.last_error;
    ASSERT_EQ(clock_.next_due(), at) << "attempt " << attempt;
    ASSERT_NO_FATAL_FAILURE(advance_to(at - 1));
    ASSERT_EQ(stored(id).attempts, static_cast<std::int64_t>(attempt - 1)) << "too early";
    ASSERT_NO_FATAL_FAILURE(advance_to(at));
  }
  Message m = stored(id);
  EXPECT_EQ(m.attempts, 8);
  EXPECT_EQ(m.status, DeliveryStatus::failed);
  EXPECT_EQ(count("notify_retrying_total", Channel::email), 7u);
  EXPECT_EQ(count("notify_failed_total", Channel::email), 1u);
  EXPECT_EQ(clock_.pending(), 0u);
}

TEST_F(DelivererTest, AGreylistingServerIsRetriedAndTheMessageGoesWhenItAccepts) {
  auto sink = testsupport::SmtpSink::start();
  ASSERT_NE(sink, nullptr);
  ASSERT_NO_FATAL_FAILURE(start(email_only(sink->url())));
  const std::string id = enqueue(email_to("later@example.com"));
  deliverer_->poke();
  ASSERT_TRUE(settle());
  Message m = stored(id);
  EXPECT_EQ(m.status, DeliveryStatus::pending);
  EXPECT_NE(m.last_error.find("451"), std::string::npos) << m.last_error;
  EXPECT_EQ(count("notify_retrying_total", Channel::email), 1u);
  EXPECT_TRUE(sink->messages().empty());

  EXPECT_EQ(clock_.next_due(), kStart + 5'000);
  ASSERT_NO_FATAL_FAILURE(advance_to(kStart + 5'000));
  ASSERT_EQ(sink->messages().size(), 1u);
  EXPECT_EQ(sink->messages()[0].header("Date"), "Thu, 01 Jan 2026 00:00:05 +0000");
  m = stored(id);
  EXPECT_EQ(m.status, DeliveryStatus::sent);
  EXPECT_EQ(m.attempts, 2);
  EXPECT_EQ(m.last_error, "");
}

TEST_F(DelivererTest, SmsGoesToTheProviderAsAFormPost) {
  testsupport::CaptureServer provider({"/2010-04-01/Accounts/{sid}/Messages.json"});
  provider.answer({}, 201);
  Senders senders;
  senders.sms = std::make_unique<SmsSender>(sms_settings(provider.base_url()));
  ASSERT_NO_FATAL_FAILURE(start(std::move(senders)));
  const std::string id = enqueue({"acc_lee", Channel::sms, "+15555550142", Kind::backup_code,
                                  "harbor-flats", "", "Your link: https://l.k/b/x"});
  deliverer_->poke();
  ASSERT_TRUE(settle());
  auto requests = provider.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/2010-04-01/Accounts/AC42/Messages.json");
  EXPECT_EQ(requests[0].form.at("To"), "+15555550142");
  EXPECT_EQ(requests[0].form.at("Body"), "Your link: https://l.k/b/x");
  EXPECT_EQ(stored(id).status, DeliveryStatus::sent);
  EXPECT_EQ(count("notify_sent_total", Channel::sms), 1u);
}

TEST_F(DelivererTest, AWebhookIsRetriedExactlyOnTheLadderAndEachAttemptIsFreshlySigned) {
  testsupport::CaptureServer receiver({"/hook"});
  receiver.answer({}, 503);
  auto hook = webhooks_.add("harbor-flats", receiver.base_url() + "/hook", {Kind::lock_alert});
  ASSERT_TRUE(hook);
  ASSERT_NO_FATAL_FAILURE(start(webhooks_only()));
  ASSERT_TRUE(webhooks_.publish(outbox_, "harbor-flats", Kind::lock_alert, "Battery low",
                                boost::json::object{{"battery", 7}}));
  deliverer_->poke();
  ASSERT_TRUE(settle());

  std::vector<lockcore::UnixMs> expected = {kStart};
  for (std::size_t i = 1; i < 8; ++i) {
    const lockcore::UnixMs due = expected.back() + kLadderMs[i];
    ASSERT_EQ(clock_.next_due(), due) << "attempt " << i + 1;
    ASSERT_NO_FATAL_FAILURE(advance_to(due - 1));
    ASSERT_EQ(receiver.count(), i) << "attempt " << i + 1 << " came early";
    ASSERT_NO_FATAL_FAILURE(advance_to(due));
    ASSERT_EQ(receiver.count(), i + 1) << "attempt " << i + 1 << " did not come on time";
    expected.push_back(due);
  }
  // Exhausted: failed for good, nothing more is scheduled, however long we wait.
  EXPECT_EQ(clock_.pending(), 0u);
  ASSERT_NO_FATAL_FAILURE(advance_to(expected.back() + 7 * 86'400'000LL));
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    const std::int64_t t = expected[i] / 1000;
    EXPECT_EQ(requests[i].header("Latchkey-Signature").substr(0, 2 + std::to_string(t).size()),
              "t=" + std::to_string(t))
        << "attempt " << i + 1;
    EXPECT_TRUE(
        verify_webhook(requests[i].header("Latchkey-Signature"), requests[i].body, hook->secret, t))
        << "attempt " << i + 1;
    EXPECT_EQ(requests[i].header("Latchkey-Delivery"), requests[0].header("Latchkey-Delivery"));
  }
  auto all = outbox_.list({});
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].status, DeliveryStatus::failed);
  EXPECT_EQ((*all)[0].attempts, 8);
  EXPECT_EQ(count("notify_retrying_total", Channel::webhook), 7u);
  EXPECT_EQ(count("notify_failed_total", Channel::webhook), 1u);
}

TEST_F(DelivererTest, AWebhookWhoseSubscriptionWasRemovedFailsUnsent) {
  testsupport::CaptureServer receiver({"/hook"});
  auto hook = webhooks_.add("harbor-flats", receiver.base_url() + "/hook", {Kind::lock_alert});
  ASSERT_TRUE(hook);
  ASSERT_TRUE(webhooks_.publish(outbox_, "harbor-flats", Kind::lock_alert, "x", {}));
  ASSERT_TRUE(webhooks_.remove(hook->id));
  ASSERT_NO_FATAL_FAILURE(start(webhooks_only()));
  EXPECT_EQ(receiver.count(), 0u);
  EXPECT_EQ((*outbox_.list({}))[0].status, DeliveryStatus::failed);
}

TEST_F(DelivererTest, AChannelNotConfiguredKeepsItsMessagesPendingWithoutATimerUntilItIs) {
  testsupport::CaptureServer provider({"/2010-04-01/Accounts/{sid}/Messages.json"});
  const std::string id = enqueue(
      {"acc_lee", Channel::sms, "+15555550142", Kind::security_notice, "", "", "New sign-in"});
  Senders none;
  none.sms_problem = "disabled ([notify] sms_enabled = false)";
  LogCapture log;
  ASSERT_NO_FATAL_FAILURE(start(std::move(none)));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(outbox_.enqueue(
        {"acc_lee", Channel::sms, "+15555550142", Kind::security_notice, "", "", "Another"}));
    deliverer_->poke();
    ASSERT_TRUE(settle());
  }
  EXPECT_EQ(clock_.pending(), 0u) << "no timer for a channel that cannot send: no busy loop";
  ASSERT_NO_FATAL_FAILURE(advance_to(kStart + 3 * 86'400'000LL));
  EXPECT_EQ(log.count("sms message(s) wait in the outbox"), 1u) << "logged once, not per pass";
  EXPECT_EQ(log.count("sms_enabled = false"), 2u) << "at start, and in the warning";
  Message m = stored(id);
  EXPECT_EQ(m.status, DeliveryStatus::pending);
  EXPECT_EQ(m.attempts, 0);
  EXPECT_EQ(provider.count(), 0u);

  // Configured at the next start, it goes.
  deliverer_.reset();
  Senders sms;
  sms.sms = std::make_unique<SmsSender>(sms_settings(provider.base_url()));
  ASSERT_NO_FATAL_FAILURE(start(std::move(sms)));
  EXPECT_EQ(provider.count(), 4u);
  EXPECT_EQ(stored(id).status, DeliveryStatus::sent);
}

TEST_F(DelivererTest, TwoDeliverersOnOneDatabaseNeverSendOneMessageTwice) {
  testsupport::CaptureServer receiver({"/hook"});
  auto hook = webhooks_.add("", receiver.base_url() + "/hook", {Kind::lock_alert});
  ASSERT_TRUE(hook);
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(webhooks_.publish(outbox_, "harbor-flats", Kind::lock_alert, "x", {}));
  auto a = make(webhooks_only());
  auto b = make(webhooks_only());
  a->start();
  b->start();
  a->poke();
  b->poke();
  ASSERT_TRUE(testsupport::run_until(
      io_, [&] { return a->idle() && b->idle(); }, 30s));
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 6u);
  std::set<std::string> deliveries;
  for (const auto& r : requests)
    deliveries.insert(r.header("Latchkey-Delivery"));
  EXPECT_EQ(deliveries.size(), 6u) << "each message exactly once";
}

TEST_F(DelivererTest, AfterACrashBetweenSendAndRecordTheMessageIsSentOnceMoreAndNeverAgain) {
  testsupport::CaptureServer receiver({"/hook"});
  auto hook = webhooks_.add("", receiver.base_url() + "/hook", {Kind::lock_alert});
  ASSERT_TRUE(hook);
  ASSERT_TRUE(webhooks_.publish(outbox_, "harbor-flats", Kind::lock_alert, "x", {}));

  // The first process sends, then "dies" before recording the outcome.
  Senders hanging;
  hanging.webhook = std::make_unique<SendThenHang>(std::make_unique<WebhookSender>());
  auto first = make(std::move(hanging));
  first->start();
  ASSERT_TRUE(testsupport::run_until(
      io_, [&] { return receiver.count() == 1; }, 30s));
  first.reset();  // the crash: no outcome recorded, the lease stays
  Message m = (*outbox_.list({}))[0];
  EXPECT_EQ(m.status, DeliveryStatus::pending);
  EXPECT_EQ(m.attempts, 0);

  // Meanwhile a new message is written; the restarted deliverer sends it at once, and the
  // crashed one only when its lease runs out: never two attempts at once.
  ASSERT_TRUE(webhooks_.publish(outbox_, "harbor-flats", Kind::lock_alert, "y", {}));
  ASSERT_NO_FATAL_FAILURE(start(webhooks_only()));
  EXPECT_EQ(receiver.count(), 2u);
  const lockcore::UnixMs lease_end = kStart + DelivererOptions{}.lease.count();
  EXPECT_EQ(clock_.next_due(), lease_end);
  ASSERT_NO_FATAL_FAILURE(advance_to(lease_end - 1));
  EXPECT_EQ(receiver.count(), 2u);
  ASSERT_NO_FATAL_FAILURE(advance_to(lease_end));
  EXPECT_EQ(receiver.count(), 3u);
  ASSERT_NO_FATAL_FAILURE(advance_to(lease_end + 2 * 86'400'000LL));
  EXPECT_EQ(receiver.count(), 3u);

  auto requests = receiver.requests();
  EXPECT_EQ(requests[0].header("Latchkey-Delivery"), requests[2].header("Latchkey-Delivery"))
      << "the crashed message is the one sent again, with the same id";
  auto all = outbox_.list({});
  ASSERT_TRUE(all);
  for (const Message& done : *all)
    EXPECT_EQ(done.status, DeliveryStatus::sent);
}

TEST_F(DelivererTest, StopAbandonsAttemptsUnderWayUntriedSoTheNextStartSendsThemAtOnce) {
  Senders blocking;
  auto until_aborted = std::make_unique<UntilAborted>();
  UntilAborted* sender = until_aborted.get();
  blocking.webhook = std::move(until_aborted);
  deliverer_ = make(std::move(blocking));
  deliverer_->start();
  ASSERT_TRUE(webhooks_.add("", "http://127.0.0.1:9/hook", {Kind::lock_alert}));
  ASSERT_TRUE(webhooks_.publish(outbox_, "harbor-flats", Kind::lock_alert, "x", {}));
  deliverer_->poke();
  ASSERT_TRUE(testsupport::run_until(
      io_, [&] { return sender->started.load(); }, 30s));
  EXPECT_EQ(deliverer_->in_flight(), 1u);

  bool stopped = false;
  deliverer_->stop([&] { stopped = true; });
  ASSERT_TRUE(testsupport::run_until(
      io_, [&] { return stopped; }, 30s));
  Message m = (*outbox_.list({}))[0];
  EXPECT_EQ(m.status, DeliveryStatus::pending);
  EXPECT_EQ(m.attempts, 0) << "an abandoned attempt does not count";
  EXPECT_EQ(outbox_.due(10)->size(), 1u) << "released: due at once, no lease to wait out";
  deliverer_->poke();  // a stopped deliverer takes nothing
  ASSERT_TRUE(settle());
  EXPECT_EQ(deliverer_->in_flight(), 0u);
}

}  // namespace
}  // namespace server::notify
