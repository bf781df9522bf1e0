// BatchWriter: every enqueued group is answered once, on the caller's io_context, after its rows
// are committed; a bad group fails alone.

#include "server/store/batch_writer.hpp"

#include <atomic>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "server/store/migrations.hpp"
#include "server/store/sqlite_database.hpp"
#include "tests/support/temp_dir.hpp"

namespace server::store {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO lock_events (lock_id, seq, ts, type, detail) VALUES (?, ?, ?, ?, ?)";

Write event(std::string lock, std::int64_t seq) {
  return Write{
      std::string(kInsert),
      {std::move(lock), seq, std::int64_t{1'700'000'000'000} + seq, "unlocked", R"({"slot":3})"}};
}

class BatchWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = open_sqlite(dir_.file("events.db"));
    ASSERT_TRUE(db.ok());
    reader_ = std::move(db).value();
    ASSERT_TRUE(migrate(*reader_, {{"devices", 1,
                                    "CREATE TABLE lock_events (lock_id TEXT NOT NULL, seq BIGINT "
                                    "NOT NULL, ts BIGINT NOT NULL, type TEXT NOT NULL, detail "
                                    "TEXT NOT NULL, PRIMARY KEY (lock_id, seq))"}})
                    .ok());
  }
  std::unique_ptr<BatchWriter> start(BatchWriterOptions options = {}) {
    auto db = open_sqlite(dir_.file("events.db"));
    EXPECT_TRUE(db.ok());
    return std::make_unique<BatchWriter>(std::move(db).value(), options);
  }
  std::int64_t stored() {
    return (*reader_->query("SELECT count(*) FROM lock_events"))[0].int64(0).value();
  }

  testsupport::TempDir dir_;
  std::unique_ptr<Database> reader_;
  boost::asio::io_context io_;
};

TEST_F(BatchWriterTest, CallsBackOnTheCallersContextOnlyOnceRowsAreOnDisk) {
  auto writer = start();
  std::thread::id caller = std::this_thread::get_id();
  int done = 0;
  std::int64_t seen_when_acknowledged = -1;
  writer->enqueue({event("front", 1), event("front", 2)}, io_.get_executor(), [&](Status s) {
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(std::this_thread::get_id(), caller);
    seen_when_acknowledged = stored();  // another connection already sees them: committed
    ++done;
  });
  EXPECT_EQ(done, 0);  // never inline
  writer->sync();
  EXPECT_EQ(done, 0);  // posted, not run: the caller's context runs it
  io_.run();
  EXPECT_EQ(done, 1);
  EXPECT_EQ(seen_when_acknowledged, 2);
}

TEST_F(BatchWriterTest, ManySmallGroupsShareFewTransactions) {
  auto writer = start({.max_rows = 500, .max_delay = std::chrono::milliseconds(50)});
  int acknowledged = 0;
  for (int i = 0; i < 2000; ++i) {
    writer->enqueue({event("lock-" + std::to_string(i % 7), i)}, io_.get_executor(),
                    [&](Status s) { acknowledged += s.ok(); });
  }
  writer->sync();
  io_.run();
  EXPECT_EQ(acknowledged, 2000);
  EXPECT_EQ(stored(), 2000);
  BatchWriterStats stats = writer->stats();
  EXPECT_EQ(stats.rows, 2000u);
  EXPECT_LE(stats.batches, 40u);  // 2000 rows at up to 500 a batch, not 2000 commits
  EXPECT_GE(stats.batches, 4u);
}

TEST_F(BatchWriterTest, AFailingGroupFailsAloneAndAtomically) {
  auto writer = start({.max_rows = 100, .max_delay = std::chrono::milliseconds(1000)});
  std::vector<Status> results(3);
  writer->enqueue({event("a", 1)}, io_.get_executor(), [&](Status s) { results[0] = s; });
  // Its second row repeats its first: the whole group must fail, including row ("b", 1).
  writer->enqueue({event("b", 1), event("b", 1)}, io_.get_executor(),
                  [&](Status s) { results[1] = s; });
  writer->enqueue({event("c", 1)}, io_.get_executor(), [&](Status s) { results[2] = s; });
  writer->sync();
  io_.run();
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code, Errc::unique_violation);
  EXPECT_TRUE(results[2].ok());
  auto rows = reader_->query("SELECT lock_id FROM lock_events ORDER BY lock_id");
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].text(0).value(), "a");
  EXPECT_EQ((*rows)[1].text(0).value(), "c");
  EXPECT_EQ(writer->stats().failed_rows, 2u);
}

TEST_F(BatchWriterTest, FlushesAfterMaxDelayWithoutBeingAsked) {
  auto writer = start({.max_rows = 1000, .max_delay = std::chrono::milliseconds(5)});
  bool done = false;
  writer->enqueue({event("a", 1)}, io_.get_executor(), [&](Status s) { done = s.ok(); });
  auto work = boost::asio::make_work_guard(io_);
  std::thread stopper([&] {
    for (int i = 0; i < 500 && writer->stats().rows == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    work.reset();
  });
  io_.run();
  stopper.join();
  io_.restart();
  io_.run();
  EXPECT_TRUE(done);
}

TEST_F(BatchWriterTest, StopCommitsWhatIsQueuedAndRefusesLaterWrites) {
  auto writer = start({.max_rows = 1000, .max_delay = std::chrono::milliseconds(10'000)});
  int ok = 0;
  for (int i = 0; i < 10; ++i) {
    writer->enqueue({event("a", i)}, io_.get_executor(), [&](Status s) { ok += s.ok(); });
  }
  writer->stop();
  Status late;
  writer->enqueue({event("a", 99)}, io_.get_executor(), [&](Status s) { late = s; });
  io_.run();
  EXPECT_EQ(ok, 10);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, Errc::closed);
  EXPECT_EQ(stored(), 10);
  writer->stop();  // idempotent
}

TEST_F(BatchWriterTest, RefusesWithBusyWhenTheQueueIsFull) {
  auto writer = start(
      {.max_rows = 1000, .max_delay = std::chrono::milliseconds(10'000), .max_queued_rows = 3});
  std::vector<Status> results(3);
  writer->enqueue({event("a", 1), event("a", 2)}, io_.get_executor(),
                  [&](Status s) { results[0] = s; });
  writer->enqueue({event("a", 3), event("a", 4)}, io_.get_executor(),
                  [&](Status s) { results[1] = s; });
  writer->enqueue({event("a", 5)}, io_.get_executor(), [&](Status s) { results[2] = s; });
  writer->sync();
  io_.run();
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code, Errc::busy);
  EXPECT_TRUE(results[2].ok());
}

boost::asio::awaitable<void> write_one(BatchWriter& writer, Status& seen) {
  // (Built outside the call: g++ 12 cannot hold an initializer_list across a co_await.)
  std::vector<Write> writes;
  writes.push_back(event("a", 1));
  seen = co_await writer.async_write(std::move(writes), boost::asio::use_awaitable);
}

TEST_F(BatchWriterTest, CoroutinesCanAwaitDurability) {
  auto writer = start();
  Status seen = error(Errc::internal, "not run");
  boost::asio::co_spawn(io_, write_one(*writer, seen), boost::asio::detached);
  io_.run();  // the pending write keeps nothing alive on io_: run until the coroutine waits
  writer->sync();
  io_.restart();
  io_.run();
  EXPECT_TRUE(seen.ok());
  EXPECT_EQ(stored(), 1);
}

}  // namespace
}  // namespace server::store
