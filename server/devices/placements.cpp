#include "server/devices/placements.hpp"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "protocol/names.hpp"
#include "server/devices/health.hpp"
#include "server/devices/row_reader.hpp"
#include "server/devices/shadows.hpp"

namespace server::devices {

namespace {

Error not_on_lock(std::string_view credential, std::string_view lock) {
  return Error::not_found("credential " + std::string(credential) + " is not on lock " +
                          std::string(lock));
}

constexpr std::string_view kColumns =
    "site, lock, credential, slot, kind, days_mask, start_min, end_min, not_before, not_after, "
    "max_uses, holder, status, error, issued_at, updated";

bool is_valid_credential_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

bool same_content(const PlacementRecord& p, const PinPlacement& spec) {
  return p.pin == spec.pin && p.kind == spec.kind && p.schedule == spec.schedule &&
         p.window == spec.window && p.max_uses == spec.max_uses && p.holder == spec.holder;
}

Result<Placement> placement_from(const store::Row& row) {
  RowReader r(row);
  Placement p;
  p.site = r.text(0);
  p.lock = r.text(1);
  p.credential = r.text(2);
  p.slot = static_cast<std::uint16_t>(r.i64(3));
  const std::string kind = r.text(4);
  p.schedule.days_mask = static_cast<std::uint8_t>(r.i64(5));
  p.schedule.start_min = static_cast<std::uint16_t>(r.i64(6));
  p.schedule.end_min = static_cast<std::uint16_t>(r.i64(7));
  p.window = {r.i64(8), r.i64(9)};
  p.max_uses = static_cast<std::uint16_t>(r.i64(10));
  p.holder = r.text(11);
  const std::string status = r.text(12);
  p.error = r.text(13);
  p.issued = r.i64(14) != 0;
  p.updated = r.i64(15);
  if (!r.ok()) return fail(store_failure(r.error()));
  p.kind = protocol::from_wire_name<lockcore::CredentialKind>(kind).value_or(
      lockcore::CredentialKind::pin);
  p.status = credential_status_from(status).value_or(CredentialStatus::pending);
  return p;
}

std::size_t& count_of(FanoutProgress& p, CredentialStatus status) {
  switch (status) {
    case CredentialStatus::pending:
      return p.pending;
    case CredentialStatus::set:
      return p.set;
    case CredentialStatus::failed:
      return p.failed;
    case CredentialStatus::removing:
      return p.removing;
    case CredentialStatus::removed:
      break;
  }
  return p.removed;
}

std::string tally_key(std::string_view site, std::string_view credential) {
  std::string key(site);
  key.push_back('\0');
  key.append(credential);
  return key;
}

audit::AuditType audit_type_of(CredentialStatus status) {
  switch (status) {
    case CredentialStatus::set:
      return audit::AuditType::credential_set;
    case CredentialStatus::failed:
      return audit::AuditType::credential_failed;
    default:
      return audit::AuditType::credential_removed;
  }
}

}  // namespace

// ---- checks ---------------------------------------------------------------------------------

Status check_placement(const LockRecord& lock, const PinPlacement& spec, UnixMs now) {
  if (!is_valid_credential_id(spec.credential)) {
    return fail(Error::invalid_field("credential", "must be 1–64 characters of A-Z a-z 0-9 . _ -"));
  }
  if (!lock.info.keypad) return fail(Error::conflict("lock " + lock.info.id + " has no keypad"));
  lockcore::Pin pin;
  if (!lockcore::Pin::parse(spec.pin, pin)) {
    return fail(Error::invalid_field("pin", "must be 4–8 digits"));
  }
  if (spec.pin.size() < lock.info.pin_min || spec.pin.size() > lock.info.pin_max) {
    return fail(Error::invalid_field("pin", "must be " + std::to_string(lock.info.pin_min) + "–" +
                                                std::to_string(lock.info.pin_max) +
                                                " digits on lock " + lock.info.id));
  }
  const lockcore::WeeklySchedule& s = spec.schedule;
  const bool no_schedule = s.days_mask == 0 && s.start_min == 0 && s.end_min == 0;
  if (!no_schedule &&
      (s.days_mask == 0 || s.days_mask > 0x7f || s.start_min >= s.end_min || s.end_min > 1440)) {
    return fail(Error::invalid_field(
        "schedule", "must name at least one day and a start before its end, within 00:00–24:00"));
  }
  const lockcore::Window& w = spec.window;
  if (w.not_before < 0 || w.not_after < 0 ||
      (w.not_before != 0 && w.not_after != 0 && w.not_before >= w.not_after)) {
    return fail(Error::invalid_field("window", "must start before it ends"));
  }
  if (w.not_after != 0 && w.not_after <= now) {
    return fail(Error::invalid_field("window", "has already ended"));
  }
  if (spec.holder.size() > 200) {
    return fail(Error::invalid_field("holder", "must be at most 200 characters"));
  }
  return {};
}

Result<std::optional<PlacementRecord>> Placements::prepare(
    const LockRecord& lock, const PinPlacement& spec, const std::vector<PlacementRecord>& also) {
  if (Status s = check_placement(lock, spec, ctx_.now()); !s) return fail(s.error());
  auto existing = lock.placements.find(spec.credential);
  if (existing != lock.placements.end() && existing->second.wanted) {
    if (same_content(existing->second, spec)) return std::optional<PlacementRecord>();
    return fail(Error(Errc::conflict,
                      "credential " + spec.credential + " is already on lock " + lock.info.id +
                          " with other content; withdraw it first",
                      "credential"));
  }
  auto duplicate = [&](const PlacementRecord& p) {
    return p.wanted && p.credential != spec.credential && p.pin == spec.pin;
  };
  if (std::any_of(lock.placements.begin(), lock.placements.end(),
                  [&](const auto& entry) { return duplicate(entry.second); }) ||
      std::any_of(also.begin(), also.end(), duplicate)) {
    return fail(Error(Errc::conflict,
                      "another active code on lock " + lock.info.id + " has the same PIN", "pin"));
  }
  PlacementRecord p;
  p.credential = spec.credential;
  if (existing != lock.placements.end() && existing->second.holds_slot) {
    p.slot = existing->second.slot;  // a withdrawn code placed again keeps its slot
  } else {
    std::vector<bool> taken(lock.info.slots + 1, false);
    for (const auto& [id, held] : lock.placements) {
      if (held.holds_slot && held.slot <= lock.info.slots) taken[held.slot] = true;
    }
    for (const PlacementRecord& held : also) {
      if (held.slot <= lock.info.slots) taken[held.slot] = true;
    }
    auto free = std::find(taken.begin() + 1, taken.end(), false);
    if (free == taken.end()) {
      return fail(Error(Errc::conflict,
                        "lock " + lock.info.id + " has no free slot (" +
                            std::to_string(lock.info.slots) + " in use)",
                        "slot"));
    }
    p.slot = static_cast<std::uint16_t>(free - taken.begin());
  }
  p.holds_slot = true;
  p.kind = spec.kind;
  p.pin = spec.pin;
  p.schedule = spec.schedule;
  p.window = spec.window;
  p.max_uses = spec.max_uses;
  p.holder = spec.holder;
  p.wanted = true;
  p.status = CredentialStatus::pending;
  p.updated = ctx_.now();
  return std::optional<PlacementRecord>(std::move(p));
}

// ---- writing --------------------------------------------------------------------------------

Status Placements::write_upsert(const LockRecord& lock, const PlacementRecord& p) {
  auto written = ctx_.db.execute(
      "INSERT INTO device_placements (site, lock, credential, slot, active_slot, kind, pin, "
      "days_mask, start_min, end_min, not_before, not_after, max_uses, holder, wanted, status, "
      "error, issued_at, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, "
      "'pending', '', 0, ?, ?) ON CONFLICT (site, lock, credential) DO UPDATE SET "
      "slot = excluded.slot, active_slot = excluded.active_slot, kind = excluded.kind, "
      "pin = excluded.pin, days_mask = excluded.days_mask, start_min = excluded.start_min, "
      "end_min = excluded.end_min, not_before = excluded.not_before, "
      "not_after = excluded.not_after, max_uses = excluded.max_uses, holder = excluded.holder, "
      "wanted = 1, status = 'pending', error = '', issued_at = 0, updated = excluded.updated",
      {lock.info.site, lock.info.id, p.credential, std::int64_t{p.slot}, std::int64_t{p.slot},
       std::string(protocol::wire_name(p.kind)), p.pin, std::int64_t{p.schedule.days_mask},
       std::int64_t{p.schedule.start_min}, std::int64_t{p.schedule.end_min}, p.window.not_before,
       p.window.not_after, std::int64_t{p.max_uses}, p.holder, p.updated, p.updated});
  if (!written) return fail(store_failure(written.error()));
  return {};
}

Status Placements::write_status(const LockRecord& lock, const PlacementRecord& p,
                                CredentialStatus status, const std::string& error) {
  // A removed code holds no slot. (Set in place: copying a variant that may hold a string trips
  // GCC 12's -Wmaybe-uninitialized at -O3.)
  store::Params params{std::string(to_string(status)),
                       error,
                       store::null,
                       ctx_.now(),
                       lock.info.site,
                       lock.info.id,
                       p.credential};
  if (status != CredentialStatus::removed) params[2] = std::int64_t{p.slot};
  auto updated = ctx_.db.execute(
      "UPDATE device_placements SET status = ?, error = ?, active_slot = ?, updated = ? "
      "WHERE site = ? AND lock = ? AND credential = ?",
      params);
  if (!updated) return fail(store_failure(updated.error()));
  if (status == CredentialStatus::pending || status == CredentialStatus::removing) return {};
  boost::json::object detail{
      {"credential", p.credential}, {"slot", p.slot}, {"kind", protocol::wire_name(p.kind)}};
  if (!p.holder.empty()) detail["holder"] = p.holder;
  if (!error.empty()) detail["error"] = error;
  return ctx_.audit_entry(audit_type_of(status), lock_subject(lock.info.id), lock.info.site,
                          lock_subject(lock.info.id), detail);
}

Status Placements::write(std::vector<Plan>& plans) {
  std::vector<LockRecord*> bumped;
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    for (Plan& plan : plans) {
      LockRecord& lock = *plan.lock;
      for (const PlacementRecord& p : plan.upserts) {
        if (Status s = write_upsert(lock, p); !s) return s;
      }
      for (const std::string& id : plan.withdrawals) {
        auto updated = ctx_.db.execute(
            "UPDATE device_placements SET wanted = 0, status = 'removing', error = '', "
            "updated = ? WHERE site = ? AND lock = ? AND credential = ?",
            {ctx_.now(), lock.info.site, lock.info.id, id});
        if (!updated) return fail(store_failure(updated.error()));
      }
      for (const std::string& id : plan.removals) {
        if (Status s = write_status(lock, lock.placements.at(id), CredentialStatus::removed, "");
            !s) {
          return s;
        }
      }
      if (plan.rotate_pending) {
        auto updated = ctx_.db.execute(
            "UPDATE device_locks SET backup_rotate_pending = ? WHERE site = ? AND lock = ?",
            {std::int64_t{*plan.rotate_pending ? 1 : 0}, lock.info.site, lock.info.id});
        if (!updated) return fail(store_failure(updated.error()));
      }
      if (!plan.upserts.empty() || !plan.withdrawals.empty()) bumped.push_back(&lock);
    }
    return ctx_.shadows->write_next_version(bumped);
  });
  if (!written) return written;

  std::vector<std::string> touched;
  std::string site;
  for (Plan& plan : plans) {
    LockRecord& lock = *plan.lock;
    site = lock.info.site;
    for (PlacementRecord& p : plan.upserts) {
      touched.push_back(p.credential);
      auto before = lock.placements.find(p.credential);
      tally(site, p.credential,
            before != lock.placements.end() ? std::optional(before->second.status) : std::nullopt,
            CredentialStatus::pending);
      std::string id = p.credential;
      PlacementRecord& stored =
          lock.placements.insert_or_assign(std::move(id), std::move(p)).first->second;
      announce(lock, stored);
    }
    for (const std::string& id : plan.withdrawals) {
      PlacementRecord& p = lock.placements.at(id);
      tally(site, id, p.status, CredentialStatus::removing);
      p.wanted = false;
      p.status = CredentialStatus::removing;
      p.error.clear();
      p.updated = ctx_.now();
      touched.push_back(id);
      announce(lock, p);
    }
    for (const std::string& id : plan.removals) {
      PlacementRecord p = std::move(lock.placements.at(id));
      lock.placements.erase(id);
      tally(site, id, p.status, CredentialStatus::removed);
      p.status = CredentialStatus::removed;
      p.holds_slot = false;
      touched.push_back(id);
      announce(lock, p);
    }
    if (plan.rotate_pending) lock.backup_rotate_pending = *plan.rotate_pending;
  }
  ctx_.shadows->publish_next(bumped);
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  if (!site.empty()) announce_progress(site, touched);
  return {};
}

