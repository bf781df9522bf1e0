#include "server/identity/accounts.hpp"

#include <array>

#include "server/identity/contact.hpp"
#include "server/identity/password_hasher.hpp"
#include "server/identity/password_policy.hpp"
#include "server/identity/sessions.hpp"
#include "server/identity/trail.hpp"
#include "server/store/ids.hpp"

namespace server::identity {

namespace asio = boost::asio;
using audit::AuditType;

namespace {

constexpr std::array<std::string_view, 4> kStatuses = {"active", "locked", "suspended", "deleted"};
static_assert(kStatuses.size() == static_cast<std::size_t>(AccountStatus::deleted) + 1);

constexpr std::string_view kSelect =
    "SELECT a.id, a.email, a.phone, a.display_name, a.status, a.created, "
    "CASE WHEN m.confirmed IS NULL THEN 0 ELSE 1 END, a.password_hash "
    "FROM accounts a LEFT JOIN mfa_totp m ON m.account = a.id ";

Result<StoredAccount> read_account(const store::Row& row) {
  StoredAccount out;
  std::string_view text[6];
  const std::size_t columns[] = {0, 1, 2, 3, 4, 7};
  for (std::size_t i = 0; i < std::size(columns); ++i) {
    auto value = row.text(columns[i]);
    if (!value) return fail(Error::from_store(value.error()));
    text[i] = *value;
  }
  auto created = row.int64(5);
  auto mfa = row.int64(6);
  auto status = account_status_from(text[4]);
  if (!created || !mfa || !status)
    return fail(Error(Errc::internal, "accounts: unreadable row " + std::string(text[0])));
  out.account = Account{std::string(text[0]),
                        std::string(text[1]),
                        std::string(text[2]),
                        std::string(text[3]),
                        *status,
                        *created,
                        *mfa != 0};
  out.password_hash = text[5];
  return out;
}

// The one account the query found, nullopt when none.
Result<std::optional<StoredAccount>> one_account(store::Database& db, std::string_view where,
                                                 const std::string& value) {
  auto rows = db.query(std::string(kSelect) + std::string(where), {value});
  if (!rows) return fail(Error::from_store(rows.error()));
  if (rows->empty()) return std::optional<StoredAccount>();
  auto account = read_account((*rows)[0]);
  if (!account) return fail(account.error());
  return std::optional<StoredAccount>(std::move(*account));
}

Result<Account> found(Result<std::optional<StoredAccount>> loaded) {
  if (!loaded) return fail(loaded.error());
  if (!*loaded) return fail(Error::not_found("no such account"));
  return (*loaded)->account;
}

// Which of email and phone another account already has, as the conflict to report.
Status check_unused(store::Database& db, const NewAccount& a) {
  auto email = db.query("SELECT id FROM accounts WHERE email_key = ?", {email_key(a.email)});
  if (!email) return fail(Error::from_store(email.error()));
  if (!email->empty())
    return fail(Error(Errc::conflict, "another account has this email address", "email"));
  auto phone = db.query("SELECT id FROM accounts WHERE phone = ?", {a.phone});
  if (!phone) return fail(Error::from_store(phone.error()));
  if (!phone->empty())
    return fail(Error(Errc::conflict, "another account has this phone number", "phone"));
  return {};
}

}  // namespace

std::string_view to_string(AccountStatus status) {
  return kStatuses[static_cast<std::size_t>(status)];
}

std::optional<AccountStatus> account_status_from(std::string_view name) {
  for (std::size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == name) return static_cast<AccountStatus>(i);
  }
  return std::nullopt;
}

asio::awaitable<Result<Account>> Accounts::create(NewAccount a, std::string actor) {
  if (auto ok = check_email(a.email); !ok) co_return fail(ok.error());
  if (auto ok = check_phone(a.phone); !ok) co_return fail(ok.error());
  if (auto ok = check_display_name(a.display_name); !ok) co_return fail(ok.error());
  if (auto ok = check_new_password(a.password, a.email); !ok) co_return fail(ok.error());
  if (auto unused = check_unused(ctx_.db, a); !unused) co_return fail(unused.error());

  auto hashed = co_await ctx_.hasher.hash(std::move(a.password));
  if (!hashed) co_return fail(hashed.error());

  const std::string id = store::new_id("acc");
  const lockcore::UnixMs now = ctx_.clock.now();
  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  auto inserted = ctx_.db.execute(
      "INSERT INTO accounts (id, email, email_key, phone, display_name, status, password_hash, "
      "created, updated) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?)",
      {id, a.email, email_key(a.email), a.phone, a.display_name, *hashed, now, now});
  if (!inserted) {
    // Another account took the address or number while the password was being hashed.
    if (inserted.error().code == store::Errc::unique_violation) {
      tx->rollback();
      if (auto unused = check_unused(ctx_.db, a); !unused) co_return fail(unused.error());
    }
    co_return fail(Error::from_store(inserted.error()));
  }
  if (auto ok =
          audit_act(ctx_.audit, AuditType::account_created, std::move(actor), account_subject(id));
      !ok)
    co_return fail(ok.error());
  if (auto ok = tx->commit(); !ok) co_return fail(Error::from_store(ok.error()));
  co_return find(id);
}

Result<Account> Accounts::find(std::string_view id) const {
  return found(one_account(ctx_.db, "WHERE a.id = ?", std::string(id)));
}

Result<Account> Accounts::find_by_email(std::string_view email) const {
  if (!check_email(email)) return fail(Error::not_found("no such account"));
  return found(load_by_email(email));
}

Result<Account> Accounts::find_by_phone(std::string_view phone) const {
  if (!check_phone(phone)) return fail(Error::not_found("no such account"));
  return found(one_account(ctx_.db, "WHERE a.phone = ?", std::string(phone)));
}

