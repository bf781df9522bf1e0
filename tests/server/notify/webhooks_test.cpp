// Webhook subscriptions and the webhook POST: a site subscribes a URL to some kinds, an event
// becomes one outbox message per matching URL, and the request that reaches the receiver carries
// a signature the receiver can verify with the secret it was given.

#include "server/notify/webhooks.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "server/notify/webhook_sender.hpp"
#include "server/notify/webhook_signature.hpp"
#include "tests/support/capture_server.hpp"
#include "tests/support/migrated_store.hpp"

namespace server::notify {
namespace {

constexpr lockcore::UnixMs kStart = 1'767'225'600'000;

class WebhooksTest : public ::testing::Test {
 protected:
  std::vector<Message> queued() {
    auto listed = outbox_.list({});
    EXPECT_TRUE(listed);
    return listed ? *listed : std::vector<Message>{};
  }

  testsupport::MigratedStore store_{migrations()};
  lockcore::ManualClock clock_{kStart};
  Outbox outbox_{store_.db(), clock_};
  Webhooks webhooks_{store_.db(), clock_};
};

TEST_F(WebhooksTest, ASubscriptionGetsAFreshSecretAndIsListedForItsSite) {
  auto added = webhooks_.add("harbor-flats", "https://ops.example.com/latchkey",
                             {Kind::lock_alert, Kind::work_order, Kind::lock_alert});
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_TRUE(added->id.starts_with("whk_"));
  EXPECT_TRUE(added->secret.starts_with("whsec_"));
  EXPECT_EQ(added->secret.size(), 6u + 64u);
  EXPECT_EQ(added->kinds, (std::vector<Kind>{Kind::work_order, Kind::lock_alert}));
  clock_.advance(1);
  auto other = webhooks_.add("harbor-flats", "https://other.example.com/", {Kind::lock_alert});
  ASSERT_TRUE(other);
  EXPECT_NE(other->secret, added->secret);

  auto listed = webhooks_.list(std::string("harbor-flats"));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].secret, added->secret);
  EXPECT_EQ((*listed)[0].kinds, added->kinds);
  auto elsewhere = webhooks_.list(std::string("elm-street"));
  ASSERT_TRUE(elsewhere);
  EXPECT_TRUE(elsewhere->empty());
}

TEST_F(WebhooksTest, ABadUrlNoKindsOrASecondSubscriptionToOneUrlAreRefused) {
  for (const char* url : {"", "ftp://x.example.com/", "file:///etc/passwd", "https://", "nope"}) {
    auto added = webhooks_.add("harbor-flats", url, {Kind::lock_alert});
    ASSERT_FALSE(added) << url;
    EXPECT_EQ(added.error().code, Errc::invalid_field);
    EXPECT_EQ(added.error().field, "url");
  }
  auto no_kinds = webhooks_.add("harbor-flats", "https://ops.example.com/", {});
  ASSERT_FALSE(no_kinds);
  EXPECT_EQ(no_kinds.error().field, "kinds");
  ASSERT_TRUE(webhooks_.add("harbor-flats", "https://ops.example.com/", {Kind::lock_alert}));
  auto twice = webhooks_.add("harbor-flats", "https://ops.example.com/", {Kind::work_order});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::conflict);
}

TEST_F(WebhooksTest, PublishEnqueuesOnePerMatchingUrlAndASitesOwnSecretSignsIt) {
  auto site = webhooks_.add("harbor-flats", "https://ops.example.com/", {Kind::lock_alert});
  auto global = webhooks_.add("", "https://ops.example.com/", {Kind::lock_alert});
  auto global_other = webhooks_.add("", "https://noc.example.com/", {Kind::lock_alert});
  auto other_kind = webhooks_.add("harbor-flats", "https://jobs.example.com/", {Kind::work_order});
  auto other_site = webhooks_.add("elm-street", "https://elm.example.com/", {Kind::lock_alert});
  ASSERT_TRUE(site && global && global_other && other_kind && other_site);

  auto published = webhooks_.publish(outbox_, "harbor-flats", Kind::lock_alert, "Battery low",
                                     boost::json::parse(R"({"lock":"front-door","battery":7})"));
  ASSERT_TRUE(published) << published.error().message;
  EXPECT_EQ(*published, 2u);
  auto messages = queued();
  ASSERT_EQ(messages.size(), 2u);
  std::set<std::string> urls;
  for (const Message& m : messages) {
    urls.insert(m.notice.address);
    EXPECT_EQ(m.notice.channel, Channel::webhook);
    EXPECT_EQ(m.notice.site, "harbor-flats");
    EXPECT_EQ(m.notice.body, R"({"lock":"front-door","battery":7})");
  }
  EXPECT_EQ(urls, (std::set<std::string>{"https://ops.example.com/", "https://noc.example.com/"}));

  EXPECT_EQ(*webhooks_.secret_for("harbor-flats", "https://ops.example.com/"), site->secret);
  EXPECT_EQ(*webhooks_.secret_for("harbor-flats", "https://noc.example.com/"),
            global_other->secret);
  EXPECT_EQ(*webhooks_.secret_for("elm-street", "https://ops.example.com/"), global->secret);
  EXPECT_EQ(*webhooks_.secret_for("harbor-flats", "https://elm.example.com/"), std::nullopt);

  ASSERT_TRUE(webhooks_.remove(site->id));
  EXPECT_EQ(*webhooks_.secret_for("harbor-flats", "https://ops.example.com/"), global->secret);
  EXPECT_EQ(webhooks_.remove(site->id).error().code, Errc::not_found);
}

