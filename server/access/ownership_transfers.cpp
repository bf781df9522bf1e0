#include "server/access/ownership_transfers.hpp"

#include <algorithm>

#include "server/access/credential_tasks.hpp"
#include "server/access/memberships.hpp"
#include "server/access/records.hpp"
#include "server/store/ids.hpp"
#include "server/store/map_rows.hpp"

namespace server::access {

namespace {

constexpr std::string_view kColumns =
    "id, site, from_account, to_account, status, created, expires";

Result<std::vector<Transfer>> query_transfers(store::Database& db, UnixMs now,
                                              std::string_view where, const store::Params& params) {
  return lift(store::map_rows(
      db.query("SELECT " + std::string(kColumns) + " FROM ownership_transfers WHERE " +
                   std::string(where) + " ORDER BY created DESC, id LIMIT 100",
               params),
      [now](const store::Row& row) -> store::Result<Transfer> {
        Transfer t;
        std::string* texts[] = {&t.id, &t.site, &t.from_account, &t.to_account};
        for (std::size_t i = 0; i < 4; ++i) {
          auto v = row.text(i);
          if (!v) return lockcore::fail(v.error());
          *texts[i] = std::string(*v);
        }
        auto status = row.text(4);
        auto created = row.int64(5);
        auto expires = row.int64(6);
        if (!status) return lockcore::fail(status.error());
        if (!created) return lockcore::fail(created.error());
        if (!expires) return lockcore::fail(expires.error());
        t.created = *created;
        t.expires = *expires;
        if (*status == "pending")
          t.status = now >= t.expires ? TransferStatus::expired : TransferStatus::pending;
        else if (*status == "accepted")
          t.status = TransferStatus::accepted;
        else if (*status == "cancelled")
          t.status = TransferStatus::cancelled;
        else
          t.status = TransferStatus::expired;
        return t;
      }));
}

std::string transfer_ref(const Transfer& t) {
  return "transfer:" + t.id;
}

}  // namespace

Status OwnershipTransfers::finish(const Transfer& t, TransferStatus status,
                                  std::string_view actor) {
  auto changed = lift(deps_.db.execute(
      "UPDATE ownership_transfers SET status = ?, finished = ?, finished_by = ? "
      "WHERE id = ? AND status = 'pending'",
      {std::string(to_string(status)), deps_.clock.now(), std::string(actor), t.id}));
  if (!changed) return fail(changed.error());
  if (*changed != 1) return fail(Error::conflict("this transfer is no longer pending"));
  return {};
}

Result<Transfer> OwnershipTransfers::start(std::string_view actor, std::string_view site,
                                           std::string_view email) {
  const UnixMs now = deps_.clock.now();
  if (auto ok = policy_.check(actor, Action::transfer_ownership, {std::string(site), {}, {}}, now);
      !ok)
    return fail(ok.error());
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto open =
      query_transfers(deps_.db, now, "site = ? AND status = 'pending'", {std::string(site)});
  if (!open) return fail(open.error());
  for (const Transfer& t : *open) {
    if (t.status == TransferStatus::pending)
      return fail(Error::conflict("a transfer of this site is already pending; cancel it first"));
    if (auto ok = finish(t, TransferStatus::expired, "system"); !ok) return fail(ok.error());
  }
  auto recipient = deps_.accounts.find_or_invite(email, actor);
  if (!recipient) return fail(recipient.error());
  if (recipient->id == actor) return fail(Error::conflict("you already own this site"));
  if (!recipient->active) return fail(Error::conflict("this account is not active"));

  Transfer t{store::new_id("otr"),   std::string(site),       std::string(actor),
             recipient->id,          TransferStatus::pending, now,
             now + kTransferLifetime};
  auto inserted = lift(deps_.db.execute(
      "INSERT INTO ownership_transfers (" + std::string(kColumns) +
          ", finished, finished_by) VALUES (?, ?, ?, ?, 'pending', ?, ?, NULL, NULL)",
      {t.id, t.site, t.from_account, t.to_account, t.created, t.expires}));
  if (!inserted) return fail(inserted.error());
  Status done = audit(deps_, audit::AuditType::ownership_transfer_started, account_ref(actor), site,
                      transfer_ref(t), json_detail({{"to", t.to_account}}));
  if (done)
    done = notify_account(deps_, t.to_account, site, "You have been offered ownership of a site",
                          "The owner of site " + t.site +
                              " offers to transfer it to you. Accept transfer " + t.id +
                              " within 7 days, or ignore this message to decline.");
  if (!done) return fail(done.error());
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  return t;
}

Result<Transfer> OwnershipTransfers::find_for(std::string_view actor, std::string_view id) {
  auto found = query_transfers(deps_.db, deps_.clock.now(),
                               "id = ? AND (from_account = ? OR to_account = ?)",
                               {std::string(id), std::string(actor), std::string(actor)});
  if (!found) return fail(found.error());
  if (found->empty()) return fail(Error::not_found("no such transfer"));
  return std::move(found->front());
}

Result<Transfer> OwnershipTransfers::accept(std::string_view actor, std::string_view id) {
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto t = find_for(actor, id);
  if (!t) return t;
  if (t->to_account != actor)
    return fail(Error::forbidden("only the recipient can accept a transfer"));
  if (t->status == TransferStatus::expired)
    return fail(Error::conflict("this transfer has expired"));
  if (t->status != TransferStatus::pending)
    return fail(Error::conflict("this transfer is no longer pending"));
  auto recipient = deps_.accounts.find(actor);
  if (!recipient) return fail(recipient.error());
  if (!*recipient || !(*recipient)->active)
    return fail(Error::forbidden("this account is not active"));

  const UnixMs now = deps_.clock.now();
  auto prior = memberships_of(deps_.db, t->from_account, t->site);
  if (!prior) return fail(prior.error());
  if (std::none_of(prior->begin(), prior->end(), [now](const Membership& m) {
        return m.role == Role::owner && m.counts_at(now);
      }))
    return fail(Error::conflict("whoever started this transfer no longer owns the site"));
  auto own = memberships_of(deps_.db, actor, t->site);
  if (!own) return fail(own.error());

  Status done;
  for (Membership& m : *prior)
    if (done) done = end_membership(deps_, actor, std::move(m), "ownership_transferred");
  for (Membership& m : *own)
    if (done) done = end_membership(deps_, actor, std::move(m), "became_owner");
  Membership owner;
  owner.id = store::new_id("mem");
  owner.site = t->site;
  owner.account = std::string(actor);
  owner.role = Role::owner;
  owner.created = now;
  owner.granted_by = t->from_account;
  if (done) done = start_membership(deps_, actor, owner);
  if (done) done = finish(*t, TransferStatus::accepted, actor);
  if (done)
    done = audit(deps_, audit::AuditType::ownership_transferred, account_ref(actor), t->site,
                 transfer_ref(*t), json_detail({{"from", t->from_account}, {"to", t->to_account}}));
  if (done)
    done = request_credential_task(deps_, t->site, t->from_account, CredentialTaskKind::remove_all,
                                   "ownership_transferred");
  // Every other admin, and the prior owner, hears of it.
  auto everyone = memberships_at(deps_.db, t->site);
  if (!everyone) return fail(everyone.error());
  std::vector<std::string> told{std::string(actor)};
  std::vector<std::string> to_tell{t->from_account};
  for (const Membership& m : *everyone)
    if (m.role == Role::owner || m.role == Role::manager) to_tell.push_back(m.account);
  for (const std::string& account : to_tell) {
    if (!done || std::find(told.begin(), told.end(), account) != told.end()) continue;
    told.push_back(account);
    done = notify_account(deps_, account, t->site, "Ownership of a site has been transferred",
                          "Site " + t->site +
                              " has a new owner. The previous owner's access and "
                              "credentials there have been removed.");
  }
  if (!done) return fail(done.error());
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  t->status = TransferStatus::accepted;
  return t;
}

Result<Transfer> OwnershipTransfers::cancel(std::string_view actor, std::string_view id) {
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto t = find_for(actor, id);
  if (!t) return t;
  if (t->status != TransferStatus::pending && t->status != TransferStatus::expired)
    return fail(Error::conflict("this transfer is no longer pending"));
  Status done = finish(*t, TransferStatus::cancelled, actor);
  if (done)
    done = audit(deps_, audit::AuditType::ownership_transfer_cancelled, account_ref(actor), t->site,
                 transfer_ref(*t), json_detail({{"from", t->from_account}, {"to", t->to_account}}));
  const std::string& other = actor == t->from_account ? t->to_account : t->from_account;
  if (done)
    done = notify_account(deps_, other, t->site, "An ownership transfer was cancelled",
                          "The transfer of site " + t->site + " has been cancelled.");
  if (!done) return fail(done.error());
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  t->status = TransferStatus::cancelled;
  return t;
}

Result<std::vector<Transfer>> OwnershipTransfers::list_mine(std::string_view actor) {
  return query_transfers(deps_.db, deps_.clock.now(), "from_account = ? OR to_account = ?",
                         {std::string(actor), std::string(actor)});
}

}  // namespace server::access
