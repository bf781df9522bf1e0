#include "server/devices/commissioning.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "lockcore/offline_pin.hpp"
#include "lockcore/signing.hpp"
#include "protocol/names.hpp"
#include "server/devices/commands.hpp"
#include "server/devices/health.hpp"
#include "server/devices/placements.hpp"
#include "server/devices/registry.hpp"
#include "server/devices/shadows.hpp"

namespace server::devices {

namespace {

Error refusal_error(lockcore::LockError error, const std::string& lock) {
  switch (error) {
    case lockcore::LockError::bad_signature:
      return Error(Errc::invalid_field, "lock " + lock + " says the pairing code does not match",
                   "pairing_code");
    case lockcore::LockError::already_paired:
      return Error::conflict("lock " + lock +
                             " is paired to other keys; it must be factory reset first");
    case lockcore::LockError::wrong_epoch:
      return Error::conflict("lock " + lock + " changed its epoch meanwhile; try again");
    default:
      return Error(Errc::unavailable,
                   "lock " + lock + " refused to pair: " + std::string(protocol::wire_name(error)));
  }
}

}  // namespace

boost::asio::awaitable<Result<LockInfo>> Commissioning::commission(
    std::string site, std::string lock, std::optional<std::string> pairing_code,
    std::string actor) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) co_return fail(found.error());
  LockRecord& record = **found;
  if (record.info.needs_reenroll) {
    co_return fail(Error::conflict("lock " + lock + " was factory reset: re-enroll it instead"));
  }
  if (record.info.paired)
    co_return fail(Error::conflict("lock " + lock + " is already commissioned"));
  std::optional<lockcore::SymmetricKey> key = record.pairing_code_key;
  if (pairing_code) {
    if (!is_valid_pairing_code(*pairing_code)) {
      co_return fail(
          Error::invalid_field("pairing_code", "must be the 16–64 characters on the label"));
    }
    key = lockcore::pairing_code_key(*pairing_code);
  }
  if (!key) co_return fail(Error::missing_field("pairing_code"));
  co_return co_await pair(record, *key, std::move(actor), false);
}

boost::asio::awaitable<Result<LockInfo>> Commissioning::reenroll(std::string site, std::string lock,
                                                                 std::string actor) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) co_return fail(found.error());
  LockRecord& record = **found;
  if (!record.info.needs_reenroll) {
    co_return fail(Error::conflict("lock " + lock + " is not waiting for re-enrollment"));
  }
  if (!record.pairing_code_key) co_return fail(Error::missing_field("pairing_code"));
  co_return co_await pair(record, *record.pairing_code_key, std::move(actor), true);
}