TEST_F(WebhooksTest, PublishingRollsBackWithTheAct) {
  ASSERT_TRUE(webhooks_.add("", "https://noc.example.com/", {Kind::security_notice}));
  {
    auto tx = store_.db().begin();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(webhooks_.publish(outbox_, "harbor-flats", Kind::security_notice, "Admin restored",
                                  boost::json::object{}));
  }
  EXPECT_TRUE(queued().empty());
}

TEST_F(WebhooksTest, TheReceiverGetsASignedJsonPostItCanVerifyWithItsSecret) {
  testsupport::CaptureServer receiver({"/hooks/{name}"});
  const std::string url = receiver.base_url() + "/hooks/ops";
  auto hook = webhooks_.add("harbor-flats", url, {Kind::lock_alert});
  ASSERT_TRUE(hook);
  ASSERT_TRUE(webhooks_.publish(outbox_, "harbor-flats", Kind::lock_alert, "Battery low",
                                boost::json::parse(R"({"lock":"front-door","battery":7})")));
  Message m = queued().at(0);

  const lockcore::UnixMs at = kStart + 42'000;
  auto sent = WebhookSender().send({m, at, hook->secret, nullptr});
  ASSERT_TRUE(sent) << sent.error().message;

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.target, "/hooks/ops");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("Latchkey-Event"), "lock_alert");
  EXPECT_EQ(r.header("Latchkey-Delivery"), m.id);
  const std::string signature = r.header("Latchkey-Signature");
  EXPECT_TRUE(signature.starts_with("t=" + std::to_string(at / 1000) + ",v1=")) << signature;

  // The receiver's check, on the bytes it received.
  EXPECT_TRUE(verify_webhook(signature, r.body, hook->secret, at / 1000 + 10));
  EXPECT_EQ(verify_webhook(signature, r.body, "whsec_not-the-secret", at / 1000).error().code,
            SignatureErrc::mismatch);
  EXPECT_EQ(verify_webhook(signature, r.body, hook->secret, at / 1000 + 301).error().code,
            SignatureErrc::stale);

  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("id").as_string(), m.id);
  EXPECT_EQ(body.at("kind").as_string(), "lock_alert");
  EXPECT_EQ(body.at("site").as_string(), "harbor-flats");
  EXPECT_EQ(body.at("subject").as_string(), "Battery low");
  EXPECT_EQ(body.at("created").as_string(), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(body.at("data").at("battery").as_int64(), 7);
}

TEST_F(WebhooksTest, TheReceiversAnswerDecidesBetweenRetryAndGivingUp) {
  testsupport::CaptureServer receiver({"/hook"});
  Message m;
  m.id = "msg_1";
  m.notice = {"", Channel::webhook, receiver.base_url() + "/hook", Kind::lock_alert, "", "", "{}"};
  struct Case {
    unsigned status;
    std::optional<SendErrc> code;
  };
  for (Case c : {Case{200, std::nullopt}, Case{204, std::nullopt}, Case{400, SendErrc::deferred},
                 Case{500, SendErrc::deferred}, Case{410, SendErrc::rejected},
                 Case{301, SendErrc::protocol_error}}) {
    receiver.answer({c.status});
    auto sent = WebhookSender().send({m, kStart, "whsec_x", nullptr});
    EXPECT_EQ(sent ? std::nullopt : std::optional(sent.error().code), c.code) << c.status;
  }
  // Unsigned or unsendable messages never leave.
  const std::size_t before = receiver.count();
  auto unsigned_ = WebhookSender().send({m, kStart, "", nullptr});
  ASSERT_FALSE(unsigned_);
  EXPECT_EQ(unsigned_.error().code, SendErrc::invalid_message);
  m.notice.body = "not json";
  auto not_json = WebhookSender().send({m, kStart, "whsec_x", nullptr});
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().code, SendErrc::invalid_message);
  EXPECT_EQ(receiver.count(), before);
}

}  // namespace
}  // namespace server::notify
