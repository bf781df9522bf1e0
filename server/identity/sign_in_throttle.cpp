#include "server/identity/sign_in_throttle.hpp"

#include <algorithm>

#include <sodium.h>

#include "server/identity/contact.hpp"
#include "server/identity/secret.hpp"
#include "server/store/ids.hpp"

namespace server::identity {

namespace {

Error too_many(lockcore::UnixMs wait_ms, std::string message) {
  Error e(Errc::rate_limited, std::move(message));
  e.retry_after_s = static_cast<int>(std::max<lockcore::UnixMs>(1, (wait_ms + 999) / 1000));
  return e;
}

}  // namespace

std::string login_key(std::string_view email) {
  const Digest d = digest(email_key(email));
  std::string hex(d.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), d.data(), d.size());
  hex.pop_back();
  return hex;
}

std::string source_of(const boost::asio::ip::address& address) {
  if (address.is_v6()) {
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped())
      return "ip:" + boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return "ip:" + boost::asio::ip::address_v6(bytes).to_string() + "/64";
  }
  return "ip:" + address.to_string();
}

lockcore::UnixMs SignInThrottle::delay_after(std::int64_t failures) const {
  if (failures < policy_.free_failures) return 0;
  const std::int64_t doublings = std::min<std::int64_t>(failures - policy_.free_failures, 40);
  const lockcore::UnixMs cap = policy_.max_delay_ms;
  // first_delay * 2^doublings, saturating at the cap.
  lockcore::UnixMs delay = policy_.first_delay_ms;
  for (std::int64_t i = 0; i < doublings && delay < cap; ++i)
    delay *= 2;
  return std::min(delay, cap);
}

Status SignInThrottle::forgive(std::string_view email) {
  const std::string login = login_key(email);
  for (const char* sql : {"DELETE FROM sign_in_streaks WHERE login = ?",
                          "DELETE FROM sign_in_failures WHERE login = ?"}) {
    auto deleted = db_.execute(sql, {login});
    if (!deleted) return fail(Error::from_store(deleted.error()));
  }
  return {};
}

Result<SignInThrottle::CapHold> SignInThrottle::cap_hold(const std::string& login,
                                                         lockcore::UnixMs now) const {
  auto recent =
      db_.query("SELECT count(*), min(at) FROM sign_in_failures WHERE login = ? AND at > ?",
                {login, now - policy_.cap_window_ms});
  if (!recent) return fail(Error::from_store(recent.error()));
  auto count = (*recent)[0].int64(0);
  if (!count) return fail(Error(Errc::internal, "sign_in_failures: unreadable count"));
  if (*count < policy_.account_cap) return CapHold{};
  auto oldest = (*recent)[0].int64(1);
  return CapHold{*count, (oldest ? *oldest : now) + policy_.cap_window_ms};
}

Result<SignInStanding> SignInThrottle::standing(std::string_view email) const {
  const lockcore::UnixMs now = clock_.now();
  const std::string login = login_key(email);
  SignInStanding out;
  auto streaks = db_.query(
      "SELECT source, failures, last_failure FROM sign_in_streaks WHERE login = ? AND "
      "last_failure > ?",
      {login, now - policy_.streak_memory_ms});
  if (!streaks) return fail(Error::from_store(streaks.error()));
  for (const store::Row& row : *streaks) {
    auto source = row.text(0);
    auto failures = row.int64(1);
    auto last = row.int64(2);
    if (!source || !failures || !last)
      return fail(Error(Errc::internal, "sign_in_streaks: unreadable row"));
    out.failures += *failures;
    const lockcore::UnixMs ready = *last + delay_after(*failures);
    if (ready > now && ready > out.held_until) {
      out.held_until = ready;
      out.held_source = std::string(*source);
      out.held_failures = *failures;
    }
  }
  auto cap = cap_hold(login, now);
  if (!cap) return fail(cap.error());
  if (cap->frees > out.held_until) {
    out.held_until = cap->frees;
    out.held_source = "untrusted";
    out.held_failures = cap->failures;
  }
  return out;
}

bool SignInThrottle::known(const std::string& login, std::string_view source, lockcore::UnixMs now,
                           Status& status) {
  auto rows = db_.query(
      "SELECT last_success FROM sign_in_sources WHERE login = ? AND source = ? AND "
      "last_success > ?",
      {login, std::string(source), now - policy_.known_source_for_ms});
  if (!rows) {
    status = fail(Error::from_store(rows.error()));
    return false;
  }
  return !rows->empty();
}

