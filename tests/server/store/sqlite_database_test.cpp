// The SQLite store: typed values in and out, transactions that leave nothing half-written, and
// errors a domain can act on.

#include "server/store/sqlite_database.hpp"

#include <functional>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace server::store {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  std::unique_ptr<Database> open(SqliteOptions options = {}) {
    auto db = open_sqlite(dir_.file("test.db"), options);
    EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
    return db.ok() ? std::move(db).value() : nullptr;
  }
  void create_schema(Database& db) {
    ASSERT_TRUE(db.execute_script(
        "CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT NOT NULL);"
        "CREATE TABLE locks (id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id),"
        " battery BIGINT CHECK (battery BETWEEN 0 AND 100), ratio DOUBLE PRECISION, key BYTEA)"));
  }
  std::int64_t count(Database& db, std::string_view table) {
    auto rows = db.query("SELECT count(*) FROM " + std::string(table));
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? rows->rows.at(0).int64(0).value() : -1;
  }

  // Creates the schema, then runs `work` in a child process on a connection of its own; the child
  // ends with _exit(work's result), its connection still open, as a crash would leave it.
  // Returns the child's exit status (-1 if it did not exit normally).
  int in_a_child_that_dies(const std::function<int(Database&)>& work) {
    {
      auto db = open();
      create_schema(*db);
    }
    pid_t child = fork();
    if (child == 0) {
      auto db = open_sqlite(dir_.file("test.db"));
      _exit(db.ok() ? work(**db) : 2);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
  }

  testsupport::TempDir dir_;
};

TEST_F(SqliteDatabaseTest, OpensInWalWithFullSyncAndForeignKeys) {
  auto db = open();
  auto mode = db->query("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(mode->rows[0].text(0).value(), "wal");
  EXPECT_EQ(db->query("PRAGMA synchronous")->rows[0].int64(0).value(), 2);  // FULL
  EXPECT_EQ(db->query("PRAGMA foreign_keys")->rows[0].int64(0).value(), 1);
  EXPECT_EQ(db->dialect(), "sqlite");
}

TEST_F(SqliteDatabaseTest, RoundTripsEveryValueKind) {
  auto db = open();
  create_schema(*db);
  ASSERT_TRUE(db->execute("INSERT INTO sites (id, name) VALUES (?, ?)", {"s1", "Elm St"}).ok());
  Blob key{0x00, 0xff, 0x10};
  auto changed =
      db->execute("INSERT INTO locks (id, site_id, battery, ratio, key) VALUES (?, ?, ?, ?, ?)",
                  {"front", "s1", std::int64_t{87}, 0.25, key});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 1);
  ASSERT_TRUE(db->execute("INSERT INTO locks (id, site_id) VALUES (?, ?)", {"back", "s1"}).ok());

  auto rows =
      db->query("SELECT id, battery, ratio, key FROM locks WHERE site_id = ? ORDER BY id", {"s1"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const Row& back = (*rows)[0];
  EXPECT_EQ(back.text(0).value(), "back");
  EXPECT_TRUE(back.is_null(1));
  const Row& front = (*rows)[1];
  EXPECT_EQ(front.int64(1).value(), 87);
  EXPECT_DOUBLE_EQ(front.real(2).value(), 0.25);
  auto blob = front.blob(3).value();
  EXPECT_EQ(Blob(blob.begin(), blob.end()), key);
  EXPECT_EQ(rows->columns->at(3), "key");
}

TEST_F(SqliteDatabaseTest, ReadingAColumnAsTheWrongTypeNamesTheColumn) {
  auto db = open();
  auto rows = db->query("SELECT 'x' AS name, NULL AS absent");
  ASSERT_TRUE(rows.ok());
  auto wrong = (*rows)[0].int64(0);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, Errc::misuse);
  EXPECT_EQ(wrong.error().message, "column 0 (\"name\") is text, not integer");
  EXPECT_FALSE((*rows)[0].text(1).ok());  // NULL is not text
}

TEST_F(SqliteDatabaseTest, ReturningReadsBackWhatWasWritten) {
  auto db = open();
  create_schema(*db);
  auto rows =
      db->query("INSERT INTO sites (id, name) VALUES (?, ?) RETURNING id, name", {"s9", "Oak"});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].text(1).value(), "Oak");
}

