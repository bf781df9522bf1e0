// Recovery actions that do something. take_action() diagnoses the case again NOW (the person's
// standing, the lock's state) and takes an action only when that plan holds it; act() does it.

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "server/access/records.hpp"
#include "server/identity/mfa.hpp"
#include "server/identity/secret.hpp"
#include "server/lockout/lockout.hpp"

namespace server::lockout {

namespace {

namespace json = boost::json;

std::string detail(json::object o) {
  return json::serialize(o);
}

bool holds(const std::vector<access::AccountInfo>& admins, std::string_view account) {
  return std::any_of(admins.begin(), admins.end(),
                     [&](const access::AccountInfo& a) { return a.id == account; });
}

// Inside the caller's transaction: one email of `kind` to each of `people` (those with an address).
Status tell_each(notify::Outbox& outbox, const std::vector<access::AccountInfo>& people,
                 notify::Kind kind, const std::string& site, const std::string& subject,
                 const std::string& body) {
  for (const access::AccountInfo& a : people) {
    if (a.email.empty()) continue;
    auto queued =
        outbox.enqueue({a.id, notify::Channel::email, a.email, kind, site, subject, body});
    if (!queued) return fail(Error::from_store(queued.error()));
  }
  return {};
}

json::array steps_json(const PlanStep& step) {
  json::array out;
  for (std::string_view s : step.steps)
    out.emplace_back(s);
  return out;
}

// The server reaches the lock now: online, and through its hub when it has one.
bool reachable(const LockFacts& lock) {
  return lock.link != Link::none && lock.online && (lock.link != Link::hub || lock.hub_online);
}

bool is_person(const Caller& caller, const CaseRecord& c) {
  return caller.actor && c.account && caller.actor->account == *c.account;
}

// Before anything is written: an attestation comes from another owner or manager of the site, a
// code is there and of a sane length.
Status proof_shape(const Caller& caller, const std::vector<access::AccountInfo>& admins,
                   const Proof& proof) {
  if (proof.method == VerificationMethod::manager_attestation) {
    if (!holds(admins, caller.actor->account))
      return fail(Error::forbidden("only another owner or manager of the site can attest"));
    return {};
  }
  if (proof.code.empty()) return fail(Error::missing_field("code"));
  if (proof.code.size() > 64) return fail(Error::invalid_field("code", "is too long"));
  return {};
}

std::string minutes_since(UnixMs since, UnixMs now) {
  if (since == 0 || now < since) return "an unknown time";
  return std::to_string((now - since) / 60'000) + " minutes";
}

}  // namespace

Status Lockout::use_proof(const std::string& person, const Proof& proof,
                          std::optional<identity::CodeCheck>& refused) {
  if (proof.method == VerificationMethod::manager_attestation) return {};
  auto check = deps_.identity.mfa().use_code(person, proof.code);
  if (!check) return fail(check.error());
  const bool good = proof.method == VerificationMethod::totp
                        ? *check == identity::CodeCheck::totp
                        : *check == identity::CodeCheck::recovery_code;
  if (good) return {};
  refused = *check == identity::CodeCheck::reused ? identity::CodeCheck::reused
                                                  : identity::CodeCheck::wrong;
  return fail(identity::rejected_code(*refused));
}

boost::asio::awaitable<Result<CaseRecord>> Lockout::verify_identity(
    Caller caller, std::string case_id, std::optional<std::string> account, Proof proof) {
  auto found = visible_case(caller, case_id);
  if (!found) co_return fail(found.error());
  const CaseRecord c = std::move(*found);
  if (c.status == CaseStatus::resolved) co_return fail(Error::conflict("the case is resolved"));
  if (c.account) {
    if (account && *account != *c.account)
      co_return fail(Error::invalid_field("account", "is not the person of this case"));
    // An admin role to restore: that is the plan's own action, with its audit and notices.
    auto snapshot = snapshot_for(c, c.verification);
    if (!snapshot) co_return fail(snapshot.error());
    if (diagnose(*snapshot).step(ActionId::verify_identity_restore_admin))
      co_return co_await take_action(
          std::move(caller), std::move(case_id),
          std::string(to_string(ActionId::verify_identity_restore_admin)), std::move(proof));
  } else {
    // Who called without signing in is known only to staff who know them: an attestation binds
    // the case to that account; a code typed by an unknown caller proves nothing about who called.
    if (!account) co_return fail(Error::missing_field("account"));
    if (proof.method != VerificationMethod::manager_attestation)
      co_return fail(
          Error::forbidden("only an owner or manager who knows the caller can say who "
                           "they are"));
  }
  const std::string person = c.account.value_or(*account);
  const UnixMs now = deps_.scheduler.now();
  auto admins = source_.admins(c.site, person, now);
  if (!admins) co_return fail(admins.error());
  if (Status s = proof_shape(caller, *admins, proof); !s) co_return fail(s.error());
  auto holder = deps_.identity.accounts().find(person);
  if (!holder) co_return fail(holder.error());
  std::optional<identity::CodeCheck> refused;
  auto tx = deps_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  if (Status s = use_proof(person, proof, refused); !s) co_return fail(s.error());
  if (!c.account)
    if (Status s = cases_.set_account(c.id, person); !s) co_return fail(s.error());
  if (Status s = cases_.set_verification(c.id, Verification::identity_checked); !s)
    co_return fail(s.error());
  auto entry = deps_.audit.append({audit::AuditType::identity_verified, caller.audit_name(), c.site,
                                   "account:" + person,
                                   detail({{"case", c.id}, {"method", to_string(proof.method)}})});
  if (!entry) co_return fail(Error::from_store(entry.error()));
  if (Status s = tell_each(deps_.outbox, {access::AccountInfo{person, holder->email, true}},
                           notify::Kind::security_notice, c.site, "Your identity was verified",
                           "Your identity was verified for lockout case " + c.id + " at " + c.site +
                               " (" + std::string(to_string(proof.method)) +
                               "). If this was not you, tell an admin of the site now.");
      !s)
    co_return fail(s.error());
  if (auto done = tx->commit(); !done) co_return fail(Error::from_store(done.error()));
  committed_messages();
  auto after = find(c.id);
  if (!after) co_return fail(after.error());
  if (!*after) co_return fail(Error(Errc::internal, "lockout: the case is gone"));
  co_return std::move(**after);
}

Status Lockout::settle_resyncs(CaseRecord& c) {
  for (CaseAction& a : c.actions) {
    if (a.action != ActionId::resync_code || a.outcome != "pending") continue;
    boost::system::error_code ec;
    const json::value d = json::parse(a.detail, ec);
    if (ec || !d.is_object() || !d.as_object().contains("credentials")) continue;
    bool pending = false, failed = false;
    for (const json::value& id : d.at("credentials").as_array()) {
      auto p = deps_.devices.placement(c.site, c.lock, id.as_string());
      if (p && p->status == devices::CredentialStatus::pending)
        pending = true;
      else if (!p || p->status != devices::CredentialStatus::set)
        failed = true;
    }
    if (pending) continue;
    a.outcome = failed ? "failed" : "done";
    if (Status s = cases_.set_outcome(c.id, a.seq, a.outcome); !s) return s;
  }
  return {};
}

boost::asio::awaitable<Result<CaseRecord>> Lockout::take_action(Caller caller, std::string case_id,
                                                                std::string action_name,
                                                                std::optional<Proof> proof) {
  auto found = visible_case(caller, case_id);
  if (!found) co_return fail(found.error());
  const CaseRecord c = std::move(*found);
  auto action = from_string<ActionId>(action_name);
  if (!action) co_return fail(Error::invalid_field("action", "is not a recovery action id"));
  if (c.status == CaseStatus::resolved) co_return fail(Error::conflict("the case is resolved"));
  if (!c.account)
    co_return fail(Error::forbidden(
        "this case was opened without signing in: sign in, or ask for a backup code"));

  // The person's proven standing: their own session now, or what the case recorded (an identity
  // check), whichever is stronger; for staff acting on the case, what the case recorded.
  Verification verification = c.verification;
  if (is_person(caller, c) && verification_of(caller) == Verification::session &&
      verification == Verification::none)
    verification = Verification::session;
  auto snapshot = snapshot_for(c, verification);
  if (!snapshot) co_return fail(snapshot.error());
  const Diagnosis d = diagnose(*snapshot);
  // A remote unlock goes to a lock the server reaches now, or nowhere: it is never queued.
  if (*action == ActionId::remote_unlock_by_manager && !reachable(snapshot->lock))
    co_return fail(Error(Errc::unavailable, "the lock cannot be reached now: no remote unlock"));
  const PlanStep* step = d.step(*action);
  if (!step) co_return fail(Error::forbidden("that action is not in this case's plan now"));

  auto outcome = co_await act(caller, c, *step, *snapshot, std::move(proof));
  if (!outcome) co_return fail(outcome.error());
  auto after = find(c.id);
  if (!after) co_return fail(after.error());
  if (!*after) co_return fail(Error(Errc::internal, "lockout: the case is gone"));
  co_return std::move(**after);
}

boost::asio::awaitable<Result<std::string>> Lockout::act(const Caller& caller, const CaseRecord& c,
                                                         const PlanStep& step,
                                                         const Snapshot& snapshot,
                                                         std::optional<Proof> proof) {
  const std::string by = caller.actor->audit_name();
  const std::string& person = *c.account;
  const UnixMs now = deps_.scheduler.now();
  // Records the action (and anything `also` writes) in one transaction.
  auto record = [&](const std::string& outcome, const std::string& what,
                    const std::function<Status()>& also = {}) -> Result<std::string> {
    auto tx = deps_.db.begin();
    if (!tx) return fail(Error::from_store(tx.error()));
    if (also)
      if (Status s = also(); !s) return fail(s.error());
    if (Status s = record_action(c, step.action, by, outcome, what); !s) return fail(s.error());
    if (auto done = tx->commit(); !done) return fail(Error::from_store(done.error()));
    committed_messages();
    return outcome;
  };

  switch (step.action) {
    case ActionId::send_backup_code: {
      BackupRequest request{c.site, c.lock, "account", "", c.id};
      auto sent = issue_to(person, request, identity::new_token(), "case");
      if (!sent) co_return fail(sent.error());
      if (!*sent) co_return fail(Error::conflict("no backup code can be sent for this door now"));
      co_return std::string("done");  // issue_to recorded the action with the case
    }

    case ActionId::remote_unlock_by_manager: {
      auto admins = source_.admins(c.site, person, now);
      if (!admins) co_return fail(admins.error());
      if (!holds(*admins, caller.actor->account))
        co_return fail(
            Error::forbidden("only another owner or manager of the site unlocks for them"));
      auto may = source_.may_operate(caller.actor->account, c.site, c.lock, now);
      if (!may) co_return fail(may.error());
      if (!*may) co_return fail(Error::forbidden("your own access does not open this door now"));
      auto unlocked = co_await deps_.devices.unlock(c.site, c.lock, by);
      if (!unlocked) co_return fail(unlocked.error());
      const bool ok = unlocked->status == devices::CommandStatus::succeeded;
      auto recorded = record(ok ? "done" : "failed",
                             detail({{"command", unlocked->id}, {"error", unlocked->error}}));
      if (!recorded) co_return recorded;
      if (!ok)
        co_return fail(Error(Errc::unavailable, "the lock did not unlock: " + unlocked->error));
      if (Status s = resolve(c.id, deps_.scheduler.now(), "unlocked by a manager"); !s)
        co_return fail(s.error());
      co_return recorded;
    }

    case ActionId::restore_hub: {
      // The server cannot reboot a hub it cannot reach: it tells the site's owners and managers
      // what is down and since when, and opens (or reuses) the hub work order.
      auto admins = source_.admins(c.site, person, now);
      if (!admins) co_return fail(admins.error());
      const LockFacts& l = snapshot.lock;
      const bool by_hub = l.link == Link::hub && !l.hub_id.empty();
      const std::string down = by_hub ? "hub " + l.hub_id : "the Wi-Fi link of door " + c.lock;
      const std::string since = minutes_since(by_hub ? l.hub_last_seen : l.last_seen, now);
      maintenance::Opening opening{c.site, by_hub ? l.hub_id : c.lock, maintenance::Kind::hub,
                                   "lockout case " + c.id, std::nullopt};
      co_return open_work_order(
          c, step, by, opening,
          [&]() -> Status {
            return tell_each(deps_.outbox, *admins, notify::Kind::lockout_update, c.site,
                             "A hub is offline",
                             down + " has been offline for " + since + "; door " + c.lock +
                                 " cannot be reached (lockout case " + c.id + ").");
          },
          json::object{{"target", opening.target},
                       {"offline_for", since},
                       {"told", admins->size()},
                       {"steps", steps_json(step)}});
    }

    case ActionId::maintenance_work_order: {
      maintenance::Opening opening{
          c.site, c.lock,
          maintenance::kind_from(to_string(step.work_order.value_or(WorkOrderKind::lock_hardware)))
              .value_or(maintenance::Kind::lock_hardware),
          "lockout case " + c.id, std::nullopt};
      co_return open_work_order(c, step, by, opening, {}, json::object{});
    }

    case ActionId::ask_admin_for_access: {
      auto admins = source_.admins(c.site, person, now);
      if (!admins) co_return fail(admins.error());
      auto account = deps_.identity.accounts().find(person);
      if (!account) co_return fail(account.error());
      co_return record("requested", detail({{"admins", admins->size()}}), [&]() -> Status {
        if (Status s =
                tell_each(deps_.outbox, *admins, notify::Kind::lockout_update, c.site,
                          "Someone needs a decision to get in",
                          account->display_name + " (" + account->email +
                              ") cannot get through door " + c.lock + " (lockout case " + c.id +
                              ") and needs an owner or manager to decide on their "
                              "access. Nothing has been granted.");
            !s)
          return s;
        if (Status s = cases_.escalate(c.id, now); !s) return s;
        auto entry = deps_.audit.append({audit::AuditType::lockout_escalated, by, c.site,
                                         "lock:" + c.lock, detail({{"case", c.id}})});
        if (!entry) return fail(Error::from_store(entry.error()));
        return {};
      });
    }

    case ActionId::enroll_device: {
      // Enrolling is identity's (POST /api/v1/me/devices), by the person's own session with
      // the second factor the account needs.
      if (!is_person(caller, c))
        co_return fail(Error::forbidden("only the person enrolls their own phone"));
      if (!caller.actor->fully_authenticated())
        co_return fail(Error(Errc::unauthenticated,
                             "pass your second factor in this session before enrolling a phone",
                             "mfa"));
      co_return record(
          "advised", detail({{"enroll", "POST /api/v1/me/devices"}, {"steps", steps_json(step)}}));
    }

    case ActionId::verify_identity_restore_admin: {
      if (!proof) co_return fail(Error::missing_field("method"));
      auto admins = source_.admins(c.site, person, now);
      if (!admins) co_return fail(admins.error());
      if (Status s = proof_shape(caller, *admins, *proof); !s) co_return fail(s.error());
      auto account = deps_.identity.accounts().find(person);
      if (!account) co_return fail(account.error());
      std::optional<identity::CodeCheck> refused;  // a wrong or replayed proof
      auto restored =
          record("done", detail({{"method", to_string(proof->method)}}), [&]() -> Status {
            if (Status s = use_proof(person, *proof, refused); !s) return s;
            if (Status s = cases_.set_verification(c.id, Verification::identity_checked); !s)
              return s;
            for (audit::AuditType type :
                 {audit::AuditType::identity_verified, audit::AuditType::admin_restored}) {
              auto entry = deps_.audit.append(
                  {type, by, c.site, "account:" + person,
                   detail({{"case", c.id}, {"method", to_string(proof->method)}})});
              if (!entry) return fail(Error::from_store(entry.error()));
            }
            if (Status s = tell_each(deps_.outbox, *admins, notify::Kind::security_notice, c.site,
                                     "Admin access restored",
                                     account->display_name + "'s admin access at " + c.site +
                                         " was restored after an identity check (" +
                                         std::string(to_string(proof->method)) + ").");
                !s)
              return s;
            return tell_each(deps_.outbox, {access::AccountInfo{person, account->email, true}},
                             notify::Kind::security_notice, c.site, "Admin access restored",
                             "Your admin access at " + c.site +
                                 " was restored after an identity check. If this was not you, tell "
                                 "another admin now.");
          });
      if (!restored && refused) {
        // Refused and audited in a transaction of its own; nothing was restored.
        auto noted = record(
            "refused",
            detail({{"method", to_string(proof->method)},
                    {"reason", *refused == identity::CodeCheck::reused ? "reused" : "wrong"}}));
        if (!noted) co_return noted;
      }
      co_return restored;
    }

    case ActionId::factory_reset_and_reenroll: {
      if (c.verification != Verification::identity_checked)
        co_return fail(Error::forbidden("a factory reset needs a verified identity first"));
      auto admins = source_.admins(c.site, person, now);
      if (!admins) co_return fail(admins.error());
      auto reenrolled = co_await deps_.devices.reenroll(c.site, c.lock, by);
      if (!reenrolled) co_return fail(reenrolled.error());
      co_return record("done", detail({{"epoch", reenrolled->epoch}}), [&]() -> Status {
        return tell_each(deps_.outbox, *admins, notify::Kind::security_notice, c.site,
                         "A lock was factory reset",
                         "Door " + c.lock + " was factory reset and re-enrolled (lockout case " +
                             c.id + ", by " + by + "). Every code on it is being placed again.");
      });
    }

    case ActionId::resync_code: {
      // The person's codes on this lock that the lock has not confirmed (pending, or refused) go
      // to it again now; the action stays pending until the lock reports each one set.
      auto placed = deps_.devices.placements_on(c.site, c.lock);
      if (!placed) co_return fail(placed.error());
      const std::string holder = access::account_ref(person);
      json::array sent;
      for (const devices::Placement& p : *placed) {
        if (p.holder != holder || p.kind == lockcore::CredentialKind::backup ||
            (p.status != devices::CredentialStatus::pending &&
             p.status != devices::CredentialStatus::failed))
          continue;
        if (Status s = deps_.devices.resend(c.site, c.lock, p.credential); !s)
          co_return fail(s.error());
        sent.emplace_back(p.credential);
      }
      if (sent.empty())
        co_return fail(
            Error::conflict("every code of theirs on this lock is set: nothing to re-send"));
      co_return record("pending", detail({{"credentials", std::move(sent)}}));
    }

    default:
      // Steps the person takes themself (wait, use a key or code, sign in, realign, …): recorded
      // with the steps to show, and nothing else.
      co_return record("advised", detail({{"steps", steps_json(step)}}));
  }
}

Result<std::string> Lockout::open_work_order(const CaseRecord& c, const PlanStep& step,
                                             const std::string& by,
                                             const maintenance::Opening& opening,
                                             const std::function<Status()>& also,
                                             json::object what) {
  auto tx = deps_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto opened = deps_.maintenance.work_orders().open_in_transaction(opening);
  if (!opened) return fail(opened.error());
  if (Status s = tell_person(*c.account, c.site, "The on-site team is on it",
                             "A work order (" + std::string(maintenance::to_string(opening.kind)) +
                                 ") is open for your door.");
      !s)
    return fail(s.error());
  if (also)
    if (Status s = also(); !s) return fail(s.error());
  what["kind"] = maintenance::to_string(opening.kind);
  what["work_order"] = *opened ? json::value((*opened)->id) : json::value("already open");
  if (Status s = record_action(c, step.action, by, "done", detail(std::move(what))); !s)
    return fail(s.error());
  if (auto done = tx->commit(); !done) return fail(Error::from_store(done.error()));
  committed_messages();
  if (*opened) deps_.maintenance.work_orders().announce(**opened, true);
  return std::string("done");
}

}  // namespace server::lockout
