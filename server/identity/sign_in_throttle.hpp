#pragma once
// SignInThrottle: how often someone may try a password (or a second factor) for one account,
// per NIST SP 800-63B 5.2.2 and OWASP ASVS 5.0 6.1.1/6.3.1, built so that it cannot be used to
// lock the account's owner out.
//
// Two limits, both keyed by the account's *email* (its BLAKE2b digest), never by whether the
// account exists, so an unknown address is throttled exactly like a known one:
//   1. A streak per (account, source): the first `free_failures` consecutive failures cost
//      nothing; after that each attempt waits first_delay, doubling with every further failure,
//      up to max_delay (1 s, 2 s, 4 s … 1 h). A success from that source ends its streak; a
//      streak with no failure for `streak_memory` is forgotten. Another source's streak is its
//      own: an attacker's failures slow only the attacker's own address.
//   2. A cap per account: at most `account_cap` failures in any `cap_window` (100 per hour)
//      from *untrusted* sources. Past it, untrusted sources get rate_limited until the oldest
//      failure leaves the window. Trusted sources are not subject to the cap (their own streak
//      still applies): a source that signed in to this account successfully within
//      `known_source_for` (NIST: "disregard previous failed attempts … from the same IP
//      address"), or a device of the account that proves itself (device_key.hpp), whose streak
//      is kept per device rather than per address. So an attacker hammering the account from
//      anywhere cannot keep its owner out of their own phone or their usual network.
//
// A source is "ip:<address>" (IPv6 by its /64, which one host usually controls whole) or
// "device:<id>". Every attempt is counted as a failure *before* the password is checked, and
// taken back on success, so that attempts running concurrently cannot exceed either limit.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "lockcore/platform.hpp"
#include "server/common/error.hpp"
#include "server/store/database.hpp"
#include "server/store/migrations.hpp"

namespace server::identity {

struct ThrottlePolicy {
  int free_failures = 5;
  lockcore::UnixMs first_delay_ms = 1'000;
  lockcore::UnixMs max_delay_ms = 3'600'000;
  lockcore::UnixMs streak_memory_ms = 24 * 3'600'000LL;
  int account_cap = 100;
  lockcore::UnixMs cap_window_ms = 3'600'000;
  lockcore::UnixMs known_source_for_ms = 90 * 24 * 3'600'000LL;
};

struct Attempt {
  std::string login;   // hex BLAKE2b of the lowercased email
  std::string source;  // "ip:…" or "device:…"
  bool trusted = false;
  std::string reserved;  // the id of the failure counted against the cap; empty when trusted
};

// How sign-in stands for one account now, for the lockout diagnosis to explain (to the account's
// own verified owner only: it says nothing an attempt would not).
struct SignInStanding {
  std::int64_t failures = 0;        // failed attempts in the streaks still remembered, all sources
  lockcore::UnixMs held_until = 0;  // the latest moment some source must wait for; 0: none waits
  std::string held_source;  // that source ("ip:…", "device:…"), or "untrusted" for the cap
  std::int64_t held_failures = 0;  // the failures in a row behind that hold
};

class SignInThrottle {
 public:
  SignInThrottle(store::Database& db, const lockcore::Clock& clock, ThrottlePolicy policy = {})
      : db_(db), clock_(clock), policy_(policy) {}

  // Whether one more attempt on the account `email` from `source` may go ahead; if so it is
  // counted as a failure now. `device_proven`: `source` is "device:<id>" of a device of this
  // account whose proof verified. Starts and commits its own transaction.
  // Errors: rate_limited with retry_after_s; the store's (unavailable, internal).
  Result<Attempt> begin(std::string_view email, std::string_view source, bool device_proven);
  // The attempt succeeded: ends the source's streak, takes back the reserved failure, and
  // remembers the source as one that signs in to this account. Writes through the caller's
  // transaction (call it in the one that records the success).
  Status succeeded(const Attempt& attempt);
  // The password was right but a second factor is still to come: takes the attempt back without
  // ending the streak. Starts and commits its own transaction.
  Status withdraw(const Attempt& attempt);

  // The account's password was reset: every streak and every failure counted against its cap
  // is forgotten (they were guesses at the old password). Writes through the caller's
  // transaction. Errors: the store's.
  Status forgive(std::string_view email);

  // Where the account `email` stands now: its remembered failures, and the longest wait any
  // source (or every untrusted one, past the cap) is held for. Reads only.
  // Errors: the store's (unavailable, internal).
  Result<SignInStanding> standing(std::string_view email) const;

  // The wait before the attempt that follows `failures` consecutive failures.
  lockcore::UnixMs delay_after(std::int64_t failures) const;
  const ThrottlePolicy& policy() const { return policy_; }

 private:
  // The untrusted failures within the cap window, and when the oldest leaves it if they reach the
  // cap (0: below it). Errors: the store's.
  struct CapHold {
    std::int64_t failures = 0;
    lockcore::UnixMs frees = 0;
  };
  Result<CapHold> cap_hold(const std::string& login, lockcore::UnixMs now) const;
  bool known(const std::string& login, std::string_view source, lockcore::UnixMs now,
             Status& status);

  store::Database& db_;
  const lockcore::Clock& clock_;
  ThrottlePolicy policy_;
};

// "ip:203.0.113.9"; an IPv4-mapped IPv6 address as IPv4; other IPv6 addresses by their /64
// ("ip:2001:db8:1:2::/64").
std::string source_of(const boost::asio::ip::address& address);
// The key both limits are kept under: hex BLAKE2b-256 of the lowercased email.
std::string login_key(std::string_view email);

}  // namespace server::identity