Status Placements::write_changes(const std::vector<PlacementChange>& changes) {
  for (const PlacementChange& c : changes) {
    if (Status s = write_status(*c.lock, c.lock->placements.at(c.credential), c.status, c.error);
        !s) {
      return s;
    }
  }
  return {};
}

void Placements::changes_written(std::vector<PlacementChange>& changes) {
  std::map<std::string, std::vector<std::string>> touched;  // site -> credentials
  for (const PlacementChange& c : changes) {
    LockRecord& lock = *c.lock;
    auto it = lock.placements.find(c.credential);
    PlacementRecord& p = it->second;
    tally(lock.info.site, c.credential, p.status, c.status);
    p.status = c.status;
    p.error = c.error;
    p.updated = ctx_.now();
    touched[lock.info.site].push_back(c.credential);
    if (c.status == CredentialStatus::removed) {
      p.holds_slot = false;
      announce(lock, p);
      lock.placements.erase(it);
    } else {
      announce(lock, p);
    }
  }
  for (auto& [site, credentials] : touched) {
    std::sort(credentials.begin(), credentials.end());
    credentials.erase(std::unique(credentials.begin(), credentials.end()), credentials.end());
    announce_progress(site, credentials);
  }
}

Status Placements::write_wiped(const LockRecord& lock) {
  for (const auto& [id, p] : lock.placements) {
    if (p.wanted) {
      if (p.status == CredentialStatus::pending) continue;
      if (Status s = write_status(lock, p, CredentialStatus::pending, ""); !s) return s;
    } else if (Status s = write_status(lock, p, CredentialStatus::removed, ""); !s) {
      return s;
    }
  }
  return {};
}

