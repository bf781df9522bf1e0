#pragma once
// Ownership transfer, in two steps so a site never has no owner and never gets one who did not
// agree: an owner starts a transfer to another account (pending for kTransferLifetime); the
// recipient accepts, or either side cancels. On acceptance, in one transaction: the recipient
// becomes the site's owner (their other memberships there end: the owner's covers everything),
// every membership of the prior owner at the site ends, every credential of the prior owner at
// the site is removed (a remove_all credential task), and every other admin of the site (owners
// and managers) as well as the prior owner get a security notice. Audited:
// ownership_transfer_started, ownership_transferred, ownership_transfer_cancelled (and the
// memberships' own entries).
//
// A transfer is visible only to its two parties: to anyone else its id is not_found.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "server/access/deps.hpp"
#include "server/access/model.hpp"
#include "server/access/policy.hpp"

namespace server::access {

inline constexpr UnixMs kTransferLifetime = 7LL * 24 * 3600 * 1000;

class OwnershipTransfers {
 public:
  OwnershipTransfers(const Deps& deps, const Policy& policy) : deps_(deps), policy_(policy) {}

  // Offers the site to the account with `email` (identity finds or invites it) and tells them.
  // A pending transfer of the same site that has expired is replaced. Errors: not_found (site not
  // visible), forbidden (not an owner there: transfer_ownership), invalid_field "email",
  // conflict (a transfer of this site is already pending; the recipient is the actor or not
  // active), unavailable (identity), the store's.
  Result<Transfer> start(std::string_view actor, std::string_view site, std::string_view email);
  // Errors: not_found (no such transfer, or `actor` is not its recipient), conflict (no longer
  // pending, expired, or the one who started it is no longer an owner there), forbidden (the
  // recipient's account is not active), the store's.
  Result<Transfer> accept(std::string_view actor, std::string_view transfer);
  // By either party. Errors: not_found (no such transfer, or `actor` is neither party),
  // conflict (no longer pending), the store's.
  Result<Transfer> cancel(std::string_view actor, std::string_view transfer);
  // The transfers `actor` is a party to (the latest 100), newest first.
  Result<std::vector<Transfer>> list_mine(std::string_view actor);

 private:
  Result<Transfer> find_for(std::string_view actor, std::string_view transfer);
  Status finish(const Transfer& t, TransferStatus status, std::string_view actor);

  const Deps& deps_;
  const Policy& policy_;
};

}  // namespace server::access
