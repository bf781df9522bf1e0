#include "server/devices/digital_keys.hpp"

#include <algorithm>

#include <sodium.h>

#include "lockcore/signing.hpp"
#include "server/devices/row_reader.hpp"
#include "server/devices/shadows.hpp"

namespace server::devices {

namespace {

constexpr std::string_view kColumns =
    "id, lock, holder, not_before, not_after, epoch, issued_by, issued_at, revoked_at";

Result<KeyRecord> key_from(const store::Row& row) {
  RowReader r(row);
  KeyRecord k;
  k.id = r.text(0);
  k.lock = r.text(1);
  auto holder = r.bytes<32>(2);
  k.window = {r.i64(3), r.i64(4)};
  k.epoch = static_cast<std::uint32_t>(r.i64(5));
  k.issued_by = r.text(6);
  k.issued_at = r.i64(7);
  k.revoked_at = r.i64(8);
  if (!r.ok()) return fail(store_failure(r.error()));
  if (holder) k.holder = *holder;
  return k;
}

}  // namespace

Status DigitalKeys::load() {
  auto rows = ctx_.db.query(
      "SELECT site, lock, id, not_after, revoked_at, epoch FROM device_keys "
      "WHERE revoked_at <> 0 AND not_after > ? ORDER BY revoked_at",
      {ctx_.now()});
  if (!rows) return fail(store_failure(rows.error()));
  for (const store::Row& row : *rows) {
    RowReader r(row);
    const std::string site = r.text(0);
    const std::string lock_id = r.text(1);
    const std::string id = r.text(2);
    RevokedKey k;
    k.not_after = r.i64(3);
    k.revoked_at = r.i64(4);
    const auto epoch = static_cast<std::uint32_t>(r.i64(5));
    if (!r.ok()) return fail(store_failure(r.error()));
    LockRecord* lock = ctx_.model.lock(site, lock_id);
    if (lock == nullptr || epoch != lock->info.epoch || !from_hex(id, k.id)) continue;
    if (lock->revoked_keys.size() < lockcore::kMaxRevokedKeys) lock->revoked_keys.push_back(k);
  }
  return {};
}

Result<IssuedKey> DigitalKeys::issue(std::string_view site, std::string_view lock,
                                     const lockcore::PublicKey& holder, lockcore::Window window,
                                     std::string_view actor) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) return fail(found.error());
  LockRecord& record = **found;
  if (!record.info.bluetooth) {
    return fail(Error::conflict("lock " + record.info.id + " has no Bluetooth"));
  }
  if (!record.info.paired || record.info.needs_reenroll) {
    return fail(Error::conflict("lock " + record.info.id + " is not commissioned"));
  }
  if (crypto_core_ed25519_is_valid_point(holder.data()) != 1) {
    return fail(Error::invalid_field("holder", "must be the phone's Ed25519 public key"));
  }
  const UnixMs now = ctx_.now();
  if (window.not_before <= 0 || window.not_after <= 0 || window.not_before >= window.not_after ||
      window.not_after - window.not_before > ctx_.options.max_key_window.count() ||
      window.not_after <= now) {
    return fail(Error::invalid_field(
        "window", "must start before it ends, end in the future and last at most " +
                      std::to_string(ctx_.options.max_key_window.count() / 3'600'000) + " h"));
  }
  const SiteRecord* keys = ctx_.model.site(site);
  IssuedKey issued;
  lockcore::DigitalKeyGrant& g = issued.grant;
  ctx_.random.fill(g.id);
  [[maybe_unused]] const bool site_fits = g.site.assign(site);
  [[maybe_unused]] const bool lock_fits = g.lock.assign(lock);
  g.holder = holder;
  g.window = window;
  g.epoch = record.info.epoch;
  g.sig = lockcore::sign_grant(g, keys->keys.secret_key);
  issued.id = to_hex(g.id);
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    auto inserted = ctx_.db.execute(
        "INSERT INTO device_keys (id, site, lock, holder, not_before, not_after, epoch, "
        "issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {issued.id, std::string(site), std::string(lock), to_blob(holder), window.not_before,
         window.not_after, std::int64_t{g.epoch}, std::string(actor), now});
    if (!inserted) return fail(store_failure(inserted.error()));
    return ctx_.audit_entry(audit::AuditType::digital_key_issued, std::string(actor),
                            std::string(site), lock_subject(lock),
                            {{"key", issued.id},
                             {"holder", to_hex(holder)},
                             {"not_before", window.not_before},
                             {"not_after", window.not_after},
                             {"epoch", g.epoch}});
  });
  if (!written) return fail(written.error());
  return issued;
}

