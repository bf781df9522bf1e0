#include "server/identity/password_reset.hpp"

#include <algorithm>

#include "server/identity/accounts.hpp"
#include "server/identity/contact.hpp"
#include "server/identity/password_hasher.hpp"
#include "server/identity/password_policy.hpp"
#include "server/identity/secret.hpp"
#include "server/identity/sign_in_throttle.hpp"
#include "server/identity/trail.hpp"
#include "server/store/ids.hpp"

namespace server::identity {

namespace asio = boost::asio;
using audit::AuditType;

namespace {

constexpr std::string_view kNotValid = "this link is not valid or has expired";

Error link_not_valid() {
  return Error(Errc::unauthenticated, std::string(kNotValid), "token");
}

}  // namespace

Status PasswordReset::within_limits(const std::string& login, std::string_view source,
                                    lockcore::UnixMs now) {
  const lockcore::UnixMs since = now - policy_.window_ms;
  auto pruned = ctx_.db.execute("DELETE FROM password_reset_requests WHERE at <= ?", {since});
  if (!pruned) return fail(Error::from_store(pruned.error()));
  struct Limit {
    const char* sql;
    std::string key;
    int most;
  };
  for (const Limit& limit :
       {Limit{"SELECT count(*), min(at) FROM password_reset_requests WHERE login = ?", login,
              policy_.per_address},
        Limit{"SELECT count(*), min(at) FROM password_reset_requests WHERE source = ?",
              std::string(source), policy_.per_source}}) {
    auto rows = ctx_.db.query(limit.sql, {limit.key});
    if (!rows) return fail(Error::from_store(rows.error()));
    auto count = (*rows)[0].int64(0);
    if (!count) return fail(Error(Errc::internal, "password_reset_requests: unreadable count"));
    if (*count < limit.most) continue;
    auto oldest = (*rows)[0].int64(1);
    Error e(Errc::rate_limited, "too many password reset requests; try again later");
    e.retry_after_s = static_cast<int>(std::max<lockcore::UnixMs>(
        1, ((oldest ? *oldest : now) + policy_.window_ms - now + 999) / 1000));
    return fail(std::move(e));
  }
  return {};
}

Status PasswordReset::send_link(const Account& account, std::string_view source,
                                lockcore::UnixMs now) {
  auto replaced = ctx_.db.execute(
      "UPDATE password_reset_links SET replaced = ? WHERE account = ? AND replaced = 0 AND "
      "used = 0",
      {now, account.id});
  if (!replaced) return fail(Error::from_store(replaced.error()));
  const std::string token = new_token();
  auto stored = ctx_.db.execute(
      "INSERT INTO password_reset_links (token_hash, account, requested, expires, replaced, "
      "used) VALUES (?, ?, ?, ?, 0, 0)",
      {to_blob(digest(token)), account.id, now, now + policy_.link_lifetime_ms});
  if (!stored) return fail(Error::from_store(stored.error()));
  const std::string body =
      "Hello" + (account.display_name.empty() ? "" : " " + account.display_name) +
      ",\n\nSomeone asked to reset the password of your Latchkey account. To choose a new one, "
      "open " +
      policy_.link_base + token +
      " . The link works once and expires in 30 minutes.\n\nIf it was not you, ignore this "
      "message: your password is unchanged.\n\n— Latchkey\n";
  auto queued =
      ctx_.outbox.enqueue({account.id, notify::Channel::email, account.email,
                           notify::Kind::password_reset, "", "Reset your Latchkey password", body});
  if (!queued) return fail(Error::from_store(queued.error()));
  return audit_act(ctx_.audit, AuditType::password_reset, std::string(source),
                   account_subject(account.id), {{"step", "link_sent"}});
}

Status PasswordReset::request(std::string_view email, std::string_view source) {
  if (Status shaped = check_email(email); !shaped) return shaped;
  const lockcore::UnixMs now = ctx_.clock.now();
  const std::string login = login_key(email);
  // One synced transaction whether or not the account exists: the answer's timing says nothing.
  auto tx = ctx_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  if (Status within = within_limits(login, source, now); !within) return within;
  auto counted = ctx_.db.execute(
      "INSERT INTO password_reset_requests (id, login, source, at) VALUES (?, ?, ?, ?)",
      {store::new_id("prr"), login, std::string(source), now});
  if (!counted) return fail(Error::from_store(counted.error()));
  auto account = accounts_.load_by_email(email);
  if (!account) return fail(account.error());
  if (*account && (*account)->account.status == AccountStatus::active) {
    if (Status sent = send_link((*account)->account, source, now); !sent) return sent;
  }
  return commit_and_deliver(ctx_, *tx);
}

asio::awaitable<Status> PasswordReset::complete(std::string token, std::string new_password,
                                                std::string source) {
  if (!is_token_shaped(token)) co_return fail(link_not_valid());
  const store::Blob hash = to_blob(digest(token));
  auto rows = ctx_.db.query(
      "SELECT account, expires, replaced, used FROM password_reset_links WHERE token_hash = ?",
      {hash});
  if (!rows) co_return fail(Error::from_store(rows.error()));
  if (rows->empty()) co_return fail(link_not_valid());
  auto account_id = (*rows)[0].text(0);
  auto expires = (*rows)[0].int64(1);
  auto replaced = (*rows)[0].int64(2);
  auto used = (*rows)[0].int64(3);
  if (!account_id || !expires || !replaced || !used)
    co_return fail(Error(Errc::internal, "password_reset_links: unreadable row"));
  if (*replaced != 0 || *used != 0 || ctx_.clock.now() >= *expires)
    co_return fail(link_not_valid());
  auto stored = accounts_.load(*account_id);
  if (!stored || stored->account.status != AccountStatus::active) co_return fail(link_not_valid());
  if (Status ok = check_new_password(new_password, stored->account.email, "new_password"); !ok)
    co_return ok;
  auto hashed = co_await ctx_.hasher.hash(std::move(new_password));
  if (!hashed) co_return fail(hashed.error());

  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  // Used once: a second request with the same link (even one racing this) finds it used.
  auto claimed = ctx_.db.execute(
      "UPDATE password_reset_links SET used = ? WHERE token_hash = ? AND used = 0 AND "
      "replaced = 0",
      {ctx_.clock.now(), hash});
  if (!claimed) co_return fail(Error::from_store(claimed.error()));
  if (*claimed == 0) co_return fail(link_not_valid());
  const std::string& account = stored->account.id;
  auto ended = accounts_.replace_password(account, *hashed, "password_reset");
  if (!ended) co_return fail(ended.error());
  if (!*ended) co_return fail(link_not_valid());
  if (Status forgiven = ctx_.throttle.forgive(stored->account.email); !forgiven) co_return forgiven;
  if (Status ok = audit_act(ctx_.audit, AuditType::password_reset, source, account_subject(account),
                            {{"step", "password_set"}, {"sessions_ended", **ended}});
      !ok)
    co_return ok;
  if (Status ok = notify_person(ctx_.outbox, stored->account, "Your Latchkey password was reset",
                                "Your password was reset through the link sent to this address, "
                                "and every device was signed out",
                                ctx_.clock.now());
      !ok)
    co_return ok;
  co_return commit_and_deliver(ctx_, *tx);
}

}  // namespace server::identity
