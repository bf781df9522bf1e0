// `latchkey account create` as an operator runs it on a fresh install: the account is made through
// the identity code (the same rules, the same store the server then opens), its id printed, and a
// refusal names what was wrong. The password is never an argument.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/app/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using apptest::Outcome;
using apptest::run;

class AccountCreateTest : public ::testing::Test {
 protected:
  Outcome create(const std::string& email, const std::string& phone, const std::string& password,
                 bool by_file = true) {
    std::vector<std::string> args = {"account", "create", "--email", email,
                                     "--phone", phone,    "--name",  "Owner"};
    if (by_file) {
      args.push_back("--password-file");
      args.push_back(dir_.write("password-" + std::to_string(files_++), password + "\n"));
      return run(args, env_);
    }
    return run(args, env_, password + "\n");
  }

  testsupport::TempDir dir_;
  int files_ = 0;
  std::vector<std::string> env_ = {"LATCHKEY_STORE_PATH=" + dir_.file("latchkey.db")};
};

TEST_F(AccountCreateTest, MakesTheAccountAndPrintsItsId) {
  Outcome made = create("owner@example.test", "+15555550100", "the first owner's passphrase");
  EXPECT_EQ(made.exit_code, 0) << made.output;
  EXPECT_TRUE(made.output.starts_with("acc_")) << made.output;
  EXPECT_EQ(made.output.size(), std::string("acc_").size() + 32 + 1) << made.output;
  // The same address again is refused: the first one is in the store.
  Outcome again = create("OWNER@example.test", "+15555550101", "the first owner's passphrase");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("email"), std::string::npos) << again.output;
}

TEST_F(AccountCreateTest, ReadsThePasswordFromStandardInputWhenItIsNotATerminal) {
  Outcome made = create("owner@example.test", "+15555550100", "a passphrase from stdin", false);
  EXPECT_EQ(made.exit_code, 0) << made.output;
  EXPECT_TRUE(made.output.starts_with("acc_")) << made.output;
}

TEST_F(AccountCreateTest, RefusesWhatTheIdentityRulesRefuseNamingIt) {
  Outcome weak = create("owner@example.test", "+15555550100", "password");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_NE(weak.output.find("\"password\""), std::string::npos) << weak.output;
  Outcome phone = create("owner@example.test", "555-0100", "the first owner's passphrase");
  EXPECT_EQ(phone.exit_code, 1);
  EXPECT_NE(phone.output.find("\"phone\""), std::string::npos) << phone.output;
  Outcome email =
      create("owner'; DROP TABLE accounts;--", "+15555550100", "the first owner's passphrase");
  EXPECT_EQ(email.exit_code, 1);
  EXPECT_NE(email.output.find("\"email\""), std::string::npos) << email.output;
  Outcome empty = create("owner@example.test", "+15555550100", "", false);
  EXPECT_NE(empty.exit_code, 0);
}

TEST_F(AccountCreateTest, RefusesAPasswordHashCostBelowTheAsvsFloor) {
  env_.push_back("LATCHKEY_IDENTITY_PASSWORD_MEMLIMIT_KIB=1024");
  Outcome weak = create("owner@example.test", "+15555550100", "the first owner's passphrase");
  EXPECT_EQ(weak.exit_code, 2);
  EXPECT_NE(weak.output.find("ASVS"), std::string::npos) << weak.output;
}

}  // namespace
