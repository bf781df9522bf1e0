// Recovery actions that do something. take_action() diagnoses the case again NOW (the person's
// standing, the lock's state) and takes an action only when that plan holds it; act() does it.

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

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

}  // namespace

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
  const bool is_person = caller.actor->account == *c.account;
  Verification verification = c.verification;
  if (is_person && verification_of(caller) == Verification::session &&
      verification == Verification::none)
    verification = Verification::session;
  auto snapshot = snapshot_for(c, verification);
  if (!snapshot) co_return fail(snapshot.error());
  const Diagnosis d = diagnose(*snapshot);
  const PlanStep* step = d.step(*action);
  if (!step) co_return fail(Error::forbidden("that action is not in this case's plan now"));

  auto outcome = co_await act(caller, c, *step, *snapshot, std::move(proof));
  if (!outcome) co_return fail(outcome.error());
  auto after = cases_.find(c.id);
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

    case ActionId::restore_hub:
    case ActionId::maintenance_work_order: {
      maintenance::Opening opening;
      opening.site = c.site;
      if (step.action == ActionId::restore_hub) {
        opening.kind = maintenance::Kind::hub;
        opening.target = snapshot.lock.link == Link::hub ? snapshot.lock.hub_id : c.lock;
      } else {
        opening.kind = maintenance::kind_from(
                           to_string(step.work_order.value_or(WorkOrderKind::lock_hardware)))
                           .value_or(maintenance::Kind::lock_hardware);
        opening.target = c.lock;
      }
      opening.reason = "lockout case " + c.id;
      std::optional<maintenance::WorkOrder> opened;
      auto recorded = record("done", "{}", [&]() -> Status {
        auto o = deps_.maintenance.work_orders().open_in_transaction(opening);
        if (!o) return fail(o.error());
        opened = *o;
        return tell_person(person, c.site, "The on-site team is on it",
                           "A work order (" + std::string(maintenance::to_string(opening.kind)) +
                               ") is open for your door.");
      });
      if (recorded && opened) deps_.maintenance.work_orders().announce(*opened, true);
      co_return recorded;
    }

    case ActionId::ask_admin_for_access: {
      auto admins = source_.admins(c.site, person, now);
      if (!admins) co_return fail(admins.error());
      co_return record("requested", detail({{"admins", admins->size()}}), [&]() -> Status {
        for (const access::AccountInfo& a : *admins) {
          if (a.email.empty()) continue;
          auto queued = deps_.outbox.enqueue(
              {a.id, notify::Channel::email, a.email, notify::Kind::lockout_update, c.site,
               "Someone needs a decision to get in",
               "Lockout case " + c.id + " at door " + c.lock +
                   " needs an owner or manager to decide on their access."});
          if (!queued) return fail(Error::from_store(queued.error()));
        }
        if (Status s = cases_.escalate(c.id, now); !s) return s;
        auto entry = deps_.audit.append({audit::AuditType::lockout_escalated, by, c.site,
                                         "lock:" + c.lock, detail({{"case", c.id}})});
        if (!entry) return fail(Error::from_store(entry.error()));
        return {};
      });
    }

    case ActionId::verify_identity_restore_admin: {
      if (!proof) co_return fail(Error::missing_field("method"));
      auto admins = source_.admins(c.site, person, now);
      if (!admins) co_return fail(admins.error());
      if (proof->method == VerificationMethod::manager_attestation) {
        if (!holds(*admins, caller.actor->account))
          co_return fail(Error::forbidden("only another owner or manager of the site can attest"));
      } else {
        if (proof->code.empty()) co_return fail(Error::missing_field("code"));
        if (proof->code.size() > 64) co_return fail(Error::invalid_field("code", "is too long"));
      }
      auto account = deps_.identity.accounts().find(person);
      if (!account) co_return fail(account.error());
      co_return record("done", detail({{"method", to_string(proof->method)}}), [&]() -> Status {
        if (proof->method != VerificationMethod::manager_attestation) {
          auto check = deps_.identity.mfa().use_code(person, proof->code);
          if (!check) return fail(check.error());
          const bool good = proof->method == VerificationMethod::totp
                                ? *check == identity::CodeCheck::totp
                                : *check == identity::CodeCheck::recovery_code;
          if (!good)
            return fail(identity::rejected_code(*check == identity::CodeCheck::reused
                                                    ? identity::CodeCheck::reused
                                                    : identity::CodeCheck::wrong));
        }
        if (Status s = cases_.set_verification(c.id, Verification::identity_checked); !s) return s;
        for (audit::AuditType type :
             {audit::AuditType::identity_verified, audit::AuditType::admin_restored}) {
          auto entry =
              deps_.audit.append({type, by, c.site, "account:" + person,
                                  detail({{"case", c.id}, {"method", to_string(proof->method)}})});
          if (!entry) return fail(Error::from_store(entry.error()));
        }
        auto tell = [&](const std::string& to, const std::string& email,
                        std::string body) -> Status {
          if (email.empty()) return {};
          auto queued = deps_.outbox.enqueue({to, notify::Channel::email, email,
                                              notify::Kind::security_notice, c.site,
                                              "Admin access restored", std::move(body)});
          if (!queued) return fail(Error::from_store(queued.error()));
          return {};
        };
        for (const access::AccountInfo& a : *admins)
          if (Status s = tell(a.id, a.email,
                              account->display_name + "'s admin access at " + c.site +
                                  " was restored after an identity check (" +
                                  std::string(to_string(proof->method)) + ").");
              !s)
            return s;
        return tell(person, account->email,
                    "Your admin access at " + c.site +
                        " was restored after an identity check. If this was not you, tell "
                        "another admin now.");
      });
    }

    case ActionId::factory_reset_and_reenroll: {
      if (c.verification != Verification::identity_checked)
        co_return fail(Error::forbidden("a factory reset needs a verified identity first"));
      auto reenrolled = co_await deps_.devices.reenroll(c.site, c.lock, by);
      if (!reenrolled) co_return fail(reenrolled.error());
      co_return record("done", detail({{"epoch", reenrolled->epoch}}));
    }

    case ActionId::resync_code:
      // The shadow reconciler already sends what the lock has not confirmed, with backoff.
      co_return record("requested", "{}");

    default:
      // Steps the person takes themself (wait, use a key or code, sign in, realign, …).
      co_return record("advised", "{}");
  }
}

}  // namespace server::lockout
