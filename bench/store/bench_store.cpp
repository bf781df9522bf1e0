// bench_store: durable lock events per second through store::BatchWriter, the way the devices
// domain will write them: one enqueue per event, acknowledged only once on disk (SQLite file, WAL,
// synchronous=FULL), with up to 50,000 events awaiting acknowledgement (1,000 locks with 50 each).
// Reports events_stored_per_s (budget >= 50,000) and checks none was lost.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include "bench/support/metrics.hpp"
#include "server/store/batch_writer.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sqlite_database.hpp"

namespace {

using namespace server::store;

constexpr int kEvents = 300'000;
constexpr int kLocks = 1000;
constexpr int kInFlight = 50'000;
constexpr std::string_view kInsert =
    "INSERT INTO lock_events (lock_id, seq, ts, type, detail) VALUES (?, ?, ?, ?, ?)";

std::unique_ptr<Database> open_or_die(const std::string& path) {
  auto db = open_sqlite(path);
  if (!db) {
    std::fprintf(stderr, "bench_store: %s\n", db.error().message.c_str());
    std::exit(1);
  }
  return std::move(db).value();
}

}  // namespace

int main() {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("latchkey-bench-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string path = (dir / "events.db").string();

  auto reader = open_or_die(path);
  auto migrated = migrate(*reader, {{"devices", 1,
                                     "CREATE TABLE lock_events (lock_id TEXT NOT NULL, seq BIGINT "
                                     "NOT NULL, ts BIGINT NOT NULL, type TEXT NOT NULL, detail "
                                     "TEXT NOT NULL, PRIMARY KEY (lock_id, seq))"}});
  if (!migrated) {
    std::fprintf(stderr, "bench_store: %s\n", migrated.error().message.c_str());
    return 1;
  }

  boost::asio::io_context io;
  BatchWriter writer(open_or_die(path),
                     {.max_rows = 10000, .max_delay = std::chrono::milliseconds(5)});
  // Keeps run_one() waiting (not returning at once) while acknowledgements are outstanding.
  auto work = boost::asio::make_work_guard(io);
  int acknowledged = 0;
  int failed = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kEvents; ++i) {
    std::int64_t seq = i / kLocks;
    std::vector<Write> writes;
    writes.push_back(
        Write{std::string(kInsert),
              {"lock-" + std::to_string(i % kLocks), seq, std::int64_t{1'763'000'000'000} + i,
               "unlocked", R"({"by":"keypad","slot":3,"battery_pct":87})"}});
    writer.enqueue(std::move(writes), io.get_executor(),
                   [&](Status s) { s ? ++acknowledged : ++failed; });
    // Deliver acknowledgements as they come, like a server's event loop would, and keep at most
    // kInFlight events unacknowledged (a lock resends what is not acknowledged; it does not pile
    // up without bound).
    while (i + 1 - acknowledged - failed > kInFlight)
      io.run_one();
  }
  while (acknowledged + failed < kEvents)
    io.run_one();
  work.reset();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BatchWriterStats stats = writer.stats();
  writer.stop();

  auto count = reader->query("SELECT count(*) FROM lock_events");
  std::int64_t stored = count ? (*count)[0].int64(0).value() : -1;
  reader.reset();
  std::filesystem::remove_all(dir);

  double per_s = acknowledged / seconds;
  std::printf(
      "events_stored_per_s %.0f (%d events in %.3f s, %llu batches, %d failed, %lld rows)\n", per_s,
      acknowledged, seconds, static_cast<unsigned long long>(stats.batches), failed,
      static_cast<long long>(stored));
  if (failed != 0 || stored != kEvents) {
    std::fprintf(stderr, "bench_store: events lost or refused\n");
    return 1;
  }
  return bench::write_metrics(
             "store", {{"events_stored_per_s", per_s},
                       {"events_batch_mean_rows", static_cast<double>(stats.rows) / stats.batches}})
             ? 0
             : 1;
}
