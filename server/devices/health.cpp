#include "server/devices/health.hpp"

#include <algorithm>
#include <tuple>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "protocol/names.hpp"
#include "server/devices/broker_link.hpp"
#include "server/devices/commissioning.hpp"
#include "server/devices/event_ingest.hpp"
#include "server/devices/placements.hpp"
#include "server/devices/row_reader.hpp"
#include "server/devices/shadows.hpp"

namespace server::devices {

namespace {

constexpr UnixMs kSeenPersistMs = 60'000;

// What observers and the live bus are told about when it changes.
auto condition(const LockHealth& h) {
  return std::make_tuple(h.reachability, h.bolt, h.keypad, h.battery_pct < 20, h.battery_pct == 0,
                         h.motor_fault, h.firmware, h.paired, h.flaky);
}

}  // namespace

// ---- reachability ---------------------------------------------------------------------------

Health::Computed Health::compute(const LockRecord& lock) const {
  const std::string& id = lock.info.id;
  if (lock.info.link == kNoLink) {
    return {Reachability::offline, "lock " + id + " has no radio link"};
  }
  if (lock.hub_linked()) {
    const HubRecord* hub = ctx_.model.hub(lock.info.site, lock.info.link);
    if (hub == nullptr || !hub->status) {
      return {Reachability::unknown, "no status heard from hub " + lock.info.link + " yet"};
    }
    if (*hub->status != protocol::DeviceStatus::online) {
      return {Reachability::offline, "hub " + lock.info.link + " is offline"};
    }
    if (hub->links) {
      const auto& links = hub->links->links;
      auto it = std::find_if(links.begin(), links.end(),
                             [&](const protocol::HubLink& l) { return l.lock.view() == id; });
      if (it == links.end() || !it->up) {
        return {Reachability::offline,
                "the link from hub " + lock.info.link + " to lock " + id + " is down"};
      }
    }
  }
  if (!lock.health.status)
    return {Reachability::unknown, "no status heard from lock " + id + " yet"};
  if (*lock.health.status != protocol::DeviceStatus::online) {
    return {Reachability::offline, "lock " + id + " is offline"};
  }
  return {Reachability::online, ""};
}

Status Health::reachable(const LockRecord& lock) const {
  if (!ctx_.broker->connected())
    return fail(Error(Errc::unavailable, "the broker is not connected"));
  Computed c = compute(lock);
  if (c.reachability == Reachability::online) return {};
  return fail(Error(Errc::unavailable, c.reason));
}

bool Health::online(const LockRecord& lock) const {
  return compute(lock).reachability == Reachability::online;
}

void Health::prune(HealthRecord& health) const {
  const UnixMs since = ctx_.now() - ctx_.options.flaky_window.count();
  while (!health.offline_at.empty() && health.offline_at.front() < since)
    health.offline_at.pop_front();
}

bool Health::flaky(const HealthRecord& health) const {
  const UnixMs since = ctx_.now() - ctx_.options.flaky_window.count();
  const auto recent = std::count_if(health.offline_at.begin(), health.offline_at.end(),
                                    [&](UnixMs at) { return at >= since; });
  return static_cast<std::size_t>(recent) >= ctx_.options.flaky_transitions;
}

void Health::reassess(const std::vector<LockRecord*>& locks) {
  struct Change {
    LockRecord* lock;
    Computed now;
  };
  std::vector<Change> changes;
  std::vector<LockRecord*> to_catch_up;
  for (LockRecord* lock : locks) {
    Computed c = compute(*lock);
    // Unknown is not a transition: it is the absence of news, not news of absence.
    if (c.reachability != Reachability::unknown && c.reachability != lock->health.reachability) {
      changes.push_back({lock, std::move(c)});
    } else if (c.reachability == Reachability::online && !lock->health.caught_up) {
      to_catch_up.push_back(lock);  // online as stored before a restart: no transition to record
    }
  }
  for (LockRecord* lock : to_catch_up)
    catch_up(*lock);
  if (changes.empty()) return;
  const UnixMs now = ctx_.now();
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    std::int64_t seq = 0;
    for (const Change& change : changes) {
      const LockInfo& i = change.lock->info;
      const bool online = change.now.reachability == Reachability::online;
      auto inserted = ctx_.db.execute(
          "INSERT INTO device_transitions (site, device, at, seq, online, reason) "
          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, device, at, seq) DO NOTHING",
          {i.site, i.id, now, seq++, std::int64_t{online ? 1 : 0}, change.now.reason});
      if (!inserted) return fail(store_failure(inserted.error()));
      auto upserted = ctx_.db.execute(
          "INSERT INTO device_health (site, device, online, last_seen) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (site, device) DO UPDATE SET online = excluded.online, "
          "last_seen = excluded.last_seen",
          {i.site, i.id, std::int64_t{online ? 1 : 0}, change.lock->health.last_seen});
      if (!upserted) return fail(store_failure(upserted.error()));
      boost::json::object detail;
      if (!online) detail["reason"] = change.now.reason;
      if (change.lock->hub_linked()) detail["hub"] = i.link;
      if (Status s = ctx_.audit_entry(
              online ? audit::AuditType::lock_online : audit::AuditType::lock_offline, "system",
              i.site, lock_subject(i.id), detail);
          !s) {
        return s;
      }
    }
    return {};
  });
  if (!written) {
    spdlog::error("devices: could not record {} reachability change(s): {}", changes.size(),
                  written.error().message);
    return;
  }
  for (Change& change : changes) {
    LockRecord& lock = *change.lock;
    lock.health.reachability = change.now.reachability;
    lock.health.persisted_seen = lock.health.last_seen;
    if (change.now.reachability == Reachability::offline) {
      lock.health.offline_at.push_back(now);
      prune(lock.health);
    }
    changed(lock);
    if (change.now.reachability == Reachability::online) {
      catch_up(lock);
    } else {
      lock.health.caught_up = false;
    }
  }
}

