#pragma once
// store::Database: the one interface every domain talks to its tables through. SQLite implements
// it today (sqlite_database.hpp); a PostgreSQL implementation can follow without touching a
// domain, provided the domains keep to the portable subset below.
//
// One Database object is one connection, used by one thread at a time.
//
// ## The portable SQL subset (what domains and their migrations may write)
// - Placeholders are `?`, bound in order (a PostgreSQL implementation rewrites them to $1, $2…).
// - Column types: BIGINT (integers, booleans as 0/1, times as Unix milliseconds), DOUBLE
//   PRECISION, TEXT, BYTEA (binary; SQLite stores it unconverted). No DATE/TIMESTAMP, no JSON
//   type (JSON is TEXT), no ENUM (TEXT with a CHECK).
// - Keys: PRIMARY KEY, UNIQUE, FOREIGN KEY … REFERENCES … [ON DELETE CASCADE|SET NULL], CHECK,
//   NOT NULL, DEFAULT with a literal. No AUTOINCREMENT, SERIAL or rowid: domains make their own
//   ids (random text ids, or sequence numbers they own).
// - Statements: SELECT with JOIN, WHERE, GROUP BY, ORDER BY, LIMIT/OFFSET; INSERT … VALUES,
//   INSERT … ON CONFLICT (cols) DO NOTHING / DO UPDATE SET col = excluded.col; UPDATE; DELETE;
//   `RETURNING` to read back what was written; CREATE TABLE/INDEX [IF NOT EXISTS] in migrations.
//   SAVEPOINT / RELEASE / ROLLBACK TO are allowed inside a Transaction.
// - Not allowed: INSERT OR REPLACE/IGNORE, REPLACE, PRAGMA, ATTACH, date/time functions
//   (time comes from the injected clock as a parameter), LIKE (its case rules differ; compare
//   lower() of both sides instead), double-quoted string literals, integer division by a
//   parameter of unknown type, BEGIN/COMMIT as text (use begin()).
// - One statement per query()/execute() call; several only in execute_script() (migrations).

#include <string_view>

#include "server/store/error.hpp"
#include "server/store/value.hpp"

namespace server::store {

class Transaction;

// How far a commit is made durable before commit() returns.
enum class Durability {
  // Synced to disk: survives a power cut. The default, and the only choice for grants,
  // revocations, credentials, accounts and sessions.
  power_loss,
  // Written to the log but not synced: survives a crash of the server process (the kernel holds
  // the write), not a power cut, until the next power_loss commit or checkpoint syncs the log.
  // Only for high-rate records whose loss in a power cut another durable record makes up for: an
  // action attempt, whose outcome the lock's own event (stored power_loss) tells again.
  // (PostgreSQL: SET LOCAL synchronous_commit = off.)
  process_crash,
};

class Database {
 public:
  virtual ~Database() = default;

  // Runs one statement and returns every row it produces (SELECT, or anything with RETURNING).
  // Errors: misuse (bad SQL, several statements, wrong parameter count), unique_violation,
  // foreign_key_violation, constraint_violation, busy, io.
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement, discards any rows, returns how many rows it changed. Errors as query().
  virtual Result<std::int64_t> execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs several statements without parameters (migrations). Errors as query().
  virtual Status execute_script(std::string_view sql) = 0;

  // Starts a write transaction, committed as durably as `durability` says. Errors: misuse when one
  // is already open on this connection; busy when another connection holds the write lock past
  // the busy timeout; io.
  Result<Transaction> begin(Durability durability = Durability::power_loss);

  // "sqlite" or "postgresql": for the rare test that must know.
  virtual std::string_view dialect() const = 0;

 protected:
  virtual Status begin_transaction(Durability durability) = 0;
  virtual Status commit_transaction() = 0;
  virtual void rollback_transaction() = 0;

 private:
  friend class Transaction;
  bool in_transaction_ = false;
};

// Rolls back on destruction unless commit() succeeded: an early return or a failed statement
// leaves nothing half-written.
class [[nodiscard]] Transaction {
 public:
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction() { rollback(); }

  // Makes every change durable. On failure the transaction is rolled back. Errors: busy, io,
  // foreign_key_violation (deferred checks), misuse (already finished).
  Status commit();
  // Discards every change; a no-op once committed or rolled back.
  void rollback();
  bool active() const { return db_ != nullptr; }

 private:
  friend class Database;
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace server::store
