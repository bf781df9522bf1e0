#pragma once
// The authorization policy: the one function the API and every domain asks before acting.
//
//   policy.check(account, Action::operate_lock, {.site = "s1", .lock = "u204"}, clock.now())
//
// `account` is the authenticated account (never an id the client sent about itself); the scope's
// ids come from the request and are checked here, against this site.
//
// Visibility first: a site, unit or door is visible to someone through a membership there that
// has not ended and whose window has not passed (one that starts later included) and that covers
// it: a unit membership covers its unit and the site's common doors (locks without a unit); a
// site-wide membership covers every unit and door. Anything not visible, another site's ids
// included, is not_found: indistinguishable from an id that does not exist.
//
// Then the right: some covering membership must be active (not suspended), inside its window
// [valid_from, valid_until), for door operations (is_door_operation) inside its weekly schedule
// in the site's time zone, of a role the matrix (roles.hpp) allows the action, and the account
// must be in good standing (Accounts::find: exists and active). Otherwise forbidden, with the
// first reason in the order of Denial below.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/access/deps.hpp"
#include "server/access/generation.hpp"
#include "server/access/model.hpp"
#include "server/access/roles.hpp"
#include "server/common/error.hpp"

namespace server::access {

struct Scope {
  std::string site;
  std::optional<std::string> unit;  // one unit of the site
  std::optional<std::string> lock;  // one door of the site; takes precedence over unit
};

// Why an action is refused, in the order they are tested; lockout diagnosis maps these to its
// causes (role_cannot_unlock, outside_schedule, access_expired, account_suspended).
enum class Denial : std::uint8_t {
  none,              // allowed
  not_visible,       // not_found: no such site/unit/door, or not this person's to see
  account_inactive,  // the account is suspended, deleted or unknown to identity
  role,              // no covering membership's role allows the action
  suspended,         // the memberships that would allow it are suspended at this site
  outside_window,    // ... have not started yet
  outside_schedule,  // ... are outside their weekly schedule now (door operations only)
};
std::string_view to_string(Denial denial);

struct Decision {
  Denial denial = Denial::not_visible;
  bool allowed() const { return denial == Denial::none; }
};

class Policy {
 public:
  // The rows decide() reads (the site, the account's memberships there) are kept while
  // deps.changes has not moved (generation.hpp); the decision is made afresh each time.
  explicit Policy(const Deps& deps) : deps_(deps), rows_(deps.changes, kCachedRows) {}

  // The decision with its reason. Errors: only the store's and the ports' (internal, unavailable).
  Result<Decision> decide(std::string_view account, Action action, const Scope& scope,
                          UnixMs now) const;
  // The same as a status: ok, not_found (Denial::not_visible), forbidden (any other denial), or
  // the store's errors.
  Status check(std::string_view account, Action action, const Scope& scope, UnixMs now) const;

  // Whether `account` may grant a membership of `role` for `unit` (nullopt: site-wide) with the
  // window [from, until) at `site` now: through a counting membership whose role may_grant() it
  // and that covers the grant (a site-wide one covers any; a unit one only that unit), and, for a
  // role whose grants are bounded (resident -> guest), only inside that membership's own window.
  // Errors: not_found (the site or unit is not visible to `account`), forbidden, the store's.
  Status check_grant(std::string_view account, std::string_view site, Role role,
                     const std::optional<std::string>& unit, std::optional<UnixMs> from,
                     std::optional<UnixMs> until, UnixMs now) const;

 private:
  // What decide() needs from the store about one account at one site.
  struct SiteRows {
    std::optional<Site> site;             // nullopt: no such site (then no memberships are read)
    std::vector<Membership> memberships;  // not ended
    friend bool operator==(const SiteRows&, const SiteRows&) = default;
  };
  static constexpr std::size_t kCachedRows = 4096;

  // From the cache, or read (and kept). Errors: the store's.
  Result<std::shared_ptr<const SiteRows>> rows_of(std::string_view account,
                                                  std::string_view site) const;

  const Deps& deps_;
  mutable RowCache<std::shared_ptr<const SiteRows>> rows_;
};

}  // namespace server::access
