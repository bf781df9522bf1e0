#include "server/identity/sessions.hpp"

#include "server/identity/contact.hpp"
#include "server/identity/devices.hpp"
#include "server/identity/mfa.hpp"
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

// The one answer to every sign-in that fails on the email or password, whatever the reason.
Error wrong_credentials() {
  return Error(Errc::unauthenticated, "the email or password is wrong");
}

Error not_signed_in() {
  return Error(Errc::unauthenticated, "the token is not valid; sign in again");
}

std::optional<std::string> optional_text(const store::Row& row, std::size_t column) {
  if (row.is_null(column)) return std::nullopt;
  auto text = row.text(column);
  if (!text) return std::nullopt;
  return std::string(*text);
}

}  // namespace

Status Sessions::record_failure(std::string_view source,
                                const std::optional<StoredAccount>& account, std::string_view email,
                                std::string_view reason) {
  auto tx = ctx_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  // An unknown account is named by a short prefix of its login key: enough to tell repeated
  // attempts on one address apart in the log, without writing down what was typed.
  boost::json::object detail{{"reason", reason}};
  if (!account) detail["login"] = login_key(email).substr(0, 16);
  if (auto ok = audit_act(ctx_.audit, AuditType::sign_in_failed, std::string(source),
                          account ? account_subject(account->account.id) : std::string(), detail);
      !ok)
    return ok;
  return lift(tx->commit());
}

