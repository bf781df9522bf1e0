#pragma once
// The audit log: an append-only, hash-chained record of every security-relevant act. Each entry
// commits to the one before it (hash = BLAKE2b-256 over the previous hash and this entry's
// fields), so removing, reordering or editing any entry breaks the chain from there on, and
// verify() names the first entry that no longer fits.
//
// append() writes through the caller's connection: call it inside the transaction that performs
// the act, so the act and its audit entry commit together or not at all.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lockcore/platform.hpp"
#include "server/audit/audit_type.hpp"
#include "server/store/database.hpp"
#include "server/store/migrations.hpp"

namespace server::audit {

using Hash = std::array<std::uint8_t, 32>;

// What the caller says happened. Actor and subject are "kind:id" strings: "account:acc_…",
// "lock:u204", "hub:hub-1", "system", "ip:203.0.113.9" (for acts by someone not signed in).
struct Record {
  AuditType type;
  std::string actor;
  std::string site;     // empty when the act concerns no site (e.g. a sign-in)
  std::string subject;  // what was acted on
  std::string detail;   // a JSON object as text, "{}" when there is nothing more to say
};

struct Entry {
  std::int64_t seq = 0;  // 1, 2, 3… in the order appended
  lockcore::UnixMs at = 0;
  Record record;
  Hash prev_hash{};  // all zero for the first entry
  Hash hash{};
};

struct Filter {
  std::optional<std::string> site;
  std::optional<AuditType> type;
  std::optional<std::string> actor;
  std::optional<std::string> subject;
  std::optional<lockcore::UnixMs> from;    // at >= from
  std::optional<lockcore::UnixMs> until;   // at < until
  std::optional<std::int64_t> before_seq;  // for paging backwards: seq < before_seq
  std::size_t limit = 100;
};

struct Verification {
  std::int64_t entries = 0;               // how many entries were checked
  std::optional<std::int64_t> broken_at;  // the first seq whose hash or link does not fit
};

class AuditLog {
 public:
  AuditLog(store::Database& db, const lockcore::Clock& clock) : db_(db), clock_(clock) {}

  // Appends one entry at the clock's now. Errors: the store's (busy, io, …); misuse when detail
  // is not a JSON object.
  store::Result<Entry> append(const Record& record);

  // Newest first.
  store::Result<std::vector<Entry>> list(const Filter& filter) const;

  // Recomputes the whole chain from the first entry.
  store::Result<Verification> verify() const;

 private:
  store::Database& db_;
  const lockcore::Clock& clock_;
};

// The audit domain's tables.
std::vector<store::Migration> migrations();

}  // namespace server::audit