TEST_F(SqliteDatabaseTest, ConstraintViolationsAreTyped) {
  auto db = open();
  create_schema(*db);
  ASSERT_TRUE(db->execute("INSERT INTO sites (id, name) VALUES ('s1', 'a')").ok());

  auto dup = db->execute("INSERT INTO sites (id, name) VALUES ('s1', 'b')");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Errc::unique_violation);

  auto orphan = db->execute("INSERT INTO locks (id, site_id) VALUES ('l1', 'nowhere')");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, Errc::foreign_key_violation);

  auto missing = db->execute("INSERT INTO sites (id, name) VALUES ('s2', NULL)");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::constraint_violation);

  auto range = db->execute("INSERT INTO locks (id, site_id, battery) VALUES ('l1', 's1', 101)");
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.error().code, Errc::constraint_violation);

  ASSERT_TRUE(db->execute("INSERT INTO locks (id, site_id) VALUES ('l1', 's1')").ok());
  auto in_use = db->execute("DELETE FROM sites WHERE id = 's1'");
  ASSERT_FALSE(in_use.ok());
  EXPECT_EQ(in_use.error().code, Errc::foreign_key_violation);
}

TEST_F(SqliteDatabaseTest, ProgrammingErrorsAreMisuse) {
  auto db = open();
  create_schema(*db);
  auto syntax = db->execute("INSRT INTO sites VALUES (1)");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().code, Errc::misuse);
  EXPECT_NE(syntax.error().message.find("INSRT"), std::string::npos);

  auto two = db->execute("DELETE FROM sites; DELETE FROM locks");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code, Errc::misuse);

  auto params = db->execute("DELETE FROM sites WHERE id = ?", {"a", "b"});
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.error().code, Errc::misuse);
  EXPECT_NE(params.error().message.find("takes 1 parameters, 2 given"), std::string::npos);
}

TEST_F(SqliteDatabaseTest, CommittedTransactionIsVisibleAndRollbackLeavesNothing) {
  auto db = open();
  create_schema(*db);
  {
    auto tx = db->begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->execute("INSERT INTO sites (id, name) VALUES ('kept', 'a')").ok());
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_FALSE(tx->active());
  }
  {
    auto tx = db->begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->execute("INSERT INTO sites (id, name) VALUES ('dropped', 'b')").ok());
    // Leaving the scope without commit() is the early-return path of a failing handler.
  }
  auto rows = db->query("SELECT id FROM sites");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text(0).value(), "kept");
}

TEST_F(SqliteDatabaseTest, AFailedStatementInsideATransactionStillRollsBackTheEarlierOnes) {
  auto db = open();
  create_schema(*db);
  {
    auto tx = db->begin();
    ASSERT_TRUE(db->execute("INSERT INTO sites (id, name) VALUES ('s1', 'a')").ok());
    auto bad = db->execute("INSERT INTO locks (id, site_id) VALUES ('l', 'missing')");
    ASSERT_FALSE(bad.ok());
  }
  EXPECT_EQ(count(*db, "sites"), 0);
}

TEST_F(SqliteDatabaseTest, OneTransactionAtATimePerConnection) {
  auto db = open();
  auto tx = db->begin();
  ASSERT_TRUE(tx.ok());
  auto nested = db->begin();
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().code, Errc::misuse);
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(tx->commit().error().code, Errc::misuse);  // already finished
  EXPECT_TRUE(db->begin().ok());                       // and the connection is free again
}

TEST_F(SqliteDatabaseTest, AWriterHeldElsewhereIsBusyAfterTheTimeout) {
  auto first = open();
  auto second = open(SqliteOptions{.busy_timeout = std::chrono::milliseconds(20)});
  auto holding = first->begin();
  ASSERT_TRUE(holding.ok());
  auto blocked = second->begin();
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, Errc::busy);
  holding->rollback();
  EXPECT_TRUE(second->begin().ok());
}

TEST_F(SqliteDatabaseTest, ReadersSeeCommittedDataWhileAWriterIsOpen) {
  auto writer = open();
  create_schema(*writer);
  ASSERT_TRUE(writer->execute("INSERT INTO sites (id, name) VALUES ('s1', 'a')").ok());
  auto reader = open();
  auto tx = writer->begin();
  ASSERT_TRUE(writer->execute("INSERT INTO sites (id, name) VALUES ('s2', 'b')").ok());
  EXPECT_EQ(count(*reader, "sites"), 1);  // WAL: not blocked, and not seeing uncommitted rows
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(count(*reader, "sites"), 2);
}