boost::asio::awaitable<Result<LockInfo>> Commissioning::pair(LockRecord& lock,
                                                             lockcore::SymmetricKey key,
                                                             std::string actor, bool reenroll) {
  const std::string& id = lock.info.id;
  if (!lock.health.state) {
    co_return fail(Error(Errc::unavailable, "no state heard from lock " + id + " yet"));
  }
  if (Status s = ctx_.health->reachable(lock); !s) co_return fail(s.error());
  if (std::find(pairing_.begin(), pairing_.end(), &lock) != pairing_.end()) {
    co_return fail(Error::conflict("lock " + id + " is already being paired"));
  }
  const lockcore::StateReport state = *lock.health.state;
  const lockcore::KxKeyPair server_kx = lockcore::make_kx_keypair(ctx_.random);
  auto secret = lockcore::server_offline_secret(server_kx, state.pairing_key);
  if (!secret) {
    co_return fail(Error(Errc::unavailable, "lock " + id + " announced an unusable pairing key"));
  }
  const SiteRecord* site = ctx_.model.site(lock.info.site);
  if (site == nullptr) co_return fail(Error(Errc::internal, "the lock's site has no key pair"));

  lockcore::Command cmd =
      ctx_.commands->make(lock, lockcore::CommandOp::pair, ctx_.options.command_lifetime);
  cmd.pair = {site->keys.public_key, server_kx.public_key, state.epoch};
  cmd.sig = lockcore::sign_pair_command(cmd, key);

  pairing_.push_back(&lock);
  auto answered = co_await ctx_.commands->send_and_wait(
      lock, cmd, cmd.expires + ctx_.options.ack_grace.count());
  pairing_.erase(std::find(pairing_.begin(), pairing_.end(), &lock));
  if (!answered) co_return fail(answered.error());
  const std::optional<lockcore::CommandAck>& ack = *answered;
  if (!ack || ack->error != lockcore::LockError::none) {
    const std::string error =
        ack ? std::string(protocol::wire_name(ack->error)) : std::string("timed_out");
    Status audited = in_transaction(ctx_.db, [&] {
      return ctx_.audit_entry(audit::AuditType::command_failed, std::move(actor), lock.info.site,
                              lock_subject(id),
                              {{"command", to_hex(cmd.id)}, {"op", "pair"}, {"error", error}});
    });
    if (!audited) spdlog::error("devices: failed pairing of {} not audited", id);
    if (!ack) co_return fail(Error(Errc::timed_out, "lock " + id + " did not answer the pairing"));
    co_return fail(refusal_error(ack->error, id));
  }

  // Paired: the lock now holds the site key and the offline secret for this epoch.
  LockRecord updated = {};
  updated.info = lock.info;
  updated.info.paired = true;
  updated.info.needs_reenroll = false;
  updated.info.epoch = state.epoch;
  updated.info.commissioned_at = ctx_.now();
  updated.pairing_code_key = key;
  updated.offline_secret = *secret;
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    if (Status s = ctx_.registry->save_pairing(updated); !s) return s;
    return ctx_.audit_entry(
        reenroll ? audit::AuditType::lock_reenrolled : audit::AuditType::lock_commissioned, actor,
        lock.info.site, lock_subject(id), {{"epoch", state.epoch}, {"command", to_hex(cmd.id)}});
  });
  if (!written) co_return fail(written.error());
  lock.info = updated.info;
  lock.pairing_code_key = key;
  lock.offline_secret = *secret;
  ctx_.shadows->forget_reported(lock);
  ctx_.health->changed(lock);

  // The backup pool and everything placed meanwhile go out with the next shadow.
  auto filled = lock.info.keypad ? ctx_.placements->fill_backup_pool(lock.info.site, id)
                                 : Result<std::size_t>(std::size_t{0});
  if (!filled) {
    spdlog::warn("devices: backup pool of {} not filled: {}", id, filled.error().message);
  }
  if (!filled || *filled == 0) {
    if (Status s = ctx_.shadows->changed({&lock}); !s) {
      spdlog::error("devices: shadow of {} not published: {}", id, s.error().message);
    }
  }
  co_return lock.info;
}

void Commissioning::epoch_changed(LockRecord& lock, std::uint32_t new_epoch) {
  if (!lock.info.paired || lock.info.needs_reenroll || new_epoch == lock.info.epoch) return;
  std::size_t pending = 0;
  for (const auto& [cid, p] : lock.placements) {
    if (p.wanted) ++pending;
  }
  LockRecord updated = {};
  updated.info = lock.info;
  updated.info.paired = false;
  updated.info.needs_reenroll = true;
  updated.pairing_code_key = lock.pairing_code_key;
  updated.offline_secret = {};  // the lock wiped its half: offline PINs of the old pairing are void
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    if (Status s = ctx_.registry->save_pairing(updated); !s) return s;
    if (Status s = ctx_.placements->write_wiped(lock); !s) return s;
    return ctx_.audit_entry(audit::AuditType::lock_epoch_changed, "system", lock.info.site,
                            lock_subject(lock.info.id),
                            {{"old_epoch", lock.info.epoch},
                             {"new_epoch", new_epoch},
                             {"credentials_pending", pending}});
  });
  if (!written) {
    spdlog::error("devices: epoch change of {} not recorded: {}", lock.info.id,
                  written.error().message);
    return;
  }
  spdlog::warn("devices: lock {} changed its epoch ({} -> {}): it needs re-enrollment",
               lock.info.id, lock.info.epoch, new_epoch);
  lock.info = updated.info;
  lock.offline_secret = {};
  ctx_.placements->mark_wiped(lock);
  ctx_.shadows->forget_reported(lock);
  lock.events.ack_in_flight.reset();
  ctx_.health->changed(lock);
}

}  // namespace server::devices
