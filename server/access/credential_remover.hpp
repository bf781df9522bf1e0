#pragma once
// What access needs from the credential side (keypad codes, digital keys; devices at
// integration): taking credentials away when access shrinks. Access records each request as a
// row of `credential_tasks` in the act's own transaction (so none is lost), then calls the remover
// in that same transaction when one is wired and marks the row done. Rows left pending (no remover
// yet, e.g. before integration) are listed by CredentialTasks::pending() for the remover to apply.

#include <string_view>

#include "server/common/error.hpp"

namespace server::access {

class CredentialRemover {
 public:
  virtual ~CredentialRemover() = default;
  // Marks every credential `account` holds at `site` (keypad codes on every lock, digital keys)
  // for removal: the lock shadows then report them `removing` until the locks confirm. Runs inside
  // the caller's open transaction on the shared connection. Errors: internal, unavailable.
  virtual Status remove_all(std::string_view site, std::string_view account) = 0;
  // The same for only those credentials of `account` at `site` that its memberships no longer
  // justify (after a membership ended, a role changed, or a suspension).
  virtual Status revalidate(std::string_view site, std::string_view account) = 0;
};

}  // namespace server::access