void Placements::mark_wiped(LockRecord& lock) {
  std::vector<std::string> touched;
  for (auto it = lock.placements.begin(); it != lock.placements.end();) {
    PlacementRecord& p = it->second;
    touched.push_back(p.credential);
    tally(lock.info.site, p.credential, p.status,
          p.wanted ? CredentialStatus::pending : CredentialStatus::removed);
    if (p.wanted) {
      p.status = CredentialStatus::pending;
      p.error.clear();
      p.updated = ctx_.now();
      announce(lock, p);
      ++it;
    } else {
      p.status = CredentialStatus::removed;
      p.holds_slot = false;
      announce(lock, p);
      it = lock.placements.erase(it);
    }
  }
  announce_progress(lock.info.site, touched);
}

void Placements::announce(const LockRecord& lock, const PlacementRecord& p) {
  if (ctx_.live.subscribers() == 0) return;
  ctx_.publish_live(lock.info.site, "credential", to_json(to_placement(lock, p)));
}

void Placements::announce_progress(std::string_view site,
                                   const std::vector<std::string>& credentials) {
  if (ctx_.live.subscribers() == 0) return;
  for (const std::string& credential : credentials) {
    auto p = progress(site, credential);
    if (!p) continue;
    ctx_.publish_live(site, "fanout",
                      {{"credential", credential},
                       {"locks", p->locks},
                       {"pending", p->pending},
                       {"set", p->set},
                       {"failed", p->failed},
                       {"removing", p->removing},
                       {"removed", p->removed}});
  }
}

