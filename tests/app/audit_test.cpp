// `latchkey audit verify` as an operator runs it: an intact log is reported with its size, and a
// log edited behind the server's back is reported at the first entry that no longer fits, with
// exit code 1.

#include <gtest/gtest.h>

#include "server/store/sqlite_database.hpp"
#include "tests/app/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using apptest::Outcome;
using apptest::run;

class AuditVerifyTest : public ::testing::Test {
 protected:
  // Each account made is one audit entry (account_created).
  void make_accounts(int n) {
    for (int i = 0; i < n; ++i) {
      const std::string phone = "+1555555010" + std::to_string(i);
      Outcome made = run({"account", "create", "--email", "p" + std::to_string(i) + "@example.test",
                          "--phone", phone, "--password-file",
                          dir_.write("pw" + std::to_string(i), "a long enough passphrase\n")},
                         env_);
      ASSERT_EQ(made.exit_code, 0) << made.output;
    }
  }
  void tamper(const std::string& sql) {
    auto db = server::store::open_sqlite(dir_.file("latchkey.db"));
    ASSERT_TRUE(db);
    auto changed = (*db)->execute(sql);
    ASSERT_TRUE(changed);
    ASSERT_EQ(*changed, 1);
  }

  testsupport::TempDir dir_;
  std::vector<std::string> env_ = {"LATCHKEY_STORE_PATH=" + dir_.file("latchkey.db")};
};

TEST_F(AuditVerifyTest, AnIntactChainIsReportedWithItsSize) {
  make_accounts(3);
  Outcome verified = run({"audit", "verify"}, env_);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_EQ(verified.output, "audit: 3 entries, chain intact\n");
}

TEST_F(AuditVerifyTest, AnEditedEntryIsTheFirstBrokenLink) {
  make_accounts(3);
  tamper("UPDATE audit_log SET actor = 'system:nobody' WHERE seq = 2");
  Outcome verified = run({"audit", "verify"}, env_);
  EXPECT_EQ(verified.exit_code, 1) << verified.output;
  EXPECT_NE(verified.output.find("chain broken at entry 2"), std::string::npos) << verified.output;
}

TEST_F(AuditVerifyTest, ARemovedEntryBreaksTheChainWhereItWas) {
  make_accounts(3);
  tamper("DELETE FROM audit_log WHERE seq = 2");
  Outcome verified = run({"audit", "verify"}, env_);
  EXPECT_EQ(verified.exit_code, 1) << verified.output;
  EXPECT_NE(verified.output.find("chain broken at entry 3"), std::string::npos) << verified.output;
}

TEST_F(AuditVerifyTest, NoStoreIsAnErrorNotAnEmptyLog) {
  Outcome verified = run({"audit", "verify"}, {"LATCHKEY_STORE_PATH=" + dir_.file("none.db")});
  EXPECT_EQ(verified.exit_code, 2) << verified.output;
}

}  // namespace