void Health::catch_up(LockRecord& lock) {
  // Whatever the lock has not confirmed goes out again at once.
  lock.health.caught_up = true;
  ctx_.shadows->lock_online(lock);
  ctx_.events->lock_online(lock);
  ctx_.placements->lock_online(lock);
}

void Health::reassess_hub(HubRecord& hub) {
  if (!hub.status) return;
  const Reachability now =
      *hub.status == protocol::DeviceStatus::online ? Reachability::online : Reachability::offline;
  if (now != hub.reachability) {
    const bool online = now == Reachability::online;
    Status written = in_transaction(ctx_.db, [&]() -> Status {
      auto inserted = ctx_.db.execute(
          "INSERT INTO device_transitions (site, device, at, seq, online, reason) "
          "VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (site, device, at, seq) DO NOTHING",
          {hub.info.site, hub.info.id, ctx_.now(), std::int64_t{online ? 1 : 0},
           std::string(online ? "" : "hub offline")});
      if (!inserted) return fail(store_failure(inserted.error()));
      auto upserted = ctx_.db.execute(
          "INSERT INTO device_health (site, device, online, last_seen) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (site, device) DO UPDATE SET online = excluded.online, "
          "last_seen = excluded.last_seen",
          {hub.info.site, hub.info.id, std::int64_t{online ? 1 : 0}, hub.last_seen});
      if (!upserted) return fail(store_failure(upserted.error()));
      return ctx_.audit_entry(online ? audit::AuditType::hub_online : audit::AuditType::hub_offline,
                              "system", hub.info.site, hub_subject(hub.info.id), {});
    });
    if (!written) {
      spdlog::error("devices: could not record hub {} going {}: {}", hub.info.id,
                    online ? "online" : "offline", written.error().message);
    } else {
      hub.reachability = now;
      HubHealth health = hub_health(hub);
      ctx_.publish_live(hub.info.site, "hub", to_json(health));
      for (Observer* o : ctx_.observers)
        o->on_hub_health_change(health);
    }
  }
  reassess(ctx_.model.locks_behind(hub.info.site, hub.info.id));
}

// ---- inbound --------------------------------------------------------------------------------

void Health::seen(LockRecord& lock) {
  lock.health.last_seen = ctx_.now();
}

void Health::registered(LockRecord& lock) {
  // A lock registered while its status is already known (retained) is assessed at once.
  reassess({&lock});
}

void Health::on_lock_status(LockRecord& lock, protocol::DeviceStatus status) {
  seen(lock);
  lock.health.status = status;
  reassess({&lock});
}

void Health::on_hub_status(HubRecord& hub, protocol::DeviceStatus status) {
  hub.last_seen = ctx_.now();
  hub.status = status;
  reassess_hub(hub);
}

