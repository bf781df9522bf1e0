#include "server/devices/event_ingest.hpp"

#include <map>
#include <memory>

#include <spdlog/spdlog.h>

#include "lockcore/signing.hpp"
#include "protocol/names.hpp"
#include "server/devices/commands.hpp"
#include "server/devices/event_audit.hpp"
#include "server/devices/health.hpp"
#include "server/devices/placements.hpp"
#include "server/devices/row_reader.hpp"

namespace server::devices {

namespace {

constexpr std::string_view kColumns =
    "site, lock, seq, last_seq, ts, type, source, reason, slot, value, key_id, received";

Result<StoredEvent> event_from(const store::Row& row) {
  RowReader r(row);
  StoredEvent s;
  s.site = r.text(0);
  s.lock = r.text(1);
  lockcore::Event& e = s.event;
  e.seq = static_cast<std::uint32_t>(r.i64(2));
  e.ts = r.i64(4);
  const std::string type = r.text(5);
  const std::string source = r.text(6);
  const std::string reason = r.text(7);
  e.slot = static_cast<std::uint16_t>(r.i64(8));
  e.value = static_cast<std::uint32_t>(r.i64(9));
  const std::string key = r.text(10);
  s.received = r.i64(11);
  if (!r.ok()) return fail(store_failure(r.error()));
  auto t = protocol::from_wire_name<lockcore::EventType>(type);
  auto src = protocol::from_wire_name<lockcore::AccessSource>(source);
  auto why = protocol::from_wire_name<lockcore::DenyReason>(reason);
  if (!t || !src || !why || !from_hex(key, e.key)) {
    return fail(Error(Errc::internal, "device_events: an unreadable event"));
  }
  e.type = *t;
  e.source = *src;
  e.reason = *why;
  return s;
}

}  // namespace

EventIngest::EventIngest(Context& ctx)
    : ctx_(ctx),
      incoming_(ctx.io, [this](std::vector<Incoming>& batch) { write(batch); }),
      stored_(
          ctx.metrics.counter("latchkey_device_events_stored_total", "Lock events stored durably")),
      duplicates_(ctx.metrics.counter("latchkey_device_events_duplicate_total",
                                      "Lock events received again and dropped")),
      write_failures_(ctx.metrics.counter("latchkey_device_events_write_failures_total",
                                          "Lock events whose write failed (the lock resends)")) {}

Status EventIngest::load(LockRecord& lock) {
  EventProgress& p = lock.events;
  if (p.loaded) return {};
  p.tracker.reset(p.acked);
  auto rows = ctx_.db.query(
      "SELECT seq, last_seq FROM device_events WHERE site = ? AND lock = ? AND seq > ?",
      {lock.info.site, lock.info.id, std::int64_t{p.acked}});
  if (!rows) return fail(store_failure(rows.error()));
  for (const store::Row& row : *rows) {
    RowReader r(row);
    const auto first = static_cast<std::uint32_t>(r.i64(0));
    const auto last = static_cast<std::uint32_t>(r.i64(1));
    if (!r.ok()) return fail(store_failure(r.error()));
    p.tracker.begin(first, last);
    p.tracker.stored(first, last);
  }
  p.loaded = true;
  return {};
}

void EventIngest::on_event(LockRecord& lock, const lockcore::Event& event) {
  if (Status s = load(lock); !s) {
    spdlog::error("devices: events of {} cannot be read: {}", lock.info.id, s.error().message);
    return;  // not acknowledged: the lock keeps it and sends it again
  }
  const std::uint32_t last =
      event.type == lockcore::EventType::gap && event.value > event.seq ? event.value : event.seq;
  if (event.seq == 0 || lock.events.tracker.covered(event.seq, last)) {
    duplicates_.inc();
    // The lock sent it again: perhaps it never heard our acknowledgement.
    maybe_ack(lock);
    return;
  }
  lock.events.tracker.begin(event.seq, last);
  Incoming in{&lock, event, last, ctx_.now(), {}, {}};
  attribute(in);
  incoming_.add(std::move(in));
}

void EventIngest::attribute(Incoming& in) {
  if (in.event.slot == 0) return;
  if (const PlacementRecord* p = ctx_.placements->at_slot(*in.lock, in.event.slot)) {
    in.credential = p->credential;
    in.holder = p->holder;
    return;
  }
  auto rows = ctx_.db.query(
      "SELECT credential, holder FROM device_placements WHERE site = ? AND lock = ? AND "
      "slot = ? AND created <= ? ORDER BY updated DESC LIMIT 1",
      {in.lock->info.site, in.lock->info.id, std::int64_t{in.event.slot}, in.event.ts});
  if (!rows || rows->empty()) return;
  RowReader r((*rows)[0]);
  std::string credential = r.text(0);
  std::string holder = r.text(1);
  if (!r.ok()) return;
  in.credential = std::move(credential);
  in.holder = std::move(holder);
}

void EventIngest::write(std::vector<Incoming>& batch) {
  std::vector<store::Write> writes;
  writes.reserve(batch.size());
  for (const Incoming& in : batch) {
    const lockcore::Event& e = in.event;
    writes.push_back(
        {"INSERT INTO device_events (site, lock, seq, last_seq, ts, type, source, reason, slot, "
         "value, key_id, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
         "ON CONFLICT (site, lock, seq) DO NOTHING",
         {in.lock->info.site, in.lock->info.id, std::int64_t{e.seq}, std::int64_t{in.last}, e.ts,
          std::string(protocol::wire_name(e.type)), std::string(protocol::wire_name(e.source)),
          std::string(protocol::wire_name(e.reason)), std::int64_t{e.slot}, std::int64_t{e.value},
          to_hex(e.key), in.received}});
  }
  auto shared = std::make_shared<std::vector<Incoming>>(std::move(batch));
  ctx_.writer.enqueue(std::move(writes), ctx_.io.get_executor(),
                      [this, shared](store::Status status) { written(*shared, status); });
}

void EventIngest::written(std::vector<Incoming>& batch, const store::Status& status) {
  if (!status) {
    write_failures_.inc(batch.size());
    spdlog::error("devices: {} event(s) not stored: {}", batch.size(), status.error().message);
    for (const Incoming& in : batch)
      in.lock->events.tracker.abandon(in.event.seq, in.last);
    return;
  }
  stored_.inc(batch.size());
  for (const Incoming& in : batch)
    in.lock->events.tracker.stored(in.event.seq, in.last);
  if (Status s = audit(batch); !s) {
    spdlog::error("devices: {} stored event(s) not audited yet: {}", batch.size(),
                  s.error().message);
  }
  // One acknowledgement per lock per burst.
  std::map<LockRecord*, bool> locks;
  for (const Incoming& in : batch)
    locks[in.lock] = true;
  for (auto& [lock, _] : locks)
    maybe_ack(*lock);

  for (const Incoming& in : batch) {
    const LockRecord& lock = *in.lock;
    LockEventInfo info{lock.info.site, lock.info.id, in.event, in.credential, in.holder};
    for (Observer* o : ctx_.observers)
      o->on_lock_event(info);
    if (ctx_.live.subscribers() != 0) {
      boost::json::object json{{"lock", lock.info.id},
                               {"seq", in.event.seq},
                               {"ts", in.event.ts},
                               {"type", protocol::wire_name(in.event.type)}};
      if (in.event.source != lockcore::AccessSource::none) {
        json["source"] = protocol::wire_name(in.event.source);
      }
      if (in.event.reason != lockcore::DenyReason::none) {
        json["reason"] = protocol::wire_name(in.event.reason);
      }
      if (!info.credential.empty()) json["credential"] = info.credential;
      ctx_.publish_live(lock.info.site, "event", json);
    }
  }
}

Status EventIngest::audit(const std::vector<Incoming>& batch) {
  return in_transaction(ctx_.db, [&]() -> Status {
    for (const Incoming& in : batch) {
      const LockRecord& lock = *in.lock;
      for (const EventAudit& entry : audit_entries(in.event, in.credential, in.holder)) {
        if (Status s = ctx_.audit_entry(entry.type, lock_subject(lock.info.id), lock.info.site,
                                        lock_subject(lock.info.id), entry.detail);
            !s) {
          return s;
        }
      }
      auto marked = ctx_.db.execute(
          "UPDATE device_events SET audited = 1 WHERE site = ? AND lock = ? AND seq = ?",
          {lock.info.site, lock.info.id, std::int64_t{in.event.seq}});
      if (!marked) return fail(store_failure(marked.error()));
    }
    return {};
  });
}

Status EventIngest::recover() {
  auto rows = ctx_.db.query("SELECT " + std::string(kColumns) +
                            " FROM device_events WHERE audited = 0 ORDER BY site, lock, seq");
  if (!rows) return fail(store_failure(rows.error()));
  std::vector<Incoming> batch;
  for (const store::Row& row : *rows) {
    auto stored = event_from(row);
    if (!stored) return fail(stored.error());
    LockRecord* lock = ctx_.model.lock(stored->site, stored->lock);
    if (lock == nullptr) continue;
    Incoming in{lock, stored->event, stored->event.seq, stored->received, {}, {}};
    attribute(in);
    batch.push_back(std::move(in));
  }
  if (batch.empty()) return {};
  spdlog::info("devices: auditing {} event(s) stored before the last stop", batch.size());
  return audit(batch);
}

void EventIngest::maybe_ack(LockRecord& lock) {
  EventProgress& p = lock.events;
  if (p.ack_in_flight || !p.loaded) return;
  const std::uint32_t upto = p.tracker.contiguous();
  if (upto <= p.acked) return;
  if (!lock.info.paired || lock.info.needs_reenroll || !ctx_.health->online(lock)) return;
  const SiteRecord* site = ctx_.model.site(lock.info.site);
  if (site == nullptr) return;
  lockcore::Command cmd =
      ctx_.commands->make(lock, lockcore::CommandOp::events_ack, ctx_.options.events_ack_lifetime);
  cmd.upto = upto;
  cmd.sig = lockcore::sign_command(cmd, site->keys.secret_key);
  LockRecord* target = &lock;
  Status sent = ctx_.commands->send(
      lock, cmd, cmd.expires, [this, target, upto](const std::optional<lockcore::CommandAck>& ack) {
        EventProgress& progress = target->events;
        progress.ack_in_flight.reset();
        if (!ack || ack->error != lockcore::LockError::none) return;
        progress.acked = std::max(progress.acked, upto);
        ctx_.writer.enqueue(
            {{"UPDATE device_locks SET events_acked = ? WHERE site = ? AND lock = ? AND "
              "events_acked < ?",
              {std::int64_t{upto}, target->info.site, target->info.id, std::int64_t{upto}}}},
            ctx_.io.get_executor(), [](store::Status s) {
              if (!s) spdlog::error("devices: events_acked not stored: {}", s.error().message);
            });
        maybe_ack(*target);  // more may have been stored meanwhile
      });
  if (!sent) return;
  p.ack_in_flight = cmd.id;
  p.ack_in_flight_upto = upto;
}

void EventIngest::lock_online(LockRecord& lock) {
  if (Status s = load(lock); !s) return;
  maybe_ack(lock);
}

Result<std::vector<StoredEvent>> EventIngest::events(std::string_view site, std::string_view lock,
                                                     std::uint32_t after, std::size_t limit) {
  if (auto found = ctx_.find_lock(site, lock); !found) return fail(found.error());
  return query_rows(ctx_.db,
                    "SELECT " + std::string(kColumns) +
                        " FROM device_events WHERE site = ? AND lock = ? AND seq > ? ORDER BY seq "
                        "LIMIT ?",
                    {std::string(site), std::string(lock), std::int64_t{after},
                     static_cast<std::int64_t>(std::min<std::size_t>(limit, 10'000))},
                    event_from);
}

Result<std::uint64_t> EventIngest::numbers_stored(std::string_view site, std::string_view lock) {
  if (auto found = ctx_.find_lock(site, lock); !found) return fail(found.error());
  auto rows = ctx_.db.query(
      "SELECT count(*), sum(last_seq - seq) FROM device_events WHERE site = ? AND lock = ?",
      {std::string(site), std::string(lock)});
  if (!rows) return fail(store_failure(rows.error()));
  RowReader r((*rows)[0]);
  const std::int64_t count = r.i64(0);
  const std::int64_t extra = r.opt_i64(1).value_or(0);
  if (!r.ok()) return fail(store_failure(r.error()));
  return static_cast<std::uint64_t>(count + extra);
}

}  // namespace server::devices
