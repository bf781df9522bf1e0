#include "server/store/sqlite_database.hpp"

#include <list>
#include <unordered_map>

#include <fmt/format.h>
#include <sqlite3.h>

namespace server::store {

namespace {

Errc classify(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Errc::unique_violation;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Errc::foreign_key_violation;
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Errc::constraint_violation;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Errc::busy;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Errc::io;
    case SQLITE_ERROR:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return Errc::misuse;
    default:
      return Errc::internal;
  }
}

std::string_view excerpt(std::string_view sql) {
  return sql.size() <= 120 ? sql : sql.substr(0, 120);
}

bool only_space(const char* tail) {
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r' && *tail != ';')
      return false;
  }
  return true;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, SqliteOptions options) : db_(db), options_(options) {}
  ~SqliteDatabase() override {
    for (auto& [sql, entry] : cache_)
      sqlite3_finalize(entry.stmt);
    sqlite3_close_v2(db_);
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    Rows rows;
    Status s = run(sql, params, &rows);
    if (!s) return lockcore::fail(s.error());
    return rows;
  }

  Result<std::int64_t> execute(std::string_view sql, const Params& params) override {
    Status s = run(sql, params, nullptr);
    if (!s) return lockcore::fail(s.error());
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Status execute_script(std::string_view sql) override {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return {};
    std::string why = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return error(classify(sqlite3_extended_errcode(db_)), why);
  }

  std::string_view dialect() const override { return "sqlite"; }

  Status connection_error(std::string_view what) const {
    return error(classify(sqlite3_extended_errcode(db_)),
                 fmt::format("{}: {}", what, sqlite3_errmsg(db_)));
  }

 protected:
  // IMMEDIATE takes the write lock now, so a busy database is reported here (after the busy
  // timeout) rather than half-way through the transaction's statements. SQLite reads the sync
  // level when it commits and refuses to change it inside a transaction, so it is set just before
  // BEGIN, and put back to FULL once the transaction ends.
  Status begin_transaction(Durability durability) override {
    if (Status s = sync_for(durability); !s) return s;
    return execute_script("BEGIN IMMEDIATE");
  }
  Status commit_transaction() override {
    Status committed = execute_script("COMMIT");
    if (committed) (void)sync_for(Durability::power_loss);  // else rollback_transaction() follows
    return committed;
  }
  void rollback_transaction() override {
    if (sqlite3_get_autocommit(db_) == 0) (void)execute_script("ROLLBACK");
    (void)sync_for(Durability::power_loss);
  }

 private:
  // A prepared statement with its column names, read once (every Row of every query shares them).
  struct Entry {
    sqlite3_stmt* stmt;
    std::list<std::string>::iterator lru;
    std::shared_ptr<const std::vector<std::string>> columns;
  };
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Result<Entry*> prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) {
      if (it->second.lru != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second.lru);
      return &it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      return error(classify(sqlite3_extended_errcode(db_)),
                   fmt::format("{} in \"{}\"", sqlite3_errmsg(db_), excerpt(sql)));
    }
    if (stmt == nullptr || !only_space(tail)) {
      sqlite3_finalize(stmt);
      return error(Errc::misuse,
                   fmt::format("expected exactly one statement in \"{}\"", excerpt(sql)));
    }
    if (cache_.size() >= options_.statement_cache_size && !lru_.empty()) {
      auto oldest = cache_.find(lru_.back());
      sqlite3_finalize(oldest->second.stmt);
      cache_.erase(oldest);
      lru_.pop_back();
    }
    std::string key(sql);
    lru_.push_front(key);
    auto [it, added] = cache_.emplace(std::move(key), Entry{stmt, lru_.begin(), names_of(stmt)});
    return &it->second;
  }

  static std::shared_ptr<const std::vector<std::string>> names_of(sqlite3_stmt* stmt) {
    auto names = std::make_shared<std::vector<std::string>>();
    for (int c = 0, n = sqlite3_column_count(stmt); c < n; ++c)
      names->emplace_back(sqlite3_column_name(stmt, c));
    return names;
  }

  Status bind(sqlite3_stmt* stmt, std::string_view sql, const Params& params) {
    int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return error(Errc::misuse, fmt::format("\"{}\" takes {} parameters, {} given", excerpt(sql),
                                             expected, params.size()));
    }
    for (int i = 0; i < expected; ++i) {
      const Value& v = params[static_cast<std::size_t>(i)];
      int rc = std::visit(
          [&](const auto& x) -> int {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, Null>)
              return sqlite3_bind_null(stmt, i + 1);
            else if constexpr (std::is_same_v<T, std::int64_t>)
              return sqlite3_bind_int64(stmt, i + 1, x);
            else if constexpr (std::is_same_v<T, double>)
              return sqlite3_bind_double(stmt, i + 1, x);
            else if constexpr (std::is_same_v<T, std::string>)
              return sqlite3_bind_text64(stmt, i + 1, x.data(), x.size(), SQLITE_STATIC,
                                         SQLITE_UTF8);
            else
              return sqlite3_bind_blob64(stmt, i + 1, x.data(), x.size(), SQLITE_STATIC);
          },
          v);
      if (rc != SQLITE_OK) return connection_error("bind");
    }
    return {};
  }

  static Value column(sqlite3_stmt* stmt, int col) {
    switch (sqlite3_column_type(stmt, col)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(stmt, col));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, col);
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, col));
        return Blob(p, p + sqlite3_column_bytes(stmt, col));
      }
      default:
        return null;
    }
  }

  Status run(std::string_view sql, const Params& params, Rows* rows) {
    // A statement outside a transaction commits by itself: never at a lowered level (should
    // restoring it after a process_crash transaction have failed).
    if (sync_ != Durability::power_loss && sqlite3_get_autocommit(db_) != 0) {
      if (Status s = sync_for(Durability::power_loss); !s) return s;
    }
    auto prepared = prepare(sql);
    if (!prepared) return lockcore::fail(prepared.error());
    sqlite3_stmt* stmt = (*prepared)->stmt;
    // Reset and unbind on every exit so the cached statement holds no lock and no parameter.
    struct Reset {
      sqlite3_stmt* stmt;
      ~Reset() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
      }
    } reset{stmt};
    if (Status s = bind(stmt, sql, params); !s) return s;
    Entry& entry = **prepared;
    if (rows != nullptr) rows->columns = entry.columns;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) {
        return error(classify(sqlite3_extended_errcode(db_)),
                     fmt::format("{} in \"{}\"", sqlite3_errmsg(db_), excerpt(sql)));
      }
      if (rows == nullptr) continue;
      const int columns = sqlite3_column_count(stmt);
      if (static_cast<std::size_t>(columns) != entry.columns->size()) {
        entry.columns = names_of(stmt);  // re-prepared by sqlite3_step after a schema change
        rows->columns = entry.columns;
      }
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c)
        values.push_back(column(stmt, c));
      rows->rows.emplace_back(rows->columns, std::move(values));
    }
  }

  // Sets the connection's sync level for the next commit. Errors: as execute_script().
  Status sync_for(Durability durability) {
    if (durability == sync_) return {};
    Status set =
        execute_script(durability == Durability::process_crash ? "PRAGMA synchronous=NORMAL"
                                                               : "PRAGMA synchronous=FULL");
    if (set) sync_ = durability;
    return set;
  }

  sqlite3* db_;
  SqliteOptions options_;
  Durability sync_ = Durability::power_loss;  // what the next commit gets
  std::unordered_map<std::string, Entry, SqlHash, std::equal_to<>> cache_;
  std::list<std::string> lru_;  // most recently used first
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, SqliteOptions options) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    return error(Errc::io, fmt::format("cannot open {}: {}", path, why));
  }
  sqlite3_extended_result_codes(raw, 1);
  std::unique_ptr<Database> db = std::make_unique<SqliteDatabase>(raw, options);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));

  // Reading the journal mode back also proves the file is a database (NOTADB fails here).
  auto mode = db->query("PRAGMA journal_mode=WAL");
  if (!mode) return error(Errc::io, fmt::format("cannot open {}: {}", path, mode.error().message));
  auto mode_name =
      mode->empty() ? Result<std::string_view>(std::string_view{}) : (*mode)[0].text(0);
  bool in_memory = path == ":memory:" || path.empty();
  if (!in_memory && (!mode_name || *mode_name != "wal")) {
    return error(Errc::io, fmt::format("cannot enable WAL on {}", path));
  }
  for (const std::string& pragma :
       {std::string("PRAGMA synchronous=FULL"), std::string("PRAGMA foreign_keys=ON"),
        fmt::format("PRAGMA cache_size=-{}", options.page_cache_kib),
        fmt::format("PRAGMA mmap_size={}", options.mmap_bytes)}) {
    if (Status s = db->execute_script(pragma); !s) {
      return error(Errc::io, fmt::format("cannot open {}: {}", path, s.error().message));
    }
  }
  return db;
}

}  // namespace server::store
