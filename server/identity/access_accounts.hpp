#pragma once
// AccessAccounts: identity's side of the access domain's port (server/access/accounts.hpp), so
// that access asks about accounts through identity's C++ interface and nothing else. Node hands
// one to access::Access.
//
// Reads only, on the shared store connection, inside whatever transaction access has open; it
// never begins one of its own. find() keeps what it read while no identity act has written since
// (Accounts::changes(), server/access/generation.hpp): a suspension counts on the next call.

#include <optional>
#include <string_view>

#include "server/access/accounts.hpp"
#include "server/access/generation.hpp"
#include "server/identity/accounts.hpp"

namespace server::identity {

class AccessAccounts final : public access::Accounts {
 public:
  explicit AccessAccounts(const identity::Accounts& accounts)
      : accounts_(accounts), found_(accounts.changes(), kCachedAccounts) {}

  // The account `id`; nullopt when there is none. `active` only while its status is active
  // (locked, suspended and deleted accounts count for nothing). Errors: internal.
  Result<std::optional<access::AccountInfo>> find(std::string_view id) override;

  // The account whose email is `email`, in any case. Inviting someone who has no account yet
  // (an account without a password, and the invitation that lets them set one) is not built:
  // until it is, the answer for an unknown address is unavailable, and nothing is written.
  // Errors: invalid_field "email" (malformed address); unavailable (no such account yet);
  // internal.
  Result<access::AccountInfo> find_or_invite(std::string_view email,
                                             std::string_view invited_by) override;

 private:
  static constexpr std::size_t kCachedAccounts = 4096;

  const identity::Accounts& accounts_;
  access::RowCache<std::optional<access::AccountInfo>> found_;
};

}  // namespace server::identity