// ---- placing and withdrawing ----------------------------------------------------------------

Result<Placement> Placements::place(std::string_view site, std::string_view lock,
                                    const PinPlacement& spec) {
  std::vector<std::string> locks{std::string(lock)};
  auto outcomes = place_many(site, locks, spec);
  if (!outcomes) return fail(outcomes.error());
  PlaceOutcome& outcome = (*outcomes)[0];
  if (outcome.error) return fail(*outcome.error);
  return std::move(*outcome.placement);
}

Result<std::vector<PlaceOutcome>> Placements::place_many(std::string_view site,
                                                         std::span<const std::string> locks,
                                                         const PinPlacement& spec) {
  if (spec.kind != lockcore::CredentialKind::pin) {
    return fail(Error::invalid_field("kind", "must be \"pin\": backup codes come from the pool"));
  }
  std::vector<PlaceOutcome> outcomes(locks.size());
  std::vector<Plan> plans;
  std::vector<std::size_t> planned;  // outcome index of each plan
  std::set<LockRecord*> seen;
  for (std::size_t i = 0; i < locks.size(); ++i) {
    outcomes[i].lock = locks[i];
    auto found = ctx_.find_lock(site, locks[i]);
    if (!found) {
      outcomes[i].error = found.error();
      continue;
    }
    LockRecord& lock = **found;
    if (!seen.insert(&lock).second) {
      outcomes[i].error = Error::invalid_field("locks", "lists lock " + locks[i] + " twice");
      continue;
    }
    auto prepared = prepare(lock, spec, {});
    if (!prepared) {
      outcomes[i].error = prepared.error();
      continue;
    }
    if (!*prepared) {
      outcomes[i].placement = to_placement(lock, lock.placements.at(spec.credential));
      continue;
    }
    Plan plan;
    plan.lock = &lock;
    plan.upserts.push_back(std::move(**prepared));
    plans.push_back(std::move(plan));
    planned.push_back(i);
  }
  if (!plans.empty()) {
    if (Status s = write(plans); !s) return fail(s.error());
  }
  for (std::size_t k = 0; k < plans.size(); ++k) {
    LockRecord& lock = *plans[k].lock;
    outcomes[planned[k]].placement = to_placement(lock, lock.placements.at(spec.credential));
  }
  return outcomes;
}