void Health::on_hub_links(HubRecord& hub, const protocol::HubLinks& links) {
  hub.last_seen = ctx_.now();
  hub.links = links;
  boost::json::array list;
  for (const protocol::HubLink& l : links.links) {
    list.push_back({{"lock", l.lock.view()}, {"up", l.up}, {"rssi", l.rssi}});
  }
  ctx_.writer.enqueue(
      {{"INSERT INTO device_health (site, device, last_seen, links) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (site, device) DO UPDATE SET last_seen = excluded.last_seen, "
        "links = excluded.links",
        {hub.info.site, hub.info.id, hub.last_seen, boost::json::serialize(list)}}},
      ctx_.io.get_executor(), [](store::Status s) {
        if (!s) spdlog::error("devices: hub links not stored: {}", s.error().message);
      });
  HubHealth health = hub_health(hub);
  ctx_.publish_live(hub.info.site, "hub", to_json(health));
  reassess(ctx_.model.locks_behind(hub.info.site, hub.info.id));
}

void Health::on_lock_state(LockRecord& lock, const lockcore::StateReport& state) {
  seen(lock);
  const auto before = condition(health(lock));
  lock.health.state = state;
  persist_state(lock);

  HealthRecord& h = lock.health;
  const UnixMs now = ctx_.now();
  if (state.battery_pct != h.last_battery_pct ||
      now - h.last_battery_sample >= ctx_.options.battery_sample_interval.count()) {
    h.last_battery_pct = state.battery_pct;
    h.last_battery_sample = now;
    ctx_.writer.enqueue({{"INSERT INTO device_battery (site, lock, at, pct, mv) VALUES (?, ?, ?, "
                          "?, ?) ON CONFLICT (site, lock, at) DO UPDATE SET pct = excluded.pct, "
                          "mv = excluded.mv",
                          {lock.info.site, lock.info.id, now, std::int64_t{state.battery_pct},
                           std::int64_t{state.battery_mv}}}},
                        ctx_.io.get_executor(), [](store::Status s) {
                          if (!s)
                            spdlog::error("devices: battery sample not stored: {}",
                                          s.error().message);
                        });
  }

  // A paired lock reporting another epoch was factory reset: it holds none of what it held.
  if (lock.info.paired && !lock.info.needs_reenroll && state.epoch != lock.info.epoch) {
    ctx_.commissioning->epoch_changed(lock, state.epoch);
  }
  if (condition(health(lock)) != before) changed(lock);
}

void Health::persist_state(LockRecord& lock) {
  const lockcore::StateReport& s = *lock.health.state;
  lock.health.persisted_seen = lock.health.last_seen;
  ctx_.writer.enqueue(
      {{"INSERT INTO device_health (site, device, last_seen, bolt, door, keypad, battery_pct, "
        "battery_mv, rssi, firmware, epoch, event_seq, paired, motor_fault, pairing_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (site, device) DO UPDATE SET last_seen = excluded.last_seen, "
        "bolt = excluded.bolt, door = excluded.door, keypad = excluded.keypad, "
        "battery_pct = excluded.battery_pct, battery_mv = excluded.battery_mv, "
        "rssi = excluded.rssi, firmware = excluded.firmware, epoch = excluded.epoch, "
        "event_seq = excluded.event_seq, paired = excluded.paired, "
        "motor_fault = excluded.motor_fault, pairing_key = excluded.pairing_key",
        {lock.info.site, lock.info.id, lock.health.last_seen,
         std::string(protocol::wire_name(s.bolt)), std::string(protocol::wire_name(s.door)),
         std::string(protocol::wire_name(s.keypad)), std::int64_t{s.battery_pct},
         std::int64_t{s.battery_mv}, std::int64_t{s.rssi}, std::string(s.firmware.view()),
         std::int64_t{s.epoch}, std::int64_t{s.event_seq}, std::int64_t{s.paired ? 1 : 0},
         std::int64_t{s.motor_fault ? 1 : 0}, to_blob(s.pairing_key)}}},
      ctx_.io.get_executor(), [](store::Status st) {
        if (!st) spdlog::error("devices: lock state not stored: {}", st.error().message);
      });
}

void Health::changed(const LockRecord& lock) {
  LockHealth h = health(lock);
  ctx_.publish_live(lock.info.site, "lock", to_json(h));
  for (Observer* o : ctx_.observers)
    o->on_health_change(h);
}

// ---- queries --------------------------------------------------------------------------------

