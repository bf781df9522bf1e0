// The outbox holds every message before it is sent: written with the act that causes it, taken in
// due order by the deliverer, retried or failed for good, and readable for tests and the app.

#include "server/notify/outbox.hpp"

#include <gtest/gtest.h>

#include "tests/support/migrated_store.hpp"

namespace server::notify {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  Notice sms_to_lee(Kind kind = Kind::backup_code) {
    return {"acc_lee", Channel::sms, "+15555550142", kind, "harbor-flats", "", "Your link: …"};
  }

  testsupport::MigratedStore store_{migrations()};
  lockcore::ManualClock clock_{1'767'225'600'000};
  store::Database& db_ = store_.db();
};

TEST_F(OutboxTest, AMessageIsPendingUntilSentAndListedByRecipientChannelAndKind) {
  Outbox outbox(db_, clock_);
  auto id = outbox.enqueue(sms_to_lee());
  ASSERT_TRUE(id);
  clock_.advance(10);
  ASSERT_TRUE(outbox.enqueue(sms_to_lee(Kind::security_notice)));

  MessageFilter backup;
  backup.account = "acc_lee";
  backup.channel = Channel::sms;
  backup.kind = Kind::backup_code;
  auto listed = outbox.list(backup);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, *id);
  EXPECT_EQ((*listed)[0].status, DeliveryStatus::pending);
  EXPECT_EQ((*listed)[0].notice.address, "+15555550142");

  ASSERT_TRUE(outbox.mark_sent(*id));
  listed = outbox.list(backup);
  ASSERT_TRUE(listed);
  EXPECT_EQ((*listed)[0].status, DeliveryStatus::sent);
  EXPECT_EQ((*listed)[0].attempts, 1);
}

TEST_F(OutboxTest, DueGivesPendingMessagesWhoseTimeHasComeInTheOrderTheyFellDue) {
  Outbox outbox(db_, clock_);
  auto first = outbox.enqueue(sms_to_lee());
  clock_.advance(5);
  auto second = outbox.enqueue(sms_to_lee());
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(outbox.mark_failed(*first, "provider said 503", clock_.now() + 5'000));

  auto due = outbox.due(10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, *second);

  clock_.advance(5'000);
  due = outbox.due(10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].id, *second);
  EXPECT_EQ((*due)[1].id, *first);
  EXPECT_EQ((*due)[1].last_error, "provider said 503");
}

TEST_F(OutboxTest, AMessageFailedForGoodIsNeverDueAgain) {
  Outbox outbox(db_, clock_);
  auto id = outbox.enqueue(sms_to_lee());
  ASSERT_TRUE(id);
  ASSERT_TRUE(outbox.mark_failed(*id, "number not in service", std::nullopt));
  clock_.advance(86'400'000);
  auto due = outbox.due(10);
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty());
}

TEST_F(OutboxTest, AMessageRollsBackWithTheActThatCausedIt) {
  Outbox outbox(db_, clock_);
  {
    auto tx = db_.begin();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(outbox.enqueue(sms_to_lee()));
  }
  auto listed = outbox.list({});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_F(OutboxTest, MarkingAnUnknownMessageIsAnError) {
  Outbox outbox(db_, clock_);
  EXPECT_FALSE(outbox.mark_sent("msg_nope"));
  EXPECT_FALSE(outbox.mark_failed("msg_nope", "x", std::nullopt));
}

TEST_F(OutboxTest, AClaimedMessageIsHeldUntilItsLeaseEndsOrItsOutcomeIsRecorded) {
  Outbox outbox(db_, clock_);
  auto id = outbox.enqueue(sms_to_lee());
  ASSERT_TRUE(id);
  auto first = outbox.claim(*id, clock_.now() + 60'000);
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  // Held: not due, and nobody else can take it.
  EXPECT_TRUE(outbox.due(10)->empty());
  EXPECT_FALSE(*outbox.claim(*id, clock_.now() + 60'000));
  EXPECT_EQ(*outbox.next_due({Channel::sms}), clock_.now() + 60'000);

  // A holder that died: the lease runs out and the message is due again, attempts unchanged.
  clock_.advance(60'000);
  auto due = outbox.due(10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 0);
  ASSERT_TRUE(*outbox.claim(*id, clock_.now() + 60'000));

  // An outcome ends the lease at once.
  ASSERT_TRUE(outbox.mark_failed(*id, "provider said 503", clock_.now() + 5'000));
  EXPECT_EQ(*outbox.next_due({Channel::sms}), clock_.now() + 5'000);
  clock_.advance(5'000);
  ASSERT_TRUE(*outbox.claim(*id, clock_.now() + 60'000));
  ASSERT_TRUE(outbox.release(*id));
  EXPECT_EQ(outbox.due(10)->size(), 1u);
  ASSERT_TRUE(*outbox.claim(*id, clock_.now() + 60'000));
  ASSERT_TRUE(outbox.mark_sent(*id));
  EXPECT_FALSE(*outbox.claim(*id, clock_.now() + 60'000));
  EXPECT_EQ(*outbox.next_due({Channel::sms}), std::nullopt);
}

TEST_F(OutboxTest, DueAndNextDueCanBeLimitedToTheChannelsADelivererServes) {
  Outbox outbox(db_, clock_);
  ASSERT_TRUE(outbox.enqueue(sms_to_lee()));
  clock_.advance(10);
  Notice mail = sms_to_lee();
  mail.channel = Channel::email;
  mail.address = "lee@example.com";
  ASSERT_TRUE(outbox.enqueue(mail));
  auto email_only = outbox.due(10, {Channel::email});
  ASSERT_EQ(email_only->size(), 1u);
  EXPECT_EQ((*email_only)[0].notice.channel, Channel::email);
  EXPECT_TRUE(outbox.due(10, {})->empty());
  EXPECT_EQ(*outbox.next_due({Channel::email}), clock_.now());
  EXPECT_EQ(*outbox.next_due({Channel::webhook}), std::nullopt);
  EXPECT_EQ(*outbox.pending(Channel::sms), 1);
  EXPECT_EQ(*outbox.pending(Channel::webhook), 0);
}

TEST(OutboxNames, KindsAndChannelsRoundTripThroughTheirNames) {
  for (int i = 0; i <= static_cast<int>(Kind::lock_alert); ++i) {
    EXPECT_EQ(kind_from(to_string(static_cast<Kind>(i))), static_cast<Kind>(i));
  }
  for (int i = 0; i <= static_cast<int>(Channel::webhook); ++i) {
    EXPECT_EQ(channel_from(to_string(static_cast<Channel>(i))), static_cast<Channel>(i));
  }
  EXPECT_FALSE(kind_from("spam"));
}

}  // namespace
}  // namespace server::notify