Status Placements::resend(std::string_view site, std::string_view lock,
                          std::string_view credential) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) return fail(found.error());
  const auto it = (*found)->placements.find(credential);
  const bool wanted = it != (*found)->placements.end() && it->second.wanted;
  if (!wanted) return fail(not_on_lock(credential, lock));
  if (it->second.status == CredentialStatus::set) return {};
  Plan plan;
  plan.lock = *found;
  PlacementRecord again = it->second;
  again.status = CredentialStatus::pending;
  again.error.clear();
  again.updated = ctx_.now();
  plan.upserts.push_back(std::move(again));
  std::vector<Plan> plans{std::move(plan)};
  return write(plans);
}

Status Placements::withdraw(std::string_view site, std::string_view lock,
                            std::string_view credential) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) return fail(found.error());
  LockRecord& record = **found;
  auto it = record.placements.find(credential);
  if (it == record.placements.end()) return fail(not_on_lock(credential, lock));
  if (!it->second.wanted) return {};  // already being removed
  std::vector<Plan> plans{withdrawal(record, credential)};
  return write(plans);
}

Placements::Plan Placements::withdrawal(LockRecord& lock, std::string_view credential) const {
  Plan plan;
  plan.lock = &lock;
  // A lock that was never paired, or was wiped, does not hold it: removed at once.
  if (!lock.info.paired || lock.info.needs_reenroll) {
    plan.removals.emplace_back(credential);
  } else {
    plan.withdrawals.emplace_back(credential);
  }
  return plan;
}

Result<std::size_t> Placements::withdraw_everywhere(std::string_view site,
                                                    std::string_view credential) {
  std::vector<Plan> plans;
  for (LockRecord* lock : ctx_.model.locks_of(site)) {
    auto it = lock->placements.find(credential);
    if (it == lock->placements.end() || !it->second.wanted) continue;
    plans.push_back(withdrawal(*lock, credential));
  }
  if (plans.empty()) return std::size_t{0};
  if (Status s = write(plans); !s) return fail(s.error());
  return plans.size();
}

// ---- queries --------------------------------------------------------------------------------

const PlacementRecord* Placements::at_slot(const LockRecord& lock, std::uint16_t slot) const {
  for (const auto& [id, p] : lock.placements) {
    if (p.holds_slot && p.slot == slot) return &p;
  }
  return nullptr;
}

Result<Placement> Placements::placement(std::string_view site, std::string_view lock,
                                        std::string_view credential) {
  auto rows = ctx_.db.query("SELECT " + std::string(kColumns) +
                                " FROM device_placements WHERE site = ? AND lock = ? AND "
                                "credential = ?",
                            {std::string(site), std::string(lock), std::string(credential)});
  if (!rows) return fail(store_failure(rows.error()));
  if (rows->empty()) {
    return fail(Error::not_found("credential " + std::string(credential) + " is not on lock " +
                                 std::string(lock)));
  }
  return placement_from((*rows)[0]);
}