Result<Attempt> SignInThrottle::begin(std::string_view email, std::string_view source,
                                      bool device_proven) {
  const lockcore::UnixMs now = clock_.now();
  Attempt attempt{login_key(email), std::string(source), device_proven, {}};
  auto tx = db_.begin();
  if (!tx) return fail(Error::from_store(tx.error()));

  // 1. This source's streak.
  auto streak =
      db_.query("SELECT failures, last_failure FROM sign_in_streaks WHERE login = ? AND source = ?",
                {attempt.login, attempt.source});
  if (!streak) return fail(Error::from_store(streak.error()));
  std::int64_t failures = 0;
  if (!streak->empty()) {
    auto count = (*streak)[0].int64(0);
    auto last = (*streak)[0].int64(1);
    if (!count || !last) return fail(Error(Errc::internal, "sign_in_streaks: unreadable row"));
    if (now - *last < policy_.streak_memory_ms) {
      failures = *count;
      const lockcore::UnixMs ready = *last + delay_after(failures);
      if (now < ready) {
        return fail(too_many(ready - now,
                             "too many failed attempts from here; wait before "
                             "trying again"));
      }
    }
  }

  // 2. The per-account cap, for sources the account has not signed in from.
  if (!attempt.trusted) {
    Status status;
    attempt.trusted = known(attempt.login, attempt.source, now, status);
    if (!status) return fail(status.error());
  }
  if (!attempt.trusted) {
    const lockcore::UnixMs window_start = now - policy_.cap_window_ms;
    auto pruned = db_.execute("DELETE FROM sign_in_failures WHERE login = ? AND at <= ?",
                              {attempt.login, window_start});
    if (!pruned) return fail(Error::from_store(pruned.error()));
    auto cap = cap_hold(attempt.login, now);
    if (!cap) return fail(cap.error());
    if (cap->frees != 0) {
      return fail(too_many(cap->frees - now,
                           "too many failed sign-ins for this account; try again "
                           "later, or from a device you have enrolled"));
    }
    attempt.reserved = store::new_id("sif");
    auto reserved =
        db_.execute("INSERT INTO sign_in_failures (id, login, source, at) VALUES (?, ?, ?, ?)",
                    {attempt.reserved, attempt.login, attempt.source, now});
    if (!reserved) return fail(Error::from_store(reserved.error()));
  }

  auto counted = db_.execute(
      "INSERT INTO sign_in_streaks (login, source, failures, last_failure) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (login, source) DO UPDATE SET failures = excluded.failures, "
      "last_failure = excluded.last_failure",
      {attempt.login, attempt.source, failures + 1, now});
  if (!counted) return fail(Error::from_store(counted.error()));
  if (auto committed = tx->commit(); !committed) return fail(Error::from_store(committed.error()));
  return attempt;
}

Status SignInThrottle::succeeded(const Attempt& attempt) {
  auto cleared = db_.execute("DELETE FROM sign_in_streaks WHERE login = ? AND source = ?",
                             {attempt.login, attempt.source});
  if (!cleared) return fail(Error::from_store(cleared.error()));
  if (!attempt.reserved.empty()) {
    auto taken = db_.execute("DELETE FROM sign_in_failures WHERE id = ?", {attempt.reserved});
    if (!taken) return fail(Error::from_store(taken.error()));
  }
  auto remembered = db_.execute(
      "INSERT INTO sign_in_sources (login, source, last_success) VALUES (?, ?, ?) "
      "ON CONFLICT (login, source) DO UPDATE SET last_success = excluded.last_success",
      {attempt.login, attempt.source, clock_.now()});
  if (!remembered) return fail(Error::from_store(remembered.error()));
  return {};
}

Status SignInThrottle::withdraw(const Attempt& attempt) {
  auto tx = db_.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto uncounted = db_.execute(
      "UPDATE sign_in_streaks SET failures = failures - 1 WHERE login = ? AND source = ? AND "
      "failures > 0",
      {attempt.login, attempt.source});
  if (!uncounted) return fail(Error::from_store(uncounted.error()));
  if (!attempt.reserved.empty()) {
    auto taken = db_.execute("DELETE FROM sign_in_failures WHERE id = ?", {attempt.reserved});
    if (!taken) return fail(Error::from_store(taken.error()));
  }
  if (auto committed = tx->commit(); !committed) return fail(Error::from_store(committed.error()));
  return {};
}

}  // namespace server::identity
