#pragma once
// A real SQLite store in a temporary directory with the given domains' migrations applied: what
// every domain test starts from.

#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "server/store/migrations.hpp"
#include "server/store/sqlite_database.hpp"
#include "tests/support/temp_dir.hpp"

namespace testsupport {

class MigratedStore {
 public:
  explicit MigratedStore(const std::vector<server::store::Migration>& migrations) {
    auto opened = server::store::open_sqlite(dir_.file("latchkey.db"));
    if (!opened)
      ADD_FAILURE() << opened.error().message;
    else
      db_ = std::move(*opened);
    if (db_) {
      auto migrated = server::store::migrate(*db_, migrations);
      if (!migrated) ADD_FAILURE() << migrated.error().message;
    }
  }
  server::store::Database& db() { return *db_; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::unique_ptr<server::store::Database> db_;
};

}  // namespace testsupport