Result<std::vector<Placement>> Placements::on_lock(std::string_view site, std::string_view lock) {
  if (auto found = ctx_.find_lock(site, lock); !found) return fail(found.error());
  return query_rows(ctx_.db,
                    "SELECT " + std::string(kColumns) +
                        " FROM device_placements WHERE site = ? AND lock = ? ORDER BY slot, "
                        "credential",
                    {std::string(site), std::string(lock)}, placement_from);
}

Result<std::vector<Placement>> Placements::of_credential(std::string_view site,
                                                         std::string_view credential) {
  return query_rows(ctx_.db,
                    "SELECT " + std::string(kColumns) +
                        " FROM device_placements WHERE site = ? AND credential = ? ORDER BY lock",
                    {std::string(site), std::string(credential)}, placement_from);
}

Result<FanoutProgress> Placements::progress(std::string_view site, std::string_view credential) {
  std::string key = tally_key(site, credential);
  if (auto it = tallies_.find(key); it != tallies_.end()) return it->second;
  auto rows = ctx_.db.query(
      "SELECT status, count(*) FROM device_placements WHERE site = ? AND credential = ? "
      "GROUP BY status",
      {std::string(site), std::string(credential)});
  if (!rows) return fail(store_failure(rows.error()));
  FanoutProgress p;
  for (const store::Row& row : *rows) {
    RowReader r(row);
    const std::string status = r.text(0);
    const auto n = static_cast<std::size_t>(r.i64(1));
    if (!r.ok()) return fail(store_failure(r.error()));
    p.locks += n;
    count_of(p, credential_status_from(status).value_or(CredentialStatus::pending)) += n;
  }
  // A credential on no lock is not kept: nothing would ever remove the entry.
  if (p.locks != 0) tallies_.emplace(std::move(key), p);
  return p;
}

void Placements::tally(std::string_view site, std::string_view credential,
                       std::optional<CredentialStatus> from, CredentialStatus to) {
  auto it = tallies_.find(tally_key(site, credential));
  if (it == tallies_.end()) return;  // not counted yet: progress() counts it when asked
  std::size_t* was = from ? &count_of(it->second, *from) : nullptr;
  if (was == nullptr || *was == 0) {
    tallies_.erase(it);  // a row the model did not know: count again
    return;
  }
  --*was;
  ++count_of(it->second, to);
}

// ---- backup codes ---------------------------------------------------------------------------

Result<std::vector<PlacementRecord>> Placements::backups(const LockRecord& lock,
                                                         std::size_t count) {
  std::vector<PlacementRecord> out;
  for (std::size_t n = 0; n < count; ++n) {
    PinPlacement spec;
    spec.kind = lockcore::CredentialKind::backup;
    std::array<std::uint8_t, 6> id{};
    ctx_.random.fill(id);
    spec.credential = "backup-" + to_hex(id);
    // A PIN of the lock's longest length: the hardest to guess. Drawn again on a collision.
    for (int attempt = 0;; ++attempt) {
      spec.pin.clear();
      for (std::uint8_t d = 0; d < lock.info.pin_max; ++d)
        spec.pin.push_back(static_cast<char>('0' + ctx_.random.uniform(10)));
      auto prepared = prepare(lock, spec, out);
      if (prepared) {
        out.push_back(std::move(**prepared));
        break;
      }
      if (prepared.error().field != "pin" || attempt > 100) return fail(prepared.error());
    }
  }
  return out;
}

Result<std::size_t> Placements::fill_backup_pool(std::string_view site, std::string_view lock) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) return fail(found.error());
  LockRecord& record = **found;
  if (!record.info.keypad)
    return fail(Error::conflict("lock " + record.info.id + " has no keypad"));
  std::size_t available = 0;
  for (const auto& [id, p] : record.placements) {
    if (p.wanted && p.kind == lockcore::CredentialKind::backup && p.issued_at == 0) ++available;
  }
  if (available >= record.info.backup_pool) return std::size_t{0};
  auto fresh = backups(record, record.info.backup_pool - available);
  if (!fresh) return fail(fresh.error());
  const std::size_t added = fresh->size();
  std::vector<Plan> plans(1);
  plans[0].lock = &record;
  plans[0].upserts = std::move(*fresh);
  if (Status s = write(plans); !s) return fail(s.error());
  return added;
}

