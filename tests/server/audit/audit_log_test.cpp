// The audit log is the record a security reviewer trusts: entries are chained so that any edit,
// deletion or reordering is detected, and an entry commits or rolls back with the act it records.

#include "server/audit/audit_log.hpp"

#include <gtest/gtest.h>

#include "tests/support/migrated_store.hpp"

namespace server::audit {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  Entry append(AuditType type, std::string subject = "lock:u204", std::string detail = "{}") {
    auto entry = log().append(
        {type, "account:acc_ana", "maple-court", std::move(subject), std::move(detail)});
    EXPECT_TRUE(entry) << entry.error().message;
    clock_.advance(1000);
    return entry ? *entry : Entry{};
  }

  AuditLog log() { return AuditLog(db_, clock_); }

  testsupport::MigratedStore store_{migrations()};
  lockcore::ManualClock clock_{1'767'225'600'000};
  store::Database& db_ = store_.db();
};

TEST_F(AuditLogTest, EntriesAreNumberedInOrderAndEachCommitsToThePreviousOne) {
  Entry first = append(AuditType::sign_in, "account:acc_ana");
  Entry second = append(AuditType::unlocked);
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(first.prev_hash, Hash{});
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_NE(first.hash, second.hash);
  EXPECT_EQ(second.at, first.at + 1000);

  auto verified = log().verify();
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->entries, 2);
  EXPECT_FALSE(verified->broken_at);
}

TEST_F(AuditLogTest, AnEditedEntryBreaksTheChainThere) {
  append(AuditType::credential_set);
  append(AuditType::unlock_denied, "lock:u204", R"({"reason":"wrong_code"})");
  append(AuditType::unlocked);
  ASSERT_TRUE(db_.execute("UPDATE audit_log SET detail = ? WHERE seq = 2",
                          {std::string(R"({"reason":"none"})")}));

  auto verified = log().verify();
  ASSERT_TRUE(verified);
  ASSERT_TRUE(verified->broken_at);
  EXPECT_EQ(*verified->broken_at, 2);
}

TEST_F(AuditLogTest, ADeletedEntryBreaksTheChainAtTheGap) {
  append(AuditType::membership_started);
  append(AuditType::unlocked);
  append(AuditType::membership_ended);
  ASSERT_TRUE(db_.execute("DELETE FROM audit_log WHERE seq = 2"));

  auto verified = log().verify();
  ASSERT_TRUE(verified);
  ASSERT_TRUE(verified->broken_at);
  EXPECT_EQ(*verified->broken_at, 3);
}

TEST_F(AuditLogTest, ARewrittenTypeNameIsABrokenLinkNotAnUnreadableLog) {
  append(AuditType::unlock_denied);
  ASSERT_TRUE(db_.execute("UPDATE audit_log SET type = 'nothing_happened' WHERE seq = 1"));
  auto verified = log().verify();
  ASSERT_TRUE(verified);
  ASSERT_TRUE(verified->broken_at);
  EXPECT_EQ(*verified->broken_at, 1);
}

TEST_F(AuditLogTest, AnEntryRollsBackWithTheActItRecords) {
  append(AuditType::sign_in, "account:acc_ana");
  {
    auto tx = db_.begin();
    ASSERT_TRUE(tx);
    append(AuditType::code_created);
    // The act fails after its entry was written: nothing of it may remain.
  }
  Entry next = append(AuditType::sign_out, "account:acc_ana");
  EXPECT_EQ(next.seq, 2);
  auto verified = log().verify();
  ASSERT_TRUE(verified);
  EXPECT_FALSE(verified->broken_at);
}

TEST_F(AuditLogTest, DetailMustBeAJsonObject) {
  auto bad = log().append({AuditType::unlocked, "system", "maple-court", "lock:u204", "not json"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, store::Errc::misuse);
  auto array = log().append({AuditType::unlocked, "system", "maple-court", "lock:u204", "[]"});
  EXPECT_FALSE(array);
  auto verified = log().verify();
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->entries, 0);
}

TEST_F(AuditLogTest, ListFiltersNewestFirstAndPagesBackwards) {
  append(AuditType::unlocked, "lock:u204");
  append(AuditType::jammed, "lock:u204");
  append(AuditType::unlocked, "lock:u205");
  append(AuditType::unlocked, "lock:u204");

  Filter by_type;
  by_type.type = AuditType::unlocked;
  auto unlocked = log().list(by_type);
  ASSERT_TRUE(unlocked);
  ASSERT_EQ(unlocked->size(), 3u);
  EXPECT_EQ((*unlocked)[0].seq, 4);
  EXPECT_EQ((*unlocked)[2].seq, 1);

  Filter page;
  page.subject = "lock:u204";
  page.limit = 2;
  auto first = log().list(page);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 2u);
  page.before_seq = first->back().seq;
  auto second = log().list(page);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].seq, 1);
  EXPECT_EQ((*second)[0].record.type, AuditType::unlocked);
}

TEST_F(AuditLogTest, SqlMetacharactersInFieldsAreStoredAsText) {
  const std::string subject = "lock:u204'; DROP TABLE audit_log; --";
  append(AuditType::unlock_denied, subject);
  Filter filter;
  filter.subject = subject;
  auto found = log().list(filter);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].record.subject, subject);
}

TEST(AuditTypeNames, EveryTypeRoundTripsThroughItsName) {
  for (int i = 0; i <= static_cast<int>(AuditType::work_order_closed); ++i) {
    auto type = static_cast<AuditType>(i);
    ASSERT_FALSE(to_string(type).empty());
    EXPECT_EQ(audit_type_from(to_string(type)), type);
  }
  EXPECT_FALSE(audit_type_from("unlocked "));
  EXPECT_FALSE(audit_type_from(""));
}

}  // namespace
}  // namespace server::audit
