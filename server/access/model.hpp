#pragma once
// The access domain's records: sites, units, memberships and ownership transfers, as the store
// holds them and the domain's calls return them.

#include <optional>
#include <string>
#include <string_view>

#include "lockcore/types.hpp"
#include "server/access/roles.hpp"

namespace server::access {

using lockcore::UnixMs;

struct Site {
  std::string id;  // 1-32 of [A-Za-z0-9._-]: an MQTT topic level (lockcore::is_valid_id)
  std::string name;
  std::string timezone;  // IANA name, e.g. "America/New_York"
  UnixMs created = 0;
  friend bool operator==(const Site&, const Site&) = default;
};

struct Unit {
  std::string site;
  std::string id;  // same form as a site id
  std::string name;
};

enum class MembershipStatus : std::uint8_t { active, suspended, ended };
std::string_view to_string(MembershipStatus status);

struct Membership {
  std::string id;  // "mem_…"
  std::string site;
  std::optional<std::string> unit;  // nullopt: site-wide
  std::string account;
  Role role = Role::guest;
  std::optional<UnixMs> valid_from;   // nullopt: since always
  std::optional<UnixMs> valid_until;  // nullopt: for good; the window is [from, until)
  lockcore::WeeklySchedule schedule;  // days_mask 0: any time
  MembershipStatus status = MembershipStatus::active;
  UnixMs created = 0;
  std::string granted_by;  // account id of the granter ("system" for none)
  friend bool operator==(const Membership&, const Membership&) = default;

  // Not ended and not past its window: the site is visible through it (a future one included).
  bool visible_at(UnixMs now) const {
    return status != MembershipStatus::ended && (!valid_until || now < *valid_until);
  }
  // Active and inside its window: it grants what its role allows.
  bool counts_at(UnixMs now) const {
    return status == MembershipStatus::active && visible_at(now) &&
           (!valid_from || now >= *valid_from);
  }
};

// A membership as the people page shows it: with the holder's email (identity's, looked up through
// the Accounts port; empty when the account is gone).
struct Person {
  Membership membership;
  std::string email;
};

enum class TransferStatus : std::uint8_t { pending, accepted, cancelled, expired };
std::string_view to_string(TransferStatus status);

struct Transfer {
  std::string id;  // "otr_…"
  std::string site;
  std::string from_account;
  std::string to_account;
  TransferStatus status = TransferStatus::pending;  // expired: pending past `expires`
  UnixMs created = 0;
  UnixMs expires = 0;
};

}  // namespace server::access