asio::awaitable<Result<SignedIn>> Sessions::sign_in(SignIn request) {
  if (auto ok = check_email(request.email); !ok) co_return fail(ok.error());
  if (request.password.empty()) co_return fail(Error::missing_field("password"));
  if (request.password.size() > kMaxPasswordBytes)
    co_return fail(Error::invalid_field("password", "is longer than any password can be"));

  // A device that proves itself is trusted by the throttle, and its streak is its own.
  std::optional<std::string> device;
  if (request.device) {
    auto accepted = devices_.accept_proof(*request.device, request.email);
    if (!accepted) co_return fail(accepted.error());
    device = *accepted;
  }
  const std::string source = device ? "device:" + *device : request.source;
  auto attempt = ctx_.throttle.begin(request.email, source, device.has_value());
  if (!attempt) co_return fail(attempt.error());

  // The same work whether or not the account exists: one argon2id verification.
  auto loaded = accounts_.load_by_email(request.email);
  if (!loaded) co_return fail(loaded.error());
  const std::string& stored_hash = *loaded ? (*loaded)->password_hash : ctx_.hasher.dummy_hash();
  auto verdict = co_await ctx_.hasher.verify(stored_hash, request.password);
  if (!verdict) co_return fail(verdict.error());

  // The account as it is now, after the wait (it may have been suspended meanwhile), read the
  // same way whether or not there was one: the paths differ in nothing but the answer's audit.
  auto now_loaded = accounts_.load_by_email(request.email);
  if (!now_loaded) co_return fail(now_loaded.error());
  if (*loaded && (!*now_loaded || (*now_loaded)->account.id != (*loaded)->account.id))
    verdict->match = false;  // replaced meanwhile: the hash checked was another account's
  loaded = std::move(now_loaded);
  const bool active = *loaded && (*loaded)->account.status == AccountStatus::active;
  if (!*loaded || !verdict->match || !active) {
    const std::string_view reason = !*loaded          ? "unknown_account"
                                    : !verdict->match ? "wrong_password"
                                                      : to_string((*loaded)->account.status);
    if (auto ok = record_failure(source, *loaded, request.email, reason); !ok)
      co_return fail(ok.error());
    co_return fail(wrong_credentials());
  }
  const Account& account = (*loaded)->account;

  std::optional<CodeCheck> factor;
  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  if (account.mfa_enabled) {
    if (!request.code) {
      tx->rollback();
      if (auto ok = ctx_.throttle.withdraw(*attempt); !ok) co_return fail(ok.error());
      co_return fail(Error(Errc::unauthenticated,
                           "a code from your authenticator app (or a recovery code) is required",
                           "code"));
    }
    auto used = mfa_.use_code(account.id, *request.code);
    if (!used) co_return fail(used.error());
    if (*used == CodeCheck::wrong || *used == CodeCheck::reused) {
      tx->rollback();
      const bool reused = *used == CodeCheck::reused;
      if (auto ok =
              record_failure(source, *loaded, request.email, reused ? "code_reused" : "wrong_code");
          !ok)
        co_return fail(ok.error());
      co_return fail(rejected_code(*used));
    }
    factor = *used;
  }

  auto opened = open(account, device, factor.has_value());
  if (!opened) co_return fail(opened.error());
  if (auto ok = ctx_.throttle.succeeded(*attempt); !ok) co_return fail(ok.error());
  if (device) {
    if (auto ok = devices_.touch(*device); !ok) co_return fail(ok.error());
  }
  boost::json::object detail{{"session", opened->actor.session}, {"mfa", factor.has_value()}};
  if (device) detail["device"] = *device;
  if (!device) detail["source"] = request.source;
  if (auto ok = audit_act(ctx_.audit, AuditType::sign_in, account_subject(account.id),
                          account_subject(account.id), detail);
      !ok)
    co_return fail(ok.error());
  const lockcore::UnixMs now = ctx_.clock.now();
  if (!device) {
    if (auto ok = notify_person(ctx_.outbox, account, "New sign-in to your Latchkey account",
                                "Someone signed in to your account from a device that is not "
                                "enrolled (from " +
                                    request.source.substr(request.source.find(':') + 1) + ")",
                                now);
        !ok)
      co_return fail(ok.error());
  }
  if (factor == CodeCheck::recovery_code) {
    auto left = mfa_.recovery_codes_left(account.id);
    if (!left) co_return fail(left.error());
    if (auto ok = audit_act(ctx_.audit, AuditType::recovery_code_used, account_subject(account.id),
                            account_subject(account.id), {{"left", *left}});
        !ok)
      co_return fail(ok.error());
    if (auto ok = notify_person(ctx_.outbox, account, "A Latchkey recovery code was used",
                                "A recovery code was used to sign in to your account; " +
                                    std::to_string(*left) + " are left",
                                now);
        !ok)
      co_return fail(ok.error());
  }
  if (Status ok = commit_and_deliver(ctx_, *tx); !ok) co_return fail(ok.error());

  // A hash made under an older cost is replaced now that the password is known to be right; a
  // failure here costs nothing but the upgrade.
  if (verdict->needs_rehash) {
    auto hashed = co_await ctx_.hasher.hash(std::move(request.password));
    if (hashed) {
      (void)ctx_.db.execute("UPDATE accounts SET password_hash = ? WHERE id = ?",
                            {*hashed, account.id});
    }
  }
  co_return std::move(*opened);
}

Result<SignedIn> Sessions::open(const Account& account, const std::optional<std::string>& device,
                                bool mfa) {
  const lockcore::UnixMs now = ctx_.clock.now();
  SignedIn out;
  out.actor = Actor{account.id, store::new_id("ses"), device, account.mfa_enabled, mfa};
  const lockcore::UnixMs expires = now + policy_.max_lifetime_ms;
  out.tokens = Tokens{new_token(), std::min(now + policy_.access_ttl_ms, expires), new_token(),
                      std::min(now + policy_.refresh_ttl_ms, expires)};
  auto inserted = ctx_.db.execute(
      "INSERT INTO sessions (id, account, device, mfa, created, expires, access_hash, "
      "access_expires, refresh_hash, refresh_expires, ended, end_reason) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '')",
      {out.actor.session, account.id, device ? store::Value(*device) : store::Value(store::null),
       std::int64_t{mfa ? 1 : 0}, now, expires, to_blob(digest(out.tokens.access_token)),
       out.tokens.access_expires, to_blob(digest(out.tokens.refresh_token)),
       out.tokens.refresh_expires});
  if (!inserted) return fail(Error::from_store(inserted.error()));
  return out;
}

