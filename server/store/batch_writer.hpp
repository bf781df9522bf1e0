#pragma once
// BatchWriter: durable writes at high rates (lock events, audit entries) through one writer.
//
// Callers enqueue a group of row writes and are called back, on their own executor, once those
// rows are committed to disk (or failed). A single thread owns its own connection and commits one
// transaction per batch: a batch closes when it holds `max_rows` rows or its oldest write has
// waited `max_delay`, whichever comes first (max_delay 0: flush whenever the writer is free, so
// writes that arrive during a commit share the next one). The group of one enqueue is atomic:
// all its rows are committed together or none is. If one group fails (a constraint), the batch is
// retried with each group under its own savepoint, so only that group fails and the rest commit.
//
// enqueue() and sync() are thread-safe. The writer uses only the Database interface, so it works
// over any store implementation.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>

#include "server/store/database.hpp"

namespace server::store {

struct Write {
  std::string sql;  // one portable statement, e.g. INSERT INTO lock_events (…) VALUES (?, …)
  Params params;
};

struct BatchWriterOptions {
  std::size_t max_rows = 10000;
  std::chrono::milliseconds max_delay{2};
  // Rows waiting beyond this are refused at once with Errc::busy (back-pressure, not a lost row).
  std::size_t max_queued_rows = 200'000;
};

struct BatchWriterStats {
  std::uint64_t batches = 0;
  std::uint64_t rows = 0;         // rows committed
  std::uint64_t failed_rows = 0;  // rows whose group failed
};

class BatchWriter {
 public:
  using Done = std::function<void(Status)>;

  // Takes over `db` (its own connection; not used by anyone else) and starts the writer thread.
  BatchWriter(std::unique_ptr<Database> db, BatchWriterOptions options = {});
  // Stops (see stop()).
  ~BatchWriter();
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Queues `writes` as one atomic group. `done` runs on `executor` exactly once: ok once the rows
  // are durable; else closed (after stop()), busy (queue full), or the error of the statement
  // that failed (unique_violation, foreign_key_violation, misuse, io…).
  void enqueue(std::vector<Write> writes, boost::asio::any_io_executor executor, Done done);

  // The same as a completion-token operation with signature void(Status), e.g.
  //   Status s = co_await writer.async_write(std::move(writes), asio::use_awaitable);
  template <class Token>
  auto async_write(std::vector<Write> writes, Token&& token) {
    return boost::asio::async_initiate<Token, void(Status)>(
        [this](auto handler, std::vector<Write> w) {
          auto executor = boost::asio::get_associated_executor(handler);
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          enqueue(std::move(w), executor,
                  [shared](Status s) { std::move (*shared)(std::move(s)); });
        },
        token, std::move(writes));
  }

  // Blocks until every group enqueued before this call has been committed or failed and its
  // callback posted. For tests and the virtual-clock scenario runner, which must not depend on
  // the writer's timing.
  void sync();

  // Commits what is queued, posts every callback, and joins the writer. Later enqueues fail with
  // Errc::closed. Idempotent.
  void stop();

  BatchWriterStats stats() const;

 private:
  struct Group {
    std::vector<Write> writes;
    boost::asio::any_io_executor executor;
    Done done;
    std::chrono::steady_clock::time_point queued_at;
  };

  void run();
  std::vector<Status> flush(std::vector<Group>& batch);
  Status apply(const Group& group);
  void deliver(std::vector<Group>& batch, std::vector<Status>& results);

  std::unique_ptr<Database> db_;
  BatchWriterOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;      // the writer waits on it
  std::condition_variable finished_;  // sync() waits on it
  std::deque<Group> queue_;
  std::size_t queued_rows_ = 0;
  std::uint64_t enqueued_ = 0;  // groups ever accepted
  std::uint64_t finished_count_ = 0;
  std::uint64_t urgent_until_ = 0;  // flush without lingering until this many have finished
  bool stopping_ = false;
  BatchWriterStats stats_;
  std::thread thread_;
};

}  // namespace server::store