Result<BackupCode> Placements::take_backup_code(std::string_view site, std::string_view lock,
                                                std::string_view actor) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) return fail(found.error());
  LockRecord& record = **found;
  PlacementRecord* chosen = nullptr;
  for (auto& [id, p] : record.placements) {
    if (p.wanted && p.kind == lockcore::CredentialKind::backup && p.issued_at == 0 &&
        p.status == CredentialStatus::set && (chosen == nullptr || p.slot < chosen->slot)) {
      chosen = &p;
    }
  }
  if (chosen == nullptr) {
    return fail(Error::conflict("no backup code is on lock " + record.info.id + " right now"));
  }
  const UnixMs now = ctx_.now();
  Status written = in_transaction(ctx_.db, [&]() -> Status {
    auto updated = ctx_.db.execute(
        "UPDATE device_placements SET issued_at = ?, updated = ? WHERE site = ? AND lock = ? AND "
        "credential = ?",
        {now, now, record.info.site, record.info.id, chosen->credential});
    if (!updated) return fail(store_failure(updated.error()));
    return ctx_.audit_entry(audit::AuditType::backup_code_issued, std::string(actor),
                            record.info.site, lock_subject(record.info.id),
                            {{"credential", chosen->credential}, {"slot", chosen->slot}});
  });
  if (!written) return fail(written.error());
  chosen->issued_at = now;
  chosen->updated = now;
  return BackupCode{chosen->credential, chosen->slot, chosen->pin};
}

Result<bool> Placements::rotate(LockRecord& lock) {
  Plan plan;
  plan.lock = &lock;
  if (!ctx_.health->online(lock) || !lock.info.paired || lock.info.needs_reenroll) {
    if (lock.backup_rotate_pending) return false;
    plan.rotate_pending = true;
    std::vector<Plan> plans{std::move(plan)};
    if (Status s = write(plans); !s) return fail(s.error());
    return false;
  }
  std::size_t available = 0;
  for (const auto& [id, p] : lock.placements) {
    if (!p.wanted || p.kind != lockcore::CredentialKind::backup) continue;
    if (p.issued_at != 0) {
      plan.withdrawals.push_back(id);
    } else {
      ++available;
    }
  }
  if (available < lock.info.backup_pool) {
    auto fresh = backups(lock, lock.info.backup_pool - available);
    if (!fresh) return fail(fresh.error());
    plan.upserts = std::move(*fresh);
  }
  if (lock.backup_rotate_pending) plan.rotate_pending = false;
  std::vector<Plan> plans{std::move(plan)};
  if (Status s = write(plans); !s) return fail(s.error());
  return true;
}

Result<bool> Placements::rotate_backup_codes(std::string_view site, std::string_view lock) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) return fail(found.error());
  return rotate(**found);
}

void Placements::lock_online(LockRecord& lock) {
  if (!lock.backup_rotate_pending) return;
  if (auto done = rotate(lock); !done) {
    spdlog::error("devices: deferred backup rotation on {} failed: {}", lock.info.id,
                  done.error().message);
  }
}

// ---- conversions ----------------------------------------------------------------------------

Placement to_placement(const LockRecord& lock, const PlacementRecord& p) {
  Placement out;
  out.site = lock.info.site;
  out.lock = lock.info.id;
  out.credential = p.credential;
  out.slot = p.slot;
  out.kind = p.kind;
  out.schedule = p.schedule;
  out.window = p.window;
  out.max_uses = p.max_uses;
  out.holder = p.holder;
  out.status = p.status;
  out.error = p.error;
  out.issued = p.issued_at != 0;
  out.updated = p.updated;
  return out;
}

boost::json::object to_json(const Placement& p) {
  boost::json::object o{{"credential", p.credential},
                        {"lock", p.lock},
                        {"slot", p.slot},
                        {"kind", protocol::wire_name(p.kind)},
                        {"status", to_string(p.status)},
                        {"updated", p.updated}};
  if (!p.error.empty()) o["error"] = p.error;
  if (p.kind == lockcore::CredentialKind::backup) o["issued"] = p.issued;
  return o;
}

}  // namespace server::devices