Result<std::size_t> DigitalKeys::revoke(std::string_view site, std::string_view lock,
                                        std::span<const std::string> ids, std::string_view actor) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) return fail(found.error());
  LockRecord& record = **found;
  const UnixMs now = ctx_.now();
  std::vector<KeyRecord> fresh;
  for (const std::string& id : ids) {
    lockcore::KeyId raw{};
    if (!from_hex(id, raw)) return fail(Error::invalid_field("keys", "must be 16 hex characters"));
    auto rows = ctx_.db.query("SELECT " + std::string(kColumns) +
                                  " FROM device_keys WHERE id = ? AND site = ? AND lock = ?",
                              {id, std::string(site), std::string(lock)});
    if (!rows) return fail(store_failure(rows.error()));
    if (rows->empty())
      return fail(Error::not_found("no key " + id + " on lock " + std::string(lock)));
    auto key = key_from((*rows)[0]);
    if (!key) return fail(key.error());
    if (key->revoked_at != 0) continue;
    if (std::any_of(fresh.begin(), fresh.end(), [&](const KeyRecord& k) { return k.id == id; })) {
      continue;
    }
    fresh.push_back(std::move(*key));
  }
  if (fresh.empty()) return std::size_t{0};

  // The new list: what is still inside its window, oldest window end first dropped when full.
  std::vector<RevokedKey> list;
  for (const RevokedKey& k : record.revoked_keys) {
    if (k.not_after > now) list.push_back(k);
  }
  bool shadow_changes = list.size() != record.revoked_keys.size();
  for (const KeyRecord& k : fresh) {
    if (k.window.not_after <= now || k.epoch != record.info.epoch) continue;  // opens nothing
    RevokedKey r;
    [[maybe_unused]] const bool ok = from_hex(k.id, r.id);
    r.not_after = k.window.not_after;
    r.revoked_at = now;
    list.push_back(r);
    shadow_changes = true;
  }
  if (list.size() > lockcore::kMaxRevokedKeys) {
    return fail(Error::conflict("lock " + record.info.id + " cannot hold more than " +
                                std::to_string(lockcore::kMaxRevokedKeys) +
                                " revoked keys that are still inside their window"));
  }
  std::vector<LockRecord*> bumped;
  if (shadow_changes) bumped.push_back(&record);
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    for (const KeyRecord& k : fresh) {
      auto updated = ctx_.db.execute(
          "UPDATE device_keys SET revoked_at = ? WHERE id = ? AND revoked_at = 0", {now, k.id});
      if (!updated) return fail(store_failure(updated.error()));
      if (Status s = ctx_.audit_entry(audit::AuditType::digital_key_revoked, std::string(actor),
                                      std::string(site), lock_subject(lock),
                                      {{"key", k.id}, {"holder", to_hex(k.holder)}});
          !s) {
        return s;
      }
    }
    return ctx_.shadows->write_next_version(bumped);
  });
  if (!written) return fail(written.error());
  record.revoked_keys = std::move(list);
  ctx_.shadows->publish_next(bumped);
  return fresh.size();
}

Result<std::vector<KeyRecord>> DigitalKeys::list(std::string_view site, std::string_view lock) {
  if (auto found = ctx_.find_lock(site, lock); !found) return fail(found.error());
  return query_rows(ctx_.db,
                    "SELECT " + std::string(kColumns) +
                        " FROM device_keys WHERE site = ? AND lock = ? ORDER BY issued_at",
                    {std::string(site), std::string(lock)}, key_from);
}

}  // namespace server::devices
