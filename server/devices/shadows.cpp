#include "server/devices/shadows.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <spdlog/spdlog.h>

#include "lockcore/signing.hpp"
#include "protocol/codec.hpp"
#include "protocol/names.hpp"
#include "server/devices/broker_link.hpp"
#include "server/devices/commissioning.hpp"
#include "server/devices/health.hpp"
#include "server/devices/placements.hpp"
#include "server/devices/registry.hpp"
#include "server/devices/row_reader.hpp"

namespace server::devices {

namespace {

std::vector<const PlacementRecord*> wanted_by_slot(const LockRecord& lock) {
  std::vector<const PlacementRecord*> out;
  for (const auto& [id, p] : lock.placements) {
    if (p.wanted) out.push_back(&p);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->slot < b->slot; });
  return out;
}

transport::ReconnectBackoff& backoff_of(Context& ctx, LockRecord& lock) {
  if (!lock.shadow.backoff) {
    lock.shadow.backoff = std::make_unique<transport::ReconnectBackoff>(
        ctx.options.shadow_retry_initial, ctx.options.shadow_retry_max,
        transport::seed_from(lock.info.site + "/" + lock.info.id));
  }
  return *lock.shadow.backoff;
}

}  // namespace

Shadows::Shadows(Context& ctx)
    : ctx_(ctx),
      reports_(ctx.io, [this](std::vector<Report>& reports) { handle(reports); }),
      due_(ctx.io, [this](std::vector<LockRecord*>& locks) { retry(locks); }),
      published_(ctx.metrics.counter("latchkey_device_shadows_published_total",
                                     "Desired shadows published (first sends and re-sends)")),
      retries_(ctx.metrics.counter("latchkey_device_shadow_retries_total",
                                   "Desired shadows re-published after the backoff")) {}

void Shadows::loaded() {
  for (LockRecord* lock : ctx_.model.all_locks()) {
    ShadowProgress& s = lock->shadow;
    s.content_version = s.version;  // not stored: after a restart only the latest counts
    s.in_sync = s.reported_version == s.version && s.reported_digest == expected_digest(*lock);
  }
}

lockcore::DesiredShadow Shadows::desired(const LockRecord& lock, std::uint64_t version) const {
  lockcore::DesiredShadow d;
  [[maybe_unused]] const bool site_fits = d.site.assign(lock.info.site);
  [[maybe_unused]] const bool lock_fits = d.lock.assign(lock.info.id);
  d.version = version;
  d.epoch = lock.info.epoch;
  for (const PlacementRecord* p : wanted_by_slot(lock)) {
    if (!d.credentials.push_back(p->credential_on_lock())) break;  // capacity is checked on place
  }
  const SiteRecord* site = std::as_const(ctx_.model).site(lock.info.site);
  d.settings.wrong_code_limit = lock.wrong_code_limit;
  d.settings.wrong_code_disable_s = lock.wrong_code_disable_s;
  d.settings.utc_offset_min = site ? site->utc_offset_min : 0;
  d.settings.auto_relock_s = lock.auto_relock_s;
  for (const RevokedKey& k : lock.revoked_keys) {
    if (!d.revoked_keys.push_back(k.id)) break;
  }
  if (site) d.sig = lockcore::sign_shadow(d, site->keys.secret_key);
  return d;
}

lockcore::Digest Shadows::expected_digest(const LockRecord& lock) const {
  std::vector<lockcore::PinCredential> held;
  for (const PlacementRecord* p : wanted_by_slot(lock)) {
    if (p->status != CredentialStatus::failed) held.push_back(p->credential_on_lock());
  }
  return lockcore::credential_digest(held);
}

bool Shadows::publishable(const LockRecord& lock) const {
  return lock.info.paired && !lock.info.needs_reenroll && lock.info.link != kNoLink;
}

// ---- versions and publishing ----------------------------------------------------------------

Status Shadows::write_next_version(const std::vector<LockRecord*>& locks) {
  for (LockRecord* lock : locks) {
    auto updated = ctx_.db.execute(
        "UPDATE device_locks SET shadow_version = ? WHERE site = ? AND lock = ?",
        {static_cast<std::int64_t>(lock->shadow.version + 1), lock->info.site, lock->info.id});
    if (!updated) return fail(store_failure(updated.error()));
  }
  return {};
}