Result<SignedIn> Sessions::refresh(std::string_view refresh_token, std::string_view source) {
  if (!is_token_shaped(refresh_token)) return fail(not_signed_in());
  const store::Blob presented = to_blob(digest(refresh_token));
  const lockcore::UnixMs now = ctx_.clock.now();
  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));

  auto rows = ctx_.db.query(
      "SELECT s.id, s.account, s.device, s.mfa, s.expires, s.refresh_expires, "
      "CASE WHEN s.ended IS NULL THEN 0 ELSE 1 END, a.status, "
      "CASE WHEN m.confirmed IS NULL THEN 0 ELSE 1 END "
      "FROM sessions s JOIN accounts a ON a.id = s.account "
      "LEFT JOIN mfa_totp m ON m.account = s.account WHERE s.refresh_hash = ?",
      {presented});
  if (!rows) return fail(Error::from_store(rows.error()));
  if (rows->empty()) {
    // Not a current refresh token. If it is a used one, whoever holds the current one may be a
    // thief (or the thief is presenting this one): end the session either way.
    auto used = ctx_.db.query(
        "SELECT u.session, s.account FROM used_refresh_tokens u JOIN sessions s ON s.id = "
        "u.session WHERE u.hash = ? AND s.ended IS NULL",
        {presented});
    if (!used) return fail(Error::from_store(used.error()));
    if (used->empty()) return fail(not_signed_in());
    auto session = (*used)[0].text(0);
    auto account_id = (*used)[0].text(1);
    if (!session || !account_id) return fail(Error(Errc::internal, "sessions: unreadable row"));
    auto ended = end_where("id", *session, "refresh_token_reused", {});
    if (!ended) return fail(ended.error());
    auto account = accounts_.find(*account_id);
    if (!account) return fail(account.error());
    if (auto ok = audit_act(ctx_.audit, AuditType::refresh_token_reused, std::string(source),
                            "session:" + std::string(*session), {{"account", account->id}});
        !ok)
      return fail(ok.error());
    if (auto ok = notify_person(ctx_.outbox, *account, "A Latchkey sign-in was ended",
                                "An old sign-in token of one of your devices was used again, "
                                "which can mean it was copied; that device was signed out",
                                now);
        !ok)
      return fail(ok.error());
    if (Status ok = commit_and_deliver(ctx_, *tx); !ok) return fail(ok.error());
    return fail(not_signed_in());
  }

  const store::Row& row = (*rows)[0];
  auto id = row.text(0);
  auto account = row.text(1);
  auto mfa = row.int64(3);
  auto expires = row.int64(4);
  auto refresh_expires = row.int64(5);
  auto ended = row.int64(6);
  auto status = row.text(7);
  auto mfa_enabled = row.int64(8);
  if (!id || !account || !mfa || !expires || !refresh_expires || !ended || !status || !mfa_enabled)
    return fail(Error(Errc::internal, "sessions: unreadable row"));
  if (*ended != 0 || *refresh_expires <= now || *expires <= now || *status != "active")
    return fail(not_signed_in());

  SignedIn out;
  out.actor = Actor{std::string(*account), std::string(*id), optional_text(row, 2),
                    *mfa_enabled != 0, *mfa != 0};
  out.tokens = Tokens{new_token(), std::min(now + policy_.access_ttl_ms, *expires), new_token(),
                      std::min(now + policy_.refresh_ttl_ms, *expires)};
  auto remembered =
      ctx_.db.execute("INSERT INTO used_refresh_tokens (hash, session, used) VALUES (?, ?, ?)",
                      {presented, out.actor.session, now});
  if (!remembered) return fail(Error::from_store(remembered.error()));
  auto rotated = ctx_.db.execute(
      "UPDATE sessions SET access_hash = ?, access_expires = ?, refresh_hash = ?, "
      "refresh_expires = ? WHERE id = ?",
      {to_blob(digest(out.tokens.access_token)), out.tokens.access_expires,
       to_blob(digest(out.tokens.refresh_token)), out.tokens.refresh_expires, out.actor.session});
  if (!rotated) return fail(Error::from_store(rotated.error()));
  if (out.actor.device) {
    if (auto ok = devices_.touch(*out.actor.device); !ok) return fail(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return fail(Error::from_store(ok.error()));
  return out;
}

Status Sessions::sign_out(const Actor& actor) {
  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto ended = end_where("id", actor.session, "signed_out", {});
  if (!ended) return fail(ended.error());
  if (*ended == 0) return fail(not_signed_in());
  if (auto ok = audit_act(ctx_.audit, AuditType::sign_out, actor.audit_name(),
                          "session:" + actor.session);
      !ok)
    return ok;
  return lift(tx->commit());
}

Result<Actor> Sessions::authenticate(std::string_view access_token) const {
  if (!is_token_shaped(access_token)) return fail(not_signed_in());
  const Digest hash = digest(access_token);
  const std::string_view key(reinterpret_cast<const char*>(hash.data()), hash.size());
  // Ended sessions and inactive accounts are left out; expiry is checked below on every call, so
  // that a kept row is judged by the clock as a fresh one would be. Unknown tokens are not kept.
  auto live = live_.get(key, [&]() -> Result<Live> {
    auto rows = ctx_.db.query(
        "SELECT s.id, s.account, s.device, s.mfa, CASE WHEN m.confirmed IS NULL THEN 0 ELSE 1 "
        "END, s.access_expires, s.expires "
        "FROM sessions s JOIN accounts a ON a.id = s.account "
        "LEFT JOIN mfa_totp m ON m.account = s.account "
        "WHERE s.access_hash = ? AND s.ended IS NULL AND a.status = 'active'",
        {to_blob(hash)});
    if (!rows) return fail(Error::from_store(rows.error()));
    if (rows->empty()) return fail(not_signed_in());
    const store::Row& row = (*rows)[0];
    auto id = row.text(0);
    auto account = row.text(1);
    auto mfa = row.int64(3);
    auto mfa_enabled = row.int64(4);
    auto access_expires = row.int64(5);
    auto expires = row.int64(6);
    if (!id || !account || !mfa || !mfa_enabled || !access_expires || !expires)
      return fail(Error(Errc::internal, "sessions: unreadable row"));
    return Live{Actor{std::string(*account), std::string(*id), optional_text(row, 2),
                      *mfa_enabled != 0, *mfa != 0},
                *access_expires, *expires};
  });
  if (!live) return fail(live.error());
  const lockcore::UnixMs now = ctx_.clock.now();
  if (live->access_expires <= now || live->expires <= now) return fail(not_signed_in());
  return std::move(live->actor);
}

Result<std::int64_t> Sessions::end_where(std::string_view column, std::string_view value,
                                         std::string_view reason, std::string_view except_session) {
  // `column` is one of this file's literals ("id", "account", "device"), never caller input.
  return lift(ctx_.db.execute(
      "UPDATE sessions SET ended = ?, end_reason = ? WHERE " + std::string(column) +
          " = ? AND ended IS NULL AND id <> ?",
      {ctx_.clock.now(), std::string(reason), std::string(value), std::string(except_session)}));
}

Result<std::int64_t> Sessions::end_all(std::string_view account, std::string_view reason,
                                       std::string_view except_session) {
  return end_where("account", account, reason, except_session);
}

Result<std::int64_t> Sessions::end_for_device(std::string_view device, std::string_view reason) {
  return end_where("device", device, reason, {});
}

Status Sessions::bind_device(std::string_view session, std::string_view device) {
  auto bound = ctx_.db.execute("UPDATE sessions SET device = ? WHERE id = ? AND device IS NULL",
                               {std::string(device), std::string(session)});
  if (!bound) return fail(Error::from_store(bound.error()));
  return {};
}

Status Sessions::mark_mfa_satisfied(std::string_view session) {
  auto updated =
      ctx_.db.execute("UPDATE sessions SET mfa = 1 WHERE id = ?", {std::string(session)});
  if (!updated) return fail(Error::from_store(updated.error()));
  return {};
}

}  // namespace server::identity