Result<std::optional<StoredAccount>> Accounts::load_by_email(std::string_view email) const {
  return one_account(ctx_.db, "WHERE a.email_key = ?", email_key(email));
}

Result<StoredAccount> Accounts::load(std::string_view id) const {
  auto loaded = one_account(ctx_.db, "WHERE a.id = ?", std::string(id));
  if (!loaded) return fail(loaded.error());
  if (!*loaded) return fail(Error::not_found("no such account"));
  return std::move(**loaded);
}

Status Accounts::set_status(std::string_view id, std::string actor, AccountStatus to,
                            std::string reason) {
  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto account = find(id);
  if (!account) return fail(account.error());
  const AccountStatus from = account->status;
  const bool suspending = to == AccountStatus::suspended;
  if (from == to || from == AccountStatus::deleted ||
      (!suspending && from == AccountStatus::active)) {
    return fail(Error::conflict("the account is " + std::string(to_string(from))));
  }
  auto updated = ctx_.db.execute("UPDATE accounts SET status = ?, updated = ? WHERE id = ?",
                                 {std::string(to_string(to)), ctx_.clock.now(), std::string(id)});
  if (!updated) return fail(Error::from_store(updated.error()));
  boost::json::object detail{{"from", to_string(from)}};
  if (!reason.empty()) detail["reason"] = reason;
  if (suspending) {
    auto ended = sessions_.end_all(id, "suspended");
    if (!ended) return fail(ended.error());
    detail["sessions_ended"] = *ended;
  }
  if (auto ok = audit_act(
          ctx_.audit, suspending ? AuditType::account_suspended : AuditType::account_reactivated,
          std::move(actor), account_subject(id), detail);
      !ok)
    return ok;
  if (auto ok = notify_person(
          ctx_.outbox, *account,
          suspending ? "Your Latchkey account was suspended" : "Your Latchkey account is active",
          suspending ? "Your account was suspended and every device signed out of it; ask your "
                       "property manager why"
                     : "Your account was made active again; you can sign in",
          ctx_.clock.now());
      !ok)
    return ok;
  return commit_and_deliver(ctx_, *tx);
}

Status Accounts::suspend(std::string_view id, std::string actor, std::string reason) {
  return set_status(id, std::move(actor), AccountStatus::suspended, std::move(reason));
}

Status Accounts::reactivate(std::string_view id, std::string actor) {
  return set_status(id, std::move(actor), AccountStatus::active, {});
}

asio::awaitable<Result<Attempt>> Accounts::check_password(const StoredAccount& stored,
                                                          std::string password, std::string source,
                                                          std::string_view field,
                                                          std::string_view purpose) {
  auto attempt = ctx_.throttle.begin(stored.account.email, source, false);
  if (!attempt) co_return fail(attempt.error());
  auto verdict = co_await ctx_.hasher.verify(stored.password_hash, std::move(password));
  if (!verdict) co_return fail(verdict.error());
  if (!verdict->match) {
    const auto changing = ctx_.changes.change();
    auto tx = ctx_.db.begin();
    if (!tx) co_return fail(Error::from_store(tx.error()));
    if (auto ok = audit_act(ctx_.audit, AuditType::sign_in_failed, source,
                            account_subject(stored.account.id),
                            {{"reason", "wrong_password"}, {"during", purpose}});
        !ok)
      co_return fail(ok.error());
    if (auto ok = tx->commit(); !ok) co_return fail(Error::from_store(ok.error()));
    co_return fail(Error(Errc::unauthenticated, "the password is wrong", std::string(field)));
  }
  co_return std::move(*attempt);
}

Result<std::optional<std::int64_t>> Accounts::replace_password(std::string_view account,
                                                               const std::string& hash,
                                                               std::string_view reason,
                                                               std::string_view keep_session) {
  auto updated = ctx_.db.execute(
      "UPDATE accounts SET password_hash = ?, updated = ? WHERE id = ? AND status = 'active'",
      {hash, ctx_.clock.now(), std::string(account)});
  if (!updated) return fail(Error::from_store(updated.error()));
  if (*updated == 0) return std::optional<std::int64_t>();
  auto ended = sessions_.end_all(account, reason, keep_session);
  if (!ended) return fail(ended.error());
  return std::optional<std::int64_t>(*ended);
}

asio::awaitable<Status> Accounts::change_password(const Actor& actor, std::string current,
                                                  std::string next, std::string source) {
  auto stored = load(actor.account);
  if (!stored) co_return fail(Error(Errc::unauthenticated, "sign in again"));
  if (auto ok = check_new_password(next, stored->account.email, "new_password"); !ok) co_return ok;
  auto attempt = co_await check_password(*stored, std::move(current), source, "current_password",
                                         "password_change");
  if (!attempt) co_return fail(attempt.error());
  auto hashed = co_await ctx_.hasher.hash(std::move(next));
  if (!hashed) co_return fail(hashed.error());

  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  auto ended = replace_password(actor.account, *hashed, "password_changed", actor.session);
  if (!ended) co_return fail(ended.error());
  if (!*ended) co_return fail(Error(Errc::unauthenticated, "sign in again"));
  if (auto ok = ctx_.throttle.succeeded(*attempt); !ok) co_return ok;
  if (auto ok = audit_act(ctx_.audit, AuditType::password_changed, actor.audit_name(),
                          account_subject(actor.account), {{"sessions_ended", **ended}});
      !ok)
    co_return ok;
  if (auto ok = notify_person(ctx_.outbox, stored->account, "Your Latchkey password was changed",
                              "Your password was changed and your other devices were signed out",
                              ctx_.clock.now());
      !ok)
    co_return ok;
  co_return commit_and_deliver(ctx_, *tx);
}

}  // namespace server::identity