void Shadows::publish_next(const std::vector<LockRecord*>& locks) {
  for (LockRecord* lock : locks) {
    ++lock->shadow.version;
    lock->shadow.content_version = lock->shadow.version;
    lock->shadow.in_sync = false;
    publish(*lock, true);
  }
}

Status Shadows::changed(const std::vector<LockRecord*>& locks) {
  if (locks.empty()) return {};
  if (Status s = in_transaction(ctx_.db, [&] { return write_next_version(locks); }); !s) return s;
  publish_next(locks);
  return {};
}

void Shadows::publish(LockRecord& lock, bool reset_backoff) {
  if (!publishable(lock)) return;
  ShadowProgress& s = lock.shadow;
  if (s.payload_version != s.version) {
    s.payload = protocol::encode(desired(lock, s.version));
    s.payload_version = s.version;
  }
  if (reset_backoff) backoff_of(ctx_, lock).reset();
  const std::string topic =
      protocol::make_topic(lock.info.site, lock.info.id, protocol::Channel::shadow_desired);
  if (ctx_.broker->publish(topic, s.payload, true)) published_.inc();
  // Not sent (no broker connection): broker_connected() publishes it again.
  arm_retry(lock);
}

void Shadows::arm_retry(LockRecord& lock) {
  ShadowProgress& s = lock.shadow;
  if (s.retry_timer != 0) ctx_.scheduler.cancel(s.retry_timer);
  s.retry_timer = 0;
  if (s.in_sync) return;
  const auto delay = backoff_of(ctx_, lock).next();
  LockRecord* target = &lock;
  s.retry_timer = ctx_.scheduler.call_after(delay, [this, target] {
    target->shadow.retry_timer = 0;
    due_.add(target);
  });
}

void Shadows::retry(std::vector<LockRecord*>& locks) {
  std::sort(locks.begin(), locks.end());
  locks.erase(std::unique(locks.begin(), locks.end()), locks.end());
  // Confirmed meanwhile, or re-armed by a publish since; an unreachable lock gets it when it
  // comes back (lock_online), with no timer meanwhile.
  std::erase_if(locks, [this](LockRecord* lock) {
    return lock->shadow.in_sync || lock->shadow.retry_timer != 0 || !publishable(*lock) ||
           !ctx_.health->online(*lock);
  });
  if (locks.empty()) return;
  Status bumped = in_transaction(ctx_.db, [&] { return write_next_version(locks); });
  if (!bumped) {
    spdlog::error("devices: shadow retry for {} lock(s) not stored: {}", locks.size(),
                  bumped.error().message);
    for (LockRecord* lock : locks)
      arm_retry(*lock);
    return;
  }
  for (LockRecord* lock : locks) {
    retries_.inc();
    ++lock->shadow.version;
    publish(*lock, false);
  }
}

void Shadows::lock_online(LockRecord& lock) {
  if (lock.shadow.in_sync || !publishable(lock)) return;
  publish(lock, true);
}

void Shadows::broker_connected() {
  for (LockRecord* lock : ctx_.model.all_locks()) {
    if (!lock->shadow.in_sync && publishable(*lock)) publish(*lock, true);
  }
}

void Shadows::forget_reported(LockRecord& lock) {
  lock.shadow.in_sync = false;
  lock.shadow.reported_version = 0;
  lock.shadow.reported_digest = {};
  if (lock.shadow.retry_timer != 0) ctx_.scheduler.cancel(lock.shadow.retry_timer);
  lock.shadow.retry_timer = 0;
}

// ---- reports --------------------------------------------------------------------------------

void Shadows::on_reported(LockRecord& lock, const lockcore::ReportedShadow& reported) {
  reports_.add({&lock, reported});
}

