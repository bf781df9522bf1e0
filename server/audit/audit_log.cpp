#include "server/audit/audit_log.hpp"

#include <algorithm>
#include <cstring>

#include <boost/json/parse.hpp>
#include <sodium.h>

#include "server/store/map_rows.hpp"
#include "server/store/where.hpp"

namespace server::audit {

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  site TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash BYTEA NOT NULL,
  hash BYTEA NOT NULL
);
CREATE INDEX audit_log_by_site ON audit_log (site, seq);
CREATE INDEX audit_log_by_subject ON audit_log (subject, seq);
)sql";

// BLAKE2b-256 over the previous hash and every field, each length-prefixed, so that no two
// different entries encode to the same bytes.
class ChainHasher {
 public:
  explicit ChainHasher(const Hash& prev) {
    crypto_generichash_init(&state_, nullptr, 0, Hash{}.size());
    crypto_generichash_update(&state_, prev.data(), prev.size());
  }
  void add(std::int64_t value) {
    std::uint8_t bytes[8];
    for (int i = 0; i < 8; ++i)
      bytes[i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
    crypto_generichash_update(&state_, bytes, sizeof bytes);
  }
  void add(std::string_view text) {
    add(static_cast<std::int64_t>(text.size()));
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(text.data()),
                              text.size());
  }
  Hash finish() {
    Hash out{};
    crypto_generichash_final(&state_, out.data(), out.size());
    return out;
  }

 private:
  crypto_generichash_state state_{};
};

// The chained fields as stored: verify() hashes the stored text, so even a type name that is no
// longer (or never was) an AuditType shows up as a broken link rather than an unreadable log.
struct Fields {
  std::int64_t seq;
  lockcore::UnixMs at;
  std::string_view type, actor, site, subject, detail;
};

Hash entry_hash(const Hash& prev, const Fields& f) {
  ChainHasher h(prev);
  h.add(f.seq);
  h.add(f.at);
  h.add(f.type);
  h.add(f.actor);
  h.add(f.site);
  h.add(f.subject);
  h.add(f.detail);
  return h.finish();
}

store::Blob to_blob(const Hash& hash) {
  return store::Blob(hash.begin(), hash.end());
}

store::Result<Hash> to_hash(const store::Row& row, std::size_t col) {
  auto blob = row.blob(col);
  if (!blob) return lockcore::fail(blob.error());
  if (blob->size() != Hash{}.size()) {
    return store::error(store::Errc::internal, "audit_log: a stored hash has the wrong length");
  }
  Hash hash{};
  std::copy(blob->begin(), blob->end(), hash.begin());
  return hash;
}

store::Result<Entry> entry_from(const store::Row& row) {
  // Columns: seq, at, type, actor, site, subject, detail, prev_hash, hash.
  Entry e;
  auto seq = row.int64(0);
  auto at = row.int64(1);
  auto type = row.text(2);
  auto actor = row.text(3);
  auto site = row.text(4);
  auto subject = row.text(5);
  auto detail = row.text(6);
  auto prev = to_hash(row, 7);
  auto hash = to_hash(row, 8);
  if (!seq) return lockcore::fail(seq.error());
  if (!at) return lockcore::fail(at.error());
  if (!type) return lockcore::fail(type.error());
  if (!actor) return lockcore::fail(actor.error());
  if (!site) return lockcore::fail(site.error());
  if (!subject) return lockcore::fail(subject.error());
  if (!detail) return lockcore::fail(detail.error());
  if (!prev) return lockcore::fail(prev.error());
  if (!hash) return lockcore::fail(hash.error());
  auto known = audit_type_from(*type);
  if (!known) {
    return store::error(store::Errc::internal, "audit_log: unknown type \"" + std::string(*type) +
                                                   "\" in entry " + std::to_string(*seq));
  }
  e.seq = *seq;
  e.at = *at;
  e.record = Record{*known, std::string(*actor), std::string(*site), std::string(*subject),
                    std::string(*detail)};
  e.prev_hash = *prev;
  e.hash = *hash;
  return e;
}

constexpr std::string_view kColumns =
    "seq, at, type, actor, site, subject, detail, prev_hash, hash";

}  // namespace

store::Result<Entry> AuditLog::append(const Record& record) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(record.detail, ec);
  if (ec || !parsed.is_object()) {
    return store::error(
        store::Errc::misuse,
        "audit: detail of " + std::string(to_string(record.type)) + " must be a JSON object");
  }
  auto last = db_.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!last) return lockcore::fail(last.error());
  Entry entry;
  entry.seq = 1;
  if (!last->empty()) {
    auto seq = (*last)[0].int64(0);
    auto hash = to_hash((*last)[0], 1);
    if (!seq) return lockcore::fail(seq.error());
    if (!hash) return lockcore::fail(hash.error());
    entry.seq = *seq + 1;
    entry.prev_hash = *hash;
  }
  entry.at = clock_.now();
  entry.record = record;
  entry.hash =
      entry_hash(entry.prev_hash, {entry.seq, entry.at, to_string(record.type), record.actor,
                                   record.site, record.subject, record.detail});
  auto inserted = db_.execute(
      "INSERT INTO audit_log (seq, at, type, actor, site, subject, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {entry.seq, entry.at, std::string(to_string(record.type)), record.actor, record.site,
       record.subject, record.detail, to_blob(entry.prev_hash), to_blob(entry.hash)});
  if (!inserted) return lockcore::fail(inserted.error());
  return entry;
}

store::Result<std::vector<Entry>> AuditLog::list(const Filter& filter) const {
  store::Where where;
  where.add_if("site = ?", filter.site);
  if (filter.type) where.add("type = ?", std::string(to_string(*filter.type)));
  where.add_if("actor = ?", filter.actor);
  where.add_if("subject = ?", filter.subject);
  where.add_if("at >= ?", filter.from);
  where.add_if("at < ?", filter.until);
  where.add_if("seq < ?", filter.before_seq);
  store::Params& params = where.params();
  params.emplace_back(static_cast<std::int64_t>(filter.limit));
  const std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_log" + where.sql() +
                          " ORDER BY seq DESC LIMIT ?";
  return store::map_rows(db_.query(sql, params), entry_from);
}

store::Result<Verification> AuditLog::verify() const {
  auto rows = db_.query("SELECT " + std::string(kColumns) + " FROM audit_log ORDER BY seq");
  if (!rows) return lockcore::fail(rows.error());
  Verification result;
  Hash prev{};
  std::int64_t expected_seq = 1;
  for (const store::Row& row : *rows) {
    ++result.entries;
    Fields f{};
    auto seq = row.int64(0);
    auto at = row.int64(1);
    auto stored_prev = to_hash(row, 7);
    auto stored_hash = to_hash(row, 8);
    std::string_view* text[] = {&f.type, &f.actor, &f.site, &f.subject, &f.detail};
    bool readable = seq && at && stored_prev && stored_hash;
    for (std::size_t i = 0; i < std::size(text) && readable; ++i) {
      auto value = row.text(2 + i);
      readable = value.ok();
      if (readable) *text[i] = *value;
    }
    if (seq) f.seq = *seq;
    if (at) f.at = *at;
    const bool fits = readable && f.seq == expected_seq && *stored_prev == prev &&
                      *stored_hash == entry_hash(prev, f);
    if (!fits) {
      result.broken_at = seq ? *seq : expected_seq;
      return result;
    }
    prev = *stored_hash;
    ++expected_seq;
  }
  return result;
}

std::vector<store::Migration> migrations() {
  return {{"audit", 1, std::string(kSchema)}};
}

}  // namespace server::audit
