#include "server/identity/mfa.hpp"

#include <algorithm>
#include <limits>

#include "server/identity/password_hasher.hpp"
#include "server/identity/recovery_codes.hpp"
#include "server/identity/secret.hpp"
#include "server/identity/sessions.hpp"
#include "server/identity/sign_in_throttle.hpp"
#include "server/identity/totp.hpp"
#include "server/identity/trail.hpp"

namespace server::identity {

namespace asio = boost::asio;
using audit::AuditType;

namespace {

bool six_digits(std::string_view code) {
  return code.size() == static_cast<std::size_t>(totp::kDigits) &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error signed_out() {
  return Error(Errc::unauthenticated, "sign in again");
}

Error mfa_is_off() {
  return Error::conflict("MFA is not on for this account");
}

}  // namespace

Error rejected_code(CodeCheck check) {
  return Error(Errc::unauthenticated,
               check == CodeCheck::reused
                   ? "that code was used already; wait for the next one"
                   : "the code is wrong; use the current code from your authenticator app or an "
                     "unused recovery code",
               "code");
}

asio::awaitable<Result<MfaEnrollment>> Mfa::begin(const Actor& actor, std::string password,
                                                  std::string source) {
  auto stored = accounts_.load(actor.account);
  if (!stored) co_return fail(signed_out());
  if (stored->account.mfa_enabled)
    co_return fail(Error::conflict("MFA is on already; turn it off first to start again"));
  auto attempt = co_await accounts_.check_password(*stored, std::move(password), source, "password",
                                                   "mfa_enrollment");
  if (!attempt) co_return fail(attempt.error());

  const std::vector<std::uint8_t> secret = random_bytes(totp::kSecretBytes);
  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  auto cleared = ctx_.db.execute("DELETE FROM mfa_totp WHERE account = ? AND confirmed IS NULL",
                                 {actor.account});
  if (!cleared) co_return fail(Error::from_store(cleared.error()));
  auto inserted = ctx_.db.execute(
      "INSERT INTO mfa_totp (account, secret, created, confirmed, last_step) "
      "VALUES (?, ?, ?, NULL, ?)",
      {actor.account, to_blob(secret), ctx_.clock.now(), std::numeric_limits<std::int64_t>::min()});
  if (!inserted) {
    if (inserted.error().code == store::Errc::unique_violation)
      co_return fail(Error::conflict("MFA is on already; turn it off first to start again"));
    co_return fail(Error::from_store(inserted.error()));
  }
  if (auto ok = ctx_.throttle.succeeded(*attempt); !ok) co_return fail(ok.error());
  if (auto ok = tx->commit(); !ok) co_return fail(Error::from_store(ok.error()));
  co_return MfaEnrollment{totp::base32(secret),
                          totp::otpauth_uri(ctx_.issuer, stored->account.email, secret)};
}

Result<std::vector<std::string>> Mfa::confirm(const Actor& actor, std::string_view code) {
  if (code.empty()) return fail(Error::missing_field("code"));
  if (!six_digits(code)) return fail(Error::invalid_field("code", "must be 6 digits"));
  auto account = accounts_.find(actor.account);
  if (!account) return fail(signed_out());

  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto rows = ctx_.db.query(
      "SELECT secret, CASE WHEN confirmed IS NULL THEN 0 ELSE 1 END, last_step FROM mfa_totp "
      "WHERE account = ?",
      {actor.account});
  if (!rows) return fail(Error::from_store(rows.error()));
  if (rows->empty()) return fail(Error::conflict("start MFA enrollment first"));
  auto secret = (*rows)[0].blob(0);
  auto confirmed = (*rows)[0].int64(1);
  auto last_step = (*rows)[0].int64(2);
  if (!secret || !confirmed || !last_step)
    return fail(Error(Errc::internal, "mfa_totp: unreadable row"));
  if (*confirmed != 0) return fail(Error::conflict("MFA is on already"));
  auto step = totp::match(*secret, code, ctx_.clock.now(), *last_step);
  if (!step) return fail(rejected_code(CodeCheck::wrong));

  auto updated =
      ctx_.db.execute("UPDATE mfa_totp SET confirmed = ?, last_step = ? WHERE account = ?",
                      {ctx_.clock.now(), *step, actor.account});
  if (!updated) return fail(Error::from_store(updated.error()));
  auto codes = store_recovery_codes(actor.account);
  if (!codes) return fail(codes.error());
  if (auto ok = sessions_.mark_mfa_satisfied(actor.session); !ok) return fail(ok.error());
  if (auto ok = audit_act(ctx_.audit, AuditType::mfa_enabled, actor.audit_name(),
                          account_subject(actor.account), {{"method", "totp"}});
      !ok)
    return fail(ok.error());
  if (auto ok = notify_person(ctx_.outbox, *account, "Two-step sign-in is on",
                              "Two-step sign-in with an authenticator app was turned on for your "
                              "account, and new recovery codes were made",
                              ctx_.clock.now());
      !ok)
    return fail(ok.error());
  if (Status ok = commit_and_deliver(ctx_, *tx); !ok) return fail(ok.error());
  return codes;
}

asio::awaitable<Result<Mfa::Reauthenticated>> Mfa::reauthenticate(const Actor& actor,
                                                                  Reauthentication proof,
                                                                  std::string source,
                                                                  std::string_view purpose) {
  auto loaded = accounts_.load(actor.account);
  if (!loaded) co_return fail(signed_out());
  Reauthenticated out{std::move(*loaded), {}};
  const StoredAccount& stored = out.stored;
  if (!stored.account.mfa_enabled) co_return fail(mfa_is_off());
  if (proof.password && proof.code)
    co_return fail(Error::invalid_field("code", "give the password or a code, not both"));
  if (!proof.password && !proof.code) co_return fail(Error::missing_field("password"));
  if (proof.password) {
    auto attempt = co_await accounts_.check_password(stored, std::move(*proof.password), source,
                                                     "password", purpose);
    if (!attempt) co_return fail(attempt.error());
    out.attempt = std::move(*attempt);
    co_return out;
  }
  // A code is checked under the same throttle as a password: six digits are few.
  auto attempt = ctx_.throttle.begin(stored.account.email, source, false);
  if (!attempt) co_return fail(attempt.error());
  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  auto used = use_code(stored.account.id, *proof.code);
  if (!used) co_return fail(used.error());
  const bool good = *used == CodeCheck::totp || *used == CodeCheck::recovery_code;
  boost::json::object detail{{"during", purpose}};
  Status audited;
  if (*used == CodeCheck::recovery_code) {
    audited =
        audit_act(ctx_.audit, AuditType::recovery_code_used, account_subject(stored.account.id),
                  account_subject(stored.account.id), detail);
  } else if (!good) {
    detail["reason"] = *used == CodeCheck::reused ? "code_reused" : "wrong_code";
    audited = audit_act(ctx_.audit, AuditType::sign_in_failed, source,
                        account_subject(stored.account.id), detail);
  }
  if (!audited) co_return fail(audited.error());
  if (auto ok = tx->commit(); !ok) co_return fail(Error::from_store(ok.error()));
  if (!good) co_return fail(rejected_code(*used));
  out.attempt = std::move(*attempt);
  co_return out;
}

asio::awaitable<Status> Mfa::disable(const Actor& actor, Reauthentication proof,
                                     std::string source) {
  const bool by_password = proof.password.has_value();
  auto confirmed = co_await reauthenticate(actor, std::move(proof), source, "mfa_disable");
  if (!confirmed) co_return fail(confirmed.error());

  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  for (std::string_view sql :
       {"DELETE FROM recovery_codes WHERE account = ?", "DELETE FROM mfa_totp WHERE account = ?"}) {
    auto deleted = ctx_.db.execute(sql, {actor.account});
    if (!deleted) co_return fail(Error::from_store(deleted.error()));
  }
  if (auto ok = ctx_.throttle.succeeded(confirmed->attempt); !ok) co_return ok;
  if (auto ok = audit_act(ctx_.audit, AuditType::mfa_disabled, actor.audit_name(),
                          account_subject(actor.account),
                          {{"confirmed_with", by_password ? "password" : "code"}});
      !ok)
    co_return ok;
  if (auto ok = notify_person(ctx_.outbox, confirmed->stored.account, "Two-step sign-in is off",
                              "Two-step sign-in was turned off for your account and its "
                              "recovery codes no longer work",
                              ctx_.clock.now());
      !ok)
    co_return ok;
  co_return commit_and_deliver(ctx_, *tx);
}

asio::awaitable<Result<std::vector<std::string>>> Mfa::regenerate_recovery_codes(
    const Actor& actor, Reauthentication proof, std::string source) {
  auto confirmed = co_await reauthenticate(actor, std::move(proof), source, "recovery_codes");
  if (!confirmed) co_return fail(confirmed.error());

  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) co_return fail(Error::from_store(tx.error()));
  auto codes = store_recovery_codes(actor.account);
  if (!codes) co_return fail(codes.error());
  if (auto ok = ctx_.throttle.succeeded(confirmed->attempt); !ok) co_return fail(ok.error());
  if (auto ok = audit_act(ctx_.audit, AuditType::recovery_codes_regenerated, actor.audit_name(),
                          account_subject(actor.account));
      !ok)
    co_return fail(ok.error());
  if (auto ok = notify_person(ctx_.outbox, confirmed->stored.account, "New Latchkey recovery codes",
                              "New recovery codes were made for your account; the old ones no "
                              "longer work",
                              ctx_.clock.now());
      !ok)
    co_return fail(ok.error());
  if (Status ok = commit_and_deliver(ctx_, *tx); !ok) co_return fail(ok.error());
  co_return std::move(*codes);
}

Result<CodeCheck> Mfa::use_code(std::string_view account, std::string_view code) {
  const lockcore::UnixMs now = ctx_.clock.now();
  if (six_digits(code)) {
    auto rows = ctx_.db.query(
        "SELECT secret, last_step FROM mfa_totp WHERE account = ? AND confirmed IS NOT NULL",
        {std::string(account)});
    if (!rows) return fail(Error::from_store(rows.error()));
    if (rows->empty()) return CodeCheck::wrong;
    auto secret = (*rows)[0].blob(0);
    auto last_step = (*rows)[0].int64(1);
    if (!secret || !last_step) return fail(Error(Errc::internal, "mfa_totp: unreadable row"));
    auto step = totp::match(*secret, code, now, *last_step);
    if (!step) {
      const bool seen =
          totp::match(*secret, code, now, std::numeric_limits<std::int64_t>::min()).has_value();
      return seen ? CodeCheck::reused : CodeCheck::wrong;
    }
    auto used = ctx_.db.execute("UPDATE mfa_totp SET last_step = ? WHERE account = ?",
                                {*step, std::string(account)});
    if (!used) return fail(Error::from_store(used.error()));
    return CodeCheck::totp;
  }
  auto normal = recovery::normalise(code);
  if (!normal) return CodeCheck::wrong;
  auto used = ctx_.db.execute(
      "UPDATE recovery_codes SET used = ? WHERE digest = ? AND account = ? AND used IS NULL",
      {now, to_blob(digest(*normal)), std::string(account)});
  if (!used) return fail(Error::from_store(used.error()));
  return *used == 1 ? CodeCheck::recovery_code : CodeCheck::wrong;
}

Result<std::int64_t> Mfa::recovery_codes_left(std::string_view account) const {
  auto rows =
      ctx_.db.query("SELECT count(*) FROM recovery_codes WHERE account = ? AND used IS NULL",
                    {std::string(account)});
  if (!rows) return fail(Error::from_store(rows.error()));
  return lift((*rows)[0].int64(0));
}

Result<std::vector<std::string>> Mfa::store_recovery_codes(std::string_view account) {
  auto cleared =
      ctx_.db.execute("DELETE FROM recovery_codes WHERE account = ?", {std::string(account)});
  if (!cleared) return fail(Error::from_store(cleared.error()));
  std::vector<std::string> codes = recovery::generate();
  for (const std::string& code : codes) {
    auto inserted = ctx_.db.execute(
        "INSERT INTO recovery_codes (digest, account, created, used) VALUES (?, ?, ?, NULL)",
        {to_blob(digest(*recovery::normalise(code))), std::string(account), ctx_.clock.now()});
    if (!inserted) return fail(Error::from_store(inserted.error()));
  }
  return codes;
}

}  // namespace server::identity
