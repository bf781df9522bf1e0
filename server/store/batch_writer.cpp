#include "server/store/batch_writer.hpp"

#include <boost/asio/post.hpp>

namespace server::store {

BatchWriter::BatchWriter(std::unique_ptr<Database> db, BatchWriterOptions options)
    : db_(std::move(db)), options_(options), thread_([this] { run(); }) {}

BatchWriter::~BatchWriter() {
  stop();
}

void BatchWriter::enqueue(std::vector<Write> writes, boost::asio::any_io_executor executor,
                          Done done) {
  Status refused;  // stays ok when the group is accepted
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      refused = error(Errc::closed, "the batch writer has stopped");
    } else if (queued_rows_ + writes.size() > options_.max_queued_rows && !queue_.empty()) {
      refused = error(Errc::busy, "the write queue is full");
    } else {
      // The writer needs waking only when it may be idle or its batch has just filled up.
      wake = queue_.empty() || queued_rows_ + writes.size() >= options_.max_rows;
      queued_rows_ += writes.size();
      ++enqueued_;
      queue_.push_back(
          Group{std::move(writes), executor, std::move(done), std::chrono::steady_clock::now()});
    }
  }
  if (refused.ok()) {
    if (wake) wake_.notify_one();
    return;
  }
  boost::asio::post(executor, [done = std::move(done), refused] { done(refused); });
}

void BatchWriter::sync() {
  std::unique_lock lock(mutex_);
  std::uint64_t target = enqueued_;
  urgent_until_ = std::max(urgent_until_, target);
  wake_.notify_one();
  finished_.wait(lock, [&] { return finished_count_ >= target; });
}

void BatchWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

BatchWriterStats BatchWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void BatchWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left
    // Linger until the batch is full, its oldest write has waited max_delay, or someone waits.
    auto deadline = queue_.front().queued_at + options_.max_delay;
    wake_.wait_until(lock, deadline, [&] {
      return stopping_ || queued_rows_ >= options_.max_rows || urgent_until_ > finished_count_;
    });

    std::vector<Group> batch;
    std::size_t rows = 0;
    while (!queue_.empty() &&
           (batch.empty() || rows + queue_.front().writes.size() <= options_.max_rows)) {
      rows += queue_.front().writes.size();
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    queued_rows_ -= rows;

    lock.unlock();
    std::vector<Status> results = flush(batch);
    deliver(batch, results);
    lock.lock();

    ++stats_.batches;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      (results[i] ? stats_.rows : stats_.failed_rows) += batch[i].writes.size();
    }
    finished_count_ += batch.size();
    finished_.notify_all();
  }
}

void BatchWriter::deliver(std::vector<Group>& batch, std::vector<Status>& results) {
  // One post per run of groups from the same executor: a batch of thousands of acknowledgements
  // wakes the caller's thread once, not once per group.
  using Answers = std::vector<std::pair<Done, Status>>;
  std::size_t i = 0;
  while (i < batch.size()) {
    auto answers = std::make_shared<Answers>();
    boost::asio::any_io_executor executor = batch[i].executor;
    for (; i < batch.size() && batch[i].executor == executor; ++i) {
      answers->emplace_back(std::move(batch[i].done), std::move(results[i]));
    }
    boost::asio::post(executor, [answers] {
      for (auto& [done, status] : *answers)
        done(std::move(status));
    });
  }
}

Status BatchWriter::apply(const Group& group) {
  for (const Write& w : group.writes) {
    if (auto r = db_->execute(w.sql, w.params); !r) return lockcore::fail(r.error());
  }
  return {};
}

std::vector<Status> BatchWriter::flush(std::vector<Group>& batch) {
  // Fast path: the whole batch in one transaction.
  {
    auto tx = db_->begin();
    if (!tx) return std::vector<Status>(batch.size(), lockcore::fail(tx.error()));
    Status status;
    for (const Group& g : batch) {
      status = apply(g);
      if (!status) break;
    }
    if (status) {
      Status committed = tx->commit();
      return std::vector<Status>(batch.size(), committed);
    }
  }
  // A group failed: retry with a savepoint around each group so that only the failing ones fail.
  std::vector<Status> results(batch.size());
  auto tx = db_->begin();
  if (!tx) return std::vector<Status>(batch.size(), lockcore::fail(tx.error()));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (auto r = db_->execute("SAVEPOINT batch_group"); !r) {
      return std::vector<Status>(batch.size(), lockcore::fail(r.error()));
    }
    results[i] = apply(batch[i]);
    if (!results[i]) (void)db_->execute("ROLLBACK TO batch_group");
    (void)db_->execute("RELEASE batch_group");
  }
  if (Status committed = tx->commit(); !committed) {
    return std::vector<Status>(batch.size(), committed);
  }
  return results;
}

}  // namespace server::store
