#include "server/codes/codes.hpp"

#include <algorithm>
#include <set>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <sodium.h>

#include "server/access/records.hpp"
#include "server/access/schedule.hpp"
#include "server/store/ids.hpp"
#include "server/store/map_rows.hpp"

namespace server::codes {

namespace {

using access::Action;
using access::lift;
using access::Scope;

constexpr std::string_view kColumns =
    "SELECT id, site, name, kind, holder, created_by, valid_from, valid_until, schedule, "
    "max_uses, created, deleted FROM codes ";

std::optional<UnixMs> optional_int(const store::Row& row, std::size_t i) {
  if (row.is_null(i)) return std::nullopt;
  auto v = row.int64(i);
  if (!v) return std::nullopt;
  return *v;
}

store::Result<Code> read_code(const store::Row& row) {
  Code c;
  std::string* texts[] = {&c.id, &c.site, &c.name};
  for (std::size_t i = 0; i < 3; ++i) {
    auto v = row.text(i);
    if (!v) return lockcore::fail(v.error());
    *texts[i] = std::string(*v);
  }
  auto kind = row.text(3);
  if (!kind) return lockcore::fail(kind.error());
  c.kind = code_kind_from(*kind).value_or(CodeKind::own);
  if (!row.is_null(4)) {
    auto holder = row.text(4);
    if (!holder) return lockcore::fail(holder.error());
    c.holder = std::string(*holder);
  }
  auto by = row.text(5);
  if (!by) return lockcore::fail(by.error());
  c.created_by = std::string(*by);
  c.valid_from = optional_int(row, 6);
  c.valid_until = optional_int(row, 7);
  auto schedule = row.text(8);
  if (!schedule) return lockcore::fail(schedule.error());
  c.schedule = std::string(*schedule);
  auto uses = row.int64(9);
  auto created = row.int64(10);
  if (!uses || !created) return lockcore::fail(!uses ? uses.error() : created.error());
  c.max_uses = static_cast<std::uint16_t>(*uses);
  c.created = *created;
  c.deleted = optional_int(row, 11);
  return c;
}

store::Value optional_value(const std::optional<UnixMs>& t) {
  return t ? store::Value(*t) : store::Value(store::null);
}

bool all_digits(std::string_view pin) {
  return std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A random PIN every named lock accepts: 6 digits, or longer or shorter to fit their limits.
std::string random_pin(const std::vector<devices::LockInfo>& locks) {
  std::size_t length = 6;
  for (const devices::LockInfo& l : locks)
    length = std::max<std::size_t>(length, l.pin_min);
  for (const devices::LockInfo& l : locks)
    length = std::min<std::size_t>(length, l.pin_max);
  std::string pin;
  for (std::size_t i = 0; i < length; ++i)
    pin.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return pin;
}

Status check_spec(const NewCode& spec) {
  if (Status s = access::check_name("name", spec.name); !s) return s;
  if (spec.locks.empty()) return fail(Error::invalid_field("locks", "must name at least one lock"));
  if (spec.locks.size() > kMaxLocksPerCode)
    return fail(Error::invalid_field("locks", "must name at most 500 locks"));
  std::set<std::string_view> seen;
  for (const std::string& lock : spec.locks) {
    if (Status s = access::check_id("locks", lock); !s) return s;
    if (!seen.insert(lock).second)
      return fail(Error::invalid_field("locks", "names lock " + lock + " twice"));
  }
  if (spec.pin && (spec.pin->size() < 4 || spec.pin->size() > 8 || !all_digits(*spec.pin)))
    return fail(Error::invalid_field("pin", "must be 4 to 8 digits"));
  if (spec.valid_from && spec.valid_until && *spec.valid_from >= *spec.valid_until)
    return fail(Error::invalid_field("valid_until", "must be after valid_from"));
  if (spec.kind == CodeKind::guest && !spec.valid_until)
    return fail(Error::missing_field("valid_until"));
  if (spec.kind == CodeKind::staff && !spec.holder) return fail(Error::missing_field("holder"));
  if (spec.kind != CodeKind::staff && spec.holder)
    return fail(Error::invalid_field("holder", "is only for staff codes (own: you; guest: none)"));
  if (!spec.schedule.empty()) {
    auto parsed = access::parse_schedule(spec.schedule);
    if (!parsed) return fail(Error::invalid_field("schedule", parsed.error()));
  }
  return {};
}

}  // namespace

bool keeps_right(const access::Decision& d) {
  using access::Denial;
  return d.denial == Denial::none || d.denial == Denial::outside_window ||
         d.denial == Denial::outside_schedule;
}

bool Codes::may(std::string_view actor, Action action, const Scope& scope) const {
  auto decided = deps_.access.policy().decide(actor, action, scope, deps_.clock.now());
  return decided && decided->allowed();
}

Status Codes::authorize(std::string_view actor, std::string_view site, const NewCode& spec,
                        const std::vector<devices::LockInfo>& locks) {
  const access::Policy& policy = deps_.access.policy();
  const UnixMs now = deps_.clock.now();
  const bool any_code = may(actor, Action::manage_any_code, {std::string(site), {}, {}});
  std::set<std::optional<std::string>> units;
  for (const devices::LockInfo& lock : locks) {
    const Scope scope{std::string(site), {}, lock.id};
    Action needed = Action::manage_own_codes;
    if (spec.kind == CodeKind::guest)
      needed = any_code ? Action::manage_any_code : Action::manage_unit_guest_codes;
    if (spec.kind == CodeKind::staff) needed = Action::manage_any_code;
    if (Status s = policy.check(actor, needed, scope, now); !s) return s;
    if (spec.kind == CodeKind::staff) {
      auto holder = policy.decide(*spec.holder, Action::operate_lock, scope, now);
      if (!holder) return fail(holder.error());
      if (!keeps_right(*holder))
        return fail(Error::invalid_field("holder",
                                         "may not open lock " + lock.id + " (" +
                                             std::string(access::to_string(holder->denial)) + ")"));
    }
    units.insert(lock.unit);
  }
  // A guest code from someone who may not manage any code stays inside what they may grant a guest.
  if (spec.kind == CodeKind::guest && !any_code) {
    for (const std::optional<std::string>& unit : units) {
      if (!unit) continue;  // a common door: covered by the unit membership that allowed it
      if (Status s = policy.check_grant(actor, site, access::Role::guest, unit, spec.valid_from,
                                        spec.valid_until, now);
          !s) {
        return s;
      }
    }
  }
  return {};
}

Result<CreatedCode> Codes::create(std::string_view actor, std::string_view site,
                                  const NewCode& spec) {
  const UnixMs now = deps_.clock.now();
  if (Status s =
          deps_.access.policy().check(actor, Action::view_site, {std::string(site), {}, {}}, now);
      !s) {
    return fail(s.error());
  }
  if (Status s = check_spec(spec); !s) return fail(s.error());
  std::vector<devices::LockInfo> locks;
  for (const std::string& id : spec.locks) {
    auto lock = deps_.devices.lock(site, id);
    if (!lock) return fail(Error::not_found("no lock " + id + " at this site"));
    locks.push_back(std::move(*lock));
  }
  if (Status s = authorize(actor, site, spec, locks); !s) return fail(s.error());
  // The locks' own limits, named before anything is written.
  for (const devices::LockInfo& lock : locks) {
    if (!lock.keypad) return fail(Error::conflict("lock " + lock.id + " has no keypad"));
    if (spec.pin && (spec.pin->size() < lock.pin_min || spec.pin->size() > lock.pin_max))
      return fail(Error::invalid_field("pin", "must be " + std::to_string(lock.pin_min) + " to " +
                                                  std::to_string(lock.pin_max) +
                                                  " digits on lock " + lock.id));
  }
  if (spec.valid_until && *spec.valid_until <= now)
    return fail(Error::invalid_field("valid_until", "must be in the future"));

  Code code;
  code.id = store::new_id("code");
  code.site = std::string(site);
  code.name = spec.name;
  code.kind = spec.kind;
  if (spec.kind == CodeKind::own) code.holder = std::string(actor);
  if (spec.kind == CodeKind::staff) code.holder = spec.holder;
  code.created_by = std::string(actor);
  code.valid_from = spec.valid_from;
  code.valid_until = spec.valid_until;
  if (!spec.schedule.empty())
    code.schedule = access::format_schedule(*access::parse_schedule(spec.schedule));
  code.max_uses = spec.max_uses;
  code.created = now;
  if (Status s = insert(code); !s) return fail(s.error());

  devices::PinPlacement placement;
  placement.credential = code.id;
  if (!code.schedule.empty()) placement.schedule = *access::parse_schedule(code.schedule);
  placement.window = {spec.valid_from.value_or(0), spec.valid_until.value_or(0)};
  placement.max_uses = spec.max_uses;
  placement.holder =
      code.holder ? access::account_ref(*code.holder) : "guest of " + access::account_ref(actor);
  // A PIN the server picks is drawn again when it happens to be another code's on a lock.
  const int attempts = spec.pin ? 1 : 5;
  std::optional<Error> refused;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    placement.pin = spec.pin ? *spec.pin : random_pin(locks);
    auto outcomes = deps_.devices.place_many(site, spec.locks, placement);
    if (!outcomes) {
      refused = outcomes.error();
      break;
    }
    refused.reset();
    for (const devices::PlaceOutcome& o : *outcomes) {
      if (!o.error) continue;
      refused = *o.error;
      refused->message = "lock " + o.lock + ": " + refused->message;
      break;
    }
    if (!refused) break;
    // All or none: what reached the other locks comes off again.
    for (const devices::PlaceOutcome& o : *outcomes) {
      if (o.placement) (void)withdraw(site, o.lock, code.id);
    }
    if (refused->field != "pin") break;
  }
  if (refused) {
    (void)mark_deleted(code, actor);
    return fail(*refused);
  }
  auto placed = deps_.devices.placements_of(site, code.id);
  if (placed) code.locks = std::move(*placed);
  return CreatedCode{std::move(code), placement.pin};
}

Status Codes::insert(const Code& code) {
  auto tx = deps_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto inserted = lift(deps_.db.execute(
      "INSERT INTO codes (id, site, name, kind, holder, created_by, valid_from, valid_until, "
      "schedule, max_uses, created, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
      {code.id, code.site, code.name, std::string(to_string(code.kind)),
       code.holder ? store::Value(*code.holder) : store::Value(store::null), code.created_by,
       optional_value(code.valid_from), optional_value(code.valid_until), code.schedule,
       std::int64_t{code.max_uses}, code.created}));
  if (!inserted) return fail(inserted.error());
  boost::json::object detail{{"code", code.id}, {"kind", to_string(code.kind)}};
  if (code.holder) detail["holder"] = access::account_ref(*code.holder);
  auto appended =
      lift(deps_.audit.append({audit::AuditType::code_created, access::account_ref(code.created_by),
                               code.site, "code:" + code.id, boost::json::serialize(detail)}));
  if (!appended) return fail(appended.error());
  return lift(tx->commit());
}

Status Codes::mark_deleted(const Code& code, std::string_view actor) {
  auto tx = deps_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto changed =
      lift(deps_.db.execute("UPDATE codes SET deleted = ? WHERE id = ? AND deleted IS NULL",
                            {deps_.clock.now(), code.id}));
  if (!changed) return fail(changed.error());
  if (*changed == 0) return {};
  const std::string who = actor == "system" ? std::string(actor) : access::account_ref(actor);
  auto appended = lift(deps_.audit.append(
      {audit::AuditType::code_deleted, who, code.site, "code:" + code.id, "{}"}));
  if (!appended) return fail(appended.error());
  return lift(tx->commit());
}

Status Codes::withdraw(std::string_view site, std::string_view lock, std::string_view credential) {
  auto placement = deps_.devices.placement(site, lock, credential);
  if (!placement) return {};  // not there (any more)
  if (placement->status == devices::CredentialStatus::removing ||
      placement->status == devices::CredentialStatus::removed) {
    return {};
  }
  return deps_.devices.withdraw(site, lock, credential);
}

Result<std::vector<Code>> Codes::load(std::string_view sql, const store::Params& params) {
  auto codes = lift(
      store::map_rows(deps_.db.query(std::string(kColumns) + std::string(sql), params), read_code));
  if (!codes) return fail(codes.error());
  for (Code& c : *codes) {
    auto placed = deps_.devices.placements_of(c.site, c.id);
    if (placed) c.locks = std::move(*placed);
  }
  return codes;
}

Result<std::vector<Code>> Codes::list(std::string_view actor, std::string_view site) {
  const Scope whole{std::string(site), {}, {}};
  if (Status s = deps_.access.policy().check(actor, Action::view_site, whole, deps_.clock.now());
      !s) {
    return fail(s.error());
  }
  if (may(actor, Action::manage_any_code, whole)) {
    return load("WHERE site = ? AND deleted IS NULL ORDER BY created DESC, id",
                {std::string(site)});
  }
  return load(
      "WHERE site = ? AND deleted IS NULL AND (holder = ? OR created_by = ?) "
      "ORDER BY created DESC, id",
      {std::string(site), std::string(actor), std::string(actor)});
}

Result<Code> Codes::visible(std::string_view actor, std::string_view site, std::string_view code) {
  auto found =
      load("WHERE site = ? AND id = ? AND deleted IS NULL", {std::string(site), std::string(code)});
  if (!found) return fail(found.error());
  const Error missing = Error::not_found("no such code");
  if (found->empty()) return fail(missing);
  Code& c = found->front();
  const bool mine = c.holder == actor || c.created_by == actor;
  if (!mine && !may(actor, Action::manage_any_code, {std::string(site), {}, {}}))
    return fail(missing);
  // Its holder or creator must still see the site (a member who left sees nothing).
  if (Status s = deps_.access.policy().check(actor, Action::view_site, {std::string(site), {}, {}},
                                             deps_.clock.now());
      !s) {
    return fail(missing);
  }
  return std::move(c);
}

Result<Code> Codes::get(std::string_view actor, std::string_view site, std::string_view code) {
  return visible(actor, site, code);
}

Status Codes::remove(std::string_view actor, std::string_view site, std::string_view code) {
  auto c = visible(actor, site, code);
  if (!c) return fail(c.error());
  if (Status s = mark_deleted(*c, actor); !s) return s;
  for (const devices::Placement& p : c->locks) {
    if (Status s = withdraw(site, p.lock, c->id); !s) return s;
  }
  return {};
}

Result<devices::FanoutProgress> Codes::progress(std::string_view actor, std::string_view site,
                                                std::string_view code) {
  auto c = visible(actor, site, code);
  if (!c) return fail(c.error());
  return deps_.devices.progress(site, c->id);
}

}  // namespace server::codes
