#pragma once
// The SQLite implementation of store::Database: WAL journal, synchronous=FULL (a commit is on disk
// before it returns; a Durability::process_crash transaction commits at synchronous=NORMAL: in
// the WAL, synced by the next FULL commit or checkpoint), foreign keys enforced, a busy timeout,
// and a cache of prepared statements keyed by their SQL text.

#include <chrono>
#include <memory>
#include <string>

#include "server/store/database.hpp"

namespace server::store {

struct SqliteOptions {
  std::chrono::milliseconds busy_timeout{5000};
  std::size_t statement_cache_size = 128;  // prepared statements kept per connection
  // Page cache per connection, and how much of the file is read through mmap instead of read():
  // index pages of a growing event table are touched at random, and re-reading them dominates.
  std::size_t page_cache_kib = 32 * 1024;
  std::size_t mmap_bytes = 256u << 20;
};

// Opens (creating if missing) the database file at `path`; ":memory:" gives a private in-memory
// database (no WAL). Errors: io when the file cannot be opened or is not a database, or when WAL
// cannot be enabled.
Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, SqliteOptions options = {});

}  // namespace server::store