TEST_F(SqliteDatabaseTest, AProcessThatDiesMidTransactionLeavesNothingAndCommitsSurvive) {
  ASSERT_EQ(in_a_child_that_dies([](Database& d) {
              {
                auto tx = d.begin();
                (void)d.execute("INSERT INTO sites (id, name) VALUES ('committed', 'a')");
                if (!tx->commit().ok()) return 3;
              }
              auto tx = d.begin();
              for (int i = 0; i < 1000; ++i) {
                (void)d.execute("INSERT INTO sites (id, name) VALUES (?, 'x')",
                                {"half-" + std::to_string(i)});
              }
              return 0;  // dies without commit or rollback
            }),
            0);

  auto db = open();
  auto rows = db->query("SELECT id FROM sites");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text(0).value(), "committed");
  EXPECT_EQ(db->query("PRAGMA integrity_check")->rows[0].text(0).value(), "ok");
}

TEST_F(SqliteDatabaseTest, AProcessCrashTransactionCommitsUnsyncedAndEverythingElseStaysSynced) {
  auto db = open();
  create_schema(*db);
  {
    auto tx = db->begin(Durability::process_crash);
    ASSERT_TRUE(tx.ok());
    EXPECT_EQ(db->query("PRAGMA synchronous")->rows[0].int64(0).value(), 1);  // NORMAL
    ASSERT_TRUE(db->execute("INSERT INTO sites (id, name) VALUES ('attempt', 'a')").ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  // The next transaction, a rolled-back relaxed one, and a statement on its own: all FULL again.
  EXPECT_EQ(db->query("PRAGMA synchronous")->rows[0].int64(0).value(), 2);
  {
    auto tx = db->begin(Durability::process_crash);
    ASSERT_TRUE(tx.ok());
  }
  EXPECT_EQ(db->query("PRAGMA synchronous")->rows[0].int64(0).value(), 2);
  {
    auto tx = db->begin();
    ASSERT_TRUE(tx.ok());
    EXPECT_EQ(db->query("PRAGMA synchronous")->rows[0].int64(0).value(), 2);
  }
  EXPECT_EQ(count(*db, "sites"), 1);
}

TEST_F(SqliteDatabaseTest, AProcessCrashCommitSurvivesTheProcessDying) {
  ASSERT_EQ(in_a_child_that_dies([](Database& d) {
              for (int i = 0; i < 50; ++i) {
                auto tx = d.begin(Durability::process_crash);
                if (!tx.ok()) return 3;
                (void)d.execute("INSERT INTO sites (id, name) VALUES (?, 'x')",
                                {"attempt-" + std::to_string(i)});
                if (!tx->commit().ok()) return 4;
              }
              return 0;  // dies with the log neither synced nor checkpointed
            }),
            0);

  auto db = open();
  EXPECT_EQ(count(*db, "sites"), 50);
  EXPECT_EQ(db->query("PRAGMA integrity_check")->rows[0].text(0).value(), "ok");
}

TEST_F(SqliteDatabaseTest, StatementCacheEvictsAndStaysCorrect) {
  auto db = open(SqliteOptions{.statement_cache_size = 2});
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5; ++i) {
      auto rows = db->query("SELECT ? + " + std::to_string(i), {std::int64_t{round}});
      ASSERT_TRUE(rows.ok());
      EXPECT_EQ((*rows)[0].int64(0).value(), round + i);
    }
  }
}

TEST_F(SqliteDatabaseTest, AKeptStatementNamesTheColumnsASchemaChangeGaveIt) {
  // A prepared statement keeps its column names; SQLite re-prepares it after a schema change, and
  // the names (and their number) must follow, or a wrong-type error would name the wrong column.
  auto db = open();
  create_schema(*db);
  ASSERT_TRUE(db->execute("INSERT INTO sites (id, name) VALUES ('s1', 'Elm')").ok());
  const std::string sql = "SELECT * FROM sites";
  auto before = db->query(sql);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->columns->size(), 2u);
  ASSERT_TRUE(db->execute_script("ALTER TABLE sites ADD COLUMN note TEXT").ok());
  ASSERT_TRUE(db->execute("UPDATE sites SET note = 'side door'").ok());
  auto after = db->query(sql);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->columns->size(), 3u);
  EXPECT_EQ((*after->columns)[2], "note");
  ASSERT_EQ((*after)[0].size(), 3u);
  EXPECT_EQ((*after)[0].text(2).value(), "side door");
  auto wrong = (*after)[0].int64(2);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("\"note\""), std::string::npos) << wrong.error().message;
}

TEST_F(SqliteDatabaseTest, AFileThatIsNotADatabaseIsAnIoError) {
  std::string path = dir_.write("junk.db", std::string(4096, 'x'));
  auto db = open_sqlite(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, Errc::io);
  auto nowhere = open_sqlite(dir_.file("no/such/dir/x.db"));
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().code, Errc::io);
}

}  // namespace
}  // namespace server::store
