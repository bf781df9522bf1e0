#include "server/lockout/physical_keys.hpp"

#include <string>

namespace server::lockout {

Status insert_physical_key(store::Database& db, std::string_view site, std::string_view lock,
                           std::string_view account, std::string_view by, UnixMs at) {
  auto held = carries_physical_key(db, site, lock, account);
  if (!held) return fail(held.error());
  if (*held) return {};
  auto done = db.execute(
      "INSERT INTO lockout_physical_keys (site, lock, account, handed_by, handed_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {std::string(site), std::string(lock), std::string(account), std::string(by), at});
  if (!done) return fail(Error::from_store(done.error()));
  return {};
}

Result<bool> carries_physical_key(store::Database& db, std::string_view site, std::string_view lock,
                                  std::string_view account) {
  auto rows =
      db.query("SELECT 1 FROM lockout_physical_keys WHERE site = ? AND lock = ? AND account = ?",
               {std::string(site), std::string(lock), std::string(account)});
  if (!rows) return fail(Error::from_store(rows.error()));
  return !rows->empty();
}

}  // namespace server::lockout