void Shadows::handle(std::vector<Report>& reports) {
  // The latest report per lock is all that matters.
  std::map<LockRecord*, const lockcore::ReportedShadow*> latest;
  for (const Report& r : reports)
    latest[r.lock] = &r.reported;

  std::vector<LockRecord*> epoch_changed;
  std::vector<LockRecord*> behind;  // the lock has a newer version than ours: jump past it
  std::vector<PlacementChange> changes;
  std::vector<std::pair<LockRecord*, bool>> settled;  // lock, in sync

  for (auto& [lock, reported] : latest) {
    ShadowProgress& s = lock->shadow;
    s.reported_version = reported->version;
    s.reported_digest = reported->credential_digest;
    if (!publishable(*lock)) continue;
    if (reported->epoch != lock->info.epoch) {
      epoch_changed.push_back(lock);
      continue;
    }
    if (reported->version > s.version) {
      s.version = reported->version;  // written below by write_next_version
      behind.push_back(lock);
      continue;
    }
    // Older than the content it should hold: the latest is on its way. A report of a version
    // that only a retry superseded describes the same content and settles it: under load a
    // report may take longer than the first backoff, and waiting for the retry's own report
    // would let every retry invalidate the report in flight.
    if (reported->version < s.content_version) continue;

    std::map<std::uint16_t, lockcore::SlotError> by_slot;
    for (const lockcore::SlotReport& slot : reported->slots)
      by_slot[slot.slot] = slot.error;
    std::vector<lockcore::PinCredential> held;
    for (const PlacementRecord* p : wanted_by_slot(*lock)) {
      auto it = by_slot.find(p->slot);
      if (it == by_slot.end()) {
        held.push_back(p->credential_on_lock());
        continue;
      }
      const bool ok = it->second == lockcore::SlotError::none;
      if (ok) held.push_back(p->credential_on_lock());
      const CredentialStatus status = ok ? CredentialStatus::set : CredentialStatus::failed;
      const std::string error = ok ? "" : std::string(protocol::wire_name(it->second));
      if (status != p->status || error != p->error) {
        changes.push_back({lock, p->credential, status, error});
      }
    }
    for (const auto& [id, p] : lock->placements) {
      if (!p.wanted && p.status != CredentialStatus::removed) {
        changes.push_back({lock, id, CredentialStatus::removed, ""});
      }
    }
    settled.emplace_back(lock, lockcore::credential_digest(held) == reported->credential_digest);
  }

  // One transaction for the burst: what each lock reported, and every placement that settles
  // with its audit entry. A burst is a round of the io_context, however many reports it holds.
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    for (auto& [lock, reported] : latest) {
      auto stored = ctx_.db.execute(
          "INSERT INTO device_health (site, device, reported_version, reported_digest) "
          "VALUES (?, ?, ?, ?) ON CONFLICT (site, device) DO UPDATE SET "
          "reported_version = excluded.reported_version, "
          "reported_digest = excluded.reported_digest",
          {lock->info.site, lock->info.id, static_cast<std::int64_t>(reported->version),
           to_blob(reported->credential_digest)});
      if (!stored) return fail(store_failure(stored.error()));
    }
    return ctx_.placements->write_changes(changes);
  });
  if (!written) {
    // Nothing settles: the locks stay unconfirmed, and the retry brings another report.
    spdlog::error("devices: {} shadow report(s) not stored: {}", latest.size(),
                  written.error().message);
    settled.clear();
  } else if (!changes.empty()) {
    ctx_.placements->changes_written(changes);
  }
  for (auto& [lock, in_sync] : settled) {
    lock->shadow.in_sync = in_sync;
    if (in_sync) {
      if (lock->shadow.retry_timer != 0) ctx_.scheduler.cancel(lock->shadow.retry_timer);
      lock->shadow.retry_timer = 0;
      if (lock->shadow.backoff) lock->shadow.backoff->reset();
    }
  }
  if (!behind.empty()) {
    if (Status s = changed(behind); !s) {
      spdlog::error("devices: could not move {} shadow version(s) past the locks' own: {}",
                    behind.size(), s.error().message);
    }
  }
  for (LockRecord* lock : epoch_changed)
    ctx_.commissioning->epoch_changed(*lock, latest[lock]->epoch);
}

}  // namespace server::devices
