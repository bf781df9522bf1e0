#pragma once
// SnapshotSource: fills the diagnosis engine's Snapshot (diagnosis/snapshot.hpp) for one person,
// one door and one moment from what the other domains know, through their public interfaces and
// read-only: identity (the account, MFA, enrolled devices), access (memberships, move-outs from the
// audit trail, pending transfers, the site's admins and time zone), devices (the lock, its hub,
// health, events, the person's codes and the backup pool) and maintenance (open work orders).
//
// A caller who is not signed in is an unknown person: the snapshot then describes the door alone
// (telemetry, events) for someone assumed to hold an ordinary current membership and proven to be
// nobody (Verification::none), so the plan holds only what such a person may have: their own key
// or code, waiting out a cooldown, realigning a jammed door. Nothing about any account is read.

#include <optional>
#include <string>

#include "server/common/error.hpp"
#include "server/lockout/deps.hpp"
#include "server/lockout/diagnosis/snapshot.hpp"
#include "server/lockout/model.hpp"

namespace server::lockout {

// How many of a site's newest membership_ended entries a diagnosis reads for a move-out.
inline constexpr std::size_t kEndedMembershipsRead = 200;

// Whom and what the snapshot is about.
struct Subject {
  std::string site;
  std::string lock;
  std::optional<std::string> account;  // nullopt: an unknown caller
  Verification verification = Verification::none;
  // The caller's own signed-in session is this account's (then its device, if bound).
  bool signed_in = false;
  std::optional<std::string> session_device;
  // The case was opened without signing in (and `account` is the one staff since verified): the
  // person had no session at hand then.
  bool reported_signed_out = false;
};

class SnapshotSource {
 public:
  explicit SnapshotSource(const Deps& deps);

  // Errors: not_found "site" (no such site); the store's (internal, unavailable).
  Result<Snapshot> take(const Subject& subject, const NewCase& report, UnixMs now);

  // Whether `account` may operate `lock` now under access's policy (role, window, schedule,
  // standing). Errors: the store's.
  Result<bool> may_operate(std::string_view account, std::string_view site, std::string_view lock,
                           UnixMs now);
  // The owners and managers of `site` in good standing now, except `except`. Errors: the store's.
  Result<std::vector<access::AccountInfo>> admins(std::string_view site, std::string_view except,
                                                  UnixMs now);

 private:
  Status fill_person(const Subject& s, const NewCase& report, Snapshot& out);
  Status fill_relation(const Subject& s, const std::string& timezone,
                       std::optional<std::string> unit, Snapshot& out);
  Status fill_codes(const Subject& s, const std::string& timezone, Snapshot& out);
  // When `account`'s membership covering the door ended (the newest such audit entry among the
  // site's last kEndedMembershipsRead membership_ended), if it did.
  Result<std::optional<UnixMs>> moved_out_at(const std::string& account, const std::string& site,
                                             const std::optional<std::string>& unit);
  Status fill_lock(const Subject& s, Snapshot& out);
  Status fill_site(const Subject& s, const std::string& timezone, Snapshot& out);

  const Deps& deps_;
  access::Policy policy_;
};

}  // namespace server::lockout
