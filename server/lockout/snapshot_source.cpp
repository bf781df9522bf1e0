#include "server/lockout/snapshot_source.hpp"

#include <algorithm>
#include <limits>

#include <boost/json/parse.hpp>

#include "protocol/names.hpp"
#include "server/access/records.hpp"
#include "server/access/schedule.hpp"
#include "server/access/time_zone.hpp"
#include "server/lockout/firmware_support.hpp"
#include "server/lockout/physical_keys.hpp"
#include "server/lockout/row_values.hpp"

namespace server::lockout {

namespace {

constexpr UnixMs kMinute = 60'000;
constexpr UnixMs kDay = 24 * 60 * kMinute;
constexpr std::size_t kRecentEvents = 200;

AccountStatus status_of(identity::AccountStatus s) {
  switch (s) {
    case identity::AccountStatus::active:
      return AccountStatus::active;
    case identity::AccountStatus::locked:
      return AccountStatus::locked;
    case identity::AccountStatus::suspended:
      return AccountStatus::suspended;
    case identity::AccountStatus::deleted:
      break;
  }
  return AccountStatus::deleted;
}

Role role_of(access::Role r) {
  return static_cast<Role>(static_cast<std::uint8_t>(r));  // the same six, in the same order
}

bool covers(const access::Membership& m, const std::optional<std::string>& door_unit) {
  return !m.unit || !door_unit || m.unit == door_unit;
}

CodeStatus code_status_of(devices::CredentialStatus s) {
  return static_cast<CodeStatus>(static_cast<std::uint8_t>(s));  // the same five, in order
}

std::optional<bool> inside(const lockcore::WeeklySchedule& schedule, UnixMs now,
                           const std::shared_ptr<const access::TimeZone>& zone) {
  if (schedule.days_mask == 0 || !zone) return std::nullopt;
  return access::schedule_allows(schedule, now, *zone);
}

std::shared_ptr<const access::TimeZone> zone_of(const std::string& name) {
  auto zone = access::TimeZone::locate(name);
  return zone ? *zone : nullptr;
}

}  // namespace

SnapshotSource::SnapshotSource(const Deps& deps) : deps_(deps), policy_(deps.access.deps()) {}

Result<Snapshot> SnapshotSource::take(const Subject& s, const NewCase& report, UnixMs now) {
  auto site = access::find_site(deps_.db, s.site);
  if (!site) return fail(site.error());
  if (!*site) return fail(Error::not_found("no such site"));
  Snapshot out;
  out.now = now;
  for (const std::string& name : report.symptoms)
    if (auto symptom = from_string<Symptom>(name)) out.report.symptoms.add(*symptom);
  PhoneContext& phone = out.report.phone;
  phone.present = report.device || report.signed_in || report.enrolled ||
                  report.bluetooth_allowed || !report.app_version.empty();
  phone.device = report.device.value_or("");
  phone.signed_in = report.signed_in;
  phone.enrolled = report.enrolled;
  phone.bluetooth_allowed = report.bluetooth_allowed;
  phone.app_version = report.app_version;

  if (Status st = fill_lock(s, out); !st) return fail(st.error());
  out.lock.wifi_network_changed = out.lock.link == Link::wifi && report.wifi_changed == true;
  if (!out.lock.firmware.empty())
    out.lock.firmware_compat = firmware_compat_of(out.lock.firmware, report.app_version);
  std::optional<std::string> unit;
  if (auto info = deps_.devices.lock(s.site, s.lock)) unit = info->unit;
  const std::string& tz = (*site)->timezone;
  if (Status st = fill_person(s, report, out); !st) return fail(st.error());
  if (Status st = fill_relation(s, tz, unit, out); !st) return fail(st.error());
  if (Status st = fill_codes(s, tz, out); !st) return fail(st.error());
  if (Status st = fill_site(s, tz, out); !st) return fail(st.error());
  return out;
}

Status SnapshotSource::fill_person(const Subject& s, const NewCase& report, Snapshot& out) {
  Person& p = out.person;
  p.verification = s.verification;
  if (!s.account) {
    // Unknown caller: an active account proven to be nobody; nothing about any account is read.
    p.id = "unknown";
    return {};
  }
  p.id = *s.account;
  auto account = deps_.identity.accounts().find(*s.account);
  if (!account) {
    if (account.error().code != Errc::not_found) return fail(account.error());
    p.account_exists = false;
    return {};
  }
  p.status = status_of(account->status);
  p.mfa_enabled = account->mfa_enabled;
  // No authenticator at hand, and no recovery code: none unused, or none the person has with them.
  if (p.mfa_enabled && report.mfa_available == false) {
    auto left = deps_.identity.mfa().recovery_codes_left(*s.account);
    if (!left) return fail(left.error());
    p.mfa_available = *left > 0 && report.recovery_code_at_hand != false;
  }
  if (s.signed_in) {
    p.session_valid = true;
    if (s.session_device) p.device_enrolled = true;
  } else if (s.reported_signed_out) {
    p.session_valid = false;
  }
  auto key = carries_physical_key(deps_.db, s.site, s.lock, *s.account);
  if (!key) return fail(key.error());
  p.carries_physical_key = *key;
  if (report.device && !p.device_enrolled) {
    auto devices = deps_.identity.devices().list(*s.account);
    if (!devices) return fail(devices.error());
    p.device_enrolled =
        std::any_of(devices->begin(), devices->end(),
                    [&](const identity::Device& d) { return d.id == *report.device; });
  }
  // The throttle's view: failures, and a wait that holds this account's sign-in now.
  auto standing = deps_.identity.throttle().standing(account->email);
  if (!standing) return fail(standing.error());
  constexpr std::int64_t kMaxCount = std::numeric_limits<std::uint16_t>::max();
  p.failed_sign_ins = static_cast<std::uint16_t>(std::min(standing->failures, kMaxCount));
  p.sign_in_held_until = standing->held_until;
  p.sign_in_held_from = std::move(standing->held_source);
  p.sign_in_held_after = static_cast<std::uint16_t>(std::min(standing->held_failures, kMaxCount));
  return {};
}

Result<std::optional<UnixMs>> SnapshotSource::moved_out_at(const std::string& account,
                                                           const std::string& site,
                                                           const std::optional<std::string>& unit) {
  audit::Filter filter;
  filter.site = site;
  filter.type = audit::AuditType::membership_ended;
  filter.limit = kEndedMembershipsRead;
  auto entries = lift(deps_.audit.list(filter));
  if (!entries) return fail(entries.error());
  constexpr std::string_view kPrefix = "membership:";
  for (const audit::Entry& e : *entries) {  // newest first
    boost::system::error_code ec;
    const boost::json::value detail = boost::json::parse(e.record.detail, ec);
    if (ec || !detail.is_object()) continue;
    const boost::json::value* who = detail.as_object().if_contains("account");
    if (!who || !who->is_string() || who->as_string() != account) continue;
    if (!e.record.subject.starts_with(kPrefix)) continue;
    auto m = access::find_membership(deps_.db, site, e.record.subject.substr(kPrefix.size()));
    if (!m) return fail(m.error());
    if (*m && covers(**m, unit)) return std::optional<UnixMs>(e.at);
  }
  return std::optional<UnixMs>();
}

Status SnapshotSource::fill_relation(const Subject& s, const std::string& timezone,
                                     std::optional<std::string> unit, Snapshot& out) {
  Relation& r = out.relation;
  const UnixMs now = out.now;
  if (!s.account) {
    // Unknown caller: what the door alone says, for an ordinary current membership.
    r.role = Role::resident;
    return {};
  }
  auto mine = access::memberships_of(deps_.db, *s.account, s.site);
  if (!mine) return fail(mine.error());
  const access::Membership* best = nullptr;
  auto rank = [&](const access::Membership& m) {
    return (m.counts_at(now) ? 4 : 0) + (m.visible_at(now) ? 2 : 0) +
           (m.role == access::Role::owner || m.role == access::Role::manager ? 1 : 0);
  };
  for (const access::Membership& m : *mine)
    if (covers(m, unit) && m.visible_at(now) && (!best || rank(m) > rank(*best))) best = &m;

  auto transfers = deps_.access.transfers().list_mine(*s.account);
  if (!transfers) return fail(transfers.error());
  for (const access::Transfer& t : *transfers) {
    if (t.site == s.site && t.to_account == *s.account &&
        t.status == access::TransferStatus::pending && now < t.expires) {
      r.transfer_pending_to_person = true;
      r.transfer_started_at = t.created;
    }
  }

  if (!best) {
    r.door_in_account = false;
    // A window that has passed: the membership is still listed, no longer visible.
    const access::Membership* lapsed = nullptr;
    for (const access::Membership& m : *mine)
      if (covers(m, unit) && m.valid_until && now >= *m.valid_until &&
          (!lapsed || *m.valid_until > *lapsed->valid_until))
        lapsed = &m;
    if (lapsed) {
      r.role = role_of(lapsed->role);
      r.window = Validity::ended;
      r.window_edge = *lapsed->valid_until;
      return {};
    }
    // An ended membership (a move-out) is not listed: it shows in the audit trail, whose subject
    // is the membership and whose detail names the account.
    auto ended = moved_out_at(*s.account, s.site, unit);
    if (!ended) return fail(ended.error());
    if (*ended) {
      r.role = Role::resident;  // what it was does not matter once it ended
      r.window = Validity::ended;
      r.window_edge = **ended;
      r.moved_out = true;
      r.moved_out_at = **ended;
    }
    return {};
  }
  r.role = role_of(best->role);
  if (best->status == access::MembershipStatus::suspended)
    out.person.status = AccountStatus::suspended;  // suspended at this site: holds nothing here
  if (best->valid_from && now < *best->valid_from) {
    r.window = Validity::not_yet;
    r.window_edge = *best->valid_from;
  } else if (best->valid_until && now >= *best->valid_until) {
    r.window = Validity::ended;
    r.window_edge = *best->valid_until;
  }
  r.inside_schedule = inside(best->schedule, now, zone_of(timezone));
  if (best->role == access::Role::maintenance) {
    maintenance::ListFilter filter;
    filter.target = s.lock;
    auto orders = deps_.maintenance.work_orders().find(s.site, filter);
    if (!orders) return fail(orders.error());
    r.work_order_open =
        std::any_of(orders->begin(), orders->end(), [](const maintenance::WorkOrder& o) {
          return o.status != maintenance::OrderStatus::closed;
        });
  }
  return {};
}

Status SnapshotSource::fill_codes(const Subject& s, const std::string& timezone, Snapshot& out) {
  if (!s.account) return {};
  auto placements = deps_.devices.placements_on(s.site, s.lock);
  if (!placements)
    return placements.error().code == Errc::not_found ? Status{} : fail(placements.error());
  const std::string holder = access::account_ref(*s.account);
  auto zone = zone_of(timezone);
  for (const devices::Placement& p : *placements) {
    if (p.holder != holder || p.kind == lockcore::CredentialKind::backup) continue;
    if (out.codes.size() == out.codes.capacity()) break;
    Code c;
    c.status = code_status_of(p.status);
    c.status_since = p.updated;
    if (p.status == devices::CredentialStatus::failed)
      c.failure = protocol::from_wire_name<lockcore::SlotError>(p.error).value_or(
          lockcore::SlotError::invalid);
    if (p.window.not_before != 0 && out.now < p.window.not_before) {
      c.window = Validity::not_yet;
      c.window_edge = p.window.not_before;
    } else if (p.window.not_after != 0 && out.now >= p.window.not_after) {
      c.window = Validity::ended;
      c.window_edge = p.window.not_after;
    }
    c.inside_schedule = inside(p.schedule, out.now, zone);
    if (!out.codes.push_back(c)) break;
  }
  return {};
}

Status SnapshotSource::fill_lock(const Subject& s, Snapshot& out) {
  LockFacts& l = out.lock;
  l.id = s.lock;
  auto info = deps_.devices.lock(s.site, s.lock);
  if (!info) {
    if (info.error().code != Errc::not_found) return fail(info.error());
    l.exists = false;
    return {};
  }
  l.link = info->link == devices::kWifi     ? Link::wifi
           : info->link == devices::kNoLink ? Link::none
                                            : Link::hub;
  if (l.link == Link::hub) l.hub_id = info->link;
  l.has_bluetooth = info->bluetooth;
  l.paired = info->paired;
  l.epoch_changed = info->needs_reenroll;
  auto health = deps_.devices.health(s.site, s.lock);
  if (!health) return fail(health.error());
  const UnixMs now = out.now;
  l.online = health->reachability == devices::Reachability::online;
  l.last_seen = health->last_seen;
  if (health->has_state) {
    l.battery_pct = health->battery_pct;
    l.bolt = health->jammed ? lockcore::BoltState::jammed : health->bolt;
    l.keypad = health->keypad;
    l.motor_fault = health->motor_fault;
    l.firmware = health->firmware;
  }
  if (!info->keypad) l.keypad = lockcore::KeypadState::absent;
  l.shadow_in_sync = health->in_sync || health->desired_version == 0;
  if (!l.shadow_in_sync) l.shadow_out_of_sync_since = now;  // how long is not recorded: the least
  if (l.link == Link::hub) {
    auto hub = deps_.devices.hub_health(s.site, l.hub_id);
    if (hub) {
      l.hub_online = hub->reachability != devices::Reachability::offline;
      l.hub_last_seen = hub->last_seen;
    }
  }
  // The backup pool: a code on the lock not yet handed out.
  auto placements = deps_.devices.placements_on(s.site, s.lock);
  if (!placements) return fail(placements.error());
  l.backup_pool_available =
      std::any_of(placements->begin(), placements->end(), [](const devices::Placement& p) {
        return p.kind == lockcore::CredentialKind::backup &&
               p.status == devices::CredentialStatus::set && !p.issued;
      });
  // Recent events: jams in 7 days, wrong codes in 30 minutes, the last limit and reset.
  const std::uint32_t seq = health->event_seq;
  auto events = deps_.devices.events(s.site, s.lock, seq > kRecentEvents ? seq - kRecentEvents : 0,
                                     kRecentEvents);
  if (!events) return fail(events.error());
  UnixMs depleted_at = 0;  // the lock's battery_depleted: the last thing it says before going dark
  UnixMs last_event_at = 0;
  for (const devices::StoredEvent& stored : *events) {
    const lockcore::Event& e = stored.event;
    last_event_at = std::max(last_event_at, e.ts);
    switch (e.type) {
      case lockcore::EventType::battery_depleted:
        depleted_at = std::max(depleted_at, e.ts);
        break;
      case lockcore::EventType::jammed:
        if (e.ts >= now - 7 * kDay) ++l.jams_last_7d;
        l.last_jam_at = std::max(l.last_jam_at, e.ts);
        break;
      case lockcore::EventType::unlock_denied:
        if (e.reason == lockcore::DenyReason::wrong_code && e.ts >= now - 30 * kMinute) {
          ++l.wrong_codes_recent;
          l.last_wrong_code_at = std::max(l.last_wrong_code_at, e.ts);
        }
        break;
      case lockcore::EventType::wrong_code_limit:
        l.last_wrong_code_limit_at = e.ts;
        l.keypad_disabled_until = e.ts + static_cast<UnixMs>(e.value) * 1000;
        break;
      case lockcore::EventType::factory_reset:
        l.factory_reset_at = e.ts;
        break;
      default:
        break;
    }
  }
  // Silent since its last word was "battery empty": the battery is empty, whatever the last state
  // report (sent before) said. Heard from again, it has power.
  if (depleted_at != 0 && !l.online && depleted_at >= last_event_at) l.battery_pct = 0;
  if (l.keypad == lockcore::KeypadState::disabled && l.keypad_disabled_until <= now)
    l.keypad_disabled_until = now + kMinute;  // disabled, and no event says until when
  return {};
}

Status SnapshotSource::fill_site(const Subject& s, const std::string& timezone, Snapshot& out) {
  Site& site = out.site;
  site.id = s.site;
  if (auto zone = zone_of(timezone))
    site.utc_offset_min = static_cast<std::int16_t>(zone->offset_at(out.now) / 60);
  auto admins = this->admins(s.site, s.account.value_or(""), out.now);
  if (!admins) return fail(admins.error());
  site.admin_reachable = !admins->empty();
  for (const access::AccountInfo& a : *admins) {
    auto may = may_operate(a.id, s.site, s.lock, out.now);
    if (!may) return fail(may.error());
    if (*may) {
      site.manager_can_unlock = true;
      break;
    }
  }
  return {};
}

Result<bool> SnapshotSource::may_operate(std::string_view account, std::string_view site,
                                         std::string_view lock, UnixMs now) {
  auto decision = policy_.decide(account, access::Action::operate_lock,
                                 {std::string(site), std::nullopt, std::string(lock)}, now);
  if (!decision) return fail(decision.error());
  return decision->allowed();
}

Result<std::vector<access::AccountInfo>> SnapshotSource::admins(std::string_view site,
                                                                std::string_view except,
                                                                UnixMs now) {
  auto all =
      deps_.access.memberships().holders(site, {access::Role::owner, access::Role::manager}, now);
  if (!all) return fail(all.error());
  std::erase_if(*all, [&](const access::AccountInfo& a) { return a.id == except; });
  return std::move(*all);
}

}  // namespace server::lockout
