#include "server/devices/registry.hpp"

#include <algorithm>

#include "lockcore/signing.hpp"
#include "protocol/messages.hpp"
#include "protocol/names.hpp"
#include "server/devices/health.hpp"
#include "server/devices/row_reader.hpp"
#include "server/devices/shadows.hpp"

namespace server::devices {

namespace {

bool is_valid_name(std::string_view name, std::size_t max) {
  if (name.empty() || name.size() > max) return false;
  return std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Status check_id(std::string_view field, std::string_view id) {
  if (!lockcore::is_valid_id(id)) {
    return fail(Error::invalid_field(field, "must be 1–32 characters of A-Z a-z 0-9 . _ -"));
  }
  return {};
}

LockInfo info_of(const LockRecord& lock) {
  return lock.info;
}

template <class E>
E enum_or(const std::optional<std::string>& name, E fallback) {
  if (!name) return fallback;
  return protocol::from_wire_name<E>(*name).value_or(fallback);
}

}  // namespace

bool is_valid_pairing_code(std::string_view code) {
  if (code.size() < 16 || code.size() > 64) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// ---- loading --------------------------------------------------------------------------------

Status Registry::load() {
  for (auto step : {&Registry::load_sites, &Registry::load_hubs, &Registry::load_locks,
                    &Registry::load_placements, &Registry::load_health}) {
    if (Status s = (this->*step)(); !s) return s;
  }
  return {};
}

Status Registry::load_sites() {
  auto rows =
      ctx_.db.query("SELECT site, public_key, secret_key, utc_offset_min FROM device_sites");
  if (!rows) return fail(store_failure(rows.error()));
  for (const store::Row& row : *rows) {
    RowReader r(row);
    SiteRecord site;
    site.id = r.text(0);
    auto pk = r.bytes<32>(1);
    auto sk = r.bytes<64>(2);
    site.utc_offset_min = static_cast<std::int16_t>(r.i64(3));
    if (!r.ok()) return fail(store_failure(r.error()));
    if (!pk || !sk) return fail(Error(Errc::internal, "device_sites: a key is missing"));
    site.keys.public_key = *pk;
    site.keys.secret_key = *sk;
    ctx_.model.add_site(std::move(site));
  }
  return {};
}

Status Registry::load_hubs() {
  auto rows = ctx_.db.query("SELECT site, hub, name FROM device_hubs");
  if (!rows) return fail(store_failure(rows.error()));
  for (const store::Row& row : *rows) {
    RowReader r(row);
    auto hub = std::make_unique<HubRecord>();
    hub->info = {r.text(0), r.text(1), r.text(2)};
    if (!r.ok()) return fail(store_failure(r.error()));
    ctx_.model.add_hub(std::move(hub));
  }
  return {};
}

Status Registry::load_locks() {
  auto rows = ctx_.db.query(
      "SELECT site, lock, name, unit, link, slots, backup_pool, pin_min, pin_max, keypad, "
      "bluetooth, pairing_code_key, paired, needs_reenroll, epoch, offline_secret, "
      "commissioned_at, shadow_version, wrong_code_limit, wrong_code_disable_s, auto_relock_s, "
      "backup_rotate_pending, events_acked FROM device_locks");
  if (!rows) return fail(store_failure(rows.error()));
  for (const store::Row& row : *rows) {
    RowReader r(row);
    auto lock = std::make_unique<LockRecord>();
    LockInfo& i = lock->info;
    i.site = r.text(0);
    i.id = r.text(1);
    i.name = r.text(2);
    i.unit = r.opt_text(3);
    i.link = r.text(4);
    i.slots = static_cast<std::uint16_t>(r.i64(5));
    i.backup_pool = static_cast<std::uint16_t>(r.i64(6));
    i.pin_min = static_cast<std::uint8_t>(r.i64(7));
    i.pin_max = static_cast<std::uint8_t>(r.i64(8));
    i.keypad = r.i64(9) != 0;
    i.bluetooth = r.i64(10) != 0;
    lock->pairing_code_key = r.bytes<32>(11);
    i.paired = r.i64(12) != 0;
    i.needs_reenroll = r.i64(13) != 0;
    i.epoch = static_cast<std::uint32_t>(r.i64(14));
    if (auto secret = r.bytes<32>(15)) lock->offline_secret = *secret;
    i.commissioned_at = r.i64(16);
    lock->shadow.version = static_cast<std::uint64_t>(r.i64(17));
    lock->wrong_code_limit = static_cast<std::uint8_t>(r.i64(18));
    lock->wrong_code_disable_s = static_cast<std::uint8_t>(r.i64(19));
    lock->auto_relock_s = static_cast<std::uint16_t>(r.i64(20));
    lock->backup_rotate_pending = r.i64(21) != 0;
    lock->events.acked = static_cast<std::uint32_t>(r.i64(22));
    if (!r.ok()) return fail(store_failure(r.error()));
    ctx_.model.add_lock(std::move(lock));
  }
  return {};
}

Status Registry::load_placements() {
  auto rows = ctx_.db.query(
      "SELECT site, lock, credential, slot, active_slot, kind, pin, days_mask, start_min, "
      "end_min, not_before, not_after, max_uses, holder, wanted, status, error, issued_at, "
      "updated FROM device_placements WHERE status <> 'removed'");
  if (!rows) return fail(store_failure(rows.error()));
  for (const store::Row& row : *rows) {
    RowReader r(row);
    const std::string site = r.text(0);
    const std::string lock_id = r.text(1);
    PlacementRecord p;
    p.credential = r.text(2);
    p.slot = static_cast<std::uint16_t>(r.i64(3));
    p.holds_slot = r.opt_i64(4).has_value();
    p.kind = enum_or(r.opt_text(5), lockcore::CredentialKind::pin);
    p.pin = r.text(6);
    p.schedule.days_mask = static_cast<std::uint8_t>(r.i64(7));
    p.schedule.start_min = static_cast<std::uint16_t>(r.i64(8));
    p.schedule.end_min = static_cast<std::uint16_t>(r.i64(9));
    p.window = {r.i64(10), r.i64(11)};
    p.max_uses = static_cast<std::uint16_t>(r.i64(12));
    p.holder = r.text(13);
    p.wanted = r.i64(14) != 0;
    const std::string status = r.text(15);
    p.error = r.text(16);
    p.issued_at = r.i64(17);
    p.updated = r.i64(18);
    if (!r.ok()) return fail(store_failure(r.error()));
    p.status = credential_status_from(status).value_or(CredentialStatus::pending);
    LockRecord* lock = ctx_.model.lock(site, lock_id);
    if (lock == nullptr) continue;  // the foreign key makes this impossible
    std::string credential = p.credential;
    lock->placements.emplace(std::move(credential), std::move(p));
  }
  return {};
}

Status Registry::load_health() {
  auto rows = ctx_.db.query(
      "SELECT site, device, online, last_seen, bolt, door, keypad, battery_pct, battery_mv, rssi, "
      "firmware, epoch, event_seq, paired, motor_fault, pairing_key, reported_version, "
      "reported_digest FROM device_health");
  if (!rows) return fail(store_failure(rows.error()));
  for (const store::Row& row : *rows) {
    RowReader r(row);
    const std::string site = r.text(0);
    const std::string device = r.text(1);
    const auto online = r.opt_i64(2);
    const UnixMs last_seen = r.i64(3);
    const Reachability reach = !online        ? Reachability::unknown
                               : *online != 0 ? Reachability::online
                                              : Reachability::offline;
    if (HubRecord* hub = ctx_.model.hub(site, device)) {
      hub->reachability = reach;
      hub->last_seen = last_seen;
      continue;
    }
    LockRecord* lock = ctx_.model.lock(site, device);
    if (lock == nullptr) continue;
    HealthRecord& h = lock->health;
    h.reachability = reach;
    h.last_seen = last_seen;
    if (auto bolt = r.opt_text(4)) {
      lockcore::StateReport s;
      s.bolt = enum_or(bolt, lockcore::BoltState::unknown);
      s.door = enum_or(r.opt_text(5), lockcore::DoorState::unknown);
      s.keypad = enum_or(r.opt_text(6), lockcore::KeypadState::ok);
      s.battery_pct = static_cast<std::uint8_t>(r.opt_i64(7).value_or(0));
      s.battery_mv = static_cast<std::uint16_t>(r.opt_i64(8).value_or(0));
      s.rssi = static_cast<std::int8_t>(r.opt_i64(9).value_or(0));
      [[maybe_unused]] const bool fits = s.firmware.assign(r.opt_text(10).value_or(""));
      s.epoch = static_cast<std::uint32_t>(r.opt_i64(11).value_or(0));
      s.event_seq = static_cast<std::uint32_t>(r.opt_i64(12).value_or(0));
      s.paired = r.opt_i64(13).value_or(0) != 0;
      s.motor_fault = r.opt_i64(14).value_or(0) != 0;
      if (auto key = r.bytes<32>(15)) s.pairing_key = *key;
      h.state = s;
      h.last_battery_pct = s.battery_pct;
    }
    lock->shadow.reported_version = static_cast<std::uint64_t>(r.i64(16));
    if (auto digest = r.bytes<16>(17)) lock->shadow.reported_digest = *digest;
    if (!r.ok()) return fail(store_failure(r.error()));
  }
  // Offline transitions of the last flaky window, for flakiness.
  const UnixMs since = ctx_.now() - ctx_.options.flaky_window.count();
  auto transitions = ctx_.db.query(
      "SELECT site, device, at FROM device_transitions WHERE online = 0 AND at >= ? ORDER BY at",
      {since});
  if (!transitions) return fail(store_failure(transitions.error()));
  for (const store::Row& row : *transitions) {
    RowReader r(row);
    const std::string site = r.text(0);
    const std::string device = r.text(1);
    const UnixMs at = r.i64(2);
    if (!r.ok()) return fail(store_failure(r.error()));
    if (LockRecord* lock = ctx_.model.lock(site, device)) lock->health.offline_at.push_back(at);
  }
  return {};
}

// ---- sites ----------------------------------------------------------------------------------

Result<std::optional<SiteRecord>> Registry::insert_site_if_missing(std::string_view site) {
  if (Status s = check_id("site", site); !s) return fail(s.error());
  if (ctx_.model.site(site)) return std::optional<SiteRecord>();
  SiteRecord record;
  record.id = std::string(site);
  record.keys = lockcore::make_signing_keypair(ctx_.random);
  auto inserted = ctx_.db.execute(
      "INSERT INTO device_sites (site, public_key, secret_key, utc_offset_min, created) "
      "VALUES (?, ?, ?, 0, ?)",
      {record.id, to_blob(record.keys.public_key), to_blob(record.keys.secret_key), ctx_.now()});
  if (!inserted) return fail(store_failure(inserted.error()));
  return std::optional<SiteRecord>(std::move(record));
}

Result<SiteRecord*> Registry::ensure_site(std::string_view site) {
  auto created = insert_site_if_missing(site);
  if (!created) return fail(created.error());
  if (*created) ctx_.model.add_site(std::move(**created));
  return ctx_.model.site(site);
}

Result<lockcore::PublicKey> Registry::site_key(std::string_view site) {
  auto record = ensure_site(site);
  if (!record) return fail(record.error());
  return (*record)->keys.public_key;
}

Status Registry::set_utc_offset(std::string_view site, int minutes) {
  if (minutes < -840 || minutes > 840) {
    return fail(Error::invalid_field("utc_offset_min", "must be within -840..840 minutes"));
  }
  auto record = ctx_.find_site(site);
  if (!record) return fail(record.error());
  if ((*record)->utc_offset_min == minutes) return {};
  auto updated = ctx_.db.execute("UPDATE device_sites SET utc_offset_min = ? WHERE site = ?",
                                 {std::int64_t{minutes}, std::string(site)});
  if (!updated) return fail(store_failure(updated.error()));
  (*record)->utc_offset_min = static_cast<std::int16_t>(minutes);
  std::vector<LockRecord*> locks = ctx_.model.locks_of(site);
  return ctx_.shadows->changed(locks);
}

// ---- hubs and locks -------------------------------------------------------------------------

Result<HubInfo> Registry::add_hub(const HubSpec& spec, std::string_view actor) {
  if (Status s = check_id("id", spec.id); !s) return fail(s.error());
  if (!is_valid_name(spec.name, 100)) {
    return fail(Error::invalid_field("name", "must be 1–100 characters without control codes"));
  }
  if (Status s = check_id("site", spec.site); !s) return fail(s.error());
  if (ctx_.model.hub(spec.site, spec.id) || ctx_.model.lock(spec.site, spec.id)) {
    return fail(Error::conflict("\"" + spec.id + "\" is already a hub or lock of this site"));
  }
  HubInfo info{spec.site, spec.id, spec.name};
  std::optional<SiteRecord> new_site;
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    auto site = insert_site_if_missing(spec.site);
    if (!site) return fail(site.error());
    new_site = std::move(*site);
    auto inserted =
        ctx_.db.execute("INSERT INTO device_hubs (site, hub, name, created) VALUES (?, ?, ?, ?)",
                        {spec.site, spec.id, spec.name, ctx_.now()});
    if (!inserted) return fail(store_failure(inserted.error()));
    return ctx_.audit_entry(audit::AuditType::hub_registered, std::string(actor), spec.site,
                            hub_subject(spec.id), {{"name", spec.name}});
  });
  if (!written) return fail(written.error());
  if (new_site) ctx_.model.add_site(std::move(*new_site));
  auto hub = std::make_unique<HubRecord>();
  hub->info = info;
  ctx_.model.add_hub(std::move(hub));
  return info;
}

Result<LockInfo> Registry::add_lock(const LockSpec& spec, std::string_view actor) {
  if (Status s = check_id("id", spec.id); !s) return fail(s.error());
  if (!is_valid_name(spec.name, 100)) {
    return fail(Error::invalid_field("name", "must be 1–100 characters without control codes"));
  }
  if (spec.unit && !is_valid_name(*spec.unit, 64)) {
    return fail(Error::invalid_field("unit", "must be 1–64 characters without control codes"));
  }
  if (spec.slots < 1 || spec.slots > lockcore::kMaxPinSlots) {
    return fail(Error::invalid_field("slots", "must be within 1..250"));
  }
  if (spec.backup_pool > 20 || spec.backup_pool >= spec.slots) {
    return fail(Error::invalid_field("backup_pool", "must be within 0..20 and below \"slots\""));
  }
  if (spec.pin_min < 4 || spec.pin_max > 8 || spec.pin_min > spec.pin_max) {
    return fail(
        Error::invalid_field("pin_min", "and \"pin_max\" must satisfy 4 <= min <= max <= 8"));
  }
  if (spec.pairing_code && !is_valid_pairing_code(*spec.pairing_code)) {
    return fail(Error::invalid_field("pairing_code", "must be the 16–64 characters on the label"));
  }
  if (Status s = check_id("site", spec.site); !s) return fail(s.error());
  if (spec.link != kWifi && spec.link != kNoLink) {
    if (!lockcore::is_valid_id(spec.link)) {
      return fail(Error::invalid_field("link", "must be \"wifi\", \"none\" or a hub id"));
    }
    if (!ctx_.model.hub(spec.site, spec.link)) {
      return fail(Error::not_found("no hub \"" + spec.link + "\" at this site"));
    }
    if (ctx_.model.locks_behind(spec.site, spec.link).size() >= protocol::kMaxHubLinks) {
      return fail(Error::conflict("hub \"" + spec.link + "\" already links " +
                                  std::to_string(protocol::kMaxHubLinks) + " locks"));
    }
  }
  if (ctx_.model.hub(spec.site, spec.id) || ctx_.model.lock(spec.site, spec.id)) {
    return fail(Error::conflict("\"" + spec.id + "\" is already a hub or lock of this site"));
  }

  auto lock = std::make_unique<LockRecord>();
  LockInfo& i = lock->info;
  i.site = spec.site;
  i.id = spec.id;
  i.name = spec.name;
  i.unit = spec.unit;
  i.link = spec.link;
  i.slots = spec.slots;
  i.backup_pool = spec.backup_pool;
  i.pin_min = spec.pin_min;
  i.pin_max = spec.pin_max;
  i.keypad = spec.keypad;
  i.bluetooth = spec.bluetooth;
  if (spec.pairing_code) lock->pairing_code_key = lockcore::pairing_code_key(*spec.pairing_code);

  std::optional<SiteRecord> new_site;
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    auto site = insert_site_if_missing(spec.site);
    if (!site) return fail(site.error());
    new_site = std::move(*site);
    store::Value key = lock->pairing_code_key ? store::Value(to_blob(*lock->pairing_code_key))
                                              : store::Value(store::null);
    store::Value unit = i.unit ? store::Value(*i.unit) : store::Value(store::null);
    auto inserted = ctx_.db.execute(
        "INSERT INTO device_locks (site, lock, name, unit, link, slots, backup_pool, pin_min, "
        "pin_max, keypad, bluetooth, pairing_code_key, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {i.site, i.id, i.name, unit, i.link, std::int64_t{i.slots}, std::int64_t{i.backup_pool},
         std::int64_t{i.pin_min}, std::int64_t{i.pin_max}, std::int64_t{i.keypad ? 1 : 0},
         std::int64_t{i.bluetooth ? 1 : 0}, key, ctx_.now()});
    if (!inserted) return fail(store_failure(inserted.error()));
    boost::json::object detail{{"name", i.name}, {"link", i.link}};
    if (i.unit) detail["unit"] = *i.unit;
    return ctx_.audit_entry(audit::AuditType::lock_registered, std::string(actor), i.site,
                            lock_subject(i.id), detail);
  });
  if (!written) return fail(written.error());
  if (new_site) ctx_.model.add_site(std::move(*new_site));
  LockRecord& added = ctx_.model.add_lock(std::move(lock));
  ctx_.health->registered(added);
  return info_of(added);
}