LockHealth Health::health(const LockRecord& lock) const {
  LockHealth h;
  h.site = lock.info.site;
  h.lock = lock.info.id;
  Computed c = compute(lock);
  h.reachability = c.reachability;
  h.offline_reason = c.reason;
  h.last_seen = lock.health.last_seen;
  if (lock.health.state) {
    const lockcore::StateReport& s = *lock.health.state;
    h.has_state = true;
    h.bolt = s.bolt;
    h.door = s.door;
    h.keypad = s.keypad;
    h.battery_pct = s.battery_pct;
    h.battery_mv = s.battery_mv;
    h.rssi = s.rssi;
    h.firmware = std::string(s.firmware.view());
    h.epoch = s.epoch;
    h.event_seq = s.event_seq;
    h.paired = s.paired;
    h.jammed = s.bolt == lockcore::BoltState::jammed;
    h.motor_fault = s.motor_fault;
  }
  const UnixMs since = ctx_.now() - ctx_.options.flaky_window.count();
  h.offline_transitions_24h = static_cast<std::size_t>(
      std::count_if(lock.health.offline_at.begin(), lock.health.offline_at.end(),
                    [&](UnixMs at) { return at >= since; }));
  h.flaky = flaky(lock.health);
  h.desired_version = lock.shadow.version;
  h.reported_version = lock.shadow.reported_version;
  h.in_sync = lock.shadow.in_sync;
  return h;
}

HubHealth Health::hub_health(const HubRecord& hub) const {
  HubHealth h;
  h.site = hub.info.site;
  h.hub = hub.info.id;
  h.reachability = hub.reachability;
  h.last_seen = hub.last_seen;
  if (hub.links) {
    for (const protocol::HubLink& l : hub.links->links)
      h.links.push_back({std::string(l.lock.view()), l.up, l.rssi});
  }
  return h;
}

Result<std::vector<BatterySample>> Health::battery_history(std::string_view site,
                                                           std::string_view lock, UnixMs from,
                                                           UnixMs until, std::size_t limit) {
  auto record = ctx_.find_lock(site, lock);
  if (!record) return fail(record.error());
  return query_rows(
      ctx_.db,
      "SELECT at, pct, mv FROM device_battery WHERE site = ? AND lock = ? AND at >= ? AND at < ? "
      "ORDER BY at LIMIT ?",
      {std::string(site), std::string(lock), from, until,
       static_cast<std::int64_t>(std::min<std::size_t>(limit, 10'000))},
      [](const store::Row& row) -> Result<BatterySample> {
        RowReader r(row);
        BatterySample s{r.i64(0), static_cast<std::uint8_t>(r.i64(1)),
                        static_cast<std::uint16_t>(r.i64(2))};
        if (!r.ok()) return fail(store_failure(r.error()));
        return s;
      });
}

boost::json::object to_json(const LockHealth& h) {
  boost::json::object o{{"lock", h.lock},
                        {"reachability", to_string(h.reachability)},
                        {"last_seen", h.last_seen},
                        {"flaky", h.flaky},
                        {"offline_transitions_24h", h.offline_transitions_24h},
                        {"desired_version", h.desired_version},
                        {"reported_version", h.reported_version},
                        {"in_sync", h.in_sync}};
  if (!h.offline_reason.empty()) o["offline_reason"] = h.offline_reason;
  if (h.has_state) {
    o["bolt"] = protocol::wire_name(h.bolt);
    o["door"] = protocol::wire_name(h.door);
    o["keypad"] = protocol::wire_name(h.keypad);
    o["battery"] = {{"pct", h.battery_pct}, {"mv", h.battery_mv}};
    o["rssi"] = h.rssi;
    o["firmware"] = h.firmware;
    o["epoch"] = h.epoch;
    o["event_seq"] = h.event_seq;
    o["paired"] = h.paired;
    o["jammed"] = h.jammed;
    o["motor_fault"] = h.motor_fault;
  }
  return o;
}

boost::json::object to_json(const HubHealth& h) {
  boost::json::array links;
  for (const HubLinkHealth& l : h.links)
    links.push_back({{"lock", l.lock}, {"up", l.up}, {"rssi", l.rssi}});
  return {{"hub", h.hub},
          {"reachability", to_string(h.reachability)},
          {"last_seen", h.last_seen},
          {"links", std::move(links)}};
}

}  // namespace server::devices
