// Migrations: each domain's ordered list, applied once, each all-or-nothing.

#include "server/store/migrations.hpp"

#include <gtest/gtest.h>

#include "server/store/sqlite_database.hpp"
#include "tests/support/temp_dir.hpp"

namespace server::store {
namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = open_sqlite(dir_.file("m.db"));
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
  }
  bool has_table(std::string_view name) {
    auto rows = db_->query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           {std::string(name)});
    return rows.ok() && !rows->empty();
  }

  testsupport::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::vector<Migration> base_{
      {"identity", 1, "CREATE TABLE accounts (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE)"},
      {"devices", 1,
       "CREATE TABLE locks (id TEXT PRIMARY KEY, name TEXT);"
       "CREATE INDEX locks_by_name ON locks (name)"},
      {"identity", 2, "ALTER TABLE accounts ADD COLUMN phone TEXT"},
  };
};

TEST_F(MigrationsTest, AppliesEverythingInListOrderThenNothing) {
  auto first = migrate(*db_, base_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->applied, (std::vector<std::string>{"identity v1", "devices v1", "identity v2"}));
  EXPECT_TRUE(db_->execute("INSERT INTO accounts (id, email, phone) VALUES ('a', 'e', 'p')").ok());

  auto again = migrate(*db_, base_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->applied.empty());
  auto recorded = db_->query("SELECT count(*) FROM schema_migrations");
  EXPECT_EQ((*recorded)[0].int64(0).value(), 3);
}

TEST_F(MigrationsTest, AppliesOnlyWhatANewerBuildAdds) {
  ASSERT_TRUE(migrate(*db_, base_).ok());
  base_.push_back({"devices", 2, "CREATE TABLE lock_events (lock_id TEXT, seq BIGINT)"});
  auto next = migrate(*db_, base_);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->applied, (std::vector<std::string>{"devices v2"}));
  EXPECT_TRUE(has_table("lock_events"));
}

TEST_F(MigrationsTest, AFailingMigrationLeavesNothingOfItselfAndKeepsTheEarlierOnes) {
  base_.push_back({"devices", 2,
                   "CREATE TABLE half_done (x BIGINT);"
                   "INSERT INTO half_done VALUES (1);"
                   "CREATE TABLE broken ("});  // syntax error after two good statements
  auto result = migrate(*db_, base_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, Errc::misuse);
  EXPECT_NE(result.error().message.find("migration devices v2"), std::string::npos)
      << result.error().message;
  EXPECT_FALSE(has_table("half_done"));
  EXPECT_TRUE(has_table("locks"));
  auto recorded = db_->query("SELECT count(*) FROM schema_migrations");
  EXPECT_EQ((*recorded)[0].int64(0).value(), 3);

  base_.back().sql = "CREATE TABLE half_done (x BIGINT)";  // fixed in the next build
  auto fixed = migrate(*db_, base_);
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->applied, (std::vector<std::string>{"devices v2"}));
}

TEST_F(MigrationsTest, RefusesVersionsOutOfOrderOrMissing) {
  std::vector<Migration> gap{{"identity", 1, "SELECT 1"}, {"identity", 3, "SELECT 1"}};
  auto result = migrate(*db_, gap);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, Errc::misuse);
  EXPECT_EQ(result.error().message, "migration identity v3 is out of order: expected identity v2");

  std::vector<Migration> unnamed{{"", 1, "SELECT 1"}};
  EXPECT_FALSE(migrate(*db_, unnamed).ok());
}

TEST_F(MigrationsTest, RefusesADatabaseMigratedByANewerBuild) {
  base_.push_back({"devices", 2, "CREATE TABLE t2 (x BIGINT)"});
  ASSERT_TRUE(migrate(*db_, base_).ok());
  base_.pop_back();
  auto older = migrate(*db_, base_);
  ASSERT_FALSE(older.ok());
  EXPECT_NE(older.error().message.find("devices v2"), std::string::npos);
}

TEST_F(MigrationsTest, RefusesAMigrationEditedAfterItWasApplied) {
  ASSERT_TRUE(migrate(*db_, base_).ok());
  base_[1].sql += ";CREATE INDEX sneaky ON locks (id)";
  auto edited = migrate(*db_, base_);
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.error().message, "migration devices v1 was changed after it was applied");
}

}  // namespace
}  // namespace server::store