Status Registry::set_pairing_code(std::string_view site, std::string_view lock,
                                  std::string_view code) {
  if (!is_valid_pairing_code(code)) {
    return fail(Error::invalid_field("pairing_code", "must be the 16–64 characters on the label"));
  }
  auto record = ctx_.find_lock(site, lock);
  if (!record) return fail(record.error());
  const lockcore::SymmetricKey key = lockcore::pairing_code_key(code);
  auto updated =
      ctx_.db.execute("UPDATE device_locks SET pairing_code_key = ? WHERE site = ? AND lock = ?",
                      {to_blob(key), std::string(site), std::string(lock)});
  if (!updated) return fail(store_failure(updated.error()));
  (*record)->pairing_code_key = key;
  return {};
}

Result<LockInfo> Registry::lock(std::string_view site, std::string_view lock) {
  auto record = ctx_.find_lock(site, lock);
  if (!record) return fail(record.error());
  return info_of(**record);
}

Result<HubInfo> Registry::hub(std::string_view site, std::string_view hub) {
  HubRecord* record = ctx_.model.hub(site, hub);
  if (record == nullptr) return fail(Error::not_found("no hub \"" + std::string(hub) + "\""));
  return record->info;
}

std::vector<LockInfo> Registry::locks(std::string_view site) const {
  std::vector<LockInfo> out;
  for (const LockRecord* lock : ctx_.model.locks_of(site))
    out.push_back(info_of(*lock));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::vector<HubInfo> Registry::hubs(std::string_view site) const {
  std::vector<HubInfo> out;
  for (const HubRecord* hub : ctx_.model.hubs_of(site))
    out.push_back(hub->info);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Status Registry::save_pairing(const LockRecord& lock) {
  const LockInfo& i = lock.info;
  store::Value key = lock.pairing_code_key ? store::Value(to_blob(*lock.pairing_code_key))
                                           : store::Value(store::null);
  auto updated = ctx_.db.execute(
      "UPDATE device_locks SET paired = ?, needs_reenroll = ?, epoch = ?, offline_secret = ?, "
      "commissioned_at = ?, pairing_code_key = ? WHERE site = ? AND lock = ?",
      {std::int64_t{i.paired ? 1 : 0}, std::int64_t{i.needs_reenroll ? 1 : 0},
       std::int64_t{i.epoch}, to_blob(lock.offline_secret), i.commissioned_at, key, i.site, i.id});
  if (!updated) return fail(store_failure(updated.error()));
  return {};
}

Status Registry::save_shadow_version(const LockRecord& lock) {
  auto updated = ctx_.db.execute(
      "UPDATE device_locks SET shadow_version = ? WHERE site = ? AND lock = ?",
      {static_cast<std::int64_t>(lock.shadow.version), lock.info.site, lock.info.id});
  if (!updated) return fail(store_failure(updated.error()));
  return {};
}

}  // namespace server::devices
