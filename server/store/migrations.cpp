#include "server/store/migrations.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

namespace server::store {

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " domain TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " checksum TEXT NOT NULL,"
    " PRIMARY KEY (domain, version))";

// FNV-1a, 64-bit: enough to notice that a migration's text was edited after it shipped.
std::string checksum(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

std::string name(const Migration& m) {
  return fmt::format("{} v{}", m.domain, m.version);
}

Status validate(const std::vector<Migration>& migrations) {
  std::map<std::string, int> last;
  for (const Migration& m : migrations) {
    if (m.domain.empty()) return error(Errc::misuse, "a migration has no domain name");
    int expected = last[m.domain] + 1;
    if (m.version != expected) {
      return error(Errc::misuse, fmt::format("migration {} is out of order: expected {} v{}",
                                             name(m), m.domain, expected));
    }
    last[m.domain] = m.version;
  }
  return {};
}

using Applied = std::map<std::pair<std::string, std::int64_t>, std::string>;

Result<Applied> read_applied(Database& db) {
  auto rows = db.query("SELECT domain, version, checksum FROM schema_migrations");
  if (!rows) return lockcore::fail(rows.error());
  Applied applied;
  for (const Row& row : *rows) {
    auto domain = row.text(0);
    auto version = row.int64(1);
    auto sum = row.text(2);
    if (!domain || !version || !sum) return error(Errc::misuse, "schema_migrations is malformed");
    applied.emplace(std::pair{std::string(*domain), *version}, std::string(*sum));
  }
  return applied;
}

Status check_known(const Applied& applied, const std::vector<Migration>& migrations) {
  std::set<std::pair<std::string, std::int64_t>> known;
  for (const Migration& m : migrations) {
    known.emplace(m.domain, m.version);
    auto it = applied.find({m.domain, m.version});
    if (it != applied.end() && it->second != checksum(m.sql)) {
      return error(Errc::misuse,
                   fmt::format("migration {} was changed after it was applied", name(m)));
    }
  }
  for (const auto& [key, sum] : applied) {
    if (!known.contains(key)) {
      return error(Errc::misuse, fmt::format("the database has {} v{}, which this build does not "
                                             "know (was it migrated by a newer version?)",
                                             key.first, key.second));
    }
  }
  return {};
}

Status fail_named(const Migration& m, const Error& e) {
  return error(e.code, fmt::format("migration {}: {}", name(m), e.message));
}

Result<bool> apply(Database& db, const Migration& m) {
  auto tx = db.begin();
  if (!tx) return lockcore::fail(fail_named(m, tx.error()).error());
  // Checked again inside the write transaction: another instance may have applied it meanwhile.
  auto seen = db.query("SELECT 1 FROM schema_migrations WHERE domain = ? AND version = ?",
                       {m.domain, std::int64_t{m.version}});
  if (!seen) return lockcore::fail(seen.error());
  if (!seen->empty()) return false;
  if (Status s = db.execute_script(m.sql); !s)
    return lockcore::fail(fail_named(m, s.error()).error());
  auto recorded =
      db.execute("INSERT INTO schema_migrations (domain, version, checksum) VALUES (?, ?, ?)",
                 {m.domain, std::int64_t{m.version}, checksum(m.sql)});
  if (!recorded) return lockcore::fail(recorded.error());
  if (Status s = tx->commit(); !s) return lockcore::fail(fail_named(m, s.error()).error());
  return true;
}

}  // namespace

Result<MigrationReport> migrate(Database& db, const std::vector<Migration>& migrations) {
  if (Status s = validate(migrations); !s) return lockcore::fail(s.error());
  if (Status s = db.execute_script(kCreateTable); !s) return lockcore::fail(s.error());
  auto applied = read_applied(db);
  if (!applied) return lockcore::fail(applied.error());
  if (Status s = check_known(*applied, migrations); !s) return lockcore::fail(s.error());

  MigrationReport report;
  for (const Migration& m : migrations) {
    if (applied->contains({m.domain, m.version})) continue;
    auto done = apply(db, m);
    if (!done) return lockcore::fail(done.error());
    if (*done) report.applied.push_back(name(m));
  }
  return report;
}

}  // namespace server::store
